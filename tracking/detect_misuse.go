package tracking

import (
	"context"
	"time"
)

// misuseState is an ongoing misuse episode of one kind.
type misuseState struct {
	since   time.Time // first moving point of the episode
	eventID int64
}

// moving is the motion test of the misuse rules: ACC on or faster than 5 km/h.
func moving(p *Point) bool { return p.ACC || p.SpeedKmh > 5 }

// detectMisuse watches movement for 公车私用: moving longer than Options.MisuseAfter with no
// active dispatch task (misuse_no_task), or outside working hours without one (misuse_off_hours:
// a dispatched trip at night or on a weekend was approved). An episode closes when the vehicle
// stops, a task begins, or working hours begin.
func detectMisuse(ctx context.Context, s *Service, st *vstate, p *Point) {
	active := false
	if moving(p) {
		_, active = s.tasks.ActiveTask(ctx, p.VehicleID, p.FixedAt)
	}
	s.episode(ctx, st, p, EventMisuseNoTask, moving(p) && !active)
	s.episode(ctx, st, p, EventMisuseOffHours, moving(p) && !active && !s.calendar.working(ctx, s, p.FixedAt))
}

// episode keeps one kind of misuse episode: it starts when cond holds, is raised once it held
// for Options.MisuseAfter, and ends at the first point where it no longer holds.
func (s *Service) episode(ctx context.Context, st *vstate, p *Point, kind string, cond bool) {
	m, ok := st.misuse[kind]
	if !cond {
		if ok {
			if m.eventID != 0 {
				s.end(ctx, m.eventID, p, nil)
				s.countDay(ctx, p.VehicleID, m.since, "misuses")
			}
			delete(st.misuse, kind)
		}
		return
	}
	if !ok {
		m = misuseState{since: p.FixedAt}
	}
	if m.eventID == 0 && p.FixedAt.Sub(m.since) >= s.opt.MisuseAfter {
		start := *p
		start.FixedAt = m.since
		m.eventID = s.raise(ctx, kind, &start, false, map[string]any{"since": m.since})
	}
	st.misuse[kind] = m
}
