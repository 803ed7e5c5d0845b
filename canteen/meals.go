package canteen

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// MealInput plans a meal. An empty cut-off takes the settings' default for the kind; dishes
// may be added later.
type MealInput struct {
	Date     string  `json:"date"`
	Kind     string  `json:"kind"`
	CutoffAt string  `json:"cutoff_at"` // RFC 3339
	DishIDs  []int64 `json:"dish_ids"`
	Reason   string  `json:"reason"` // for the change log, when the week is published
}

// MealUpdate changes a meal before it is served: its cut-off, its dishes (when given), or both.
type MealUpdate struct {
	CutoffAt string   `json:"cutoff_at"`
	DishIDs  *[]int64 `json:"dish_ids"`
	Reason   string   `json:"reason"`
}

// ReasonInput carries a reason.
type ReasonInput struct {
	Reason string `json:"reason"`
}

// maxDishes is the most dishes one meal lists.
const maxDishes = 40

// CreateMeal plans a meal of a day; one meal of each kind a day. Booking opens at once and
// closes at the cut-off; on a published week the change is logged.
func (s *Service) CreateMeal(ctx context.Context, a *auth.Actor, in MealInput) (*Meal, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	day := checkDate(p, "date", &in.Date, true)
	if !oneOf(in.Kind, Kinds) {
		p.Add("kind", "must be breakfast, lunch or dinner")
	}
	cutoff := checkInstant(p, "cutoff_at", in.CutoffAt, false)
	checkCutoff(p, day, cutoff, s.opt.Location)
	checkDishIDs(p, in.DishIDs)
	in.Reason = p.Text("reason", in.Reason, false, 500)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		if cutoff.IsZero() {
			cutoff = at(s.opt.Location, in.Date, set.cutoff(in.Kind))
		}
		week, err := ensureWeek(tx, weekStart(day), now)
		if err != nil {
			return err
		}
		if old, err := mealByDayKind(tx, in.Date, in.Kind); err != nil {
			return err
		} else if old != nil {
			return mealTaken(in.Date, in.Kind)
		}
		names, err := activeDishes(tx, in.DishIDs)
		if err != nil {
			return err
		}
		m := &mealRow{WeekID: week.ID, Day: in.Date, Kind: in.Kind, CutoffAt: cutoff, Status: MealOpen, CreatedBy: ptr(a.UserID), CreatedAt: now, UpdatedAt: now}
		if err := insert(tx, m); err != nil {
			if fleet.ErrorCode(err) == fleet.EConflict {
				return mealTaken(in.Date, in.Kind)
			}
			return err
		}
		id = m.ID
		if err := setMealDishes(tx, m.ID, in.DishIDs); err != nil {
			return err
		}
		return s.logChange(tx, a, week, m, now, "add_meal", "", mealLine(m, in.DishIDs, names), in.Reason)
	})
	if err != nil {
		return nil, err
	}
	return s.GetMeal(ctx, a, id)
}

// UpdateMeal changes a meal's cut-off or dishes before it is served.
func (s *Service) UpdateMeal(ctx context.Context, a *auth.Actor, id int64, in MealUpdate) (*Meal, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	cutoff := checkInstant(p, "cutoff_at", in.CutoffAt, false)
	if in.DishIDs != nil {
		checkDishIDs(p, *in.DishIDs)
	}
	in.Reason = p.Text("reason", in.Reason, false, 500)
	if cutoff.IsZero() && in.DishIDs == nil && p.Err() == nil {
		p.Add("dish_ids", "send dish_ids, cutoff_at or both")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, week, err := s.changeableMeal(tx, id, now)
		if err != nil {
			return err
		}
		if !cutoff.IsZero() && !cutoff.Equal(m.CutoffAt.UTC()) {
			p := fleet.Problems{}
			day, _ := time.Parse(time.DateOnly, m.Day)
			if checkCutoff(p, day, cutoff, s.opt.Location); p.Err() != nil {
				return p.Err()
			}
			from := m.CutoffAt.In(s.opt.Location).Format("01-02 15:04")
			m.CutoffAt, m.UpdatedAt = cutoff, now
			if err := save(tx, m); err != nil {
				return err
			}
			if err := s.logChange(tx, a, week, m, now, "cutoff", from, cutoff.In(s.opt.Location).Format("01-02 15:04"), in.Reason); err != nil {
				return err
			}
		}
		if in.DishIDs == nil {
			return nil
		}
		return s.replaceDishes(tx, a, week, m, *in.DishIDs, now, in.Reason)
	})
	if err != nil {
		return nil, err
	}
	return s.GetMeal(ctx, a, id)
}

// replaceDishes sets a meal's dishes and logs what changed.
func (s *Service) replaceDishes(tx *gorm.DB, a *auth.Actor, week *weekRow, m *mealRow, ids []int64, now time.Time, reason string) error {
	oldIDs, err := mealDishes(tx, []int64{m.ID})
	if err != nil {
		return err
	}
	before := oldIDs[m.ID]
	if sameIDs(before, ids) {
		return nil
	}
	kept := map[int64]bool{}
	for _, id := range before {
		kept[id] = true
	}
	var fresh []int64
	for _, id := range ids {
		if !kept[id] {
			fresh = append(fresh, id)
		}
	}
	// A dish already on the meal may stay even when no longer active; a new one must be active.
	if _, err := activeDishes(tx, fresh); err != nil {
		return err
	}
	names, err := dishNames(tx, append(before, ids...))
	if err != nil {
		return err
	}
	if err := setMealDishes(tx, m.ID, ids); err != nil {
		return err
	}
	m.UpdatedAt = now
	if err := save(tx, m); err != nil {
		return err
	}
	return s.logChange(tx, a, week, m, now, "dishes", joinNames(before, names), joinNames(ids, names), reason)
}

