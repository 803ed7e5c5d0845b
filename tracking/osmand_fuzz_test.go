package tracking_test

import (
	"math"
	"testing"

	"fleet/tracking"
)

// FuzzOsmAnd feeds arbitrary parameter values to the OsmAnd parser: it never panics, and a batch
// it accepts holds exactly one point with finite coordinates and a fix time.
func FuzzOsmAnd(f *testing.F) {
	// Queries as Traccar Client (Android, iOS) and the OsmAnd app send them: timestamp in seconds,
	// milliseconds or ISO 8601; speed in knots.
	for _, q := range [][9]string{
		// id, lat, lon, timestamp, speed, bearing, altitude, accuracy, token
		{"13800000001", "27.8014", "114.4023", "1764288000", "12.4", "87.0", "52.0", "12.0", "tok"},
		{"13800000001", "27.8014", "114.4023", "1764288000000", "0.0", "0.0", "0.0", "3.9", "tok"},
		{"862105040000001", "27.80140", "114.40230", "2026-11-28T08:00:00Z", "", "", "", "", "tok"},
		{"862105040000001", "27.8", "114.4", "2026-11-28 08:00:00", "3", "359.9", "-12", "100", ""},
		{"a", "-90", "-180", "0", "-1", "-720", "1e308", "NaN", "x"},
		{"", "NaN", "Inf", "-62135596800", "1e309", "0x1p-2", "1_0", "", ""},
		{"dev", "0x1p6", "+27.8", "0001-01-01T00:00:00Z", "", "", "", "", ""},
	} {
		f.Add(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7], q[8])
	}
	f.Fuzz(func(t *testing.T, id, lat, lon, ts, speed, bearing, alt, acc, token string) {
		params := map[string]string{"id": id, "lat": lat, "lon": lon, "timestamp": ts, "speed": speed,
			"bearing": bearing, "altitude": alt, "accuracy": acc, "token": token}
		b, err := tracking.OsmAnd(func(k string) string { return params[k] })
		if err != nil {
			return
		}
		if len(b.Positions) != 1 {
			t.Fatalf("accepted batch has %d positions, want 1", len(b.Positions))
		}
		p := b.Positions[0]
		if p.Lat == nil || p.Lng == nil || !finite(*p.Lat) || !finite(*p.Lng) {
			t.Fatalf("accepted lat/lon %v/%v from %q/%q, want finite numbers", p.Lat, p.Lng, lat, lon)
		}
		if p.FixedAt.IsZero() {
			t.Fatalf("accepted timestamp %q as the zero time", ts)
		}
		if b.Device != id || b.Token != token || id == "" {
			t.Fatalf("device/token = %q/%q, want %q/%q", b.Device, b.Token, id, token)
		}
	})
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
