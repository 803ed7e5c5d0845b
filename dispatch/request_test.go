package dispatch_test

import (
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// A request from filing to rating: approval, candidates, assignment, the driver's accept,
// check, departure and return.
func TestRequestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		v := f.vehicle("赣K50001", 5, homeLat, homeLng)
		d, drv := f.driver("张师傅", "C1")

		r := f.request(f.staff, f.input(3, 0, 4*time.Hour))
		if r.Status != dispatch.ReqSubmitted || r.ApprovalStatus != approval.StatusPending || r.Applicant == "" || r.Unit != "县发改委" {
			t.Fatalf("filed = %+v, want submitted with a pending approval", r)
		}
		// Not in the queue yet: no candidates, no assignment.
		if _, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 0); fleet.ErrorCode(err) != fleet.EConflict {
			t.Fatalf("candidates of a submitted request: %v, want conflict", err)
		}
		_, err := f.desk.Assign(f.ctx, f.dispatcher, r.ID, dispatch.AssignInput{VehicleID: v.ID, DriverID: d.ID})
		wantErr(t, err, fleet.EConflict, "")

		if _, err := f.approvals.Act(f.ctx, f.leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		r = f.get(r.ID)
		if r.Status != dispatch.ReqApproved || r.ApprovedAt == nil || r.ApprovalStatus != approval.StatusApproved {
			t.Fatalf("after approval = %s/%s, want approved", r.Status, r.ApprovalStatus)
		}
		q, err := f.desk.DispatchQueue(f.ctx, f.dispatcher)
		if err != nil || len(q.Approved) != 1 || q.Approved[0].ID != r.ID {
			t.Fatalf("queue = %+v, %v; want the request to assign", q, err)
		}

		list, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 0)
		if err != nil || len(list.Items) != 1 {
			t.Fatalf("candidates = %+v, %v; want the one pair", list, err)
		}
		c := list.Items[0]
		if c.VehicleID != v.ID || c.DriverID != d.ID || c.From != dispatch.FromParking || c.DistanceKm != 0 {
			t.Fatalf("candidate = %+v", c)
		}

		task := f.assign(r.ID, v.ID, d.ID)
		if task.Status != dispatch.TaskAssigned || task.Plate != "赣K50001" || task.Driver != "张师傅" || task.Passengers != 3 ||
			task.Applicant == "" || len(task.Destinations) != 1 || task.PlannedKm <= 0 {
			t.Fatalf("task = %+v", task)
		}
		r = f.get(r.ID)
		if r.Status != dispatch.ReqAssigned || r.Task == nil || r.Task.Plate != "赣K50001" || r.Task.DriverPhone == "" {
			t.Fatalf("assigned request = %+v (task %+v): the applicant sees plate, driver and phone", r, r.Task)
		}
		// The terminal got the task as a text (queued: the vehicle has no terminal here, so none).
		// The board knows the task: within its window the vehicle is on a task.
		if _, ok := f.board.ActiveTask(f.ctx, v.ID, f.base.Add(time.Hour)); !ok {
			t.Fatal("board: no active task within the window")
		}
		if _, ok := f.board.ActiveTask(f.ctx, v.ID, f.base.Add(-time.Hour)); ok {
			t.Fatal("board: an assigned task is active before its window")
		}

		// The driver: accept, check, depart, return.
		mine, err := f.desk.DriverTasks(f.ctx, drv)
		if err != nil || len(mine) != 1 || mine[0].ID != task.ID {
			t.Fatalf("driver tasks = %+v, %v", mine, err)
		}
		if _, err := f.desk.DepartTask(f.ctx, drv, task.ID); fleet.ErrorCode(err) != fleet.EConflict {
			t.Fatalf("depart before accepting: %v, want conflict", err)
		}
		if _, err := f.desk.ReturnTask(f.ctx, drv, task.ID, dispatch.ReturnInput{OdometerKm: fp(100)}); fleet.ErrorCode(err) != fleet.EConflict {
			t.Fatalf("return of a trip never started: %v, want conflict", err)
		}
		if task, err = f.desk.AcceptTask(f.ctx, drv, task.ID); err != nil || task.Status != dispatch.TaskAccepted {
			t.Fatalf("accept = %+v, %v", task, err)
		}
		if f.get(r.ID).Status != dispatch.ReqAccepted {
			t.Fatal("request not accepted with its task")
		}
		_, err = f.desk.DepartTask(f.ctx, drv, task.ID)
		wantErr(t, err, fleet.EConflict, "check")
		checklist := dispatch.DefaultSettings().Checklist
		items := make([]dispatch.CheckItem, len(checklist))
		for i, c := range checklist {
			items[i] = dispatch.CheckItem{Item: c, OK: true}
		}
		items[0].OK = false // 轮胎: failing, no note
		if task, err = f.desk.CheckTask(f.ctx, drv, task.ID, dispatch.CheckInput{Items: items}); err != nil || task.Check == nil || task.Check.Passed {
			t.Fatalf("failing check = %+v, %v", task.Check, err)
		}
		_, err = f.desk.DepartTask(f.ctx, drv, task.ID)
		wantErr(t, err, fleet.EConflict, "check")
		_, err = f.desk.CheckTask(f.ctx, drv, task.ID, dispatch.CheckInput{Items: items[1:]})
		wantErr(t, err, fleet.EInvalid, "items")
		items[0].Note = "胎压略低，已充气"
		if task, err = f.desk.CheckTask(f.ctx, drv, task.ID, dispatch.CheckInput{Items: items}); err != nil || !task.Check.Passed {
			t.Fatalf("noted check = %+v, %v", task.Check, err)
		}
		if task, err = f.desk.DepartTask(f.ctx, drv, task.ID); err != nil || task.Status != dispatch.TaskDeparted || task.DepartedAt == nil {
			t.Fatalf("depart = %+v, %v", task, err)
		}
		if at, ok := f.board.ActiveTask(f.ctx, v.ID, time.Now()); !ok || at.ID != task.ID || at.Driver != "张师傅" {
			t.Fatalf("board after departure = %+v, %v", at, ok)
		}
		veh, _ := f.fleet.GetVehicle(f.ctx, f.dispatcher, v.ID)
		if veh.Status != dispatch.StatusOnTask {
			t.Fatalf("vehicle status while out = %s, want on_task", veh.Status)
		}
		// Odometer: stored 1000, a return reading below is refused naming odometer_km.
		if err := f.fleet.AdvanceOdometer(f.ctx, db.DB, v.ID, 1000); err != nil {
			t.Fatal(err)
		}
		_, err = f.desk.ReturnTask(f.ctx, drv, task.ID, dispatch.ReturnInput{OdometerKm: fp(999)})
		wantErr(t, err, fleet.EInvalid, "odometer_km")
		_, err = f.desk.ReturnTask(f.ctx, drv, task.ID, dispatch.ReturnInput{})
		wantErr(t, err, fleet.EInvalid, "odometer_km")
		if f.get(r.ID).Status != dispatch.ReqDeparted {
			t.Fatal("a refused return changed the request")
		}
		if task, err = f.desk.ReturnTask(f.ctx, drv, task.ID, dispatch.ReturnInput{OdometerKm: fp(1023.5), FuelL: fp(4)}); err != nil ||
			task.Status != dispatch.TaskCompleted || *task.OdometerEndKm != 1023.5 || task.ReturnedAt == nil {
			t.Fatalf("return = %+v, %v", task, err)
		}
		r = f.get(r.ID)
		if r.Status != dispatch.ReqCompleted || r.CompletedAt == nil {
			t.Fatalf("request after return = %s", r.Status)
		}
		veh, _ = f.fleet.GetVehicle(f.ctx, f.dispatcher, v.ID)
		if veh.Status != dispatch.StatusAvailable || *veh.OdometerKm != 1023.5 {
			t.Fatalf("vehicle after return = %s %v", veh.Status, *veh.OdometerKm)
		}
		if _, ok := f.board.ActiveTask(f.ctx, v.ID, time.Now()); ok {
			t.Fatal("board: a completed task is still active")
		}
		// A point of the trip that arrives after the return (a phone out of signal) is still the
		// task's: no misuse_no_task for it.
		during := task.DepartedAt.Add(task.ReturnedAt.Sub(*task.DepartedAt) / 2)
		if at, ok := f.board.ActiveTask(f.ctx, v.ID, during); !ok || at.ID != task.ID {
			t.Fatalf("board: a late point of the completed trip = %+v, %v", at, ok)
		}

		// The applicant rates once; nobody else does.
		_, err = f.desk.RateRequest(f.ctx, f.dispatcher, r.ID, dispatch.RateInput{Stars: 5})
		wantErr(t, err, fleet.EForbidden, "")
		_, err = f.desk.RateRequest(f.ctx, f.staff, r.ID, dispatch.RateInput{Stars: 6})
		wantErr(t, err, fleet.EInvalid, "stars")
		if r, err = f.desk.RateRequest(f.ctx, f.staff, r.ID, dispatch.RateInput{Stars: 4, Comment: "准时"}); err != nil || r.Rating == nil || r.Rating.Stars != 4 {
			t.Fatalf("rate = %+v, %v", r, err)
		}
		_, err = f.desk.RateRequest(f.ctx, f.staff, r.ID, dispatch.RateInput{Stars: 5})
		wantErr(t, err, fleet.EConflict, "")
	})
}

