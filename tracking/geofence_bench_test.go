package tracking

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"fleet/store/storetest"
)

// BenchmarkFenceDetector is detectFences for one point of one of 10,000 vehicles standing
// still among 500 fences and a county boundary, in the daytime: the work every point pays when
// it crosses nothing (no event is written).
//
//	go test ./tracking/ -run '^$' -bench FenceDetector -benchmem
func BenchmarkFenceDetector(b *testing.B) {
	s, rng := benchFenceService(b, 3, 4)

	const vehicles = 10_000
	ctx := context.Background()
	noon := time.Date(2026, 11, 27, 4, 0, 0, 0, time.UTC)
	pts := make([]Point, vehicles)
	sts := make([]*vstate, vehicles)
	for i := range pts {
		lat, lng := fenceOffset(fenceLat, fenceLng, (rng.Float64()*2-1)*30_000, (rng.Float64()*2-1)*30_000)
		pts[i] = Point{VehicleID: int64(i + 1), Lat: lat, Lng: lng, FixedAt: noon, Positioned: true}
		sts[i] = s.states.get(int64(i + 1))
		detectFences(ctx, s, sts[i], &pts[i]) // the first point learns its fences quietly
		sts[i].last = pts[i]
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := i % vehicles
		p, st := &pts[k], sts[k]
		p.FixedAt = p.FixedAt.Add(time.Second)
		st.mu.Lock()
		detectFences(ctx, s, st, p)
		st.last = *p
		st.mu.Unlock()
	}
}

// benchFenceService is a service on a fresh SQLite database whose index holds 500 random fences
// and a county boundary around the demo county, with the random source that made them.
func benchFenceService(b *testing.B, seed1, seed2 uint64) (*Service, *rand.Rand) {
	b.Helper()
	s, err := NewService(storetest.SQLite(b), nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(s.Close)
	rng := rand.New(rand.NewPCG(seed1, seed2))
	fences := randomFences(b, rng, 500, 30_000)
	county := GeofenceInput{Name: "county", Kind: FenceCountyBoundary, Shape: ShapePolygon, Polygon: starPolygon(rng, fenceLat, fenceLng, 40_000, 20)}
	if err := county.validate(); err != nil {
		b.Fatal(err)
	}
	cf, err := buildFence(int64(len(fences)+1), county, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.fenceState().idx.Store(newFenceIndex(append(fences, cf)))
	return s, rng
}
