package tracking

import (
	"context"
	"sync"
	"time"
)

// Tasks tells whether a vehicle is on an active dispatch task. The dispatch issue implements it;
// until then no vehicle has a task (NoTasks).
type Tasks interface {
	// ActiveTask reports whether the vehicle has a task under way at the time, and whether that
	// task allows leaving the county.
	ActiveTask(ctx context.Context, vehicleID int64, at time.Time) (active, outOfArea bool)
}

// NoTasks is the Tasks of a platform without dispatch: nobody is on a task.
type NoTasks struct{}

// ActiveTask implements Tasks.
func (NoTasks) ActiveTask(context.Context, int64, time.Time) (bool, bool) { return false, false }

// vstate is what the detectors remember of one vehicle between its points.
type vstate struct {
	mu   sync.Mutex
	last Point // the previous live point (zero before the first)

	alarms     uint32         // alarm bits on at the previous point
	alarmEvent map[int]int64  // open alarm event by bit
	over       overspeedState // the current overspeed episode
	misuse     map[string]misuseState
	fences     map[int64]bool // geofences the vehicle is inside
}

// step is one detector: it looks at a live point of a vehicle, with the vehicle's state locked.
type step func(ctx context.Context, s *Service, st *vstate, p *Point)

// detectors run in this order for every point that moved a vehicle.
var detectors = []step{detectFences, detectAlarms, detectOverspeed, detectMisuse, detectTrips}

// states holds the detectors' state of every vehicle.
type states struct {
	mu sync.Mutex
	m  map[int64]*vstate
}

func (ss *states) get(id int64) *vstate {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.m == nil {
		ss.m = map[int64]*vstate{}
	}
	st, ok := ss.m[id]
	if !ok {
		st = &vstate{alarmEvent: map[int]int64{}, misuse: map[string]misuseState{}, fences: map[int64]bool{}}
		ss.m[id] = st
	}
	return st
}

// detect runs the detectors for live points (never for late or blind-zone ones).
func (s *Service) detect(ctx context.Context, p *Point) {
	if s.opt.NoDetectors {
		return
	}
	st := s.states.get(p.VehicleID)
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, d := range detectors {
		d(ctx, s, st, p)
	}
	for _, d := range s.extra {
		d(ctx, s, st, p)
	}
	st.last = *p
}
