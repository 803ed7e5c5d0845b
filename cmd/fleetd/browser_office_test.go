package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The office manager of the county keeps the office-space ledger in the console, and a unit's
// leader looks at their unit's part and asks for space:
//   - the ledger: a building, a 24 m² office room, a 正科 (standard 18 m²) put in it; the floor
//     grid shows the room over standard at 75 % utilisation, its history the assignment; the
//     over-standard list and the unit's occupancy show standard 18, actual 24, excess 6;
//   - the ledger downloaded as XLSX, and an existing ledger imported from XLSX: rejected with a
//     per-row report, then imported without its bad rows;
//   - a reallocation request, a clearance (清退) completed by its deadline, a retirement whose
//     room is overdue, an inspection with an overdue finding and a rectified one, a repair
//     handled with its cost, and a safety patrol with a failed line and its follow-up;
//   - the leader's read-only ledger and their request for a pooled room for a newcomer, which
//     the office manager approves in the approval engine: the newcomer is in the room;
//   - the leader's pages on a phone, in English.
func TestBrowserOffice(t *testing.T) {
	u := newOfficeUI(t)
	u.ledger()
	u.spreadsheets()
	u.requestAndClear()
	u.departuresAndInspections()
	u.facilities()
	u.leaderAsks()
	u.managerApproves()
	u.leaderOnPhone()
}

// officeUI is the browser, the server and what the steps of TestBrowserOffice share.
type officeUI struct {
	t   *testing.T
	ctx context.Context
	f   *fleetd
	// Tokens for the API calls that set the scene; the user works in the browser.
	admin, office string
	unit          int64  // 县财政局
	chief, clerk  string // 张科长 (正科), 李科员 (科员, no office yet): user ids
	building      int64
	room          string // 301, the chief's
	rooms         map[string]int64
	cell          string // 301's cell in the floor grid
}

const officePassword = "Office-test-2025"

func newOfficeUI(t *testing.T) *officeUI {
	ctx := browser(t)
	const adminPassword = "admin-secret-1"
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_ADMIN_PASSWORD": adminPassword})
	u := &officeUI{t: t, ctx: ctx, f: f, rooms: map[string]int64{}}
	var code int
	if u.admin, code = login(t, f.base, "admin", adminPassword); code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	u.unit = u.id(u.post(u.admin, "/api/units", map[string]any{"name": "县财政局"}))
	u.post(u.admin, "/api/users", map[string]any{"username": "fang_gl", "password": officePassword, "role": "office_manager", "unit_id": u.unit, "name": "方国立"})
	u.chief = fmt.Sprint(u.id(u.post(u.admin, "/api/users", map[string]any{"username": "zhang_kz", "password": officePassword, "role": "staff",
		"unit_id": u.unit, "name": "张科长", "rank": "section_chief"})))
	u.clerk = fmt.Sprint(u.id(u.post(u.admin, "/api/users", map[string]any{"username": "li_ky", "password": officePassword, "role": "staff",
		"unit_id": u.unit, "name": "李科员", "rank": "clerk"})))
	u.post(u.admin, "/api/users", map[string]any{"username": "wang_ld", "password": officePassword, "role": "leader", "unit_id": u.unit, "name": "王局长"})
	u.office, _ = login(t, f.base, "fang_gl", officePassword)
	return u
}

func (u *officeUI) css(s string) chromedp.CSS { return chromedp.CSS(s) }

// post calls the API as token and returns the answer; anything but 201 fails the test.
func (u *officeUI) post(token, path string, body any) map[string]any {
	u.t.Helper()
	status, b := postJSON(http.DefaultClient, u.f.base+path, token, body)
	var out map[string]any
	json.Unmarshal(b, &out)
	if status != 201 {
		u.t.Fatalf("POST %s = %d %s", path, status, b)
	}
	return out
}

func (u *officeUI) id(v map[string]any) int64 {
	n, _ := v["id"].(float64)
	return int64(n)
}

// roomID finds a room of the building by its number, through the API.
func (u *officeUI) roomID(number string) int64 {
	u.t.Helper()
	var rooms struct {
		Items []struct {
			ID     int64
			Number string
		}
	}
	getJSON(u.t, fmt.Sprintf("%s/api/office/rooms?building_id=%d&limit=1000", u.f.base, u.building), u.office, &rooms)
	for _, r := range rooms.Items {
		if r.Number == number {
			return r.ID
		}
	}
	u.t.Fatalf("no room %s in the ledger", number)
	return 0
}