// Bad input is refused naming the field, and nothing is stored.
func TestRequestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		// A county boundary around home (±0.5°): a point 1° away is outside.
		_, err := f.track.CreateGeofence(f.ctx, f.dispatcher, tracking.GeofenceInput{Name: "县界", Kind: tracking.FenceCountyBoundary,
			Shape: "polygon", Polygon: [][]float64{{homeLat - 0.5, homeLng - 0.5}, {homeLat - 0.5, homeLng + 0.5},
				{homeLat + 0.5, homeLng + 0.5}, {homeLat + 0.5, homeLng - 0.5}}})
		if err != nil {
			t.Fatalf("county fence: %v", err)
		}
		mod := func(m func(*dispatch.RequestInput)) dispatch.RequestInput {
			in := f.input(2, 0, 2*time.Hour)
			m(&in)
			return in
		}
		tests := []struct {
			name  string
			in    dispatch.RequestInput
			field string
		}{
			{"return before departure", mod(func(in *dispatch.RequestInput) {
				in.ReturnAt = f.base.Add(-time.Hour).Format(time.RFC3339)
			}), "return_at"},
			{"return at departure", mod(func(in *dispatch.RequestInput) { in.ReturnAt = in.DepartAt }), "return_at"},
			{"trip already over", mod(func(in *dispatch.RequestInput) {
				in.DepartAt = time.Now().Add(-5 * time.Hour).Format(time.RFC3339)
				in.ReturnAt = time.Now().Add(-4 * time.Hour).Format(time.RFC3339)
			}), "return_at"},
			{"zero passengers", mod(func(in *dispatch.RequestInput) { in.Passengers = 0 }), "passengers"},
			{"negative passengers", mod(func(in *dispatch.RequestInput) { in.Passengers = -2 }), "passengers"},
			{"61 passengers", mod(func(in *dispatch.RequestInput) { in.Passengers = 61 }), "passengers"},
			{"no purpose", mod(func(in *dispatch.RequestInput) { in.Purpose = " " }), "purpose"},
			{"latitude 91", mod(func(in *dispatch.RequestInput) { in.Origin.Lat = fp(91) }), "origin"},
			{"origin without coordinates", mod(func(in *dispatch.RequestInput) { in.Origin.Lng = nil }), "origin"},
			{"null island", mod(func(in *dispatch.RequestInput) { in.Origin.Lat, in.Origin.Lng = fp(0), fp(0) }), "origin"},
			{"bad destination", mod(func(in *dispatch.RequestInput) { in.Destinations[0].Lng = fp(200) }), "destinations.0"},
			{"no destination", mod(func(in *dispatch.RequestInput) { in.Destinations = nil }), "destinations"},
			{"origin outside the county", mod(func(in *dispatch.RequestInput) { in.Origin = place("邻县", homeLat+1, homeLng) }), "origin"},
			{"unknown class", mod(func(in *dispatch.RequestInput) { in.VehicleClass = "limousine" }), "vehicle_class"},
			{"unknown priority", mod(func(in *dispatch.RequestInput) { in.Priority = "urgent" }), "priority"},
			{"bad time", mod(func(in *dispatch.RequestInput) { in.DepartAt = "tomorrow" }), "depart_at"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.desk.CreateRequest(f.ctx, f.staff, tt.in)
				wantErr(t, err, fleet.EInvalid, tt.field)
			})
		}
		list, total, err := f.desk.ListRequests(f.ctx, f.dispatcher, dispatch.RequestFilter{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("requests after bad input = %d, %v; want none", total, err)
		}
		// With a reason, an origin outside the county is accepted; a destination outside makes the
		// trip one that leaves the county.
		r := f.request(f.staff, mod(func(in *dispatch.RequestInput) {
			in.Origin, in.OutsideReason = place("市里", homeLat+1, homeLng), "从市里接专家"
		}))
		if !r.OutOfArea || r.OutsideReason == "" {
			t.Fatalf("outside origin with a reason = %+v", r)
		}
		r = f.request(f.staff, mod(func(in *dispatch.RequestInput) {
			in.Destinations = []dispatch.Place{place("省城", homeLat+1.5, homeLng)}
		}))
		if !r.OutOfArea {
			t.Fatal("a destination outside the county: out_of_area false")
		}
	})
}

