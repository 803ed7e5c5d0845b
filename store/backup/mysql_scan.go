package backup

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fleet/store"
)

// scan is what reading a dump through found: its header, the row count it recorded for each
// table, and whether it reached its end marker.
type scan struct {
	fleet      bool // a header of fleetctl backup
	mysqldump  bool // a header of mariadb-dump or mysqldump
	format     int
	version    int // schema version in the header
	tables     []tableRows
	rows       int64
	statements int
	complete   bool // the end marker was read
	bytes      int64
}

// tableRows is a table's row count as the dump recorded it.
type tableRows struct {
	table string
	rows  int64
}

func (sc scan) summary() Summary {
	s := Summary{Dialect: store.MySQL, SchemaVersion: sc.version, Tables: len(sc.tables), Rows: sc.rows, Bytes: sc.bytes}
	switch {
	case sc.mysqldump:
		s.Warnings = append(s.Warnings, "written by mariadb-dump or mysqldump, not fleetctl backup: row counts are not checked")
	case !sc.fleet:
		s.Warnings = append(s.Warnings, "not written by fleetctl backup: its completeness and row counts cannot be checked")
	}
	return s
}

// scanDump reads a whole dump, parsing every statement, and checks that it is complete: a dump
// cut short (a full disk, an interrupted copy) is refused before anything is loaded. Reading it
// to the end also checks a gzip file's checksum.
func scanDump(in *input) (scan, error) {
	sc := scan{bytes: in.size}
	var bad error
	st := newStatements(in.r, func(line string) {
		if err := sc.comment(line); err != nil && bad == nil {
			bad = err
		}
	})
	for {
		_, err := st.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return sc, fmt.Errorf("backup: %s: %w", in.path, err)
		}
		sc.statements++
	}
	if bad != nil {
		return sc, fmt.Errorf("backup: %s: %w", in.path, bad)
	}
	if sc.statements == 0 {
		return sc, fmt.Errorf("backup: %s holds no SQL statements: not a backup", in.path)
	}
	if (sc.fleet || sc.mysqldump) && !sc.complete {
		return sc, fmt.Errorf("backup: %s is incomplete: its end marker is missing (the backup was interrupted or the file cut short)", in.path)
	}
	return sc, nil
}

// comment reads the dump's marker comments.
func (sc *scan) comment(line string) error {
	switch {
	case strings.HasPrefix(line, markHeader):
		f, _, _ := strings.Cut(strings.TrimPrefix(line, markHeader), ":")
		n, err := strconv.Atoi(f)
		if err != nil || n > formatVersion {
			return fmt.Errorf("dump format %q is not one this fleetctl reads (%d)", f, formatVersion)
		}
		sc.fleet, sc.format = true, n
	case strings.HasPrefix(line, markSchema):
		n, err := strconv.Atoi(strings.TrimPrefix(line, markSchema))
		if err != nil {
			return fmt.Errorf("bad schema version line %q", line)
		}
		sc.version = n
	case strings.HasPrefix(line, markRows):
		return sc.tableRows(strings.TrimPrefix(line, markRows))
	case strings.HasPrefix(line, markEnd):
		sc.complete = true
	case strings.HasPrefix(line, "-- MariaDB dump ") || strings.HasPrefix(line, "-- MySQL dump "):
		sc.mysqldump = true
	case strings.HasPrefix(line, "-- Dump completed"): // mariadb-dump's last line
		sc.complete = true
	}
	return nil
}

// tableRows reads "`name`: N".
func (sc *scan) tableRows(s string) error {
	i := strings.LastIndex(s, ": ")
	if i < 2 || s[0] != '`' || s[i-1] != '`' {
		return fmt.Errorf("bad row count line %q", s)
	}
	n, err := strconv.ParseInt(s[i+2:], 10, 64)
	if err != nil {
		return fmt.Errorf("bad row count line %q", s)
	}
	name := strings.ReplaceAll(s[1:i-1], "``", "`")
	sc.tables = append(sc.tables, tableRows{table: name, rows: n})
	sc.rows += n
	return nil
}
