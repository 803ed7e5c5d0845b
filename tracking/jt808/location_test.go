package jt808

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.DateTime, s)
	if err != nil {
		panic(err)
	}
	return t
}

// diffLocation lists the fields where got and want differ; Unknown items are compared by ID and
// value, Trailing by bytes.
func diffLocation(got, want *Location) string {
	var d []string
	add := func(name string, g, w any) {
		if fmt.Sprint(g) != fmt.Sprint(w) {
			d = append(d, fmt.Sprintf("%s: got %v, want %v", name, g, w))
		}
	}
	add("Alarm", fmt.Sprintf("%#x", got.Alarm), fmt.Sprintf("%#x", want.Alarm))
	add("Status", fmt.Sprintf("%#x", got.Status), fmt.Sprintf("%#x", want.Status))
	add("Lat", got.Lat, want.Lat)
	add("Lng", got.Lng, want.Lng)
	add("Altitude", got.Altitude, want.Altitude)
	add("SpeedKmh", got.SpeedKmh, want.SpeedKmh)
	add("Course", got.Course, want.Course)
	if !got.Time.Equal(want.Time) {
		add("Time", got.Time, want.Time)
	}
	g, w := got.Items, want.Items
	add("Mileage", [2]any{g.Mileage, g.HasMileage}, [2]any{w.Mileage, w.HasMileage})
	add("Fuel", [2]any{g.Fuel, g.HasFuel}, [2]any{w.Fuel, w.HasFuel})
	add("RecorderSpeed", [2]any{g.RecorderSpeed, g.HasRecorderSpeed}, [2]any{w.RecorderSpeed, w.HasRecorderSpeed})
	add("ExtSignal", [2]any{g.ExtSignal, g.HasExtSignal}, [2]any{w.ExtSignal, w.HasExtSignal})
	add("IO", [2]any{g.IO, g.HasIO}, [2]any{w.IO, w.HasIO})
	add("Signal", [2]any{g.Signal, g.HasSignal}, [2]any{w.Signal, w.HasSignal})
	add("Satellites", [2]any{g.Satellites, g.HasSatellites}, [2]any{w.Satellites, w.HasSatellites})
	add("Unknown", rawItems(g.Unknown), rawItems(w.Unknown))
	add("Trailing", fmt.Sprintf("%x", g.Trailing), fmt.Sprintf("%x", w.Trailing))
	return strings.Join(d, "\n")
}

func rawItems(items []RawItem) string {
	var s []string
	for _, it := range items {
		s = append(s, fmt.Sprintf("%02x:%x", it.ID, it.Value))
	}
	return strings.Join(s, " ")
}

func unknownIDs(items []RawItem) []byte {
	var ids []byte
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	return ids
}

