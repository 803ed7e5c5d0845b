package demo

import (
	"context"
	"time"

	"fleet"
	"fleet/dispatch"
)

// The steps of a request, each at its time, through the desk as the person who takes it; each
// schedules the next.

// stepFile: the applicant files the request (an emergency lands in the queue at once).
func stepFile(ctx context.Context, h *history, t *trip) error {
	r, err := h.desk.CreateRequest(ctx, h.people.staff[t.unit.unit], t.requestInput())
	if err != nil {
		return err
	}
	t.id = r.ID
	if r.ApprovalID != nil {
		t.approvalID = *r.ApprovalID
	}
	switch {
	case t.fate == fateWithdraw:
		h.schedule(h.later(20, 90), t, stepWithdraw)
	case t.emergency:
		h.schedule(h.later(2, 6), t, stepAssign)
		h.schedule(t.decideAt, t, stepDecide)
	default:
		h.schedule(t.decideAt, t, stepDecide)
	}
	return nil
}

// stepWithdraw: the applicant cancels a request not yet approved.
func stepWithdraw(ctx context.Context, h *history, t *trip) error {
	_, err := h.desk.CancelRequest(ctx, h.people.staff[t.unit.unit], t.id, dispatch.CancelInput{Reason: "行程取消，不再用车"})
	return err
}

// stepDecide: the unit head approves (with a word, now and then) or turns the request down.
func stepDecide(ctx context.Context, h *history, t *trip) error {
	head := h.people.heads[t.unit.unit]
	in := approvalAction(h, t)
	if _, err := h.approvals.Act(ctx, head, t.approvalID, in); err != nil {
		return err
	}
	if t.fate == fateReject || t.emergency {
		return nil
	}
	// The dispatcher books cars in the afternoon for the next day, or at once for today.
	assign := h.later(5, 40)
	day := midnight(t.depart.In(h.opt.Location))
	if eve := at(day.AddDate(0, 0, -1), 16, h.rng.IntN(60)); eve.After(assign) {
		assign = eve
	}
	if latest := t.depart.Add(-20 * time.Minute); assign.After(latest) {
		assign = latest
	}
	h.schedule(assign, t, stepAssign)
	return nil
}

// stepAssign: the dispatcher takes the best candidate (not a driver who declined it) — or, with
// none, cancels the request and tells the applicant.
func stepAssign(ctx context.Context, h *history, t *trip) error {
	list, err := h.desk.Candidates(ctx, h.dispatcher, t.id, 5)
	if err != nil {
		return err
	}
	for _, c := range list.Items {
		if c.DriverID == t.declinedBy {
			continue
		}
		task, err := h.desk.Assign(ctx, h.dispatcher, t.id, dispatch.AssignInput{VehicleID: c.VehicleID, DriverID: c.DriverID})
		if fleet.ErrorCode(err) == fleet.EConflict {
			continue
		}
		if err != nil {
			return err
		}
		h.res.Tasks++
		t.taskID, t.vehicleID, t.driverID = task.ID, c.VehicleID, c.DriverID
		if err := h.textsHeard(ctx, c.VehicleID); err != nil {
			return err
		}
		next := stepAccept
		if t.fate == fateDecline && t.declinedBy == 0 {
			next = stepDecline
		}
		h.schedule(h.answerBy(t), t, next)
		return nil
	}
	_, err = h.desk.CancelRequest(ctx, h.dispatcher, t.id, dispatch.CancelInput{Reason: "无可派车辆，已电话告知申请人"})
	return err
}

// answerBy is when the driver answers a new task: within half an hour, and before it departs.
func (h *history) answerBy(t *trip) time.Time {
	at := h.later(2, 30)
	if latest := t.depart.Add(-12 * time.Minute); at.After(latest) {
		at = h.clock.now().Add(time.Minute)
	}
	return at
}

