package tracking

import (
	"context"
	"time"
)

// The overnight window of misuse_overnight_parking, minutes after midnight in the county's zone.
const (
	nightStart = 22 * 60
	nightEnd   = 6 * 60
)

// maxFencesAtOnce is how many fences one point is expected to be in at most without the
// detector allocating (more still work).
const maxFencesAtOnce = 16

// detectFences raises geofence_enter and geofence_exit as the vehicle crosses fences, and
// watches the misuses fences reveal: out of the county (misuse_out_of_area) and parked away
// from its parking point at night (misuse_overnight_parking). The first point after a start
// learns which fences the vehicle is in without raising anything.
func detectFences(ctx context.Context, s *Service, st *vstate, p *Point) {
	ix := s.fencesForDetect(ctx)
	if ix == nil {
		return
	}
	var buf [maxFencesAtOnce]*fence
	in := ix.appendAt(buf[:0], p.Lat, p.Lng)
	quiet := st.last.FixedAt.IsZero()
	for id := range st.fences {
		if hasFence(in, id) {
			continue
		}
		delete(st.fences, id)
		// A deleted fence is forgotten without an exit.
		if f := ix.byID[id]; f != nil && !quiet {
			s.raise(ctx, EventGeofenceExit, p, true, fenceDetail(f))
		}
	}
	for _, f := range in {
		if st.fences[f.id] {
			continue
		}
		st.fences[f.id] = true
		if !quiet {
			s.raise(ctx, EventGeofenceEnter, p, true, fenceDetail(f))
		}
	}
	s.detectOutOfArea(ctx, ix, st, p, in)
	s.detectOvernight(ctx, ix, st, p, in)
}

func hasFence(in []*fence, id int64) bool {
	for _, f := range in {
		if f.id == id {
			return true
		}
	}
	return false
}

func fenceDetail(f *fence) map[string]any {
	return map[string]any{"geofence_id": f.id, "name": f.name, "kind": f.kind}
}

// detectOutOfArea keeps the misuse_out_of_area episode: it opens when the vehicle moves outside
// every county boundary fence (when there is one) with no active task that allows leaving the
// county, holds while the vehicle stays out (moving or not), and closes when it comes back in
// or gets such a task. Raised after Options.MisuseAfter, as the other misuses.
func (s *Service) detectOutOfArea(ctx context.Context, ix *fenceIndex, st *vstate, p *Point, in []*fence) {
	out := false
	if ix.counties > 0 && !hasKind(in, FenceCountyBoundary) {
		_, open := st.misuse[EventMisuseOutArea]
		if open || moving(p) {
			task, active := s.tasks.ActiveTask(ctx, p.VehicleID, p.FixedAt)
			out = !(active && task.OutOfArea)
		}
	}
	s.episode(ctx, st, p, EventMisuseOutArea, out)
}

func hasKind(in []*fence, kind string) bool {
	for _, f := range in {
		if f.kind == kind {
			return true
		}
	}
	return false
}

// detectOvernight keeps the misuse_overnight_parking episode: between 22:00 and 06:00 in the
// county, a vehicle standing still (not moving(p)) outside the parking points it may use — its
// own designated one, or any shared one when it has none — opens an episode, raised after
// Options.MisuseAfter. It holds while the vehicle stays away, moving or not, and closes when the
// vehicle reaches an allowed parking point or the night ends. A vehicle is reported once a
// night: after a raised episode, the same night opens no other. Vehicles with no parking point
// at all are not judged.
func (s *Service) detectOvernight(ctx context.Context, ix *fenceIndex, st *vstate, p *Point, in []*fence) {
	away := false
	night, isNight := s.nightOf(p.FixedAt)
	if isNight && ix.hasParkingFor(p.VehicleID) && !inAllowedParking(ix, in, p.VehicleID) {
		if _, open := st.misuse[EventMisuseOvernight]; open {
			away = true
		} else {
			away = !moving(p) && s.fenceState().reportedNight(p.VehicleID) != night
		}
	}
	s.episode(ctx, st, p, EventMisuseOvernight, away)
	if m, ok := st.misuse[EventMisuseOvernight]; ok && m.eventID != 0 {
		s.fenceState().markNight(p.VehicleID, night)
	}
}

func inAllowedParking(ix *fenceIndex, in []*fence, vehicle int64) bool {
	for _, f := range in {
		if ix.allowedParking(f, vehicle) {
			return true
		}
	}
	return false
}

// nightOf reports whether t is in the overnight window and which night: the date of its
// evening as yyyymmdd (01:00 on the 2nd belongs to the night of the 1st).
func (s *Service) nightOf(t time.Time) (int, bool) {
	local := t.In(s.opt.Location)
	minute := local.Hour()*60 + local.Minute()
	if minute >= nightEnd && minute < nightStart {
		return 0, false
	}
	y, m, d := local.Add(-nightEnd * time.Minute).Date()
	return y*10000 + int(m)*100 + d, true
}

func (h *fenceHolder) reportedNight(vehicle int64) int {
	h.nightMu.Lock()
	defer h.nightMu.Unlock()
	return h.nights[vehicle]
}

func (h *fenceHolder) markNight(vehicle int64, night int) {
	h.nightMu.Lock()
	defer h.nightMu.Unlock()
	h.nights[vehicle] = night
}

// fenceSpeedLimit is the lowest speed limit of the fences the vehicle is in (st.fences, as
// detectFences left them for this point), for the overspeed detector (Service.fenceLimit).
func (s *Service) fenceSpeedLimit(st *vstate, p *Point) (float64, bool) {
	ix := s.fenceState().idx.Load()
	if ix == nil {
		return 0, false
	}
	limit, ok := 0.0, false
	for id := range st.fences {
		if f := ix.byID[id]; f != nil && f.speedLimit > 0 && (!ok || f.speedLimit < limit) {
			limit, ok = f.speedLimit, true
		}
	}
	return limit, ok
}
