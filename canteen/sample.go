package canteen

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Retained samples (留样): of every dish of every meal, at least 125 g kept refrigerated for at
// least 48 hours in its own sealed container, with who took it and when it was discarded (the
// food-safety rules for canteens: 《餐饮服务食品安全操作规范》 and GB 31654-2021). A sample that
// breaks a rule is kept on record with a warning rather than refused: the record must say what
// really happened.
const (
	MinSampleG       = 125
	MinSampleHours   = 48
	DiscardGraceDays = 1 // a sample not discarded a day after its 48 hours is overdue
	maxSampleG       = 5000
)

// Warnings of a sample.
const (
	WarnUnderWeight     = "under_weight"
	WarnNotRefrigerated = "not_refrigerated"
	WarnDiscardedEarly  = "discarded_early"
	WarnDiscardOverdue  = "discard_overdue"
)

// Sample is a retained sample of a dish.
type Sample struct {
	ID            int64      `json:"id"`
	MealID        *int64     `json:"meal_id"`
	Date          string     `json:"date"`
	Kind          string     `json:"kind"`
	DishID        *int64     `json:"dish_id"`
	Dish          string     `json:"dish"`
	WeightG       int        `json:"weight_g"`
	Refrigerated  bool       `json:"refrigerated"`
	TakenAt       time.Time  `json:"taken_at"`
	TakenBy       string     `json:"taken_by"`
	KeepUntil     time.Time  `json:"keep_until"` // 48 hours after it was taken
	DiscardedAt   *time.Time `json:"discarded_at"`
	DiscardedBy   string     `json:"discarded_by"`
	DiscardReason string     `json:"discard_reason"`
	Note          string     `json:"note"`
	Warnings      []string   `json:"warnings"`
}

// SampleInput records a sample: of a dish of a meal (meal_id, dish_id), or a dish named freely.
type SampleInput struct {
	MealID       *int64 `json:"meal_id"`
	DishID       *int64 `json:"dish_id"`
	Dish         string `json:"dish"`
	WeightG      *int   `json:"weight_g"`
	Refrigerated *bool  `json:"refrigerated"`
	TakenAt      string `json:"taken_at"` // RFC 3339; default now
	TakenBy      string `json:"taken_by"`
	Note         string `json:"note"`
}

// DiscardInput records a sample's disposal.
type DiscardInput struct {
	DiscardedAt string `json:"discarded_at"` // RFC 3339; default now
	DiscardedBy string `json:"discarded_by"`
	Reason      string `json:"reason"` // why, when before 48 hours (sent for testing, …)
}

func (in *SampleInput) check(now time.Time) (time.Time, error) {
	p := fleet.Problems{}
	if in.MealID != nil && *in.MealID <= 0 {
		p.Add("meal_id", "must be a meal id")
	}
	if in.DishID != nil && *in.DishID <= 0 {
		p.Add("dish_id", "must be a dish id")
	}
	in.Dish = p.Text("dish", in.Dish, in.DishID == nil, 100)
	switch {
	case in.WeightG == nil:
		p.Add("weight_g", "required: grams kept (at least 125)")
	case *in.WeightG <= 0:
		p.Add("weight_g", "must be more than 0 grams")
	case *in.WeightG > maxSampleG:
		p.Add("weight_g", "at most 5000 grams")
	}
	if in.Refrigerated == nil {
		p.Add("refrigerated", "required: whether the sample is kept refrigerated")
	}
	in.TakenBy = p.Text("taken_by", in.TakenBy, true, 100)
	in.Note = p.Text("note", in.Note, false, 500)
	taken := checkInstant(p, "taken_at", in.TakenAt, false)
	if taken.IsZero() {
		taken = now
	} else if taken.After(now.Add(5 * time.Minute)) {
		p.Add("taken_at", "must not be in the future")
	}
	return taken, p.Err()
}

