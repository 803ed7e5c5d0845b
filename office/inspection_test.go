package office_test

import (
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/office"
)

func TestInspectionFindingsAndRectification(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 1000, 6)
		r301 := f.room(b.ID, 3, "301", 24, office.UseOffice)
		r302 := f.room(b.ID, 3, "302", 20, office.UseOffice)
		f.seat(r301.ID, "chief")
		f.give(r302.ID, finance)

		// The ledger suggests what to look at: the section chief over standard, the idle room.
		sugg, err := f.svc.SuggestFindings(f.ctx, f.manager(), f.units[finance])
		if err != nil || len(sugg) != 2 {
			t.Fatalf("suggestions = %+v, %v", sugg, err)
		}
		for i := range sugg {
			sugg[i].Owner, sugg[i].Deadline = "王局长", "2026-03-31"
		}
		sugg = append(sugg, office.FindingInput{UnitID: f.units[finance], RoomID: r302.ID, Kind: office.FindingChangeOfUse,
			Description: "办公室改作储藏室", OwnerUserID: f.id("fin_leader"), Deadline: "2026-03-15"})
		ins, err := f.svc.RecordInspection(f.ctx, f.manager(), office.InspectionInput{Title: "2026年一季度办公用房专项检查",
			InspectedOn: "2026-03-02", Inspector: "县纪委监委", Findings: sugg})
		if err != nil {
			t.Fatal(err)
		}
		if len(ins.Findings) != 3 || ins.Open != 3 || ins.Overdue != 0 || ins.Findings[2].Owner != "王局长" {
			t.Fatalf("inspection = %+v", ins)
		}
		// A finding needs an owner and a deadline.
		_, err = f.svc.AddFinding(f.ctx, f.manager(), ins.ID, office.FindingInput{UnitID: f.units[finance], Kind: office.FindingOther, Description: "x"})
		wantCode(t, err, fleet.EInvalid)
		if fieldOf(err, "owner") == "" || fieldOf(err, "deadline") == "" {
			t.Errorf("err = %v, want owner and deadline named", err)
		}

		f.clock.Add(20 * 24 * time.Hour) // 2026-03-22: the change-of-use finding is overdue
		overdue, _, err := f.svc.ListFindings(f.ctx, f.manager(), office.FindingQuery{Overdue: true})
		if err != nil || len(overdue) != 1 || overdue[0].Kind != office.FindingChangeOfUse || !overdue[0].Overdue {
			t.Fatalf("overdue = %+v, %v", overdue, err)
		}
		// The unit's leader records the rectification; another unit's leader may not.
		_, err = f.svc.Rectify(f.ctx, f.as["edu_leader"], overdue[0].ID, office.RectifyInput{Rectification: "x"})
		wantCode(t, err, fleet.EForbidden)
		fd, err := f.svc.Rectify(f.ctx, f.as["fin_leader"], overdue[0].ID, office.RectifyInput{Rectification: "已恢复办公用途"})
		if err != nil || fd.Status != office.FindingRectified || fd.Overdue || fd.RectifiedAt == nil {
			t.Fatalf("rectified = %+v, %v", fd, err)
		}
		_, err = f.svc.Rectify(f.ctx, f.manager(), fd.ID, office.RectifyInput{Rectification: "again"})
		wantCode(t, err, fleet.EConflict)
		hist, _, _ := f.svc.History(f.ctx, f.manager(), office.HistoryQuery{Subject: "finding"})
		if len(hist) != 4 || hist[0].Action != "rectify" || !strings.Contains(hist[0].To, "逾期") {
			t.Errorf("finding history = %+v", hist)
		}
		// Leaders see their own unit's findings.
		list, _, err := f.svc.ListInspections(f.ctx, f.as["edu_leader"], fleet.Page{})
		if err != nil || len(list) != 0 {
			t.Errorf("education leader's inspections = %+v, %v", list, err)
		}
		_, err = f.svc.GetInspection(f.ctx, f.as["edu_leader"], ins.ID)
		wantCode(t, err, fleet.EForbidden)
		got, err := f.svc.GetInspection(f.ctx, f.as["fin_leader"], ins.ID)
		if err != nil || len(got.Findings) != 3 || got.Open != 2 {
			t.Errorf("finance leader's inspection = %+v, %v", got, err)
		}
	})
}

