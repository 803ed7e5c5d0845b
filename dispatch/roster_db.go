package dispatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

type shiftRow struct {
	ID         int64
	DriverID   int64
	DriverName string `gorm:"->;-:migration"` // read from the join with drivers
	StartAt    time.Time
	EndAt      time.Time
	Kind       string
	Note       string
	CreatedBy  *int64
	CreatedAt  time.Time
}

func (shiftRow) TableName() string { return "roster_shifts" }

func (r *shiftRow) shift() Shift {
	return Shift{ID: r.ID, DriverID: r.DriverID, DriverName: r.DriverName, Start: r.StartAt.UTC(), End: r.EndAt.UTC(),
		Kind: r.Kind, Note: r.Note, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt}
}

func shiftErr(err error) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "roster entry not found")
	case store.IsForeignKey(err):
		return fleet.Invalid(map[string]string{"driver_id": "no such driver"})
	}
	return fmt.Errorf("dispatch: roster: %w", err)
}

// shiftsQuery selects roster entries with their driver's name, overlapping [from, to). The lower
// bound on the start lets the index on start_at serve it: no entry is longer than MaxShift.
func shiftsQuery(tx *gorm.DB, from, to time.Time) *gorm.DB {
	from, to = from.UTC(), to.UTC() // SQLite compares times as text: one zone for all
	return tx.Table("roster_shifts").
		Select("roster_shifts.*, drivers.name AS driver_name").
		Joins("JOIN drivers ON drivers.id = roster_shifts.driver_id").
		Where("roster_shifts.start_at < ? AND roster_shifts.end_at > ? AND roster_shifts.start_at > ?", to, from, from.Add(-MaxShift))
}

func findShifts(q *gorm.DB) ([]Shift, error) {
	var rows []shiftRow
	if err := q.Order("roster_shifts.driver_id, roster_shifts.start_at").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Shift, len(rows))
	for i := range rows {
		out[i] = rows[i].shift()
	}
	return out, nil
}

// OnDuty reports whether the driver is on duty for the whole of [from, to): their status is
// on_duty (not off duty or on leave) and roster entries cover the span without a gap. tx is the
// caller's transaction, or nil.
func (s *Service) OnDuty(ctx context.Context, tx *gorm.DB, driverID int64, from, to time.Time) (bool, error) {
	if tx == nil {
		tx = s.db.DB
	}
	shifts, err := findShifts(shiftsQuery(tx.WithContext(ctx), from, to).
		Where("roster_shifts.driver_id = ? AND drivers.status = ?", driverID, DriverOnDuty))
	if err != nil {
		return false, shiftErr(err)
	}
	return covered(shifts, from, to), nil
}

// DutyDrivers returns the ids of the drivers on duty (as OnDuty says) for the whole of [from, to),
// in one query.
func (s *Service) DutyDrivers(ctx context.Context, from, to time.Time) (map[int64]bool, error) {
	shifts, err := findShifts(shiftsQuery(s.db.WithContext(ctx), from, to).Where("drivers.status = ?", DriverOnDuty))
	if err != nil {
		return nil, shiftErr(err)
	}
	out := map[int64]bool{}
	for i := 0; i < len(shifts); {
		j := i
		for j < len(shifts) && shifts[j].DriverID == shifts[i].DriverID {
			j++
		}
		if covered(shifts[i:j], from, to) {
			out[shifts[i].DriverID] = true
		}
		i = j
	}
	return out, nil
}