// Location reports (0x0200) from REFERENCE §3: expected values are the tests' assertions or the
// hand decodes of §3.2, cross-checked by an independent script.
func TestParseLocationRealFrames(t *testing.T) {
	tests := []struct {
		frame   string
		want    Location
		unknown []byte // IDs of the items kept raw, in wire order
	}{
		{"T9", Location{Status: 0x3, Lat: 22.639284, Lng: 114.030264, Altitude: 547, Course: 1,
			Time:  utc("2016-06-13 09:57:13"),
			Items: Items{HasMileage: true, HasRecorderSpeed: true}}, []byte{0xeb}},
		{"T10", Location{Alarm: AlarmSOS, Status: 0xa, Lat: 50.871735, Lng: -1.255923, SpeedKmh: 2,
			Time:  utc("2013-04-12 08:49:52"),
			Items: Items{Mileage: 1.8, HasMileage: true}}, []byte{0x36}},
		{"T11", Location{Status: 0x40007, Lat: -6.152508, Lng: 106.720475, Altitude: 22,
			Time:  utc("2017-01-17 02:05:42"),
			Items: Items{Mileage: 4326.4, HasMileage: true, HasIO: true, Signal: 27, HasSignal: true, Satellites: 4, HasSatellites: true}}, nil},
		// One minute before T11: not positioned, and the south bit is not set either.
		{"T12", Location{Status: 0x40001, Lat: 6.152695, Lng: 106.720495,
			Time:  utc("2017-01-17 02:04:42"),
			Items: Items{Mileage: 4326.4, HasMileage: true, HasIO: true, Signal: 27, HasSignal: true, Satellites: 3, HasSatellites: true}}, nil},
		{"T13", Location{Status: 0x4c0003, Lat: 31.060692, Lng: 121.414285, Altitude: 43, SpeedKmh: 45,
			Time:  utc("2024-01-10 09:26:05"),
			Items: Items{Mileage: 57.2, HasMileage: true, HasExtSignal: true, Signal: 25, HasSignal: true, Satellites: 22, HasSatellites: true}},
			[]byte{0x14, 0x15, 0x16, 0x17, 0x18, 0x2b, 0xe1, 0xe2, 0xe3, 0xe6}},
		// Positioned at 0,0: a "valid" zero fix for the pipeline's filter, not for the codec.
		{"T14", Location{Status: 0xc0002, Altitude: 113, Course: 326,
			Time:  utc("2026-06-15 02:57:25"),
			Items: Items{Mileage: 10, HasMileage: true, Signal: 31, HasSignal: true, Satellites: 12, HasSatellites: true}},
			[]byte{0xe1, 0x2b}},
		{"S1", Location{Alarm: 1, Status: 2, Lat: 12.222222, Lng: 132.444444, Altitude: 40, SpeedKmh: 6,
			Time:  utc("2018-07-15 02:10:10"),
			Items: Items{Mileage: 10, HasMileage: true, Fuel: 5.5, HasFuel: true}}, nil},
		// Serial 0x007e and fuel 0x007d arrive escaped.
		{"S14", Location{Alarm: 1, Status: 2, Lat: 12.222222, Lng: 132.444444, Altitude: 40, SpeedKmh: 6,
			Time:  utc("2018-10-15 02:10:10"),
			Items: Items{Mileage: 10, HasMileage: true, Fuel: 12.5, HasFuel: true}}, nil},
		{"S9", Location{Alarm: AlarmOverspeedWarning, Status: 0x4c1003, Lat: 31.512562, Lng: 121.532076, Altitude: 100, SpeedKmh: 53.2, Course: 20,
			Time:  utc("2024-11-27 07:42:30"),
			Items: Items{Mileage: 20.4, HasMileage: true, Fuel: 46.8, HasFuel: true, HasExtSignal: true, Signal: 8, HasSignal: true, Satellites: 9, HasSatellites: true}},
			[]byte{0x14, 0x15, 0x16, 0x17, 0x18, 0x67}},
		// The frame whose 0x64 item crashed Traccar: every item is read by its declared length.
		{"I5331-location", Location{Status: 0xc0000, Time: utc("2024-06-10 08:55:43"),
			Items: Items{Signal: 22, HasSignal: true, HasSatellites: true}},
			[]byte{0x04, 0x05, 0x5d, 0x61, 0x62, 0x64, 0x65}},
		// Latitude carries an escaped 0x7e, and the simulator swapped lat and lng: lat 119.55 is
		// decoded as sent; judging it is the pipeline's job.
		{"Q-swapped", Location{Alarm: 0x400, Status: 0x800, Lat: 119.552894, Lng: 40.058359, Altitude: 312, SpeedKmh: 0.3, Course: 99,
			Time: utc("2020-07-07 11:23:59")}, nil},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			p := decodeFixture(t, tt.frame)
			var got Location
			if err := ParseLocation(p.Body, &got); err != nil {
				t.Fatalf("%s: ParseLocation: %v", f.source, err)
			}
			if d := diffKnown(&got, &tt.want); d != "" {
				t.Errorf("%s:\n%s", f.source, d)
			}
			if id := unknownIDs(got.Items.Unknown); !slices.Equal(id, tt.unknown) {
				t.Errorf("%s: unknown item IDs % x, want % x", f.source, id, tt.unknown)
			}
		})
	}
}

// diffKnown is diffLocation without the raw items.
func diffKnown(got, want *Location) string {
	g, w := *got, *want
	g.Items.Unknown, w.Items.Unknown = nil, nil
	return diffLocation(&g, &w)
}

