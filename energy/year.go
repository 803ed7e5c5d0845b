package energy

import (
	"context"
	"time"

	"fleet"
	"fleet/auth"
)

// UnitYear is a unit's year: its figures over the months ended, each month's tce, and the
// indicators scaled to a full year against the plan's targets.
type UnitYear struct {
	UnitFigure
	MonthlyTCE          []*float64 `json:"monthly_tce"` // January to December; null for months not begun
	AnnualPerCapitaKgce *float64   `json:"annual_per_capita_kgce"`
	AnnualPerM2Kgce     *float64   `json:"annual_per_m2_kgce"`
	PerCapitaMet        *bool      `json:"per_capita_met"` // at or below the target per person
	PerM2Met            *bool      `json:"per_m2_met"`     // at or below the target per m²
}

// TargetFigures are the plan's baseline and the targets it gives.
type TargetFigures struct {
	Targets
	PerM2TargetKgce     float64 `json:"per_m2_target_kgce"`
	PerPersonTargetKgce float64 `json:"per_person_target_kgce"`
}

// YearReport is a year's statistics per unit (能耗统计年报). Its totals and indicators cover the
// months ended (all twelve for a past year); the annual indicators scale them to twelve months,
// and the change is against the same months a year before.
type YearReport struct {
	Year        int           `json:"year"`
	Months      []string      `json:"months"` // YYYY-MM, January to December
	MonthsEnded int           `json:"months_ended"`
	TimeZone    string        `json:"time_zone"`
	Units       []UnitYear    `json:"units"`
	County      UnitYear      `json:"county"`
	Targets     TargetFigures `json:"targets"`
}

// YearReport computes the year's figures (leaders: their own unit's).
func (s *Service) YearReport(ctx context.Context, a *auth.Actor, year int, unitID int64) (*YearReport, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	if year < 2000 || year > 2100 {
		return nil, fleet.Invalid(map[string]string{"year": "must be a year from 2000 to 2100"})
	}
	unit, err := scopeUnit(a, unitID)
	if err != nil {
		return nil, err
	}
	loc := s.opt.Location
	start := time.Date(year, 1, 1, 0, 0, 0, 0, loc)
	bounds := make([]time.Time, 25) // last year's 12 months, then this year's
	for i := range bounds {
		bounds[i] = start.AddDate(0, i-12, 0)
	}
	db := s.read(ctx)
	f, err := s.loadFacts(ctx, db, bounds)
	if err != nil {
		return nil, err
	}
	v, err := s.newView(db, f, unit)
	if err != nil {
		return nil, err
	}
	ended, begun := monthsOf(year, s.opt.Now().In(loc))
	r := &YearReport{Year: year, MonthsEnded: ended, TimeZone: loc.String(),
		Targets: TargetFigures{Targets: f.set.Targets, PerM2TargetKgce: f.set.Targets.PerM2(), PerPersonTargetKgce: f.set.Targets.PerPerson()}}
	monthly := make([]map[int64]*tally, 12)
	now, last := map[int64]*tally{}, map[int64]*tally{}
	nowCov, lastCov := map[int64]bool{}, []map[int64]bool{}
	for m := 0; m < 12; m++ {
		r.Months = append(r.Months, bounds[12+m].Format("2006-01"))
		monthly[m], _ = f.period(12 + m)
		if m < ended {
			sumInto(now, monthly[m])
			ly, _ := f.period(m)
			sumInto(last, ly)
			for id := range f.covered(12 + m) {
				nowCov[id] = true
			}
			lastCov = append(lastCov, f.covered(m))
		}
	}
	if len(lastCov) == 0 {
		lastCov = append(lastCov, map[int64]bool{})
	}
	figures, county := v.units(now, last, comparable(nowCov, lastCov...), &Completeness{Complete: true})
	for _, u := range figures {
		r.Units = append(r.Units, v.year(u, monthly, begun, ended, r.Targets, false))
	}
	r.County = v.year(county, monthly, begun, ended, r.Targets, true)
	return r, nil
}

