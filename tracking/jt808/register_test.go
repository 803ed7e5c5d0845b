package jt808

import (
	"bytes"
	"strings"
	"testing"
)

// Registrations (0x0100) from REFERENCE §3, in the 2011, 2013 and 2019 layouts, plates in GBK.
func TestParseRegisterRealFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  Register
	}{
		{"T1", Register{Model: "MD300", TerminalID: "866496077582164", PlateColor: PlateWhite}},
		{"T2", Register{Province: 44, City: 303, Maker: "70111", Model: "BSJ-A6-BD", TerminalID: "0567872", PlateColor: PlateBlue, Plate: "粤B88888"}},
		{"T3", Register{Maker: "70107", Model: "HB-R03GBD", TerminalID: "2366104", PlateColor: PlateYellow, Plate: "苏BA6860"}},
		// 2011 layout: 33-byte body, 8-byte model "BSJ-M7B " (the padding space is trimmed).
		{"T4", Register{Province: 44, City: 303, Maker: "70111", Model: "BSJ-M7B", TerminalID: "0000000", PlateColor: PlateBlue, Plate: "粤B88888"}},
		{"S3", Register{Province: 40, City: 50, Maker: "1234", Model: "smallchi123", TerminalID: "CHI123", PlateColor: PlateBlue, Plate: "粤A12345"}},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			got, err := ParseRegister(p.Body, p.Version2019)
			if err != nil {
				t.Fatalf("%s: ParseRegister: %v", f.source, err)
			}
			if got != tt.want {
				t.Errorf("%s:\ngot  %+v\nwant %+v", f.source, got, tt.want)
			}
		})
	}
	// The second of S13's glued frames (cuteLittleDevil/go-jt808 frame_reader_test.go).
	tok := splitAll(t, frame(t, "S13").wire)[1]
	p, err := DecodeFrame(nil, mustHex(t, tok))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseRegister(p.Body, p.Version2019)
	want := Register{Province: 11, City: 101, Maker: "70443", Model: "XHX00002", TerminalID: "id00003", PlateColor: PlateBlue, Plate: "粤A18888"}
	if err != nil || got != want {
		t.Errorf("S13 register: got %+v, %v\nwant %+v", got, err, want)
	}
}

func TestRegisterRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		r     Register
		v2019 bool
		size  int
	}{
		{"2013", Register{Province: 43, City: 1124, Maker: "70111", Model: "JT-701", TerminalID: "A1B2C3D", PlateColor: PlateBlue, Plate: "湘M·A1234"}, false, 37 + 10},
		{"2019", Register{Province: 43, City: 1124, Maker: "HUAWEI-CN01", Model: strings.Repeat("M", 30), TerminalID: "866496077582164", PlateColor: PlateYellow, Plate: "湘MD12345"}, true, 76 + 9},
		{"VIN, no plate", Register{PlateColor: PlateNone, Plate: "LSVAU2180N2183294"}, false, 37 + 17},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := AppendRegister(nil, tt.r, tt.v2019)
			if len(body) != tt.size {
				t.Errorf("body is %d bytes, want %d", len(body), tt.size)
			}
			got, err := ParseRegister(body, tt.v2019)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.r {
				t.Errorf("got  %+v\nwant %+v", got, tt.r)
			}
		})
	}
}

func TestAppendRegisterCutsAndReplaces(t *testing.T) {
	r := Register{Maker: "TOO-LONG-MAKER", Model: strings.Repeat("x", 25), TerminalID: "123456789", Plate: "粤B😀1"}
	got, err := ParseRegister(AppendRegister(nil, r, false), false)
	if err != nil {
		t.Fatal(err)
	}
	want := Register{Maker: "TOO-L", Model: strings.Repeat("x", 20), TerminalID: "1234567", Plate: "粤B?1"}
	if got != want {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	// A cut never splits a GBK character.
	b := appendFixed(nil, "粤粤粤", 5)
	if !bytes.Equal(b, []byte{0xd4, 0xc1, 0xd4, 0xc1, 0}) {
		t.Errorf("appendFixed cut = % x, want d4 c1 d4 c1 00", b)
	}
}

func TestParseRegisterRejects(t *testing.T) {
	tests := []struct {
		name  string
		body  []byte
		v2019 bool
	}{
		{"empty", nil, false},
		{"shorter than the 2011 layout", make([]byte, 24), false},
		{"2019 shorter than its layout", make([]byte, 75), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseRegister(tt.body, tt.v2019); err != ErrTooShort {
				t.Errorf("err = %v, want ErrTooShort", err)
			}
		})
	}
}

func TestGBKInvalidBytes(t *testing.T) {
	if got := decodeGBK([]byte{'A', 0xff, 0xff, 'B'}); !strings.HasPrefix(got, "A") || !strings.HasSuffix(got, "B") || !strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("decodeGBK(invalid) = %q, want A…B with U+FFFD", got)
	}
}

// Register responses (0x8100): SmallChi's test frames and the replies REFERENCE §3.3 computed with
// Traccar's rules, parsed and rebuilt byte for byte.
func TestRegisterResponseRealFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  RegisterResponse
	}{
		{"S5", RegisterResponse{Serial: 100, Result: RegisterOK, AuthCode: "123456"}},
		{"S5-fail", RegisterResponse{Serial: 100, Result: RegisterNoTerminal}},
		{"R-T2", RegisterResponse{Serial: 36, Result: RegisterOK, AuthCode: "014130567872"}},
		{"R-T1", RegisterResponse{Serial: 21016, Result: RegisterOK, AuthCode: "00000866496077582164"}},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			got, err := ParseRegisterResponse(p.Body)
			if err != nil || got != tt.want {
				t.Fatalf("%s: got %+v, %v; want %+v", f.source, got, err, tt.want)
			}
			wire, err := AppendFrame(nil, p.Header, AppendRegisterResponse(nil, tt.want))
			if err != nil || !bytes.Equal(wire, f.wire) {
				t.Errorf("%s: rebuilt\ngot  %x, %v\nwant %x", f.source, wire, err, f.wire)
			}
		})
	}
	if _, err := ParseRegisterResponse([]byte{0, 1}); err != ErrTooShort {
		t.Errorf("2-byte body: err = %v, want ErrTooShort", err)
	}
	// A code is only written with RegisterOK.
	if b := AppendRegisterResponse(nil, RegisterResponse{Result: RegisterVehicleTaken, AuthCode: "x"}); len(b) != 3 {
		t.Errorf("failure response is %d bytes, want 3", len(b))
	}
}
