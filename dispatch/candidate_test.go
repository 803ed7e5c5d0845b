package dispatch_test

import (
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// tomorrowAt returns tomorrow's hour in the county (Asia/Shanghai).
func tomorrowAt(hour int) time.Time {
	loc := time.FixedZone("CST", 8*3600)
	n := time.Now().In(loc)
	return time.Date(n.Year(), n.Month(), n.Day()+1, hour, 0, 0, 0, loc).UTC()
}

func candidateIDs(list *dispatch.CandidateList) []int64 {
	var out []int64
	for _, c := range list.Items {
		out = append(out, c.VehicleID)
	}
	return out
}

// Candidates are the feasible pairs, nearest first, with the score broken down.
func TestCandidatesRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		f.base = tomorrowAt(9)
		const km = 1 / 111.2 // degrees of latitude per km
		near := f.vehicle("赣K50101", 5, homeLat+1*km, homeLng)
		mid := f.vehicle("赣K50102", 5, homeLat+5*km, homeLng)
		far := f.vehicle("赣K50103", 5, homeLat+10*km, homeLng)
		f.vehicle("赣K50104", 3, homeLat, homeLng)                                                                              // too few seats
		f.vehicle("赣K50105", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.Status = dispatch.StatusRepair })       // in repair
		f.vehicle("赣K50106", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.Class = dispatch.ClassLawEnforcement }) // other class, asked for none: fine
		other, _ := f.auth.CreateUnit(f.ctx, auth.System, auth.UnitInput{Name: "县公安局"})
		f.vehicle("赣K50107", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.Pooled = ptr(false); in.UnitID = &other.ID }) // kept by another unit
		d1, _ := f.driver("甲", "C1")
		f.driver("乙", "C1")

		r := f.approved(f.input(3, 0, 4*time.Hour)) // 3 passengers and the driver in a 5-seat car: one seat spare
		list, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Items) != 3 {
			t.Fatalf("candidates = %+v", list.Items)
		}
		// The law-enforcement car stands at the origin: first, with either driver. Then the
		// nearest general car.
		c := list.Items[0]
		if c.Plate != "赣K50106" || c.DistanceKm != 0 || list.Items[1].Plate != "赣K50106" || list.Items[2].VehicleID != near.ID {
			t.Fatalf("order = %v", list.Items)
		}
		if c.Reasons.SpareSeats != 0.5 || c.Score != c.Reasons.Distance+c.Reasons.DriverLoad+c.Reasons.VehicleLoad+c.Reasons.NewEnergy+c.Reasons.OwnUnit+c.Reasons.SpareSeats {
			t.Fatalf("reasons = %+v score %v", c.Reasons, c.Score)
		}
		if d := list.Items[2].DistanceKm; d < 0.95 || d > 1.05 {
			t.Fatalf("distance of the 1 km car = %v", d)
		}
		// Asking for the general class leaves the law-enforcement car out.
		in := f.input(4, 30*time.Minute, 3*time.Hour)
		in.VehicleClass = dispatch.ClassGeneral
		r2 := f.approved(in)
		list, _ = f.desk.Candidates(f.ctx, f.dispatcher, r2.ID, 10)
		want := []int64{near.ID, near.ID, mid.ID, mid.ID, far.ID, far.ID}
		if got := candidateIDs(list); len(got) != len(want) {
			t.Fatalf("general cars = %v, want %v (excluded %v)", got, want, list.Excluded)
		}
		for i, id := range candidateIDs(list) {
			if id != want[i] {
				t.Fatalf("general cars = %v, want %v", candidateIDs(list), want)
			}
		}
		if list.Excluded["vehicle_seats"] != 1 || list.Excluded["vehicle_unusable"] != 1 || list.Excluded["vehicle_class"] != 1 ||
			list.Excluded["vehicle_other_unit"] != 1 {
			t.Fatalf("excluded = %v", list.Excluded)
		}

		// Booking the near car with driver 甲 takes it (and 甲) out of the overlapping request's list.
		f.assign(r.ID, near.ID, d1.ID)
		list, _ = f.desk.Candidates(f.ctx, f.dispatcher, r2.ID, 10)
		for _, c := range list.Items {
			if c.VehicleID == near.ID || c.DriverID == d1.ID {
				t.Fatalf("booked pair offered: %+v", c)
			}
		}
		if list.Excluded["driver_booked"] != 1 || list.Excluded["vehicle_booked"] != 1 {
			t.Fatalf("excluded = %v", list.Excluded)
		}
	})
}

