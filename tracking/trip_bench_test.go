package tracking

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// benchTrack is a month of one vehicle at a 10 s interval: drives with turns, speed changes,
// stops at lights and parking, GPS noise.
func benchTrack(n int) []TrackPoint {
	rng := rand.New(rand.NewPCG(1, 1))
	pts := make([]TrackPoint, n)
	lat, lng, heading, speed := 27.8, 114.4, 0.0, 40.0
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	stopFor := 0
	for i := range pts {
		switch {
		case stopFor > 0:
			stopFor--
			speed = 0
		case rng.IntN(300) == 0:
			stopFor = 3 + rng.IntN(200)
		default:
			speed = math.Max(10, math.Min(90, speed+rng.NormFloat64()*3))
			if rng.IntN(30) == 0 {
				heading += rng.NormFloat64() * math.Pi / 2
			} else {
				heading += rng.NormFloat64() * 0.02
			}
		}
		step := speed / 3.6 * 10
		lat += (step*math.Cos(heading) + rng.NormFloat64()*3) / 111195
		lng += (step*math.Sin(heading) + rng.NormFloat64()*3) / (111195 * math.Cos(lat*math.Pi/180))
		pts[i] = TrackPoint{Lat: lat, Lng: lng, SpeedKmh: speed, FixedAt: at, ACC: speed > 0}
		at = at.Add(10 * time.Second)
	}
	return pts
}

// BenchmarkSimplify simplifies 250,000 points (a month at 10 s) at 10 m; ns/op is per track.
func BenchmarkSimplify(b *testing.B) {
	src := benchTrack(250000)
	work := make([]TrackPoint, len(src))
	kept := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		copy(work, src) // Simplify works in place
		b.StartTimer()
		kept = len(Simplify(work, 10))
	}
	b.ReportMetric(float64(kept), "kept")
}

// BenchmarkTripBuilder feeds points to a trip builder one by one; ns/op is per point.
func BenchmarkTripBuilder(b *testing.B) {
	track := benchTrack(100000)
	pts := make([]Point, len(track))
	for i, t := range track {
		pts[i] = Point{VehicleID: 1, FixedAt: t.FixedAt, Lat: t.Lat, Lng: t.Lng, SpeedKmh: t.SpeedKmh, MileageKm: float64(i) / 10, HasMileage: true}
	}
	cfg := TripOptions{}.withDefaults()
	tb := newTripBuilder(cfg, 1)
	span := pts[len(pts)-1].FixedAt.Sub(pts[0].FixedAt) + time.Minute
	trips := 0
	b.ReportAllocs()
	i, lap := 0, time.Duration(0)
	for b.Loop() {
		p := pts[i]
		p.FixedAt = p.FixedAt.Add(lap) // laps of the same month, later each time
		tb.add(&p)
		t, _ := tb.drain()
		trips += len(t)
		if i++; i == len(pts) {
			i, lap = 0, lap+span
		}
	}
	b.ReportMetric(float64(trips)/float64(b.N)*1e5, "trips/100k_points")
}
