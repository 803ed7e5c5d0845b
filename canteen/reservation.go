package canteen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Reservation is a diner's booking of a meal at a serving point. Name and Unit are shown to
// those who run the canteen; Date, Kind, CutoffAt and Status describe the meal.
type Reservation struct {
	ID        int64      `json:"id"`
	MealID    int64      `json:"meal_id"`
	UserID    int64      `json:"user_id"`
	Name      string     `json:"name,omitempty"`
	UnitID    int64      `json:"unit_id"`
	Unit      string     `json:"unit,omitempty"`
	Point     string     `json:"point"`
	NoShow    bool       `json:"no_show"`
	MarkedAt  *time.Time `json:"marked_at"`
	CreatedAt time.Time  `json:"created_at"`
	Date      string     `json:"date,omitempty"`
	Kind      string     `json:"kind,omitempty"`
	CutoffAt  *time.Time `json:"cutoff_at,omitempty"`
	Bookable  bool       `json:"bookable"` // the booking may still be changed or cancelled
}

// BookInput books a meal.
type BookInput struct {
	MealID int64  `json:"meal_id"`
	Point  string `json:"point"`
}

// PointInput moves a booking to another serving point.
type PointInput struct {
	Point string `json:"point"`
}

// NoShowInput marks whether a booked diner came.
type NoShowInput struct {
	NoShow bool `json:"no_show"`
}

func checkPoint(p fleet.Problems, point string) {
	if !oneOf(point, Points) {
		p.Add("point", "must be dine_in or takeaway")
	}
}

// Book books a meal for the caller until its cut-off. A second booking of the same meal is
// refused with 409 even when both arrive at once: the unique index on (meal, diner) decides.
func (s *Service) Book(ctx context.Context, a *auth.Actor, in BookInput) (*Reservation, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if in.MealID <= 0 {
		p.Add("meal_id", "required")
	}
	checkPoint(p, in.Point)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var out Reservation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var m mealRow
		if err := take(tx, &m, in.MealID, false, "meal"); err != nil {
			if fleet.ErrorCode(err) == fleet.ENotFound {
				return fleet.Invalid(map[string]string{"meal_id": "no such meal"})
			}
			return err
		}
		if err := bookable(&m, now, s.opt.Location); err != nil {
			return err
		}
		if old, err := reservationOf(tx, m.ID, a.UserID); err != nil {
			return err
		} else if old != nil {
			return alreadyBooked(old.Point)
		}
		r := &reservationRow{MealID: m.ID, UserID: a.UserID, UnitID: a.UnitID, Point: in.Point, CreatedAt: now, UpdatedAt: now}
		if err := insert(tx, r); err != nil {
			if fleet.ErrorCode(err) == fleet.EConflict {
				return alreadyBooked("")
			}
			return err
		}
		out = r.reservation()
		out.Date, out.Kind, out.CutoffAt, out.Bookable = m.Day, m.Kind, utc(&m.CutoffAt), true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// ChangePoint moves the caller's own booking to the other serving point before the cut-off.
func (s *Service) ChangePoint(ctx context.Context, a *auth.Actor, id int64, in PointInput) (*Reservation, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	checkPoint(p, in.Point)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var out Reservation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		r, m, err := s.ownBooking(tx, a, id)
		if err != nil {
			return err
		}
		r.Point, r.UpdatedAt = in.Point, s.now()
		if err := save(tx, r); err != nil {
			return err
		}
		out = r.reservation()
		out.Date, out.Kind, out.CutoffAt, out.Bookable = m.Day, m.Kind, utc(&m.CutoffAt), true
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelBooking deletes the caller's own booking before the cut-off (another diner's: 403).
func (s *Service) CancelBooking(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		r, _, err := s.ownBooking(tx, a, id)
		if err != nil {
			return err
		}
		return deleteReservation(tx, r.ID)
	})
}

