package office_test

import (
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/office"
)

func TestReallocationThroughTheApprovalEngine(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 1000, 6)
		r302 := f.room(b.ID, 3, "302", 20, office.UseOffice)
		r401 := f.room(b.ID, 4, "401", 30, office.UseOffice)
		r402 := f.room(b.ID, 4, "402", 20, office.UseOffice)
		r403 := f.room(b.ID, 4, "403", 18, office.UseOffice)
		big := f.room(b.ID, 5, "501", 120, office.UseService)
		f.seat(r302.ID, "clerk1")
		f.seat(r302.ID, "clerk2")

		// A unit asks for a vacant room: pending until the office managers approve.
		req, err := f.svc.RequestReallocation(f.ctx, f.as["fin_leader"], office.ReallocationInput{Reason: "新增科室",
			Items: []office.ReallocationItemInput{{RoomID: r401.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if req.Status != office.StatusPending || req.ApprovalID == nil || req.UnitID != f.units[finance] || req.AreaM2 != 30 {
			t.Fatalf("request = %+v", req)
		}
		inst, err := f.ap.Get(f.ctx, f.manager(), *req.ApprovalID)
		if err != nil || inst.Definition != office.Definition || inst.Step == nil || inst.Step.Name != "机关事务服务中心审核" {
			t.Fatalf("instance = %+v, %v", inst, err)
		}
		if room, _ := f.svc.GetRoom(f.ctx, f.manager(), r401.ID); !room.Vacant {
			t.Fatal("the room is given before the approval")
		}
		// The same room cannot be asked for twice at once.
		_, err = f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{Reason: "需要",
			Items: []office.ReallocationItemInput{{RoomID: r401.ID}}})
		wantCode(t, err, fleet.EConflict)

		f.clock.Add(time.Hour)
		if _, err := f.ap.Act(f.ctx, f.manager(), *req.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		req, _ = f.svc.GetReallocation(f.ctx, f.manager(), req.ID)
		if req.Status != office.StatusApproved || req.AppliedAt == nil {
			t.Fatalf("after approval = %+v", req)
		}
		room, _ := f.svc.GetRoom(f.ctx, f.manager(), r401.ID)
		if room.Vacant || room.UnitID == nil || *room.UnitID != f.units[finance] || room.UnitAssignmentID == nil {
			t.Fatalf("room after approval = %+v", room)
		}
		hist, _, _ := f.svc.History(f.ctx, f.manager(), office.HistoryQuery{RoomID: r401.ID})
		if hist[0].Action != "reallocate" || hist[0].Actor != "吴主任" || !strings.Contains(hist[0].Reason, "新增科室") {
			t.Errorf("history = %+v", hist[0])
		}

		// The center moves the unit's clerks from 302 to 402: one transaction, history kept.
		mv, err := f.svc.RequestReallocation(f.ctx, f.manager(), office.ReallocationInput{Kind: office.ReallocMove, UnitID: f.units[finance],
			Reason: "集中办公", Items: []office.ReallocationItemInput{{RoomID: r402.ID, FromRoomID: r302.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		// The applicant is an office manager: the other one approves.
		if _, err := f.ap.Act(f.ctx, f.as["manager2"], *mv.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		old, _ := f.svc.GetRoom(f.ctx, f.manager(), r302.ID)
		moved, _ := f.svc.GetRoom(f.ctx, f.manager(), r402.ID)
		if !old.Vacant || len(moved.Occupants) != 2 {
			t.Fatalf("after the move: 302 %+v, 402 %+v", old, moved)
		}
		ended, _, _ := f.svc.ListAssignments(f.ctx, f.manager(), office.AssignmentQuery{RoomID: r302.ID})
		if len(ended) != 2 || ended[0].Active || !strings.Contains(ended[0].EndReason, "集中办公") {
			t.Errorf("the old assignments = %+v, want ended with the reason", ended)
		}

		// A room taken meanwhile: approving fails with a clear error and nothing changes; the
		// request can still be rejected.
		req2, err := f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{Reason: "新增编制",
			Items: []office.ReallocationItemInput{{RoomID: r403.ID, UserID: f.id("edu_clerk")}}})
		if err != nil {
			t.Fatal(err)
		}
		f.seat(r403.ID, "norank")
		before := f.counts()
		_, err = f.ap.Act(f.ctx, f.manager(), *req2.ApprovalID, approval.ActionInput{Action: approval.ActApprove})
		wantCode(t, err, fleet.EConflict)
		if !strings.Contains(fleet.ErrorMessage(err), "no longer vacant") {
			t.Errorf("error = %v", err)
		}
		if after := f.counts(); after["office_assignments"] != before["office_assignments"] {
			t.Errorf("rows before %v, after %v", before, after)
		}
		req2, _ = f.svc.GetReallocation(f.ctx, f.manager(), req2.ID)
		if req2.Status != office.StatusPending {
			t.Errorf("status = %s, want still pending", req2.Status)
		}
		if _, err := f.ap.Act(f.ctx, f.manager(), *req2.ApprovalID, approval.ActionInput{Action: approval.ActReject, Comment: "房间已分配"}); err != nil {
			t.Fatal(err)
		}
		req2, _ = f.svc.GetReallocation(f.ctx, f.manager(), req2.ID)
		if req2.Status != office.StatusRejected {
			t.Errorf("status = %s, want rejected", req2.Status)
		}

		// More than 100 m² goes on to the county leaders (the admin stands in for the empty group).
		bigReq, err := f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{Reason: "会议室",
			Items: []office.ReallocationItemInput{{RoomID: big.ID}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.ap.Act(f.ctx, f.manager(), *bigReq.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		inst, _ = f.ap.Get(f.ctx, f.manager(), *bigReq.ApprovalID)
		if inst.Status != approval.StatusPending || inst.Step == nil || inst.Step.Name != "县政府领导审批" {
			t.Fatalf("large request = %+v, want at the county leaders' step", inst)
		}
		if _, err := f.ap.Act(f.ctx, f.as["admin"], *bigReq.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		if room, _ := f.svc.GetRoom(f.ctx, f.manager(), big.ID); room.UnitID == nil || *room.UnitID != f.units[education] {
			t.Errorf("meeting room = %+v", room)
		}

		// Who may ask: a leader for their own unit, requests only.
		_, err = f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{UnitID: f.units[finance], Reason: "x",
			Items: []office.ReallocationItemInput{{RoomID: r302.ID}}})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.RequestReallocation(f.ctx, f.as["edu_leader"], office.ReallocationInput{Kind: office.ReallocMove, Reason: "x",
			Items: []office.ReallocationItemInput{{RoomID: r302.ID, FromRoomID: big.ID}}})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.RequestReallocation(f.ctx, f.as["clerk1"], office.ReallocationInput{Reason: "x", Items: []office.ReallocationItemInput{{RoomID: r302.ID}}})
		wantCode(t, err, fleet.EForbidden)
		list, total, err := f.svc.ListReallocations(f.ctx, f.as["fin_leader"], office.ReallocationQuery{})
		if err != nil || total != 2 || len(list) != 2 {
			t.Errorf("finance leader's list = %d %+v, %v; want the request and the move", total, list, err)
		}
		_, err = f.svc.GetReallocation(f.ctx, f.as["fin_leader"], bigReq.ID)
		wantCode(t, err, fleet.EForbidden)
	})
}

func TestClearancesAndDepartures(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 1000, 6)
		r301 := f.room(b.ID, 3, "301", 24, office.UseOffice)
		r302 := f.room(b.ID, 3, "302", 40, office.UseOffice)
		f.seat(r301.ID, "chief")
		f.give(r302.ID, finance)

		// 清退 with a deadline: overdue once it has passed, done by completing it.
		c, err := f.svc.OrderClearance(f.ctx, f.manager(), office.ClearanceInput{RoomID: r302.ID, Reason: "闲置超标", Deadline: "2026-03-31"})
		if err != nil {
			t.Fatal(err)
		}
		if c.UnitID != f.units[finance] || c.Overdue || c.Status != office.ClearanceOpen {
			t.Fatalf("clearance = %+v", c)
		}
		_, err = f.svc.OrderClearance(f.ctx, f.manager(), office.ClearanceInput{RoomID: r302.ID, Reason: "again", Deadline: "2026-03-31"})
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.OrderClearance(f.ctx, f.manager(), office.ClearanceInput{RoomID: r301.ID, Reason: "x", Deadline: "2026-03-01"})
		wantCode(t, err, fleet.EInvalid)
		f.clock.Add(31 * 24 * time.Hour) // 2026-04-02
		list, _, _ := f.svc.ListClearances(f.ctx, f.manager(), office.ClearanceQuery{Overdue: true})
		if len(list) != 1 || !list[0].Overdue {
			t.Fatalf("overdue clearances = %+v", list)
		}
		c, err = f.svc.CompleteClearance(f.ctx, f.manager(), c.ID, office.NoteInput{Note: "已腾退"})
		if err != nil || c.Status != office.ClearanceDone || c.Overdue || c.DoneAt == nil {
			t.Fatalf("completed = %+v, %v", c, err)
		}
		if room, _ := f.svc.GetRoom(f.ctx, f.manager(), r302.ID); !room.Vacant {
			t.Error("the cleared room is not back in the pool")
		}
		pool, _, _ := f.svc.ListRooms(f.ctx, f.manager(), office.RoomQuery{Vacant: ptrBool(true)})
		if len(pool) != 1 || pool[0].ID != r302.ID {
			t.Errorf("pool = %+v", pool)
		}

		// A transfer: the office is due back within a month; overdue after; recovered by ending it.
		d, err := f.svc.RecordDeparture(f.ctx, f.manager(), office.DepartureInput{UserID: f.id("chief"), Kind: office.DepartTransfer, LeftOn: "2026-04-02"})
		if err != nil {
			t.Fatal(err)
		}
		if d.Deadline != "2026-05-02" || d.RecoveredAt != nil || len(d.Rooms) != 1 || d.Overdue {
			t.Fatalf("departure = %+v", d)
		}
		_, err = f.svc.RecordDeparture(f.ctx, f.manager(), office.DepartureInput{UserID: f.id("chief"), Kind: office.DepartRetire})
		wantCode(t, err, fleet.EConflict)
		f.clock.Add(31 * 24 * time.Hour) // 2026-05-03
		ds, err := f.svc.ListDepartures(f.ctx, f.manager(), office.DepartureQuery{Overdue: true})
		if err != nil || len(ds.Items) != 1 || !ds.Items[0].Overdue {
			t.Fatalf("overdue departures = %+v, %v", ds, err)
		}
		as, _, _ := f.svc.ListAssignments(f.ctx, f.manager(), office.AssignmentQuery{UserID: f.id("chief"), Active: ptrBool(true)})
		if _, err := f.svc.EndAssignment(f.ctx, f.manager(), as[0].ID, office.EndInput{Reason: "调离收回"}); err != nil {
			t.Fatal(err)
		}
		ds, _ = f.svc.ListDepartures(f.ctx, f.manager(), office.DepartureQuery{})
		if len(ds.Items) != 1 || ds.Items[0].RecoveredAt == nil || ds.Items[0].Overdue {
			t.Errorf("after recovery = %+v", ds.Items)
		}

		// Unrecorded: a disabled user still in an office.
		f.seat(r301.ID, "clerk1")
		if _, err := f.auth.SetDisabled(f.ctx, f.as["admin"], f.id("clerk1"), true); err != nil {
			t.Fatal(err)
		}
		ds, _ = f.svc.ListDepartures(f.ctx, f.manager(), office.DepartureQuery{})
		if len(ds.Unrecorded) != 1 || ds.Unrecorded[0].UserID != f.id("clerk1") || ds.Unrecorded[0].Why != "disabled" {
			t.Errorf("unrecorded = %+v", ds.Unrecorded)
		}
	})
}

func ptrBool(b bool) *bool { return &b }
