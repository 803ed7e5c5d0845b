package tracking_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// journey writes one vehicle's points as it drives north and stands, tripStep 10 s.
type journey struct {
	v        int64
	at       time.Time
	lat, lng float64
	odo      float64
	pts      []tracking.Point
}

func newJourney(v int64, start time.Time) *journey {
	return &journey{v: v, at: start, lat: 27.8, lng: 114.4, odo: 52310.4}
}

const tripStep = 10 * time.Second

func (j *journey) point(speed float64) {
	j.pts = append(j.pts, tracking.Point{VehicleID: j.v, FixedAt: j.at, Lat: j.lat, Lng: j.lng, SpeedKmh: speed, Course: 0,
		ACC: speed > 0, MileageKm: math.Round(j.odo*10) / 10, HasMileage: true, Positioned: true, Source: tracking.SourceJT808})
}

// drive adds n points, each a step of 10 s north at kmh.
func (j *journey) drive(n int, kmh float64) {
	for i := 0; i < n; i++ {
		m := kmh / 3.6 * tripStep.Seconds()
		j.at = j.at.Add(tripStep)
		j.lat += m / 111195
		j.odo += m / 1000
		j.point(kmh)
	}
}

func (j *journey) stand(n int) {
	for i := 0; i < n; i++ {
		j.at = j.at.Add(tripStep)
		j.point(0)
	}
}

// ingest sends the points one by one, as live points arrive.
func ingestLive(t *testing.T, f *fixture, pts []tracking.Point) {
	t.Helper()
	for i := range pts {
		if out, err := f.svc.Ingest(context.Background(), pts[i:i+1]); err != nil || !out[0].Stored {
			t.Fatalf("point %d: %+v %v", i, out, err)
		}
	}
}

// sumKm is the sum of the steps between the points fixed from start to end.
func sumKm(pts []tracking.Point, start, end time.Time) float64 {
	m := 0.0
	for i := 1; i < len(pts); i++ {
		if !pts[i-1].FixedAt.Before(start) && !pts[i].FixedAt.After(end) {
			m += tracking.Distance(pts[i-1].Lat, pts[i-1].Lng, pts[i].Lat, pts[i].Lng)
		}
	}
	return m / 1000
}