// Where the vehicle will be: its live position today, the end of its previous task that day.
func TestCandidatesFromLiveAndPreviousTask(t *testing.T) {
	f := newDeskFix(t, storetest.SQLite(t))
	const km = 1 / 111.2
	a := f.vehicle("赣K50201", 5, homeLat+20*km, homeLng, func(in *dispatch.VehicleInput) { in.TerminalPhone = "13900050201" })
	b := f.vehicle("赣K50202", 5, homeLat+3*km, homeLng)
	d, _ := f.driver("丙", "C1")
	f.driver("丁", "C1")
	// a reports from right at the origin.
	if _, err := f.track.Ingest(f.ctx, []tracking.Point{{VehicleID: a.ID, Lat: homeLat, Lng: homeLng, FixedAt: time.Now().UTC().Add(-time.Second), Positioned: true}}); err != nil {
		t.Fatal(err)
	}
	f.base = time.Now().UTC().Truncate(time.Minute).Add(20 * time.Minute) // today
	r := f.approved(f.input(2, 0, time.Hour))
	var list *dispatch.CandidateList
	for i := 0; i < 100; i++ {
		list, _ = f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 2)
		if len(list.Items) > 0 && list.Items[0].VehicleID == a.ID {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if c := list.Items[0]; c.VehicleID != a.ID || c.From != dispatch.FromLive || c.DistanceKm > 0.01 {
		t.Fatalf("first = %+v, want the reporting car at the origin", c)
	}
	// b serves a trip that ends (back at its origin, 12 km south) before a later request.
	in := f.input(1, 0, 2*time.Hour)
	in.Origin = place("乡镇", homeLat-12*km, homeLng)
	first := f.approved(in)
	f.assign(first.ID, b.ID, d.ID)
	later := f.approved(f.input(1, 3*time.Hour, time.Hour))
	list, _ = f.desk.Candidates(f.ctx, f.dispatcher, later.ID, 10)
	found := false
	for _, c := range list.Items {
		if c.VehicleID == b.ID {
			found = true
			if c.From != dispatch.FromPrevious || c.DistanceKm < 11.5 || c.DistanceKm > 12.5 {
				t.Fatalf("b = %+v, want it 12 km away at its previous task's end", c)
			}
		}
	}
	if !found {
		t.Fatalf("b missing from %+v", list.Items)
	}
}

// Driving-time limits: a driver whose day would go over the cap is left out.
func TestCandidatesDrivingLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		f.base = tomorrowAt(7)
		v1 := f.vehicle("赣K50301", 5, homeLat, homeLng)
		f.vehicle("赣K50302", 5, homeLat, homeLng)
		tired, _ := f.driver("戊", "C1")
		fresh, _ := f.driver("己", "C1")
		// A morning trip 61 km north and back: ~4 h of driving in a 4 h window.
		in := f.input(1, 0, 4*time.Hour)
		in.Destinations = []dispatch.Place{place("市里", homeLat+0.55, homeLng)}
		f.assign(f.approved(in).ID, v1.ID, tired.ID)
		// An afternoon trip 78 km north: ~5 h more. 戊 would drive ~9 h; the cap is 8 h.
		in = f.input(1, 4*time.Hour+35*time.Minute, 6*time.Hour)
		in.Destinations = []dispatch.Place{place("省道", homeLat+0.7, homeLng)}
		r := f.approved(in)
		list, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list.Items {
			if c.DriverID != fresh.ID {
				t.Fatalf("driver %d offered; only the fresh one may drive: %+v", c.DriverID, list.Items)
			}
		}
		if list.Excluded["driver_driving_time"] != 1 {
			t.Fatalf("excluded = %v", list.Excluded)
		}
		// Assigning 戊 anyway: 409 naming the driver, with the rule.
		_, err = f.desk.Assign(f.ctx, f.dispatcher, r.ID, dispatch.AssignInput{VehicleID: v1.ID, DriverID: tired.ID})
		wantErr(t, err, fleet.EConflict, "driver_id")
		// A 4 h 30 min cap of continuous driving... and a daily cap of 10 h lets 戊 go.
		set := dispatch.DefaultSettings()
		set.DailyCapMin = 600
		if _, err := f.desk.PutSettings(f.ctx, f.dispatcher, set); err != nil {
			t.Fatal(err)
		}
		list, _ = f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 10)
		if list.Excluded["driver_driving_time"] != 0 {
			t.Fatalf("with a 10 h cap: excluded = %v", list.Excluded)
		}
	})
}

