package demo_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// seedCounty seeds the demo county as fleetd does (with the geofences and approval groups) at
// seedDay.
func seedCounty(t *testing.T, db *store.DB) {
	t.Helper()
	a, f := services(db)
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	opt := demo.Options{Now: func() time.Time { return seedDay }, Approval: ap, Tracking: newTrackingService(t, db)}
	if _, err := demo.Seed(context.Background(), db, a, f, opt); err != nil {
		t.Fatal(err)
	}
}

// shortHistory is ten days of a quieter county: every kind of request and misuse, quickly.
var shortHistory = demo.HistoryOptions{Days: 10, PerDay: 3, Now: func() time.Time { return seedDay }}

// readers are the services a test reads the history through.
type readers struct {
	desk  *dispatch.Desk
	track *tracking.Service
	fleet *dispatch.Service
}

func newReaders(t *testing.T, db *store.DB) readers {
	t.Helper()
	a, f := services(db)
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	desk, err := dispatch.NewDesk(f, ap, nil, dispatch.NewTaskBoard(db, nil), nil, dispatch.DeskOptions{Now: func() time.Time { return seedDay }})
	if err != nil {
		t.Fatal(err)
	}
	return readers{desk: desk, track: newTrackingService(t, db), fleet: f}
}

func (r readers) requests(t *testing.T) []dispatch.Request {
	t.Helper()
	rs, total, err := r.desk.ListRequests(context.Background(), auth.System, dispatch.RequestFilter{Page: fleet.Page{Limit: fleet.MaxLimit}})
	if err != nil {
		t.Fatal(err)
	}
	if int(total) != len(rs) {
		t.Fatalf("requests: %d of %d read", len(rs), total)
	}
	return rs
}

func (r readers) events(t *testing.T, typ string) []tracking.Event {
	t.Helper()
	evs, _, err := r.track.ListEvents(context.Background(), auth.System, tracking.EventFilter{Page: fleet.Page{Limit: fleet.MaxLimit}, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// The history's requests went the whole way through the desk: most completed, with a task, a
// track cut into trips, the GPS and odometer kilometres, fuel; a few withdrawn, rejected,
// cancelled or declined; many rated. Nothing is left open for the live demo to trip over.
func TestHistoryHasTheMix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		res, err := demo.SeedHistory(ctx, db, shortHistory)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("history: %+v", res)
		if !res.Created || res.Users < 60 || res.Abandoned != 0 {
			t.Fatalf("created %v with %d new logins, %d steps refused; want the history and its people, every step taken",
				res.Created, res.Users, res.Abandoned)
		}
		r := newReaders(t, db)
		rs := r.requests(t)
		status, units, emergencies, rated := map[string]int{}, map[int64]bool{}, 0, 0
		for _, q := range rs {
			status[q.Status]++
			units[q.UnitID] = true
			if q.Priority == dispatch.PriorityEmergency {
				emergencies++
			}
			if q.Rating != nil {
				rated++
			}
			if q.DepartAt.After(seedDay) {
				t.Errorf("request %d departs %s, after the history's end", q.ID, q.DepartAt)
			}
		}
		if len(rs) < 15 || status[dispatch.ReqCompleted] < len(rs)*3/4 {
			t.Errorf("requests by status %v, want mostly completed of at least 15", status)
		}
		for _, s := range []string{dispatch.ReqCancelled, dispatch.ReqRejected} {
			if status[s] == 0 {
				t.Errorf("no %s request in %v", s, status)
			}
		}
		if n := len(rs) - status[dispatch.ReqCompleted] - status[dispatch.ReqCancelled] - status[dispatch.ReqRejected]; n != 0 {
			t.Errorf("%d requests left open (%v): the history must end every one", n, status)
		}
		if len(units) < 5 || rated == 0 || rated != res.Rated || res.Declined == 0 {
			t.Errorf("%d units, %d rated (%d said), %d declined: want staff of several units, ratings, a declined task", len(units), rated, res.Rated, res.Declined)
		}
		checkTrips(t, r, rs)
		checkMisuse(t, r)
	})
}