func tripsOf(t *testing.T, f *fixture, from, to time.Time) *tracking.TripList {
	t.Helper()
	l, err := f.svc.Trips(context.Background(), auth.System, f.v1, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func closedOnly[T interface{ tracking.Trip | tracking.Stop }](items []T, open func(T) bool) []T {
	var out []T
	for _, it := range items {
		if !open(it) {
			out = append(out, it)
		}
	}
	return out
}

func closedTrips(l *tracking.TripList) []tracking.Trip {
	return closedOnly(l.Trips, func(t tracking.Trip) bool { return t.Open })
}

func closedStops(l *tracking.TripList) []tracking.Stop {
	return closedOnly(l.Stops, func(s tracking.Stop) bool { return s.Open })
}

// driveStopDrive: 5 min at 40 km/h, 10 min parked, 5 min at 60 km/h, then parked 6 min.
func driveStopDrive(v int64, start time.Time) *journey {
	j := newJourney(v, start)
	j.point(0)
	j.drive(30, 40)
	j.stand(60)
	j.drive(30, 60)
	j.stand(36)
	return j
}

func TestTripsDriveStopDrive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		j := driveStopDrive(f.v1, t0)
		ingestLive(t, f, j.pts)
		l := tripsOf(t, f, t0.Add(-time.Hour), t0.Add(time.Hour))
		ts, ss := closedTrips(l), closedStops(l)
		if len(ts) != 2 || len(ss) != 1 {
			t.Fatalf("closed trips %d, stops %d; want 2 and 1: %+v", len(ts), len(ss), l)
		}
		t1, t2, st := ts[0], ts[1], ss[0]
		want := []struct {
			name       string
			got        tracking.Trip
			start, end time.Time
			maxKmh     float64
		}{
			{"first", t1, t0.Add(10 * time.Second), t0.Add(310 * time.Second), 40},
			{"second", t2, t0.Add(910 * time.Second), t0.Add(1210 * time.Second), 60},
		}
		for _, w := range want {
			if !w.got.StartAt.Equal(w.start) || !w.got.EndAt.Equal(w.end) || w.got.DurationS != 300 || w.got.DrivingS != 300 {
				t.Errorf("%s trip %v → %v (%d s, driving %d s), want %v → %v", w.name, w.got.StartAt, w.got.EndAt, w.got.DurationS, w.got.DrivingS, w.start, w.end)
			}
			if km := sumKm(j.pts, w.got.StartAt, w.got.EndAt); math.Abs(w.got.DistanceKm-km) > 0.001 {
				t.Errorf("%s trip distance %v km, want %v", w.name, w.got.DistanceKm, km)
			}
			if w.got.MaxSpeedKmh != w.maxKmh {
				t.Errorf("%s trip max speed %v, want %v", w.name, w.got.MaxSpeedKmh, w.maxKmh)
			}
			if w.got.Start.Lat == 0 || w.got.End.Lat <= w.got.Start.Lat {
				t.Errorf("%s trip places %+v → %+v, want northwards", w.name, w.got.Start, w.got.End)
			}
		}
		if !st.StartAt.Equal(t1.EndAt) || !st.EndAt.Equal(t2.StartAt) || st.DurationS != 600 || st.Lat != t1.End.Lat {
			t.Errorf("stop = %+v, want at trip 1's end until trip 2's start", st)
		}
		// The vehicle stands since the second trip's end: an open stop, no open trip.
		if len(l.Stops) != 2 || !l.Stops[1].Open || !l.Stops[1].StartAt.Equal(t2.EndAt) || len(l.Trips) != 2 {
			t.Errorf("open items = %+v", l)
		}
		// A window inside the stop, or inside a trip, finds what it lies in.
		if in := tripsOf(t, f, t0.Add(6*time.Minute), t0.Add(7*time.Minute)); len(in.Trips) != 0 || len(in.Stops) != 1 || !in.Stops[0].StartAt.Equal(st.StartAt) {
			t.Errorf("window in the stop = %+v, want just the stop", in)
		}
		if in := tripsOf(t, f, t0.Add(2*time.Minute), t0.Add(3*time.Minute)); len(in.Trips) != 1 || !in.Trips[0].StartAt.Equal(t1.StartAt) || len(in.Stops) != 0 {
			t.Errorf("window in the first trip = %+v, want just the trip", in)
		}
		// The day's figures are the sums of its trips.
		days, err := f.svc.VehicleDays(context.Background(), auth.System, f.v1, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 1 || days[0].Trips != 2 || math.Abs(days[0].DistanceKm-t1.DistanceKm-t2.DistanceKm) > 0.0015 || days[0].DrivingS != 600 {
			t.Fatalf("days = %+v, want the two trips' sums", days)
		}
	})
}

func TestTripsInProgressIsOpen(t *testing.T) {
	f := newDetectFixture(t, storetest.SQLite(t))
	j := newJourney(f.v1, t0)
	j.point(0)
	j.drive(30, 50)
	ingestLive(t, f, j.pts)
	f.svc.CloseSilentTrips(context.Background()) // heard just now: nothing to close
	l := tripsOf(t, f, t0, t0.Add(time.Hour))
	if len(l.Trips) != 1 || !l.Trips[0].Open || !l.Trips[0].EndAt.Equal(j.at) || l.Trips[0].DistanceKm < 4 {
		t.Fatalf("trips = %+v, want one open trip up to the latest point", l.Trips)
	}
	// Another instance (or this one after a restart) sees it too, from the store.
	other, err := tracking.NewService(f.db, f.bus, tracking.Options{Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	l2, err := other.Trips(context.Background(), auth.System, f.v1, t0, t0.Add(time.Hour))
	if err != nil || len(l2.Trips) != 1 || !l2.Trips[0].Open || !l2.Trips[0].StartAt.Equal(l.Trips[0].StartAt) {
		t.Fatalf("other instance: %+v, %v", l2, err)
	}
	// The vehicle falls silent mid-trip: the silence ends the trip and counts it.
	f.advance(31 * time.Minute)
	f.svc.CloseSilentTrips(context.Background())
	l = tripsOf(t, f, t0, t0.Add(time.Hour))
	if len(l.Trips) != 1 || l.Trips[0].Open || !l.Trips[0].EndAt.Equal(j.at) {
		t.Fatalf("after the silence: %+v, want the trip closed at the last point", l.Trips)
	}
}

func TestTripsShortJiggleMakesNone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		j := newJourney(f.v1, t0)
		j.stand(30)
		j.drive(6, 9) // 150 m in a minute: moved across the car park
		j.stand(60)
		ingestLive(t, f, j.pts)
		l := tripsOf(t, f, t0, t0.Add(time.Hour))
		if len(l.Trips) != 0 || len(closedStops(l)) != 0 {
			t.Fatalf("trips %+v, stops %+v; want none (one open stop)", l.Trips, l.Stops)
		}
	})
}

func TestTripsGapClosesTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		j := newJourney(f.v1, t0)
		j.drive(30, 50)
		lastBefore := j.at
		j.at = j.at.Add(40 * time.Minute)
		j.drive(30, 50)
		j.stand(36)
		ingestLive(t, f, j.pts)
		ts := closedTrips(tripsOf(t, f, t0, t0.Add(2*time.Hour)))
		if len(ts) != 2 {
			t.Fatalf("trips = %+v, want 2", ts)
		}
		if !ts[0].EndAt.Equal(lastBefore) || !ts[1].StartAt.Equal(lastBefore.Add(40*time.Minute+tripStep)) {
			t.Fatalf("trips %v → %v, %v → %v; want the 40 min silence to end the first at %v",
				ts[0].StartAt, ts[0].EndAt, ts[1].StartAt, ts[1].EndAt, lastBefore)
		}
	})
}

func TestTripsOdometerFromMileage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		j := driveStopDrive(f.v1, t0)
		ingestLive(t, f, j.pts)
		byTime := map[time.Time]float64{}
		for _, p := range j.pts {
			byTime[p.FixedAt] = p.MileageKm
		}
		for _, tr := range closedTrips(tripsOf(t, f, t0, t0.Add(time.Hour))) {
			want := math.Round((byTime[tr.EndAt]-byTime[tr.StartAt])*10) / 10
			if tr.OdometerKm == nil || math.Abs(*tr.OdometerKm-want) > 1e-9 {
				t.Fatalf("trip %v odometer %v, want %v", tr.StartAt, tr.OdometerKm, want)
			}
		}
	})
}

func TestRecomputeTripsReproducesLive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDetectFixture(t, db)
		// Two days: a morning's drives, and one across midnight (county time) that counts on
		// its start day.
		j := driveStopDrive(f.v1, t0)
		j.at = time.Date(2026, 11, 27, 15, 55, 0, 0, time.UTC) // 23:55 in Shanghai
		j.point(0)
		j.drive(60, 50)
		j.stand(36)
		ingestLive(t, f, j.pts)
		from, to := t0.Add(-2*time.Hour), t0.Add(24*time.Hour)
		live := tripsOf(t, f, from, to)
		liveDays := dayRows(t, db, f.v1)
		if n := len(closedTrips(live)); n != 3 {
			t.Fatalf("live trips = %d, want 3", n)
		}
		if len(liveDays) != 1 || liveDays[0].Trips != 3 {
			t.Fatalf("live days = %+v, want the three trips on the 27th", liveDays)
		}

		// A recompute of the same period gives the same; so does one after losing everything.
		for _, wipe := range []bool{false, true} {
			if wipe {
				db.Exec("DELETE FROM trips")
				db.Exec("DELETE FROM stops")
				db.Exec("UPDATE vehicle_days SET distance_km = 0, driving_s = 0, trips = 0")
			}
			if err := f.svc.RecomputeTrips(ctx, f.v1, from, to); err != nil {
				t.Fatal(err)
			}
			again := tripsOf(t, f, from, to)
			if !sameTrips(closedTrips(live), closedTrips(again)) || !sameStops(closedStops(live), closedStops(again)) {
				t.Fatalf("wipe=%v: recomputed\n%+v\nwant\n%+v", wipe, again, live)
			}
			if got := dayRows(t, db, f.v1); !sameDays(got, liveDays) {
				t.Fatalf("wipe=%v: days %+v, want %+v", wipe, got, liveDays)
			}
		}
		// A period that cuts through a trip is widened to the whole trip: nothing doubles.
		if err := f.svc.RecomputeTrips(ctx, f.v1, t0.Add(2*time.Minute), t0.Add(16*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if again := tripsOf(t, f, from, to); !sameTrips(closedTrips(live), closedTrips(again)) || !sameStops(closedStops(live), closedStops(again)) {
			t.Fatalf("partial recompute: %+v, want %+v", again, live)
		}
		if err := f.svc.RecomputeTrips(ctx, f.v1, to, from); fleet.ErrorCode(err) != fleet.EInvalid {
			t.Fatalf("to before from = %v, want invalid", err)
		}
		// The live builder primes itself again and goes on.
		k := newJourney(f.v1, j.at.Add(time.Minute))
		k.lat = j.lat
		k.point(0)
		k.drive(30, 50)
		k.stand(36)
		ingestLive(t, f, k.pts)
		if n := len(closedTrips(tripsOf(t, f, from, k.at.Add(time.Hour)))); n != 4 {
			t.Fatalf("trips after more driving = %d, want 4", n)
		}
	})
}

