package tracking

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var tb0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

// route writes a vehicle's points as it drives north and stands.
type route struct {
	at       time.Time
	lat, lng float64
	odo      float64
	pts      []Point
}

func newRoute() *route { return &route{at: tb0, lat: 27.8, lng: 114.4, odo: 1000} }

func (r *route) point(speed float64) {
	r.pts = append(r.pts, Point{VehicleID: 1, FixedAt: r.at, Lat: r.lat, Lng: r.lng, SpeedKmh: speed, MileageKm: r.odo, HasMileage: true, Positioned: true})
}

// drive reports n points every interval while going north at kmh (the first one a step on).
func (r *route) drive(n int, every time.Duration, kmh float64) {
	for i := 0; i < n; i++ {
		m := kmh / 3.6 * every.Seconds()
		r.at = r.at.Add(every)
		r.lat += m / 111195
		r.odo += m / 1000
		r.point(kmh)
	}
}

// stand reports n points every interval without moving.
func (r *route) stand(n int, every time.Duration) {
	for i := 0; i < n; i++ {
		r.at = r.at.Add(every)
		r.point(0)
	}
}

func (r *route) silent(d time.Duration) { r.at = r.at.Add(d) }

func build(pts []Point) *tripBuilder {
	b := newTripBuilder(TripOptions{}.withDefaults(), 1)
	for i := range pts {
		b.add(&pts[i])
	}
	return b
}

// pathKm is the sum of the steps between the points fixed from start to end, both included.
func pathKm(pts []Point, start, end time.Time) float64 {
	m := 0.0
	for i := 1; i < len(pts); i++ {
		if pts[i-1].FixedAt.Before(start) || pts[i].FixedAt.After(end) {
			continue
		}
		m += Distance(pts[i-1].Lat, pts[i-1].Lng, pts[i].Lat, pts[i].Lng)
	}
	return m / 1000
}

func TestBuilderDriveStopDrive(t *testing.T) {
	r := newRoute()
	r.stand(1, 10*time.Second)
	r.drive(30, 10*time.Second, 40) // 5 min, 3.3 km
	firstStill := r.at.Add(10 * time.Second)
	r.stand(60, 10*time.Second) // 10 min
	r.drive(30, 10*time.Second, 60)
	secondStill := r.at.Add(10 * time.Second)
	r.stand(40, 10*time.Second)
	b := build(r.pts)
	trips, stops := b.drain()
	if len(trips) != 2 || len(stops) != 1 {
		t.Fatalf("trips %d, stops %d; want 2 and 1", len(trips), len(stops))
	}
	t1, t2 := trips[0], trips[1]
	if !t1.StartAt.Equal(tb0.Add(20*time.Second)) || !t1.EndAt.Equal(firstStill) {
		t.Errorf("trip 1 = %v → %v, want %v → %v", t1.StartAt, t1.EndAt, tb0.Add(20*time.Second), firstStill)
	}
	if want := pathKm(r.pts, t1.StartAt, t1.EndAt); math.Abs(t1.DistanceKm-want) > 0.001 {
		t.Errorf("trip 1 distance = %v, want %v", t1.DistanceKm, want)
	}
	if t1.MaxSpeedKmh != 40 || t2.MaxSpeedKmh != 60 {
		t.Errorf("max speeds %v, %v; want 40, 60", t1.MaxSpeedKmh, t2.MaxSpeedKmh)
	}
	if t1.DrivingS != 300 || t1.DurationS != 300 {
		t.Errorf("trip 1 driving %d s of %d s, want 300 of 300", t1.DrivingS, t1.DurationS)
	}
	if !stops[0].StartAt.Equal(t1.EndAt) || !stops[0].EndAt.Equal(t2.StartAt) || stops[0].DurationS != 600 {
		t.Errorf("stop = %+v, want from trip 1's end to trip 2's start (600 s)", stops[0])
	}
	if !t2.EndAt.Equal(secondStill) {
		t.Errorf("trip 2 ends %v, want %v", t2.EndAt, secondStill)
	}
	if t1.OdometerKm == nil || math.Abs(*t1.OdometerKm-t1.DistanceKm) > 0.1 {
		t.Errorf("trip 1 odometer %v, want about %v", t1.OdometerKm, t1.DistanceKm)
	}
	if tr, st := b.open(); tr != nil || st == nil || !st.StartAt.Equal(secondStill) {
		t.Errorf("open = %+v, %+v; want no trip and the stop since %v", tr, st, secondStill)
	}
}

