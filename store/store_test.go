package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in, dialect string
		wantErr     bool
	}{
		{"sqlite:data/fleet.db", store.SQLite, false},
		{"sqlite:", "", true},
		{"mysql://fleet:secret@db:3306/fleet", store.MySQL, false},
		{"mysql://fleet:secret@db/fleet", store.MySQL, false},
		{"mysql://fleet:secret@db:3306/", "", true},
		{"postgres://x", "", true},
		{"", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, dsn, err := store.ParseURL(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if d != tt.dialect {
				t.Fatalf("dialect = %q, want %q", d, tt.dialect)
			}
			if tt.wantErr && err != nil && tt.in != "" && strings.Contains(err.Error(), "secret") {
				t.Fatalf("error leaks the password: %v", err)
			}
			if d == store.MySQL && !strings.Contains(dsn, "parseTime=true") {
				t.Fatalf("mysql dsn %q lacks parseTime", dsn)
			}
		})
	}
}

func TestOpenCreatesFolderAndWAL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{URL: "sqlite:" + filepath.Join(dir, "fleet.db")})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("folder not created: %v", err)
	}
	var mode string
	db.Raw("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk int
	db.Raw("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
	var busy int
	db.Raw("PRAGMA busy_timeout").Scan(&busy)
	if busy < 1000 {
		t.Errorf("busy_timeout = %d ms, want at least 1000", busy)
	}
}

func TestMigrateIsIdempotentAndKeepsRows(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.MySQL} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dialect)
			db, err := store.Open(ctx, store.Config{URL: url})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			n, err := db.Migrate(ctx)
			if err != nil {
				t.Fatalf("first migrate: %v", err)
			}
			if n != store.LatestVersion() {
				t.Fatalf("applied %d migrations, want %d", n, store.LatestVersion())
			}
			if err := db.Exec("INSERT INTO units (name, created_at, updated_at) VALUES ('县委办', ?, ?)", now(), now()).Error; err != nil {
				t.Fatalf("insert: %v", err)
			}
			// A second start (a newer binary, or a second instance) applies nothing and keeps the row.
			db2, err := store.Open(ctx, store.Config{URL: url})
			if err != nil {
				t.Fatal(err)
			}
			defer db2.Close()
			n, err = db2.Migrate(ctx)
			if err != nil || n != 0 {
				t.Fatalf("second migrate applied %d, err %v; want 0, nil", n, err)
			}
			var name string
			db2.Raw("SELECT name FROM units").Scan(&name)
			if name != "县委办" {
				t.Fatalf("unit name after re-migrate = %q, want 县委办", name)
			}
			v, err := db2.SchemaVersion(ctx)
			if err != nil || v != store.LatestVersion() {
				t.Fatalf("schema version = %d (%v), want %d", v, err, store.LatestVersion())
			}
		})
	}
}

func TestUpgradeFromVersionOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		// Roll the schema back to version 1 by dropping what later steps made, then upgrade.
		if err := db.Exec("INSERT INTO units (name, created_at, updated_at) VALUES ('财政局', ?, ?)", now(), now()).Error; err != nil {
			t.Fatal(err)
		}
		for _, tbl := range []string{"drivers", "vehicles"} {
			if err := db.Migrator().DropTable(tbl); err != nil {
				t.Fatal(err)
			}
		}
		db.Exec("DELETE FROM schema_versions WHERE version > 1")
		n, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		if n != store.LatestVersion()-1 {
			t.Fatalf("upgrade applied %d, want %d", n, store.LatestVersion()-1)
		}
		if !db.Migrator().HasTable("vehicles") {
			t.Fatal("vehicles table missing after upgrade")
		}
		var count int64
		db.Table("units").Count(&count)
		if count != 1 {
			t.Fatalf("units after upgrade = %d, want 1", count)
		}
	})
}

func now() any { return time.Now().UTC() }
