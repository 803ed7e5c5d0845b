package dispatch

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// CancelTask ends an open task before departure (dispatcher): its requests go back to the queue.
func (d *Desk) CancelTask(ctx context.Context, a *auth.Actor, taskID int64, in CancelInput) (*Task, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Reason = p.Text("reason", in.Reason, false, 200)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := d.now()
	err := d.lockedTx(ctx, func(tx *gorm.DB) error {
		t, err := getTaskRow(tx, taskID)
		if err != nil {
			return err
		}
		if _, err := lockTrip(tx, t.RequestID); err != nil {
			return err
		}
		if t, err = lockTask(tx, taskID); err != nil {
			return err
		}
		if t.Status != TaskAssigned && t.Status != TaskAccepted {
			return fleet.Errorf(fleet.EConflict, "task %d is %s: only a task not yet departed can be cancelled", t.ID, t.Status)
		}
		return d.endTask(tx, t, TaskCancelled, "cancelled_at", in.Reason, now)
	})
	if err != nil {
		return nil, err
	}
	d.forgetLoad()
	d.changed(ctx, EventCancelled, taskID)
	d.record(ctx, a, "task_cancel", taskTarget(taskID), in.Reason)
	return taskView(d.db.WithContext(ctx), taskID)
}

// endTask ends an open task early (cancelled or declined): its requests still on it go back to
// the queue.
func (d *Desk) endTask(tx *gorm.DB, t *taskRow, status, atColumn, reason string, now time.Time) error {
	set := map[string]any{"status": status, atColumn: now, "updated_at": now}
	if status == TaskDeclined {
		set["decline_reason"] = reason
	} else {
		set["cancel_reason"] = reason
	}
	if err := setTask(tx, t.ID, set); err != nil {
		return err
	}
	err := tx.Model(&requestRow{}).Where("task_id = ? AND status IN ?", t.ID, []string{ReqAssigned, ReqAccepted}).
		Updates(map[string]any{"status": ReqApproved, "task_id": nil, "updated_at": now}).Error
	return dispatchErr(err, "request")
}
