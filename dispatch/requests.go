package dispatch

import (
	"context"
	"fmt"
	"log/slog"

	"gorm.io/gorm"

	"fleet"
	"fleet/approval"
	"fleet/auth"
)

// CreateRequest files a vehicle-use request for the actor's unit and, unless Submit is false,
// submits it in the same transaction: to the unit head's approval (vehicle_use), or — an
// emergency — straight to the dispatch queue with its approval running after. An origin outside
// the county boundary (when one is configured) needs outside_reason.
func (d *Desk) CreateRequest(ctx context.Context, a *auth.Actor, in RequestInput) (*Request, error) {
	if err := a.Require(auth.PermRequestsWrite); err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, fleet.Errorf(fleet.EInvalid, "a request needs an applicant who is a user")
	}
	now := d.now()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	outOfArea, err := d.checkArea(ctx, &in)
	if err != nil {
		return nil, err
	}
	r := &requestRow{ApplicantID: a.UserID, UnitID: a.UnitID, Status: ReqDraft, OutOfArea: outOfArea, CreatedAt: now, UpdatedAt: now}
	fillRequestRow(r, &in)
	err = d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := d.insertRequest(tx, r); err != nil {
			return err
		}
		if *in.Submit {
			return d.submitTx(ctx, tx, a, r, now)
		}
		return nil
	})
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	d.record(ctx, a, "request_create", requestTarget(r.ID), fmt.Sprintf("status=%s priority=%s passengers=%d", r.Status, r.Priority, r.Passengers))
	if r.Status != ReqDraft {
		d.requestsChanged(ctx, r.ID)
	}
	return d.getRequest(ctx, r.ID)
}

// checkArea refuses an origin outside the county without a reason and tells whether a
// destination lies outside (the task then allows leaving the county).
func (d *Desk) checkArea(ctx context.Context, in *RequestInput) (outOfArea bool, err error) {
	if d.track == nil {
		return false, nil
	}
	lat, lng := in.Origin.latLng()
	inside, err := d.track.InCounty(ctx, lat, lng)
	if err != nil {
		return false, err
	}
	if !inside && in.OutsideReason == "" {
		return false, fleet.Invalid(map[string]string{"origin": "outside the county boundary: give outside_reason"})
	}
	outOfArea = !inside
	for _, p := range in.Destinations {
		lat, lng := p.latLng()
		inside, err := d.track.InCounty(ctx, lat, lng)
		if err != nil {
			return false, err
		}
		outOfArea = outOfArea || !inside
	}
	return outOfArea, nil
}

// UpdateRequest replaces a draft (also one returned by its approver) with the applicant's
// revision; Submit (default true) sends it on.
func (d *Desk) UpdateRequest(ctx context.Context, a *auth.Actor, id int64, in RequestInput) (*Request, error) {
	if err := a.Require(auth.PermRequestsWrite); err != nil {
		return nil, err
	}
	now := d.now()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	outOfArea, err := d.checkArea(ctx, &in)
	if err != nil {
		return nil, err
	}
	err = d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := lockRequest(tx, id)
		if err != nil {
			return err
		}
		if r.ApplicantID != a.UserID {
			return fleet.Errorf(fleet.EForbidden, "only the applicant edits a request")
		}
		if r.Status != ReqDraft {
			return fleet.Errorf(fleet.EConflict, "request %d is %s: only a draft can be edited", r.ID, r.Status)
		}
		fillRequestRow(r, &in)
		r.OutOfArea, r.UpdatedAt = outOfArea, now
		if *in.Submit {
			return d.submitTx(ctx, tx, a, r, now)
		}
		return saveRequest(tx, r)
	})
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	d.record(ctx, a, "request_update", requestTarget(id), "")
	return d.getRequest(ctx, id)
}

