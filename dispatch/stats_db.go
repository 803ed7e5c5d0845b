package dispatch

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
)

// maxTrips bounds what one statistics call reads: a county's pooled fleet makes a few hundred
// trips a month.
const maxTrips = 100_000

// tripScope is the completed tasks that departed in the filter's period, of its vehicle, driver
// and unit, on dispatch_tasks (joined by the callers).
func tripScope(q *gorm.DB, f tripFilter) *gorm.DB {
	q = q.Where("dispatch_tasks.status = ? AND dispatch_tasks.departed_at >= ? AND dispatch_tasks.departed_at < ? "+
		"AND dispatch_tasks.returned_at IS NOT NULL", TaskCompleted, f.from, f.to)
	if f.vehicleID != 0 {
		q = q.Where("dispatch_tasks.vehicle_id = ?", f.vehicleID)
	}
	if f.driverID != 0 {
		q = q.Where("dispatch_tasks.driver_id = ?", f.driverID)
	}
	if f.unitID != 0 {
		q = q.Where("dispatch_tasks.id IN (SELECT task_id FROM vehicle_requests WHERE unit_id = ? AND task_id IS NOT NULL)", f.unitID)
	}
	return q
}

// tripRow is a completed task with its vehicle's plate and its driver's name.
type tripRow struct {
	ID              int64
	RequestID       int64
	VehicleID       int64
	Plate           string
	DriverID        int64
	DriverName      string
	Passengers      int
	DepartedAt      time.Time
	ReturnedAt      time.Time
	OdometerStartKm *float64
	OdometerEndKm   *float64
	FuelL           *float64
	ChargeKwh       *float64
	GPSKm           *float64 `gorm:"column:gps_km"`
	DriveS          *int
}

// tripRequestRow is a request a trip served, with its unit's name.
type tripRequestRow struct {
	ID       int64
	TaskID   int64
	UnitID   int64
	UnitName string
	Purpose  string
}

// loadTrips reads the trips of the filter, oldest departure first, with their requests and
// their figures judged by the settings' threshold.
func (d *Desk) loadTrips(ctx context.Context, f tripFilter) ([]Trip, error) {
	tx := d.db.WithContext(ctx)
	var rows []tripRow
	err := tripScope(tx.Table("dispatch_tasks"), f).
		Select("dispatch_tasks.id, dispatch_tasks.request_id, dispatch_tasks.vehicle_id, vehicles.plate, " +
			"dispatch_tasks.driver_id, drivers.name AS driver_name, dispatch_tasks.passengers, dispatch_tasks.departed_at, " +
			"dispatch_tasks.returned_at, dispatch_tasks.odometer_start_km, dispatch_tasks.odometer_end_km, " +
			"dispatch_tasks.fuel_l, dispatch_tasks.charge_kwh, dispatch_tasks.gps_km, dispatch_tasks.drive_s").
		Joins("JOIN vehicles ON vehicles.id = dispatch_tasks.vehicle_id").
		Joins("JOIN drivers ON drivers.id = dispatch_tasks.driver_id").
		Limit(maxTrips + 1).Find(&rows).Error // sorted below: cheaper than SQLite's temporary B-tree
	if err != nil {
		return nil, dispatchErr(err, "trip")
	}
	if len(rows) > maxTrips {
		return nil, fleet.Invalid(map[string]string{"from": fmt.Sprintf("more than %d trips in the period; choose a shorter one", maxTrips)})
	}
	var reqs []tripRequestRow
	err = tripScope(tx.Table("vehicle_requests"), f).
		Select("vehicle_requests.id, vehicle_requests.task_id, vehicle_requests.unit_id, units.name AS unit_name, vehicle_requests.purpose").
		Joins("JOIN dispatch_tasks ON dispatch_tasks.id = vehicle_requests.task_id").
		Joins("JOIN units ON units.id = vehicle_requests.unit_id").
		Find(&reqs).Error
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	sort.Slice(rows, func(i, j int) bool {
		if !rows[i].DepartedAt.Equal(rows[j].DepartedAt) {
			return rows[i].DepartedAt.Before(rows[j].DepartedAt)
		}
		return rows[i].ID < rows[j].ID
	})
	sort.Slice(reqs, func(i, j int) bool { return reqs[i].ID < reqs[j].ID })
	byTask := map[int64][]tripRequestRow{}
	for _, r := range reqs {
		byTask[r.TaskID] = append(byTask[r.TaskID], r)
	}
	th := d.currentSettings().threshold()
	out := make([]Trip, len(rows))
	for i := range rows {
		out[i] = rows[i].trip(byTask[rows[i].ID], th)
	}
	return out, nil
}

