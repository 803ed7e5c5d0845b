package backup_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
)

// noTables fails unless db has no table: a refused restore changed nothing.
func noTables(t *testing.T, db *store.DB) {
	t.Helper()
	if s := sums(t, db); len(s) > 0 {
		t.Errorf("the target has %d tables (%s, …) after a refused restore, want none", len(s), s[0].Table)
	}
}

// TestRestoreRefusesDamagedFile: a backup cut short (disk full, interrupted copy) is refused
// before anything is loaded, and so is it by Inspect.
func TestRestoreRefusesDamagedFile(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		dir := t.TempDir()
		for _, name := range []string{"b", "b.gz"} {
			path := filepath.Join(dir, name)
			if _, err := backup.Write(ctx, db, path, nil); err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			cut := filepath.Join(dir, "cut-"+name)
			if err := os.WriteFile(cut, data[:len(data)*2/3], 0o600); err != nil {
				t.Fatal(err)
			}
			target := emptyDB(t, db.Dialect)
			_, err = backup.Restore(ctx, target, cut, backup.RestoreOptions{})
			wantError(t, "restore of "+name+" cut short", err, "cut-"+name)
			noTables(t, target)
			_, err = backup.Inspect(ctx, cut)
			wantError(t, "inspect of "+name+" cut short", err, "cut-"+name)
		}
		if db.Dialect == store.MySQL {
			_, err := backup.Restore(ctx, emptyDB(t, db.Dialect), filepath.Join(dir, "cut-b"), backup.RestoreOptions{})
			wantError(t, "restore of a dump cut short", err, "incomplete", "end marker is missing")
		}
	})
}

// TestRestoreChecksSchemaVersion: a backup from a newer release is refused, one from an older
// release restores with a warning (fleetd migrates it at start).
func TestRestoreChecksSchemaVersion(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		latest := store.LatestVersion()
		dir := t.TempDir()
		exec(t, db, "INSERT INTO schema_versions (version, name, applied_at) VALUES (?, 'from the future', ?)", latest+1, time.Now())
		newer := filepath.Join(dir, "newer")
		if _, err := backup.Write(ctx, db, newer, nil); err != nil {
			t.Fatal(err)
		}
		target := emptyDB(t, db.Dialect)
		_, err := backup.Restore(ctx, target, newer, backup.RestoreOptions{})
		wantError(t, "restore of a newer schema", err, "newer", "fleetctl of the release that wrote it")
		noTables(t, target)

		exec(t, db, "DELETE FROM schema_versions WHERE version >= ?", latest)
		older := filepath.Join(dir, "older")
		if _, err := backup.Write(ctx, db, older, nil); err != nil {
			t.Fatal(err)
		}
		s, err := backup.Restore(ctx, target, older, backup.RestoreOptions{})
		if err != nil {
			t.Fatalf("restore of an older schema: %v", err)
		}
		if s.SchemaVersion != latest-1 || len(s.Warnings) != 1 || !strings.Contains(s.Warnings[0], "older") {
			t.Errorf("restore of schema %d: version %d, warnings %q; want a warning that it is older", latest-1, s.SchemaVersion, s.Warnings)
		}
	})
}

// TestRestoreRefusesOtherDialect: a SQLite copy does not go into MySQL, nor a dump into SQLite.
func TestRestoreRefusesOtherDialect(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "other")
		if db.Dialect == store.SQLite {
			dump := "-- fleet backup 1: MySQL/MariaDB dump\n-- schema_version: 1\nCREATE TABLE x (id int);\n-- end of fleet backup: 1 tables, 0 rows\n"
			if err := os.WriteFile(path, []byte(dump), 0o600); err != nil {
				t.Fatal(err)
			}
		} else if _, err := backup.Write(ctx, storetest.SQLite(t), path, nil); err != nil {
			t.Fatal(err)
		}
		target := emptyDB(t, db.Dialect)
		_, err := backup.Restore(ctx, target, path, backup.RestoreOptions{})
		other := map[string]string{store.SQLite: "MySQL/MariaDB", store.MySQL: "SQLite"}[db.Dialect]
		wantError(t, "restore of the other dialect's backup", err, "is a "+other+" backup", "restore it into a "+other+" database")
		noTables(t, target)
	})
}

// TestInspectRefusesNonBackups: files that are no backup are named as such.
func TestInspectRefusesNonBackups(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, content, want string }{
		{"empty", "", "is empty"},
		{"comments only", "-- nothing here\n", "no SQL statements"},
		{"not sql", "'unterminated", "not closed"},
		{"some other text", "hello world\n", "not a backup"},
		{"bad gzip", "\x1f\x8bnot really", "bad gzip"},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := backup.Inspect(context.Background(), path)
		wantError(t, c.name, err, c.want)
	}
	_, err := backup.Inspect(context.Background(), filepath.Join(dir, "missing"))
	wantError(t, "missing file", err, "no such file")
}
