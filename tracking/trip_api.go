package tracking

import (
	"context"
	"time"

	"fleet"
	"fleet/auth"
)

// maxTripSpan is the longest window one trips or days query may cover.
const maxTripSpan = 366 * 24 * time.Hour

// Trips returns the vehicle's trips and stops that overlap [from, to), oldest first, with the
// trip in progress and the stop the vehicle stands in marked open.
func (s *Service) Trips(ctx context.Context, a *auth.Actor, vehicleID int64, from, to time.Time) (*TripList, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if !to.After(from) {
		p.Add("to", "must be after from")
	} else if to.Sub(from) > maxTripSpan {
		p.Add("to", "a query covers at most a year")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.requireVehicle(ctx, vehicleID); err != nil {
		return nil, err
	}
	l, err := s.listTrips(ctx, vehicleID, from, to)
	if err != nil {
		return nil, err
	}
	t, st, err := s.openTrip(ctx, vehicleID)
	if err != nil {
		return nil, err
	}
	if t != nil && t.StartAt.Before(to) && !t.EndAt.Before(from) && !containsTrip(l.Trips, t.StartAt) {
		l.Trips = append(l.Trips, *t)
	}
	if st != nil && st.StartAt.Before(to) && !st.EndAt.Before(from) && !containsStop(l.Stops, st.StartAt) {
		l.Stops = append(l.Stops, *st)
	}
	return l, nil
}

func containsTrip(ts []Trip, start time.Time) bool {
	for i := range ts {
		if ts[i].StartAt.Equal(start) {
			return true
		}
	}
	return false
}

func containsStop(ss []Stop, start time.Time) bool {
	for i := range ss {
		if ss[i].StartAt.Equal(start) {
			return true
		}
	}
	return false
}

// openTrip returns the vehicle's trip in progress and open stop: from this instance's live
// builder when it has one, otherwise replayed from the store (the vehicle reports to another
// instance, or this one has not heard it since it started).
func (s *Service) openTrip(ctx context.Context, vehicleID int64) (*Trip, *Stop, error) {
	if ts := s.tripStates().lookup(vehicleID); ts != nil {
		ts.mu.Lock()
		if ts.b != nil {
			t, st := ts.b.open()
			ts.mu.Unlock()
			return t, st, nil
		}
		ts.mu.Unlock()
	}
	before := s.opt.Now().Add(s.opt.MaxFuture + time.Second)
	if last, ok := s.live.Last(vehicleID); ok && !last.FixedAt.IsZero() {
		before = last.FixedAt.Add(time.Millisecond) // the replay window ends at the latest point
	}
	b, err := s.primeTrips(ctx, vehicleID, before)
	if err != nil {
		return nil, nil, err
	}
	t, st := b.open()
	return t, st, nil
}

func (s *Service) requireVehicle(ctx context.Context, vehicleID int64) error {
	ok, err := s.vehicleExists(ctx, vehicleID)
	if err != nil {
		return err
	}
	if !ok {
		return fleet.Errorf(fleet.ENotFound, "vehicle not found")
	}
	return nil
}

// today is the county's current calendar day.
func (s *Service) countyToday() time.Time { return s.day(s.opt.Now()) }

// VehicleDays returns the vehicle's daily figures from one county day to another, both included
// (dates at UTC midnight, as time.Parse(time.DateOnly) gives them; zero: the last 30 days). A
// day without a row had no trip, overspeed or misuse.
func (s *Service) VehicleDays(ctx context.Context, a *auth.Actor, vehicleID int64, from, to time.Time) ([]VehicleDay, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	if to.IsZero() {
		to = s.countyToday()
	}
	if from.IsZero() {
		from = to.AddDate(0, 0, -29)
	}
	from, to = dayDate(from), dayDate(to)
	p := fleet.Problems{}
	if to.Before(from) {
		p.Add("to", "must not be before from")
	} else if to.Sub(from) > maxTripSpan {
		p.Add("to", "a query covers at most a year")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if err := s.requireVehicle(ctx, vehicleID); err != nil {
		return nil, err
	}
	return s.vehicleDays(ctx, vehicleID, from, to)
}

// FleetDay is one vehicle's figures for a day, for the console and the dispatch statistics.
type FleetDay struct {
	VehicleID  int64     `json:"vehicle_id"`
	Plate      string    `json:"plate"`
	Day        time.Time `json:"day"`
	DistanceKm float64   `json:"distance_km"`
	DrivingS   int       `json:"driving_s"`
	Trips      int       `json:"trips"`
	Overspeeds int       `json:"overspeeds"`
	Misuses    int       `json:"misuses"`
}

// FleetDays returns every vehicle's figures for the county day (zero: today), by vehicle id.
func (s *Service) FleetDays(ctx context.Context, a *auth.Actor, day time.Time) ([]FleetDay, error) {
	if err := a.Require(auth.PermLiveRead); err != nil {
		return nil, err
	}
	if day.IsZero() {
		day = s.countyToday()
	}
	return s.fleetDay(ctx, dayDate(day))
}

// dayDate is t's calendar date at UTC midnight, how DATE columns read back.
func dayDate(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
