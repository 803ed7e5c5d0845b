package jt808

import (
	"bytes"
	"testing"
	"time"
)

// packets splits body into n subpackets of a message with serials first, first+1, ...
func packets(t *testing.T, msgID uint16, first uint16, body []byte, n int) []Packet {
	t.Helper()
	var ps []Packet
	size := (len(body) + n - 1) / n
	for i := range n {
		part := body[min(i*size, len(body)):min((i+1)*size, len(body))]
		h := Header{MsgID: msgID, Phone: mustPhone(t, "013578888888"), Serial: first + uint16(i),
			Subpackaged: true, PkgTotal: uint16(n), PkgIndex: uint16(i + 1)}
		wire, err := AppendFrame(nil, h, part)
		if err != nil {
			t.Fatal(err)
		}
		p, err := DecodeFrame(nil, wire)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestReassemble(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 250)
	now := utc("2026-01-01 08:00:00")
	tests := []struct {
		name  string
		first uint16
		order []int
	}{
		{"in order", 10, []int{0, 1, 2}},
		{"out of order", 10, []int{2, 0, 1}},
		{"serials wrap", 65535, []int{0, 1, 2}},
		{"repeated packet ignored", 10, []int{0, 0, 1, 1, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Reassembler
			ps := packets(t, MsgBatch, tt.first, body, 3)
			for i, k := range tt.order {
				got, complete, err := r.Add(ps[k], now)
				if err != nil {
					t.Fatalf("packet %d: %v", k+1, err)
				}
				last := i == len(tt.order)-1
				if complete != last {
					t.Fatalf("after packet %d: complete %v, want %v", k+1, complete, last)
				}
				if last && !bytes.Equal(got, body) {
					t.Errorf("reassembled %d bytes, want the %d sent", len(got), len(body))
				}
			}
			if m, b := r.Pending(); m != 0 || b != 0 {
				t.Errorf("pending %d messages, %d bytes after completion; want 0, 0", m, b)
			}
		})
	}
}

func TestReassembleInterleaved(t *testing.T) {
	var r Reassembler
	now := utc("2026-01-01 08:00:00")
	a := packets(t, MsgBatch, 100, bytes.Repeat([]byte{'a'}, 30), 2)
	b := packets(t, MsgBatch, 102, bytes.Repeat([]byte{'b'}, 30), 2)
	for _, p := range []Packet{a[0], b[0], b[1]} {
		got, complete, err := r.Add(p, now)
		if err != nil {
			t.Fatal(err)
		}
		if complete && !bytes.Equal(got, bytes.Repeat([]byte{'b'}, 30)) {
			t.Errorf("completed %q, want message b", got)
		}
	}
	got, complete, err := r.Add(a[1], now)
	if err != nil || !complete || !bytes.Equal(got, bytes.Repeat([]byte{'a'}, 30)) {
		t.Errorf("message a: %q, %v, %v", got, complete, err)
	}
}

func TestReassemblePassThrough(t *testing.T) {
	var r Reassembler
	p := decodeFixture(t, "T9")
	got, complete, err := r.Add(p, time.Time{})
	if err != nil || !complete || &got[0] != &p.Body[0] {
		t.Errorf("unsplit packet: complete %v, err %v, aliased %v", complete, err, len(got) > 0 && &got[0] == &p.Body[0])
	}
	one := packets(t, MsgBatch, 1, []byte("x"), 1)[0]
	if got, complete, err := r.Add(one, time.Time{}); err != nil || !complete || string(got) != "x" {
		t.Errorf("packet 1 of 1: %q, %v, %v", got, complete, err)
	}
}

func TestReassembleRejects(t *testing.T) {
	now := utc("2026-01-01 08:00:00")
	bad := func(total, index uint16) Packet {
		return Packet{Header: Header{MsgID: MsgBatch, Subpackaged: true, PkgTotal: total, PkgIndex: index}}
	}
	for _, p := range []Packet{bad(3, 0), bad(3, 4), bad(0, 0), bad(0, 1)} {
		var r Reassembler
		if _, _, err := r.Add(p, now); err != ErrSubpacket {
			t.Errorf("total %d index %d: err = %v, want ErrSubpacket", p.PkgTotal, p.PkgIndex, err)
		}
	}

	t.Run("too many messages", func(t *testing.T) {
		r := Reassembler{MaxPending: 2}
		for i := range 3 {
			_, _, err := r.Add(packets(t, MsgBatch, uint16(10*i), []byte("abcd"), 2)[0], now)
			if want := error(nil); i == 2 {
				want = ErrReassemblyFull
				if err != want {
					t.Errorf("message %d: err = %v, want %v", i+1, err, want)
				}
			} else if err != nil {
				t.Errorf("message %d: %v", i+1, err)
			}
		}
	})
	t.Run("too many bytes", func(t *testing.T) {
		r := Reassembler{MaxBytes: 1000}
		ps := packets(t, MsgBatch, 0, make([]byte, 2000), 4)
		if _, _, err := r.Add(ps[0], now); err != nil {
			t.Fatal(err)
		}
		if _, _, err := r.Add(ps[1], now); err != ErrReassemblyFull {
			t.Errorf("err = %v, want ErrReassemblyFull", err)
		}
		if _, b := r.Pending(); b > 1000 {
			t.Errorf("holding %d bytes, over the 1000 allowed", b)
		}
	})
	t.Run("a flood of empty packets is bounded too", func(t *testing.T) {
		r := Reassembler{MaxBytes: 16384}
		var err error
		for i := uint16(1); i < 1000 && err == nil; i++ {
			_, _, err = r.Add(Packet{Header: Header{MsgID: MsgBatch, Subpackaged: true, PkgTotal: 65535, PkgIndex: i, Serial: i - 1}}, now)
		}
		if _, b := r.Pending(); err != ErrReassemblyFull || b > 16384 {
			t.Errorf("err = %v holding %d bytes; want ErrReassemblyFull within 16384", err, b)
		}
	})
}

func TestReassembleExpire(t *testing.T) {
	now := utc("2026-01-01 08:00:00")
	r := Reassembler{Timeout: 30 * time.Second}
	ps := packets(t, MsgBatch, 5, []byte("abcdef"), 3)
	if _, _, err := r.Add(ps[0], now); err != nil {
		t.Fatal(err)
	}
	if n := r.Expire(now.Add(29 * time.Second)); n != 0 {
		t.Errorf("expired %d before the time-out", n)
	}
	if n := r.Expire(now.Add(30 * time.Second)); n != 1 {
		t.Errorf("expired %d at the time-out, want 1", n)
	}
	if m, b := r.Pending(); m != 0 || b != 0 {
		t.Errorf("pending %d, %d bytes after expiry", m, b)
	}
	// Late packets of the expired message start a new one that cannot complete.
	later := now.Add(time.Minute)
	for _, p := range ps[1:] {
		if _, complete, err := r.Add(p, later); err != nil || complete {
			t.Errorf("late packet %d: complete %v, err %v", p.PkgIndex, complete, err)
		}
	}
	// Add expires by itself.
	r.Add(packets(t, MsgLocation, 900, []byte("zz"), 2)[0], later.Add(time.Hour))
	if m, _ := r.Pending(); m != 1 {
		t.Errorf("pending %d after Add at a later time, want 1", m)
	}
}

// A subpackaged 0x0704 goes through the whole receive path: split, decode, reassemble, parse.
func TestReassembleBatchEndToEnd(t *testing.T) {
	in := Batch{Type: BatchBlindZone}
	for i := range 40 {
		in.Locations = append(in.Locations, Location{Status: StatusPositioned, Lat: float64(28_000_000+i) / 1e6, Lng: 112.9,
			Time: utc("2026-02-03 04:05:00").Add(time.Duration(i) * time.Minute)})
	}
	body := AppendBatch(nil, &in)
	var stream []byte
	for _, p := range packets(t, MsgBatch, 300, body, 3) {
		var err error
		if stream, err = AppendFrame(stream, p.Header, p.Body); err != nil {
			t.Fatal(err)
		}
	}
	var r Reassembler
	var out Batch
	done := 0
	for _, tok := range splitAll(t, stream) {
		p, err := DecodeFrame(nil, mustHex(t, tok))
		if err != nil {
			t.Fatal(err)
		}
		whole, complete, err := r.Add(p, utc("2026-02-03 05:00:00"))
		if err != nil {
			t.Fatal(err)
		}
		if complete {
			done++
			if err := ParseBatch(whole, &out); err != nil {
				t.Fatal(err)
			}
		}
	}
	if done != 1 || len(out.Locations) != 40 || out.Locations[39].Lat != 28.000039 {
		t.Errorf("completed %d messages, %d locations", done, len(out.Locations))
	}
}
