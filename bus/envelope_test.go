package bus

import (
	"bytes"
	"strings"
	"testing"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	cases := []struct {
		name   string
		origin string
		data   []byte
	}{
		{"text", "host-1a2b3c4d", []byte(`{"vehicle_id":7}`)},
		{"empty payload", "host", nil},
		{"empty origin", "", []byte("x")},
		{"binary payload", "host", []byte{0, 1, 0xff, 0x7e, 0}},
		{"long origin needs a two-byte length", strings.Repeat("o", 300), []byte("x")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			origin, data, err := decodeEnvelope(string(encodeEnvelope(c.origin, c.data)))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if origin != c.origin || !bytes.Equal(data, c.data) {
				t.Fatalf("got (%q, %q), want (%q, %q)", origin, data, c.origin, c.data)
			}
		})
	}
}

func TestEnvelopeMalformed(t *testing.T) {
	cases := map[string]string{
		"empty":               "",
		"unknown version":     "\x02\x00x",
		"no length":           "\x01",
		"origin past the end": "\x01\x05abc",
		"unterminated length": "\x01\xff\xff",
		"overflowing length":  "\x01\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
	}
	for name, wire := range cases {
		t.Run(name, func(t *testing.T) {
			if o, d, err := decodeEnvelope(wire); err == nil {
				t.Fatalf("got (%q, %q), want an error", o, d)
			}
		})
	}
}

func FuzzDecodeEnvelope(f *testing.F) {
	f.Add(string(encodeEnvelope("host", []byte("data"))))
	f.Add("\x01\x05abc")
	f.Fuzz(func(t *testing.T, wire string) {
		origin, data, err := decodeEnvelope(wire)
		if err != nil {
			return
		}
		if again := string(encodeEnvelope(origin, data)); again != wire && wire[1] < 0x80 {
			t.Fatalf("re-encoding %q gives %q", wire, again)
		}
	})
}