func TestLocationStatusHelpers(t *testing.T) {
	var t9, t12, s9 Location
	for _, c := range []struct {
		name string
		l    *Location
	}{{"T9", &t9}, {"T12", &t12}, {"S9", &s9}} {
		if err := ParseLocation(decodeFixture(t, c.name).Body, c.l); err != nil {
			t.Fatal(err)
		}
	}
	checks := []struct {
		name      string
		got, want bool
	}{
		{"T9 ACC", t9.ACC(), true},
		{"T9 positioned", t9.Positioned(), true},
		{"T12 positioned", t12.Positioned(), false},
		{"S9 driving (2019 bit 22)", s9.Driving(), true},
		{"S9 doors locked", s9.DoorsLocked(), true},
		{"S9 overspeed warning", s9.HasAlarm(AlarmOverspeedWarning), true},
		{"S9 SOS", s9.HasAlarm(AlarmSOS), false},
		{"T9 fuel cut", t9.FuelCut(), false},
		{"door 3 open", (&Location{Status: StatusDoor1Open << 2}).DoorOpen(3), true},
		{"door 6 does not exist", (&Location{Status: ^uint32(0)}).DoorOpen(6), false},
		{"circuit cut", (&Location{Status: StatusCircuitCut}).CircuitCut(), true},
		{"out of service", (&Location{Status: StatusOutOfService}).OutOfService(), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if l := (&Location{Status: 3 << 8}); l.Load() != 3 {
		t.Errorf("Load() = %d, want 3 (full)", l.Load())
	}
}

func TestLocationRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		l    Location
	}{
		{"every item, south-west, below sea level", Location{
			Alarm: AlarmSOS | AlarmPowerCut, Status: StatusACC | StatusPositioned | StatusSouth | StatusWest | StatusGPS | StatusBeiDou,
			Lat: -33.868820, Lng: -70.123456, Altitude: -154, SpeedKmh: 87.3, Course: 359,
			Time: utc("2026-03-01 23:59:59"),
			Items: Items{
				Mileage: 123456.7, HasMileage: true, Fuel: 42.5, HasFuel: true, RecorderSpeed: 86.9, HasRecorderSpeed: true,
				ExtSignal: 0x7e7d, HasExtSignal: true, IO: 3, HasIO: true, Signal: 31, HasSignal: true, Satellites: 17, HasSatellites: true,
				Unknown: []RawItem{{ID: 0xe1, Value: []byte{0x00, 0x72}}, {ID: 0x04, Value: []byte{}}},
			}}},
		{"county seat, no items", Location{Status: StatusPositioned, Lat: 28.228209, Lng: 112.938814, Altitude: 45,
			Time: utc("2026-01-01 00:00:00")}},
		{"zero time, zero fix, -0 latitude keeps the south bit", Location{Lat: negZero(), Status: StatusSouth}},
		{"malformed tail kept", Location{Time: utc("2025-05-05 05:05:05"),
			Items: Items{Satellites: 5, HasSatellites: true, Trailing: []byte{0x30, 0x05, 0x01}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := AppendLocation(nil, &tt.l)
			var got Location
			if err := ParseLocation(body, &got); err != nil {
				t.Fatalf("ParseLocation(%x): %v", body, err)
			}
			if d := diffLocation(&got, &tt.l); d != "" {
				t.Errorf("body %x\n%s", body, d)
			}
		})
	}
}

func negZero() float64 {
	z := 0.0
	return -z
}

func TestAppendLocationClamps(t *testing.T) {
	l := Location{Lat: 1e12, Lng: -1e12, Altitude: 100000, SpeedKmh: -5,
		Items: Items{Mileage: 1e20, HasMileage: true, Fuel: -1, HasFuel: true}}
	var got Location
	if err := ParseLocation(AppendLocation(nil, &l), &got); err != nil {
		t.Fatal(err)
	}
	want := Location{Status: StatusWest, Lat: 4294.967295, Lng: -4294.967295, Altitude: 32767,
		Items: Items{Mileage: 429496729.5, HasMileage: true, HasFuel: true}}
	if d := diffLocation(&got, &want); d != "" {
		t.Error(d)
	}
}

func TestParseLocationItems(t *testing.T) {
	fixed := AppendLocation(nil, &Location{Time: utc("2026-01-01 00:00:00")})
	tests := []struct {
		name     string
		items    string
		want     Items
		unknown  string
		trailing string
	}{
		{"known ID with unexpected length is kept raw", "01 02 0001  31 01 09", Items{Satellites: 9, HasSatellites: true}, "01:0001", ""},
		{"zero-length item", "e0 00", Items{}, "e0:", ""},
		{"item running past the body", "30 01 1b  31 05 0102", Items{Signal: 27, HasSignal: true}, "", "31050102"},
		{"lone ID byte", "30 01 1b  31", Items{Signal: 27, HasSignal: true}, "", "31"},
		{"repeated item: the last wins", "31 01 04  31 01 07", Items{Satellites: 7, HasSatellites: true}, "", ""},
		{"255-byte vendor item", "e6 ff " + strings.Repeat("ab", 255), Items{}, "e6:" + strings.Repeat("ab", 255), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := append(append([]byte(nil), fixed...), mustHex(t, tt.items)...)
			var got Location
			if err := ParseLocation(body, &got); err != nil {
				t.Fatalf("ParseLocation: %v", err)
			}
			tt.want.Trailing = mustHex(t, tt.trailing)
			if len(tt.want.Trailing) == 0 {
				tt.want.Trailing = nil
			}
			g := got.Items
			if u := rawItems(g.Unknown); u != tt.unknown {
				t.Errorf("unknown = %q, want %q", u, tt.unknown)
			}
			g.Unknown = nil
			if d := diffLocation(&Location{Items: g}, &Location{Items: tt.want}); d != "" {
				t.Error(d)
			}
		})
	}
}

