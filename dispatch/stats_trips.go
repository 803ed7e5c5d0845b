package dispatch

import (
	"context"
	"sort"
	"time"

	"fleet"
	"fleet/auth"
)

// Trip accounting. A trip (出车批次) is a task that departed and came back (completed): one
// vehicle and one driver out once, however many requests it served, so a merged trip (合并出行)
// is one trip. Its figures: the tracked km and driving time of the GPS track between departure
// and return (kept at return), the odometer km and what was refuelled or charged (the driver's
// return), and the discrepancy between the two mileages. A trip belongs to the county day and
// month of its departure.

// Trip is one trip with its figures.
type Trip struct {
	TaskID          int64        `json:"task_id"`
	RequestIDs      []int64      `json:"request_ids"` // the requests it served, lead first
	Merged          bool         `json:"merged"`      // served several requests (合并出行)
	VehicleID       int64        `json:"vehicle_id"`
	Plate           string       `json:"plate"`
	DriverID        int64        `json:"driver_id"`
	Driver          string       `json:"driver"`
	Units           []TripUnit   `json:"units"` // the applicants' units (用车单位), lead's first
	Purpose         string       `json:"purpose"`
	Passengers      int          `json:"passengers"`
	DepartedAt      time.Time    `json:"departed_at"`
	ReturnedAt      time.Time    `json:"returned_at"`
	TaskH           float64      `json:"task_h"` // hours from departure to return (出车时长)
	GPSKm           *float64     `json:"gps_km"` // tracked km; null when no tracker recorded the trip
	DriveH          *float64     `json:"drive_h"`
	OdometerStartKm *float64     `json:"odometer_start_km"`
	OdometerEndKm   *float64     `json:"odometer_end_km"`
	OdometerKm      *float64     `json:"odometer_km"` // null when the start reading is unknown
	FuelL           *float64     `json:"fuel_l"`
	ChargeKwh       *float64     `json:"charge_kwh"`
	Discrepancy     *Discrepancy `json:"discrepancy"` // null when either mileage is unknown
	Flagged         bool         `json:"flagged"`

	driveS   int
	units    []int64 // the distinct units of Units
	reqUnits []int64 // the unit of each of RequestIDs
}

// TripUnit is a unit a trip served.
type TripUnit struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// untracked reports whether the trip has no GPS mileage (no terminal, the terminal was off, or
// no tracker): its km and hours are missing from the tracked sums.
func (t *Trip) untracked() bool { return t.GPSKm == nil || *t.GPSKm <= 0 }

// served reports whether the trip served a request of the unit.
func (t *Trip) served(unitID int64) bool {
	for _, u := range t.units {
		if u == unitID {
			return true
		}
	}
	return false
}

// TripQuery filters the trips of a period. From and To are county dates (To included) or
// RFC 3339 times (To excluded); both empty: the current half-year.
type TripQuery struct {
	From, To  string
	VehicleID int64
	DriverID  int64
	UnitID    int64 // trips serving a request of the unit
	Flagged   bool  // only trips whose mileages disagree
	Page      fleet.Page
}

// tripFilter is a query read and checked: the period as instants and the ids.
type tripFilter struct {
	from, to                    time.Time
	vehicleID, driverID, unitID int64
}

// Trips lists the trips of a period, latest departure first, with their figures and flags
// (dispatchers, admins, auditors; a leader their own unit's).
func (d *Desk) Trips(ctx context.Context, a *auth.Actor, q TripQuery) ([]Trip, int64, error) {
	f, err := d.tripFilter(a, q.From, q.To, q.VehicleID, q.DriverID, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	trips, err := d.loadTrips(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if q.Flagged {
		kept := trips[:0]
		for _, t := range trips {
			if t.Flagged {
				kept = append(kept, t)
			}
		}
		trips = kept
	}
	sort.SliceStable(trips, func(i, j int) bool { return trips[i].DepartedAt.After(trips[j].DepartedAt) })
	page := q.Page.Normalize()
	total := int64(len(trips))
	lo := min(page.Offset, len(trips))
	hi := min(lo+page.Limit, len(trips))
	return trips[lo:hi], total, nil
}

// tripFilter checks the actor and the query: a leader (who sees their own unit only) gets their
// unit's trips, and is refused another unit's.
func (d *Desk) tripFilter(a *auth.Actor, fromText, toText string, vehicleID, driverID, unitID int64) (tripFilter, error) {
	if err := a.Require(auth.PermTripStats); err != nil {
		return tripFilter{}, err
	}
	if !a.SeesAllUnits() {
		if unitID != 0 && unitID != a.UnitID {
			return tripFilter{}, fleet.Errorf(fleet.EForbidden, "you see your own unit's trips only")
		}
		unitID = a.UnitID
	}
	from, to, err := d.statsPeriod(fromText, toText)
	if err != nil {
		return tripFilter{}, err
	}
	return tripFilter{from: from, to: to, vehicleID: vehicleID, driverID: driverID, unitID: unitID}, nil
}
