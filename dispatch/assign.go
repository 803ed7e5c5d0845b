package dispatch

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Assign books a vehicle and a driver for a request — and for the requests merged with it — in
// one transaction that locks the requests, then the vehicle's row, then the driver's (SELECT …
// FOR UPDATE on MySQL; SQLite's BEGIN IMMEDIATE serialises writers) and checks again, on the
// stored rows, every hard constraint: the request is approved and unassigned (409 otherwise),
// the vehicle usable, big enough and of the class asked, the driver on duty and licensed (409
// naming vehicle_id or driver_id), neither booked in the window widened by the turnaround buffer
// (409), the driving-time limits kept (409). So two dispatchers can never book one vehicle or one
// driver twice. The driver hears of the task (websocket), the vehicle's terminal gets it as a
// text (0x8300, best effort).
func (d *Desk) Assign(ctx context.Context, a *auth.Actor, requestID int64, in AssignInput) (*Task, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	return d.assign(ctx, a, requestID, in, false, nil)
}

// Reassign gives an assigned (or accepted, not yet departed) request another vehicle or driver:
// the old task ends as reassigned (its driver is told), a new one is assigned, in one
// transaction with the same checks as Assign.
func (d *Desk) Reassign(ctx context.Context, a *auth.Actor, requestID int64, in AssignInput) (*Task, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	return d.assign(ctx, a, requestID, in, true, nil)
}

func (d *Desk) assign(ctx context.Context, a *auth.Actor, requestID int64, in AssignInput, reassign bool, score *float64) (*Task, error) {
	now := d.now()
	set := d.currentSettings()
	var newID, oldID int64
	err := d.lockedTx(ctx, func(tx *gorm.DB) error {
		newID, oldID = 0, 0
		rows, err := lockTripOf(tx, requestID)
		if err != nil {
			return err
		}
		if oldID, err = assignable(rows, reassign); err != nil {
			return err
		}
		if oldID != 0 {
			old, err := lockTask(tx, oldID)
			if err != nil {
				return err
			}
			if old.Status == TaskDeparted || !taskOpen(old.Status) {
				return fleet.Errorf(fleet.EConflict, "task %d is %s: it can no longer be reassigned", old.ID, old.Status)
			}
			if old.VehicleID == in.VehicleID && old.DriverID == in.DriverID {
				return fleet.Errorf(fleet.EConflict, "the request is already assigned to this vehicle and driver")
			}
		}
		dem := demandOf(rows, set, oldID)
		v, dr, err := lockPair(tx, in.VehicleID, in.DriverID)
		if err != nil {
			return err
		}
		if err := d.checkPair(ctx, tx, v, dr, dem, set, now); err != nil {
			return err
		}
		t := taskRowOf(rows, dem, v.ID, dr.ID, now)
		t.Cost = score
		if a.UserID != 0 {
			t.AssignedBy = &a.UserID
		}
		if err := insertTask(tx, t); err != nil {
			return err
		}
		newID = t.ID
		if oldID != 0 {
			reason := in.Reason
			if reason == "" {
				reason = "reassigned"
			}
			if err := setTask(tx, oldID, map[string]any{"status": TaskReassigned, "replaced_by": newID,
				"cancelled_at": now, "cancel_reason": reason, "updated_at": now}); err != nil {
				return err
			}
		}
		return setRequests(tx, requestIDs(rows), map[string]any{"status": ReqAssigned, "task_id": newID, "updated_at": now})
	})
	if err != nil {
		return nil, err
	}
	d.forgetLoad()
	d.changed(ctx, EventAssigned, newID)
	if oldID != 0 {
		d.changed(ctx, EventReassigned, oldID)
	}
	t, err := taskView(d.db.WithContext(ctx), newID)
	if err != nil {
		return nil, err
	}
	d.sendTaskText(ctx, a, t)
	action := "task_assign"
	if oldID != 0 {
		action = "task_reassign"
	}
	d.record(ctx, a, action, taskTarget(newID), fmt.Sprintf("request=%d vehicle=%d driver=%d replaces=%d", requestID, in.VehicleID, in.DriverID, oldID))
	return t, nil
}

