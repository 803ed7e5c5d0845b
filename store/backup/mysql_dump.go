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

// formatVersion is the version of the dump format; Restore reads this one.
const formatVersion = 1

// maxInsert is the size at which a multi-row INSERT is cut (the mariadb client's and server's
// max_allowed_packet default to 16 MiB; a single larger row still goes alone).
const maxInsert = 1 << 20

// Markers in the dump's comments that Restore reads.
const (
	markHeader = "-- fleet backup "
	markSchema = "-- schema_version: "
	markRows   = "-- rows "
	markEnd    = "-- end of fleet backup: "
)

// writeMySQL dumps the database as one SQL file, read in one consistent snapshot.
func writeMySQL(ctx context.Context, db *store.DB, path string, stdout io.Writer) (Summary, error) {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return Summary{}, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return Summary{}, fmt.Errorf("backup: %w", err)
	}
	defer conn.Close()
	out, err := create(path, stdout)
	if err != nil {
		return Summary{}, err
	}
	d := &dumper{conn: conn, w: out, s: Summary{Dialect: store.MySQL}}
	if err := d.run(ctx); err != nil {
		out.abort()
		return d.s, err
	}
	d.s.Bytes, err = out.commit()
	return d.s, err
}

// dumper writes one dump from one connection.
type dumper struct {
	conn *sql.Conn
	w    io.Writer
	s    Summary
}

func (d *dumper) run(ctx context.Context) error {
	// REPEATABLE READ and a snapshot taken now: every table is read as of this instant, while
	// fleetd goes on writing. Metadata locks keep a table's definition still while it is read.
	for _, q := range []string{
		// A slow reader of the dump (gzip, a pipe over ssh) must not make the server drop us.
		"SET SESSION net_write_timeout = 600",
		"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ",
		"START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
	} {
		if _, err := d.conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("backup: start snapshot: %w", err)
		}
	}
	defer d.conn.ExecContext(context.Background(), "ROLLBACK")
	tables, err := d.prepare(ctx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := d.table(ctx, t); err != nil {
			return fmt.Errorf("backup: table %s: %w", t, err)
		}
	}
	d.s.Tables = len(tables)
	_, err = fmt.Fprintf(d.w, "\n%s\n%s%d tables, %d rows\n", footerSQL, markEnd, d.s.Tables, d.s.Rows)
	return err
}

// prepare reads what the header names and writes it; it returns the tables to dump.
func (d *dumper) prepare(ctx context.Context) ([]string, error) {
	var name, server string
	if err := d.conn.QueryRowContext(ctx, "SELECT DATABASE(), VERSION()").Scan(&name, &server); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	err := d.conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version),0) FROM schema_versions").Scan(&d.s.SchemaVersion)
	if err != nil || d.s.SchemaVersion == 0 {
		return nil, fmt.Errorf("backup: database %s has no schema_versions rows: not a fleet database (check FLEET_DB)", name)
	}
	tables, err := queryStrings(ctx, d.conn, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	views, err := queryStrings(ctx, d.conn, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE <> 'BASE TABLE'")
	if err != nil {
		return nil, fmt.Errorf("backup: list views: %w", err)
	}
	if len(views) > 0 {
		d.s.Warnings = append(d.s.Warnings, "views are not backed up (fleet makes none): "+abbreviate(views, 5))
	}
	_, err = fmt.Fprintf(d.w, `%s%d: MySQL/MariaDB dump of database %s
-- server: %s
-- taken: %s
%s%d
-- Restore into an empty database: fleetctl restore FILE, or mariadb -u USER -p DATABASE < FILE
%s`, markHeader, formatVersion, quoteIdent(name), server, time.Now().UTC().Format(time.RFC3339), markSchema, d.s.SchemaVersion, headerSQL)
	return tables, err
}

// headerSQL sets up the loading session as mariadb-dump does: utf8mb4, UTC, no foreign key or
// unique checks while tables fill in name order, and an id 0 kept as 0.
const headerSQL = `
SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT, @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS, @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION;
SET NAMES utf8mb4;
SET @OLD_TIME_ZONE=@@TIME_ZONE, TIME_ZONE='+00:00';
SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0;
SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0;
SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO';
`

// footerSQL puts the session back.
const footerSQL = `SET SQL_MODE=@OLD_SQL_MODE;
SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS;
SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS;
SET TIME_ZONE=@OLD_TIME_ZONE;
SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT, CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS, COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION;`

// table writes one table: its CREATE TABLE, its rows in multi-row INSERTs, and their count.
func (d *dumper) table(ctx context.Context, name string) error {
	var n, create string
	if err := d.conn.QueryRowContext(ctx, "SHOW CREATE TABLE "+quoteIdent(name)).Scan(&n, &create); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(d.w, "\n-- table %s\n%s;\n", quoteIdent(name), create); err != nil {
		return err
	}
	cols, err := dumpColumns(ctx, d.conn, name)
	if err != nil {
		return err
	}
	rows, err := d.rows(ctx, name, cols)
	if err != nil {
		return err
	}
	d.s.Rows += rows
	_, err = fmt.Fprintf(d.w, "%s%s: %d\n", markRows, quoteIdent(name), rows)
	return err
}

// rows streams the table's rows into INSERT statements of up to maxInsert bytes: one row in
// memory at a time besides the statement being built.
func (d *dumper) rows(ctx context.Context, table string, cols []column) (int64, error) {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = quoteIdent(c.name)
	}
	rows, err := d.conn.QueryContext(ctx, "SELECT "+strings.Join(names, ",")+" FROM "+quoteIdent(table))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	prefix := "INSERT INTO " + quoteIdent(table) + " (" + strings.Join(names, ",") + ") VALUES\n"
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var stmt, row []byte
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		row = appendRow(row[:0], vals, cols)
		if len(stmt) > 0 && len(stmt)+len(row) > maxInsert {
			if err := d.flush(stmt); err != nil {
				return n, err
			}
			stmt = stmt[:0]
		}
		if len(stmt) == 0 {
			stmt = append(stmt, prefix...)
		} else {
			stmt = append(stmt, ",\n"...)
		}
		stmt = append(stmt, row...)
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	if len(stmt) > 0 {
		return n, d.flush(stmt)
	}
	return n, nil
}

func (d *dumper) flush(stmt []byte) error {
	if _, err := d.w.Write(stmt); err != nil {
		return err
	}
	_, err := io.WriteString(d.w, ";\n")
	return err
}

// generated says whether a column's EXTRA marks it computed: "VIRTUAL GENERATED", "STORED
// GENERATED" (MariaDB's older "PERSISTENT GENERATED"), but not MySQL 8's "DEFAULT_GENERATED", a
// stored column with an expression default.
func generated(extra string) bool {
	e := strings.ToUpper(extra)
	return strings.Contains(e, "VIRTUAL GENERATED") || strings.Contains(e, "STORED GENERATED") || strings.Contains(e, "PERSISTENT GENERATED")
}

// dumpColumns lists the table's stored columns in order (generated ones are computed on load).
func dumpColumns(ctx context.Context, conn *sql.Conn, table string) ([]column, error) {
	rows, err := conn.QueryContext(ctx, `SELECT COLUMN_NAME, LOWER(DATA_TYPE), EXTRA FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var extra string
		if err := rows.Scan(&c.name, &c.dataType, &extra); err != nil {
			return nil, err
		}
		if !generated(extra) {
			cols = append(cols, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		return nil, errors.New("no columns")
	}
	return cols, nil
}
