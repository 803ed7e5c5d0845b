package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// ledger: the office manager adds a building and a 24 m² office room, puts the section chief in
// it, and reads the grid, the room's history, the over-standard list and the unit's occupancy.
func (u *officeUI) ledger() {
	t, css := u.t, u.css
	u.signIn("fang_gl")
	u.do("office-1-open", "the office manager opens the ledger",
		chromedp.Click(css(`#nav a[data-nav="office"]`)),
		chromedp.WaitVisible(css("#office-building-add")),
	)
	u.do("office-1-building", "add the building",
		chromedp.Click(css("#office-building-add")),
		chromedp.WaitVisible(css("#office-building-form")),
		chromedp.SendKeys(css("#f-name"), "县行政中心主楼"),
		chromedp.SendKeys(css("#f-address"), "人民路 1 号"),
		u.fill("#f-floors", "3"),
		u.fill("#f-usable_area_m2", "2400"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css("#office-buildings tr[data-building-id].selected")),
		chromedp.WaitVisible(css("#office-room-add")),
	)
	fmt.Sscan(u.eval(`document.querySelector('#office-buildings tr.selected').dataset.buildingId`), &u.building)
	if floors := u.count("#office-floor-grid .of-floor"); floors != 3 {
		t.Errorf("the grid shows %d floors, want the building's 3", floors)
	}
	u.do("office-2-room", "add the room",
		chromedp.Click(css("#office-room-add")),
		chromedp.WaitVisible(css("#office-room-form")),
		u.fill("#f-floor", "3"),
		chromedp.SendKeys(css("#f-number"), "301"),
		u.fill("#f-area_m2", "24"),
		chromedp.SetValue(css("#f-use"), "office"),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css(`#office-floor-grid .of-floor[data-floor="3"] [data-room-id]`)),
		chromedp.WaitVisible(css(`#office-room[data-room-id] #office-assign-user`)),
		// An option has no box of its own: wait for it to be there.
		chromedp.WaitReady(css(`#office-assign-user option[value="`+u.chief+`"]`)),
	)
	u.room = u.eval(`document.querySelector('#office-floor-grid [data-room-id]').dataset.roomId`)
	u.cell = fmt.Sprintf(`#office-floor-grid [data-room-id="%s"]`, u.room)
	if tone := u.eval(`document.querySelector('` + u.cell + `').dataset.tone`); tone != "vacant" {
		t.Errorf("a new room is %q in the grid, want vacant", tone)
	}
	if opt := u.eval(`document.querySelector('#office-assign-user option[value="` + u.chief + `"]').textContent`); !strings.Contains(opt, "张科长") || !strings.Contains(opt, "正科") || !strings.Contains(opt, "18") {
		t.Errorf("the person's option = %q, want the name, 正科 and 18 m²", opt)
	}
	screenshot(t, u.ctx, "office-1-room-added")

	u.do("office-2-assign", "assign the room",
		chromedp.SetValue(css("#office-assign-user"), u.chief),
		chromedp.SendKeys(css("#office-assign-post"), "预算股股长"),
		chromedp.Click(css("#office-assign-save")),
		chromedp.WaitVisible(css(`#office-occupants li[data-user-id="`+u.chief+`"]`)),
		chromedp.WaitVisible(css(`#office-room-history tr[data-id]`)),
	)
	// 18 m² of standard in 24 m²: 75 % used by the standard, over it; the floor is in use.
	if tone := u.eval(`document.querySelector('` + u.cell + `').dataset.tone`); tone != "over" {
		t.Errorf("a 正科 alone in 24 m² is %q in the grid, want over", tone)
	}
	if util := u.text(u.cell + " .of-room-util"); util != "75%" {
		t.Errorf("the room's utilisation = %q, want 75%%", util)
	}
	if head := u.text(`#office-floor-grid .of-floor[data-floor="3"] .of-floor-head`); !strings.Contains(head, "使用率 100%") {
		t.Errorf("floor 3's head = %q, want 使用率 100%%", head)
	}
	if who := u.text(u.cell); !strings.Contains(who, "张科长") || !strings.Contains(who, "301") || !strings.Contains(who, "24") {
		t.Errorf("the room's cell = %q, want its number, area and occupant", who)
	}
	if hist := u.text("#office-room-history"); !strings.Contains(hist, "张科长（正科）") || !strings.Contains(hist, "方国立") {
		t.Errorf("the room's history = %q, want the assignment by 方国立", hist)
	}
	screenshot(t, u.ctx, "office-2-assigned")

	// The over-standard list: standard 18, actual 24, excess 6.
	u.do("office-3-overstandard", "the over-standard list",
		chromedp.Click(css(`#office-tabs a[data-tab="overstandard"]`)),
		chromedp.WaitVisible(css(`#office-overstandard tr[data-user-id="`+u.chief+`"]`)),
	)
	row := `#office-overstandard tr[data-user-id="` + u.chief + `"]`
	for field, want := range map[string]string{"standard": "18", "actual": "24", "excess": "6", "rank": "正科"} {
		if got := u.text(row + ` [data-field="` + field + `"]`); got != want {
			t.Errorf("over-standard %s = %q, want %q", field, got, want)
		}
	}
	if bg := u.eval(`getComputedStyle(document.querySelector('` + row + ` td')).backgroundColor`); bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("the over-standard row is not highlighted (background %s)", bg)
	}
	screenshot(t, u.ctx, "office-3-overstandard")

	// The standards: the 2014 county figures; the unit's occupancy against its standard.
	u.do("office-4-standards", "the standards page",
		chromedp.Click(css(`#office-tabs a[data-tab="standards"]`)),
		chromedp.WaitVisible(css(`#office-standards tr[data-code="section_chief"]`)),
		chromedp.WaitVisible(css(fmt.Sprintf(`#office-occupancy tr[data-unit-id="%d"].of-over`, u.unit))),
	)
	for code, want := range map[string]string{"county_chief": "30", "county_deputy": "24", "section_chief": "18", "section_deputy": "12", "clerk": "9"} {
		if got := u.eval(`document.querySelector('#office-standards input[data-code="` + code + `"]').value`); got != want {
			t.Errorf("standard of %s = %s m², want %s (the 2014 table)", code, got, want)
		}
	}
	occ := fmt.Sprintf(`#office-occupancy tr[data-unit-id="%d"]`, u.unit)
	for field, want := range map[string]string{"standard": "18 m²", "actual": "24 m²", "excess": "+6 m²"} {
		if got := u.text(occ + ` [data-field="` + field + `"]`); got != want {
			t.Errorf("the unit's occupancy %s = %q, want %q", field, got, want)
		}
	}
	screenshot(t, u.ctx, "office-4-standards")
}

