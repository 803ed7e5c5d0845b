package backup

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"time"
)

// column is one dumped column as information_schema names it.
type column struct {
	name     string
	dataType string // DATA_TYPE, lower case: varchar, longblob, datetime, …
}

// binary says whether the column holds bytes rather than text: those are written as hex
// literals (mariadb-dump --hex-blob), which no charset conversion can alter.
func (c column) binary() bool {
	switch c.dataType {
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit",
		"geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection":
		return true
	}
	return false
}

// appendRow appends one row as a parenthesised list of SQL literals.
func appendRow(b []byte, vals []any, cols []column) []byte {
	b = append(b, '(')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendValue(b, v, cols[i])
	}
	return append(b, ')')
}

// appendValue appends v, as the MySQL driver returned it, as a SQL literal of column c. The driver
// gives integers as int64/uint64, FLOAT as float32, DOUBLE as float64, dates as time.Time (in the
// connection's UTC) and everything else (DECIMAL, text, TIME, blobs) as bytes.
func appendValue(b []byte, v any, c column) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, "NULL"...)
	case int64:
		return strconv.AppendInt(b, x, 10)
	case uint64:
		return strconv.AppendUint(b, x, 10)
	case float32:
		// The shortest form that reads back as the same float32.
		return strconv.AppendFloat(b, float64(x), 'g', -1, 32)
	case float64:
		return strconv.AppendFloat(b, x, 'g', -1, 64)
	case bool:
		if x {
			return append(b, '1')
		}
		return append(b, '0')
	case time.Time:
		return appendTime(b, x, c)
	case []byte:
		if c.binary() {
			return appendHex(b, x)
		}
		return appendQuoted(b, x)
	case string:
		return appendQuoted(b, []byte(x))
	}
	return appendQuoted(b, []byte(fmt.Sprint(v)))
}

// appendTime writes a DATE, DATETIME or TIMESTAMP as its wall-clock text (the zero date as
// MySQL's zero date), with as many fraction digits as it has, up to microseconds.
func appendTime(b []byte, t time.Time, c column) []byte {
	b = append(b, '\'')
	switch {
	case c.dataType == "date" && t.IsZero():
		b = append(b, "0000-00-00"...)
	case c.dataType == "date":
		b = t.AppendFormat(b, time.DateOnly)
	case t.IsZero():
		b = append(b, "0000-00-00 00:00:00"...)
	default:
		b = t.AppendFormat(b, "2006-01-02 15:04:05.999999")
	}
	return append(b, '\'')
}

// appendHex writes bytes as a hex literal, and no bytes as an empty string.
func appendHex(b, s []byte) []byte {
	if len(s) == 0 {
		return append(b, "''"...)
	}
	b = append(b, "0x"...)
	return hex.AppendEncode(b, s)
}

// appendQuoted writes text as a single-quoted string literal with the escapes the mysql client
// library uses (mysql_real_escape_string). The dump is utf8mb4, where none of the escaped bytes
// can occur inside a multi-byte character, so bytes are escaped one at a time.
func appendQuoted(b, s []byte) []byte {
	b = append(b, '\'')
	for _, c := range s {
		switch c {
		case 0:
			b = append(b, '\\', '0')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\\', '\'', '"':
			b = append(b, '\\', c)
		case 0x1a: // Ctrl-Z, end of file on Windows
			b = append(b, '\\', 'Z')
		default:
			b = append(b, c)
		}
	}
	return append(b, '\'')
}