// lockTripOf locks the requests of the trip the request belongs to (the request alone, or its
// merged trip), and checks that it still belongs to it once locked.
func lockTripOf(tx *gorm.DB, requestID int64) ([]requestRow, error) {
	r, err := getRequestRow(tx, requestID)
	if err != nil {
		return nil, err
	}
	rows, err := lockTrip(tx, r.lead())
	if err != nil {
		return nil, err
	}
	for _, x := range rows {
		if x.ID == requestID && x.lead() == r.lead() {
			return rows, nil
		}
	}
	return nil, fleet.Errorf(fleet.EConflict, "the request's trip changed meanwhile; reload it")
}

// assignable checks the trip's requests for an assignment (approved, unassigned) or a
// reassignment (assigned or accepted, all to one task, whose id it returns).
func assignable(rows []requestRow, reassign bool) (oldTask int64, err error) {
	for i, r := range rows {
		if !reassign {
			if r.Status != ReqApproved || r.TaskID != nil {
				return 0, fleet.Errorf(fleet.EConflict, "request %d is %s: only an approved request waiting in the queue can be assigned", r.ID, r.Status)
			}
			continue
		}
		if (r.Status != ReqAssigned && r.Status != ReqAccepted) || r.TaskID == nil {
			return 0, fleet.Errorf(fleet.EConflict, "request %d is %s: only an assigned request not yet departed can be reassigned", r.ID, r.Status)
		}
		if i > 0 && *r.TaskID != oldTask {
			return 0, fleet.Errorf(fleet.EConflict, "the trip's requests are on different tasks")
		}
		oldTask = *r.TaskID
	}
	return oldTask, nil
}

// demandOf is what the trip of rows (locked, in id order) asks: the lead's origin and unit, every
// passenger, the span of every window, every destination.
func demandOf(rows []requestRow, set Settings, except int64) demand {
	lead := rows[0]
	for _, r := range rows {
		if r.ID == r.lead() {
			lead = r
		}
	}
	dm := demand{unitID: lead.UnitID, lat: lead.OriginLat, lng: lead.OriginLng, from: lead.DepartAt.UTC(), to: lead.ReturnAt.UTC(), except: except}
	var dests []Place
	for _, r := range rows {
		dm.passengers += r.Passengers
		if dm.class == "" {
			dm.class = r.VehicleClass
		}
		if r.Priority == PriorityEmergency {
			dm.emergency = true
		}
		if r.DepartAt.Before(dm.from) {
			dm.from = r.DepartAt.UTC()
		}
		if r.ReturnAt.After(dm.to) {
			dm.to = r.ReturnAt.UTC()
		}
		dests = append(dests, r.dests()...)
	}
	dm.tripKm = routeKm(lead.origin(), dests, set.DetourFactor)
	return dm
}

// taskRowOf is the new task of a trip.
func taskRowOf(rows []requestRow, dm demand, vehicleID, driverID int64, now time.Time) *taskRow {
	lead := rows[0]
	out := false
	for _, r := range rows {
		if r.ID == r.lead() {
			lead = r
		}
		out = out || r.OutOfArea
	}
	title := lead.Purpose
	if len(rows) > 1 {
		title += fmt.Sprintf("（合并%d单）", len(rows))
	}
	if ds := lead.dests(); len(ds) > 0 {
		title += " → " + ds[0].Address
	}
	if r := []rune(title); len(r) > 200 {
		title = string(r[:200])
	}
	return &taskRow{RequestID: lead.ID, VehicleID: vehicleID, DriverID: driverID, Status: TaskAssigned,
		DepartAt: dm.from, ReturnAt: dm.to, Passengers: dm.passengers, Title: title, OutOfArea: out,
		StartLat: dm.lat, StartLng: dm.lng, PlannedKm: round2(dm.tripKm), AssignedAt: now, CreatedAt: now, UpdatedAt: now}
}

