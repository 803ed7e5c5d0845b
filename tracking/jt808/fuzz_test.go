package jt808

import (
	"bufio"
	"bytes"
	"testing"
	"time"
)

var sentinels = []error{ErrTooShort, ErrTooLong, ErrLength, ErrChecksum, ErrEscape, ErrBCD, ErrTime,
	ErrVersion, ErrSubpacket, ErrReassemblyFull}

func isSentinel(err error) bool {
	for _, s := range sentinels {
		if err == s {
			return true
		}
	}
	return false
}

// FuzzDecode feeds arbitrary bytes to the splitter, the frame decoder and every body parser. None
// may panic; every error must be one of the sentinels; a decoded frame must re-encode to itself;
// and what a parser returns is bounded by the body it read.
func FuzzDecode(f *testing.F) {
	fixturesOnce.Do(loadFixtures)
	for _, name := range fixtureOrder {
		f.Add(fixtures[name].wire)
	}
	f.Add([]byte{0x7e, 0x7d, 0x7e})
	f.Add([]byte{0x7e, 0x7e})
	f.Add([]byte{})
	dst := make([]byte, 0, MaxFrameLen)
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Split(SplitFrames)
		for sc.Scan() {
			if n := len(sc.Bytes()); n == 0 || n > MaxFrameLen+1 {
				t.Fatalf("SplitFrames token of %d bytes", n)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("SplitFrames stopped the scanner: %v", err)
		}

		if _, err := Decode(data); err != nil && !isSentinel(err) {
			t.Fatalf("Decode: non-sentinel error %v", err)
		}
		p, err := DecodeFrame(dst, data)
		if err != nil {
			if !isSentinel(err) {
				t.Fatalf("DecodeFrame: non-sentinel error %v", err)
			}
			return
		}
		if len(p.Body) != p.BodyLen || len(p.Body) > MaxBodyLen {
			t.Fatalf("body %d bytes, declared %d", len(p.Body), p.BodyLen)
		}
		wire, err := AppendFrame(nil, p.Header, p.Body)
		if err != nil {
			t.Fatalf("AppendFrame of a decoded frame: %v", err)
		}
		q, err := DecodeFrame(nil, wire)
		if err != nil || q.Header != p.Header || !bytes.Equal(q.Body, p.Body) {
			t.Fatalf("re-encoded frame decodes to %+v, %v; want %+v", q.Header, err, p.Header)
		}

		parseByID(t, p)
		for _, v2019 := range []bool{false, true} { // every parser on every body, both layouts
			parseAll(t, p.Body, v2019)
		}
		var r Reassembler
		if _, _, err := r.Add(p, time.Time{}); err != nil && !isSentinel(err) {
			t.Fatalf("Reassembler.Add: %v", err)
		}
	})
}

// parseByID reads the body the way a gateway does and checks that a re-encoded message reads the
// same.
func parseByID(t *testing.T, p Packet) {
	switch p.MsgID {
	case MsgLocation:
		var l, l2 Location
		if err := ParseLocation(p.Body, &l); err != nil {
			return
		}
		if err := ParseLocation(AppendLocation(nil, &l), &l2); err != nil {
			t.Fatalf("re-encoded location: %v", err)
		}
		if d := diffLocation(&l2, &l); d != "" {
			t.Fatalf("re-encoded location differs:\n%s", d)
		}
	case MsgTerminalResponse, MsgPlatformResponse:
		if r, err := ParseGeneralResponse(p.Body); err == nil {
			if r2, _ := ParseGeneralResponse(AppendGeneralResponse(nil, r)); r2 != r {
				t.Fatalf("general response %+v re-reads as %+v", r, r2)
			}
		}
	case MsgText:
		if tx, err := ParseText(p.Body, p.Version2019); err == nil {
			if _, err := ParseText(AppendText(nil, tx, p.Version2019), p.Version2019); err != nil {
				t.Fatalf("re-encoded text: %v", err)
			}
		}
	}
}

func parseAll(t *testing.T, body []byte, v2019 bool) {
	check := func(what string, err error) {
		if err != nil && !isSentinel(err) {
			t.Fatalf("%s: non-sentinel error %v", what, err)
		}
	}
	_, err := ParseGeneralResponse(body)
	check("ParseGeneralResponse", err)
	_, err = ParseRegister(body, v2019)
	check("ParseRegister", err)
	_, err = ParseRegisterResponse(body)
	check("ParseRegisterResponse", err)
	_, err = ParseAuth(body, v2019)
	check("ParseAuth", err)
	var l Location
	check("ParseLocation", ParseLocation(body, &l))
	if len(l.Items.Unknown) > len(body)/2 {
		t.Fatalf("%d unknown items from %d bytes", len(l.Items.Unknown), len(body))
	}
	var b Batch
	err = ParseBatch(body, &b)
	check("ParseBatch", err)
	if len(b.Locations)*(2+locationFixedLen) > len(body) {
		t.Fatalf("%d locations from %d bytes", len(b.Locations), len(body))
	}
	if b.SkipErr != nil && !isSentinel(b.SkipErr) {
		t.Fatalf("Batch.SkipErr %v", b.SkipErr)
	}
	var r LocationReply
	check("ParseLocationReply", ParseLocationReply(body, &r))
	_, err = ParseText(body, v2019)
	check("ParseText", err)
}