// SubmitRequest sends a draft to approval (or an emergency to the queue).
func (d *Desk) SubmitRequest(ctx context.Context, a *auth.Actor, id int64) (*Request, error) {
	if err := a.Require(auth.PermRequestsWrite); err != nil {
		return nil, err
	}
	now := d.now()
	err := d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := lockRequest(tx, id)
		if err != nil {
			return err
		}
		if r.ApplicantID != a.UserID {
			return fleet.Errorf(fleet.EForbidden, "only the applicant submits a request")
		}
		if r.Status != ReqDraft {
			return fleet.Errorf(fleet.EConflict, "request %d is %s: only a draft can be submitted", r.ID, r.Status)
		}
		if !r.ReturnAt.After(now) {
			return fleet.Invalid(map[string]string{"return_at": "the trip would already be over"})
		}
		return d.submitTx(ctx, tx, a, r, now)
	})
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	d.record(ctx, a, "request_submit", requestTarget(id), "")
	d.requestsChanged(ctx, id)
	return d.getRequest(ctx, id)
}

// CancelRequest cancels a request before departure: the applicant their own, a dispatcher any.
// A task serving it alone is cancelled (vehicle and driver freed); from a merged trip the request
// is taken off and the trip goes on for the others. A pending approval is withdrawn.
func (d *Desk) CancelRequest(ctx context.Context, a *auth.Actor, id int64, in CancelInput) (*Request, error) {
	if err := a.Require(auth.PermRequestsWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Reason = p.Text("reason", in.Reason, false, 200)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := d.now()
	var (
		r       *requestRow
		touched []int64 // tasks changed
		ended   int64   // the task cancelled with the request
	)
	err := d.lockedTx(ctx, func(tx *gorm.DB) error {
		touched, ended = nil, 0
		rows, err := lockTripOf(tx, id)
		if err != nil {
			return err
		}
		for i := range rows {
			if rows[i].ID == id {
				r = &rows[i]
			}
		}
		if r.ApplicantID != a.UserID && !a.Can(auth.PermDispatch) {
			return fleet.Errorf(fleet.EForbidden, "only the applicant or a dispatcher cancels a request")
		}
		switch r.Status {
		case ReqDraft, ReqSubmitted, ReqApproved, ReqAssigned, ReqAccepted:
		default:
			return fleet.Errorf(fleet.EConflict, "request %d is %s: it can no longer be cancelled", r.ID, r.Status)
		}
		if r.TaskID != nil && len(rows) == 1 {
			t, err := lockTask(tx, *r.TaskID)
			if err != nil {
				return err
			}
			if taskOpen(t.Status) {
				if err := d.endTask(tx, t, TaskCancelled, "cancelled_at", "request cancelled", now); err != nil {
					return err
				}
				ended = t.ID
			}
		} else if len(rows) > 1 {
			if touched, err = detach(tx, rows, r, now); err != nil {
				return err
			}
		}
		return setRequest(tx, r.ID, map[string]any{"status": ReqCancelled, "task_id": nil, "merge_id": nil,
			"cancelled_at": now, "cancel_reason": in.Reason, "updated_at": now})
	})
	if err != nil {
		return nil, err
	}
	if ended != 0 {
		d.forgetLoad()
		d.changed(ctx, EventCancelled, ended)
	}
	if len(touched) > 0 {
		d.changed(ctx, EventUpdated, touched...)
	}
	if r.ApprovalID != nil && r.ApprovalStatus == approval.StatusPending && r.ApplicantID == a.UserID {
		if _, err := d.approvals.Act(ctx, a, *r.ApprovalID, approval.ActionInput{Action: approval.ActWithdraw}); err != nil {
			d.opt.Logger.Info("dispatch: approval of a cancelled request not withdrawn", slog.Int64("request_id", id), slog.Any("error", err))
		}
	}
	d.record(ctx, a, "request_cancel", requestTarget(id), in.Reason)
	d.requestsChanged(ctx, id)
	return d.getRequest(ctx, id)
}

// RateRequest records the applicant's stars and comment on a completed trip, once.
func (d *Desk) RateRequest(ctx context.Context, a *auth.Actor, id int64, in RateInput) (*Request, error) {
	if err := a.Require(auth.PermRequestsWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	now := d.now()
	err := d.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		r, err := lockRequest(tx, id)
		if err != nil {
			return err
		}
		switch {
		case r.ApplicantID != a.UserID:
			return fleet.Errorf(fleet.EForbidden, "only the applicant rates a trip")
		case r.Status != ReqCompleted:
			return fleet.Errorf(fleet.EConflict, "request %d is %s: a trip is rated once completed", r.ID, r.Status)
		case r.Stars != nil:
			return fleet.Errorf(fleet.EConflict, "this trip has been rated already")
		}
		return setRequest(tx, id, map[string]any{"stars": in.Stars, "rating_comment": in.Comment, "rated_at": now, "updated_at": now})
	})
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	d.record(ctx, a, "request_rate", requestTarget(id), fmt.Sprintf("stars=%d", in.Stars))
	return d.getRequest(ctx, id)
}

