package tracking

import (
	"context"
	"sync"
	"time"
)

// Tasks tells whether a vehicle is on an active dispatch task. The dispatch module implements it;
// without it no vehicle has a task (NoTasks). It is asked for every live point and every map
// frame, so an implementation answers from memory.
type Tasks interface {
	// ActiveTask returns the vehicle's task under way at the time, if any.
	ActiveTask(ctx context.Context, vehicleID int64, at time.Time) (Task, bool)
}

// Task is what tracking knows of a dispatch task: enough to tell the map and the detectors.
type Task struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`       // e.g. the request's purpose and destination
	DriverID  int64  `json:"driver_id"`   // zero when no driver is assigned
	Driver    string `json:"driver"`      // the driver's name
	OutOfArea bool   `json:"out_of_area"` // the task allows leaving the county
}

// NoTasks is the Tasks of a platform without dispatch: nobody is on a task.
type NoTasks struct{}

// ActiveTask implements Tasks.
func (NoTasks) ActiveTask(context.Context, int64, time.Time) (Task, bool) { return Task{}, false }

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
