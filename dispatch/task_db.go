package dispatch

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
)

type taskRow struct {
	ID              int64
	RequestID       int64
	VehicleID       int64
	DriverID        int64
	Status          string
	DepartAt        time.Time
	ReturnAt        time.Time
	Passengers      int
	Title           string
	OutOfArea       bool
	StartLat        float64
	StartLng        float64
	PlannedKm       float64
	Cost            *float64
	AssignedBy      *int64
	AssignedAt      time.Time
	AcceptedAt      *time.Time
	DeclinedAt      *time.Time
	DeclineReason   string
	CheckItems      string
	CheckNote       string
	CheckPassed     bool
	CheckedAt       *time.Time
	DepartedAt      *time.Time
	ReturnedAt      *time.Time
	OdometerStartKm *float64
	OdometerEndKm   *float64
	FuelL           *float64
	ChargeKwh       *float64
	GPSKm           *float64 `gorm:"column:gps_km"`
	DriveS          *int
	DriveBlocks     string
	CancelledAt     *time.Time
	CancelReason    string
	ReplacedBy      *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (taskRow) TableName() string { return "dispatch_tasks" }

// blocks decodes the tracked driving blocks.
func (r *taskRow) blocks() []driveBlock {
	if r.DriveBlocks == "" {
		return nil
	}
	var out []driveBlock
	if json.Unmarshal([]byte(r.DriveBlocks), &out) != nil {
		return nil
	}
	return out
}

// slot is the board's copy of the row.
func (r *taskRow) slot(driver string) *slot {
	return &slot{id: r.ID, requestID: r.RequestID, vehicleID: r.VehicleID, driverID: r.DriverID, status: r.Status,
		depart: r.DepartAt.UTC(), ret: r.ReturnAt.UTC(), departedAt: utcp(r.DepartedAt), returnedAt: utcp(r.ReturnedAt),
		lat: r.StartLat, lng: r.StartLng, plannedKm: r.PlannedKm, title: r.Title, driver: driver, outOfArea: r.OutOfArea,
		blocks: r.blocks()}
}

// boardSlots reads the open tasks and those whose window ended after since; one task when id is
// set (nothing when it is neither open nor recent).
func boardSlots(ctx context.Context, tx *gorm.DB, since time.Time, id int64) ([]*slot, error) {
	var rows []struct {
		Task       taskRow `gorm:"embedded"`
		DriverName string
	}
	q := tx.Table("dispatch_tasks").Select("dispatch_tasks.*, drivers.name AS driver_name").
		Joins("JOIN drivers ON drivers.id = dispatch_tasks.driver_id").
		Where("dispatch_tasks.status IN ? OR dispatch_tasks.return_at > ?", openTaskStatuses, since)
	if id != 0 {
		q = q.Where("dispatch_tasks.id = ?", id)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, dispatchErr(err, "task")
	}
	out := make([]*slot, len(rows))
	for i := range rows {
		out[i] = rows[i].Task.slot(rows[i].DriverName)
	}
	return out, nil
}

// lockTask reads a task for update.
func lockTask(tx *gorm.DB, id int64) (*taskRow, error) {
	var r taskRow
	if err := forUpdate(tx).Take(&r, id).Error; err != nil {
		return nil, dispatchErr(err, "task")
	}
	return &r, nil
}

func getTaskRow(tx *gorm.DB, id int64) (*taskRow, error) {
	var r taskRow
	if err := tx.Take(&r, id).Error; err != nil {
		return nil, dispatchErr(err, "task")
	}
	return &r, nil
}

func setTask(tx *gorm.DB, id int64, set map[string]any) error {
	return dispatchErr(tx.Model(&taskRow{}).Where("id = ?", id).Updates(set).Error, "task")
}

// bookings returns the open tasks of the vehicle or the driver whose window, widened by buffer,
// overlaps [from, to); except is a task not to count (the one a reassignment replaces).
func bookings(tx *gorm.DB, vehicleID, driverID int64, from, to time.Time, buffer time.Duration, now time.Time, except int64) ([]taskRow, error) {
	var rows []taskRow
	// A departed task running late holds its vehicle and driver past its planned return: those
	// are read whatever their window and judged below.
	err := tx.Where("(vehicle_id = ? OR driver_id = ?) AND status IN ? AND id <> ? AND depart_at < ? AND (return_at > ? OR status = ?)",
		vehicleID, driverID, openTaskStatuses, except, to.Add(buffer), from.Add(-buffer), TaskDeparted).
		Order("depart_at").Find(&rows).Error
	if err != nil {
		return nil, dispatchErr(err, "task")
	}
	out := rows[:0]
	for i := range rows {
		if rows[i].slot("").overlaps(from, to, buffer, now) {
			out = append(out, rows[i])
		}
	}
	return out, nil
}

// driverDay returns the driver's open and completed tasks whose windows touch [from, to).
func driverDay(tx *gorm.DB, driverID int64, from, to time.Time, except int64) ([]taskRow, error) {
	var rows []taskRow
	err := tx.Where("driver_id = ? AND status IN ? AND id <> ? AND depart_at < ? AND return_at > ?",
		driverID, append([]string{TaskCompleted}, openTaskStatuses...), except, to, from).Find(&rows).Error
	return rows, dispatchErr(err, "task")
}

// taskBriefs returns the vehicle, driver and phone of tasks, by id.
func taskBriefs(tx *gorm.DB, ids []int64) (map[int64]TaskBrief, error) {
	out := map[int64]TaskBrief{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64
		Status      string
		VehicleID   int64
		Plate       string
		DriverID    int64
		Driver      string
		DriverPhone string
		DepartedAt  *time.Time
		ReturnedAt  *time.Time
		Terminal    *string
	}
	err := tx.Table("dispatch_tasks").
		Select("dispatch_tasks.id, dispatch_tasks.status, dispatch_tasks.vehicle_id, vehicles.plate, vehicles.terminal_phone AS terminal, dispatch_tasks.driver_id, "+
			"drivers.name AS driver, drivers.phone AS driver_phone, dispatch_tasks.departed_at, dispatch_tasks.returned_at").
		Joins("JOIN vehicles ON vehicles.id = dispatch_tasks.vehicle_id").
		Joins("JOIN drivers ON drivers.id = dispatch_tasks.driver_id").
		Where("dispatch_tasks.id IN ?", ids).Find(&rows).Error
	if err != nil {
		return nil, dispatchErr(err, "task")
	}
	for _, r := range rows {
		out[r.ID] = TaskBrief{ID: r.ID, Status: r.Status, VehicleID: r.VehicleID, Plate: r.Plate, DriverID: r.DriverID,
			Driver: r.Driver, DriverPhone: r.DriverPhone, DepartedAt: utcp(r.DepartedAt), ReturnedAt: utcp(r.ReturnedAt),
			hasTerminal: r.Terminal != nil && *r.Terminal != ""}
	}
	return out, nil
}

// taskViews turns task rows into API tasks with their requests, vehicle, driver and applicant.
func taskViews(tx *gorm.DB, rows []taskRow) ([]Task, error) {
	if len(rows) == 0 {
		return []Task{}, nil
	}
	ids, leads := make([]int64, len(rows)), make([]int64, len(rows))
	for i := range rows {
		ids[i], leads[i] = rows[i].ID, rows[i].RequestID
	}
	briefs, err := taskBriefs(tx, ids)
	if err != nil {
		return nil, err
	}
	// The requests of each task: its lead and the requests merged with it.
	var reqs []requestRow
	if err := tx.Where("id IN ? OR merge_id IN ?", leads, leads).Order("id").Find(&reqs).Error; err != nil {
		return nil, dispatchErr(err, "request")
	}
	byLead := map[int64][]*requestRow{}
	var users []int64
	for i := range reqs {
		r := &reqs[i]
		byLead[r.lead()] = append(byLead[r.lead()], r)
		users = append(users, r.ApplicantID)
	}
	ppl, err := people(tx, users)
	if err != nil {
		return nil, err
	}
	out := make([]Task, len(rows))
	for i := range rows {
		r := &rows[i]
		b := briefs[r.ID]
		t := Task{ID: r.ID, RequestID: r.RequestID, RequestIDs: []int64{}, VehicleID: r.VehicleID, Plate: b.Plate, HasTerminal: b.hasTerminal,
			DriverID: r.DriverID, Driver: b.Driver, DriverPhone: b.DriverPhone, Status: r.Status,
			DepartAt: r.DepartAt.UTC(), ReturnAt: r.ReturnAt.UTC(), Passengers: r.Passengers, Title: r.Title,
			OutOfArea: r.OutOfArea, PlannedKm: r.PlannedKm, Score: r.Cost, AssignedAt: r.AssignedAt.UTC(),
			AcceptedAt: utcp(r.AcceptedAt), DeclinedAt: utcp(r.DeclinedAt), DeclineReason: r.DeclineReason,
			DepartedAt: utcp(r.DepartedAt), ReturnedAt: utcp(r.ReturnedAt), OdometerStartKm: r.OdometerStartKm,
			OdometerEndKm: r.OdometerEndKm, FuelL: r.FuelL, ChargeKwh: r.ChargeKwh, GPSKm: r.GPSKm, DrivingS: r.DriveS,
			CancelledAt: utcp(r.CancelledAt), CancelReason: r.CancelReason, ReplacedBy: r.ReplacedBy, Destinations: []Place{}}
		if r.CheckedAt != nil {
			c := &Check{Items: []CheckItem{}, Note: r.CheckNote, Passed: r.CheckPassed, At: r.CheckedAt.UTC()}
			json.Unmarshal([]byte(r.CheckItems), &c.Items)
			t.Check = c
		}
		var purposes, notes []string
		for _, q := range byLead[r.RequestID] {
			t.RequestIDs = append(t.RequestIDs, q.ID)
			if q.ID == r.RequestID {
				t.Origin, t.Priority = q.origin(), q.Priority
				t.Applicant, t.ApplicantPhone = ppl[q.ApplicantID].Name, ppl[q.ApplicantID].Phone
			}
			t.Destinations = appendPlaces(t.Destinations, q.dests())
			purposes = append(purposes, q.Purpose)
			if q.Notes != "" {
				notes = append(notes, q.Notes)
			}
		}
		t.Purpose, t.Notes = strings.Join(purposes, "；"), strings.Join(notes, "；")
		out[i] = t
	}
	return out, nil
}

// appendPlaces adds the places not already listed (same address and position).
func appendPlaces(list, more []Place) []Place {
next:
	for _, p := range more {
		for _, q := range list {
			if p.Address == q.Address && *p.Lat == *q.Lat && *p.Lng == *q.Lng {
				continue next
			}
		}
		list = append(list, p)
	}
	return list
}

// taskView returns one task as the API shows it.
func taskView(tx *gorm.DB, id int64) (*Task, error) {
	r, err := getTaskRow(tx, id)
	if err != nil {
		return nil, err
	}
	ts, err := taskViews(tx, []taskRow{*r})
	if err != nil {
		return nil, err
	}
	return &ts[0], nil
}

// driverOfUser returns the driver record linked to a user account.
func driverOfUser(tx *gorm.DB, userID int64) (*driverRow, error) {
	var r driverRow
	if err := tx.Where("user_id = ?", userID).Take(&r).Error; err != nil {
		if fleet.ErrorCode(dispatchErr(err, "driver")) == fleet.ENotFound {
			return nil, fleet.Errorf(fleet.EForbidden, "your account is not linked to a driver record")
		}
		return nil, dispatchErr(err, "driver")
	}
	return &r, nil
}

// driverTaskRows returns the driver's open tasks and those of the last days, newest first.
func driverTaskRows(tx *gorm.DB, driverID int64, since time.Time, limit int) ([]taskRow, error) {
	var rows []taskRow
	err := tx.Where("driver_id = ? AND (status IN ? OR return_at > ?)", driverID, openTaskStatuses, since).
		Order("depart_at DESC, id DESC").Limit(limit).Find(&rows).Error
	return rows, dispatchErr(err, "task")
}

// userOfDriver returns the user account of a driver, or 0.
func userOfDriver(tx *gorm.DB, driverID int64) (int64, error) {
	var r driverRow
	if err := tx.Select("id, user_id").Take(&r, driverID).Error; err != nil {
		return 0, dispatchErr(err, "driver")
	}
	if r.UserID == nil {
		return 0, nil
	}
	return *r.UserID, nil
}
