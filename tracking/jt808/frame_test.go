package jt808

import (
	"bytes"
	"errors"
	"testing"
)

// Headers of the real frames of REFERENCE §3, each row citing where the frame comes from.
func TestDecodeFrameHeaders(t *testing.T) {
	tests := []struct {
		frame   string
		msgID   uint16
		v2019   bool
		phone   string
		serial  uint16
		bodyLen int
	}{
		{"T1", MsgRegister, true, "00000866496077582164", 21016, 92},
		{"T2", MsgRegister, false, "014130567872", 36, 45},
		{"T3", MsgRegister, false, "013511221122", 5, 45},
		{"T4", MsgRegister, false, "013345678906", 15, 33},
		{"T5", MsgAuth, false, "013511221122", 6, 14},
		{"T6", MsgAuth, false, "094027849470", 132, 16},
		{"T8", MsgHeartbeat, false, "043048325465", 183, 0},
		{"T9", MsgLocation, false, "013578888888", 182, 47},
		{"T10", MsgLocation, false, "094027587492", 10, 46},
		{"T11", MsgLocation, false, "001601285614", 3, 44},
		{"T12", MsgLocation, false, "001601285614", 2, 44},
		{"T13", MsgLocation, false, "017721028890", 1563, 158},
		{"T14", MsgLocation, false, "000000000000", 549, 50},
		{"T15", MsgBatch, false, "014450376202", 2, 81},
		{"T16", MsgBatch, true, "00000866496077582164", 34845, 45},
		{"T17", MsgBatch, false, "013567777777", 2037, 323},
		{"T18", MsgBatch, false, "030300000245", 100, 243},
		{"T19", MsgBatch, false, "079041168750", 5192, 219},
		{"I5331-heartbeat", MsgHeartbeat, false, "058056687467", 38, 17},
		{"I5331-reply", MsgPlatformResponse, false, "058056687467", 0, 5},
		{"I5331-location", MsgLocation, false, "058056687467", 39, 70},
		{"P5985-heartbeat", MsgHeartbeat, false, "014535709217", 6, 0},
		{"P5985-reply", MsgPlatformResponse, false, "014535709217", 0, 5},
		{"P5985-auth", MsgAuth, false, "014535709217", 11, 12},
		{"P5985-auth-reply", MsgPlatformResponse, false, "014535709217", 0, 5},
		{"P5985-query", MsgLocationQuery, false, "014535709217", 0, 0},
		{"P5997-reboot", 0x8105, false, "024530313349", 0, 1},
		{"P5997-ack", MsgTerminalResponse, false, "024530313349", 50, 5},
		{"P5997-auth", MsgAuth, false, "024530313349", 1, 14},
		{"P5997-query", MsgLocationQuery, false, "024530313349", 0, 0},
		{"P5997-reply", MsgLocationReply, false, "024530313349", 20, 60},
		{"R-T2", MsgRegisterResponse, false, "014130567872", 0, 15},
		{"R-T1", MsgRegisterResponse, true, "00000866496077582164", 0, 23},
		{"R-T8", MsgPlatformResponse, false, "043048325465", 0, 5},
		{"R-T9", MsgPlatformResponse, false, "013578888888", 0, 5},
		{"R-T16", MsgPlatformResponse, true, "00000866496077582164", 0, 5},
		{"S1", MsgLocation, false, "112233445566", 8888, 38},
		{"S2", MsgBatch, false, "112233445566", 8888, 83},
		{"S3", MsgRegister, true, "00000000000123456789", 10, 84},
		{"S4", MsgAuth, false, "012345678900", 12345, 9},
		{"S5", MsgRegisterResponse, false, "012345678900", 10, 9},
		{"S5-fail", MsgRegisterResponse, false, "012345678900", 10, 3},
		{"S6", MsgPlatformResponse, false, "012345678900", 10, 5},
		{"S7", MsgText, false, "012345678900", 1, 13},
		{"S8", MsgText, true, "00000000012345678900", 1, 14},
		{"S9", MsgLocation, true, "00000000020232609559", 2639, 120},
		{"S10", MsgAuth, true, "00000000017299841738", 0, 47},
		{"S11", MsgHeartbeat, true, "00000000017299841738", 0, 0},
		{"S12", MsgBatch, true, "00000000017299841738", 65535, 93},
		{"S14", MsgLocation, false, "123456789012", 126, 38},
		// Bit 14 set on a 2013 layout: only the 2013 lengths fit, so it is a 2013 frame.
		{"Q-bit14", MsgAuth, false, "010030000681", 0x0902, 12},
		{"Q-swapped", MsgLocation, true, "00000000017299841738", 0, 28},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p, err := DecodeFrame(make([]byte, 0, MaxFrameLen), f.wire)
			if err != nil {
				t.Fatalf("%s: DecodeFrame: %v", f.source, err)
			}
			if p.MsgID != tt.msgID || p.Version2019 != tt.v2019 || p.Phone.String() != tt.phone ||
				p.Serial != tt.serial || p.BodyLen != tt.bodyLen || len(p.Body) != tt.bodyLen {
				t.Errorf("%s:\ngot  id %#04x 2019 %v phone %s serial %d bodyLen %d/%d\nwant id %#04x 2019 %v phone %s serial %d bodyLen %d",
					f.source, p.MsgID, p.Version2019, p.Phone, p.Serial, p.BodyLen, len(p.Body),
					tt.msgID, tt.v2019, tt.phone, tt.serial, tt.bodyLen)
			}
			wantVersion := byte(0)
			if tt.v2019 {
				wantVersion = ProtocolVersion2019
			}
			if p.ProtocolVersion != wantVersion || p.Subpackaged || p.Encrypted != 0 {
				t.Errorf("version %d subpackaged %v encrypted %d, want %d false 0", p.ProtocolVersion, p.Subpackaged, p.Encrypted, wantVersion)
			}
		})
	}
}