// RecordSample records a retained sample.
func (s *Service) RecordSample(ctx context.Context, a *auth.Actor, in SampleInput) (*Sample, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	taken, err := in.check(now)
	if err != nil {
		return nil, err
	}
	row := &sampleRow{MealID: in.MealID, DishID: in.DishID, DishName: in.Dish, WeightG: *in.WeightG, Refrigerated: *in.Refrigerated,
		TakenAt: taken, TakenBy: in.TakenBy, Note: in.Note, RecordedBy: ptr(a.UserID), CreatedAt: now, Day: s.today(taken)}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.sampleSubject(tx, row); err != nil {
			return err
		}
		return insert(tx, row)
	})
	if err != nil {
		return nil, err
	}
	out, err := s.sampleViews(s.read(ctx), []sampleRow{*row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// sampleSubject fills the day and dish name from the meal and dish named, and refuses a
// second sample of a dish of a meal.
func (s *Service) sampleSubject(tx *gorm.DB, row *sampleRow) error {
	if row.MealID != nil {
		var m mealRow
		if err := take(tx, &m, *row.MealID, false, "meal"); err != nil {
			if fleet.ErrorCode(err) == fleet.ENotFound {
				return fleet.Invalid(map[string]string{"meal_id": "no such meal"})
			}
			return err
		}
		row.Day = m.Day
	}
	if row.DishID == nil {
		return nil
	}
	var d dishRow
	if err := take(tx, &d, *row.DishID, false, "dish"); err != nil {
		if fleet.ErrorCode(err) == fleet.ENotFound {
			return fleet.Invalid(map[string]string{"dish_id": "no such dish"})
		}
		return err
	}
	row.DishName = d.Name
	if row.MealID == nil {
		return nil
	}
	dishes, err := mealDishes(tx, []int64{*row.MealID})
	if err != nil {
		return err
	}
	if !containsID(dishes[*row.MealID], *row.DishID) {
		return fleet.Invalid(map[string]string{"dish_id": "not a dish of this meal"})
	}
	dup, err := sampleExists(tx, *row.MealID, *row.DishID)
	if err != nil {
		return err
	}
	if dup {
		return &fleet.Error{Code: fleet.EConflict, Message: "this dish of this meal has a sample already", Fields: map[string]string{"dish_id": "sampled already"}}
	}
	return nil
}

// DiscardSample records that a sample was discarded.
func (s *Service) DiscardSample(ctx context.Context, a *auth.Actor, id int64, in DiscardInput) (*Sample, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	p := fleet.Problems{}
	in.DiscardedBy = p.Text("discarded_by", in.DiscardedBy, true, 100)
	in.Reason = p.Text("reason", in.Reason, false, 500)
	when := checkInstant(p, "discarded_at", in.DiscardedAt, false)
	if when.IsZero() {
		when = now
	} else if when.After(now.Add(5 * time.Minute)) {
		p.Add("discarded_at", "must not be in the future")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var row sampleRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &row, id, true, "sample"); err != nil {
			return err
		}
		if row.DiscardedAt != nil {
			return fleet.Errorf(fleet.EConflict, "the sample was discarded already")
		}
		if when.Before(row.TakenAt) {
			return fleet.Invalid(map[string]string{"discarded_at": "must not be before the sample was taken"})
		}
		row.DiscardedAt, row.DiscardedBy, row.DiscardReason = &when, in.DiscardedBy, in.Reason
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	out, err := s.sampleViews(s.read(ctx), []sampleRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// SampleQuery narrows ListSamples; From and To are days.
type SampleQuery struct {
	fleet.Page
	From, To string
	Open     bool // not yet discarded
}

// ListSamples returns samples, newest first.
func (s *Service) ListSamples(ctx context.Context, a *auth.Actor, q SampleQuery) ([]Sample, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	if err := checkRange(&q.From, &q.To); err != nil {
		return nil, 0, err
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listSamples(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.sampleViews(db, rows)
	return out, total, err
}

func (s *Service) sampleViews(db *gorm.DB, rows []sampleRow) ([]Sample, error) {
	var meals []int64
	for _, r := range rows {
		if r.MealID != nil {
			meals = append(meals, *r.MealID)
		}
	}
	kinds, err := mealKinds(db, meals)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]Sample, len(rows))
	for i, r := range rows {
		v := Sample{ID: r.ID, MealID: r.MealID, Date: r.Day, DishID: r.DishID, Dish: r.DishName, WeightG: r.WeightG, Refrigerated: r.Refrigerated,
			TakenAt: r.TakenAt.UTC(), TakenBy: r.TakenBy, KeepUntil: r.TakenAt.UTC().Add(MinSampleHours * time.Hour), DiscardedAt: utc(r.DiscardedAt),
			DiscardedBy: r.DiscardedBy, DiscardReason: r.DiscardReason, Note: r.Note}
		if r.MealID != nil {
			v.Kind = kinds[*r.MealID]
		}
		v.Warnings = sampleWarnings(&r, now)
		out[i] = v
	}
	return out, nil
}

// sampleWarnings names what a sample breaks of the rules at now.
func sampleWarnings(r *sampleRow, now time.Time) []string {
	w := []string{}
	keep := r.TakenAt.Add(MinSampleHours * time.Hour)
	if r.WeightG < MinSampleG {
		w = append(w, WarnUnderWeight)
	}
	if !r.Refrigerated {
		w = append(w, WarnNotRefrigerated)
	}
	if r.DiscardedAt != nil && r.DiscardedAt.Before(keep) {
		w = append(w, WarnDiscardedEarly)
	}
	if r.DiscardedAt == nil && now.After(keep.Add(DiscardGraceDays*24*time.Hour)) {
		w = append(w, WarnDiscardOverdue)
	}
	return w
}