func TestBuilderNoTrip(t *testing.T) {
	tests := []struct {
		name string
		mk   func(r *route)
	}{
		{"short jiggle: 150 m in a minute", func(r *route) {
			r.stand(30, 10*time.Second)
			r.drive(6, 10*time.Second, 9)
			r.stand(60, 10*time.Second)
		}},
		{"slow and long but under 200 m: 170 m in 4 min", func(r *route) {
			r.stand(30, 10*time.Second)
			n := len(r.pts)
			r.drive(24, 10*time.Second, 2.55)
			for i := n; i < len(r.pts); i++ {
				r.pts[i].SpeedKmh = 6 // reported above 5 km/h
			}
			r.stand(60, 10*time.Second)
		}},
		{"far but short: 300 m in 40 s", func(r *route) {
			r.stand(30, 10*time.Second)
			r.drive(4, 10*time.Second, 27)
			r.stand(60, 10*time.Second)
		}},
		{"parked with GPS noise and no speed", func(r *route) {
			rng := rand.New(rand.NewPCG(1, 2))
			lat, lng := r.lat, r.lng
			for i := 0; i < 720; i++ {
				r.at = r.at.Add(10 * time.Second)
				r.lat = lat + (rng.Float64()-0.5)*40/111195 // within ±20 m
				r.lng = lng + (rng.Float64()-0.5)*40/98000
				r.point(0)
			}
		}},
		{"parked with GPS noise and noisy speeds", func(r *route) {
			rng := rand.New(rand.NewPCG(5, 6))
			lat, lng := r.lat, r.lng
			for i := 0; i < 720; i++ {
				r.at = r.at.Add(10 * time.Second)
				r.lat = lat + (rng.Float64()-0.5)*40/111195
				r.lng = lng + (rng.Float64()-0.5)*40/98000
				r.point(rng.Float64() * 12)
			}
		}},
		{"parked with noisy speeds", func(r *route) {
			for i := 0; i < 720; i++ {
				r.at = r.at.Add(10 * time.Second)
				r.point(float64(i % 9)) // up to 8 km/h, standing still
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRoute()
			tt.mk(r)
			b := build(r.pts)
			trips, _ := b.drain()
			if len(trips) != 0 {
				t.Fatalf("trips = %+v, want none", trips)
			}
			if tr, _ := b.open(); tr != nil {
				t.Fatalf("open trip %+v, want none", tr)
			}
		})
	}
}

func TestBuilderShortPauseStaysInTrip(t *testing.T) {
	r := newRoute()
	r.drive(30, 10*time.Second, 50)
	r.stand(12, 10*time.Second) // two minutes at a red light
	r.drive(30, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	trips, stops := build(r.pts).drain()
	if len(trips) != 1 || len(stops) != 0 {
		t.Fatalf("trips %d stops %d, want 1 and 0", len(trips), len(stops))
	}
	tr := trips[0]
	// 60 steps in motion plus the step into the first point at rest, and the step out of the pause.
	if tr.DrivingS != 610 || tr.DurationS != 720 {
		t.Fatalf("driving %d of %d s, want 610 of 720 (the pause is not driving)", tr.DrivingS, tr.DurationS)
	}
	if want := pathKm(r.pts, tr.StartAt, tr.EndAt); math.Abs(tr.DistanceKm-want) > 0.001 {
		t.Fatalf("distance = %v, want %v", tr.DistanceKm, want)
	}
	if math.Abs(tr.AvgSpeedKmh-tr.DistanceKm/(float64(tr.DrivingS)/3600)) > 0.1 {
		t.Fatalf("average = %v, want distance over driving time", tr.AvgSpeedKmh)
	}
}

func TestBuilderSilence(t *testing.T) {
	r := newRoute()
	r.drive(30, 10*time.Second, 50)
	lastBefore := r.at
	r.silent(40 * time.Minute)
	r.drive(30, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	trips, _ := build(r.pts).drain()
	if len(trips) != 2 {
		t.Fatalf("trips = %d, want 2 (the silence ends the first)", len(trips))
	}
	if !trips[0].EndAt.Equal(lastBefore) || !trips[1].StartAt.After(lastBefore.Add(39*time.Minute)) {
		t.Fatalf("trips %v → %v and %v → …; want the first to end at %v", trips[0].StartAt, trips[0].EndAt, trips[1].StartAt, lastBefore)
	}

	// Parked overnight, the terminal asleep: one stop across the silence.
	r = newRoute()
	r.drive(30, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	r.silent(8 * time.Hour)
	r.stand(3, 10*time.Second)
	r.drive(30, 10*time.Second, 50)
	trips, stops := build(r.pts).drain()
	if len(trips) != 1 || len(stops) != 1 || stops[0].DurationS < 8*3600 {
		t.Fatalf("trips %d, stops %+v; want one stop over the night", len(trips), stops)
	}
}

func TestBuilderIgnoresOlderPoints(t *testing.T) {
	r := newRoute()
	r.drive(30, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	pts := append([]Point(nil), r.pts...)
	rng := rand.New(rand.NewPCG(3, 4))
	rng.Shuffle(len(pts), func(i, j int) { pts[i], pts[j] = pts[j], pts[i] })
	b := build(pts)
	trips, stops := b.drain()
	tr, st := b.open()
	if tr != nil {
		trips = append(trips, *tr)
	}
	if st != nil {
		stops = append(stops, *st)
	}
	for _, t1 := range trips {
		if t1.EndAt.Before(t1.StartAt) {
			t.Fatalf("trip runs backwards: %+v", t1)
		}
	}
	for _, s := range stops {
		if s.EndAt.Before(s.StartAt) {
			t.Fatalf("stop runs backwards: %+v", s)
		}
	}
}

func TestBuilderWithoutSpeed(t *testing.T) {
	r := newRoute()
	r.stand(10, 10*time.Second)
	r.drive(30, 10*time.Second, 36)
	r.stand(40, 10*time.Second)
	for i := range r.pts {
		r.pts[i].SpeedKmh = 0 // a phone that sends no speed
	}
	trips, _ := build(r.pts).drain()
	if len(trips) != 1 || math.Abs(trips[0].MaxSpeedKmh-36) > 0.5 || trips[0].DistanceKm < 2.9 {
		t.Fatalf("trips = %+v, want one of 3 km at 36 km/h from the steps", trips)
	}
}

func TestBuilderIgnoresJumps(t *testing.T) {
	r := newRoute()
	r.drive(15, 10*time.Second, 50)
	r.at = r.at.Add(2 * time.Second)
	r.lng += 400.0 / 98000 // 400 m east in 2 s: a GPS jump
	r.point(50)
	r.lng -= 400.0 / 98000
	r.drive(15, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	trips, _ := build(r.pts).drain()
	if len(trips) != 1 {
		t.Fatalf("trips = %d, want 1", len(trips))
	}
	without := append(append([]Point(nil), r.pts[:15]...), r.pts[16:]...)
	if got, want := trips[0].DistanceKm, pathKm(without, trips[0].StartAt, trips[0].EndAt); math.Abs(got-want) > 0.001 {
		t.Fatalf("distance %v km, want %v (as if the jump had not been)", got, want)
	}
}

func TestBuilderOdometerNeedsBothEnds(t *testing.T) {
	r := newRoute()
	r.drive(30, 10*time.Second, 50)
	r.stand(40, 10*time.Second)
	r.pts[0].HasMileage = false
	trips, _ := build(r.pts).drain()
	if len(trips) != 1 || trips[0].OdometerKm != nil {
		t.Fatalf("trip = %+v, want no odometer delta without the start's mileage", trips)
	}
}
