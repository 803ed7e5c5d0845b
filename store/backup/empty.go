package backup

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"fleet/store"
)

// ensureEmpty refuses a target database that has tables, or with force drops them (on MySQL; on
// SQLite the backup API replaces the whole file, so nothing needs dropping).
func ensureEmpty(ctx context.Context, db *store.DB, force bool) error {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return err
	}
	tables, err := existingTables(ctx, db.Dialect, sqlDB)
	if err != nil {
		return fmt.Errorf("backup: list the target's tables: %w", err)
	}
	if len(tables) == 0 {
		return nil
	}
	if !force {
		return fmt.Errorf("%w: it has %d tables (%s); restore into a new, empty database, or force the restore to drop them first (fleetctl restore --force)",
			ErrNotEmpty, len(tables), abbreviate(tables, 5))
	}
	if db.Dialect == store.SQLite {
		return nil
	}
	return dropMySQL(ctx, sqlDB)
}

// existingTables lists every table and view of the target database.
func existingTables(ctx context.Context, dialect string, db *sql.DB) ([]string, error) {
	if dialect == store.SQLite {
		return queryStrings(ctx, db, "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
	}
	return queryStrings(ctx, db, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")
}

// dropMySQL drops every view and table of the current database, foreign keys unchecked.
func dropMySQL(ctx context.Context, db *sql.DB) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	defer discard(conn) // it leaves with foreign key checks off
	if _, err := conn.ExecContext(ctx, "SET FOREIGN_KEY_CHECKS=0"); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	for _, kind := range []string{"VIEW", "BASE TABLE"} {
		names, err := queryStrings(ctx, conn, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = ?", kind)
		if err != nil {
			return fmt.Errorf("backup: list %s: %w", strings.ToLower(kind), err)
		}
		for _, n := range names {
			stmt := "DROP TABLE IF EXISTS " + quoteIdent(n)
			if kind == "VIEW" {
				stmt = "DROP VIEW IF EXISTS " + quoteIdent(n)
			}
			if _, err := conn.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("backup: drop %s: %w", n, err)
			}
		}
	}
	return nil
}

// discard makes the pool close conn instead of reusing it, for a connection whose session
// settings were changed (foreign key checks, SQL mode).
func discard(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
}

// abbreviate lists the first n names and how many more there are.
func abbreviate(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}
