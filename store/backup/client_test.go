package backup_test

import (
	"context"
	"net/url"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"testing"

	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
)

// client finds the mariadb (or mysql) command-line client; under CI=true its absence fails.
func client(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := osexec.LookPath(n); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("none of %v on PATH: under CI=true the MariaDB client tests must run (apt-get install mariadb-client)", names)
	}
	t.Skipf("none of %v on PATH", names)
	return ""
}

// clientArgs turns a mysql:// URL into client arguments and the password for MYSQL_PWD.
func clientArgs(t *testing.T, raw string) (args []string, password string) {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	password, _ = u.User.Password()
	port := u.Port()
	if port == "" {
		port = "3306"
	}
	return []string{"--host", u.Hostname(), "--port", port, "--user", u.User.Username(),
		"--default-character-set=utf8mb4", strings.TrimPrefix(u.Path, "/")}, password
}

// TestDumpLoadsWithMariaDBClient: an operator can restore the dump with the mariadb client
// alone, and gets the same content.
func TestDumpLoadsWithMariaDBClient(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	db := storetest.MySQL(t)
	bin := client(t, "mariadb", "mysql")
	ctx := context.Background()
	seedDemo(t, db)
	addTrickyRows(t, db)
	path := filepath.Join(t.TempDir(), "fleet.sql")
	if _, err := backup.Write(ctx, db, path, nil); err != nil {
		t.Fatal(err)
	}
	target := storetest.URL(t, store.MySQL)
	args, pw := clientArgs(t, target)
	cmd := osexec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	cmd.Stdin = in
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s < dump: %v\n%s", filepath.Base(bin), err, out)
	}
	tdb, err := store.Open(ctx, store.Config{URL: target})
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Close()
	sameContent(t, sums(t, db), sums(t, tdb))
}

// TestRestoreMariaDBDump: a dump written by mariadb-dump loads through fleetctl restore too.
func TestRestoreMariaDBDump(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	src := storetest.URL(t, store.MySQL)
	bin := client(t, "mariadb-dump", "mysqldump")
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{URL: src})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	seedDemo(t, db)
	args, pw := clientArgs(t, src)
	cmd := osexec.Command(bin, append([]string{"--single-transaction", "--hex-blob"}, args...)...)
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+pw)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", filepath.Base(bin), err, stderr.String())
	}
	path := filepath.Join(t.TempDir(), "mariadb-dump.sql")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	target := emptyDB(t, store.MySQL)
	s, err := backup.Restore(ctx, target, path, backup.RestoreOptions{})
	if err != nil {
		t.Fatalf("restore a mariadb-dump file: %v", err)
	}
	if len(s.Warnings) == 0 || !strings.Contains(s.Warnings[0], "mariadb-dump") {
		t.Errorf("warnings %q, want one that row counts were not checked", s.Warnings)
	}
	sameContent(t, sums(t, db), sums(t, target))
	cut := filepath.Join(t.TempDir(), "cut.sql")
	if err := os.WriteFile(cut, out[:len(out)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = backup.Restore(ctx, emptyDB(t, store.MySQL), cut, backup.RestoreOptions{})
	wantError(t, "restore of a mariadb-dump file cut short", err, "incomplete")
}