// Without a county boundary no place is outside.
func TestNoCountyBoundaryNothingOutside(t *testing.T) {
	f := newDeskFix(t, storetest.SQLite(t))
	in := f.input(1, 0, time.Hour)
	in.Origin = place("远方", homeLat+5, homeLng+5)
	r := f.request(f.staff, in)
	if r.OutOfArea || r.Status != dispatch.ReqSubmitted {
		t.Fatalf("request = %+v", r)
	}
}

// An emergency is in the queue at once and assignable; its approval runs after, and a later
// rejection is recorded without pulling the running trip.
func TestEmergencyGoesStraightToQueue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		v := f.vehicle("赣K50002", 5, homeLat, homeLng)
		d, _ := f.driver("李师傅", "C1")
		in := f.input(2, 0, time.Hour)
		in.Priority = dispatch.PriorityEmergency
		r := f.request(f.staff, in)
		if r.Status != dispatch.ReqApproved || r.ApprovalStatus != approval.StatusPending {
			t.Fatalf("emergency = %s/%s, want approved with the approval pending", r.Status, r.ApprovalStatus)
		}
		q, _ := f.desk.DispatchQueue(f.ctx, f.dispatcher)
		if len(q.Approved) != 1 {
			t.Fatalf("queue = %+v", q)
		}
		f.assign(r.ID, v.ID, d.ID)
		if _, err := f.approvals.Act(f.ctx, f.leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActReject, Comment: "非应急"}); err != nil {
			t.Fatal(err)
		}
		r = f.get(r.ID)
		if r.Status != dispatch.ReqAssigned || r.ApprovalStatus != approval.StatusRejected {
			t.Fatalf("after a late rejection = %s/%s, want assigned/rejected", r.Status, r.ApprovalStatus)
		}
		// An unassigned emergency that is rejected leaves the queue.
		r2 := f.request(f.staff, in)
		if _, err := f.approvals.Act(f.ctx, f.leader, *r2.ApprovalID, approval.ActionInput{Action: approval.ActReject, Comment: "否"}); err != nil {
			t.Fatal(err)
		}
		if got := f.get(r2.ID); got.Status != dispatch.ReqRejected {
			t.Fatalf("rejected waiting emergency = %s", got.Status)
		}
	})
}

