package tracking_test

import (
	"context"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// leaveAllowed is dispatch with every vehicle on a task that allows leaving the county.
type leaveAllowed struct{}

func (leaveAllowed) ActiveTask(context.Context, int64, time.Time) (tracking.Task, bool) {
	return tracking.Task{ID: 1, OutOfArea: true}, true
}

// countyRing is a test county of about 20 × 16 km round (0, 0), with a dent in its east side.
var countyRing = [][2]float64{{-8000, -10000}, {-8000, 10000}, {-2000, 10000}, {0, 7000}, {2000, 10000}, {8000, 10000}, {8000, -10000}}

// stay ingests a point every step from from (inclusive) to to (exclusive) at north/east metres
// (nudged a metre a point so they are distinct), moving or standing still.
func stayAt(t *testing.T, f *fixture, from, to time.Time, step time.Duration, north, east float64, moving bool) {
	t.Helper()
	for at := from; at.Before(to); at = at.Add(step) {
		p := pt(f.v1, 0, 0, 0)
		p.FixedAt = at
		p.Lat, p.Lng = nearSeat(north, east+float64(at.Sub(from)/step))
		p.ACC, p.SpeedKmh = moving, 0
		if moving {
			p.SpeedKmh = 40
		}
		if out, err := f.svc.Ingest(context.Background(), []tracking.Point{p}); err != nil || !out[0].Stored {
			t.Fatalf("point at %v: %+v %v", at, out, err)
		}
	}
}

func TestMisuseOutOfArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		mustFence(t, f.svc, countyGeofence())
		// Inside, then 8 minutes driving outside (beyond the east side), then back in.
		visitMoving := func(f *fixture, start time.Time, ne [][2]float64) {
			drive(t, f, len(ne), start, time.Minute, func(i int, p *tracking.Point) {
				p.Lat, p.Lng = nearSeat(ne[i][0], ne[i][1])
				p.ACC = true
			})
		}
		route := [][2]float64{{0, 6000}}
		for i := range 8 {
			route = append(route, [2]float64{0, 7500 + float64(i)*200}) // in the dent: outside
		}
		route = append(route, [2]float64{0, 6500})
		visitMoving(f, t0, route)
		evs := events(t, f, tracking.EventMisuseOutArea)
		if len(evs) != 1 {
			t.Fatalf("out-of-area events = %d, want 1", len(evs))
		}
		if e := evs[0]; !e.StartedAt.Equal(t0.Add(time.Minute)) || e.EndedAt == nil || !e.EndedAt.Equal(t0.Add(9*time.Minute)) {
			t.Fatalf("out-of-area episode %v → %v, want t0+1m → t0+9m", e.StartedAt, e.EndedAt)
		}

		// Parked outside (never moving there): not judged.
		stayAt(t, f, t0.Add(time.Hour), t0.Add(time.Hour+20*time.Minute), time.Minute, 0, 12000, false)
		if n := len(events(t, f, tracking.EventMisuseOutArea)); n != 1 {
			t.Fatalf("out-of-area events after parking outside = %d, want still 1", n)
		}

		// A task that allows leaving the county: no misuse.
		g := newDetectFixture(t, db)
		svc, err := tracking.NewService(db, g.bus, tracking.Options{Now: g.clock, Tasks: leaveAllowed{}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(svc.Close)
		loadFences(t, svc)
		g.svc = svc
		visitMoving(g, t0.Add(3*time.Hour), route)
		if n := len(events(t, g, tracking.EventMisuseOutArea)); n != 1 {
			t.Fatalf("out-of-area events with leave granted = %d, want still 1", n)
		}
	})
}

func countyGeofence() tracking.GeofenceInput {
	return tracking.GeofenceInput{Name: "安和县县界", Kind: tracking.FenceCountyBoundary, Shape: tracking.ShapePolygon, Polygon: fenceRing(countyRing...)}
}

