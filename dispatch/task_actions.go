package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// recentTasks is how far back a driver's task list reaches.
const recentTasks = 14 * 24 * time.Hour

// DriverTasks returns the signed-in driver's open tasks and those of the last two weeks, latest
// departure first.
func (d *Desk) DriverTasks(ctx context.Context, a *auth.Actor) ([]Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	tx := d.db.WithContext(ctx)
	dr, err := driverOfUser(tx, a.UserID)
	if err != nil {
		return nil, err
	}
	rows, err := driverTaskRows(tx, dr.ID, d.now().Add(-recentTasks), 100)
	if err != nil {
		return nil, err
	}
	return taskViews(tx, rows)
}

// DriverTask returns one of the signed-in driver's tasks.
func (d *Desk) DriverTask(ctx context.Context, a *auth.Actor, id int64) (*Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	tx := d.db.WithContext(ctx)
	dr, err := driverOfUser(tx, a.UserID)
	if err != nil {
		return nil, err
	}
	t, err := getTaskRow(tx, id)
	if err != nil {
		return nil, err
	}
	if t.DriverID != dr.ID {
		return nil, fleet.Errorf(fleet.EForbidden, "this is not your task")
	}
	return taskView(tx, id)
}

// driverStep is one action of a driver on their task, inside the locked transaction: it returns
// the event to announce ("" for none).
type driverStep func(tx *gorm.DB, t *taskRow, now time.Time) (event string, err error)

