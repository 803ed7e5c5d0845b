package backup

import (
	"math"
	"testing"
	"time"
)

func TestAppendValue(t *testing.T) {
	text := column{name: "t", dataType: "varchar"}
	blob := column{name: "b", dataType: "longblob"}
	date := column{name: "d", dataType: "date"}
	stamp := column{name: "s", dataType: "datetime"}
	at := time.Date(2026, 11, 27, 8, 5, 9, 123_000_000, time.UTC)
	for _, c := range []struct {
		name string
		v    any
		col  column
		want string
	}{
		{"null", nil, text, "NULL"},
		{"int", int64(-42), text, "-42"},
		{"uint64 max", uint64(math.MaxUint64), text, "18446744073709551615"},
		{"float32 shortest", float32(0.1), text, "0.1"},
		{"float64 exact", math.Pi, text, "3.141592653589793"},
		{"tiny double", 1e-300, text, "1e-300"},
		{"quotes and backslashes", []byte(`O'Brien "x" \n`), text, `'O\'Brien \"x\" \\n'`},
		{"control bytes", []byte("a\x00b\nc\rd\x1ae"), text, `'a\0b\nc\rd\Ze'`},
		{"utf8 untouched", []byte("县委 🚗"), text, "'县委 🚗'"},
		{"blob as hex", []byte{0x00, 0xff, '\'', '\\'}, blob, "0x00ff275c"},
		{"empty blob", []byte{}, blob, "''"},
		{"empty text", []byte{}, text, "''"},
		{"datetime millis", at, stamp, "'2026-11-27 08:05:09.123'"},
		{"datetime whole second", at.Truncate(time.Second), stamp, "'2026-11-27 08:05:09'"},
		{"date", at, date, "'2026-11-27'"},
		{"zero date", time.Time{}, date, "'0000-00-00'"},
		{"zero datetime", time.Time{}, stamp, "'0000-00-00 00:00:00'"},
		{"decimal bytes", []byte("12.3400"), column{dataType: "decimal"}, "'12.3400'"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(appendValue(nil, c.v, c.col)); got != c.want {
				t.Errorf("appendValue(%#v) = %s, want %s", c.v, got, c.want)
			}
		})
	}
}

func TestGenerated(t *testing.T) {
	for extra, want := range map[string]bool{
		"":                     false,
		"auto_increment":       false,
		"VIRTUAL GENERATED":    true,
		"STORED GENERATED":     true,
		"PERSISTENT GENERATED": true,
		"DEFAULT_GENERATED":    false, // MySQL 8: a stored column with an expression default
		"DEFAULT_GENERATED on update CURRENT_TIMESTAMP": false,
	} {
		if got := generated(extra); got != want {
			t.Errorf("generated(%q) = %v, want %v", extra, got, want)
		}
	}
}