func requestIDs(rows []requestRow) []int64 {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	return ids
}

// checkPair checks a vehicle and a driver, read under lock, against the trip: the same hard
// constraints as the ranking, on the stored rows.
func (d *Desk) checkPair(ctx context.Context, tx *gorm.DB, v *Vehicle, dr *Driver, dm demand, set Settings, now time.Time) error {
	if ok, why := Usable(v, dm.from, dm.to); !ok {
		return conflictOn("vehicle_id", "the vehicle cannot go out: "+why)
	}
	switch {
	case v.Seats < dm.passengers+set.SeatReserve:
		return conflictOn("vehicle_id", fmt.Sprintf("%d seats for %d passengers", v.Seats, dm.passengers))
	case dm.class != "" && v.Class != dm.class:
		return conflictOn("vehicle_id", "the request asks for class "+dm.class+"; the vehicle is "+v.Class)
	case !v.Pooled && (v.UnitID == nil || *v.UnitID != dm.unitID):
		return conflictOn("vehicle_id", "the vehicle is kept by another unit")
	case v.Energy == EnergyElectric && v.RangeKm != nil && dm.tripKm > float64(*v.RangeKm):
		return conflictOn("vehicle_id", fmt.Sprintf("the trip (%.0f km) is beyond the vehicle's range (%d km)", dm.tripKm, *v.RangeKm))
	}
	if dr.Status != DriverOnDuty {
		return conflictOn("driver_id", "the driver is "+dr.Status)
	}
	onDuty, err := d.fleet.OnDuty(ctx, tx, dr.ID, dm.from, dm.to)
	if err != nil {
		return err
	}
	if !onDuty {
		return conflictOn("driver_id", "the driver is not on duty (roster) over the whole window")
	}
	if ok, why := LicenceAllows(dr, v, dm.to); !ok {
		return conflictOn("driver_id", "the driver's licence does not allow it: "+why)
	}
	buffer := set.buffer()
	booked, err := bookings(tx, v.ID, dr.ID, dm.from, dm.to, buffer, now, dm.except)
	if err != nil {
		return err
	}
	for _, b := range booked {
		field, who := "driver_id", "the driver"
		if b.VehicleID == v.ID {
			field, who = "vehicle_id", "the vehicle"
		}
		return conflictOn(field, fmt.Sprintf("%s is booked by task %d (%s – %s, with a %d-minute turnaround)", who, b.ID,
			b.DepartAt.In(d.opt.Location).Format("01-02 15:04"), b.ReturnAt.In(d.opt.Location).Format("15:04"), set.TurnaroundMin))
	}
	lo, hi := blockSpan(dm.from, dm.to, d.opt.Location)
	day, err := driverDay(tx, dr.ID, lo, hi, dm.except)
	if err != nil {
		return err
	}
	slots := make([]*slot, len(day))
	for i := range day {
		slots[i] = day[i].slot("")
	}
	blocks := appendTaskBlocks(plannedBlocks(dm.from, dm.to, dm.tripKm, set.AvgSpeedKmh), slots, lo, hi, dm.except, set.AvgSpeedKmh)
	if ok, why := checkDriving(blocks, set.limits(d.opt.Location)); !ok {
		return conflictOn("driver_id", "driving-time limit: the driver "+why)
	}
	return nil
}

// conflictOn is a 409 naming the field at fault.
func conflictOn(field, msg string) error {
	return &fleet.Error{Code: fleet.EConflict, Message: msg, Fields: map[string]string{field: msg}}
}

// fleetInvalid is a 400 naming the field at fault.
func fleetInvalid(field, msg string) error {
	return fleet.Invalid(map[string]string{field: msg})
}
