package jt808

import (
	"bytes"
	"testing"
)

// General responses (0x8001 from platforms, 0x0001 from a terminal) from REFERENCE §3, parsed and
// rebuilt from their values byte for byte.
func TestGeneralResponseRealFrames(t *testing.T) {
	tests := []struct {
		frame string
		want  GeneralResponse
	}{
		{"S6", GeneralResponse{Serial: 100, MsgID: MsgLocation, Result: ResultOK}},
		{"I5331-reply", GeneralResponse{Serial: 0x26, MsgID: MsgHeartbeat, Result: ResultOK}},
		{"P5985-reply", GeneralResponse{Serial: 6, MsgID: MsgHeartbeat, Result: ResultOK}},
		{"P5985-auth-reply", GeneralResponse{Serial: 11, MsgID: MsgAuth, Result: ResultOK}},
		{"R-T8", GeneralResponse{Serial: 183, MsgID: MsgHeartbeat, Result: ResultOK}},
		{"R-T9", GeneralResponse{Serial: 182, MsgID: MsgLocation, Result: ResultOK}},
		{"R-T16", GeneralResponse{Serial: 34845, MsgID: MsgBatch, Result: ResultOK}},
		{"P5997-ack", GeneralResponse{Serial: 0, MsgID: 0x8105, Result: ResultOK}}, // terminal 0x0001
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			got, err := ParseGeneralResponse(p.Body)
			if err != nil || got != tt.want {
				t.Fatalf("%s: got %+v, %v; want %+v", f.source, got, err, tt.want)
			}
			wire, err := AppendFrame(nil, p.Header, AppendGeneralResponse(nil, tt.want))
			if err != nil || !bytes.Equal(wire, f.wire) {
				t.Errorf("%s: rebuilt\ngot  %x, %v\nwant %x", f.source, wire, err, f.wire)
			}
		})
	}
}

// The reply a gateway sends to Traccar's T9 location, built from the request alone.
func TestReplyToLocation(t *testing.T) {
	req := decodeFixture(t, "T9")
	reply := Header{MsgID: MsgPlatformResponse, Phone: req.Phone, Version2019: req.Version2019}
	wire, err := AppendFrame(nil, reply, AppendGeneralResponse(nil, GeneralResponse{Serial: req.Serial, MsgID: req.MsgID}))
	if want := frame(t, "R-T9"); err != nil || !bytes.Equal(wire, want.wire) {
		t.Errorf("got %x, %v; want %x (%s)", wire, err, want.wire, want.source)
	}
}

func TestGeneralResponseRoundTrip(t *testing.T) {
	for _, r := range []GeneralResponse{
		{Serial: 0xffff, MsgID: MsgLocation, Result: ResultAlarmAck},
		{Serial: 0x7e7d, MsgID: MsgText, Result: ResultUnsupported},
	} {
		got, err := ParseGeneralResponse(AppendGeneralResponse(nil, r))
		if err != nil || got != r {
			t.Errorf("got %+v, %v; want %+v", got, err, r)
		}
	}
	if _, err := ParseGeneralResponse([]byte{0, 1, 2, 0}); err != ErrTooShort {
		t.Errorf("4-byte body: err = %v, want ErrTooShort", err)
	}
}

// Messages without a body: heartbeat, logout, location query.
func TestEmptyBodies(t *testing.T) {
	for _, name := range []string{"T8", "S11", "P5985-heartbeat", "P5985-query", "P5997-query"} {
		if p := decodeFixture(t, name); len(p.Body) != 0 {
			t.Errorf("%s: body of %d bytes, want 0", name, len(p.Body))
		}
	}
	// A vendor heartbeat with a 17-byte body (traccar/traccar#5331) decodes; the body is the
	// caller's to ignore.
	if p := decodeFixture(t, "I5331-heartbeat"); len(p.Body) != 17 {
		t.Errorf("vendor heartbeat body is %d bytes, want 17", len(p.Body))
	}
	for _, id := range []uint16{MsgHeartbeat, MsgLogout, MsgLocationQuery} {
		h := Header{MsgID: id, Phone: mustPhone(t, "13800138000"), Serial: 7}
		wire, err := AppendFrame(nil, h, nil)
		if err != nil {
			t.Fatal(err)
		}
		p, err := DecodeFrame(nil, wire)
		if err != nil || p.MsgID != id || p.Serial != 7 || len(p.Body) != 0 {
			t.Errorf("%#04x: got %+v, %v", id, p.Header, err)
		}
	}
}