// driverAct runs a driver's action on their own task: the trip's requests, then the task, are
// locked (the order assignments lock in), and the step checks the task's state.
func (d *Desk) driverAct(ctx context.Context, a *auth.Actor, id int64, action string, step driverStep) (*Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	now := d.now()
	var event string
	err := d.lockedTx(ctx, func(tx *gorm.DB) error {
		dr, err := driverOfUser(tx, a.UserID)
		if err != nil {
			return err
		}
		t, err := getTaskRow(tx, id)
		if err != nil {
			return err
		}
		if t.DriverID != dr.ID {
			return fleet.Errorf(fleet.EForbidden, "this is not your task")
		}
		if _, err := lockTrip(tx, t.RequestID); err != nil {
			return err
		}
		if t, err = lockTask(tx, id); err != nil {
			return err
		}
		event, err = step(tx, t, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	if event != "" {
		d.changed(ctx, event, id)
		d.record(ctx, a, "task_"+action, taskTarget(id), "")
	}
	return taskView(d.db.WithContext(ctx), id)
}

// endedErr is the 409 of an action on a task that is no longer the driver's to act on.
func endedErr(t *taskRow) error {
	switch t.Status {
	case TaskReassigned:
		return fleet.Errorf(fleet.EConflict, "task %d was reassigned to another vehicle or driver", t.ID)
	case TaskCancelled:
		return fleet.Errorf(fleet.EConflict, "task %d was cancelled", t.ID)
	case TaskDeclined:
		return fleet.Errorf(fleet.EConflict, "task %d was declined", t.ID)
	}
	return fleet.Errorf(fleet.EConflict, "task %d is %s", t.ID, t.Status)
}

// AcceptTask: the driver takes the task (accepting it again changes nothing). 409 when it was
// reassigned, cancelled or declined meanwhile.
func (d *Desk) AcceptTask(ctx context.Context, a *auth.Actor, id int64) (*Task, error) {
	return d.driverAct(ctx, a, id, "accept", func(tx *gorm.DB, t *taskRow, now time.Time) (string, error) {
		switch t.Status {
		case TaskAccepted:
			return "", nil
		case TaskAssigned:
		default:
			return "", endedErr(t)
		}
		if err := setTask(tx, t.ID, map[string]any{"status": TaskAccepted, "accepted_at": now, "updated_at": now}); err != nil {
			return "", err
		}
		return EventAccepted, moveRequests(tx, t.ID, []string{ReqAssigned}, map[string]any{"status": ReqAccepted, "updated_at": now})
	})
}

// DeclineTask: the driver turns the task down with a reason; its requests go back to the queue.
func (d *Desk) DeclineTask(ctx context.Context, a *auth.Actor, id int64, in DeclineInput) (*Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Reason = p.Text("reason", in.Reason, true, 200)
	if err := p.Err(); err != nil {
		return nil, err
	}
	t, err := d.driverAct(ctx, a, id, "decline", func(tx *gorm.DB, t *taskRow, now time.Time) (string, error) {
		if t.Status != TaskAssigned && t.Status != TaskAccepted {
			return "", endedErr(t)
		}
		return EventDeclined, d.endTask(tx, t, TaskDeclined, "declined_at", in.Reason, now)
	})
	if err == nil {
		d.forgetLoad()
	}
	return t, err
}

// CheckTask records the pre-trip safety check: every checklist item answered; a failing item
// without a note keeps the vehicle from departing.
func (d *Desk) CheckTask(ctx context.Context, a *auth.Actor, id int64, in CheckInput) (*Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	passed, err := in.validate(d.currentSettings().Checklist)
	if err != nil {
		return nil, err
	}
	items, _ := json.Marshal(in.Items)
	return d.driverAct(ctx, a, id, "check", func(tx *gorm.DB, t *taskRow, now time.Time) (string, error) {
		switch t.Status {
		case TaskAccepted:
		case TaskAssigned:
			return "", fleet.Errorf(fleet.EConflict, "accept task %d first", t.ID)
		default:
			return "", endedErr(t)
		}
		if in.Disinfected {
			if err := d.disinfected(tx, a, t, now); err != nil {
				return "", err
			}
		}
		return EventChecked, setTask(tx, t.ID, map[string]any{"check_items": string(items), "check_note": in.Note,
			"check_passed": passed, "checked_at": now, "updated_at": now})
	})
}

// disinfected adds the driver's pre-trip disinfection to the vehicle's records, unless the
// vehicle has one since the task was assigned (a check answered again).
func (d *Desk) disinfected(tx *gorm.DB, a *auth.Actor, t *taskRow, now time.Time) error {
	var n int64
	err := tx.Model(&recordRow{}).Where("vehicle_id = ? AND kind = ? AND at >= ?", t.VehicleID, RecordDisinfection, t.AssignedAt).
		Count(&n).Error
	if err != nil || n > 0 {
		return err
	}
	by := a.UserID
	r := recordRow{VehicleID: t.VehicleID, Kind: RecordDisinfection, Date: dateOf(now, d.opt.Location), At: &now,
		Note: fmt.Sprintf("出车前消毒 · 任务 %d", t.ID), UserID: &by, CreatedAt: now}
	return tx.Create(&r).Error
}

// DepartTask starts the trip: the task accepted and its check passed (409 naming check
// otherwise). The vehicle's odometer at departure is kept.
func (d *Desk) DepartTask(ctx context.Context, a *auth.Actor, id int64) (*Task, error) {
	return d.driverAct(ctx, a, id, "depart", func(tx *gorm.DB, t *taskRow, now time.Time) (string, error) {
		switch t.Status {
		case TaskAccepted:
		case TaskAssigned:
			return "", fleet.Errorf(fleet.EConflict, "accept task %d first", t.ID)
		default:
			return "", endedErr(t)
		}
		switch {
		case t.CheckedAt == nil:
			return "", conflictOn("check", "do the pre-trip check first")
		case !t.CheckPassed:
			return "", conflictOn("check", "a checklist item failed without a note: fix it, or note why the trip may go")
		}
		v, err := getVehicleRow(tx, t.VehicleID)
		if err != nil {
			return "", err
		}
		set := map[string]any{"status": TaskDeparted, "departed_at": now, "updated_at": now}
		if v.OdometerKm != nil {
			set["odometer_start_km"] = *v.OdometerKm
		}
		if err := setTask(tx, t.ID, set); err != nil {
			return "", err
		}
		if err := markVehicle(tx, t.VehicleID, StatusAvailable, StatusOnTask); err != nil {
			return "", err
		}
		return EventDeparted, moveRequests(tx, t.ID, []string{ReqAssigned, ReqAccepted}, map[string]any{"status": ReqDeparted, "updated_at": now})
	})
}

// ReturnTask ends the trip with the odometer (never below the vehicle's last reading: 400 naming
// odometer_km) and what was refuelled or charged; the task and every request it served are
// completed. 409 for a trip never started. The tracked km and driving time of the trip are kept.
func (d *Desk) ReturnTask(ctx context.Context, a *auth.Actor, id int64, in ReturnInput) (*Task, error) {
	if err := a.Require(auth.PermDriverTasks); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	track := d.tracked(ctx, id)
	t, err := d.driverAct(ctx, a, id, "return", func(tx *gorm.DB, t *taskRow, now time.Time) (string, error) {
		switch t.Status {
		case TaskDeparted:
		case TaskAssigned, TaskAccepted:
			return "", fleet.Errorf(fleet.EConflict, "task %d was never started: depart first", t.ID)
		default:
			return "", endedErr(t)
		}
		if err := d.fleet.AdvanceOdometer(tx.Statement.Context, tx, t.VehicleID, *in.OdometerKm); err != nil {
			return "", err
		}
		set := map[string]any{"status": TaskCompleted, "returned_at": now, "odometer_end_km": *in.OdometerKm,
			"fuel_l": in.FuelL, "charge_kwh": in.ChargeKwh, "updated_at": now}
		if track != nil {
			b, _ := json.Marshal(track.blocks)
			set["gps_km"], set["drive_s"], set["drive_blocks"] = round2(track.km), track.driveS, string(b)
		}
		if err := setTask(tx, t.ID, set); err != nil {
			return "", err
		}
		if err := markVehicle(tx, t.VehicleID, StatusOnTask, StatusAvailable); err != nil {
			return "", err
		}
		return EventReturned, moveRequests(tx, t.ID, []string{ReqDeparted, ReqAssigned, ReqAccepted},
			map[string]any{"status": ReqCompleted, "completed_at": now, "updated_at": now})
	})
	if err == nil {
		d.forgetLoad()
	}
	return t, err
}

// moveRequests updates the requests of a task that are in one of the statuses.
func moveRequests(tx *gorm.DB, taskID int64, from []string, set map[string]any) error {
	err := tx.Model(&requestRow{}).Where("task_id = ? AND status IN ?", taskID, from).Updates(set).Error
	return dispatchErr(err, "request")
}

// tripTrack is what the tracker recorded of a trip.
type tripTrack struct {
	km     float64
	driveS int
	blocks []driveBlock
}

// tracked reads the tracker's trips of a departed task's vehicle since its departure: nil when
// there is no tracker or no departure (the action then fails on its own check).
func (d *Desk) tracked(ctx context.Context, id int64) *tripTrack {
	if d.track == nil {
		return nil
	}
	t, err := getTaskRow(d.db.WithContext(ctx), id)
	if err != nil || t.DepartedAt == nil {
		return nil
	}
	from, to := t.DepartedAt.UTC(), d.opt.Now().UTC()
	if !to.After(from) {
		return &tripTrack{blocks: []driveBlock{}}
	}
	list, err := d.track.Trips(ctx, auth.System, t.VehicleID, from, to)
	if err != nil {
		d.opt.Logger.Warn("dispatch: tracked trips of a task", slog.Int64("task_id", id), slog.Any("error", err))
		return nil
	}
	out := &tripTrack{blocks: []driveBlock{}}
	for _, tr := range list.Trips {
		start, end := tr.StartAt, tr.EndAt
		if start.Before(from) {
			start = from
		}
		if end.After(to) {
			end = to
		}
		if !end.After(start) {
			continue
		}
		share := 1.0
		if whole := tr.EndAt.Sub(tr.StartAt); whole > 0 {
			share = float64(end.Sub(start)) / float64(whole)
		}
		out.km += tr.DistanceKm * share
		out.driveS += int(float64(tr.DrivingS) * share)
		out.blocks = append(out.blocks, driveBlock{From: start, To: end})
	}
	return out
}

func getVehicleRow(tx *gorm.DB, id int64) (*vehicleRow, error) {
	var v vehicleRow
	if err := tx.Take(&v, id).Error; err != nil {
		return nil, dispatchErr(err, "vehicle")
	}
	return &v, nil
}

// GetTask returns a task (dispatchers, admins, auditors).
func (d *Desk) GetTask(ctx context.Context, a *auth.Actor, id int64) (*Task, error) {
	if err := a.Require(auth.PermDispatchRead); err != nil {
		return nil, err
	}
	return taskView(d.db.WithContext(ctx), id)
}