// stepDecline: the driver turns the task down; it goes back to the queue and another is found.
func stepDecline(ctx context.Context, h *history, t *trip) error {
	reason := []string{"身体不适，申请换人", "车辆需加油保养，申请换车", "家中有急事"}[h.rng.IntN(3)]
	if _, err := h.desk.DeclineTask(ctx, h.people.drivers[t.driverID], t.taskID, dispatch.DeclineInput{Reason: reason}); err != nil {
		return err
	}
	h.res.Declined++
	t.declinedBy = t.driverID
	h.schedule(h.later(3, 8), t, stepAssign)
	return nil
}

// stepAccept: the driver accepts; the trip leaves at its time, give or take.
func stepAccept(ctx context.Context, h *history, t *trip) error {
	if _, err := h.desk.AcceptTask(ctx, h.people.drivers[t.driverID], t.taskID); err != nil {
		return err
	}
	if t.fate == fateCancelLate { // the meeting moves before the car leaves
		cancel := h.later(20, 120)
		if latest := t.depart.Add(-15 * time.Minute); cancel.After(latest) {
			cancel = h.clock.now().Add(latest.Sub(h.clock.now()) / 2)
		}
		h.schedule(cancel, t, stepCancelLate)
		return nil
	}
	leave := t.depart.Add(time.Duration(h.rng.IntN(16)-10) * time.Minute)
	if now := h.clock.now(); !leave.After(now.Add(5 * time.Minute)) {
		leave = now.Add(5 * time.Minute)
	}
	h.schedule(leave.Add(-4*time.Minute), t, stepCheck)
	return nil
}

// stepCancelLate: the applicant cancels after the car was booked (the meeting moved).
func stepCancelLate(ctx context.Context, h *history, t *trip) error {
	_, err := h.desk.CancelRequest(ctx, h.people.staff[t.unit.unit], t.id, dispatch.CancelInput{Reason: "会议延期，取消用车"})
	return err
}

// stepCheck: the pre-trip check, every item in order; the vehicle leaves a few minutes later.
func stepCheck(ctx context.Context, h *history, t *trip) error {
	in := dispatch.CheckInput{}
	for _, item := range h.checklist {
		in.Items = append(in.Items, dispatch.CheckItem{Item: item, OK: true})
	}
	if _, err := h.desk.CheckTask(ctx, h.people.drivers[t.driverID], t.taskID, in); err != nil {
		return err
	}
	h.schedule(h.later(3, 5), t, stepDepart)
	return nil
}

// stepDepart: the trip starts; its track is drawn from here (the terminal reports it as it goes).
func stepDepart(ctx context.Context, h *history, t *trip) error {
	if _, err := h.desk.DepartTask(ctx, h.people.drivers[t.driverID], t.taskID); err != nil {
		return err
	}
	t.drive = h.driveTrip(t)
	h.schedule(t.drive.at.Add(time.Duration(1+h.rng.IntN(3))*time.Minute), t, stepReturn)
	return nil
}

// stepReturn: the track reaches the platform (it is stored, cut into trips, watched by the
// detectors), then the driver ends the task with the odometer and what was refuelled.
func stepReturn(ctx context.Context, h *history, t *trip) error {
	if err := h.ingest(ctx, t.drive); err != nil {
		return err
	}
	car := h.vehicles[t.vehicleID]
	in := car.returned(t.drive.km(), t.skewed)
	if _, err := h.desk.ReturnTask(ctx, h.people.drivers[t.driverID], t.taskID, in); err != nil {
		return err
	}
	if err := h.ackOffHours(ctx, t); err != nil {
		return err
	}
	if t.stars > 0 {
		h.schedule(h.later(60, 26*60), t, stepRate)
	}
	return nil
}

// stepRate: the applicant rates the trip.
func stepRate(ctx context.Context, h *history, t *trip) error {
	if _, err := h.desk.RateRequest(ctx, h.people.staff[t.unit.unit], t.id, dispatch.RateInput{Stars: t.stars, Comment: t.comment}); err != nil {
		return err
	}
	h.res.Rated++
	return nil
}
