package jt808

import (
	"encoding/binary"
	"testing"
	stdtime "time"
)

// Batch uploads (0x0704) from REFERENCE §3: first and last location of each, and the count.
func TestParseBatchRealFrames(t *testing.T) {
	tests := []struct {
		frame       string
		typ         byte
		count       int
		first, last Location
	}{
		{"S2", BatchNormal, 2,
			Location{Alarm: 1, Status: 2, Lat: 12.222222, Lng: 132.444444, Altitude: 40, SpeedKmh: 6, Time: utc("2018-07-15 02:10:10"),
				Items: Items{Mileage: 10, HasMileage: true, Fuel: 5.5, HasFuel: true}},
			Location{Alarm: 2, Status: 1, Lat: 13.333333, Lng: 132.555555, Altitude: 41, SpeedKmh: 5.4, Course: 120, Time: utc("2018-07-15 02:10:30"),
				Items: Items{Mileage: 9.6, HasMileage: true, Fuel: 6.6, HasFuel: true}}},
		{"T15", BatchBlindZone, 1,
			Location{Alarm: 0x40100, Status: 0x80003, Lat: 33.697808, Lng: 116.954088, Altitude: 29, Course: 149, Time: utc("2026-08-17 14:18:12"),
				Items: Items{Mileage: 1402.5, HasMileage: true, HasRecorderSpeed: true, HasExtSignal: true, HasIO: true, Signal: 31, HasSignal: true, Satellites: 14, HasSatellites: true}},
			Location{}},
		{"T16", BatchNormal, 1,
			Location{Status: 7, Lat: -27.263378, Lng: 153.037383, Altitude: 22, Course: 2, Time: utc("2026-05-09 08:42:27"),
				Items: Items{Mileage: 960.2, HasMileage: true, HasSignal: true, Satellites: 14, HasSatellites: true}},
			Location{}},
		{"T17", BatchBlindZone, 8,
			Location{Status: 3, Lat: 22.639634, Lng: 114.031952, Altitude: 370, Course: 1, Time: utc("2016-05-27 01:06:24"),
				Items: Items{Mileage: 2.9, HasMileage: true, HasRecorderSpeed: true}},
			Location{Status: 3, Lat: 22.640550, Lng: 114.032432, Altitude: 264, Course: 1, Time: utc("2016-05-27 01:10:02"),
				Items: Items{Mileage: 2.9, HasMileage: true, HasRecorderSpeed: true}}},
		{"T18", BatchBlindZone, 4,
			Location{Status: 3, Lat: 23.169734, Lng: 113.450784, Course: 41, Time: utc("2018-05-14 12:28:47"),
				Items: Items{HasMileage: true}},
			Location{Alarm: AlarmPowerCut, Status: 0x803, Lat: 23.169768, Lng: 113.450680, Course: 159, Time: utc("2018-05-14 12:30:06"),
				Items: Items{HasMileage: true}}},
		{"T19", BatchBlindZone, 3,
			Location{Status: 0xb, Lat: 33.576916, Lng: -7.535516, Altitude: 100, SpeedKmh: 37, Course: 242, Time: utc("2020-09-02 07:23:03"),
				Items: Items{Mileage: 234.5, HasMileage: true, Signal: 31, HasSignal: true, Satellites: 12, HasSatellites: true}},
			Location{Status: 0xb, Lat: 33.576620, Lng: -7.536283, Altitude: 90, SpeedKmh: 21, Course: 236, Time: utc("2020-09-02 07:23:13"),
				Items: Items{Mileage: 234.6, HasMileage: true, Signal: 27, HasSignal: true, Satellites: 12, HasSatellites: true}}},
		{"S12", BatchBlindZone, 3,
			Location{Alarm: 0x400, Status: 0x800, Lat: 116.307629, Lng: 40.058359, Altitude: 312, SpeedKmh: 0.3, Course: 99, Time: utc("2020-07-07 11:23:59")},
			Location{Alarm: 0x400, Status: 0x800, Lat: 116.307629, Lng: 40.058359, Altitude: 312, SpeedKmh: 0.3, Course: 99, Time: utc("2020-07-07 11:23:59")}},
	}
	for _, tt := range tests {
		f := frame(t, tt.frame)
		t.Run(tt.frame, func(t *testing.T) {
			var b Batch
			if err := ParseBatch(decodeFixture(t, tt.frame).Body, &b); err != nil {
				t.Fatalf("%s: ParseBatch: %v", f.source, err)
			}
			if b.Type != tt.typ || len(b.Locations) != tt.count || b.Skipped != 0 {
				t.Fatalf("%s: type %d, %d locations, %d skipped; want type %d, %d, 0", f.source, b.Type, len(b.Locations), b.Skipped, tt.typ, tt.count)
			}
			if d := diffKnown(&b.Locations[0], &tt.first); d != "" {
				t.Errorf("%s: first location:\n%s", f.source, d)
			}
			if tt.count > 1 {
				if d := diffKnown(&b.Locations[tt.count-1], &tt.last); d != "" {
					t.Errorf("%s: last location:\n%s", f.source, d)
				}
			}
		})
	}
}

