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

// At phone size (375×812): a staff member files a goods purchase request through the form, a
// leader of the same unit signs in, lands on /m/approvals, sees the request with the badge count
// (which also follows the websocket when another request arrives), approves it with a comment in
// two taps, and the applicant sees the decision and the comment in the timeline.
func TestBrowserApprovalOnPhone(t *testing.T) {
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
	// clear empties an input before typing into it (a new row's quantity starts at 1).
	clear := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
	}
	// Nothing may stick out sideways at 375 px.
	fitsWidth := func(page string) {
		t.Helper()
		if w := eval(`String(document.documentElement.scrollWidth)`); w != "375" {
			t.Errorf("%s: the page is %s px wide at a 375 px viewport, want no horizontal scrolling", page, w)
		}
	}

	// One unit with a staff member and its head (the unit's leader approves its purchases).
	admin, code := login(t, f.base, "admin", adminPassword)
	if code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	post := func(token, path string, body any) map[string]any {
		t.Helper()
		status, b := postJSON(http.DefaultClient, f.base+path, token, body)
		var out map[string]any
		json.Unmarshal(b, &out)
		if status != 201 {
			t.Fatalf("POST %s = %d %s", path, status, b)
		}
		return out
	}
	unit := post(admin, "/api/units", map[string]any{"name": "县财政局"})["id"]
	const password = "Phone-test-2025"
	post(admin, "/api/users", map[string]any{"username": "li_na", "password": password, "role": "staff", "unit_id": unit, "name": "李娜"})
	post(admin, "/api/users", map[string]any{"username": "wang_jj", "password": password, "role": "leader", "unit_id": unit, "name": "王建军"})

	signIn := func(username string) {
		t.Helper()
		err := steps(ctx,
			chromedp.Navigate(f.base+"/login"),
			chromedp.WaitVisible(css("#login-form")),
			chromedp.SendKeys(css("#username"), username),
			chromedp.SendKeys(css("#password"), password),
			chromedp.Click(css("#login-submit")),
			chromedp.WaitVisible(css("#app-layout")),
		)
		if err != nil {
			t.Fatalf("sign in as %s: %v", username, err)
		}
	}
	signOut := func() {
		t.Helper()
		if err := steps(ctx, chromedp.Click(css("#logout")), chromedp.WaitVisible(css("#login-form"))); err != nil {
			t.Fatalf("sign out: %v", err)
		}
	}

	if err := steps(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}

	// The staff member files the request through the form: two items, the total shown live.
	signIn("li_na")
	err := steps(ctx,
		chromedp.Navigate(f.base+"/procurements"),
		chromedp.WaitVisible(css("#procurement-new")),
		chromedp.Click(css("#procurement-new")),
		chromedp.WaitVisible(css("#proc-form")),
		chromedp.SetValue(css("#proc-kind"), "goods"),
		chromedp.SendKeys(css("#proc-title"), "办公桌椅"),
		chromedp.SendKeys(css("#proc-reason"), "新进人员办公用"),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(1) input[data-field="name"]`), "办公桌"),
		clear(`#proc-items tr:nth-child(1) input[data-field="quantity"]`),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(1) input[data-field="quantity"]`), "2"),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(1) input[data-field="unit_price"]`), "1200"),
		chromedp.Click(css("#proc-add-item")),
		chromedp.WaitVisible(css(`#proc-items tr:nth-child(2)`)),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(2) input[data-field="name"]`), "办公椅"),
		clear(`#proc-items tr:nth-child(2) input[data-field="quantity"]`),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(2) input[data-field="quantity"]`), "2"),
		chromedp.SendKeys(css(`#proc-items tr:nth-child(2) input[data-field="unit_price"]`), "450"),
	)
	if err != nil {
		t.Fatalf("fill the procurement form: %v", err)
	}
	if rows := eval(`String(document.querySelectorAll('#proc-items tr').length)`); rows != "2" {
		t.Errorf("items rows = %s, want 2", rows)
	}
	if total := text("#proc-total"); total != "¥3,300.00" {
		t.Errorf("live total = %q, want ¥3,300.00", total)
	}
	fitsWidth("the procurement form")
	screenshot(t, ctx, "approval-1-staff-form")
	err = steps(ctx,
		chromedp.Click(css("#proc-submit")),
		chromedp.WaitVisible(css(`#procurement-detail #approval-status[data-status="pending"]`)),
	)
	if err != nil {
		screenshot(t, ctx, "approval-2-staff-submit-failed")
		page, _ := within(ctx, 2*time.Second, chromedp.Evaluate[string](`location.href + "\n" + document.querySelector("#main").innerText`))
		t.Fatalf("submit the request: %v; the page:\n%s", err, page)
	}
	screenshot(t, ctx, "approval-2-staff-submitted")
	signOut()

	// The leader signs in on the phone and lands on the inbox with the request and the badge.
	signIn("wang_jj")
	if err := steps(ctx, chromedp.WaitVisible(css(`#approval-list li[data-id]`))); err != nil {
		t.Fatalf("the leader's inbox shows nothing: %v", err)
	}
	if path := eval(`location.pathname`); path != "/m/approvals" {
		t.Errorf("a leader lands on %s, want /m/approvals", path)
	}
	if nav := eval(`String(getComputedStyle(document.querySelector('#nav')).display)`); nav != "none" {
		t.Errorf("the phone page shows the side menu (display %s)", nav)
	}
	waitBadge := func(want string) {
		t.Helper()
		got := ""
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if got = eval(`document.querySelector('#approvals-badge')?.textContent ?? ''`); got == want {
				return
			}
		}
		t.Fatalf("#approvals-badge = %q, want %q", got, want)
	}
	waitBadge("1")
	if subject := text(`#approval-list li[data-id] .ap-subject`); !strings.Contains(subject, "办公桌椅") {
		t.Errorf("inbox subject = %q, want the staff member's request", subject)
	}

	// Live: another request filed meanwhile (through the API) joins the list and the badge.
	staff, _ := login(t, f.base, "li_na", password)
	post(staff, "/api/procurements", map[string]any{"kind": "services", "title": "会议室音响维护", "reason": "设备老化",
		"items": []map[string]any{{"name": "维护服务", "quantity": 1, "unit_price": 800}}})
	waitBadge("2")
	if err := steps(ctx, chromedp.WaitVisible(css(`#approval-list li[data-id]:nth-child(2)`))); err != nil {
		t.Fatalf("the second request did not join the list: %v", err)
	}
	fitsWidth("the inbox")
	screenshot(t, ctx, "approval-3-leader-inbox")

	// Open the form-filed request and approve it with a comment: tap the box, tap 同意.
	id := eval(`[...document.querySelectorAll('#approval-list li[data-id]')].find(li => li.textContent.includes('办公桌椅')).dataset.id`)
	err = steps(ctx,
		chromedp.Click(css(fmt.Sprintf(`#approval-list li[data-id="%s"] a`, id))),
		chromedp.WaitVisible(css(`#approval-detail #approve`)),
		chromedp.WaitVisible(css(`#approval-timeline li`)),
	)
	if err != nil {
		t.Fatalf("open the request: %v", err)
	}
	detail := text("#approval-detail")
	for _, want := range []string{"李娜", "县财政局", "¥3,300.00", "办公桌", "办公椅"} {
		if !strings.Contains(detail, want) {
			t.Errorf("the request's page lacks %q", want)
		}
	}
	fitsWidth("the request")
	screenshot(t, ctx, "approval-4-leader-detail")
	const comment = "同意购置，注意节约"
	err = steps(ctx,
		chromedp.Click(css("#approval-comment")),
		chromedp.SendKeys(css("#approval-comment"), comment),
		chromedp.Click(css("#approve")),
		chromedp.WaitVisible(css(`#approval-status[data-status="approved"]`)),
	)
	if err != nil {
		t.Fatalf("approve: %v", err)
	}
	waitBadge("1")
	if tl := text("#approval-timeline"); !strings.Contains(tl, comment) {
		t.Errorf("the leader's timeline lacks the comment: %q", tl)
	}
	screenshot(t, ctx, "approval-5-leader-approved")
	signOut()

	// The applicant sees the decision: status approved, the leader's comment in the timeline.
	signIn("li_na")
	err = steps(ctx,
		chromedp.Navigate(f.base+"/procurements"),
		chromedp.WaitVisible(css(`#procurement-list tr[data-id][data-status="approved"]`)),
		chromedp.Click(css(`#procurement-list tr[data-status="approved"] a`)),
		chromedp.WaitVisible(css(`#approval-status[data-status="approved"]`)),
		chromedp.WaitVisible(css(`#approval-timeline li[data-action="approve"]`)),
	)
	if err != nil {
		t.Fatalf("the applicant does not see the decision: %v", err)
	}
	approved := text(`#approval-timeline li[data-action="approve"]`)
	if !strings.Contains(approved, "王建军") || !strings.Contains(approved, comment) {
		t.Errorf("timeline entry = %q, want 王建军 and the comment %q", approved, comment)
	}
	if n := eval(`String(document.querySelectorAll('#approval-timeline li').length)`); n != "2" {
		t.Errorf("timeline has %s entries, want submit and approve", n)
	}
	fitsWidth("the applicant's request")
	screenshot(t, ctx, "approval-6-staff-decision")
	if err := steps(ctx, chromedp.ScrollIntoView(css("#approval-timeline"))); err == nil {
		screenshot(t, ctx, "approval-7-staff-timeline")
	}
}
