package backup

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"strings"
	"time"

	"fleet/store"
)

// TableSum fingerprints one table: its row count and a SHA-256 over every row in primary key
// order, each value in a canonical form.
type TableSum struct {
	Table string
	Rows  int64
	Sum   string // hex
}

// Checksums fingerprints every table of db, in name order, so that a restored database can be
// compared with its original (of the same dialect) table by table.
func Checksums(ctx context.Context, db *store.DB) ([]TableSum, error) {
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, err
	}
	var tables []string
	if db.Dialect == store.SQLite {
		tables, err = sqliteTables(ctx, sqlDB)
	} else {
		tables, err = queryStrings(ctx, sqlDB, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
	}
	if err != nil {
		return nil, fmt.Errorf("backup: list tables: %w", err)
	}
	sums := make([]TableSum, 0, len(tables))
	for _, t := range tables {
		s, err := tableSum(ctx, sqlDB, db.Dialect, t)
		if err != nil {
			return nil, fmt.Errorf("backup: checksum %s: %w", t, err)
		}
		sums = append(sums, s)
	}
	return sums, nil
}

// tableSum reads one table in primary key order (all columns in order where it has none).
func tableSum(ctx context.Context, db *sql.DB, dialect, table string) (TableSum, error) {
	key, err := orderColumns(ctx, db, dialect, table)
	if err != nil {
		return TableSum{}, err
	}
	quote := quoteIdent
	if dialect == store.SQLite {
		quote = quoteSQLiteIdent
	}
	for i, k := range key {
		key[i] = quote(k)
	}
	rows, err := db.QueryContext(ctx, "SELECT * FROM "+quote(table)+" ORDER BY "+strings.Join(key, ","))
	if err != nil {
		return TableSum{}, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return TableSum{}, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	h := sha256.New()
	s := TableSum{Table: table}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return s, err
		}
		for _, v := range vals {
			writeCanonical(h, v)
		}
		h.Write([]byte{'\n'})
		s.Rows++
	}
	s.Sum = hex.EncodeToString(h.Sum(nil))
	return s, rows.Err()
}

// orderColumns returns the table's primary key columns, or all its columns when it has none.
func orderColumns(ctx context.Context, db *sql.DB, dialect, table string) ([]string, error) {
	var pk, all []string
	var err error
	if dialect == store.SQLite {
		pk, err = queryStrings(ctx, db, "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table)
		if err == nil && len(pk) == 0 {
			all, err = queryStrings(ctx, db, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
		}
	} else {
		pk, err = queryStrings(ctx, db, `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`, table)
		if err == nil && len(pk) == 0 {
			all, err = queryStrings(ctx, db, `SELECT COLUMN_NAME FROM information_schema.COLUMNS
				WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, table)
		}
	}
	if len(pk) > 0 {
		return pk, err
	}
	return all, err
}

// writeCanonical writes a value as a type tag, its length and its bytes: no two different
// values or rows write the same bytes.
func writeCanonical(h hash.Hash, v any) {
	var tag byte
	var b []byte
	switch x := v.(type) {
	case nil:
		tag = 'N'
	case int64:
		tag, b = 'I', binary.BigEndian.AppendUint64(nil, uint64(x))
	case uint64:
		tag, b = 'U', binary.BigEndian.AppendUint64(nil, x)
	case float32:
		tag, b = 'F', binary.BigEndian.AppendUint64(nil, math.Float64bits(float64(x)))
	case float64:
		tag, b = 'F', binary.BigEndian.AppendUint64(nil, math.Float64bits(x))
	case bool:
		tag, b = 'B', []byte{0}
		if x {
			b[0] = 1
		}
	case time.Time:
		tag, b = 'T', []byte(x.UTC().Format(time.RFC3339Nano))
	case []byte:
		tag, b = 'S', x
	case string:
		tag, b = 'S', []byte(x)
	default:
		tag, b = '?', fmt.Appendf(nil, "%T %v", v, v)
	}
	h.Write([]byte{tag})
	h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(b))))
	h.Write(b)
}
