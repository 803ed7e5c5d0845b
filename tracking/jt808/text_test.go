package jt808

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// Text messages (0x8300) from SmallChi/JT808 JT808_0x8300Test.cs, parsed and rebuilt byte for byte.
func TestTextRealFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  Text
	}{
		{"S7", Text{Flags: TextUrgent | TextDisplay, Text: "smallchi 518"}},
		{"S8", Text{Flags: 0x05, TextType: TextTypeNotice, Text: "smallchi 518"}},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			got, err := ParseText(p.Body, p.Version2019)
			if err != nil || got != tt.want {
				t.Fatalf("%s: got %+v, %v; want %+v", f.source, got, err, tt.want)
			}
			wire, err := AppendFrame(nil, p.Header, AppendText(nil, tt.want, p.Version2019))
			if err != nil || !bytes.Equal(wire, f.wire) {
				t.Errorf("%s: rebuilt\ngot  %x, %v\nwant %x", f.source, wire, err, f.wire)
			}
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		t     Text
		v2019 bool
	}{
		{"2013 Chinese", Text{Flags: TextDisplay | TextTTS, Text: "请于15:00前返回县政府车库，车牌湘M·A1234"}, false},
		{"2019 Chinese", Text{Flags: TextKindNotice | TextDisplay, TextType: TextTypeService, Text: "明日8:30县委大院出车"}, true},
		{"empty", Text{Flags: TextDisplay}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseText(AppendText(nil, tt.t, tt.v2019), tt.v2019)
			if err != nil || got != tt.t {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.t)
			}
		})
	}
}

// A text longer than one packet is cut on a character boundary so the frame can be sent.
func TestAppendTextCutsToOnePacket(t *testing.T) {
	long := strings.Repeat("县", 600) // 1200 bytes of GBK
	for _, v2019 := range []bool{false, true} {
		body := AppendText(nil, Text{Flags: TextDisplay, TextType: TextTypeNotice, Text: "a" + long}, v2019)
		if len(body) > MaxBodyLen {
			t.Fatalf("2019 %v: body %d bytes, over %d", v2019, len(body), MaxBodyLen)
		}
		got, err := ParseText(body, v2019)
		if err != nil || !utf8.ValidString(got.Text) || strings.ContainsRune(got.Text, utf8.RuneError) {
			t.Fatalf("2019 %v: %q, %v", v2019, got.Text, err)
		}
		if n := utf8.RuneCountInString(got.Text); n != 1+510 && n != 1+509 {
			t.Errorf("2019 %v: kept %d characters", v2019, n)
		}
		if _, err := AppendFrame(nil, Header{MsgID: MsgText, Version2019: v2019}, body); err != nil {
			t.Errorf("2019 %v: AppendFrame: %v", v2019, err)
		}
	}
}

func TestParseTextRejects(t *testing.T) {
	if _, err := ParseText(nil, false); err != ErrTooShort {
		t.Errorf("2013 empty: err = %v, want ErrTooShort", err)
	}
	if _, err := ParseText([]byte{TextDisplay}, true); err != ErrTooShort {
		t.Errorf("2019 flags only: err = %v, want ErrTooShort", err)
	}
}
