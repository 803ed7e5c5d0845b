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

	"fleet/demo"
)

// The canteen: the manager has tomorrow's lunch open on the desktop week page, its kitchen count
// at 0 dine-in; a staff member on a 375 px phone opens the menu, sees the lunch's dishes with
// their allergens, books it for the dining hall, and sees the booking. Without a reload the
// manager's page shows 1 dine-in, in the grid and in the meal's panel.
func TestBrowserCanteen(t *testing.T) {
	desk := browser(t)
	phone := browser(t) // another browser, so another session
	const adminPassword = "admin-secret-1"
	const password = "Canteen-test-2026"
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_ADMIN_PASSWORD": adminPassword})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	evalIn := func(c context.Context, js string) string {
		t.Helper()
		v, err := within(c, 10*time.Second, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("evaluate %s: %v", js, err)
		}
		return v
	}
	pageText := func(c context.Context) string {
		v, _ := within(c, 2*time.Second, chromedp.Evaluate[string](`location.href + "\n" + (document.querySelector("#main")?.innerText ?? "")`))
		return v
	}
	signIn := func(c context.Context, username string) {
		t.Helper()
		err := steps(c,
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

	// A unit with a staff member; the canteen manager plans tomorrow's lunch of two dishes.
	admin, code := login(t, f.base, "admin", adminPassword)
	if code != 200 {
		t.Fatalf("admin login = %d", code)
	}
	post := func(token, path string, body any) map[string]any {
		t.Helper()
		status, b := postJSON(http.DefaultClient, f.base+path, token, body)
		var out map[string]any
		json.Unmarshal(b, &out)
		if status != 201 && status != 200 {
			t.Fatalf("POST %s = %d %s", path, status, b)
		}
		return out
	}
	unit := post(admin, "/api/units", map[string]any{"name": "县水利局"})["id"]
	center := post(admin, "/api/units", map[string]any{"name": "县机关事务服务中心"})["id"]
	post(admin, "/api/users", map[string]any{"username": "li_na", "password": password, "role": "staff", "unit_id": unit, "name": "李娜"})
	post(admin, "/api/users", map[string]any{"username": "sun_q", "password": password, "role": "canteen_manager", "unit_id": center, "name": "孙强"})
	chef, code := login(t, f.base, "sun_q", password)
	if code != 200 {
		t.Fatalf("canteen manager login = %d", code)
	}
	rice := post(chef, "/api/canteen/dishes", map[string]any{"name": "米饭", "category": "staple", "price": 0.5})["id"]
	fish := post(chef, "/api/canteen/dishes", map[string]any{"name": "清蒸鱼", "category": "meat", "price": 9, "allergens": []string{"fish"}})["id"]
	loc, _ := time.LoadLocation("Asia/Shanghai")
	tomorrow := time.Now().In(loc).AddDate(0, 0, 1).Format(time.DateOnly)
	// The default cut-off is 09:30 of the day: tomorrow's lunch is open for booking now.
	meal := fmt.Sprint(post(chef, "/api/canteen/meals", map[string]any{"date": tomorrow, "kind": "lunch", "dish_ids": []any{rice, fish}})["id"])

	// The manager opens the week and the lunch: nobody has booked yet.
	signIn(desk, "sun_q")
	cell := fmt.Sprintf(`#cn-week .cn-cell[data-meal-id="%s"]`, meal)
	err := steps(desk,
		chromedp.Navigate(f.base+"/canteen?week="+tomorrow),
		chromedp.WaitVisible(css(cell)),
		chromedp.Click(css(cell)),
		chromedp.WaitVisible(css(`#cn-counts[data-meal-id="`+meal+`"]`)),
	)
	if err != nil {
		screenshot(t, desk, "canteen-1-manager-failed")
		t.Fatalf("the manager's week: %v\n%s", err, pageText(desk))
	}
	if n := evalIn(desk, `document.querySelector('#cn-counts .cn-count-dine_in').textContent`); n != "0" {
		t.Fatalf("dine-in count before any booking = %q, want 0", n)
	}
	if dishes := evalIn(desk, `document.querySelector('`+cell+` .cn-cell-dishes').textContent`); !strings.Contains(dishes, "清蒸鱼") {
		t.Errorf("the grid's lunch = %q, want its dishes", dishes)
	}
	screenshot(t, desk, "canteen-1-manager-before")

	// The staff member on a phone: the menu of tomorrow, then the booking.
	if err := steps(phone, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile)); err != nil {
		t.Fatal(err)
	}
	signIn(phone, "li_na")
	card := `#cn-meal-` + meal
	err = steps(phone,
		chromedp.Navigate(f.base+"/m/canteen?day="+tomorrow+"&week="+tomorrow),
		chromedp.WaitVisible(css(card+` [data-action="book"][data-point="dine_in"]`)),
	)
	if err != nil {
		screenshot(t, phone, "canteen-2-phone-failed")
		t.Fatalf("the diner's menu: %v\n%s", err, pageText(phone))
	}
	if w := evalIn(phone, `String(document.documentElement.scrollWidth)`); w != "375" {
		t.Errorf("the diner's page is %s px wide at a 375 px viewport, want no horizontal scrolling", w)
	}
	if nav := evalIn(phone, `getComputedStyle(document.querySelector('#nav')).display`); nav != "none" {
		t.Errorf("the phone page shows the side menu (display %s)", nav)
	}
	shown := evalIn(phone, `document.querySelector('`+card+`').innerText`)
	for _, want := range []string{"午餐", "米饭", "清蒸鱼", "鱼类", "09:30"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the lunch card shows %q, want %s", shown, want)
		}
	}
	screenshot(t, phone, "canteen-2-phone-menu")
	err = steps(phone,
		chromedp.Click(css(card+` [data-action="book"][data-point="dine_in"]`)),
		chromedp.WaitVisible(css(`#cn-mine-`+meal+`[data-point="dine_in"]`)),
	)
	if err != nil {
		screenshot(t, phone, "canteen-3-phone-book-failed")
		t.Fatalf("booking on the phone: %v\n%s", err, pageText(phone))
	}
	if mine := evalIn(phone, `document.querySelector('#cn-mine-`+meal+`').textContent`); !strings.Contains(mine, "堂食") {
		t.Errorf("the booking reads %q, want 堂食", mine)
	}
	if booked := evalIn(phone, `document.querySelector('`+card+` .cn-count').textContent`); !strings.Contains(booked, "1") {
		t.Errorf("the card's count = %q, want 1 booked", booked)
	}
	screenshot(t, phone, "canteen-3-phone-booked")

	// The manager's page follows by itself: 1 dine-in in the panel and the grid.
	var panel, grid string
	for deadline := time.Now().Add(25 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		panel = evalIn(desk, `document.querySelector('#cn-counts .cn-count-dine_in')?.textContent ?? ''`)
		grid = evalIn(desk, `document.querySelector('`+cell+` .cn-count-dine_in')?.textContent ?? ''`)
		if panel == "1" && grid == "1" {
			break
		}
	}
	screenshot(t, desk, "canteen-4-manager-after")
	if panel != "1" || grid != "1" {
		t.Fatalf("the kitchen count after the booking: panel %q, grid %q; want 1 dine-in\n%s", panel, grid, pageText(desk))
	}
	if away := evalIn(desk, `document.querySelector('#cn-counts .cn-count-takeaway').textContent`); away != "0" {
		t.Errorf("take-away = %q, want 0", away)
	}
}