// insertShifts adds roster entries in one transaction, all or none: it locks the drivers' rows
// (MySQL; SQLite's write transaction holds the database) so that two dispatchers cannot roster
// one driver twice, then refuses any entry overlapping one already there.
func (s *Service) insertShifts(ctx context.Context, ins []ShiftInput, by *int64, now time.Time) ([]Shift, error) {
	var out []Shift
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ids, from, to := map[int64]bool{}, ins[0].start, ins[0].end
		var order []int64
		for _, in := range ins {
			if !ids[in.DriverID] {
				ids[in.DriverID] = true
				order = append(order, in.DriverID)
			}
			if in.start.Before(from) {
				from = in.start
			}
			if in.end.After(to) {
				to = in.end
			}
		}
		names, err := lockDrivers(tx, order)
		if err != nil {
			return err
		}
		existing, err := findShifts(shiftsQuery(tx, from, to).Where("roster_shifts.driver_id IN ?", order))
		if err != nil {
			return err
		}
		rows := make([]shiftRow, len(ins))
		for i, in := range ins {
			for j := range existing {
				if existing[j].DriverID == in.DriverID && overlapping(existing[j:j+1], in.start, in.end) != nil {
					return overlapErr(&existing[j], s.loc)
				}
			}
			rows[i] = shiftRow{DriverID: in.DriverID, StartAt: in.start, EndAt: in.end, Kind: in.Kind, Note: in.Note,
				CreatedBy: by, CreatedAt: now}
		}
		if err := tx.Create(&rows).Error; err != nil {
			return err
		}
		out = make([]Shift, len(rows))
		for i := range rows {
			rows[i].DriverName = names[rows[i].DriverID]
			out[i] = rows[i].shift()
		}
		return nil
	})
	return out, shiftErr(err)
}

// lockDrivers locks the drivers' rows in id order and returns their names; a missing driver is
// an invalid input.
func lockDrivers(tx *gorm.DB, ids []int64) (map[int64]string, error) {
	var rows []driverRow
	if err := tx.Clauses(lockingClause(tx)...).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(rows))
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	for _, id := range ids {
		if _, ok := names[id]; !ok {
			field := "driver_id"
			if len(ids) > 1 {
				field = "driver_ids"
			}
			return nil, fleet.Invalid(map[string]string{field: fmt.Sprintf("no driver %d", id)})
		}
	}
	return names, nil
}

func (s *Service) listShifts(ctx context.Context, f ShiftFilter) ([]Shift, error) {
	q := shiftsQuery(s.db.WithContext(ctx), f.from, f.to)
	if f.DriverID != 0 {
		q = q.Where("roster_shifts.driver_id = ?", f.DriverID)
	}
	var rows []shiftRow
	if err := q.Order("roster_shifts.start_at, roster_shifts.driver_id").Find(&rows).Error; err != nil {
		return nil, shiftErr(err)
	}
	out := make([]Shift, len(rows))
	for i := range rows {
		out[i] = rows[i].shift()
	}
	return out, nil
}

func (s *Service) getShift(ctx context.Context, id int64) (*Shift, error) {
	var r shiftRow
	err := s.db.WithContext(ctx).Table("roster_shifts").
		Select("roster_shifts.*, drivers.name AS driver_name").
		Joins("JOIN drivers ON drivers.id = roster_shifts.driver_id").
		Where("roster_shifts.id = ?", id).Take(&r).Error
	if err != nil {
		return nil, shiftErr(err)
	}
	sh := r.shift()
	return &sh, nil
}

func (s *Service) deleteShift(ctx context.Context, id int64) error {
	res := s.db.WithContext(ctx).Delete(&shiftRow{}, id)
	if res.Error == nil && res.RowsAffected == 0 {
		return fleet.Errorf(fleet.ENotFound, "roster entry not found")
	}
	return shiftErr(res.Error)
}

// driverIDOfUser returns the driver record linked to a user account.
func (s *Service) driverIDOfUser(ctx context.Context, userID int64) (int64, error) {
	var r driverRow
	err := s.db.WithContext(ctx).Select("id").Where("user_id = ?", userID).Take(&r).Error
	if store.IsNotFound(err) {
		return 0, fleet.Errorf(fleet.ENotFound, "your account is not linked to a driver record")
	}
	if err != nil {
		return 0, driverErr(err)
	}
	return r.ID, nil
}
