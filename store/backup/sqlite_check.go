package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"fleet/store"
)

// inspectSQLite checks a SQLite backup file with SQLite's full integrity check.
func inspectSQLite(ctx context.Context, in *input) (Summary, error) {
	path, cleanup, err := in.sqliteFile()
	if err != nil {
		return Summary{}, err
	}
	defer cleanup()
	s, err := statSQLiteFile(ctx, path, "integrity_check")
	s.Bytes = in.size
	if err == nil && s.SchemaVersion == 0 {
		err = errors.New("backup: the file records no schema version: not a fleet backup")
	}
	return s, err
}

// openReadOnly opens a SQLite backup file that nobody writes: read-only and immutable, so that
// reading it creates no -wal or -shm file beside it.
func openReadOnly(path string) (*sql.DB, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return nil, fmt.Errorf("backup: open %s: %w", path, err)
	}
	return db, nil
}

// statSQLiteFile checks and counts the SQLite file at path.
func statSQLiteFile(ctx context.Context, path, check string) (Summary, error) {
	db, err := openReadOnly(path)
	if err != nil {
		return Summary{}, err
	}
	defer db.Close()
	s, err := statSQLite(ctx, db, check)
	if err != nil {
		return s, fmt.Errorf("backup: %s: %w", path, err)
	}
	return s, nil
}

// statSQLite runs SQLite's check (quick_check or integrity_check) and counts tables and rows.
func statSQLite(ctx context.Context, db *sql.DB, check string) (Summary, error) {
	s := Summary{Dialect: store.SQLite}
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA "+check).Scan(&res); err != nil {
		return s, fmt.Errorf("%s: %w", check, err)
	}
	if res != "ok" {
		return s, fmt.Errorf("%s failed: %s", check, res)
	}
	tables, err := sqliteTables(ctx, db)
	if err != nil {
		return s, err
	}
	for _, t := range tables {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteSQLiteIdent(t)).Scan(&n); err != nil {
			return s, fmt.Errorf("count %s: %w", t, err)
		}
		s.Rows += n
		if t == "schema_versions" {
			if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(version),0) FROM schema_versions").Scan(&s.SchemaVersion); err != nil {
				return s, fmt.Errorf("read schema version: %w", err)
			}
		}
	}
	s.Tables = len(tables)
	return s, nil
}

// sqliteTables lists the tables of a SQLite database, SQLite's own (sqlite_sequence) left out.
func sqliteTables(ctx context.Context, db queryer) ([]string, error) {
	return queryStrings(ctx, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
}