// Fairness and new energy move a candidate up.
func TestCandidatesFairnessAndNewEnergy(t *testing.T) {
	f := newDeskFix(t, storetest.SQLite(t))
	f.base = tomorrowAt(9)
	gas := f.vehicle("赣K50401", 5, homeLat, homeLng)
	ev := f.vehicle("赣KD50402", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) {
		in.Energy, in.RangeKm = dispatch.EnergyElectric, ptr(300)
	})
	small := f.vehicle("赣KD50403", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) {
		in.Energy, in.RangeKm = dispatch.EnergyElectric, ptr(10)
	})
	busy, _ := f.driver("庚", "C1")
	idle, _ := f.driver("辛", "C1")
	// 庚 has done a trip this month.
	r0 := f.approved(f.input(1, -2*time.Hour, time.Hour))
	f.assign(r0.ID, gas.ID, busy.ID)

	r := f.approved(f.input(2, 0, 2*time.Hour))
	list, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	top := list.Items[0]
	if top.VehicleID != ev.ID || top.DriverID != idle.ID || top.Reasons.NewEnergy >= 0 || top.Reasons.DriverLoad != 0 {
		t.Fatalf("top = %+v, want the electric car with the idle driver", top)
	}
	for _, c := range list.Items {
		if c.VehicleID == small.ID {
			t.Fatalf("an electric car with 10 km of range offered for a ~23 km trip: %+v", c)
		}
		if c.DriverID == busy.ID && c.Reasons.DriverLoad <= 0 {
			t.Fatalf("the busy driver has no load: %+v", c)
		}
	}
	if list.Excluded["vehicle_range"] != 1 {
		t.Fatalf("excluded = %v", list.Excluded)
	}
	_, err = f.desk.Candidates(f.ctx, f.staff, r.ID, 10)
	wantErr(t, err, fleet.EForbidden, "")
	_, err = f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 51)
	wantErr(t, err, fleet.EInvalid, "limit")
}

// The queue puts late requests in their own bucket.
func TestQueueBuckets(t *testing.T) {
	f := newDeskFix(t, storetest.SQLite(t))
	v := f.vehicle("赣K50501", 5, homeLat, homeLng)
	d, drv := f.driver("壬", "C1")
	pending := f.request(f.staff, f.input(1, 0, time.Hour))
	f.base = time.Now().UTC().Add(-30 * time.Minute) // departed half an hour ago, by plan
	late := f.approved(f.input(1, 0, 2*time.Hour))
	f.base = time.Now().UTC().Add(time.Hour)
	waiting := f.approved(f.input(1, 0, time.Hour))
	em := f.input(1, 30*time.Minute, time.Hour)
	em.Priority = dispatch.PriorityEmergency
	emergency := f.request(f.staff, em)
	f.base = time.Now().UTC().Add(-10 * time.Minute)
	running := f.approved(f.input(1, 0, 3*time.Hour))
	task := f.assign(running.ID, v.ID, d.ID)
	f.desk.AcceptTask(f.ctx, drv, task.ID)
	items := []dispatch.CheckItem{}
	for _, c := range dispatch.DefaultSettings().Checklist {
		items = append(items, dispatch.CheckItem{Item: c, OK: true})
	}
	f.desk.CheckTask(f.ctx, drv, task.ID, dispatch.CheckInput{Items: items})
	if _, err := f.desk.DepartTask(f.ctx, drv, task.ID); err != nil {
		t.Fatal(err)
	}
	q, err := f.desk.DispatchQueue(f.ctx, f.dispatcher)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rs []dispatch.Request) []int64 {
		var out []int64
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(q.Pending); len(got) != 1 || got[0] != pending.ID {
		t.Fatalf("pending = %v", got)
	}
	if got := ids(q.Approved); len(got) != 2 || got[0] != emergency.ID || got[1] != waiting.ID {
		t.Fatalf("approved = %v, want the emergency first", got)
	}
	if got := ids(q.Late); len(got) != 1 || got[0] != late.ID {
		t.Fatalf("late = %v", got)
	}
	if got := ids(q.Running); len(got) != 1 || got[0] != running.ID {
		t.Fatalf("running = %v", got)
	}
	// The running vehicle is on a task on the live map (tracking asks the board).
	lv := f.track.View(f.ctx, tracking.LivePoint{VehicleID: v.ID, Lat: homeLat, Lng: homeLng, SpeedKmh: 40, FixedAt: time.Now().UTC()}, v.Plate)
	if lv.State != tracking.VehicleOnTask || lv.TaskID != task.ID {
		t.Fatalf("live = %+v, want on_task", lv)
	}
	_, err = f.desk.DispatchQueue(f.ctx, f.staff)
	wantErr(t, err, fleet.EForbidden, "")
	_ = approval.StatusPending
}