func TestMisuseOvernightParking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		mustFence(t, f.svc, tracking.GeofenceInput{Name: "机关事务管理中心车库", Kind: tracking.FenceParking, Shape: tracking.ShapeCircle,
			Center: nearSeatLatLng(0, 0), RadiusM: 80})
		// Times in the county (UTC+8).
		local := func(day, hour, minute int) time.Time {
			return time.Date(2026, 11, day, hour, minute, 0, 0, time.FixedZone("CST", 8*3600))
		}
		overnight := func() []tracking.Event { return events(t, f, tracking.EventMisuseOvernight) }

		// Night of the 27th: parked 2 km away from 21:50; back to the yard at 22:52; out again at
		// 23:30 and parked elsewhere until 00:30.
		stayAt(t, f, local(27, 21, 50), local(27, 22, 42), 2*time.Minute, 2000, 2000, false)
		stayAt(t, f, local(27, 22, 42), local(27, 22, 52), 2*time.Minute, 1000, 1000, true)
		stayAt(t, f, local(27, 22, 52), local(27, 23, 30), 2*time.Minute, 0, 0, false)
		stayAt(t, f, local(27, 23, 30), local(27, 23, 40), 2*time.Minute, -1000, 500, true)
		stayAt(t, f, local(27, 23, 40), local(28, 0, 30), 2*time.Minute, -2000, 1000, false)
		evs := overnight()
		if len(evs) != 1 {
			t.Fatalf("overnight events on the first night = %d, want 1", len(evs))
		}
		if e := evs[0]; !e.StartedAt.Equal(local(27, 22, 0)) || e.EndedAt == nil || !e.EndedAt.Equal(local(27, 22, 52)) {
			t.Fatalf("overnight episode %v → %v, want 22:00 → 22:52 (back in the yard)", e.StartedAt, e.EndedAt)
		}

		// Daytime away: nothing. Night of the 28th in the yard: nothing.
		stayAt(t, f, local(28, 9, 0), local(28, 10, 0), 5*time.Minute, 2000, 2000, false)
		stayAt(t, f, local(28, 10, 0), local(28, 10, 10), 5*time.Minute, 1000, 1000, true)
		stayAt(t, f, local(28, 21, 0), local(29, 7, 0), 10*time.Minute, 0, 0, false)
		if n := len(overnight()); n != 1 {
			t.Fatalf("overnight events after a day away and a night in the yard = %d, want still 1", n)
		}

		// The vehicle gets a parking point of its own: the shared yard is no longer its place.
		mustFence(t, f.svc, tracking.GeofenceInput{Name: "县委大院", Kind: tracking.FenceParking, Shape: tracking.ShapeCircle,
			Center: nearSeatLatLng(-3000, -3000), RadiusM: 80, VehicleID: &f.v1})
		stayAt(t, f, local(29, 21, 0), local(30, 1, 0), 10*time.Minute, 0, 0, false)
		if evs := overnight(); len(evs) != 2 || !evs[0].StartedAt.Equal(local(29, 22, 0)) {
			t.Fatalf("overnight events = %d (newest at %v), want a second one at 22:00 on the 29th", len(evs), evs[0].StartedAt)
		}
		stayAt(t, f, local(30, 1, 0), local(30, 1, 10), 5*time.Minute, -1500, -1500, true)
		stayAt(t, f, local(30, 1, 10), local(30, 8, 0), 10*time.Minute, -3000, -3000, false)
		stayAt(t, f, local(30, 21, 0), local(31, 7, 0), 10*time.Minute, -3000, -3000, false)
		if n := len(overnight()); n != 2 {
			t.Fatalf("overnight events at its own point = %d, want still 2", n)
		}
		if e := overnight()[0]; e.EndedAt == nil || !e.EndedAt.Equal(local(30, 1, 10)) {
			t.Fatalf("second episode ends %v, want when it reached its own point at 01:10 (%v)", e.EndedAt, local(30, 1, 10))
		}
	})
}
