package main

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
)

// checksums fingerprints the tables of the database at url.
func checksums(t *testing.T, url string) []backup.TableSum {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := backup.Checksums(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestBackupAndRestoreCommands(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.MySQL} {
		t.Run(dialect, func(t *testing.T) {
			src := &testEnv{t: t, dir: t.TempDir(), url: storetest.URL(t, dialect)}
			src.ok("seed", "demo")
			path := filepath.Join(src.dir, "fleet.bak.gz")
			out := src.ok("backup", "-o", path)
			wantContains(t, "backup", out, "backup written to "+path, fmt.Sprintf("schema version %d: ", store.LatestVersion()), " tables, ", " rows, ", "KiB in ")
			wantContains(t, "backup -verify", src.ok("backup", "-verify", path), "backup "+path+" checked: sound")

			dst := &testEnv{t: t, dir: t.TempDir(), url: storetest.URL(t, dialect)}
			out = dst.ok("restore", path)
			wantContains(t, "restore", out, "restored "+path, "fleetd can start on it")
			want := checksums(t, src.url)
			if got := checksums(t, dst.url); !reflect.DeepEqual(got, want) {
				t.Errorf("restored tables differ from the original:\n got %v\nwant %v", got, want)
			}
			wantContains(t, "user list after restore", dst.ok("user", "list"), "demo_dispatcher")

			_, _, err := dst.run("", "restore", path)
			if err == nil || !strings.Contains(err.Error(), "not empty") || !strings.Contains(err.Error(), "--force") {
				t.Errorf("second restore: %v, want a refusal naming --force", err)
			}
			wantContains(t, "restore --force", dst.ok("restore", "--force", path), "restored "+path)

			stdout, stderr, err := src.run("", "backup", "-o", "-")
			if err != nil {
				t.Fatalf("backup -o -: %v", err)
			}
			head := map[string]string{store.SQLite: "SQLite format 3\x00", store.MySQL: "-- fleet backup 1: "}[dialect]
			if !strings.HasPrefix(stdout, head) {
				t.Errorf("backup -o - wrote %.20q…, want the backup itself, starting %q", stdout, head)
			}
			wantContains(t, "backup -o - stderr", stderr, "backup written to -")
		})
	}
}

func TestBackupCommandErrors(t *testing.T) {
	e := newTestEnv(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"backup"}, "no database to back up"}, // the SQLite file does not exist
		{[]string{"backup", "-verify", filepath.Join(e.dir, "nothing.sql")}, "no such file"},
		{[]string{"backup", "extra"}, "want 0 argument(s)"},
		{[]string{"restore"}, "want 1 argument(s)"},
		{[]string{"restore", filepath.Join(e.dir, "nothing.db")}, "no such file"},
	} {
		_, _, err := e.run("", c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("fleetctl %v: %v, want an error saying %q", c.args, err, c.want)
		}
	}
	notBackup := e.file("notes.sql", []byte("-- just a comment\n"))
	if _, _, err := e.run("", "backup", "-verify", notBackup); err == nil || !strings.Contains(err.Error(), "not a backup") {
		t.Errorf("backup -verify of a file that is no backup: %v, want it named so", err)
	}
}

func TestBackupName(t *testing.T) {
	at := time.Date(2026, 11, 27, 2, 30, 5, 0, time.FixedZone("CST", 8*3600))
	for dialect, want := range map[string]string{
		store.SQLite: "fleet-backup-20261126T183005Z.db",
		store.MySQL:  "fleet-backup-20261126T183005Z.sql.gz",
	} {
		if got := backupName(dialect, at); got != want {
			t.Errorf("backupName(%s) = %q, want %q", dialect, got, want)
		}
	}
}
