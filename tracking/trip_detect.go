package tracking

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// detectTrips feeds the live point to the vehicle's trip builder and stores what it closes. The
// builder is primed from the store on the vehicle's first point after a start, so a restart
// does not cut the trip in progress.
func detectTrips(ctx context.Context, s *Service, _ *vstate, p *Point) {
	ts := s.tripStates().get(p.VehicleID)
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.b == nil {
		b, err := s.primeTrips(ctx, p.VehicleID, p.FixedAt)
		if err != nil {
			// The point is stored: the next one primes again and replays it.
			s.opt.Logger.Warn("prime trips", slog.Int64("vehicle_id", p.VehicleID), slog.Any("error", err))
			return
		}
		ts.b = b
	}
	ts.b.add(p)
	ts.heardAt = s.opt.Now()
	s.storeClosed(ctx, ts)
}

// storeClosed saves what the builder closed, with what failed to save before (kept for the next
// point, a bounded number: RecomputeTrips repairs anything lost).
func (s *Service) storeClosed(ctx context.Context, ts *tripState) {
	trips, stops := ts.b.drain()
	if len(trips) == 0 && len(stops) == 0 && len(ts.unsavedTrips) == 0 && len(ts.unsavedStops) == 0 {
		return
	}
	ts.unsavedTrips = append(ts.unsavedTrips, trips...)
	ts.unsavedStops = append(ts.unsavedStops, stops...)
	if err := s.saveTrips(ctx, ts.unsavedTrips, ts.unsavedStops); err != nil {
		s.opt.Logger.Error("store trips", slog.Int64("vehicle_id", ts.b.vehicleID), slog.Any("error", err))
		if len(ts.unsavedTrips)+len(ts.unsavedStops) > maxUnsaved {
			ts.unsavedTrips, ts.unsavedStops = nil, nil
		}
		return
	}
	ts.unsavedTrips, ts.unsavedStops = ts.unsavedTrips[:0], ts.unsavedStops[:0]
}

const maxUnsaved = 100

// The replay that primes a builder reads at most primeRows points of at most primeWindow: enough
// for hours of driving, and a range that MySQL prunes to a partition or two.
const (
	primeRows   = 5000
	primeWindow = 12 * time.Hour
)

// primeTrips returns a builder in the state the stored points before `before` lead to: it
// replays them from the end of the vehicle's last stored trip (the trip in progress, or the stop
// since). Trips and stops the replay closes are already stored, or are stored again (same key).
func (s *Service) primeTrips(ctx context.Context, vehicleID int64, before time.Time) (*tripBuilder, error) {
	b := newTripBuilder(s.tripOptions(), vehicleID)
	last, err := s.lastTripBefore(ctx, vehicleID, before)
	if err != nil {
		return b, err
	}
	since := before.Add(-primeWindow)
	if last != nil && last.EndAt.After(since) {
		since = last.EndAt
	}
	pts, more, err := s.latestPositions(ctx, vehicleID, since, before, primeRows)
	if err != nil {
		return b, err
	}
	if last != nil && (more || since.After(last.EndAt)) {
		// The replay starts after the last trip's end: the vehicle has stood there since.
		b.add(&Point{VehicleID: vehicleID, FixedAt: last.EndAt.UTC(), Lat: last.EndLat, Lng: last.EndLng})
	}
	for i := range pts {
		b.add(&pts[i])
	}
	return b, nil
}

// CloseSilentTrips ends the trips of vehicles that sent no live point for longer than the no-data
// gap, as their next point would, so that a vehicle switched off mid-trip has its trip and day
// figures stored. Call it now and then (the online check does).
func (s *Service) CloseSilentTrips(ctx context.Context) {
	gap := s.tripOptions().MaxGap
	now := s.opt.Now()
	for _, ts := range s.tripStates().all() {
		ts.mu.Lock()
		if ts.b != nil && ts.b.has && (ts.b.driving || ts.b.cand) && now.Sub(ts.heardAt) > gap {
			ts.b.silence()
			s.storeClosed(ctx, ts)
		}
		ts.mu.Unlock()
	}
}

// tripState is a vehicle's live trip builder.
type tripState struct {
	mu           sync.Mutex
	b            *tripBuilder // nil until primed from the store
	heardAt      time.Time    // when the last live point came (the service's clock)
	unsavedTrips []Trip
	unsavedStops []Stop
}

// tripStates holds the live trip builders of one service's vehicles.
type tripStates struct {
	mu sync.Mutex
	m  map[int64]*tripState
}

func (ts *tripStates) get(id int64) *tripState {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.m == nil {
		ts.m = map[int64]*tripState{}
	}
	st, ok := ts.m[id]
	if !ok {
		st = &tripState{}
		ts.m[id] = st
	}
	return st
}

func (ts *tripStates) lookup(id int64) *tripState {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.m[id]
}

func (ts *tripStates) all() []*tripState {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	out := make([]*tripState, 0, len(ts.m))
	for _, st := range ts.m {
		out = append(out, st)
	}
	return out
}

// forget drops the vehicle's builder: the next point primes a new one from the store.
func (ts *tripStates) forget(id int64) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	delete(ts.m, id)
}

func (s *Service) tripStates() *tripStates { return &s.trips }