func dayRows(t *testing.T, db *store.DB, v int64) []tracking.VehicleDay {
	t.Helper()
	var rows []tracking.VehicleDay
	if err := db.Where("vehicle_id = ? AND trips > 0", v).Order("day").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

func sameTrips(a, b []tracking.Trip) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.StartAt.Equal(y.StartAt) || !x.EndAt.Equal(y.EndAt) || x.DistanceKm != y.DistanceKm || x.DrivingS != y.DrivingS ||
			x.MaxSpeedKmh != y.MaxSpeedKmh || !samePlace(x.Start, y.Start) || !samePlace(x.End, y.End) || (x.OdometerKm == nil) != (y.OdometerKm == nil) ||
			(x.OdometerKm != nil && *x.OdometerKm != *y.OdometerKm) {
			return false
		}
	}
	return true
}

// near: the same stored coordinates, whatever the last bit of their reading back.
func samePlace(a, b tracking.LatLng) bool {
	return math.Abs(a.Lat-b.Lat) < 1e-9 && math.Abs(a.Lng-b.Lng) < 1e-9
}

func sameStops(a, b []tracking.Stop) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].StartAt.Equal(b[i].StartAt) || !a[i].EndAt.Equal(b[i].EndAt) || !samePlace(tracking.LatLng{Lat: a[i].Lat, Lng: a[i].Lng}, tracking.LatLng{Lat: b[i].Lat, Lng: b[i].Lng}) {
			return false
		}
	}
	return true
}

func sameDays(a, b []tracking.VehicleDay) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Day.Equal(b[i].Day) || a[i].Trips != b[i].Trips || a[i].DrivingS != b[i].DrivingS || math.Abs(a[i].DistanceKm-b[i].DistanceKm) > 1e-9 {
			return false
		}
	}
	return true
}

func TestTripsOutOfOrderBurst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newDetectFixture(t, db)
		j := driveStopDrive(f.v1, t0)
		pts := append([]tracking.Point(nil), j.pts...)
		rng := rand.New(rand.NewPCG(7, 8))
		// In bursts of 20, each shuffled: a terminal replaying its buffer out of order.
		for i := 0; i < len(pts); i += 20 {
			burst := pts[i:min(i+20, len(pts))]
			rng.Shuffle(len(burst), func(a, b int) { burst[a], burst[b] = burst[b], burst[a] })
			if _, err := f.svc.Ingest(ctx, burst); err != nil {
				t.Fatal(err)
			}
		}
		l := tripsOf(t, f, t0.Add(-time.Hour), t0.Add(2*time.Hour))
		for _, tr := range l.Trips {
			if tr.EndAt.Before(tr.StartAt) || tr.DurationS < 0 || tr.DistanceKm < 0 {
				t.Fatalf("trip runs backwards: %+v", tr)
			}
		}
		for _, s := range l.Stops {
			if s.EndAt.Before(s.StartAt) {
				t.Fatalf("stop runs backwards: %+v", s)
			}
		}
		// The stored points are all there: a recompute gives the ordered answer.
		if err := f.svc.RecomputeTrips(ctx, f.v1, t0.Add(-time.Hour), t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := len(closedTrips(tripsOf(t, f, t0.Add(-time.Hour), t0.Add(2*time.Hour)))); n != 2 {
			t.Fatalf("trips after recompute = %d, want 2", n)
		}
	})
}

func TestTripQueriesValidate(t *testing.T) {
	f := newDetectFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	tests := []struct {
		name  string
		err   error
		field string
	}{
		{"to before from", func() error { _, err := f.svc.Trips(ctx, auth.System, f.v1, t0, t0.Add(-time.Hour)); return err }(), "to"},
		{"over a year", func() error {
			_, err := f.svc.Trips(ctx, auth.System, f.v1, t0.AddDate(-1, 0, -2), t0)
			return err
		}(), "to"},
		{"days to before from", func() error {
			_, err := f.svc.VehicleDays(ctx, auth.System, f.v1, t0, t0.AddDate(0, 0, -1))
			return err
		}(), "to"},
		{"days over a year", func() error {
			_, err := f.svc.VehicleDays(ctx, auth.System, f.v1, t0.AddDate(-2, 0, 0), t0)
			return err
		}(), "to"},
		{"tolerance", func() error {
			_, err := f.svc.TrackSimplified(ctx, auth.System, f.v1, t0, t0.Add(time.Hour), 1001)
			return err
		}(), "tolerance_m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fe *fleet.Error
			if fleet.ErrorCode(tt.err) != fleet.EInvalid || !errors.As(tt.err, &fe) || fe.Fields[tt.field] == "" {
				t.Fatalf("error = %v, want invalid naming %s", tt.err, tt.field)
			}
		})
	}
	if _, err := f.svc.Trips(ctx, auth.System, 99999, t0, t0.Add(time.Hour)); fleet.ErrorCode(err) != fleet.ENotFound {
		t.Fatalf("unknown vehicle = %v", err)
	}
	if _, err := f.svc.Trips(ctx, &auth.Actor{Role: auth.RoleStaff}, f.v1, t0, t0.Add(time.Hour)); fleet.ErrorCode(err) != fleet.EForbidden {
		t.Fatalf("staff = %v, want forbidden", err)
	}
	if _, err := f.svc.FleetDays(ctx, &auth.Actor{Role: auth.RoleAuditor}, time.Time{}); err != nil {
		t.Fatalf("auditor = %v", err)
	}
}

func TestFleetDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		ingestLive(t, f, driveStopDrive(f.v1, t0).pts)
		day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		days, err := f.svc.FleetDays(context.Background(), auth.System, day)
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 2 || days[0].VehicleID != f.v1 || days[0].Trips != 2 || days[0].Plate != "赣K00001" || days[0].DistanceKm < 8 ||
			days[1].VehicleID != f.v2 || days[1].Trips != 0 || !days[0].Day.Equal(day) {
			t.Fatalf("fleet days = %+v, want both vehicles, the first with its two trips", days)
		}
	})
}

// A track longer than the raw answer's cap is simplified a chunk at a time.
func TestTrackSimplifiedReadsPastTheRawCap(t *testing.T) {
	f := newDetectFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	const n = 60000
	pts := make([]tracking.Point, n)
	for i := range pts {
		pts[i] = tracking.Point{VehicleID: f.v2, FixedAt: t0.Add(time.Duration(i) * time.Second), Lat: 27.8 + float64(i)*1e-5, Lng: 114.4,
			SpeedKmh: 40, Positioned: true, Source: tracking.SourceJT808}
		if i > n/2 { // a right turn half way
			pts[i].Lat, pts[i].Lng = 27.8+float64(n/2)*1e-5, 114.4+float64(i-n/2)*1e-5
		}
	}
	for i := 0; i < n; i += 2000 {
		if _, err := f.svc.Ingest(ctx, pts[i:i+2000]); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := f.svc.Track(ctx, auth.System, f.v2, t0, t0.Add(24*time.Hour))
	if err != nil || len(raw) != 50000 {
		t.Fatalf("raw track = %d points, %v; want the 50000 cap", len(raw), err)
	}
	got, err := f.svc.TrackSimplified(ctx, auth.System, f.v2, t0, t0.Add(24*time.Hour), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 3 || len(got) > 10 || !got[0].FixedAt.Equal(t0) || !got[len(got)-1].FixedAt.Equal(pts[n-1].FixedAt) {
		t.Fatalf("simplified = %d points from %v to %v; want a handful from the first to the last", len(got), got[0].FixedAt, got[len(got)-1].FixedAt)
	}
	corner := false
	for _, p := range got {
		corner = corner || p.FixedAt.Equal(pts[n/2].FixedAt)
	}
	if !corner {
		t.Fatalf("simplified = %+v, want the corner kept", got)
	}
}

// A restart in the middle of a trip does not cut it: the new service primes itself from the store.
func TestTripsSurviveRestart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		j := driveStopDrive(f.v1, t0)
		half := 50 // in the stop after the first trip
		ingestLive(t, f, j.pts[:half])
		// A restarted process: a new service on the same database (the old one is left idle;
		// the fixture closes it).
		restart := func() {
			svc, err := tracking.NewService(db, f.bus, tracking.Options{Now: f.clock})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(svc.Close)
			f.svc = svc
		}
		restart()
		ingestLive(t, f, j.pts[half:115]) // into the second trip
		restart()
		ingestLive(t, f, j.pts[115:])
		l := tripsOf(t, f, t0, t0.Add(time.Hour))
		ts, ss := closedTrips(l), closedStops(l)
		if len(ts) != 2 || len(ss) != 1 || !ts[1].StartAt.Equal(t0.Add(910*time.Second)) || ts[1].DurationS != 300 ||
			!ss[0].StartAt.Equal(ts[0].EndAt) || !ss[0].EndAt.Equal(ts[1].StartAt) {
			t.Fatalf("after two restarts: trips %+v, stops %+v; want the same two trips and one stop", ts, ss)
		}
	})
}
