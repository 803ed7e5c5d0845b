package tracking_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fleet/tracking"
)

const simplifyTestMPerDeg = 111195.0

// trackWalk is a track written step by step: east or north by metres, every 10 s.
type trackWalk struct {
	at       time.Time
	lat, lng float64
	pts      []tracking.TrackPoint
}

func newTrackWalk() *trackWalk {
	return &trackWalk{at: time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC), lat: 27.8, lng: 114.4}
}

func (w *trackWalk) add(speed float64) *tracking.TrackPoint {
	w.pts = append(w.pts, tracking.TrackPoint{Lat: w.lat, Lng: w.lng, SpeedKmh: speed, FixedAt: w.at})
	w.at = w.at.Add(10 * time.Second)
	return &w.pts[len(w.pts)-1]
}

func (w *trackWalk) move(n int, northM, eastM float64) {
	for i := 0; i < n; i++ {
		w.lat += northM / simplifyTestMPerDeg
		w.lng += eastM / (simplifyTestMPerDeg * math.Cos(27.8*math.Pi/180))
		w.add(40)
	}
}

// simplified runs Simplify on a copy (it works in place) and returns the kept indexes of pts.
func simplified(t *testing.T, pts []tracking.TrackPoint, tol float64) []int {
	t.Helper()
	in := slices.Clone(pts)
	out := tracking.Simplify(in, tol)
	idx := make([]int, 0, len(out))
	j := 0
	for _, p := range out {
		for j < len(pts) && pts[j] != p {
			j++
		}
		if j == len(pts) {
			t.Fatalf("Simplify returned a point not in the input, or out of order: %+v", p)
		}
		idx = append(idx, j)
		j++
	}
	return idx
}

func TestSimplifyStraightLineToItsEnds(t *testing.T) {
	w := newTrackWalk()
	w.add(40)
	w.move(500, 100, 30)
	if got := simplified(t, w.pts, 1); !slices.Equal(got, []int{0, 500}) {
		t.Fatalf("kept %v, want the two ends", got)
	}
}

func TestSimplifyKeepsRightAngle(t *testing.T) {
	w := newTrackWalk()
	w.add(40)
	w.move(100, 100, 0) // north
	w.move(100, 0, 100) // then east
	if got := simplified(t, w.pts, 5); !slices.Equal(got, []int{0, 100, 200}) {
		t.Fatalf("kept %v, want the ends and the corner (100)", got)
	}
}

func TestSimplifyKeepsEventPoints(t *testing.T) {
	w := newTrackWalk()
	w.add(40)
	w.move(50, 100, 0)
	w.pts[20].Alarm = 1 // SOS from 20 to 29
	for i := 21; i < 30; i++ {
		w.pts[i].Alarm = 1
	}
	for i := 35; i <= 50; i++ {
		w.pts[i].ACC = true // ignition on from 35
	}
	// A stop of 10 minutes, then on along the same line.
	for i := 0; i < 60; i++ {
		w.add(0)
	}
	w.move(50, 100, 0)
	stopStart, stopEnd := 51, 110
	got := simplified(t, w.pts, 10)
	want := []int{0, 20, 30, 35, stopStart, stopEnd, len(w.pts) - 1}
	if !slices.Equal(got, want) {
		t.Fatalf("kept %v, want %v (first, alarm on, alarm off, ACC on, stop start and end, last)", got, want)
	}
}

func TestSimplifyLeavesShortTracksAndZeroTolerance(t *testing.T) {
	w := newTrackWalk()
	w.add(40)
	w.move(1, 100, 0)
	if got := simplified(t, w.pts, 100); len(got) != 2 {
		t.Fatalf("2 points kept %v, want both", got)
	}
	w.move(100, 100, 0)
	if got := tracking.Simplify(slices.Clone(w.pts), 0); len(got) != len(w.pts) {
		t.Fatalf("tolerance 0 kept %d of %d", len(got), len(w.pts))
	}
	if got := tracking.Simplify(nil, 10); len(got) != 0 {
		t.Fatalf("nil = %v", got)
	}
}

// On a wandering track every left-out point lies within the tolerance of the kept polyline
// between its neighbours, and the kept points are in order.
func TestSimplifyWithinTolerance(t *testing.T) {
	pts := wanderTrack(20000, 9)
	for _, tol := range []float64{1, 5, 20, 100} {
		idx := simplified(t, pts, tol)
		if idx[0] != 0 || idx[len(idx)-1] != len(pts)-1 {
			t.Fatalf("tolerance %v: first/last not kept: %v … %v", tol, idx[0], idx[len(idx)-1])
		}
		for k := 1; k < len(idx); k++ {
			a, b := pts[idx[k-1]], pts[idx[k]]
			if !b.FixedAt.After(a.FixedAt) {
				t.Fatalf("tolerance %v: out of order at %d", tol, k)
			}
			for m := idx[k-1] + 1; m < idx[k]; m++ {
				if d := toSegmentM(pts[m], a, b); d > tol*1.001 {
					t.Fatalf("tolerance %v: point %d is %.2f m from the simplified track", tol, m, d)
				}
			}
		}
		t.Logf("tolerance %v m: %d of %d points kept", tol, len(idx), len(pts))
	}
}

// toSegmentM is the distance in metres from p to the segment a–b (local projection).
func toSegmentM(p, a, b tracking.TrackPoint) float64 {
	kx := simplifyTestMPerDeg * math.Cos(27.8*math.Pi/180)
	px, py := (p.Lng-a.Lng)*kx, (p.Lat-a.Lat)*simplifyTestMPerDeg
	dx, dy := (b.Lng-a.Lng)*kx, (b.Lat-a.Lat)*simplifyTestMPerDeg
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, (px*dx+py*dy)/l2))
	}
	return math.Hypot(px-t*dx, py-t*dy)
}

// wanderTrack is a drive with turns, speed changes, stops at lights and GPS noise.
func wanderTrack(n int, seed uint64) []tracking.TrackPoint {
	rng := rand.New(rand.NewPCG(seed, seed))
	pts := make([]tracking.TrackPoint, n)
	lat, lng, heading, speed := 27.8, 114.4, 0.0, 40.0
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	stopFor := 0
	for i := range pts {
		switch {
		case stopFor > 0:
			stopFor--
			speed = 0
		case rng.IntN(400) == 0:
			stopFor = 5 + rng.IntN(60) // a light, or parking
		default:
			speed = math.Max(10, math.Min(90, speed+rng.NormFloat64()*3))
			if rng.IntN(30) == 0 {
				heading += rng.NormFloat64() * math.Pi / 2
			} else {
				heading += rng.NormFloat64() * 0.02
			}
		}
		step := speed / 3.6 * 10
		lat += (step*math.Cos(heading) + rng.NormFloat64()*2) / simplifyTestMPerDeg
		lng += (step*math.Sin(heading) + rng.NormFloat64()*2) / (simplifyTestMPerDeg * math.Cos(lat*math.Pi/180))
		pts[i] = tracking.TrackPoint{Lat: lat, Lng: lng, SpeedKmh: speed, FixedAt: at, ACC: true}
		at = at.Add(10 * time.Second)
	}
	return pts
}