func (u *officeUI) eval(js string) string {
	u.t.Helper()
	v, err := within(u.ctx, 10*time.Second, chromedp.Evaluate[string](js))
	if err != nil {
		u.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (u *officeUI) text(sel string) string {
	u.t.Helper()
	v, err := within(u.ctx, 10*time.Second, chromedp.Text(u.css(sel)))
	if err != nil {
		u.t.Fatalf("read %s: %v\n%s", sel, err, u.page())
	}
	return strings.TrimSpace(v)
}

// count is how many elements match sel.
func (u *officeUI) count(sel string) int {
	u.t.Helper()
	var n int
	fmt.Sscan(u.eval(fmt.Sprintf(`String(document.querySelectorAll(%q).length)`, sel)), &n)
	return n
}

// fill replaces an input's value (a number or date field starts with its default).
func (u *officeUI) fill(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.value = %q; el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value))
}

// choose picks an option of a select and tells the page, as a user's pick does.
func (u *officeUI) choose(sel, value string) chromedp.Action[chromedp.Void] {
	return u.fill(sel, value)
}

// page is what the user sees, for a failure message.
func (u *officeUI) page() string {
	v, _ := within(u.ctx, 2*time.Second, chromedp.Evaluate[string](`location.href + "\n" + (document.querySelector("#main")?.innerText ?? document.body.innerText)`))
	return v
}

// do runs the steps of what the user does; when they fail, a screenshot NAME-failed and the page
// go with the failure.
func (u *officeUI) do(name, what string, actions ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	if err := steps(u.ctx, actions...); err != nil {
		screenshot(u.t, u.ctx, name+"-failed")
		u.t.Fatalf("%s: %v\n%s", what, err, u.page())
	}
}

// upload opens the panel of summary and puts file in the file input sel, checking that the input
// holds it: the page may redraw the panel while it loads, and a file set on the old input is lost.
func (u *officeUI) upload(name, summary, sel, file string) {
	u.t.Helper()
	for try := 0; ; try++ {
		u.do(name, "pick "+filepath.Base(file),
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const d = document.querySelector(%q)?.closest('details'); if (d) d.open = true; })()`, summary)),
			chromedp.WaitVisible(u.css(sel)),
			chromedp.SetUploadFiles(u.css(sel), []string{file}),
		)
		time.Sleep(300 * time.Millisecond) // a redraw in flight replaces the input now, not after the check
		if u.eval(fmt.Sprintf(`String(document.querySelector(%q)?.files?.length ?? 0)`, sel)) == "1" {
			return
		}
		if try == 4 {
			screenshot(u.t, u.ctx, name+"-failed")
			u.t.Fatalf("%s: the file input %s does not keep %s", name, sel, file)
		}
	}
}

// signIn signs out whoever is in and signs username in.
func (u *officeUI) signIn(username string) {
	u.t.Helper()
	u.do("office-signin", "sign in as "+username,
		chromedp.Evaluate[chromedp.Void](signOut, chromedp.EvalAwaitPromise),
		chromedp.Navigate(u.f.base+"/login"),
		chromedp.WaitVisible(u.css("#login-form")),
		chromedp.SendKeys(u.css("#username"), username),
		chromedp.SendKeys(u.css("#password"), officePassword),
		chromedp.Click(u.css("#login-submit")),
		chromedp.WaitVisible(u.css("#app-layout")),
	)
}

// signOut clicks the console's sign-out button, when there is one, and waits for the login form.
const signOut = `new Promise((done) => {
	const b = document.querySelector('#logout');
	if (!b) return done();
	b.click();
	const t0 = Date.now();
	const tick = () => (document.querySelector('#login-form') || Date.now() - t0 > 8000 ? done() : setTimeout(tick, 50));
	tick();
})`

// answer fills the reason dialog (#office-reason) and confirms it.
func (u *officeUI) answer(reason string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(u.css("#office-reason")),
		chromedp.SendKeys(u.css("#office-reason"), reason),
		chromedp.Click(u.css("#confirm-ok")),
	}
}

// officeDay is a date of the county's calendar n days from today.
func officeDay(n int) string {
	county, _ := time.LoadLocation("Asia/Shanghai")
	return time.Now().In(county).AddDate(0, 0, n).Format(time.DateOnly)
}