// Parsing into a reused Location clears what the previous frame left.
func TestParseLocationReuse(t *testing.T) {
	var l Location
	if err := ParseLocation(decodeFixture(t, "T13").Body, &l); err != nil {
		t.Fatal(err)
	}
	if err := ParseLocation(decodeFixture(t, "S1").Body, &l); err != nil {
		t.Fatal(err)
	}
	if l.Items.HasSignal || l.Items.HasSatellites || len(l.Items.Unknown) != 0 || l.Items.Fuel != 5.5 {
		t.Errorf("stale items after reuse: %+v", l.Items)
	}
}

func TestParseLocationRejects(t *testing.T) {
	good := AppendLocation(nil, &Location{Time: utc("2026-01-01 00:00:00")})
	withTime := func(bcd string) []byte {
		b := append([]byte(nil), good...)
		copy(b[22:], mustHex(t, bcd))
		return b
	}
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"empty", nil, ErrTooShort},
		{"27 bytes", good[:27], ErrTooShort},
		{"BCD digit above 9", withTime("26 01 1a 08 00 00"), ErrBCD},
		{"BCD nibble 0xf", withTime("f6 01 01 08 00 00"), ErrBCD},
		{"month 13", withTime("26 13 01 08 00 00"), ErrTime},
		{"month 0", withTime("26 00 01 08 00 00"), ErrTime},
		{"30 February", withTime("26 02 30 08 00 00"), ErrTime},
		{"29 February 2026", withTime("26 02 29 08 00 00"), ErrTime},
		{"hour 24", withTime("26 01 01 24 00 00"), ErrTime},
		{"minute 60", withTime("26 01 01 08 60 00"), ErrTime},
		{"second 60", withTime("26 01 01 08 00 60"), ErrTime},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Location
			if err := ParseLocation(tt.body, &l); err != tt.want {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestBCDTime(t *testing.T) {
	tests := []struct {
		bcd  string
		want time.Time
	}{
		{"000000000000", time.Time{}},
		{"240229000000", utc("2024-02-28 16:00:00")}, // leap day, UTC+8 midnight
		{"000101075959", utc("1999-12-31 23:59:59")},
		{"991231235959", utc("2099-12-31 15:59:59")},
	}
	for _, tt := range tests {
		got, err := parseBCDTime(mustHex(t, tt.bcd))
		if err != nil || !got.Equal(tt.want) || got.Location() != time.UTC {
			t.Errorf("parseBCDTime(%s) = %v, %v; want %v UTC", tt.bcd, got, err, tt.want)
		}
		if back := fmt.Sprintf("%x", appendBCDTime(nil, got)); back != tt.bcd {
			t.Errorf("appendBCDTime(%v) = %s, want %s", got, back, tt.bcd)
		}
	}
	// A time in any zone is written as UTC+8.
	cst := time.FixedZone("CST", 8*3600)
	if got := fmt.Sprintf("%x", appendBCDTime(nil, time.Date(2026, 5, 1, 8, 30, 0, 0, cst))); got != "260501083000" {
		t.Errorf("appendBCDTime(08:30 CST) = %s, want 260501083000", got)
	}
}

func TestParseLocationAllocs(t *testing.T) {
	wire := frame(t, "S1").wire
	dst := make([]byte, 0, MaxFrameLen)
	var l Location
	allocs := testing.AllocsPerRun(1000, func() {
		p, err := DecodeFrame(dst, wire)
		if err != nil {
			t.Fatal(err)
		}
		if err := ParseLocation(p.Body, &l); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("DecodeFrame + ParseLocation: %v allocs per frame, want 0", allocs)
	}
	// With vendor items, the reused Unknown slice stops allocating after the first frame.
	wire = frame(t, "T13").wire
	allocs = testing.AllocsPerRun(1000, func() {
		p, _ := DecodeFrame(dst, wire)
		_ = ParseLocation(p.Body, &l)
	})
	if allocs != 0 {
		t.Errorf("with unknown items, reused: %v allocs per frame, want 0", allocs)
	}
}
