package canteen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Waste is the food waste weighed after a meal: left on plates and left in the kitchen, in kg,
// and per diner in grams against the target.
type Waste struct {
	MealID     int64     `json:"meal_id"`
	Date       string    `json:"date"`
	Kind       string    `json:"kind,omitempty"`
	PlateKg    float64   `json:"plate_kg"`
	KitchenKg  float64   `json:"kitchen_kg"`
	TotalKg    float64   `json:"total_kg"`
	Diners     int       `json:"diners"`
	GPerDiner  float64   `json:"g_per_diner"`
	TargetG    int       `json:"target_g"`
	OverTarget bool      `json:"over_target"`
	Note       string    `json:"note"`
	RecordedAt time.Time `json:"recorded_at"`
}

// WasteInput records a meal's waste. Diners defaults to its bookings less its no-shows.
type WasteInput struct {
	PlateKg   *float64 `json:"plate_kg"`
	KitchenKg *float64 `json:"kitchen_kg"`
	Diners    *int     `json:"diners"`
	Note      string   `json:"note"`
}

// maxWasteKg bounds one weighing: more is a typo (grams typed as kg).
const maxWasteKg = 5000

func checkKg(p fleet.Problems, field string, kg *float64) {
	switch {
	case kg == nil:
		p.Add(field, "required: the weight in kg (0 when nothing was left)")
	case *kg < 0:
		p.Add(field, "must not be negative")
	case *kg > maxWasteKg:
		p.Add(field, fmt.Sprintf("at most %d kg", maxWasteKg))
	}
}

func (r *wasteRow) view(targetG int) Waste {
	w := Waste{MealID: r.MealID, Date: r.Day, PlateKg: gToKg(r.PlateG), KitchenKg: gToKg(r.KitchenG), TotalKg: gToKg(r.PlateG + r.KitchenG),
		Diners: r.Diners, TargetG: targetG, Note: r.Note, RecordedAt: r.RecordedAt.UTC()}
	if r.Diners > 0 {
		w.GPerDiner = round1(float64(r.PlateG+r.KitchenG) / float64(r.Diners))
	}
	w.OverTarget = w.GPerDiner > float64(targetG)
	return w
}

// RecordWaste records (or corrects) a meal's waste once serving has started.
func (s *Service) RecordWaste(ctx context.Context, a *auth.Actor, mealID int64, in WasteInput) (*Waste, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	checkKg(p, "plate_kg", in.PlateKg)
	checkKg(p, "kitchen_kg", in.KitchenKg)
	if in.Diners != nil && (*in.Diners < 1 || *in.Diners > 100000) {
		p.Add("diners", "must be 1 to 100000")
	}
	in.Note = p.Text("note", in.Note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var out Waste
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var m mealRow
		if err := take(tx, &m, mealID, true, "meal"); err != nil {
			return err
		}
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		if m.Status == MealCancelled {
			return fleet.Errorf(fleet.EConflict, "the meal is cancelled")
		}
		if now.Before(at(s.opt.Location, m.Day, set.serve(m.Kind))) {
			return fleet.Errorf(fleet.EConflict, "waste is weighed after the meal: serving has not started")
		}
		diners, err := dinersOf(tx, mealID, in.Diners)
		if err != nil {
			return err
		}
		r, err := wasteOf(tx, mealID, true)
		if err != nil {
			return err
		}
		if r == nil {
			r = &wasteRow{MealID: mealID, Day: m.Day}
		}
		r.PlateG, r.KitchenG, r.Diners, r.Note = kgToG(*in.PlateKg), kgToG(*in.KitchenKg), diners, in.Note
		r.RecordedBy, r.RecordedAt = ptr(a.UserID), now
		if err := save(tx, r); err != nil {
			return err
		}
		out = r.view(set.WasteTargetG)
		out.Kind = m.Kind
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// dinersOf is the diners sent, or the meal's bookings less its no-shows.
func dinersOf(tx *gorm.DB, mealID int64, sent *int) (int, error) {
	if sent != nil {
		return *sent, nil
	}
	counts, err := mealCounts(tx, []int64{mealID})
	if err != nil {
		return 0, err
	}
	n := counts[mealID].Total - counts[mealID].NoShows
	if n < 1 {
		return 0, fleet.Invalid(map[string]string{"diners": "required: nobody booked this meal, so say how many ate"})
	}
	return n, nil
}

// WastePeriod sums the waste of a week (or any period).
type WastePeriod struct {
	Start      string  `json:"start"`
	Meals      int     `json:"meals"`
	Diners     int     `json:"diners"`
	PlateKg    float64 `json:"plate_kg"`
	KitchenKg  float64 `json:"kitchen_kg"`
	TotalKg    float64 `json:"total_kg"`
	GPerDiner  float64 `json:"g_per_diner"`
	OverTarget bool    `json:"over_target"`
}

// WasteReport is the waste of the days from–to: each weighed meal, the weeks, the whole period.
type WasteReport struct {
	From    string        `json:"from"`
	To      string        `json:"to"`
	TargetG int           `json:"target_g"`
	Items   []Waste       `json:"items"`
	Weeks   []WastePeriod `json:"weeks"`
	Total   WastePeriod   `json:"total"`
}

// WasteQuery names the days of a report; default the 8 weeks to today.
type WasteQuery struct {
	From, To string
}

// WasteTrend returns the waste of a period, by meal and by week, against the target.
func (s *Service) WasteTrend(ctx context.Context, a *auth.Actor, q WasteQuery) (*WasteReport, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	if err := period(&q.From, &q.To, 56, s.today(s.now())); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	rows, err := wasteBetween(db, q.From, q.To)
	if err != nil {
		return nil, err
	}
	return s.wasteReport(db, q.From, q.To, set.WasteTargetG, rows)
}

func (s *Service) wasteReport(db *gorm.DB, from, to string, target int, rows []wasteRow) (*WasteReport, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.MealID
	}
	kinds, err := mealKinds(db, ids)
	if err != nil {
		return nil, err
	}
	out := &WasteReport{From: from, To: to, TargetG: target, Items: make([]Waste, len(rows)), Weeks: []WastePeriod{}, Total: WastePeriod{Start: from}}
	weeks := map[string]*WastePeriod{}
	var order []string
	for i, r := range rows {
		out.Items[i] = r.view(target)
		out.Items[i].Kind = kinds[r.MealID]
		d, _ := time.Parse(time.DateOnly, r.Day)
		ws := weekStart(d)
		if weeks[ws] == nil {
			weeks[ws] = &WastePeriod{Start: ws}
			order = append(order, ws)
		}
		weeks[ws].add(r)
		out.Total.add(r)
	}
	for _, ws := range order {
		out.Weeks = append(out.Weeks, weeks[ws].done(target))
	}
	out.Total = out.Total.done(target)
	return out, nil
}

func (w *WastePeriod) add(r wasteRow) {
	w.Meals++
	w.Diners += r.Diners
	w.PlateKg += gToKg(r.PlateG)
	w.KitchenKg += gToKg(r.KitchenG)
}

func (w WastePeriod) done(target int) WastePeriod {
	w.TotalKg = round2(w.PlateKg + w.KitchenKg)
	w.PlateKg, w.KitchenKg = round2(w.PlateKg), round2(w.KitchenKg)
	if w.Diners > 0 {
		w.GPerDiner = round1(w.TotalKg * 1000 / float64(w.Diners))
	}
	w.OverTarget = w.GPerDiner > float64(target)
	return w
}
