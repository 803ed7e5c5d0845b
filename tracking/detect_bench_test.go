package tracking

import (
	"context"
	"testing"
	"time"
)

// BenchmarkDetectors is every detector (fences, alarms, overspeed, misuse, trips) for one live
// point of one of 10,000 moving vehicles among 500 fences and a county boundary: the CPU the
// detectors add to each point. Compare with BenchmarkIngest's time per point.
//
//	go test ./tracking/ -run '^$' -bench Detectors -benchmem
func BenchmarkDetectors(b *testing.B) {
	s, rng := benchFenceService(b, 5, 6)

	const vehicles = 10_000
	ctx := context.Background()
	// A weekday at 10:00 in the county, moving at 40 km/h with a task-free 4-minute history, so
	// that the misuse rules evaluate without raising (no database write on the measured path).
	start := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	pts := make([]Point, vehicles)
	for i := range pts {
		lat, lng := fenceOffset(fenceLat, fenceLng, (rng.Float64()*2-1)*25_000, (rng.Float64()*2-1)*25_000)
		pts[i] = Point{VehicleID: int64(i + 1), Lat: lat, Lng: lng, FixedAt: start, SpeedKmh: 40, ACC: true, Positioned: true}
		s.detect(ctx, &pts[i])
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := &pts[i%vehicles]
		p.FixedAt = p.FixedAt.Add(time.Second)
		p.Lat += 1e-5 // about 1 m a second north
		s.detect(ctx, p)
	}
}
