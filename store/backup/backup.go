// Package backup writes and restores whole-database backups: on SQLite a consistent copy of the
// database file taken with SQLite's online backup API, on MySQL/MariaDB a logical SQL dump taken in
// one consistent snapshot, which the mariadb client can load as well as Restore.
package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fleet/store"
)

// Summary describes a backup written, checked or restored.
type Summary struct {
	Dialect       string // store.SQLite or store.MySQL: what the backup holds
	SchemaVersion int    // the newest migration recorded in the backup
	Tables        int
	Rows          int64
	Bytes         int64 // size of the backup file as written or read (compressed, when gzip)
	Duration      time.Duration
	// Warnings are things the user should know that did not stop the work (an older schema).
	Warnings []string
}

// ErrNotEmpty is returned by Restore when the target database already has tables.
var ErrNotEmpty = errors.New("backup: the target database is not empty")

// Write backs db up into the file at path; a name ending in .gz is gzip-compressed. The file
// appears only once the backup is complete (it is written beside it and renamed). path "-" writes
// to stdout instead.
func Write(ctx context.Context, db *store.DB, path string, stdout io.Writer) (Summary, error) {
	start := time.Now()
	var s Summary
	var err error
	switch db.Dialect {
	case store.SQLite:
		s, err = writeSQLite(ctx, db, path, stdout)
	case store.MySQL:
		s, err = writeMySQL(ctx, db, path, stdout)
	default:
		err = fmt.Errorf("backup: unknown dialect %q", db.Dialect)
	}
	s.Duration = time.Since(start)
	return s, err
}

// RestoreOptions changes what Restore accepts.
type RestoreOptions struct {
	// Force drops the tables the target database has before loading; without it a database with
	// any table is refused with ErrNotEmpty.
	Force bool
}

// Restore loads the backup file at path into db, which must be empty (see RestoreOptions.Force)
// and of the backup's dialect. It checks the file completely before changing anything, and the
// loaded rows against the counts the backup recorded after.
func Restore(ctx context.Context, db *store.DB, path string, opt RestoreOptions) (Summary, error) {
	start := time.Now()
	in, err := open(path)
	if err != nil {
		return Summary{}, err
	}
	defer in.Close()
	if want := in.dialect(); want != db.Dialect {
		return Summary{}, fmt.Errorf("backup: %s is a %s backup and the target database is %s: restore it into a %s database",
			path, dialectName(want), dialectName(db.Dialect), dialectName(want))
	}
	var s Summary
	if db.Dialect == store.SQLite {
		s, err = restoreSQLite(ctx, db, in, opt)
	} else {
		s, err = restoreMySQL(ctx, db, in, opt)
	}
	s.Duration = time.Since(start)
	return s, err
}

// Inspect reads a backup file without any database and checks it: a SQLite copy passes SQLite's
// integrity check, a dump has its header and end marker and parses statement by statement.
func Inspect(ctx context.Context, path string) (Summary, error) {
	start := time.Now()
	in, err := open(path)
	if err != nil {
		return Summary{}, err
	}
	defer in.Close()
	var s Summary
	if in.dialect() == store.SQLite {
		s, err = inspectSQLite(ctx, in)
	} else {
		var sc scan
		sc, err = scanDump(in)
		s = sc.summary()
		if err == nil && !sc.fleet && !sc.mysqldump {
			err = fmt.Errorf("backup: %s has neither a fleetctl backup nor a mariadb-dump header: not a backup", path)
		}
	}
	if err == nil && s.SchemaVersion > 0 {
		if verr := checkVersion(s.SchemaVersion, &s); verr != nil {
			s.Warnings = append(s.Warnings, strings.TrimPrefix(verr.Error(), "backup: "))
		}
	}
	s.Duration = time.Since(start)
	return s, err
}

// checkVersion compares a backup's schema version with this binary's: newer is refused (this
// fleetd could not run it), older is a warning (fleetd migrates it when it starts).
func checkVersion(v int, s *Summary) error {
	latest := store.LatestVersion()
	switch {
	case v == 0:
		return errors.New("backup: the backup records no schema version (no schema_versions rows): not a fleet database")
	case v > latest:
		return fmt.Errorf("backup: the backup has schema version %d, newer than the %d this fleetctl knows: restore it with the fleetctl of the release that wrote it", v, latest)
	case v < latest:
		s.Warnings = append(s.Warnings, fmt.Sprintf("schema version %d is older than this release's %d: fleetd applies the %d newer migrations when it starts (or run fleetctl migrate)", v, latest, latest-v))
	}
	return nil
}

// dialectName is how messages name a dialect.
func dialectName(d string) string {
	if d == store.MySQL {
		return "MySQL/MariaDB"
	}
	return "SQLite"
}

// quoteIdent quotes a MySQL identifier with backticks.
func quoteIdent(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// quoteSQLiteIdent quotes a SQLite identifier with double quotes.
func quoteSQLiteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// queryer is a *sql.DB, *sql.Conn or *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queryStrings runs a query of one string column and returns its values.
func queryStrings(ctx context.Context, db queryer, query string, args ...any) ([]string, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
