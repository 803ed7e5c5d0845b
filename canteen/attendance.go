package canteen

import (
	"context"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// MealReservations lists who booked a meal, by point and name, for the kitchen and the
// serving windows.
func (s *Service) MealReservations(ctx context.Context, a *auth.Actor, mealID int64) ([]Reservation, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var m mealRow
	if err := take(db, &m, mealID, false, "meal"); err != nil {
		return nil, err
	}
	rows, err := mealReservations(db, mealID)
	if err != nil {
		return nil, err
	}
	return s.named(db, rows)
}

// named turns booking rows into views with the diners' names and units.
func (s *Service) named(db *gorm.DB, rows []reservationRow) ([]Reservation, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.UserID
	}
	n, err := loadNames(db, ids, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Reservation, len(rows))
	for i, r := range rows {
		v := r.reservation()
		v.Name, _ = n.author(r.UserID)
		v.Unit = n.units[r.UnitID]
		out[i] = v
	}
	return out, nil
}

// MarkNoShow records whether a booked diner came, once serving has started. A no-show counts
// against the forecast's show-up rate and may not rate the meal.
func (s *Service) MarkNoShow(ctx context.Context, a *auth.Actor, id int64, in NoShowInput) (*Reservation, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	var row reservationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &row, id, true, "booking"); err != nil {
			return err
		}
		var m mealRow
		if err := take(tx, &m, row.MealID, false, "meal"); err != nil {
			return err
		}
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		if now.Before(at(s.opt.Location, m.Day, set.serve(m.Kind))) {
			return fleet.Errorf(fleet.EConflict, "no-shows are recorded once serving has started")
		}
		if m.Status == MealCancelled {
			return fleet.Errorf(fleet.EConflict, "the meal is cancelled")
		}
		row.NoShow, row.UpdatedAt = in.NoShow, now
		row.MarkedBy, row.MarkedAt = ptr(a.UserID), &now
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	out, err := s.named(s.read(ctx), []reservationRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}
