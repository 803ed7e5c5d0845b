// Package canteen runs the government canteen (机关食堂): dishes and the weekly menu published
// ahead with its change log; the draft menu's consultation (菜谱征询) and ratings after meals;
// reservations with a cut-off that size the cooking, no-shows and a forecast of diners; food
// waste weighed per meal against a target and the quarterly anti-food-waste evaluation; and the
// food-safety records (留样, suppliers, purchase inspections, hygiene checks) with their warnings.
package canteen

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"fleet/auth"
	"fleet/store"
)

// Kinds of meal, in the order of the day.
const (
	Breakfast = "breakfast"
	Lunch     = "lunch"
	Dinner    = "dinner"
)

// Kinds lists the kinds of meal in the order of the day.
var Kinds = []string{Breakfast, Lunch, Dinner}

// Serving points: a booked meal is eaten in the dining hall or taken away (the two windows).
const (
	DineIn   = "dine_in"
	Takeaway = "takeaway"
)

// Points lists the serving points.
var Points = []string{DineIn, Takeaway}

var kindNames = map[string]string{Breakfast: "早餐", Lunch: "午餐", Dinner: "晚餐"}
var pointNames = map[string]string{DineIn: "堂食", Takeaway: "外带"}

// Options tune the service; the zero value gets the defaults.
type Options struct {
	// Location is the county's calendar: meal days, weeks, cut-offs, quarters; default
	// Asia/Shanghai.
	Location *time.Location
	// DataDir holds the dishes' uploaded photos (under canteen/photos); default "data".
	DataDir string
	Now     func() time.Time // injectable clock; default time.Now
	Logger  *slog.Logger
}

// Service runs the canteen.
type Service struct {
	db    *store.DB
	audit *auth.Service
	opt   Options
}

// NewService returns a Service on db; audit (for the security audit log) may be nil in tests.
func NewService(db *store.DB, audit *auth.Service, opt Options) (*Service, error) {
	if db == nil {
		return nil, errors.New("canteen: a database is needed")
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			return nil, fmt.Errorf("canteen: time zone: %w", err)
		}
		opt.Location = loc
	}
	if opt.DataDir == "" {
		opt.DataDir = "data"
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, audit: audit, opt: opt}, nil
}

// now is the service's clock in UTC, to the millisecond (what MySQL's DATETIME(3) keeps).
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// today is the county's calendar day of t, as YYYY-MM-DD.
func (s *Service) today(t time.Time) string { return t.In(s.opt.Location).Format(time.DateOnly) }

// record writes an audit line.
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}

// Weights are kept in whole grams and money in whole fen; the API speaks kg and yuan.

func kgToG(kg float64) int64    { return int64(math.Round(kg * 1000)) }
func gToKg(g int64) float64     { return float64(g) / 1000 }
func yuanToFen(y float64) int64 { return int64(math.Round(y * 100)) }
func fenToYuan(f int64) float64 { return float64(f) / 100 }
func round1(x float64) float64  { return math.Round(x*10) / 10 }
func round2(x float64) float64  { return math.Round(x*100) / 100 }
func ptr[T any](v T) *T         { return &v }
func oneOf(v string, set []string) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

// utc returns a stored instant as UTC (SQLite and MySQL may hand back another location).
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// actorName is how the actor is named in logs and records.
func actorName(a *auth.Actor) string {
	if a == nil {
		return ""
	}
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