// Every real frame that decodes cleanly is reproduced byte for byte by AppendFrame from its
// decoded header and body: escaping, checksum and header layout agree with the devices and
// servers that produced them.
func TestAppendFrameReproducesRealFrames(t *testing.T) {
	fixturesOnce.Do(loadFixtures)
	skip := map[string]string{
		"S13":     "two frames",
		"T7":      "not BCD",
		"N-short": "broken",
		"Q-bit14": "quirk: re-encoded without bit 14",
	}
	for _, name := range fixtureOrder {
		if skip[name] != "" {
			continue
		}
		f := frame(t, name)
		t.Run(name, func(t *testing.T) {
			p, err := DecodeFrame(nil, f.wire)
			if err != nil {
				t.Fatalf("%s: DecodeFrame: %v", f.source, err)
			}
			got, err := AppendFrame(nil, p.Header, p.Body)
			if err != nil {
				t.Fatalf("AppendFrame: %v", err)
			}
			if !bytes.Equal(got, f.wire) {
				t.Errorf("%s:\ngot  %x\nwant %x", f.source, got, f.wire)
			}
		})
	}
}

// rawFrame turns an unescaped header+body (hex, spaces allowed) into a wire frame with a correct
// checksum.
func rawFrame(t testing.TB, s string) []byte {
	t.Helper()
	raw := mustHex(t, s)
	raw = append(raw, xorBytes(raw))
	wire := append([]byte{flagByte}, AppendEscaped(nil, raw)...)
	return append(wire, flagByte)
}

