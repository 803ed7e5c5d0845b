package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"fleet/store"
)

// restoreMySQL checks the whole dump first, then loads it statement by statement on one
// connection, then checks every table's row count against the dump's and the schema version.
func restoreMySQL(ctx context.Context, db *store.DB, in *input, opt RestoreOptions) (Summary, error) {
	sc, err := scanDump(in)
	s := sc.summary()
	if err != nil {
		return s, err
	}
	if sc.fleet {
		if err := checkVersion(sc.version, &s); err != nil {
			return s, err
		}
	}
	if err := ensureEmpty(ctx, db, opt.Force); err != nil {
		return s, err
	}
	sqlDB, err := db.DB.DB()
	if err != nil {
		return s, err
	}
	again, err := open(in.path)
	if err != nil {
		return s, err
	}
	defer again.Close()
	if err := load(ctx, sqlDB, again); err != nil {
		return s, err
	}
	if !sc.fleet {
		return foreignLoaded(ctx, db, s)
	}
	if err := checkCounts(ctx, sqlDB, sc.tables); err != nil {
		return s, err
	}
	if v, err := db.SchemaVersion(ctx); err != nil || v != sc.version {
		return s, fmt.Errorf("backup: the restored database has schema version %d (%v), the dump's header %d", v, err, sc.version)
	}
	return s, nil
}

// load executes every statement of the dump in order on one connection (the dump's SET
// statements hold for the whole load), which is discarded afterwards.
func load(ctx context.Context, db *sql.DB, in *input) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	defer discard(conn)
	st := newStatements(in.r, nil)
	for {
		q, err := st.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("backup: %s: %w", in.path, err)
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("backup: %s line %d (%s): %w", in.path, st.start, clip(q, 100), err)
		}
	}
}

// checkCounts compares each table's rows with the count the dump recorded.
func checkCounts(ctx context.Context, db *sql.DB, tables []tableRows) error {
	for _, t := range tables {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(t.table)).Scan(&n); err != nil {
			return fmt.Errorf("backup: count restored %s: %w", t.table, err)
		}
		if n != t.rows {
			return fmt.Errorf("backup: table %s has %d rows after the restore, the dump %d", t.table, n, t.rows)
		}
	}
	return nil
}

// foreignLoaded completes the summary of a dump that fleetctl did not write (mariadb-dump's) from
// the loaded database.
func foreignLoaded(ctx context.Context, db *store.DB, s Summary) (Summary, error) {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return s, err
	}
	tables, err := existingTables(ctx, store.MySQL, sqlDB)
	if err != nil {
		return s, err
	}
	s.Tables, s.Rows = len(tables), 0
	for _, t := range tables {
		var n int64
		if err := sqlDB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return s, fmt.Errorf("backup: count %s: %w", t, err)
		}
		s.Rows += n
	}
	if s.SchemaVersion, err = db.SchemaVersion(ctx); err != nil {
		return s, fmt.Errorf("backup: the restored database has no schema_versions table: not a fleet database")
	}
	return s, checkVersion(s.SchemaVersion, &s)
}

// clip shortens a statement for an error message, on a character boundary.
func clip(q string, n int) string {
	if len(q) <= n {
		return q
	}
	for n > 0 && !utf8.RuneStart(q[n]) {
		n--
	}
	return q[:n] + "…"
}