// CancelMealBooking deletes the caller's booking of a meal before the cut-off.
func (s *Service) CancelMealBooking(ctx context.Context, a *auth.Actor, mealID int64) error {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		r, err := reservationOf(tx, mealID, a.UserID)
		if err != nil {
			return err
		}
		if r == nil {
			return fleet.Errorf(fleet.ENotFound, "you have not booked this meal")
		}
		if _, _, err := s.ownBooking(tx, a, r.ID); err != nil {
			return err
		}
		return deleteReservation(tx, r.ID)
	})
}

// ownBooking reads a booking of the caller, locked, whose meal is still bookable.
func (s *Service) ownBooking(tx *gorm.DB, a *auth.Actor, id int64) (*reservationRow, *mealRow, error) {
	var r reservationRow
	if err := take(tx, &r, id, true, "booking"); err != nil {
		return nil, nil, err
	}
	if r.UserID != a.UserID {
		return nil, nil, fleet.Errorf(fleet.EForbidden, "this is another diner's booking")
	}
	var m mealRow
	if err := take(tx, &m, r.MealID, false, "meal"); err != nil {
		return nil, nil, err
	}
	if err := bookable(&m, s.now(), s.opt.Location); err != nil {
		return nil, nil, err
	}
	return &r, &m, nil
}

// bookable refuses a meal that is cancelled or past its cut-off.
func bookable(m *mealRow, now time.Time, loc *time.Location) error {
	if m.Status == MealCancelled {
		return fleet.Errorf(fleet.EConflict, "the meal is cancelled: %s", m.CancelReason)
	}
	if !now.Before(m.CutoffAt) {
		return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("booking closed at the cut-off, %s", m.CutoffAt.In(loc).Format("2006-01-02 15:04")),
			Fields: map[string]string{"meal_id": "past the cut-off"}}
	}
	return nil
}

func alreadyBooked(point string) error {
	msg := "you have booked this meal already"
	if point != "" {
		msg += " (" + pointNames[point] + ")"
	}
	return &fleet.Error{Code: fleet.EConflict, Message: msg, Fields: map[string]string{"meal_id": "booked already"}}
}

// MyBookingsQuery narrows MyBookings to days.
type MyBookingsQuery struct {
	From, To string
}

// MyBookings returns the caller's bookings of the days from–to (default: from today, four weeks).
func (s *Service) MyBookings(ctx context.Context, a *auth.Actor, q MyBookingsQuery) ([]Reservation, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	if err := checkRange(&q.From, &q.To); err != nil {
		return nil, err
	}
	now := s.now()
	if q.From == "" {
		q.From = s.today(now)
	}
	if q.To == "" {
		q.To = addDays(q.From, 27)
	}
	rows, meals, err := userBookings(s.read(ctx), a.UserID, q.From, q.To)
	if err != nil {
		return nil, err
	}
	out := make([]Reservation, len(rows))
	for i, r := range rows {
		m := meals[r.MealID]
		v := r.reservation()
		v.Date, v.Kind, v.CutoffAt = m.Day, m.Kind, utc(&m.CutoffAt)
		v.Bookable = bookable(&m, now, s.opt.Location) == nil
		out[i] = v
	}
	return out, nil
}

// Counts returns a meal's bookings by serving point.
func (s *Service) Counts(ctx context.Context, a *auth.Actor, mealID int64) (*Counts, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var m mealRow
	if err := take(db, &m, mealID, false, "meal"); err != nil {
		return nil, err
	}
	counts, err := mealCounts(db, []int64{mealID})
	if err != nil {
		return nil, err
	}
	c := counts[mealID]
	return &c, nil
}

func (r *reservationRow) reservation() Reservation {
	return Reservation{ID: r.ID, MealID: r.MealID, UserID: r.UserID, UnitID: r.UnitID, Point: r.Point, NoShow: r.NoShow,
		MarkedAt: utc(r.MarkedAt), CreatedAt: r.CreatedAt.UTC()}
}