func TestRepairsAndPatrols(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		b := f.building("县行政中心", 1000, 6)
		r301 := f.room(b.ID, 3, "301", 24, office.UseOffice)
		f.seat(r301.ID, "chief")

		// A leader reports their unit's room; the center reports the elevator.
		rp, err := f.svc.ReportRepair(f.ctx, f.as["fin_leader"], office.RepairInput{RoomID: r301.ID, Equipment: office.EquipAirConditioning, Description: "空调不制冷"})
		if err != nil || rp.BuildingID != b.ID || rp.Status != office.RepairReported || rp.Room != "县行政中心 301" {
			t.Fatalf("repair = %+v, %v", rp, err)
		}
		_, err = f.svc.ReportRepair(f.ctx, f.as["edu_leader"], office.RepairInput{RoomID: r301.ID, Equipment: office.EquipRoom, Description: "门锁坏"})
		wantCode(t, err, fleet.EForbidden)
		lift, err := f.svc.ReportRepair(f.ctx, f.manager(), office.RepairInput{BuildingID: b.ID, Equipment: office.EquipElevator, Description: "2号电梯异响", Cost: 1200})
		if err != nil || lift.Cost != 1200 {
			t.Fatalf("elevator = %+v, %v", lift, err)
		}
		_, err = f.svc.ReportRepair(f.ctx, f.manager(), office.RepairInput{BuildingID: b.ID, Equipment: "lift", Description: "x"})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.ReportRepair(f.ctx, f.manager(), office.RepairInput{BuildingID: b.ID, Equipment: office.EquipWater, Description: "x", Cost: -1})
		wantCode(t, err, fleet.EInvalid)

		cost := 3580.5
		if rp, err = f.svc.UpdateRepair(f.ctx, f.manager(), rp.ID, office.RepairUpdate{Status: office.RepairInProgress}); err != nil || rp.StartedAt == nil {
			t.Fatalf("in progress: %+v, %v", rp, err)
		}
		if rp, err = f.svc.UpdateRepair(f.ctx, f.manager(), rp.ID, office.RepairUpdate{Status: office.RepairDone, Cost: &cost, Note: "更换压缩机"}); err != nil || rp.Cost != 3580.5 || rp.DoneAt == nil {
			t.Fatalf("done: %+v, %v", rp, err)
		}
		_, err = f.svc.UpdateRepair(f.ctx, f.manager(), rp.ID, office.RepairUpdate{Status: office.RepairInProgress})
		wantCode(t, err, fleet.EConflict)
		mine, _, _ := f.svc.ListRepairs(f.ctx, f.as["fin_leader"], office.RepairQuery{})
		if len(mine) != 1 || mine[0].ID != rp.ID {
			t.Errorf("leader's repairs = %+v", mine)
		}

		// A patrol on its checklist: a failed line needs a follow-up; overdue ones are flagged.
		p, err := f.svc.SchedulePatrol(f.ctx, f.manager(), office.PatrolInput{BuildingID: b.ID, ScheduledOn: "2026-03-05"})
		if err != nil || len(p.Items) != len(office.DefaultChecklist) || p.Status != office.PatrolScheduled {
			t.Fatalf("patrol = %+v, %v", p, err)
		}
		f.clock.Add(5 * 24 * time.Hour) // 2026-03-07
		late, _, _ := f.svc.ListPatrols(f.ctx, f.manager(), office.PatrolQuery{Overdue: true})
		if len(late) != 1 || !late[0].Overdue {
			t.Fatalf("overdue patrols = %+v", late)
		}
		var answers []office.PatrolItemResult
		for _, it := range p.Items {
			answers = append(answers, office.PatrolItemResult{Line: it.Line, OK: true})
		}
		answers[1] = office.PatrolItemResult{Line: 2, OK: false, Note: "3楼灭火器过期"}
		_, err = f.svc.RecordPatrol(f.ctx, f.manager(), p.ID, office.PatrolResultInput{Inspector: "保卫科", Items: answers})
		wantCode(t, err, fleet.EInvalid) // the failed line lacks its follow-up
		answers[1].FollowUp, answers[1].Deadline = "更换灭火器", "2026-03-10"
		_, err = f.svc.RecordPatrol(f.ctx, f.manager(), p.ID, office.PatrolResultInput{Inspector: "保卫科", Items: answers[:3]})
		wantCode(t, err, fleet.EInvalid) // lines unanswered
		p, err = f.svc.RecordPatrol(f.ctx, f.manager(), p.ID, office.PatrolResultInput{Inspector: "保卫科", Items: answers})
		if err != nil || p.Result != office.ResultIssues || p.Overdue || p.OpenFollowUps != 1 {
			t.Fatalf("recorded = %+v, %v", p, err)
		}
		f.clock.Add(5 * 24 * time.Hour) // 2026-03-12: the follow-up is overdue
		late, _, _ = f.svc.ListPatrols(f.ctx, f.manager(), office.PatrolQuery{Overdue: true})
		if len(late) != 1 || !late[0].Items[1].FollowUpOverdue {
			t.Fatalf("overdue follow-ups = %+v", late)
		}
		p, err = f.svc.CloseFollowUp(f.ctx, f.manager(), p.Items[1].ID, office.NoteInput{Note: "已更换"})
		if err != nil || p.OpenFollowUps != 0 || p.Overdue {
			t.Fatalf("closed = %+v, %v", p, err)
		}
		_, _, err = f.svc.ListPatrols(f.ctx, f.as["fin_leader"], office.PatrolQuery{})
		wantCode(t, err, fleet.EForbidden)
	})
}