// checkTrips: every completed request's task has its tracked kilometres and driving time, the
// odometer agrees with them within the threshold but for the two deliberate discrepancies, and
// the tracking pipeline cut the track into trips and counted the days.
func checkTrips(t *testing.T, r readers, rs []dispatch.Request) {
	t.Helper()
	ctx := context.Background()
	flagged, fuelled, checked := 0, 0, 0
	for _, q := range rs {
		if q.Status != dispatch.ReqCompleted {
			continue
		}
		if q.Task == nil || q.Task.DepartedAt == nil || q.Task.ReturnedAt == nil {
			t.Fatalf("completed request %d has no departed and returned task: %+v", q.ID, q.Task)
		}
		task, err := r.desk.GetTask(ctx, auth.System, q.Task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if task.GPSKm == nil || *task.GPSKm < 2 || task.DrivingS == nil || *task.DrivingS < 300 {
			t.Fatalf("task %d tracked %v km, %v s; want the track's figures", task.ID, task.GPSKm, task.DrivingS)
		}
		if task.OdometerStartKm == nil || task.OdometerEndKm == nil {
			t.Fatalf("task %d odometer %v → %v, want both readings", task.ID, task.OdometerStartKm, task.OdometerEndKm)
		}
		odo := *task.OdometerEndKm - *task.OdometerStartKm
		if gap := math.Abs(odo - *task.GPSKm); gap > 0.15**task.GPSKm && gap >= 3 {
			flagged++
		}
		if task.FuelL != nil || task.ChargeKwh != nil {
			fuelled++
		}
		if checked < 5 { // a few, in full: the trips and days the pipeline made of the track
			checked++
			list, err := r.track.Trips(ctx, auth.System, task.VehicleID, *task.DepartedAt, *task.ReturnedAt)
			if err != nil {
				t.Fatal(err)
			}
			km := 0.0
			for _, tr := range list.Trips {
				km += tr.DistanceKm
			}
			if len(list.Trips) == 0 || math.Abs(km-*task.GPSKm) > 0.05**task.GPSKm+0.5 {
				t.Errorf("task %d: %d trips of %.1f km in its window, want the %.1f km tracked", task.ID, len(list.Trips), km, *task.GPSKm)
			}
			day := task.DepartedAt.In(time.FixedZone("CST", 8*3600))
			date := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
			days, err := r.track.VehicleDays(ctx, auth.System, task.VehicleID, date, date)
			if err != nil {
				t.Fatal(err)
			}
			if len(days) != 1 || days[0].Trips == 0 || days[0].DistanceKm < *task.GPSKm*0.9 {
				t.Errorf("task %d's day %s: %+v, want its trips counted", task.ID, date.Format(time.DateOnly), days)
			}
		}
	}
	if flagged != 2 || fuelled == 0 {
		t.Errorf("%d odometer discrepancies, %d refuels; want the 2 deliberate ones and some fuel", flagged, fuelled)
	}
}

// checkMisuse: the detectors caught the three drives with no task — one off hours, one out of
// the county — on the units' own cars, and nothing else drove without a task.
func checkMisuse(t *testing.T, r readers) {
	t.Helper()
	ctx := context.Background()
	plates := map[int64]string{}
	vs, _, err := r.fleet.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{Page: fleet.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		plates[v.ID] = v.Plate
	}
	// An episode ends when the car stands still: each drive raises one on the way out and one
	// on the way back.
	noTask := r.events(t, tracking.EventMisuseNoTask)
	caught := map[string]int{}
	acked := 0
	for _, e := range noTask {
		caught[plates[e.VehicleID]]++
		if e.AckAt != nil && strings.Contains(e.Note, "已核实") {
			acked++
		}
	}
	if len(caught) != 2 || caught["赣KJ2105"] < 2 || caught["赣KJ3302"] < 1 || acked == 0 || acked == len(noTask) {
		t.Errorf("misuse_no_task on %v, %d of %d acknowledged; want only the two misused cars, the first drive acknowledged",
			caught, acked, len(noTask))
	}
	for _, typ := range []string{tracking.EventMisuseOffHours, tracking.EventMisuseOutArea} {
		found := false
		for _, e := range r.events(t, typ) {
			found = found || plates[e.VehicleID] == "赣KJ3302" || plates[e.VehicleID] == "赣KJ2105"
		}
		if !found {
			t.Errorf("no %s event of the misused cars", typ)
		}
	}
}

// A second start adds nothing: the county has requests, so the history is not played again.
func TestHistoryOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		opt := shortHistory
		opt.Days, opt.PerDay = 3, 2
		if _, err := demo.SeedHistory(ctx, db, opt); err != nil {
			t.Fatal(err)
		}
		r := newReaders(t, db)
		before := len(r.requests(t))
		evs := len(r.events(t, ""))
		res, err := demo.SeedHistory(ctx, db, opt)
		if err != nil {
			t.Fatal(err)
		}
		if res.Created || res.Users != 0 || len(r.requests(t)) != before || len(r.events(t, "")) != evs {
			t.Errorf("second run: %+v, %d requests (was %d); want nothing added", res, len(r.requests(t)), before)
		}
	})
}
