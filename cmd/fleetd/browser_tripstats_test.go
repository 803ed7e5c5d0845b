package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/tracking"
)

// The trip statistics page shows the figures of trips run in the test: three days ago a car
// went out at 09:00 and another at 14:00 on a merged trip of two requests, both tracked; the
// second one's odometer says more than its track. The dispatcher sees the report's sentence
// with the trips' GPS km and hours, the vehicles' table, the flagged trip and the workbook link.
func TestBrowserTripStats(t *testing.T) {
	ctx := browser(t)
	const password = "Trip-stats-2026"
	dbPath := filepath.Join(t.TempDir(), "fleet.db")
	day, tasks := seedTrips(t, "sqlite:"+dbPath, password)
	f := startFleetd(t, map[string]string{"FLEET_DB": "sqlite:" + dbPath, "FLEET_ADMIN_PASSWORD": "admin-secret-1"})
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		v, err := within(ctx, 10*time.Second, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return strings.TrimSpace(v)
	}
	var km, driveS float64
	for _, tk := range tasks {
		km += *tk.GPSKm
		driveS += float64(*tk.DrivingS)
	}
	if km < 25 || driveS < 2400 {
		t.Fatalf("seeded trips tracked %.1f km, %.0f s; want the track's ~30 km and ~50 min", km, driveS)
	}
	d, _ := time.Parse(time.DateOnly, day)
	want := fmt.Sprintf("%d年%d月%d日，共出车2批次，安全行驶%s公里、%s小时。", d.Year(), d.Month(), d.Day(),
		strconv.FormatFloat(math.Round(km), 'f', -1, 64), strconv.FormatFloat(math.Round(driveS/360)/10, 'f', -1, 64))

	err := steps(ctx,
		chromedp.Navigate(f.base+"/login"),
		chromedp.WaitVisible(css("#login-form")),
		chromedp.SendKeys(css("#username"), "ts_disp"),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css("#login-submit")),
		chromedp.WaitVisible(css("#app-layout")),
		chromedp.Click(css(`#nav a[data-nav="tripStats"]`)),
		chromedp.WaitVisible(css("#ts-form")),
		chromedp.Navigate(fmt.Sprintf("%s/trip-stats?from=%s&to=%s", f.base, day, day)),
		chromedp.WaitVisible(css(`#ts-rows tr`)),
	)
	if err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if got := text("#ts-summary"); got != want {
		t.Fatalf("summary = %q, want %q", got, want)
	}
	if got := text(`[data-stat="trips"] .stat-value`); got != "2" {
		t.Errorf("trips tile = %q, want 2", got)
	}
	if got := text(`[data-stat="odometer"] .stat-value`); got != "43" {
		t.Errorf("odometer tile = %q, want 13 + 30 = 43", got)
	}
	// By vehicle: the merged trip's car first (its km), each car one trip.
	err = steps(ctx, chromedp.Click(css(`#ts-tabs [data-by="vehicle"]`)), chromedp.WaitVisible(css(`#ts-tabs [data-by="vehicle"].active`)),
		chromedp.Sleep(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := within(ctx, 10*time.Second, chromedp.Evaluate[[]string](`[...document.querySelectorAll('#ts-rows tr')].map(r => r.innerText.replace(/\s+/g, ' '))`))
	if err != nil || len(rows) != 2 || !strings.HasPrefix(rows[0], "赣C80002 1 (合并1)") || !strings.HasPrefix(rows[1], "赣C80001 1") {
		t.Fatalf("vehicle rows = %q, %v", rows, err)
	}
	if got := text("#ts-flagged"); !strings.Contains(got, "赣C80002") || strings.Contains(got, "赣C80001") {
		t.Errorf("flagged trips = %q, want the merged trip's car only", got)
	}
	href, err := within(ctx, 5*time.Second, chromedp.Evaluate[string](`document.querySelector('#ts-xlsx').getAttribute('href')`))
	if err != nil || href != fmt.Sprintf("/api/dispatch/stats.xlsx?from=%s&to=%s", day, day) {
		t.Errorf("workbook link = %q, %v", href, err)
	}
	screenshot(t, ctx, "trip-stats")
	// In English.
	if err := steps(ctx, chromedp.Click(css("#lang-switch")), chromedp.WaitVisible(css(`#ts-rows tr`)), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := text("#ts-summary"); !strings.Contains(got, "2 trips") || !strings.Contains(got, "hours of safe driving") {
		t.Errorf("English summary = %q", got)
	}
	// At phone width the page does not scroll sideways (the tables scroll in their frames).
	if err := steps(ctx, chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile), chromedp.Sleep(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	wide, err := within(ctx, 5*time.Second, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
	if err != nil || wide {
		t.Errorf("at 375 px the page is wider than the screen (%v)", err)
	}
	screenshot(t, ctx, "trip-stats-phone")
}

// tsClock is the desk's clock while the trips are seeded.
type tsClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tsClock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *tsClock) set(t time.Time) { c.mu.Lock(); c.t = t.UTC(); c.mu.Unlock() }

// seedTrips runs two tracked trips three days ago through the dispatch desk on the database (a
// clock of its own, positions into the tracker) and creates the dispatcher ts_disp. It returns
// the county day of the trips and the completed tasks.
func seedTrips(t *testing.T, url, password string) (string, []*dispatch.Task) {
	t.Helper()
	ctx := context.Background()
	county, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(ctx, store.Config{URL: url})
	must(err)
	defer db.Close()
	_, err = db.Migrate(ctx)
	must(err)
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	b := bus.NewInProcess(bus.Options{})
	defer b.Close()
	board := dispatch.NewTaskBoard(db, nil)
	tr, err := tracking.NewService(db, b, tracking.Options{Tasks: board, Location: county})
	must(err)
	defer tr.Close()
	ap, err := approval.NewService(db, a, b, approval.Options{})
	must(err)
	must(ap.EnsureDefaults(ctx))
	fleetSvc := dispatch.NewService(db, a)
	fleetSvc.SetLocation(county)
	local := time.Now().In(county).AddDate(0, 0, -3)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, county)
	clk := &tsClock{t: day.Add(6 * time.Hour)}
	desk, err := dispatch.NewDesk(fleetSvc, ap, tr, board, b, dispatch.DeskOptions{Now: clk.now, Location: county, SnapshotTTL: time.Millisecond})
	must(err)
	dctx, cancel := context.WithCancel(ctx)
	defer cancel()
	must(desk.Start(dctx))

	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县水利局"})
	must(err)
	user := func(name, role string) *auth.Actor {
		u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: name, Password: password, Name: name, Role: role, UnitID: unit.ID, Phone: "13900000000"})
		must(err)
		return &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
	}
	disp, staff, leader := user("ts_disp", auth.RoleDispatcher), user("ts_staff", auth.RoleStaff), user("ts_leader", auth.RoleLeader)
	const lat, lng = 27.80, 114.40
	car := func(plate string) *dispatch.Vehicle {
		odo, plat, plng := 30000.0, lat, lng
		v, err := fleetSvc.CreateVehicle(ctx, auth.System, dispatch.VehicleInput{Plate: plate, Class: dispatch.ClassGeneral, Seats: 7,
			Energy: dispatch.EnergyGasoline, OdometerKm: &odo, ParkingName: "机关大院", ParkingLat: &plat, ParkingLng: &plng})
		must(err)
		return v
	}
	crew := func(name, phone string) (*dispatch.Driver, *auth.Actor) {
		u := user("ts_"+phone, auth.RoleDriver)
		d, err := fleetSvc.CreateDriver(ctx, auth.System, dispatch.DriverInput{Name: name, Phone: phone, LicenseClass: "C1", UserID: &u.UserID})
		must(err)
		return d, u
	}
	trip := func(v *dispatch.Vehicle, d *dispatch.Driver, du *auth.Actor, depart time.Time, requests, minutes int, odometer float64) *dispatch.Task {
		clk.set(depart.Add(-2 * time.Hour))
		var ids []int64
		for i := range requests {
			r, err := desk.CreateRequest(ctx, staff, dispatch.RequestInput{Passengers: 1, Purpose: fmt.Sprintf("水库巡查%d", i+1),
				Origin:       dispatch.Place{Address: "县水利局", Lat: ptr(lat), Lng: ptr(lng)},
				Destinations: []dispatch.Place{{Address: "东风水库", Lat: ptr(lat + 0.09), Lng: ptr(lng)}},
				DepartAt:     depart.UTC().Format(time.RFC3339), ReturnAt: depart.Add(3 * time.Hour).UTC().Format(time.RFC3339)})
			must(err)
			_, err = ap.Act(ctx, leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActApprove})
			must(err)
			ids = append(ids, r.ID)
		}
		if len(ids) > 1 {
			_, err := desk.MergeRequests(ctx, disp, dispatch.MergeInput{RequestIDs: ids})
			must(err)
		}
		_, err := fleetSvc.CreateShift(ctx, auth.System, dispatch.ShiftInput{DriverID: d.ID, Kind: dispatch.ShiftWork,
			Start: depart.Add(-time.Hour).UTC().Format(time.RFC3339), End: depart.Add(4 * time.Hour).UTC().Format(time.RFC3339)})
		must(err)
		task, err := desk.Assign(ctx, disp, ids[0], dispatch.AssignInput{VehicleID: v.ID, DriverID: d.ID})
		must(err)
		_, err = desk.AcceptTask(ctx, du, task.ID)
		must(err)
		var items []dispatch.CheckItem
		for _, c := range dispatch.DefaultSettings().Checklist {
			items = append(items, dispatch.CheckItem{Item: c, OK: true})
		}
		_, err = desk.CheckTask(ctx, du, task.ID, dispatch.CheckInput{Items: items})
		must(err)
		clk.set(depart)
		_, err = desk.DepartTask(ctx, du, task.ID)
		must(err)
		// 36 km/h north, a point every 30 s, then parked six minutes.
		var pts []tracking.Point
		at, plat := depart.UTC().Add(10*time.Second), lat
		for i := range 2*minutes + 14 {
			speed := 0.0
			if i > 0 && i <= 2*minutes {
				speed, plat = 36, plat+300/111195.0
			}
			pts = append(pts, tracking.Point{VehicleID: v.ID, Lat: plat, Lng: lng, SpeedKmh: speed, ACC: speed > 0, FixedAt: at, Positioned: true})
			at = at.Add(30 * time.Second)
		}
		_, err = tr.Ingest(ctx, pts)
		must(err)
		clk.set(at.Add(time.Minute))
		end := 30000 + odometer
		done, err := desk.ReturnTask(ctx, du, task.ID, dispatch.ReturnInput{OdometerKm: &end, FuelL: ptr(8)})
		must(err)
		return done
	}
	v1, v2 := car("赣C80001"), car("赣C80002")
	d1, u1 := crew("刘建国", "13907951001")
	d2, u2 := crew("陈明", "13907951002")
	t1 := trip(v1, d1, u1, day.Add(9*time.Hour), 1, 20, 13)  // ~12 km tracked, 13 on the odometer: within the threshold
	t2 := trip(v2, d2, u2, day.Add(14*time.Hour), 2, 30, 30) // ~18 km tracked, 30 on the odometer: flagged
	return day.Format(time.DateOnly), []*dispatch.Task{t1, t2}
}

func ptr(v float64) *float64 { return &v }