// Drafts, returned approvals, rejection, cancellation, and who sees what.
func TestRequestDraftsAndScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		in := f.input(2, time.Hour, time.Hour)
		no := false
		in.Submit = &no
		r := f.request(f.staff, in)
		if r.Status != dispatch.ReqDraft || r.ApprovalID != nil {
			t.Fatalf("draft = %+v", r)
		}
		in.Passengers = 3
		if r, err := f.desk.UpdateRequest(f.ctx, f.staff, r.ID, in); err != nil || r.Passengers != 3 || r.Status != dispatch.ReqDraft {
			t.Fatalf("edit draft = %+v, %v", r, err)
		}
		other := f.user("other", "staff")
		_, err := f.desk.SubmitRequest(f.ctx, other, r.ID)
		wantErr(t, err, fleet.EForbidden, "")
		if _, err := f.desk.GetRequest(f.ctx, other, r.ID); fleet.ErrorCode(err) != fleet.EForbidden {
			t.Fatalf("another staff reads the request: %v", err)
		}
		if _, err := f.desk.GetRequest(f.ctx, f.leader, r.ID); err != nil {
			t.Fatalf("the unit head reads the request: %v", err)
		}
		r, err = f.desk.SubmitRequest(f.ctx, f.staff, r.ID)
		if err != nil || r.Status != dispatch.ReqSubmitted {
			t.Fatalf("submit = %+v, %v", r, err)
		}
		// Returned for revision: back to draft; edited and resubmitted on the same approval.
		if _, err := f.approvals.Act(f.ctx, f.leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActReturn, Comment: "写清事由"}); err != nil {
			t.Fatal(err)
		}
		if got := f.get(r.ID); got.Status != dispatch.ReqDraft || got.ApprovalStatus != approval.StatusReturned {
			t.Fatalf("returned = %s/%s", got.Status, got.ApprovalStatus)
		}
		in.Purpose = "调研：工业园企业用电情况"
		yes := true
		in.Submit = &yes
		if got, err := f.desk.UpdateRequest(f.ctx, f.staff, r.ID, in); err != nil || got.Status != dispatch.ReqSubmitted || *got.ApprovalID != *r.ApprovalID {
			t.Fatalf("resubmit = %+v, %v", got, err)
		}
		// The applicant cancels: the pending approval is withdrawn.
		got, err := f.desk.CancelRequest(f.ctx, f.staff, r.ID, dispatch.CancelInput{Reason: "会议取消"})
		if err != nil || got.Status != dispatch.ReqCancelled || got.ApprovalStatus != approval.StatusWithdrawn {
			t.Fatalf("cancel = %+v, %v", got, err)
		}
		_, err = f.desk.CancelRequest(f.ctx, f.staff, r.ID, dispatch.CancelInput{})
		wantErr(t, err, fleet.EConflict, "")
		// A rejected request ends there.
		r2 := f.request(f.staff, f.input(1, 0, time.Hour))
		f.approvals.Act(f.ctx, f.leader, *r2.ApprovalID, approval.ActionInput{Action: approval.ActReject, Comment: "不批"})
		if got := f.get(r2.ID); got.Status != dispatch.ReqRejected {
			t.Fatalf("rejected = %s", got.Status)
		}
		mine, total, err := f.desk.ListRequests(f.ctx, other, dispatch.RequestFilter{})
		if err != nil || total != 0 || len(mine) != 0 {
			t.Fatalf("another staff's list = %d", total)
		}
		all, total, _ := f.desk.ListRequests(f.ctx, f.leader, dispatch.RequestFilter{Statuses: []string{dispatch.ReqRejected}})
		if total != 1 || all[0].ID != r2.ID {
			t.Fatalf("leader's rejected = %d", total)
		}
	})
}
