package dispatch

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet/approval"
	"fleet/auth"
)

// submitTx sends a request to approval inside the caller's transaction: a normal request waits
// (submitted), an emergency goes to the queue at once (approved) and its approval runs after.
// A request returned for revision is resubmitted on its instance.
func (d *Desk) submitTx(ctx context.Context, tx *gorm.DB, a *auth.Actor, r *requestRow, now time.Time) error {
	r.SubmittedAt, r.UpdatedAt = &now, now
	r.Status = ReqSubmitted
	if r.Priority == PriorityEmergency {
		r.Status, r.ApprovedAt = ReqApproved, &now
	}
	// Stored first: an approval with no step that applies finishes at once, and its hook reads
	// the request.
	if err := saveRequest(tx, r); err != nil {
		return err
	}
	fields := map[string]any{"passengers": r.Passengers, "priority": r.Priority, "vehicle_class": r.VehicleClass,
		"unit_id": r.UnitID, "out_of_area": r.OutOfArea}
	var (
		inst *approval.Instance
		err  error
	)
	if r.ApprovalID != nil && r.ApprovalStatus == approval.StatusReturned {
		inst, err = d.approvals.ResubmitTx(ctx, tx, a, *r.ApprovalID, fields)
	} else {
		inst, err = d.approvals.SubmitTx(ctx, tx, a, approval.SubmitInput{Definition: RequestDefinition,
			Subject: requestSubject(r, d.opt.Location), RefType: RequestRefType, RefID: r.ID, Fields: fields})
	}
	if err != nil {
		return err
	}
	fresh, err := getRequestRow(tx, r.ID) // the hook may have moved it
	if err != nil {
		return err
	}
	*r = *fresh
	r.ApprovalID, r.ApprovalStatus = &inst.ID, inst.Status
	return setRequest(tx, r.ID, map[string]any{"approval_id": inst.ID, "approval_status": inst.Status})
}

// requestSubject is the approval's subject: purpose, departure and destination.
func requestSubject(r *requestRow, loc *time.Location) string {
	s := fmt.Sprintf("用车申请：%s（%s", r.Purpose, r.DepartAt.In(loc).Format("01-02 15:04"))
	if ds := r.dests(); len(ds) > 0 {
		s += " 至 " + ds[0].Address
	}
	s += "）"
	if r.Priority == PriorityEmergency {
		s = "【应急】" + s
	}
	if rs := []rune(s); len(rs) > 200 {
		s = string(rs[:200])
	}
	return s
}

// onApproval runs inside an approval action's transaction when a vehicle_use instance changes
// status: the request records it, and a request waiting for it moves — approved to the queue,
// rejected, withdrawn to cancelled, returned back to draft. An emergency, already in the queue,
// is rejected only while nobody has been assigned; once assigned or running the rejection is
// recorded (approval_status) for the dispatcher to act on.
func (d *Desk) onApproval(ctx context.Context, tx *gorm.DB, in *approval.Instance) error {
	tx = tx.WithContext(ctx)
	r, err := lockRequest(tx, in.RefID)
	if err != nil {
		return err
	}
	now := d.now()
	set := map[string]any{"approval_status": in.Status, "approval_id": in.ID, "updated_at": now}
	switch in.Status {
	case approval.StatusApproved:
		if r.Status == ReqSubmitted {
			set["status"], set["approved_at"] = ReqApproved, now
		}
	case approval.StatusRejected:
		if r.Status == ReqSubmitted || (r.Priority == PriorityEmergency && r.Status == ReqApproved && r.TaskID == nil) {
			set["status"] = ReqRejected
			if r.MergeID != nil { // leaves the merged trip, which has no task yet
				rows, err := lockTrip(tx, r.lead())
				if err != nil {
					return err
				}
				if len(rows) > 1 {
					if _, err := detach(tx, rows, r, now); err != nil {
						return err
					}
				}
				set["merge_id"] = nil
			}
		}
	case approval.StatusWithdrawn:
		if r.Status == ReqSubmitted {
			set["status"], set["cancelled_at"], set["cancel_reason"] = ReqCancelled, now, "approval withdrawn"
		}
	case approval.StatusReturned:
		if r.Status == ReqSubmitted {
			set["status"] = ReqDraft
		}
	}
	return setRequest(tx, r.ID, set)
}