func TestDecodeFrameRejects(t *testing.T) {
	t9 := frame(t, "T9").wire
	s11 := frame(t, "S11").wire
	withByte := func(b []byte, i int, v byte) []byte {
		c := bytes.Clone(b)
		if i < 0 {
			i += len(c)
		}
		c[i] = v
		return c
	}
	cut := func(b []byte, n int) []byte { // drop n bytes before the checksum, keep the flags
		c := bytes.Clone(b[:len(b)-2-n])
		return append(c, b[len(b)-2:]...)
	}
	tests := []struct {
		name string
		wire []byte
		want error
	}{
		{"bad checksum", withByte(t9, -2, 0xb4), ErrChecksum},
		{"flipped body byte", withByte(t9, 20, 0x00), ErrChecksum},
		{"flipped header byte", withByte(t9, 6, 0x36), ErrChecksum},
		{"escape 0x7d 0x03", append(append(bytes.Clone(t9[:20]), 0x7d, 0x03), t9[20:]...), ErrEscape},
		{"trailing 0x7d that is no checksum", append(bytes.Clone(t9[:len(t9)-2]), 0x7d, 0x7e), ErrEscape},
		{"inner 0x7e", append(append(bytes.Clone(t9[:20]), 0x7e), t9[20:]...), ErrEscape},
		{"truncated body", cut(t9, 5), ErrTooShort},
		{"truncated header", mustHex(t, "7e 0200 002f 0135 7e"), ErrTooShort},
		{"empty", nil, ErrTooShort},
		{"longer than declared", append(append(bytes.Clone(t9[:len(t9)-2]), 0x00), t9[len(t9)-2:]...), ErrLength},
		{"oversized", bytes.Repeat([]byte{0x01}, MaxFrameLen+1), ErrTooLong},
		// Traccar Jt808ProtocolDecoderTest, hand-shortened: declares 50 body bytes, carries 40.
		{"N-short", frame(t, "N-short").wire, ErrTooShort},
		// Traccar Jt808ProtocolDecoderTest: phone bytes 4f07788ef676 are no BCD (Traccar reads an IMEI).
		{"T7 phone not BCD", frame(t, "T7").wire, ErrBCD},
		{"phone digit 0xa", rawFrame(t, "0002 0000 01357888888a 0001"), ErrBCD},
		{"2019 version byte 0", rawFrame(t, "0002 4000 00 00000000017299841738 0000"), ErrVersion},
		{"2019 version byte 2", rawFrame(t, "0002 4000 02 00000000017299841738 0000"), ErrVersion},
		{"2019 frame cut short", cut(s11, 3), ErrTooShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodeFrame(nil, tt.wire)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if p.Body != nil || p.MsgID != 0 {
				t.Errorf("a rejected frame returned a packet: %+v", p)
			}
		})
	}
}

func TestDecodeRejectsTooLongUnescaped(t *testing.T) {
	if _, err := Decode(make([]byte, maxRawLen+1)); !errors.Is(err, ErrTooLong) {
		t.Errorf("err = %v, want ErrTooLong", err)
	}
}

// heartbeatWithChecksum finds a serial that gives a heartbeat the checksum want and returns its raw frame
// (no flags, unescaped) without the checksum byte.
func heartbeatWithChecksum(t *testing.T, want byte) []byte {
	t.Helper()
	for serial := 0; serial < 0x10000; serial++ {
		raw := mustHex(t, "0002 0000 013578888888")
		raw = append(raw, byte(serial>>8), byte(serial))
		if xorBytes(raw) == want && bytes.IndexByte(raw, 0x7d) < 0 && bytes.IndexByte(raw, 0x7e) < 0 {
			return raw
		}
	}
	t.Fatalf("no serial gives checksum %#x", want)
	return nil
}

// Devices that send their checksum unescaped (go-jt808 packet_codec.go "兼容一下设备校验码不转义的情况")
// are accepted because the lengths show what happened.
func TestDecodeFrameUnescapedChecksum(t *testing.T) {
	t.Run("0x7d", func(t *testing.T) {
		raw := heartbeatWithChecksum(t, 0x7d)
		wire := append(append([]byte{0x7e}, raw...), 0x7d, 0x7e)
		p, err := DecodeFrame(nil, wire)
		if err != nil {
			t.Fatalf("DecodeFrame(%x): %v", wire, err)
		}
		if p.MsgID != MsgHeartbeat || p.Phone.String() != "013578888888" {
			t.Errorf("got %+v", p.Header)
		}
	})
	t.Run("0x7e", func(t *testing.T) {
		// The unescaped 0x7e checksum closes the frame early; an empty frame follows.
		raw := heartbeatWithChecksum(t, 0x7e)
		wire := append(append([]byte{0x7e}, raw...), 0x7e, 0x7e)
		wire = append(wire, frame(t, "T8").wire...)
		got := splitAll(t, wire)
		if len(got) != 2 {
			t.Fatalf("got %d tokens, want 2", len(got))
		}
		for _, tok := range got {
			p, err := DecodeFrame(nil, mustHex(t, tok))
			if err != nil || p.MsgID != MsgHeartbeat {
				t.Errorf("DecodeFrame(%s) = %#04x, %v; want a heartbeat", tok, p.MsgID, err)
			}
		}
	})
	t.Run("one byte short is not enough", func(t *testing.T) {
		raw := heartbeatWithChecksum(t, 0x55) // XOR 0x55: a frame that lost a byte, not a 0x7e checksum
		wire := append(append([]byte{0x7e}, raw...), 0x7e)
		if _, err := DecodeFrame(nil, wire); !errors.Is(err, ErrTooShort) {
			t.Errorf("err = %v, want ErrTooShort", err)
		}
	})
}

