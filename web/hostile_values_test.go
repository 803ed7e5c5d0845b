package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"fleet/store"
)

// hostileValue is one value the sweep puts in place of a field: the raw JSON token, written into
// the body's bytes as it is (so invalid UTF-8 reaches the server unchanged), and the text the
// server must hold when it accepts the value (what Go's JSON decoder makes of it).
type hostileValue struct {
	name  string
	raw   string
	want  string // for a string that may be accepted: the text that must read back
	huge  bool   // the 100,000-character string
	wrong bool   // a wrong JSON type: must be refused
	// only names the one database the value is swept on ("" both). The values whose fate the
	// JSON decoder and the validation settle before any SQL (a wrong type, a control character,
	// a wildcard only LIKE reads, another spelling of invalid UTF-8, a small number) are the
	// same on both: SQLite only. The 100,000 characters matter where a column has a length:
	// MariaDB only (on SQLite an unchecked length is stored, and MariaDB's 'Data too long' shows
	// it). A quote, a backslash, U+FFFD, a 4-byte character and huge numbers: both.
	only string
}

// quoted is a value written as a JSON string with Go's encoder (valid UTF-8 only).
func quoted(name, s string) hostileValue {
	b, _ := json.Marshal(s)
	return hostileValue{name: name, raw: string(b), want: s}
}

// rawString is a JSON string whose bytes are sent unescaped, invalid UTF-8 included; the server
// decodes each invalid byte sequence as U+FFFD, and that is what it may keep.
func rawString(name, bytes string) hostileValue {
	return hostileValue{name: name, raw: `"` + bytes + `"`, want: asDecoded(bytes)}
}

// asDecoded is s as Go's JSON decoder reads it: each byte of an invalid sequence becomes U+FFFD.
func asDecoded(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteRune(r) // range yields utf8.RuneError for each invalid byte
	}
	return b.String()
}

var (
	hostileStrings = []hostileValue{
		quoted("sql drop", "'; DROP TABLE vehicles;--"),
		decoderOnly(quoted("sql or", `" OR 1=1 --`)),
		quoted("backslash", `a\b`),
		decoderOnly(quoted("percent", "50%")),
		decoderOnly(quoted("underscore", "a_b")),
		decoderOnly(rawString("overlong slash 2 bytes", "a\xC0\xAFb")),
		decoderOnly(rawString("overlong slash 3 bytes", "a\xE0\x80\xAFb")),
		decoderOnly(rawString("invalid FF FE", "a\xFF\xFEb")),
		rawString("lone surrogate", "a\xED\xA0\x80b"),
		{name: "NUL", raw: `"a\u0000b"`, want: "a\x00b", only: store.SQLite},
		quoted("emoji", "公车🚗"),
		{name: "100000 characters", raw: `"` + strings.Repeat("长", 100000) + `"`, want: strings.Repeat("长", 100000), huge: true, only: store.MySQL},
		decoderOnly(quoted("CR LF HTML", "a\r\nb<script>alert(1)</script>")),
		{name: "object for string", raw: `{"x":1}`, wrong: true, only: store.SQLite},
	}
	hostileNumbers = []hostileValue{
		{name: "1e308", raw: "1e308"},
		{name: "-1e308", raw: "-1e308", only: store.SQLite},
		{name: "2^63", raw: "9223372036854775808"},
		{name: "-1", raw: "-1", only: store.SQLite},
		{name: "0", raw: "0", only: store.SQLite},
		{name: "1.5", raw: "1.5", only: store.SQLite},
		{name: "string for number", raw: `"12"`, wrong: true, only: store.SQLite},
	}
)

func decoderOnly(v hostileValue) hostileValue { v.only = store.SQLite; return v }

// leaf is a place in a JSON body: the keys and indexes from the top, and the value there.
type leaf struct {
	path []any // string keys and int indexes
	v    any
}

func (l leaf) String() string {
	var b strings.Builder
	for _, p := range l.path {
		switch p := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(p)
		case int:
			fmt.Fprintf(&b, "[%d]", p)
		}
	}
	return b.String()
}

// key is the last object key on the leaf's path; top is the first.
func (l leaf) key() string {
	for i := len(l.path) - 1; i >= 0; i-- {
		if s, ok := l.path[i].(string); ok {
			return s
		}
	}
	return ""
}

// deep is a leaf past the first element of a list: the sweep leaves it as it is, the first
// stands for the list's items.
func (l leaf) deep() bool {
	for _, p := range l.path {
		if i, ok := p.(int); ok && i >= 1 {
			return true
		}
	}
	return false
}

func (l leaf) top() string { s, _ := l.path[0].(string); return s }

// leaves walks a decoded JSON body (objects, arrays, nested) and returns every string and number.
func leaves(v any, path []any) []leaf {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var out []leaf
		for _, k := range keys {
			out = append(out, leaves(v[k], append(slices.Clip(path), k))...)
		}
		return out
	case []any:
		var out []leaf
		for i, x := range v {
			out = append(out, leaves(x, append(slices.Clip(path), i))...)
		}
		return out
	case string, json.Number:
		return []leaf{{path: path, v: v}}
	}
	return nil
}

// normal turns a Go body (maps, slices, structs) into decoded JSON with json.Number numbers.
func normal(t *testing.T, body any) any {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

const hostileMark = "\u2063HOSTILE\u2063"

// substitute returns body's JSON with the leaf replaced by the raw token.
func substitute(t *testing.T, body any, l leaf, raw string) string {
	t.Helper()
	v := normal(t, body)
	set(v, l.path, hostileMark)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	mark, _ := json.Marshal(hostileMark)
	return string(bytes.Replace(b, mark, []byte(raw), 1))
}

func set(v any, path []any, x any) {
	for i, p := range path {
		last := i == len(path)-1
		switch p := p.(type) {
		case string:
			m := v.(map[string]any)
			if last {
				m[p] = x
				return
			}
			v = m[p]
		case int:
			s := v.([]any)
			if last {
				s[p] = x
				return
			}
			v = s[p]
		}
	}
}
