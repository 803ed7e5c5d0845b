package jt808

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// splitAll runs SplitFrames through a bufio.Scanner twice, reading one byte at a time (the most
// calls with partial data) and reading everything at once (the most work per call, and EOF
// reached before the first token), and returns the tokens in hex; both runs must agree.
func splitAll(t *testing.T, stream []byte) []string {
	t.Helper()
	scan := func(r io.Reader) []string {
		sc := bufio.NewScanner(r)
		sc.Split(SplitFrames)
		var got []string
		for sc.Scan() {
			got = append(got, hex.EncodeToString(sc.Bytes()))
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("scanner: %v", err)
		}
		return got
	}
	slow := scan(iotest.OneByteReader(bytes.NewReader(stream)))
	fast := scan(bytes.NewReader(stream))
	if !slices.Equal(slow, fast) {
		t.Fatalf("byte by byte: %q\nall at once:  %q", slow, fast)
	}
	return fast
}

func TestSplitFrames(t *testing.T) {
	tests := []struct {
		name   string
		stream string
		want   []string
	}{
		{"one frame", "7e 0102 7e", []string{"0102"}},
		{"shared flag", "7e 01 7e 02 7e", []string{"01", "02"}},
		{"a flag each", "7e 01 7e7e 02 7e", []string{"01", "02"}},
		{"empty frames skipped", "7e7e7e 01 7e7e7e7e 02 7e7e", []string{"01", "02"}},
		{"garbage before the first flag skipped", "474554202f 7e 01 7e", []string{"01"}},
		{"garbage between frames is a token", "7e 01 7e aa bb 7e 02 7e", []string{"01", "aabb", "02"}},
		{"unterminated last frame at EOF", "7e 01 7e 02 03", []string{"01", "0203"}},
		{"escapes pass through", "7e 7d02 7d01 7e", []string{"7d027d01"}},
		{"nothing", "", nil},
		{"only flags", "7e7e7e", nil},
		{"no flag at all", "010203", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := splitAll(t, mustHex(t, tt.stream))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Two frames glued in one TCP read (粘包); cuteLittleDevil/go-jt808 frame_reader_test.go.
func TestSplitFramesGlued(t *testing.T) {
	f := frame(t, "S13")
	got := splitAll(t, f.wire)
	want := []string{
		"000200000123456789017fff0a",
		"0100002d0144199999990001000b0065373034343358485830303030320000000000000000000000006964303030303301d4c141313838383892",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s (%s): got %q, want %q", f.name, f.source, got, want)
	}
	for _, tok := range got {
		p, err := DecodeFrame(nil, mustHex(t, tok))
		if err != nil {
			t.Fatalf("DecodeFrame(%s): %v", tok, err)
		}
		if p.MsgID != MsgHeartbeat && p.MsgID != MsgRegister {
			t.Errorf("MsgID = %#04x, want 0x0002 or 0x0100", p.MsgID)
		}
	}
}

// An oversized frame costs one ErrTooLong token; the stream goes on with the next frame.
func TestSplitFramesOversized(t *testing.T) {
	heartbeat := frame(t, "T8").wire
	var stream []byte
	stream = append(stream, heartbeat...)
	stream = append(stream, 0x7e)
	stream = append(stream, bytes.Repeat([]byte{0x55}, 3*MaxFrameLen)...)
	stream = append(stream, heartbeat...)
	stream = append(stream, 0x7e)
	stream = append(stream, bytes.Repeat([]byte{0x66}, MaxFrameLen+1)...) // exactly one too many
	stream = append(stream, heartbeat...)

	sc := bufio.NewScanner(bytes.NewReader(stream))
	sc.Split(SplitFrames)
	var reasons []string
	for sc.Scan() {
		_, err := DecodeFrame(nil, sc.Bytes())
		switch {
		case err == nil:
			reasons = append(reasons, "ok")
		default:
			reasons = append(reasons, err.Error())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scanner stopped: %v", err)
	}
	want := []string{"ok", ErrTooLong.Error(), "ok", ErrTooLong.Error(), "ok"}
	if !slices.Equal(reasons, want) {
		t.Errorf("got %q, want %q", reasons, want)
	}
}

// A frame of exactly MaxFrameLen escaped bytes is not oversized.
func TestSplitFramesLongest(t *testing.T) {
	body := bytes.Repeat([]byte{0x7e}, MaxBodyLen)
	h := Header{MsgID: MsgText, Version2019: true, Subpackaged: true, PkgTotal: 2, PkgIndex: 1,
		Phone: mustPhone(t, "12345678901234567890"), Serial: 0x7e7e}
	wire, err := AppendFrame(nil, h, body)
	if err != nil {
		t.Fatal(err)
	}
	got := splitAll(t, wire)
	if len(got) != 1 || len(got[0])/2 > MaxFrameLen {
		t.Fatalf("got %d tokens, first %d bytes; want 1 of at most %d", len(got), len(got[0])/2, MaxFrameLen)
	}
	p, err := DecodeFrame(nil, mustHex(t, got[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(p.Body, body) {
		t.Errorf("body differs")
	}
}

func TestSplitFramesStream(t *testing.T) {
	// Frames of REFERENCE §3 streamed back to back all come out whole.
	var stream []byte
	var want int
	for _, name := range []string{"T1", "T9", "S14", "R-T16", "P5997-reply", "T17"} {
		stream = append(stream, frame(t, name).wire...)
		want++
	}
	got := splitAll(t, stream)
	if len(got) != want {
		t.Fatalf("got %d frames, want %d: %s", len(got), want, strings.Join(got, " "))
	}
	for _, tok := range got {
		if _, err := DecodeFrame(nil, mustHex(t, tok)); err != nil {
			t.Errorf("DecodeFrame(%s): %v", tok, err)
		}
	}
}
