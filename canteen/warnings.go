package canteen

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
)

// Warning is something the canteen manager should see to: a sample kept wrongly or not at
// all, a supplier's licence, a rejected delivery, an overdue hygiene check, next week's menu
// not yet published, the quarterly evaluation due.
type Warning struct {
	Kind     string `json:"kind"`     // sample_under_weight, sample_missing, license_expired, hygiene_overdue, …
	Severity string `json:"severity"` // danger, warn
	Subject  string `json:"subject"`  // the dish, supplier or item
	Date     string `json:"date"`
	RefID    int64  `json:"ref_id"` // the sample, meal, supplier or purchase
}

// Overview is the canteen's warnings and the state of its regular duties.
type Overview struct {
	Warnings         []Warning      `json:"warnings"`
	Hygiene          HygieneStatus  `json:"hygiene"`
	OpenSamples      int            `json:"open_samples"`
	NextWeek         string         `json:"next_week"`
	NextWeekStatus   string         `json:"next_week_status"`
	PublishDue       string         `json:"publish_due"`
	EvaluationDue    *DueQuarter    `json:"evaluation_due"`
	HygieneChecklist []string       `json:"hygiene_checklist"`
	Counts           map[string]int `json:"counts"` // warnings by kind
}

// recentDays is how far back samples and deliveries are looked at for warnings.
const recentDays = 7

var dangerous = map[string]bool{
	"sample_" + WarnDiscardedEarly: true, "sample_" + WarnNotRefrigerated: true, "sample_missing": true,
	WarnLicenseExpired: true, "purchase_" + WarnSupplierUnlicense: true,
}

// Warnings returns the canteen's warnings as of now.
func (s *Service) Warnings(ctx context.Context, a *auth.Actor) (*Overview, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	now := s.now()
	today := s.today(now)
	out := &Overview{Warnings: []Warning{}, HygieneChecklist: HygieneChecklist, Counts: map[string]int{}}
	add := func(kind, subject, date string, ref int64) {
		sev := "warn"
		if dangerous[kind] {
			sev = "danger"
		}
		out.Warnings = append(out.Warnings, Warning{Kind: kind, Severity: sev, Subject: subject, Date: date, RefID: ref})
		out.Counts[kind]++
	}
	steps := []func(*gorm.DB, time.Time, string, func(string, string, string, int64), *Overview) error{
		s.sampleWarnings, s.missingSamples, s.supplierWarnings, s.purchaseWarnings, s.dutyWarnings,
	}
	for _, step := range steps {
		if err := step(db, now, today, add, out); err != nil {
			return nil, err
		}
	}
	ev, err := s.ListEvaluations(ctx, a)
	if err != nil {
		return nil, err
	}
	if out.EvaluationDue = ev.Due; ev.Due != nil && ev.Due.Overdue {
		add("evaluation_overdue", "", ev.Due.DueOn, 0)
	}
	return out, nil
}

func (s *Service) sampleWarnings(db *gorm.DB, now time.Time, today string, add func(string, string, string, int64), out *Overview) error {
	rows, err := samplesToCheck(db, addDays(today, -recentDays))
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if r.DiscardedAt == nil {
			out.OpenSamples++
		}
		for _, w := range sampleWarnings(r, now) {
			add("sample_"+w, r.DishName, r.Day, r.ID)
		}
	}
	return nil
}

// missingSamples warns of the dishes of today's and yesterday's served meals with no sample.
func (s *Service) missingSamples(db *gorm.DB, now time.Time, today string, add func(string, string, string, int64), _ *Overview) error {
	set, err := loadSettings(db)
	if err != nil {
		return err
	}
	meals, err := mealsBetween(db, addDays(today, -1), today)
	if err != nil {
		return err
	}
	var served []mealRow
	var ids []int64
	for _, m := range meals {
		if m.Status == MealOpen && !now.Before(at(s.opt.Location, m.Day, set.serve(m.Kind))) {
			served, ids = append(served, m), append(ids, m.ID)
		}
	}
	dishes, err := mealDishes(db, ids)
	if err != nil {
		return err
	}
	sampled, err := sampledDishes(db, ids)
	if err != nil {
		return err
	}
	var all []int64
	for _, d := range dishes {
		all = append(all, d...)
	}
	names, err := dishNames(db, all)
	if err != nil {
		return err
	}
	for _, m := range served {
		for _, d := range dishes[m.ID] {
			if !sampled[[2]int64{m.ID, d}] {
				add("sample_missing", names[d]+"（"+kindNames[m.Kind]+"）", m.Day, m.ID)
			}
		}
	}
	return nil
}

func (s *Service) supplierWarnings(db *gorm.DB, _ time.Time, today string, add func(string, string, string, int64), _ *Overview) error {
	rows, err := activeSuppliers(db)
	if err != nil {
		return err
	}
	for i := range rows {
		for _, w := range rows[i].view(today).Warnings {
			add(w, rows[i].Name, rows[i].LicenseExpiry, rows[i].ID)
		}
	}
	return nil
}

func (s *Service) purchaseWarnings(db *gorm.DB, _ time.Time, today string, add func(string, string, string, int64), _ *Overview) error {
	rows, err := purchasesSince(db, addDays(today, -recentDays))
	if err != nil {
		return err
	}
	var ids []int64
	for _, r := range rows {
		ids = append(ids, r.SupplierID)
	}
	sups, err := suppliersByID(db, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		v := rows[i].view(sups)
		for _, w := range v.Warnings {
			add("purchase_"+w, v.Item+" · "+v.Supplier, v.ReceivedOn, v.ID)
		}
	}
	return nil
}

// dutyWarnings: the weekly hygiene check and next week's menu.
func (s *Service) dutyWarnings(db *gorm.DB, now time.Time, today string, add func(string, string, string, int64), out *Overview) error {
	h, err := hygieneStatus(db, today)
	if err != nil {
		return err
	}
	out.Hygiene = h
	if h.Overdue {
		add("hygiene_overdue", "", h.DueOn, 0)
	}
	d, _ := time.Parse(time.DateOnly, today)
	next := addDays(weekStart(d), 7)
	w, err := weekByStart(db, next, false)
	if err != nil {
		return err
	}
	if w == nil {
		w = &weekRow{WeekStart: next, Status: WeekDraft}
	}
	set, err := loadSettings(db)
	if err != nil {
		return err
	}
	out.NextWeek, out.NextWeekStatus, out.PublishDue = next, w.Status, addDays(next, set.PublishWeekday-8)
	if w.Status == WeekDraft && now.After(at(s.opt.Location, out.PublishDue, dayMinutes)) {
		add("menu_publish_overdue", next, out.PublishDue, w.ID)
	}
	return nil
}