// spreadsheets: the ledger downloads as XLSX; an existing ledger with bad rows is refused with a
// report naming each row, and imported without them when the user says so.
func (u *officeUI) spreadsheets() {
	t, css := u.t, u.css
	u.do("office-5-ledger", "back to the ledger",
		chromedp.Click(css(`#office-tabs a[data-tab="ledger"]`)),
		chromedp.WaitVisible(css(u.cell)),
	)
	download, err := within(u.ctx, 10*time.Second, chromedp.Evaluate[string](`(async () => {
		const a = document.querySelector('#office-export');
		const r = await fetch(a.href);
		const b = new Uint8Array(await r.arrayBuffer());
		return [r.status, r.headers.get('content-type'), decodeURIComponent(r.headers.get('content-disposition')), b.length, String.fromCharCode(b[0], b[1])].join('|');
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("download the ledger: %v", err)
	}
	parts := strings.Split(download, "|")
	if len(parts) != 5 || parts[0] != "200" || !strings.Contains(parts[1], "spreadsheetml") || !strings.Contains(parts[2], "办公用房使用情况台账") || parts[4] != "PK" {
		t.Errorf("the export link gives %q, want 200, an XLSX workbook named 办公用房使用情况台账", download)
	}

	file := filepath.Join(t.TempDir(), "county-finance-ledger.xlsx") // ASCII: Chromium under a C locale (no LANG, as in CI) cannot pick a file of a Chinese name
	x := excelize.NewFile()
	rows := [][]any{
		{"序号", "建筑物名称", "楼层", "房间号", "使用面积（m²）", "用途", "使用单位", "使用人", "备注"},
		{1, "县行政中心主楼", 3, "302", 20, "办公室用房", "县财政局", "", ""},
		{2, "县行政中心主楼", 3, "303", -5, "办公室用房", "县财政局", "", ""},
		{3, "县行政中心主楼", 3, "304", 30, "空置", "", "", ""},
		{4, "县行政中心主楼", 2, "206", 15, "办公室用房", "县卫健委", "", ""},
	}
	for i, r := range rows {
		x.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	if err := x.SaveAs(file); err != nil {
		t.Fatal(err)
	}
	u.upload("office-5-import", "#office-import summary", "#office-import-file", file)
	u.do("office-5-import", "import a ledger with bad rows",
		chromedp.Click(css("#office-import-submit")),
		chromedp.WaitVisible(css("#office-import-errors tr[data-row]")),
	)
	report := map[string]string{}
	for _, line := range []string{"3", "4", "5"} {
		report[line] = u.text(`#office-import-errors tr[data-row="` + line + `"]`)
	}
	if !strings.Contains(report["3"], "使用面积") || !strings.Contains(report["4"], "空置 is a state") || !strings.Contains(report["5"], "县卫健委") {
		t.Errorf("the import report = %v, want row 3's area, row 4's use and row 5's unit", report)
	}
	if got := u.text("#office-import-report p"); !strings.Contains(got, "3 行错误") || !strings.Contains(got, "未导入") {
		t.Errorf("the import report says %q, want 3 bad rows and nothing imported", got)
	}
	if n := u.count(`#office-floor-grid [data-room-id] .of-room-no`); n != 1 {
		t.Errorf("a refused import left %d rooms in the grid, want only 301", n)
	}
	screenshot(t, u.ctx, "office-5-import-refused")

	u.do("office-5-import-good", "import the good rows",
		chromedp.Click(css("#office-import-skip-bad")),
		chromedp.Click(css("#office-import-submit")),
		chromedp.WaitVisible(css(`#office-import-report[data-imported="1"]`)),
		chromedp.WaitVisible(css(`#office-floor-grid .of-floor[data-floor="3"] .of-room[data-tone="idle"]`)),
	)
	u.rooms["302"] = u.roomID("302")
	if got := u.text(fmt.Sprintf(`#office-floor-grid [data-room-id="%d"]`, u.rooms["302"])); !strings.Contains(got, "县财政局") || !strings.Contains(got, "20") {
		t.Errorf("the imported room's cell = %q, want 302 of 县财政局, 20 m²", got)
	}
	screenshot(t, u.ctx, "office-5-imported")
}

// unitLedger is the unit's ledger as the center exports it, with room number's area written as
// area m² (what a unit's own ledger may say), saved to a file.
func (u *officeUI) unitLedger(number string, area float64) string {
	t := u.t
	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/office/ledger.xlsx?unit_id=%d", u.f.base, u.unit), nil)
	req.Header.Set("Authorization", "Bearer "+u.office)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("GET ledger.xlsx: %v %v", res, err)
	}
	defer res.Body.Close()
	x, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, _ := x.GetRows(sheet)
	numCol, areaCol := -1, -1
	for i, row := range rows {
		for j, c := range row {
			switch c {
			case "房间号":
				numCol = j
			case "使用面积（m²）":
				areaCol = j
			}
		}
		if numCol >= 0 && areaCol >= 0 && numCol < len(row) && row[numCol] == number {
			cell, _ := excelize.CoordinatesToCellName(areaCol+1, i+1)
			x.SetCellValue(sheet, cell, area)
			file := filepath.Join(t.TempDir(), "unit-ledger.xlsx") // ASCII, as above
			if err := x.SaveAs(file); err != nil {
				t.Fatal(err)
			}
			return file
		}
	}
	t.Fatalf("no room %s in the unit's ledger", number)
	return ""
}
