package energy

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fleet"
	"fleet/auth"
)

// UnitFigure is a unit's use in a period: tce and CO2 in all, per kind, the fleet's part, and
// the indicators. Per person counts everything; per m² leaves the vehicles' fuel and charge out,
// as the evaluation rules do.
type UnitFigure struct {
	UnitID           int64                  `json:"unit_id"` // 0: pooled vehicles of no unit when the center's unit is missing
	UnitName         string                 `json:"unit_name"`
	TCE              float64                `json:"tce"`
	CO2Kg            float64                `json:"co2_kg"`
	ByKind           map[string]*KindFigure `json:"by_kind"`
	VehicleTCE       float64                `json:"vehicle_tce"`
	BuildingTCE      float64                `json:"building_tce"` // tce less the fleet's part
	Headcount        int                    `json:"headcount"`
	AreaM2           float64                `json:"area_m2"`
	PerCapitaKgce    *float64               `json:"per_capita_kgce"` // kgce per person; null without a headcount
	PerM2Kgce        *float64               `json:"per_m2_kgce"`     // kgce per m²; null without an area
	WaterPerCapitaM3 *float64               `json:"water_per_capita_m3"`
	PVShare          *float64               `json:"pv_share"` // PV generation ÷ (grid electricity + PV)
	LastYearTCE      *float64               `json:"last_year_tce"`
	YoYPct           *float64               `json:"yoy_pct"` // change against the same period a year before, %
	Complete         bool                   `json:"complete"`
}

// Missing is a meter whose readings do not bracket the month.
type Missing struct {
	MeterID      int64      `json:"meter_id"`
	MeterName    string     `json:"meter_name"`
	Kind         string     `json:"kind"`
	UnitID       int64      `json:"unit_id"`
	UnitName     string     `json:"unit_name"`
	BuildingName string     `json:"building_name"`
	Side         string     `json:"side"`    // start, end, both
	LastAt       *time.Time `json:"last_at"` // its latest accepted reading
	Flagged      int        `json:"flagged"` // its readings held for review, which may fill the gap once accepted
}

// Completeness is the check that every meter in service has its readings bracketing the month.
type Completeness struct {
	Complete bool      `json:"complete"`
	Meters   int       `json:"meters"`  // meters in service during the month
	Flagged  int       `json:"flagged"` // readings of the month held for review
	Missing  []Missing `json:"missing"`
}

// BuildingFigure is the use measured by a building's meters, per m² of its area.
type BuildingFigure struct {
	BuildingID int64    `json:"building_id"`
	Name       string   `json:"name"`
	TCE        float64  `json:"tce"`
	AreaM2     float64  `json:"area_m2"`
	PerM2Kgce  *float64 `json:"per_m2_kgce"`
	PVShare    *float64 `json:"pv_share"`
}

// VehicleLine is one vehicle's fuel and charge in the period.
type VehicleLine struct {
	VehicleID int64   `json:"vehicle_id"`
	Plate     string  `json:"plate"`
	Energy    string  `json:"energy"`
	UnitID    int64   `json:"unit_id"`
	UnitName  string  `json:"unit_name"`
	Trips     int     `json:"trips"`
	FuelL     float64 `json:"fuel_l"`
	FuelKg    float64 `json:"fuel_kg"`
	ChargeKwh float64 `json:"charge_kwh"`
	TCE       float64 `json:"tce"`
}

// MonthReport is the monthly energy statistics (能耗统计月报).
type MonthReport struct {
	Month        string                 `json:"month"` // YYYY-MM
	From         time.Time              `json:"from"`
	To           time.Time              `json:"to"`
	TimeZone     string                 `json:"time_zone"`
	Units        []UnitFigure           `json:"units"`
	TotalTCE     float64                `json:"total_tce"`
	TotalCO2Kg   float64                `json:"total_co2_kg"`
	ByKind       map[string]*KindFigure `json:"by_kind"`
	County       UnitFigure             `json:"county"` // the units together, with the county's indicators
	Buildings    []BuildingFigure       `json:"buildings"`
	Vehicles     []VehicleLine          `json:"vehicles"`
	Completeness Completeness           `json:"completeness"`
	Coefficients []Coefficient          `json:"coefficients"`
	CO2Factors   map[string]float64     `json:"co2_factors"`
	Densities    Densities              `json:"densities"`
}

// ReportQuery names the month (YYYY-MM) and, optionally, one unit.
type ReportQuery struct {
	Month  string
	UnitID int64
}

// parseMonth reads YYYY-MM as the month's first instant in loc and the next month's.
func parseMonth(field, s string, loc *time.Location) (time.Time, time.Time, error) {
	t, err := time.ParseInLocation("2006-01", strings.TrimSpace(s), loc)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, time.Time{}, fleet.Invalid(map[string]string{field: "must be a month as YYYY-MM"})
	}
	return t, t.AddDate(0, 1, 0), nil
}

// MonthReport computes the month's figures per unit from the readings bracketing it (see
// series.go) and the fleet's trips returned in it, with the same month a year before for the
// change, and the completeness check. Leaders get their own unit's.
func (s *Service) MonthReport(ctx context.Context, a *auth.Actor, q ReportQuery) (*MonthReport, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, err
	}
	from, to, err := parseMonth("month", q.Month, s.opt.Location)
	if err != nil {
		return nil, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, err
	}
	db := s.read(ctx)
	// Boundaries: the month a year before, then this month.
	f, err := s.loadFacts(ctx, db, []time.Time{from.AddDate(-1, 0, 0), to.AddDate(-1, 0, 0), from, to})
	if err != nil {
		return nil, err
	}
	view, err := s.newView(db, f, unit)
	if err != nil {
		return nil, err
	}
	r := &MonthReport{Month: from.Format("2006-01"), From: from.UTC(), To: to.UTC(), TimeZone: s.opt.Location.String(),
		CO2Factors: f.co2, Densities: f.set.Densities}
	units, buildings := f.period(2)
	lastYear, _ := f.period(0)
	r.Completeness = view.completeness(f, 2)
	if r.Completeness.Flagged, err = view.flagged(db, from, to); err != nil {
		return nil, err
	}
	r.Units, r.County = view.units(units, lastYear, comparable(f.covered(2), f.covered(0)), &r.Completeness)
	r.TotalTCE, r.TotalCO2Kg, r.ByKind = r.County.TCE, r.County.CO2Kg, r.County.ByKind
	if unit == 0 {
		r.Buildings = view.buildingFigures(f, buildings)
	}
	r.Vehicles = view.vehicles(f, 2)
	if r.Coefficients, err = s.Coefficients(ctx, a); err != nil {
		return nil, err
	}
	return r, nil
}

// unitOrder sorts unit figures by the units' codes, then names (the order of the upward report).
func (v *view) sortUnits(out []UnitFigure) {
	sort.SliceStable(out, func(i, j int) bool {
		a, b := v.codes[out[i].UnitID], v.codes[out[j].UnitID]
		if a != b {
			return a < b
		}
		return out[i].UnitName < out[j].UnitName
	})
}

func monthName(t time.Time) string { return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month())) }
