package jt808

import (
	"testing"
	"time"
)

// A 0x0201 answer from traccar/traccar#5997 whose receiver suffers the GPS week rollover: it
// reports 2007-01-13 on 2026-08-29, 1024 weeks late.
func TestParseLocationReplyRollover(t *testing.T) {
	f := frame(t, "P5997-reply")
	var r LocationReply
	if err := ParseLocationReply(decodeFixture(t, "P5997-reply").Body, &r); err != nil {
		t.Fatalf("%s: %v", f.source, err)
	}
	want := Location{Status: StatusPositioned, Lat: 16.7812, Lng: 96.195632, Time: utc("2007-01-13 02:20:41"),
		Items: Items{HasMileage: true}}
	if d := diffKnown(&r.Location, &want); d != "" || r.Serial != 0 {
		t.Fatalf("%s: serial %d\n%s", f.source, r.Serial, d)
	}
	captured := utc("2026-08-29 12:00:00")
	if !r.Location.FixWeekRollover(captured) {
		t.Fatalf("FixWeekRollover did not apply")
	}
	if want := utc("2026-08-29 02:20:41"); !r.Location.Time.Equal(want) {
		t.Errorf("fixed time %v, want %v", r.Location.Time, want)
	}
}

func TestLocationReplyRoundTrip(t *testing.T) {
	in := LocationReply{Serial: 0x7e01, Location: Location{Status: StatusPositioned | StatusACC, Lat: 28.228209, Lng: 112.938814,
		SpeedKmh: 42.1, Course: 90, Time: utc("2026-04-05 06:07:08"), Items: Items{Satellites: 11, HasSatellites: true}}}
	var out LocationReply
	if err := ParseLocationReply(AppendLocationReply(nil, &in), &out); err != nil {
		t.Fatal(err)
	}
	if d := diffLocation(&out.Location, &in.Location); d != "" || out.Serial != in.Serial {
		t.Errorf("serial %#x\n%s", out.Serial, d)
	}
	for _, n := range []int{0, 1, 29} {
		if err := ParseLocationReply(make([]byte, n), &out); err != ErrTooShort {
			t.Errorf("%d-byte body: err = %v, want ErrTooShort", n, err)
		}
	}
}

func TestFixWeekRollover(t *testing.T) {
	now := utc("2026-08-29 12:00:00")
	tests := []struct {
		name    string
		t, now  time.Time
		want    time.Time
		applied bool
	}{
		{"one rollover", utc("2007-01-13 02:20:41"), now, utc("2026-08-29 02:20:41"), true},
		{"one rollover, a day-old blind-zone point", utc("2007-01-12 02:20:41"), now, utc("2026-08-28 02:20:41"), true},
		{"device clock a little ahead", utc("2007-01-13 13:00:00"), now, utc("2026-08-29 13:00:00"), true},
		{"current time untouched", utc("2026-08-29 11:59:00"), now, utc("2026-08-29 11:59:00"), false},
		{"a real 2013 frame replayed today is not 1024 weeks old", utc("2013-04-12 08:49:52"), now, utc("2013-04-12 08:49:52"), false},
		{"shifted, still older than a year", utc("2005-01-01 00:00:00"), now, utc("2005-01-01 00:00:00"), false},
		{"shifted, in the future", utc("2007-02-13 00:00:00"), now, utc("2007-02-13 00:00:00"), false},
		{"two rollovers", utc("2007-01-13 02:20:41"), utc("2046-04-15 12:00:00"), utc("2007-01-13 02:20:41").Add(2 * GPSWeekRollover), true},
		{"zero time", time.Time{}, now, time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := FixWeekRollover(tt.t, tt.now)
			if !got.Equal(tt.want) || ok != tt.applied {
				t.Errorf("got %v, %v; want %v, %v", got, ok, tt.want, tt.applied)
			}
		})
	}
}

func TestAlarmsClearedByAck(t *testing.T) {
	bits := func(ns ...int) uint32 {
		var m uint32
		for _, n := range ns {
			m |= 1 << n
		}
		return m
	}
	if got, want := AlarmsClearedByAck(false), bits(0, 3, 20, 21, 22, 27, 28, 31); got != want {
		t.Errorf("2013: got %032b, want %032b", got, want)
	}
	if got, want := AlarmsClearedByAck(true), bits(0, 20, 21, 22, 27, 28); got != want {
		t.Errorf("2019: got %032b, want %032b", got, want)
	}
}
