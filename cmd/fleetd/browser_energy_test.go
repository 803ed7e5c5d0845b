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

// The energy manager adds a meter of 县财政局 in the console and enters its readings by hand: 1,000
// kWh five days before last month began, 1,100 five days into it, 2,280 when this month began,
// and a slip of 900 that goes backwards. The monthly report of last month then shows 1,230 kWh
// (2,280 less the 1,050 interpolated at the month's start), 0.1512 tce (1,230 × 0.1229 kgce),
// readings complete and one reading held for review; the charts page draws its chart.
func TestBrowserEnergy(t *testing.T) {
	ctx := browser(t)
	const adminPassword = "admin-secret-1"
	const password = "Energy-test-2026"
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_ADMIN_PASSWORD": adminPassword})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	page := func() string {
		v, _ := within(ctx, 2*time.Second, chromedp.Evaluate[string](`location.href + "\n" + (document.querySelector("#main")?.innerText ?? document.body.innerText)`))
		return v
	}
	do := func(name, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := steps(ctx, actions...); err != nil {
			screenshot(t, ctx, name+"-failed")
			t.Fatalf("%s: %v\n%s", what, err, page())
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("read %s: %v\n%s", sel, err, page())
		}
		return strings.TrimSpace(v)
	}
	eval := func(js string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	fill := func(sel, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); })()`, sel, value))
	}

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
	unitID := post("/api/units", map[string]any{"name": "县财政局"})["id"]
	unit := fmt.Sprint(unitID)
	post("/api/users", map[string]any{"username": "neng_gl", "password": password, "role": "energy_manager", "unit_id": unitID, "name": "能耗管理员"})

	county, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(county)
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, county)
	lastMonth := thisMonth.AddDate(0, -1, 0)
	input := func(t time.Time) string { return t.Format("2006-01-02T15:04") }

	do("energy-1", "the energy manager opens the meters",
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "neng_gl"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Click(css(`#nav a[data-nav="energy"]`)),
		chromedp.WaitVisible(css(`#energy-tabs a[data-tab="meters"]`)),
		chromedp.Click(css(`#energy-tabs a[data-tab="meters"]`)),
		chromedp.WaitVisible(css("#energy-meter-add")),
	)
	do("energy-2", "add a meter",
		chromedp.Click(css("#energy-meter-add")),
		chromedp.WaitVisible(css("#energy-meter-form")),
		chromedp.SendKeys(css("#f-name"), "财政局办公楼总表"),
		chromedp.SetValue(css("#f-kind"), "electricity"),
		chromedp.WaitReady(css(`#f-unit_id option[value="`+unit+`"]`)),
		chromedp.SetValue(css("#f-unit_id"), unit),
		chromedp.Click(css("#form-save")),
		chromedp.WaitVisible(css("#energy-meters tr[data-meter-id].selected")),
		chromedp.WaitVisible(css("#energy-reading-form")),
	)
	for i, r := range []struct {
		at    time.Time
		value string
		want  string
	}{
		{lastMonth.AddDate(0, 0, -5), "1000", "新存 1 条"},
		{lastMonth.AddDate(0, 0, 5), "1100", "新存 1 条"},
		{thisMonth, "2280", "新存 1 条"},
		{lastMonth.AddDate(0, 0, 10), "900", "待审核 1 条"},
	} {
		do(fmt.Sprintf("energy-3-%d", i), "enter the reading "+r.value,
			fill("#energy-reading-at", input(r.at)),
			fill("#energy-reading-value", r.value),
			chromedp.Click(css("#energy-reading-save")),
			// The panel is drawn anew with the reading listed and what became of it.
			chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll("#energy-readings tr[data-reading-id]").length === %d && document.querySelector("#energy-reading-result")?.textContent.includes(%q)`, i+1, r.want),
				chromedp.WithPollingTimeout(10*time.Second)),
		)
	}
	if n := eval(`String(document.querySelectorAll('#energy-readings tr[data-status="ok"]').length)`); n != "3" {
		t.Errorf("the meter lists %s accepted readings, want 3", n)
	}
	if held := text("#energy-flagged"); !strings.Contains(held, "900") || !strings.Contains(held, "读数倒退") {
		t.Errorf("the review list = %q, want the 900 flagged as going backwards", held)
	}
	screenshot(t, ctx, "energy-1-meters")

	// The monthly report of last month: the figures computed from those readings.
	month := lastMonth.Format("2006-01")
	do("energy-4", "open the monthly report",
		chromedp.Click(css(`#energy-tabs a[data-tab="report"]`)),
		chromedp.WaitVisible(css("#energy-units tr[data-unit-id]")),
	)
	if got := eval(`document.querySelector('#energy-month').value`); got != month {
		t.Errorf("the report opens on %s, want last month %s", got, month)
	}
	row := fmt.Sprintf(`#energy-units tr[data-unit-id="%s"]`, unit)
	if got := text(row + ` td[data-field="unit"]`); got != "县财政局" {
		t.Errorf("unit cell = %q", got)
	}
	if got := text(row + ` td[data-field="electricity"]`); got != "1,230.00" {
		t.Errorf("electricity = %q, want 1,230.00 kWh (2,280 − 1,050 interpolated at the month's start)", got)
	}
	if got := text(row + ` td[data-field="tce"]`); got != "0.1512" {
		t.Errorf("tce = %q, want 0.1512 (1,230 × 0.1229 kgce)", got)
	}
	if got := text(`#energy-total-row td[data-field="tce"]`); got != "0.1512" {
		t.Errorf("total row tce = %q, want 0.1512", got)
	}
	if got := text("#energy-total-tce .stat-value"); got != "0.1512" {
		t.Errorf("total tile = %q, want 0.1512", got)
	}
	if got := text(row + ` td[data-field="co2"]`); got != "0.660" {
		t.Errorf("CO2 = %q t, want 0.660 (1,230 × 0.5366 kg)", got)
	}
	check := text("#energy-completeness")
	if eval(`document.querySelector('#energy-completeness').dataset.complete`) != "true" || !strings.Contains(check, "1 块") || !strings.Contains(check, "1 条读数待审核") {
		t.Errorf("completeness = %q, want complete for 1 meter with 1 reading held", check)
	}
	if href := eval(`document.querySelector('#energy-xlsx').getAttribute('href')`); href != "/api/energy/report.xlsx?month="+month {
		t.Errorf("download link = %q", href)
	}
	screenshot(t, ctx, "energy-2-report")

	// The workbook behind the link.
	req, _ := http.NewRequest("GET", f.base+"/api/energy/report.xlsx?month="+month, nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") {
		t.Errorf("report.xlsx = %v %v", res, err)
	}
	if res != nil {
		res.Body.Close()
	}

	// The charts page draws the trend with ECharts.
	do("energy-5", "open the charts",
		chromedp.Click(css(`#energy-tabs a[data-tab="charts"]`)),
		chromedp.WaitVisible(css(`#energy-trend-chart[data-rendered="true"] canvas`)),
		chromedp.WaitVisible(css(`#energy-year-units tr[data-unit-id]`)),
	)
	if w := eval(`String(document.querySelector('#energy-trend-chart canvas').width)`); w == "0" {
		t.Errorf("the trend chart's canvas has width %s", w)
	}
	screenshot(t, ctx, "energy-3-charts")
}
