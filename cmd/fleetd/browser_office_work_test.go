package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// requestAndClear: the office manager files a reallocation request for a pooled room, and orders
// room 302 cleared (清退) by a deadline, then records it done: the room is back in the pool.
func (u *officeUI) requestAndClear() {
	t, css := u.t, u.css
	status, b := postJSON(http.DefaultClient, u.f.base+"/api/office/rooms", u.office, map[string]any{"building_id": u.building, "floor": 2,
		"number": "205", "area_m2": 16, "use": "office"})
	if status != 201 {
		t.Fatalf("POST /api/office/rooms = %d %s", status, b)
	}
	u.rooms["205"] = u.roomID("205")
	u.do("office-6-realloc-form", "fill the reallocation form",
		chromedp.Click(css(`#office-tabs a[data-tab="reallocations"]`)),
		chromedp.WaitVisible(css("#office-realloc-new")),
		chromedp.Click(css("#office-realloc-new")),
		chromedp.WaitVisible(css("#office-realloc-form")),
		u.choose("#office-realloc-kind", "request"),
		u.choose("#office-realloc-unit", fmt.Sprint(u.unit)),
		chromedp.WaitReady(css(fmt.Sprintf(`#office-realloc-items select[data-field="room_id"] option[value="%d"]`, u.rooms["205"]))),
		u.choose(`#office-realloc-items select[data-field="room_id"]`, fmt.Sprint(u.rooms["205"])),
		chromedp.SendKeys(css("#office-realloc-reason"), "新增编制 2 人，需增加办公用房"),
	)
	screenshot(t, u.ctx, "office-6-realloc-form")
	u.do("office-6-realloc", "submit the reallocation request",
		chromedp.Click(css("#office-realloc-submit")),
		chromedp.WaitVisible(css(`#office-reallocations tr[data-id][data-status="pending"] a[data-approval-id]`)),
	)
	if row := u.text(`#office-reallocations tr[data-id]`); !strings.Contains(row, "205") || !strings.Contains(row, "县财政局") {
		t.Errorf("the request's row = %q, want room 205 for 县财政局", row)
	}

	// 清退 of the unit's room 302 within 30 days (the form's default), then done.
	due := officeDay(30)
	u.do("office-7-clearance", "order the clearance",
		chromedp.Click(css("#office-clearance-new")),
		chromedp.WaitVisible(css("#office-clearance-form")),
		chromedp.WaitReady(css(fmt.Sprintf(`#f-room_id option[value="%d"]`, u.rooms["302"]))),
		u.choose("#f-room_id", fmt.Sprint(u.rooms["302"])),
		chromedp.SendKeys(css("#f-reason"), "机构改革后闲置，收回统筹调剂"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-clearances tr[data-id][data-status="open"][data-state="open"] [data-action="complete"]`)),
	)
	if got := u.text(`#office-clearances tr[data-status="open"] .of-deadline`); !strings.Contains(got, due) {
		t.Errorf("the clearance's deadline = %q, want %s", got, due)
	}
	screenshot(t, u.ctx, "office-7-clearance-open")
	u.do("office-7-clearance-done", "record the clearance done",
		append(append([]chromedp.Action[chromedp.Void]{chromedp.Click(css(`#office-clearances [data-action="complete"]`))}, u.answer("已腾退交回")...),
			chromedp.WaitVisible(css(`#office-clearances tr[data-id][data-status="done"]`)))...,
	)
	var room struct{ Vacant bool }
	getJSON(t, fmt.Sprintf("%s/api/office/rooms/%d", u.f.base, u.rooms["302"]), u.office, &room)
	if !room.Vacant {
		t.Errorf("room 302 after its clearance is not vacant")
	}
}

// departuresAndInspections: a retirement 40 days ago whose office is not back is flagged overdue;
// an inspection records two findings, one past its deadline (flagged) and one rectified.
func (u *officeUI) departuresAndInspections() {
	t, css := u.t, u.css
	u.do("office-8-departure", "record a retirement",
		chromedp.Click(css("#office-departure-new")),
		chromedp.WaitVisible(css("#office-departure-form")),
		chromedp.WaitReady(css(`#f-user_id option[value="`+u.chief+`"]`)),
		u.choose("#f-user_id", u.chief),
		u.choose("#f-kind", "retire"),
		u.fill("#f-left_on", officeDay(-40)),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-departures tr[data-user-id="`+u.chief+`"][data-state="overdue"].of-late`)),
		chromedp.WaitVisible(css("#office-departures-overdue")),
	)
	if got := u.text(`#office-departures tr[data-user-id="` + u.chief + `"]`); !strings.Contains(got, "301") {
		t.Errorf("the retirement's row = %q, want room 301 still held", got)
	}
	screenshot(t, u.ctx, "office-8-departures")

	u.do("office-9-inspection", "record an inspection",
		chromedp.Click(css(`#office-tabs a[data-tab="inspections"]`)),
		chromedp.WaitVisible(css("#office-inspection-new")),
		chromedp.Click(css("#office-inspection-new")),
		chromedp.WaitVisible(css("#office-inspection-form")),
		chromedp.SendKeys(css("#f-title"), "2025 年办公用房专项督查"),
		chromedp.SendKeys(css("#f-inspector"), "县纪委监委"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-inspections article[data-id] [data-action="add-finding"]`)),
	)
	finding := func(kind, desc, deadline string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.Click(css(`#office-inspections article[data-id] [data-action="add-finding"]`)),
			chromedp.WaitVisible(css("#office-finding-form")),
			u.choose("#f-unit_id", fmt.Sprint(u.unit)),
			u.choose("#f-kind", kind),
			u.choose("#f-room_id", u.room),
			chromedp.SendKeys(css("#f-description"), desc),
			chromedp.SendKeys(css("#f-owner"), "县财政局办公室"),
			u.fill("#f-deadline", deadline),
			chromedp.Click(css("#form-save")),
			chromedp.WaitNotPresent(css("#office-finding-form")),
		}
	}
	u.do("office-9-findings", "add the findings",
		append(append(finding("over_standard", "张科长办公室超标 6 m²", officeDay(-3)), finding("change_of_use", "302 室改作活动室", officeDay(5))...),
			chromedp.WaitVisible(css(`#office-inspections tr[data-finding-id][data-state="overdue"].of-late`)),
			chromedp.WaitVisible(css(`#office-inspections tr[data-finding-id][data-state="soon"] [data-action="rectify"]`)))...,
	)
	if got := u.text("#office-findings-overdue"); !strings.Contains(got, "1 项整改已逾期") {
		t.Errorf("the overdue note = %q, want 1 项整改已逾期", got)
	}
	screenshot(t, u.ctx, "office-9-inspection")
	u.do("office-9-rectify", "record the rectification",
		chromedp.Click(css(`#office-inspections tr[data-state="soon"] [data-action="rectify"]`)),
		chromedp.WaitVisible(css("#office-rectify-form")),
		chromedp.SendKeys(css("#f-rectification"), "已恢复办公用途"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-inspections tr[data-finding-id][data-status="rectified"]`)),
	)
	if got := u.text(`#office-inspections tr[data-status="rectified"]`); !strings.Contains(got, "已恢复办公用途") {
		t.Errorf("the rectified finding = %q, want its rectification", got)
	}
}

// facilities: a repair reported for room 301 and taken in hand with its cost; a safety patrol
// scheduled, recorded with a failed line, and its follow-up closed.
func (u *officeUI) facilities() {
	t, css := u.t, u.css
	u.do("office-10-repair", "report a repair",
		chromedp.Click(css(`#office-tabs a[data-tab="facilities"]`)),
		chromedp.WaitVisible(css("#office-repair-new")),
		chromedp.Click(css("#office-repair-new")),
		chromedp.WaitVisible(css("#office-repair-form")),
		u.choose("#f-equipment", "room"),
		chromedp.WaitReady(css(`#f-room_id option[value="`+u.room+`"]`)),
		u.choose("#f-room_id", u.room),
		chromedp.SendKeys(css("#f-description"), "空调不制冷"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-repairs tr[data-id][data-status="reported"] [data-action="edit"]`)),
		chromedp.Click(css(`#office-repairs [data-action="edit"]`)),
		chromedp.WaitVisible(css("#office-repair-form")),
		u.choose("#f-status", "in_progress"),
		u.fill("#f-cost", "350"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-repairs tr[data-id][data-status="in_progress"]`)),
	)
	if got := u.text(`#office-repairs tr[data-status="in_progress"]`); !strings.Contains(got, "350") || !strings.Contains(got, "301") {
		t.Errorf("the repair's row = %q, want room 301 and 350 yuan", got)
	}

	u.do("office-11-patrol", "schedule and record a patrol",
		chromedp.Click(css("#office-patrol-new")),
		chromedp.WaitVisible(css("#office-patrol-form")),
		chromedp.SendKeys(css("#f-checklist"), "灭火器在有效期内；疏散通道畅通"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-patrols tr[data-id][data-status="scheduled"] [data-action="record"]`)),
		chromedp.Click(css(`#office-patrols [data-action="record"]`)),
		chromedp.WaitVisible(css("#office-patrol-record")),
		u.choose(`#office-patrol-record tr[data-line="2"] select[data-field="ok"]`, "false"),
		chromedp.SendKeys(css(`#office-patrol-record tr[data-line="2"] input[data-field="follow_up"]`), "清理二楼通道堆放物品"),
	)
	screenshot(t, u.ctx, "office-11-patrol-record")
	u.do("office-11-patrol-save", "save the patrol and close its follow-up",
		append(append([]chromedp.Action[chromedp.Void]{
			chromedp.Click(css("#office-patrol-save")),
			chromedp.WaitVisible(css(`#office-patrols tr[data-id][data-status="done"] li[data-item-id] [data-action="close-follow-up"]`)),
			chromedp.Click(css(`#office-patrols [data-action="close-follow-up"]`)),
		}, u.answer("已清理完毕")...),
			chromedp.WaitVisible(css(`#office-patrols li[data-item-id][data-state="done"]`)))...,
	)
	if got := u.text(`#office-patrols tr[data-status="done"]`); !strings.Contains(got, "清理二楼通道堆放物品") || !strings.Contains(got, "已清理完毕") {
		t.Errorf("the patrol's row = %q, want the follow-up and how it was closed", got)
	}
	if bad := u.eval(`[...document.querySelectorAll('#main .status.error')].map(e => e.textContent).join(' | ')`); bad != "" {
		t.Errorf("the facilities page shows errors: %s", bad)
	}
	screenshot(t, u.ctx, "office-11-facilities")
}

// leaderAsks: the unit's leader sees the unit's rooms and changes nothing in the ledger, and asks
// for the pooled room 302 for the newcomer 李科员.
func (u *officeUI) leaderAsks() {
	t, css := u.t, u.css
	u.signIn("wang_ld")
	u.do("office-12-leader", "the leader's ledger",
		chromedp.Navigate(u.f.base+"/office"),
		chromedp.WaitVisible(css(u.cell)),
		chromedp.Click(css(u.cell)),
		chromedp.WaitVisible(css(`#office-room[data-room-id="`+u.room+`"] #office-occupants li[data-user-id="`+u.chief+`"]`)),
		chromedp.WaitVisible(css("#read-only")),
	)
	for _, sel := range []string{"#office-building-add", "#office-room-add", "#office-room-edit", "#office-assign-save", "#office-import", `[data-action="release"]`} {
		if n := u.count(sel); n != 0 {
			t.Errorf("the leader's ledger has %s", sel)
		}
	}
	screenshot(t, u.ctx, "office-12-leader-ledger")

	// 2017 rules: the unit's own ledger reconciled with the center's; it says 26 m² for 301.
	u.upload("office-12-reconcile", "#office-reconcile summary", "#office-reconcile-file", u.unitLedger("301", 26))
	u.do("office-12-reconcile", "reconcile the unit's ledger",
		chromedp.Click(css("#office-reconcile-submit")),
		chromedp.WaitVisible(css(`#office-reconcile-diffs tr[data-kind="area"]`)),
	)
	if got := u.text(`#office-reconcile-diffs tr[data-kind="area"]`); !strings.Contains(got, "301") || !strings.Contains(got, "26.00") || !strings.Contains(got, "24.00") {
		t.Errorf("the reconciliation's difference = %q, want 301: 26 in the unit's ledger, 24 in the center's", got)
	}
	if n := u.count("#office-reconcile-diffs tr[data-kind]"); n != 1 {
		t.Errorf("the reconciliation lists %d differences, want 1", n)
	}
	screenshot(t, u.ctx, "office-12-reconcile")
	u.do("office-12-leader-asks", "the leader asks for room 302",
		chromedp.Click(css(`#office-tabs a[data-tab="reallocations"]`)),
		chromedp.WaitVisible(css("#office-realloc-new")),
		chromedp.Click(css("#office-realloc-new")),
		chromedp.WaitVisible(css("#office-realloc-form")),
		chromedp.WaitReady(css(fmt.Sprintf(`#office-realloc-items select[data-field="room_id"] option[value="%d"]`, u.rooms["302"]))),
		u.choose(`#office-realloc-items select[data-field="room_id"]`, fmt.Sprint(u.rooms["302"])),
		chromedp.WaitReady(css(`#office-realloc-items select[data-field="user_id"] option[value="`+u.clerk+`"]`)),
		u.choose(`#office-realloc-items select[data-field="user_id"]`, u.clerk),
		chromedp.SendKeys(css(`#office-realloc-items input[data-field="post"]`), "科员"),
		chromedp.SendKeys(css("#office-realloc-reason"), "新进人员李科员需安排办公室"),
		chromedp.Click(css("#office-realloc-submit")),
		chromedp.WaitNotPresent(css("#office-realloc-form")),
		// The manager's request for 205 and now this one.
		chromedp.WaitVisible(css(`#office-reallocations tbody tr[data-status="pending"]:nth-child(2)`)),
	)
	if got := u.eval(`[...document.querySelectorAll('#office-reallocations tr[data-status="pending"]')].map(r => r.innerText).join(' | ')`); !strings.Contains(got, "302") || !strings.Contains(got, "李科员") {
		t.Errorf("the leader's pending requests = %q, want 302 for 李科员", got)
	}
	screenshot(t, u.ctx, "office-12-leader-request")
	u.do("office-12-leader-facilities", "the leader's facilities page",
		chromedp.Click(css(`#office-tabs a[data-tab="facilities"]`)),
		chromedp.WaitVisible(css("#office-patrols-center")),
		chromedp.Sleep(300*time.Millisecond),
	)
	if bad := u.eval(`[...document.querySelectorAll('#main .status.error')].map(e => e.textContent).join(' | ')`); bad != "" {
		t.Errorf("the leader's facilities page shows errors: %s", bad)
	}
}

// managerApproves: the office manager approves the leader's request in the approval engine; the
// newcomer is in room 302, and its history says so.
func (u *officeUI) managerApproves() {
	t, css := u.t, u.css
	u.signIn("fang_gl")
	u.do("office-13-approve", "approve the leader's request",
		chromedp.Navigate(u.f.base+"/office/reallocations"),
		chromedp.WaitVisible(css(`#office-reallocations tr[data-status="pending"] a[data-approval-id]`)),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#office-reallocations tr[data-status="pending"]')].find(r => r.innerText.includes('李科员')).querySelector('a[data-approval-id]').click()`),
		chromedp.WaitVisible(css("#approve")),
		chromedp.Click(css("#approve")),
		chromedp.WaitVisible(css(`#approval-status[data-status="approved"]`)),
	)
	screenshot(t, u.ctx, "office-13-approved")
	u.do("office-13-moved", "the newcomer in room 302",
		chromedp.Navigate(fmt.Sprintf("%s/office?building=%d&room=%d", u.f.base, u.building, u.rooms["302"])),
		chromedp.WaitVisible(css(fmt.Sprintf(`#office-room[data-room-id="%d"] #office-occupants li[data-user-id="%s"]`, u.rooms["302"], u.clerk))),
		chromedp.WaitVisible(css(`#office-room-history tr[data-action="reallocate"]`)),
	)
	if tone := u.eval(fmt.Sprintf(`document.querySelector('#office-floor-grid [data-room-id="%d"]').dataset.tone`, u.rooms["302"])); tone != "over" {
		t.Errorf("a 科员 (9 m²) alone in 20 m² is %q, want over", tone)
	}
	screenshot(t, u.ctx, "office-13-ledger")
}

// leaderOnPhone: the leader's over-standard list on a phone, in English; nothing sticks out
// sideways.
func (u *officeUI) leaderOnPhone() {
	t, css := u.t, u.css
	u.signIn("wang_ld")
	row := `#office-overstandard tr[data-user-id="` + u.chief + `"]`
	u.do("office-14-phone", "the leader's over-standard list on a phone",
		chromedp.Navigate(u.f.base+"/office/overstandard"),
		chromedp.WaitVisible(css(row)),
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
		chromedp.Click(css("#lang-switch")),
		chromedp.WaitVisible(css(row)),
	)
	if rank := u.text(row + ` [data-field="rank"]`); rank != "Section head" {
		t.Errorf("the rank in English = %q, want Section head", rank)
	}
	screenshot(t, u.ctx, "office-14-leader-phone-overstandard")
	for _, path := range []string{"/office", "/office/overstandard", "/office/standards", "/office/reallocations", "/office/inspections", "/office/facilities"} {
		u.do("office-14-phone-page", "open "+path, chromedp.Navigate(u.f.base+path), chromedp.WaitVisible(css("#office-tabs")), chromedp.Sleep(300*time.Millisecond))
		if w := u.eval(`String(document.documentElement.scrollWidth)`); w != "375" {
			t.Errorf("%s is %s px wide at a 375 px viewport, want no horizontal scrolling", path, w)
		}
	}
	u.do("office-14-phone-room", "the room on a phone",
		chromedp.Navigate(u.f.base+"/office"),
		chromedp.WaitVisible(css(u.cell)),
		chromedp.Click(css(u.cell)),
		chromedp.WaitVisible(css(`#office-room[data-room-id="`+u.room+`"]`)),
	)
	screenshot(t, u.ctx, "office-14-leader-phone-room")
}
