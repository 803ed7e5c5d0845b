package web_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"fleet/store"
)

// dbState tells whether anything in the database changed between two looks, cheaply enough to
// look after every request: on SQLite the data_version of a connection of its own (it moves
// when any other connection commits); on MariaDB CHECKSUM TABLE over every table, taken again
// only when the server's redo log sequence number has moved (nothing was written otherwise).
// The sessions table is left out on MariaDB; on SQLite the sweep's sessions are marked seen in
// the future so that no request touches them.
type dbState struct {
	db       *store.DB
	conn     *sql.Conn
	tables   string
	lsn, sum string
}

func newDBState(t *testing.T, db *store.DB) *dbState {
	t.Helper()
	s := &dbState{db: db}
	if db.Dialect == store.SQLite {
		sqlDB, err := db.DB.DB()
		must(t, err)
		s.conn, err = sqlDB.Conn(context.Background())
		must(t, err)
		t.Cleanup(func() { s.conn.Close() })
		return s
	}
	tables, err := db.Migrator().GetTables()
	must(t, err)
	var names []string
	for _, table := range tables {
		if table != "sessions" {
			names = append(names, "`"+table+"`")
		}
	}
	s.tables = strings.Join(names, ", ")
	return s
}

// look returns the database's state; two equal looks mean nothing changed in between.
func (s *dbState) look(t *testing.T) string {
	t.Helper()
	if s.conn != nil {
		var v int64
		must(t, s.conn.QueryRowContext(context.Background(), "PRAGMA data_version").Scan(&v))
		return strconv.FormatInt(v, 10)
	}
	var name, lsn string
	must(t, s.db.Raw("SHOW GLOBAL STATUS LIKE 'Innodb_lsn_current'").Row().Scan(&name, &lsn))
	if lsn == s.lsn && s.sum != "" {
		return s.sum
	}
	rows, err := s.db.Raw("CHECKSUM TABLE " + s.tables).Rows()
	must(t, err)
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var table string
		var sum sql.NullInt64
		must(t, rows.Scan(&table, &sum))
		fmt.Fprintf(&b, "%s=%d ", table, sum.Int64)
	}
	s.lsn, s.sum = lsn, b.String()
	return s.sum
}

// changed names what differs between two looks.
func changed(before, after string) string {
	if before == after {
		return ""
	}
	if !strings.Contains(before, "=") {
		return "the database"
	}
	a := strings.Fields(after)
	var out []string
	for i, f := range strings.Fields(before) {
		if i < len(a) && a[i] != f {
			out = append(out, strings.Split(f, "=")[0])
		}
	}
	return strings.Join(out, ", ")
}

// quietSessions marks every session seen far in the future, so that no request of the sweep
// writes its session's last-seen time (which SQLite's data_version would count as a change).
func quietSessions(t *testing.T, db *store.DB) {
	t.Helper()
	must(t, db.Exec("UPDATE sessions SET last_seen_at = ?", time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)).Error)
}
