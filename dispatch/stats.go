package dispatch

import (
	"context"
	"math"
	"time"

	"fleet"
	"fleet/auth"
)

// Groupings of the trip statistics.
const (
	ByMonth   = "month"
	ByDay     = "day"
	ByVehicle = "vehicle"
	ByDriver  = "driver"
	// ByUnit groups by the applicant's unit (用车单位): a trip counts once for every unit whose
	// request it served, so a merged trip of two units is in both rows and the rows can add up
	// to more than the total. (Pooled vehicles have no owner unit to group by.)
	ByUnit = "unit"
)

// Groupings lists the groupings in the order the console and the workbook show them.
var Groupings = []string{ByMonth, ByDay, ByVehicle, ByDriver, ByUnit}

// StatsQuery asks for the statistics of a period by one grouping; the filters are TripQuery's.
type StatsQuery struct {
	From, To  string
	By        string // one of Groupings; default month
	VehicleID int64
	DriverID  int64
	UnitID    int64
}

// Stats are the trips of a period by one grouping, with the total and the report's sentence.
type Stats struct {
	From      time.Time `json:"from"` // the period is [from, to)
	To        time.Time `json:"to"`
	Period    string    `json:"period"` // 2026-07-01 至 2026-12-31
	By        string    `json:"by"`
	WorkingH  float64   `json:"working_h"` // the period's working hours (utilisation's base per vehicle)
	Threshold Threshold `json:"threshold"` // when a discrepancy is flagged
	Total     Tally     `json:"total"`
	Rows      []Tally   `json:"rows"`
	Summary   Summary   `json:"summary"`
}

// Tally is the figures of one group of trips. Km and hours are the GPS track's; the odometer's
// km stand beside them.
type Tally struct {
	Key        string  `json:"key"`  // vehicle, driver or unit id; 2026-07; 2026-07-01
	Name       string  `json:"name"` // plate, driver, unit; the month or day
	Trips      int     `json:"trips"`
	Merged     int     `json:"merged"`   // of them, merged trips
	Requests   int     `json:"requests"` // requests served (a unit's row: the unit's)
	GPSKm      float64 `json:"gps_km"`
	OdometerKm float64 `json:"odometer_km"` // of the trips with both readings
	DriveH     float64 `json:"drive_h"`     // tracked driving time
	TaskH      float64 `json:"task_h"`      // departure to return
	FuelL      float64 `json:"fuel_l"`
	ChargeKwh  float64 `json:"charge_kwh"`
	Untracked  int     `json:"untracked"` // trips without GPS km (not in gps_km and drive_h)
	Flagged    int     `json:"flagged"`   // trips whose mileages disagree
	// Utilisation is the share of the working hours (working days of the county's calendar,
	// 8:00–18:00 by default) that vehicles were out on a trip (departure to return): for a
	// vehicle or a driver their own; for a month or day and the total, the fleet's (vehicles in
	// service, or the one vehicle or driver filtered on). Null for units, and with a unit filter.
	Utilisation *float64 `json:"utilisation"`

	onTask, capacity time.Duration
}

// add counts a trip into the tally; requests is how many of its requests count here.
func (t *Tally) add(tr *Trip, requests int) {
	t.Trips++
	if tr.Merged {
		t.Merged++
	}
	t.Requests += requests
	if tr.untracked() {
		t.Untracked++
	} else {
		t.GPSKm += *tr.GPSKm
		t.DriveH += float64(tr.driveS) / 3600
	}
	if tr.OdometerKm != nil {
		t.OdometerKm += *tr.OdometerKm
	}
	t.TaskH += hours(tr.ReturnedAt.Sub(tr.DepartedAt))
	if tr.FuelL != nil {
		t.FuelL += *tr.FuelL
	}
	if tr.ChargeKwh != nil {
		t.ChargeKwh += *tr.ChargeKwh
	}
	if tr.Flagged {
		t.Flagged++
	}
}

// finish rounds the sums and works out the utilisation.
func (t *Tally) finish() {
	t.GPSKm, t.OdometerKm, t.DriveH, t.TaskH = round2(t.GPSKm), round2(t.OdometerKm), round2(t.DriveH), round2(t.TaskH)
	t.FuelL, t.ChargeKwh = round2(t.FuelL), round2(t.ChargeKwh)
	t.Utilisation = nil
	if t.capacity > 0 {
		u := math.Round(float64(t.onTask)/float64(t.capacity)*1e4) / 1e4
		t.Utilisation = &u
	}
}

// Stats returns the statistics of a period by a grouping (dispatchers, admins, auditors; a
// leader their own unit's trips).
func (d *Desk) Stats(ctx context.Context, a *auth.Actor, q StatsQuery) (*Stats, error) {
	by, err := checkBy(q.By)
	if err != nil {
		return nil, err
	}
	b, err := d.statsBuilder(ctx, a, q)
	if err != nil {
		return nil, err
	}
	return b.stats(by), nil
}

// checkBy reads the grouping: month when empty.
func checkBy(by string) (string, error) {
	if by == "" {
		return ByMonth, nil
	}
	for _, g := range Groupings {
		if by == g {
			return by, nil
		}
	}
	return "", fleet.Invalid(map[string]string{"by": "must be one of month, day, vehicle, driver, unit"})
}