// CancelMeal calls a meal off before it is served (a reason is needed: diners see it); its
// bookings stay on record, and no new ones are taken.
func (s *Service) CancelMeal(ctx context.Context, a *auth.Actor, id int64, in ReasonInput) (*Meal, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Reason = p.Text("reason", in.Reason, true, 500)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, week, err := s.changeableMeal(tx, id, now)
		if err != nil {
			return err
		}
		m.Status, m.CancelReason, m.UpdatedAt = MealCancelled, in.Reason, now
		if err := save(tx, m); err != nil {
			return err
		}
		return s.logChange(tx, a, week, m, now, "cancel", kindNames[m.Kind], "停供", in.Reason)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "canteen_meal_cancel", fmt.Sprintf("canteen_meal:%d", id), in.Reason)
	return s.GetMeal(ctx, a, id)
}

// DeleteMeal removes a meal planned by mistake: only on a draft week and while nobody has
// booked it (a published meal is cancelled instead, so that diners see why).
func (s *Service) DeleteMeal(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var m mealRow
		if err := take(tx, &m, id, true, "meal"); err != nil {
			return err
		}
		var w weekRow
		if err := take(tx, &w, m.WeekID, true, "week"); err != nil {
			return err
		}
		if w.Status == WeekPublished {
			return fleet.Errorf(fleet.EConflict, "the week's menu is published: cancel the meal instead, with a reason")
		}
		n, err := countReservations(tx, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return fleet.Errorf(fleet.EConflict, "%d diners booked this meal: cancel it instead, with a reason", n)
		}
		return deleteMeal(tx, id)
	})
}

// changeableMeal reads a meal and its week, locked, and refuses a meal cancelled or served.
func (s *Service) changeableMeal(tx *gorm.DB, id int64, now time.Time) (*mealRow, *weekRow, error) {
	var m mealRow
	if err := take(tx, &m, id, true, "meal"); err != nil {
		return nil, nil, err
	}
	if m.Status == MealCancelled {
		return nil, nil, fleet.Errorf(fleet.EConflict, "the meal is cancelled")
	}
	set, err := loadSettings(tx)
	if err != nil {
		return nil, nil, err
	}
	if !now.Before(at(s.opt.Location, m.Day, set.serve(m.Kind))) {
		return nil, nil, fleet.Errorf(fleet.EConflict, "the meal is being or has been served: its record is kept as it was")
	}
	var w weekRow
	if err := take(tx, &w, m.WeekID, true, "week"); err != nil {
		return nil, nil, err
	}
	return &m, &w, nil
}

// checkCutoff: a cut-off lies within a month of its meal's day (far-off values are typos).
func checkCutoff(p fleet.Problems, day, cutoff time.Time, loc *time.Location) {
	if day.IsZero() || cutoff.IsZero() {
		return
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
	if cutoff.Before(start.AddDate(0, 0, -31)) || cutoff.After(start.AddDate(0, 0, 2)) {
		p.Add("cutoff_at", "must fall within a month before the meal's day")
	}
}

func checkDishIDs(p fleet.Problems, ids []int64) {
	if len(ids) > maxDishes {
		p.Add("dish_ids", fmt.Sprintf("at most %d dishes a meal", maxDishes))
		return
	}
	seen := map[int64]bool{}
	for i, id := range ids {
		switch {
		case id <= 0:
			p.Add(fmt.Sprintf("dish_ids[%d]", i), "must be a dish id")
		case seen[id]:
			p.Add(fmt.Sprintf("dish_ids[%d]", i), "listed twice")
		}
		seen[id] = true
	}
}

// activeDishes checks that every id names an active dish and returns the names.
func activeDishes(tx *gorm.DB, ids []int64) (map[int64]string, error) {
	rows, err := dishesByID(tx, ids)
	if err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	names := map[int64]string{}
	for i, id := range ids {
		d, ok := rows[id]
		switch {
		case !ok:
			p.Add(fmt.Sprintf("dish_ids[%d]", i), "no such dish")
		case !d.Active:
			p.Add(fmt.Sprintf("dish_ids[%d]", i), "the dish is no longer cooked (inactive)")
		}
		names[id] = d.Name
	}
	return names, p.Err()
}

func dishNames(tx *gorm.DB, ids []int64) (map[int64]string, error) {
	rows, err := dishesByID(tx, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for id, d := range rows {
		out[id] = d.Name
	}
	return out, nil
}

func joinNames(ids []int64, names map[int64]string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = names[id]
	}
	if len(parts) == 0 {
		return "（无）"
	}
	return strings.Join(parts, "、")
}

func mealLine(m *mealRow, ids []int64, names map[int64]string) string {
	if len(ids) == 0 {
		return kindNames[m.Kind]
	}
	return kindNames[m.Kind] + "：" + joinNames(ids, names)
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func mealTaken(day, kind string) error {
	return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("there is a %s on %s already", kind, day),
		Fields: map[string]string{"kind": "this day has this meal already"}}
}
