package jt808

import (
	"bytes"
	"errors"
	"testing"
)

func TestUnescape(t *testing.T) {
	tests := []struct {
		name    string
		escaped string
		want    string
		err     error
	}{
		{"plain", "0200 0026", "0200 0026", nil},
		{"escaped flag", "00 7d02 00", "00 7e 00", nil},
		{"escaped escape", "00 7d01 00", "00 7d 00", nil},
		{"escapes back to back", "7d01 7d02 7d02 7d01", "7d 7e 7e 7d", nil},
		{"empty", "", "", nil},
		{"0x7d 0x03", "00 7d03 00", "", ErrEscape},
		{"0x7d 0x00", "00 7d00", "", ErrEscape},
		{"0x7d 0x7d", "00 7d7d 01", "", ErrEscape},
		{"trailing 0x7d", "00 01 7d", "", ErrEscape},
		{"lone 0x7d", "7d", "", ErrEscape},
		{"inner flag", "00 7e 00", "", ErrEscape},
		{"inner flag after escape", "7d01 00 7e", "", ErrEscape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Unescape(nil, mustHex(t, tt.escaped))
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err == nil && !bytes.Equal(got, mustHex(t, tt.want)) {
				t.Errorf("got % x, want %s", got, tt.want)
			}
		})
	}
}

func TestUnescapeInPlace(t *testing.T) {
	b := mustHex(t, "01 7d02 02 7d01 03 7d02")
	got, err := Unescape(b[:0], b)
	if err != nil {
		t.Fatal(err)
	}
	if want := mustHex(t, "01 7e 02 7d 03 7e"); !bytes.Equal(got, want) {
		t.Errorf("got % x, want % x", got, want)
	}
}

func TestAppendEscapedRoundTrip(t *testing.T) {
	raw := make([]byte, 512)
	for i := range raw {
		raw[i] = byte(i * 7)
	}
	raw = append(raw, 0x7e, 0x7d, 0x7e, 0x7e, 0x7d)
	esc := AppendEscaped([]byte{0xaa}, raw)
	if esc[0] != 0xaa {
		t.Fatalf("AppendEscaped overwrote dst")
	}
	if bytes.IndexByte(esc[1:], 0x7e) >= 0 {
		t.Fatalf("escaped data holds 0x7e")
	}
	got, err := Unescape(nil, esc[1:])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, raw) {
		t.Errorf("round trip differs:\ngot  % x\nwant % x", got, raw)
	}
}

func TestXorBytes(t *testing.T) {
	for n := 0; n < 40; n++ {
		b := make([]byte, n)
		var want byte
		for i := range b {
			b[i] = byte(i*31 + n)
			want ^= b[i]
		}
		if got := xorBytes(b); got != want {
			t.Errorf("len %d: got %#x, want %#x", n, got, want)
		}
	}
}