// trip turns the row and its requests into a Trip: the lead request first.
func (r *tripRow) trip(reqs []tripRequestRow, th Threshold) Trip {
	t := Trip{TaskID: r.ID, RequestIDs: []int64{}, VehicleID: r.VehicleID, Plate: r.Plate, DriverID: r.DriverID,
		Driver: r.DriverName, Units: []TripUnit{}, Passengers: r.Passengers, DepartedAt: r.DepartedAt.UTC(),
		ReturnedAt: r.ReturnedAt.UTC(), GPSKm: r.GPSKm, OdometerStartKm: r.OdometerStartKm, OdometerEndKm: r.OdometerEndKm,
		OdometerKm: odometerKm(r.OdometerStartKm, r.OdometerEndKm), FuelL: r.FuelL, ChargeKwh: r.ChargeKwh}
	t.TaskH = round2(hours(t.ReturnedAt.Sub(t.DepartedAt)))
	if r.DriveS != nil {
		t.driveS = *r.DriveS
		h := round2(float64(*r.DriveS) / 3600)
		t.DriveH = &h
	}
	// The lead first, then the others in id order.
	ordered := make([]tripRequestRow, 0, len(reqs))
	for _, q := range reqs {
		if q.ID == r.RequestID {
			ordered = append(ordered, q)
		}
	}
	for _, q := range reqs {
		if q.ID != r.RequestID {
			ordered = append(ordered, q)
		}
	}
	var purposes []string
	for _, q := range ordered {
		t.RequestIDs, t.reqUnits = append(t.RequestIDs, q.ID), append(t.reqUnits, q.UnitID)
		purposes = append(purposes, q.Purpose)
		if !t.served(q.UnitID) {
			t.units = append(t.units, q.UnitID)
			t.Units = append(t.Units, TripUnit{ID: q.UnitID, Name: q.UnitName})
		}
	}
	t.Merged = len(ordered) > 1
	t.Purpose = strings.Join(purposes, "；")
	t.Discrepancy = th.compare(t.OdometerKm, t.GPSKm)
	t.Flagged = t.Discrepancy != nil && t.Discrepancy.Flagged
	return t
}

// fleetNames reads the vehicles in service (not retired) and every driver, for the rows of
// vehicles and drivers that made no trip.
func fleetNames(tx *gorm.DB) (vehicles, drivers map[int64]string, err error) {
	var vs []struct {
		ID    int64
		Plate string
	}
	if err := tx.Table("vehicles").Select("id, plate").Where("status <> ?", StatusRetired).Find(&vs).Error; err != nil {
		return nil, nil, dispatchErr(err, "vehicle")
	}
	var ds []struct {
		ID   int64
		Name string
	}
	if err := tx.Table("drivers").Select("id, name").Find(&ds).Error; err != nil {
		return nil, nil, dispatchErr(err, "driver")
	}
	vehicles, drivers = make(map[int64]string, len(vs)), make(map[int64]string, len(ds))
	for _, v := range vs {
		vehicles[v.ID] = v.Plate
	}
	for _, d := range ds {
		drivers[d.ID] = d.Name
	}
	return vehicles, drivers, nil
}
