package dispatch

import (
	"context"
	"fmt"

	"fleet"
	"fleet/auth"
)

// CreateShift adds a roster entry; 409 when it overlaps one of the driver's entries.
func (s *Service) CreateShift(ctx context.Context, a *auth.Actor, in ShiftInput) (*Shift, error) {
	if err := a.Require(auth.PermRostersWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	out, err := s.insertShifts(ctx, []ShiftInput{in}, actorID(a), s.now())
	if err != nil {
		return nil, err
	}
	sh := out[0]
	s.changed(ctx)
	s.record(ctx, a, "roster_create", shiftTarget(sh.ID), fmt.Sprintf("driver=%d %s %s/%s", sh.DriverID, sh.Kind,
		sh.Start.Format("2006-01-02T15:04Z"), sh.End.Format("2006-01-02T15:04Z")))
	return &sh, nil
}

// CreateShifts adds several roster entries (a week's plan) at once: all of them, or none when
// any is invalid (400 naming its index) or overlaps an entry already there or another of the
// batch (409).
func (s *Service) CreateShifts(ctx context.Context, a *auth.Actor, ins []ShiftInput) ([]Shift, error) {
	if err := a.Require(auth.PermRostersWrite); err != nil {
		return nil, err
	}
	if len(ins) == 0 {
		return []Shift{}, nil
	}
	for i := range ins {
		if err := ins[i].validate(); err != nil {
			return nil, fmt.Errorf("roster entry %d: %w", i, err)
		}
		for j := 0; j < i; j++ {
			if ins[j].DriverID == ins[i].DriverID && ins[j].start.Before(ins[i].end) && ins[j].end.After(ins[i].start) {
				return nil, &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("roster entries %d and %d overlap", j, i),
					Fields: map[string]string{"start": fmt.Sprintf("entry %d overlaps entry %d", i, j)}}
			}
		}
	}
	out, err := s.insertShifts(ctx, ins, actorID(a), s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "roster_create", "roster", fmt.Sprintf("%d entries from %s", len(out), out[0].Start.Format("2006-01-02T15:04Z")))
	return out, nil
}

// CreateRotation lays out a 24-hour standby rotation (24小时轮值) and adds all of it, or none of it
// when any standby would overlap an entry already on the roster (409, naming the entry).
func (s *Service) CreateRotation(ctx context.Context, a *auth.Actor, in RotationInput) ([]Shift, error) {
	if err := a.Require(auth.PermRostersWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	out, err := s.insertShifts(ctx, rotation(in, s.loc), actorID(a), s.now())
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	s.record(ctx, a, "roster_rotation", "roster", fmt.Sprintf("drivers=%v from=%s days=%d start_hour=%d",
		in.DriverIDs, in.From, in.Days, *in.StartHour))
	return out, nil
}

// ListShifts returns the roster entries overlapping the filter's window (by default the 7 days
// from the start of today), by start.
func (s *Service) ListShifts(ctx context.Context, a *auth.Actor, f ShiftFilter) ([]Shift, int64, error) {
	if err := a.Require(auth.PermRostersRead); err != nil {
		return nil, 0, err
	}
	if err := f.normalize(s.now(), s.loc); err != nil {
		return nil, 0, err
	}
	out, err := s.listShifts(ctx, f)
	return out, int64(len(out)), err
}

// MyShifts returns the signed-in driver's own roster entries in the filter's window.
func (s *Service) MyShifts(ctx context.Context, a *auth.Actor, f ShiftFilter) ([]Shift, int64, error) {
	if err := a.Require(auth.PermRostersOwn); err != nil {
		return nil, 0, err
	}
	id, err := s.driverIDOfUser(ctx, a.UserID)
	if err != nil {
		return nil, 0, err
	}
	f.DriverID = id
	if err := f.normalize(s.now(), s.loc); err != nil {
		return nil, 0, err
	}
	out, err := s.listShifts(ctx, f)
	return out, int64(len(out)), err
}

// DeleteShift removes a roster entry.
func (s *Service) DeleteShift(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermRostersWrite); err != nil {
		return err
	}
	sh, err := s.getShift(ctx, id)
	if err != nil {
		return err
	}
	if err := s.deleteShift(ctx, id); err != nil {
		return err
	}
	s.changed(ctx)
	s.record(ctx, a, "roster_delete", shiftTarget(id), fmt.Sprintf("driver=%d %s %s", sh.DriverID, sh.Kind, sh.Start.Format("2006-01-02T15:04Z")))
	return nil
}

func shiftTarget(id int64) string { return fmt.Sprintf("roster:%d", id) }

// actorID is the user id of a, or nil for the system.
func actorID(a *auth.Actor) *int64 {
	if a == nil || a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}
