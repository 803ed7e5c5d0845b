package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The office manager keeps the ledger in the console: adds a building and a 24 m² office room,
// puts a 正科 (section chief, standard 18 m²) in it, sees the room turn "over standard" in the
// floor grid with the assignment in its history, and finds the person on the over-standard list
// with standard 18, actual 24 and excess 6.
func TestBrowserOffice(t *testing.T) {
	ctx := browser(t)
	const adminPassword = "admin-secret-1"
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_ADMIN_PASSWORD": adminPassword})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	eval := func(js string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	text := func(sel string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	// fill replaces an input's value (a number field starts with its default).
	fill := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); })()`, sel, value))
	}
	// page is what the user sees, for a failure message.
	page := func() string {
		v, _ := within(ctx, 2*time.Second, chromedp.Evaluate[string](`location.href + "\n" + (document.querySelector("#main")?.innerText ?? document.body.innerText)`))
		return v
	}

	// The admin sets up a unit, the office manager and a section chief of the unit.
	admin, code := login(t, f.base, "admin", adminPassword)
	if code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	post := func(path string, body any) map[string]any {
		t.Helper()
		status, b := postJSON(http.DefaultClient, f.base+path, admin, body)
		var out map[string]any
		json.Unmarshal(b, &out)
		if status != 201 {
			t.Fatalf("POST %s = %d %s", path, status, b)
		}
		return out
	}
	unit := post("/api/units", map[string]any{"name": "县财政局"})["id"]
	const password = "Office-test-2025"
	post("/api/users", map[string]any{"username": "fang_gl", "password": password, "role": "office_manager", "unit_id": unit, "name": "方国立"})
	chief := fmt.Sprint(post("/api/users", map[string]any{"username": "zhang_kz", "password": password, "role": "staff", "unit_id": unit,
		"name": "张科长", "rank": "section_chief"})["id"])

	err := steps(ctx,
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "fang_gl"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Click(css(`#nav a[data-nav="office"]`)),
		chromedp.WaitVisible(css("#office-building-add")),
	)
	if err != nil {
		t.Fatalf("the office manager opens the ledger: %v\n%s", err, page())
	}

	// A building of three floors, then a 24 m² office room on the third.
	err = steps(ctx,
		chromedp.Click(css("#office-building-add")),
		chromedp.WaitVisible(css("#office-building-form")),
		chromedp.SendKeys(css("#f-name"), "县行政中心主楼"),
		chromedp.SendKeys(css("#f-address"), "人民路 1 号"),
		fill("#f-floors", "3"),
		fill("#f-usable_area_m2", "2400"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css("#office-buildings tr[data-building-id].selected")),
		chromedp.WaitVisible(css("#office-room-add")),
	)
	if err != nil {
		screenshot(t, ctx, "office-1-building-failed")
		t.Fatalf("add the building: %v\n%s", err, page())
	}
	if floors := eval(`String(document.querySelectorAll('#office-floor-grid .of-floor').length)`); floors != "3" {
		t.Errorf("the grid shows %s floors, want the building's 3", floors)
	}
	err = steps(ctx,
		chromedp.Click(css("#office-room-add")),
		chromedp.WaitVisible(css("#office-room-form")),
		fill("#f-floor", "3"),
		chromedp.SendKeys(css("#f-number"), "301"),
		fill("#f-area_m2", "24"),
		chromedp.SetValue(css("#f-use"), "office"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-floor-grid .of-floor[data-floor="3"] [data-room-id]`)),
		chromedp.WaitVisible(css(`#office-room[data-room-id] #office-assign-user`)),
		// An option has no box of its own: wait for it to be there.
		chromedp.WaitReady(css(`#office-assign-user option[value="`+chief+`"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-2-room-failed")
		t.Fatalf("add the room: %v\n%s", err, page())
	}
	room := eval(`document.querySelector('#office-floor-grid [data-room-id]').dataset.roomId`)
	if tone := eval(`document.querySelector('#office-floor-grid [data-room-id]').dataset.tone`); tone != "vacant" {
		t.Errorf("a new room is %q in the grid, want vacant", tone)
	}
	// The person select shows the rank with its standard.
	if opt := eval(`document.querySelector('#office-assign-user option[value="` + chief + `"]').textContent`); !strings.Contains(opt, "张科长") || !strings.Contains(opt, "正科") || !strings.Contains(opt, "18") {
		t.Errorf("the person's option = %q, want the name, 正科 and 18 m²", opt)
	}
	screenshot(t, ctx, "office-1-room-added")

	// Assign the section chief to the room.
	err = steps(ctx,
		chromedp.SetValue(css("#office-assign-user"), chief),
		chromedp.SendKeys(css("#office-assign-post"), "预算股股长"),
		chromedp.Click(css("#office-assign-save")),
		chromedp.WaitVisible(css(`#office-occupants li[data-user-id="`+chief+`"]`)),
		chromedp.WaitVisible(css(`#office-room-history tr[data-id]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-2-assign-failed")
		t.Fatalf("assign the room: %v\n%s", err, page())
	}
	cell := fmt.Sprintf(`#office-floor-grid [data-room-id="%s"]`, room)
	if tone := eval(`document.querySelector('` + cell + `').dataset.tone`); tone != "over" {
		t.Errorf("a 正科 alone in 24 m² is %q in the grid, want over", tone)
	}
	if who := text(cell); !strings.Contains(who, "张科长") || !strings.Contains(who, "301") || !strings.Contains(who, "24") {
		t.Errorf("the room's cell = %q, want its number, area and occupant", who)
	}
	if hist := text("#office-room-history"); !strings.Contains(hist, "张科长") {
		t.Errorf("the room's history lacks the assignment: %q", hist)
	}
	screenshot(t, ctx, "office-2-assigned")

	// The over-standard list names the person: standard 18, actual 24, excess 6.
	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="overstandard"]`)),
		chromedp.WaitVisible(css(`#office-overstandard tr[data-user-id="`+chief+`"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-3-overstandard-failed")
		t.Fatalf("the over-standard list: %v\n%s", err, page())
	}
	row := `#office-overstandard tr[data-user-id="` + chief + `"]`
	for field, want := range map[string]string{"standard": "18", "actual": "24", "excess": "6"} {
		if got := text(row + ` [data-field="` + field + `"]`); got != want {
			t.Errorf("over-standard %s = %q, want %q", field, got, want)
		}
	}
	if name := text(row + ` [data-field="name"]`); !strings.Contains(name, "张科长") {
		t.Errorf("over-standard person = %q, want 张科长", name)
	}
	if rank := text(row + ` [data-field="rank"]`); rank != "正科" {
		t.Errorf("over-standard rank = %q, want 正科", rank)
	}
	if bg := eval(`getComputedStyle(document.querySelector('` + row + ` td')).backgroundColor`); bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("the over-standard row is not highlighted (background %s)", bg)
	}
	screenshot(t, ctx, "office-3-overstandard")

	// The standards: the 2014 county figures, and the unit over its standard.
	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="standards"]`)),
		chromedp.WaitVisible(css(`#office-standards tr[data-code="section_chief"]`)),
		chromedp.WaitVisible(css(`#office-occupancy tr[data-unit-id].of-over`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-4-standards-failed")
		t.Fatalf("the standards page: %v\n%s", err, page())
	}
	for code, want := range map[string]string{"county_chief": "30", "county_deputy": "24", "section_chief": "18", "section_deputy": "12", "clerk": "9"} {
		if got := eval(`document.querySelector('#office-standards input[data-code="` + code + `"]').value`); got != want {
			t.Errorf("standard of %s = %s m², want %s (the 2014 table)", code, got, want)
		}
	}
	screenshot(t, ctx, "office-4-standards")
	if err := steps(ctx, chromedp.ScrollIntoView(css("#office-occupancy"))); err == nil {
		screenshot(t, ctx, "office-4-occupancy")
	}

	// A reallocation request through the form: the unit asks for a vacant room from the pool; it
	// waits for approval, linked from the list.
	office, _ := login(t, f.base, "fang_gl", password)
	var buildings struct{ Items []struct{ ID int64 } }
	getJSON(t, f.base+"/api/office/buildings", office, &buildings)
	if len(buildings.Items) != 1 {
		t.Fatalf("buildings = %+v, want the one added", buildings.Items)
	}
	status, b := postJSON(http.DefaultClient, f.base+"/api/office/rooms", office, map[string]any{"building_id": buildings.Items[0].ID, "floor": 2,
		"number": "205", "area_m2": 16, "use": "office"})
	if status != 201 {
		t.Fatalf("POST /api/office/rooms = %d %s", status, b)
	}
	var vacant struct{ ID int64 }
	json.Unmarshal(b, &vacant)
	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="reallocations"]`)),
		chromedp.WaitVisible(css("#office-realloc-new")),
		chromedp.Click(css("#office-realloc-new")),
		chromedp.WaitVisible(css("#office-realloc-form")),
		chromedp.SetValue(css("#office-realloc-kind"), "request"),
		chromedp.SetValue(css("#office-realloc-unit"), fmt.Sprint(unit)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#office-realloc-unit').dispatchEvent(new Event('change'))`),
		chromedp.WaitReady(css(fmt.Sprintf(`#office-realloc-items select[data-field="room_id"] option[value="%d"]`, vacant.ID))),
		chromedp.SetValue(css(`#office-realloc-items select[data-field="room_id"]`), fmt.Sprint(vacant.ID)),
		chromedp.SendKeys(css("#office-realloc-reason"), "新增编制 2 人，需增加办公用房"),
	)
	if err != nil {
		screenshot(t, ctx, "office-5-realloc-form-failed")
		t.Fatalf("fill the reallocation form: %v\n%s", err, page())
	}
	screenshot(t, ctx, "office-5-realloc-form")
	err = steps(ctx,
		chromedp.Click(css("#office-realloc-submit")),
		chromedp.WaitVisible(css(`#office-reallocations tr[data-id][data-status="pending"] a[data-approval-id]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-5-realloc-failed")
		t.Fatalf("submit the reallocation request: %v\n%s", err, page())
	}
	if row := text(`#office-reallocations tr[data-id]`); !strings.Contains(row, "205") || !strings.Contains(row, "县财政局") {
		t.Errorf("the request's row = %q, want room 205 for 县财政局", row)
	}
	screenshot(t, ctx, "office-5-realloc-pending")

	// An inspection finds the unit over standard; a clearance, a repair and a patrol are on record.
	var roomID int64
	fmt.Sscan(room, &roomID)
	county, _ := time.LoadLocation("Asia/Shanghai")
	day := func(n int) string { return time.Now().In(county).AddDate(0, 0, n).Format(time.DateOnly) }
	officePost := func(path string, body any) {
		t.Helper()
		if status, b := postJSON(http.DefaultClient, f.base+path, office, body); status != 201 {
			t.Fatalf("POST %s = %d %s", path, status, b)
		}
	}
	officePost("/api/office/inspections", map[string]any{"title": "2025 年办公用房专项督查", "inspected_on": day(0), "inspector": "县纪委监委",
		"findings": []map[string]any{{"unit_id": unit, "kind": "over_standard", "description": "张科长办公室超标 6 m²", "owner": "县财政局办公室", "deadline": day(5)}}})
	officePost("/api/office/clearances", map[string]any{"room_id": roomID, "reason": "超标整改", "deadline": day(30)})
	officePost("/api/office/repairs", map[string]any{"room_id": roomID, "equipment": "room", "description": "空调不制冷"})
	officePost("/api/office/patrols", map[string]any{"building_id": buildings.Items[0].ID, "scheduled_on": day(0), "checklist": []string{"灭火器在有效期内", "疏散通道畅通"}})

	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="inspections"]`)),
		chromedp.WaitVisible(css(`#office-inspections tr[data-finding-id][data-state="soon"] [data-action="rectify"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-6-inspections-failed")
		t.Fatalf("the inspections page: %v\n%s", err, page())
	}
	screenshot(t, ctx, "office-6-inspections")
	err = steps(ctx,
		chromedp.Click(css(`#office-inspections [data-action="rectify"]`)),
		chromedp.WaitVisible(css("#office-rectify-form")),
		chromedp.SendKeys(css("#f-rectification"), "已调整至 18 m² 以内"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-inspections tr[data-finding-id][data-status="rectified"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-6-rectify-failed")
		t.Fatalf("record the rectification: %v\n%s", err, page())
	}

	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="reallocations"]`)),
		chromedp.WaitVisible(css(`#office-clearances tr[data-id][data-status="open"] [data-action="complete"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-7-clearances-failed")
		t.Fatalf("the clearances: %v\n%s", err, page())
	}
	if err := steps(ctx, chromedp.ScrollIntoView(css("#office-clearances"))); err == nil {
		screenshot(t, ctx, "office-7-clearances")
	}

	// The patrol is recorded through its dialog: one line fails and gets a follow-up.
	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="facilities"]`)),
		chromedp.WaitVisible(css(`#office-repairs tr[data-id][data-status="reported"]`)),
		chromedp.WaitVisible(css(`#office-patrols tr[data-id][data-status="scheduled"] [data-action="record"]`)),
		chromedp.Click(css(`#office-patrols [data-action="record"]`)),
		chromedp.WaitVisible(css("#office-patrol-record")),
		chromedp.SetValue(css(`#office-patrol-record tr[data-line="2"] select[data-field="ok"]`), "false"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#office-patrol-record tr[data-line="2"] select').dispatchEvent(new Event('change'))`),
		chromedp.SendKeys(css(`#office-patrol-record tr[data-line="2"] input[data-field="follow_up"]`), "清理二楼通道堆放物品"),
	)
	if err != nil {
		screenshot(t, ctx, "office-8-patrol-failed")
		t.Fatalf("open the patrol's record: %v\n%s", err, page())
	}
	screenshot(t, ctx, "office-8-patrol-record")
	err = steps(ctx,
		chromedp.Click(css("#office-patrol-save")),
		chromedp.WaitVisible(css(`#office-patrols tr[data-id][data-status="done"] li[data-item-id] [data-action="close-follow-up"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "office-8-patrol-save-failed")
		t.Fatalf("record the patrol: %v\n%s", err, page())
	}
	if bad := eval(`[...document.querySelectorAll('#main .status.error')].map(e => e.textContent).join(' | ')`); bad != "" {
		t.Errorf("the facilities page shows errors: %s", bad)
	}
	screenshot(t, ctx, "office-8-facilities")

	// The unit's leader sees the unit's room and the person over standard, and changes nothing.
	post("/api/users", map[string]any{"username": "wang_ld", "password": password, "role": "leader", "unit_id": unit, "name": "王局长"})
	err = steps(ctx,
		chromedp.Click(css("#logout")),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "wang_ld"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Navigate(f.base+"/office"),
		chromedp.WaitVisible(css(cell)),
		chromedp.Click(css(cell)),
		chromedp.WaitVisible(css(`#office-room[data-room-id="`+room+`"] #office-occupants li[data-user-id="`+chief+`"]`)),
		chromedp.WaitVisible(css("#read-only")),
	)
	if err != nil {
		screenshot(t, ctx, "office-9-leader-failed")
		t.Fatalf("the leader's ledger: %v\n%s", err, page())
	}
	for _, sel := range []string{"#office-building-add", "#office-room-add", "#office-room-edit", "#office-assign-save", "#office-import", `[data-action="release"]`} {
		if n := eval(`String(document.querySelectorAll('` + sel + `').length)`); n != "0" {
			t.Errorf("the leader's ledger has %s", sel)
		}
	}
	screenshot(t, ctx, "office-9-leader-ledger")
	err = steps(ctx,
		chromedp.Click(css(`#office-tabs a[data-tab="overstandard"]`)),
		chromedp.WaitVisible(css(`#office-overstandard tr[data-user-id="`+chief+`"]`)),
	)
	if err != nil {
		t.Fatalf("the leader's over-standard list: %v\n%s", err, page())
	}

	// On the leader's phone, in English: nothing sticks out sideways.
	err = steps(ctx,
		chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile),
		chromedp.Click(css("#lang-switch")),
		chromedp.WaitVisible(css(`#office-overstandard tr[data-user-id="`+chief+`"]`)),
	)
	if err != nil {
		t.Fatalf("switch to English on a phone: %v", err)
	}
	if rank := text(row + ` [data-field="rank"]`); rank != "Section head" {
		t.Errorf("the rank in English = %q, want Section head", rank)
	}
	screenshot(t, ctx, "office-10-leader-phone-overstandard")
	for _, path := range []string{"/office", "/office/overstandard", "/office/standards"} {
		if err := steps(ctx, chromedp.Navigate(f.base+path), chromedp.WaitVisible(css("#office-tabs")), chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		if w := eval(`String(document.documentElement.scrollWidth)`); w != "375" {
			t.Errorf("%s is %s px wide at a 375 px viewport, want no horizontal scrolling", path, w)
		}
	}
	err = steps(ctx,
		chromedp.Navigate(f.base+"/office"),
		chromedp.WaitVisible(css(cell)),
		chromedp.Click(css(cell)),
		chromedp.WaitVisible(css(`#office-room[data-room-id="`+room+`"]`)),
	)
	if err != nil {
		t.Fatalf("the room on a phone: %v", err)
	}
	screenshot(t, ctx, "office-10-leader-phone-room")
}
