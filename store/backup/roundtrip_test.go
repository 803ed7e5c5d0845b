package backup_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
)

// TestRoundTrip backs up the demo county plus awkward rows and restores it into a new database:
// every table comes back with the same rows, value for value.
func TestRoundTrip(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDemo(t, db)
		addTrickyRows(t, db)
		want := sums(t, db)
		for _, name := range []string{"fleet.backup", "fleet.backup.gz"} {
			t.Run(name, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), name)
				written, err := backup.Write(ctx, db, path, nil)
				if err != nil {
					t.Fatalf("backup: %v", err)
				}
				if written.Tables != len(want) || written.Rows != totalRows(want) || written.SchemaVersion != store.LatestVersion() {
					t.Errorf("backup summary: %d tables, %d rows, schema %d; want %d, %d, %d",
						written.Tables, written.Rows, written.SchemaVersion, len(want), totalRows(want), store.LatestVersion())
				}
				if st, err := os.Stat(path); err != nil || st.Size() != written.Bytes {
					t.Errorf("backup file: %v, size %v; summary says %d bytes", err, st, written.Bytes)
				}
				target := emptyDB(t, db.Dialect)
				restored, err := backup.Restore(ctx, target, path, backup.RestoreOptions{})
				if err != nil {
					t.Fatalf("restore: %v", err)
				}
				if restored.Rows != written.Rows || restored.Tables != written.Tables || len(restored.Warnings) > 0 {
					t.Errorf("restore summary: %+v, want the backup's %d tables, %d rows and no warning", restored, written.Tables, written.Rows)
				}
				sameContent(t, want, sums(t, target))
				worksAfterRestore(t, target)
				checked, err := backup.Inspect(ctx, path)
				if err != nil || checked.Rows != written.Rows {
					t.Errorf("inspect: %+v, %v; want %d rows", checked, err, written.Rows)
				}
			})
		}
	})
}

// TestRestoreRefusesNonEmpty: a database with tables is left alone unless forced.
func TestRestoreRefusesNonEmpty(t *testing.T) {
	t.Parallel() // MariaDB DDL is slow: overlap it
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDemo(t, db)
		want := sums(t, db)
		path := filepath.Join(t.TempDir(), "b.gz")
		if _, err := backup.Write(ctx, db, path, nil); err != nil {
			t.Fatal(err)
		}
		target := storetest.URL(t, db.Dialect)
		tdb, err := store.Open(ctx, store.Config{URL: target})
		if err != nil {
			t.Fatal(err)
		}
		defer tdb.Close()
		if _, err := tdb.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		exec(t, tdb, "INSERT INTO units (name, created_at, updated_at) VALUES ('只在目标库', ?, ?)", seedDay, seedDay)
		before := sums(t, tdb)
		_, err = backup.Restore(ctx, tdb, path, backup.RestoreOptions{})
		if !errors.Is(err, backup.ErrNotEmpty) {
			t.Fatalf("restore into a migrated database: %v, want ErrNotEmpty", err)
		}
		wantError(t, "restore into a non-empty database", err, "not empty", "tables (", "--force")
		sameContent(t, before, sums(t, tdb)) // untouched
		if _, err := backup.Restore(ctx, tdb, path, backup.RestoreOptions{Force: true}); err != nil {
			t.Fatalf("forced restore: %v", err)
		}
		sameContent(t, want, sums(t, tdb))
	})
}

// worksAfterRestore checks the restore is a working fleet database: it migrates (nothing to do)
// and takes new rows with ids after the restored ones.
func worksAfterRestore(t *testing.T, db *store.DB) {
	t.Helper()
	if n, err := db.Migrate(context.Background()); err != nil || n != 0 {
		t.Errorf("migrate after restore: %d applied, %v; want 0, nil", n, err)
	}
	var maxID, newID int64
	db.Raw("SELECT MAX(id) FROM units").Scan(&maxID)
	exec(t, db, "INSERT INTO units (name, created_at, updated_at) VALUES ('新单位', ?, ?)", seedDay, seedDay)
	db.Raw("SELECT id FROM units WHERE name = '新单位'").Scan(&newID)
	if newID <= maxID {
		t.Errorf("new unit got id %d, want one after the restored %d", newID, maxID)
	}
}
