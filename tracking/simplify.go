package tracking

import (
	"context"
	"math"
	"time"

	"fleet"
	"fleet/auth"
)

// Simplify reduces a track to the points that keep its shape within toleranceM metres
// (Douglas–Peucker, measured on a local equirectangular projection, to the segment rather than
// the line so that a U-turn keeps its tip), and always keeps the event points: the first and the
// last, each point where the alarm bits or ACC change, and the first and last point of each stop
// (at most 5 km/h within 50 m of where it began, for at least 5 minutes).
//
// It works in place, like slices.Compact: the result shares pts' backing array, whose contents it
// overwrites, and keeps the points in their order. It is iterative (no recursion, whatever the
// length) and allocates nothing for most tracks. A tolerance that is not above zero returns pts
// as it is.
func Simplify(pts []TrackPoint, toleranceM float64) []TrackPoint {
	n := len(pts)
	if n < 3 || !(toleranceM > 0) {
		return pts
	}
	var buf [64]dpSpan // the stack; deeper only for freak shapes
	stack := buf[:0]
	d := dpState{pts: pts, kx: metresPerDegreeLat * math.Cos(pts[0].Lat*math.Pi/180), ky: metresPerDegreeLat,
		tol2: toleranceM * toleranceM}
	var ev trackEvents
	ev.at(pts, 0, d.kx, d.ky)
	w, a := 1, 0 // pts[0] is kept where it is
	for b := 1; b < n; b++ {
		if !ev.at(pts, b, d.kx, d.ky) && b < n-1 {
			continue
		}
		// Every point before a is final and w <= a+1, so writing at w never overwrites a point
		// still to be read.
		w, stack = d.section(a, b, w, stack)
		a = b
	}
	return pts[:w]
}

// Stops as Simplify sees them (TrackPoint does not carry the builder's state).
const (
	simplifyStopKmh    = 5
	simplifyStopRadius = 50 // m
	simplifyStopFor    = 300 * time.Second
)

// trackEvents finds the event points in one pass, in index order.
type trackEvents struct {
	runStart, runEnd int // the current still run (runEnd < runStart: none yet)
	runIsStop        bool
}

// at reports whether pts[i] is an event point; it must be called for i = 0, 1, 2, ... in turn.
func (e *trackEvents) at(pts []TrackPoint, i int, kx, ky float64) bool {
	if i == 0 {
		e.runStart, e.runEnd = 0, -1
	}
	if i > e.runEnd && pts[i].SpeedKmh <= simplifyStopKmh {
		// A still run begins: find where it ends (each point is looked at once more, in all).
		j := i
		x0, y0 := pts[i].Lng*kx, pts[i].Lat*ky
		r2 := float64(simplifyStopRadius * simplifyStopRadius)
		for j+1 < len(pts) && pts[j+1].SpeedKmh <= simplifyStopKmh {
			dx, dy := pts[j+1].Lng*kx-x0, pts[j+1].Lat*ky-y0
			if dx*dx+dy*dy > r2 {
				break
			}
			j++
		}
		e.runStart, e.runEnd = i, j
		e.runIsStop = pts[j].FixedAt.Sub(pts[i].FixedAt) >= simplifyStopFor
	}
	if e.runIsStop && i <= e.runEnd && (i == e.runStart || i == e.runEnd) {
		return true
	}
	return i > 0 && (pts[i].Alarm != pts[i-1].Alarm || pts[i].ACC != pts[i-1].ACC)
}

type dpSpan struct{ i, j int }

// dpState is Douglas–Peucker over sections between event points, with an explicit stack.
type dpState struct {
	pts    []TrackPoint
	kx, ky float64 // metres per degree of longitude and latitude
	tol2   float64
}

// section simplifies pts[a..b], whose first point is already kept, and writes the kept points
// after it from index w on, in order; it returns the next free index and the stack to reuse.
func (d *dpState) section(a, b, w int, stack []dpSpan) (int, []dpSpan) {
	pts := d.pts
	// Left halves first: segments finish in index order, so kept points come out in order.
	stack = append(stack[:0], dpSpan{a, b})
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		k := d.farthest(s.i, s.j)
		if k < 0 {
			pts[w] = pts[s.j]
			w++
			continue
		}
		stack = append(stack, dpSpan{k, s.j}, dpSpan{s.i, k})
	}
	return w, stack
}

// farthest returns the index of the point of (i, j) farthest from the segment i–j, or -1 when
// none is farther than the tolerance.
func (d *dpState) farthest(i, j int) int {
	if j-i < 2 {
		return -1
	}
	pts := d.pts
	ax, ay := pts[i].Lng*d.kx, pts[i].Lat*d.ky
	dx, dy := pts[j].Lng*d.kx-ax, pts[j].Lat*d.ky-ay
	l2 := dx*dx + dy*dy
	inv := 0.0
	if l2 > 0 {
		inv = 1 / l2
	}
	k, max := -1, d.tol2
	for m := i + 1; m < j; m++ {
		px, py := pts[m].Lng*d.kx-ax, pts[m].Lat*d.ky-ay
		t := (px*dx + py*dy) * inv
		if t < 0 {
			t = 0
		} else if t > 1 {
			t = 1
		}
		ex, ey := px-t*dx, py-t*dy
		if e := ex*ex + ey*ey; e > max {
			k, max = m, e
		}
	}
	return k
}

// maxSimplifyTolerance is the largest tolerance a track request may ask for, in metres.
const maxSimplifyTolerance = 1000

// TrackSimplified returns the vehicle's track between from and to like Track, simplified to
// toleranceM metres (0: the raw track). The stored points are read and simplified a chunk at a
// time, so a month of points fits where the raw answer stops at 50,000; the simplified answer is
// held to the same bound, and a larger tolerance is asked for when it would pass it.
func (s *Service) TrackSimplified(ctx context.Context, a *auth.Actor, vehicleID int64, from, to time.Time, toleranceM float64) ([]TrackPoint, error) {
	if math.IsNaN(toleranceM) || toleranceM < 0 || toleranceM > maxSimplifyTolerance {
		return nil, fleet.Invalid(map[string]string{"tolerance_m": "must be from 0 to 1000 metres"})
	}
	if toleranceM == 0 {
		return s.Track(ctx, a, vehicleID, from, to)
	}
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if !to.After(from) {
		p.Add("to", "must be after from")
	} else if to.Sub(from) > maxTrackSpan {
		p.Add("to", "a track covers at most 31 days")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.requireVehicle(ctx, vehicleID); err != nil {
		return nil, err
	}
	out := []TrackPoint{}
	for cursor := from; ; {
		chunk, err := s.track(ctx, vehicleID, cursor, to)
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			break
		}
		next := chunk[len(chunk)-1].FixedAt.Add(time.Millisecond) // points are stored to the millisecond
		out = append(out, Simplify(chunk, toleranceM)...)
		if len(out) > maxTrackPoints {
			return nil, fleet.Invalid(map[string]string{"tolerance_m": "the simplified track still has more than 50000 points: ask for a larger tolerance or a shorter period"})
		}
		if len(chunk) < maxTrackPoints {
			break
		}
		cursor = next
	}
	return out, nil
}