// GetRequest returns a request the actor may see: their own; their unit's for a leader; any for
// dispatchers, admins and auditors.
func (d *Desk) GetRequest(ctx context.Context, a *auth.Actor, id int64) (*Request, error) {
	if err := a.Require(auth.PermAny); err != nil {
		return nil, err
	}
	r, err := d.getRequest(ctx, id)
	if err != nil {
		return nil, err
	}
	if !seesRequest(a, r.ApplicantID, r.UnitID) {
		// A driver sees the requests of their own tasks through the task.
		return nil, fleet.Errorf(fleet.EForbidden, "you may not see this request")
	}
	return r, nil
}

// seesRequest says whether the actor may read a request of the applicant and unit.
func seesRequest(a *auth.Actor, applicant, unit int64) bool {
	switch {
	case a.Can(auth.PermDispatchRead):
		return true
	case a.UserID == applicant:
		return true
	case a.Role == auth.RoleLeader && a.UnitID == unit:
		return true
	}
	return false
}

func (d *Desk) getRequest(ctx context.Context, id int64) (*Request, error) {
	tx := d.db.WithContext(ctx)
	r, err := getRequestRow(tx, id)
	if err != nil {
		return nil, err
	}
	vs, err := d.requestViews(ctx, tx, []requestRow{*r})
	if err != nil {
		return nil, err
	}
	return &vs[0], nil
}

// ListRequests returns the requests the actor may see matching f, latest departure first:
// with Mine (or for staff, drivers and the center's other roles) their own; a leader's their
// unit's; a dispatcher's, admin's or auditor's every unit's (or f.UnitID).
func (d *Desk) ListRequests(ctx context.Context, a *auth.Actor, f RequestFilter) ([]Request, int64, error) {
	if err := a.Require(auth.PermAny); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	for _, s := range f.Statuses {
		if !oneOf(s, requestStatuses) {
			return nil, 0, fleet.Invalid(map[string]string{"status": "unknown status " + s})
		}
	}
	var applicant, unit int64
	switch {
	case f.Mine:
		applicant = a.UserID
	case a.Can(auth.PermDispatchRead):
		unit = f.UnitID
	case a.Role == auth.RoleLeader:
		unit = a.UnitID
	default:
		applicant = a.UserID
	}
	tx := d.db.WithContext(ctx)
	rows, total, err := listRequestRows(tx, f, applicant, unit)
	if err != nil {
		return nil, 0, err
	}
	out, err := d.requestViews(ctx, tx, rows)
	return out, total, err
}

// requestStatuses lists the request statuses.
var requestStatuses = []string{ReqDraft, ReqSubmitted, ReqApproved, ReqAssigned, ReqAccepted, ReqDeparted,
	ReqCompleted, ReqCancelled, ReqRejected}