// A frame whose checksum is 0x7e is written with the checksum escaped (REFERENCE §3.3, the reply
// to Traccar's T16) and read back.
func TestAppendFrameEscapesChecksum(t *testing.T) {
	f := frame(t, "R-T16")
	h := Header{MsgID: MsgPlatformResponse, Version2019: true, Phone: mustPhone(t, "866496077582164")}
	got, err := AppendFrame(nil, h, AppendGeneralResponse(nil, GeneralResponse{Serial: 34845, MsgID: MsgBatch}))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, f.wire) {
		t.Errorf("%s:\ngot  %x\nwant %x", f.source, got, f.wire)
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		h    Header
	}{
		{"2013", Header{MsgID: MsgLocation, Phone: mustPhone(t, "013578888888"), Serial: 65535}},
		{"2013 short phone", Header{MsgID: MsgHeartbeat, Phone: mustPhone(t, "13578888888"), Serial: 1}},
		{"2013 empty phone", Header{MsgID: MsgHeartbeat}},
		{"2019", Header{MsgID: MsgLocation, Version2019: true, ProtocolVersion: 1, Phone: mustPhone(t, "12345678901234567890"), Serial: 0x7e7d}},
		{"2013 subpackaged", Header{MsgID: MsgBatch, Subpackaged: true, PkgTotal: 3, PkgIndex: 2, Phone: mustPhone(t, "1"), Serial: 9}},
		{"2019 subpackaged", Header{MsgID: MsgBatch, Version2019: true, ProtocolVersion: 1, Subpackaged: true, PkgTotal: 0x7e7e, PkgIndex: 0x7d7d, Serial: 9}},
		{"RSA", Header{MsgID: MsgText, Encrypted: 1, Phone: mustPhone(t, "1")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte{0x7e, 0x00, 0x7d}
			wire, err := AppendFrame(nil, tt.h, body)
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodeFrame(nil, wire)
			if err != nil {
				t.Fatalf("DecodeFrame(%x): %v", wire, err)
			}
			want := tt.h
			want.BodyLen = len(body)
			width := 12
			if want.Version2019 {
				width = 20
			}
			want.Phone = mustPhone(t, leftPad(tt.h.Phone.String(), width))
			if p.Header != want {
				t.Errorf("got  %+v\nwant %+v", p.Header, want)
			}
			if !bytes.Equal(p.Body, body) {
				t.Errorf("body % x, want % x", p.Body, body)
			}
			if n := p.Len(); len(wire) < n {
				t.Errorf("Len() = %d, longer than the frame", n)
			}
		})
	}
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

func TestAppendFrameRejects(t *testing.T) {
	tests := []struct {
		name string
		h    Header
		body []byte
		want error
	}{
		{"body over 1023", Header{}, make([]byte, MaxBodyLen+1), ErrTooLong},
		{"13 digits in 2013", Header{Phone: mustPhone(t, "1234567890123")}, nil, ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte{1, 2}
			got, err := AppendFrame(dst, tt.h, tt.body)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !bytes.Equal(got, dst) {
				t.Errorf("dst changed to %x", got)
			}
		})
	}
	// 13 digits with leading zeros fit 2013: only significant digits count.
	if _, err := AppendFrame(nil, Header{Phone: mustPhone(t, "0013578888888")}, nil); err != nil {
		t.Errorf("leading zeros: %v", err)
	}
}

func TestPhone(t *testing.T) {
	for _, s := range []string{"", "0", "013578888888", "12345678901234567890"} {
		p, err := ParsePhone(s)
		if err != nil || p.String() != s || p.Len() != len(s) {
			t.Errorf("ParsePhone(%q) = %q, %v", s, p, err)
		}
	}
	for _, s := range []string{"123456789012345678901", "1357888888a", "+8613578888888", " 1"} {
		if _, err := ParsePhone(s); !errors.Is(err, ErrBCD) {
			t.Errorf("ParsePhone(%q): err = %v, want ErrBCD", s, err)
		}
	}
	a, b := mustPhone(t, "013578888888"), mustPhone(t, "00000000013578888888")
	if a == b || a.TrimZeros() != b.TrimZeros() || a.TrimZeros().String() != "13578888888" {
		t.Errorf("TrimZeros: %q and %q give %q and %q", a, b, a.TrimZeros(), b.TrimZeros())
	}
	if z := mustPhone(t, "000").TrimZeros(); z.String() != "" {
		t.Errorf("TrimZeros(000) = %q, want empty", z)
	}
}