// The demo canteen's manager walks through the module's desktop pages: each shows its content
// (the published week, the dish list, the feedback, the waste chart and evaluations, the food
// safety records with the hygiene check); a diner reads the menu in English.
func TestBrowserCanteenPages(t *testing.T) {
	ctx := browser(t)
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_DEMO": "true"})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Evaluate[string](`document.querySelector(`+fmt.Sprintf("%q", sel)+`)?.innerText ?? ''`))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	err := steps(ctx,
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "demo_canteen_manager"),
		chromedp.SendKeys(css("#password"), demo.DefaultPassword),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Click(css(`#nav a[data-nav="canteen"]`)),
		chromedp.WaitVisible(css(`#cn-week .cn-cell`)),
	)
	if err != nil {
		t.Fatalf("the canteen manager opens the week: %v", err)
	}
	if status := text("#cn-week-status"); status != "已发布" {
		t.Errorf("this week's demo menu is %q, want 已发布", status)
	}
	screenshot(t, ctx, "canteen-5-week")
	for _, p := range []struct{ tab, wait, want string }{
		{"dishes", "#cn-dish-table tr[data-id]", "红烧肉"},
		{"feedback", "#cn-trends", "菜品评分走势"},
		{"waste", "#cn-evaluations", "反食品浪费季度评估"},
		{"safety", "#cn-hygiene-table tr[data-id]", "安和县粮油贸易有限公司"},
	} {
		if err := steps(ctx, chromedp.Click(css(`#canteen-tabs a[data-tab="`+p.tab+`"]`)), chromedp.WaitVisible(css(p.wait))); err != nil {
			screenshot(t, ctx, "canteen-"+p.tab+"-failed")
			t.Fatalf("the %s page: %v\n%s", p.tab, err, text("#main"))
		}
		if got := text("#main"); !strings.Contains(got, p.want) {
			t.Errorf("the %s page shows %q, want %s", p.tab, got, p.want)
		}
		screenshot(t, ctx, "canteen-6-"+p.tab)
	}

	// Next week's menu is a draft: the manager plans Monday's dinner of two dishes in the grid,
	// then publishes the week.
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(loc)
	monday := now.AddDate(0, 0, 7-(int(now.Weekday())+6)%7).Format(time.DateOnly)
	add := `#cn-week button.cn-add[data-day="` + monday + `"][data-kind="dinner"]`
	err = steps(ctx,
		chromedp.Navigate(f.base+"/canteen?week="+monday),
		chromedp.WaitVisible(css(add)),
		chromedp.Click(css(add)),
		chromedp.WaitVisible(css("#cn-dishes-form")),
	)
	if err != nil {
		screenshot(t, ctx, "canteen-plan-failed")
		t.Fatalf("plan a dinner: %v\n%s", err, text("#main"))
	}
	for _, name := range []string{"啤酒鸭", "米饭"} {
		js := fmt.Sprintf(`[...document.querySelectorAll('#cn-dishes-form label.cn-pick')].find((l) => l.textContent.trim() === %q).querySelector('input').click()`, name)
		if err := steps(ctx, chromedp.Evaluate[chromedp.Void](js)); err != nil {
			t.Fatalf("tick %s: %v", name, err)
		}
	}
	screenshot(t, ctx, "canteen-8-dishes-dialog")
	err = steps(ctx,
		chromedp.Click(css("#form-save")),
		chromedp.WaitNotPresent(css("#cn-dishes-form")),
		chromedp.WaitVisible(css(`#cn-week .cn-cell.selected`)),
	)
	if err != nil {
		t.Fatalf("save the dinner's dishes: %v\n%s", err, text("#main"))
	}
	if cell := text("#cn-week .cn-cell.selected .cn-cell-dishes"); cell != "啤酒鸭、米饭" {
		t.Errorf("the new dinner's cell = %q, want 啤酒鸭、米饭", cell)
	}
	if err := steps(ctx, chromedp.Click(css("#cn-publish")), chromedp.WaitNotPresent(css("#cn-publish"))); err != nil {
		t.Fatalf("publish: %v\n%s", err, text("#main"))
	}
	if status := text("#cn-week-status"); status != "已发布" {
		t.Errorf("next week after publishing = %q, want 已发布", status)
	}
	screenshot(t, ctx, "canteen-9-published")

	// The diner's page in English.
	err = steps(ctx,
		chromedp.Navigate(f.base+"/m/canteen"),
		chromedp.WaitVisible(css("#cn-days")),
		chromedp.Click(css("#lang-switch")),
		chromedp.WaitVisible(css("#cn-days")),
	)
	if err != nil {
		t.Fatalf("the diner's page: %v", err)
	}
	if got := text("#main"); !strings.Contains(got, "Canteen") {
		t.Errorf("the diner's page in English = %q", got)
	}
	screenshot(t, ctx, "canteen-7-diner-en")
}
