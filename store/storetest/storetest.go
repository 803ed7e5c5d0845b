// Package storetest hands each test its own freshly migrated database: SQLite always, and MariaDB
// too when FLEET_TEST_MYSQL_DSN is set (under CI=true its absence fails the test).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fleet/store"
)

// Each runs fn once per available database, as subtests named "sqlite" and "mysql".
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("mysql", func(t *testing.T) { fn(t, MySQL(t)) })
}

// SQLite returns a migrated SQLite database in a file under t.TempDir().
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fleet.db")
	return open(t, "sqlite:"+path)
}

// MySQLURL returns the base server URL for MariaDB tests, failing under CI=true and skipping
// elsewhere when FLEET_TEST_MYSQL_DSN is not set.
func MySQLURL(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("FLEET_TEST_MYSQL_DSN")
	if dsn == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("FLEET_TEST_MYSQL_DSN is not set: under CI=true the MariaDB tests must run (make test starts a server)")
		}
		t.Skip("FLEET_TEST_MYSQL_DSN not set: MariaDB tests skipped (make test sets it)")
	}
	return dsn
}

// MySQL creates a fresh database on the MariaDB server of FLEET_TEST_MYSQL_DSN, migrates it and
// drops it when the test ends.
func MySQL(t testing.TB) *store.DB {
	t.Helper()
	return open(t, freshMySQL(t))
}

// freshMySQL creates an empty database, dropped when the test ends, and returns its URL.
func freshMySQL(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(MySQLURL(t))
	if err != nil {
		t.Fatalf("FLEET_TEST_MYSQL_DSN: %v", err)
	}
	prefix := strings.TrimPrefix(u.Path, "/")
	if prefix == "" {
		prefix = "fleet_test"
	}
	name := prefix + "_" + randomHex(6)

	admin := *u
	admin.Path = "/mysql"
	ctx := context.Background()
	adb, err := store.Open(ctx, store.Config{URL: admin.String()})
	if err != nil {
		t.Fatalf("connect to MariaDB: %v", err)
	}
	defer adb.Close()
	if err := adb.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		adb, err := store.Open(context.Background(), store.Config{URL: admin.String()})
		if err != nil {
			t.Logf("drop test database %s: %v", name, err)
			return
		}
		defer adb.Close()
		adb.Exec("DROP DATABASE IF EXISTS `" + name + "`")
	})
	u.Path = "/" + name
	return u.String()
}

// URL returns a fresh, empty (unmigrated) database URL of the dialect, for tests of start-up.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "fleet.db")
	}
	return freshMySQL(t)
}

func open(t testing.TB, rawURL string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{URL: rawURL})
	if err != nil {
		t.Fatalf("open %s: %v", rawURL, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("storetest: random: %v", err))
	}
	return hex.EncodeToString(b)
}