// monthsOf is how many months of year have ended and how many have begun by now.
func monthsOf(year int, now time.Time) (ended, begun int) {
	switch {
	case now.Year() > year:
		return 12, 12
	case now.Year() < year:
		return 0, 0
	}
	return int(now.Month()) - 1, int(now.Month())
}

func sumInto(dst, src map[int64]*tally) {
	for id, t := range src {
		if dst[id] == nil {
			dst[id] = newTally()
		}
		dst[id].add(t)
	}
}

// year adds a unit's (or, with county, the units in scope together) monthly tce and its annual
// indicators against the targets.
func (v *view) year(u UnitFigure, monthly []map[int64]*tally, begun, ended int, t TargetFigures, county bool) UnitYear {
	y := UnitYear{UnitFigure: u, MonthlyTCE: make([]*float64, 12)}
	for m := 0; m < begun; m++ {
		sum := 0.0
		for id, tl := range monthly[m] {
			if (county && v.sees(id)) || (!county && id == u.UnitID) {
				sum += tl.kgce(v.coef, false)
			}
		}
		y.MonthlyTCE[m] = ptr(tce(sum))
	}
	if ended == 0 {
		return y
	}
	scale := 12 / float64(ended)
	if u.PerCapitaKgce != nil {
		y.AnnualPerCapitaKgce = ptr(round(*u.PerCapitaKgce*scale, 2))
		y.PerCapitaMet = ptr(*y.AnnualPerCapitaKgce <= t.PerPersonTargetKgce)
	}
	if u.PerM2Kgce != nil {
		y.AnnualPerM2Kgce = ptr(round(*u.PerM2Kgce*scale, 3))
		y.PerM2Met = ptr(*y.AnnualPerM2Kgce <= t.PerM2TargetKgce)
	}
	return y
}

// TrendPoint is one month of a trend: tce and CO2 in all, and tce and amount per kind.
type TrendPoint struct {
	Month      string                 `json:"month"`
	TCE        float64                `json:"tce"`
	CO2Kg      float64                `json:"co2_kg"`
	VehicleTCE float64                `json:"vehicle_tce"`
	ByKind     map[string]*KindFigure `json:"by_kind"`
}

// TrendQuery names the first and last months (YYYY-MM, at most 36) and optionally a unit.
type TrendQuery struct {
	From, To string
	UnitID   int64
}

// maxTrend bounds a trend's months.
const maxTrend = 36

// Trend is the monthly use from one month to another (leaders: their own unit's).
func (s *Service) Trend(ctx context.Context, a *auth.Actor, q TrendQuery) ([]TrendPoint, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	from, _, err := parseMonth("from", q.From, s.opt.Location)
	if err != nil {
		return nil, err
	}
	_, to, err := parseMonth("to", q.To, s.opt.Location)
	if err != nil {
		return nil, err
	}
	var bounds []time.Time
	for t := from; !t.After(to); t = t.AddDate(0, 1, 0) {
		bounds = append(bounds, t)
	}
	if len(bounds) < 2 || len(bounds) > maxTrend+1 {
		return nil, fleet.Invalid(map[string]string{"to": "must be from the month from to 36 months after it"})
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	f, err := s.loadFacts(ctx, db, bounds)
	if err != nil {
		return nil, err
	}
	v, err := s.newView(db, f, unit)
	if err != nil {
		return nil, err
	}
	out := make([]TrendPoint, 0, len(bounds)-1)
	for i := 0; i+1 < len(bounds); i++ {
		per, _ := f.period(i)
		sum := newTally()
		for id, t := range per {
			if v.sees(id) {
				sum.add(t)
			}
		}
		u := v.figure(unit, sum, 0, 0)
		out = append(out, TrendPoint{Month: bounds[i].Format("2006-01"), TCE: u.TCE, CO2Kg: u.CO2Kg, VehicleTCE: u.VehicleTCE, ByKind: u.ByKind})
	}
	return out, nil
}