func TestBatchRoundTrip(t *testing.T) {
	in := Batch{Type: BatchBlindZone}
	for i := range 25 {
		in.Locations = append(in.Locations, Location{
			Status: StatusPositioned, Lat: float64(28_100_000+1000*i) / 1e6, Lng: 112.9, SpeedKmh: float64(i),
			Time:  utc("2026-02-03 04:05:00").Add(stdtime.Duration(i) * 10 * stdtime.Second),
			Items: Items{Mileage: 100 + float64(i)/10, HasMileage: true},
		})
	}
	body := AppendBatch(nil, &in)
	if len(body) > MaxBodyLen {
		t.Fatalf("body of %d bytes does not fit a packet", len(body))
	}
	var out Batch
	if err := ParseBatch(body, &out); err != nil {
		t.Fatal(err)
	}
	if out.Type != in.Type || len(out.Locations) != len(in.Locations) {
		t.Fatalf("type %d, %d locations; want %d, %d", out.Type, len(out.Locations), in.Type, len(in.Locations))
	}
	for i := range in.Locations {
		if d := diffLocation(&out.Locations[i], &in.Locations[i]); d != "" {
			t.Errorf("location %d:\n%s", i, d)
		}
	}
}

func TestParseBatchRejects(t *testing.T) {
	loc := AppendLocation(nil, &Location{Time: utc("2026-01-01 00:00:00")})
	item := func(body []byte) []byte {
		return append(binary.BigEndian.AppendUint16(nil, uint16(len(body))), body...)
	}
	batch := func(count uint16, items ...[]byte) []byte {
		b := binary.BigEndian.AppendUint16(nil, count)
		b = append(b, BatchBlindZone)
		for _, it := range items {
			b = append(b, it...)
		}
		return b
	}
	tests := []struct {
		name string
		body []byte
		want error
	}{
		{"empty", nil, ErrTooShort},
		{"count only", []byte{0, 1}, ErrTooShort},
		{"fewer items than the count", batch(3, item(loc), item(loc)), ErrTooShort},
		{"count 65535 on a tiny body", batch(65535, item(loc)), ErrTooShort},
		{"item length past the body", batch(1, item(loc)[:20]), ErrTooShort},
		{"half a length word", batch(2, item(loc), []byte{0}), ErrTooShort},
		{"bytes after the items", batch(1, item(loc), []byte{0xff}), ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Batch
			if err := ParseBatch(tt.body, &b); err != tt.want {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// A location that does not parse is skipped and counted; the rest of the batch is kept.
func TestParseBatchSkipsBadLocations(t *testing.T) {
	good := AppendLocation(nil, &Location{Time: utc("2026-01-01 00:00:00")})
	badTime := append([]byte(nil), good...)
	badTime[23] = 0x13 // month 13
	body := AppendBatch(nil, &Batch{})
	body = binary.BigEndian.AppendUint16(body[:0], 4)
	body = append(body, BatchNormal)
	for _, it := range [][]byte{good, badTime, good[:10], good} {
		body = binary.BigEndian.AppendUint16(body, uint16(len(it)))
		body = append(body, it...)
	}
	b := Batch{Locations: make([]Location, 0, 1)}
	if err := ParseBatch(body, &b); err != nil {
		t.Fatal(err)
	}
	if len(b.Locations) != 2 || b.Skipped != 2 || b.SkipErr != ErrTime {
		t.Errorf("got %d locations, %d skipped (first: %v); want 2, 2 (ErrTime)", len(b.Locations), b.Skipped, b.SkipErr)
	}
}
