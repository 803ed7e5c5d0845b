package dispatch_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// tripWorld is the trips of the statistics tests, run through the desk (county time):
//
//	t1 06-30 23:50  A 张  unit 1          20 min  odometer 12          fuel 5   June (returns in July)
//	t2 07-01 09:00  B 李  unit 2          30 min  odometer 30 (≈18 GPS: flagged)  charge 20
//	t3 07-01 14:00  A 张  units 1 and 2 (merged)  25 min  odometer 15
//	t4 07-31 23:30  B 李  unit 1          10 min  odometer 8 (a 2 km gap: under the 3 km minimum)
//	t5 08-01 08:30  A 李  unit 2          no track  odometer 6 (flagged: the track has 0 km)
//	t6 08-01 12:00  C 张  unit 1          departed, not back: no trip yet
type tripWorld struct {
	*tripFix
	a, b, c                *dispatch.Vehicle
	zhang, li              *dispatch.Driver
	t1, t2, t3, t4, t5     *dispatch.Task
	auditor, staff, driver *auth.Actor
}

func newTripWorld(t *testing.T, db *store.DB) *tripWorld {
	f := newTripFix(t, db)
	w := &tripWorld{tripFix: f}
	w.a, w.b, w.c = f.car("赣K60001"), f.car("赣K60002"), f.car("赣K60003")
	var zhangUser, liUser *auth.Actor
	w.zhang, zhangUser = f.crew("张师傅")
	w.li, liUser = f.crew("李师傅")
	w.auditor, w.staff, w.driver = f.user("auditor", auth.RoleAuditor), f.staff1, liUser
	at := func(month time.Month, day, hour, min int) time.Time {
		return time.Date(2026, month, day, hour, min, 0, 0, county)
	}
	fp := func(v float64) *float64 { return &v }
	w.t1 = f.run(tripSpec{applicants: []*auth.Actor{f.staff1}, vehicle: w.a, driver: w.zhang, driverUser: zhangUser,
		depart: at(6, 30, 23, 50), driveMin: 20, odometerKm: 12, fuelL: fp(5)})
	w.t2 = f.run(tripSpec{applicants: []*auth.Actor{f.staff2}, vehicle: w.b, driver: w.li, driverUser: liUser,
		depart: at(7, 1, 9, 0), driveMin: 30, odometerKm: 30, chargeKwh: fp(20)})
	w.t3 = f.run(tripSpec{applicants: []*auth.Actor{f.staff1, f.staff2}, vehicle: w.a, driver: w.zhang, driverUser: zhangUser,
		depart: at(7, 1, 14, 0), driveMin: 25, odometerKm: 15})
	w.t4 = f.run(tripSpec{applicants: []*auth.Actor{f.staff1}, vehicle: w.b, driver: w.li, driverUser: liUser,
		depart: at(7, 31, 23, 30), driveMin: 10, odometerKm: 8})
	w.t5 = f.run(tripSpec{applicants: []*auth.Actor{f.staff2}, vehicle: w.a, driver: w.li, driverUser: liUser,
		depart: at(8, 1, 8, 30), driveMin: 0, odometerKm: 6})
	// t6 departs and is still out.
	f.clock.Set(at(8, 1, 10, 0))
	r := f.request(f.staff1, dispatch.RequestInput{Passengers: 1, Purpose: "在途", Origin: place("县政府", homeLat, homeLng),
		Destinations: []dispatch.Place{place("工业园", homeLat+0.09, homeLng)},
		DepartAt:     at(8, 1, 12, 0).UTC().Format(time.RFC3339), ReturnAt: at(8, 1, 15, 0).UTC().Format(time.RFC3339)})
	if _, err := f.approvals.Act(f.ctx, f.lead1, *r.ApprovalID, approvalApprove); err != nil {
		t.Fatal(err)
	}
	f.roster(w.zhang.ID, at(8, 1, 11, 0), at(8, 1, 16, 0))
	t6 := f.assign(r.ID, w.c.ID, w.zhang.ID)
	f.depart(t6.ID, zhangUser, at(8, 1, 12, 0))
	f.clock.Set(at(8, 1, 13, 0))
	return w
}

func gps(t *dispatch.Task) float64 { return *t.GPSKm }

func near(got, want, tolerance float64) bool { return math.Abs(got-want) <= tolerance }

// The trips of a period carry their tracked km and driving time, odometer km and flags.
func TestTripFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTripWorld(t, db)
		// The track's figures were kept at return: 36 km/h for 30 min is 18 km.
		if w.t2.GPSKm == nil || !near(gps(w.t2), 18, 0.5) || w.t2.DrivingS == nil || !near(float64(*w.t2.DrivingS), 1800, 90) {
			t.Fatalf("t2 tracked %v km, %v s; want about 18 km and 1,800 s", w.t2.GPSKm, w.t2.DrivingS)
		}
		list, total, err := w.desk.Trips(w.ctx, w.dispatcher, dispatch.TripQuery{From: "2026-07-01", To: "2026-08-31"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 4 || len(list) != 4 {
			t.Fatalf("trips of July and August = %d (%d listed), want 4 (t1 left in June, t6 is still out)", total, len(list))
		}
		ids := []int64{list[0].TaskID, list[1].TaskID, list[2].TaskID, list[3].TaskID}
		if want := []int64{w.t5.ID, w.t4.ID, w.t3.ID, w.t2.ID}; !equalIDs(ids, want) {
			t.Fatalf("order = %v, want latest first %v", ids, want)
		}
		byID := map[int64]dispatch.Trip{}
		for _, tr := range list {
			byID[tr.TaskID] = tr
		}
		t2 := byID[w.t2.ID]
		if t2.Plate != "赣K60002" || t2.Driver != "李师傅" || *t2.OdometerKm != 30 || *t2.GPSKm != gps(w.t2) ||
			t2.Discrepancy == nil || !near(t2.Discrepancy.Km, 30-gps(w.t2), 0.01) || !t2.Flagged || *t2.ChargeKwh != 20 {
			t.Fatalf("t2 = %+v (discrepancy %+v), want 30 odometer km against ~18 GPS km, flagged", t2, t2.Discrepancy)
		}
		if share := *t2.Discrepancy.Share; !near(share, (30-gps(w.t2))/gps(w.t2), 0.001) {
			t.Fatalf("t2 share = %v", share)
		}
		t3 := byID[w.t3.ID]
		if !t3.Merged || len(t3.RequestIDs) != 2 || len(t3.Units) != 2 || t3.Units[0].Name != "县发改委" || t3.Units[1].Name != "县财政局" || t3.Flagged {
			t.Fatalf("t3 = %+v, want a merged trip of both units, not flagged", t3)
		}
		if t4 := byID[w.t4.ID]; t4.Flagged || t4.Discrepancy == nil || t4.Discrepancy.Km < 1 {
			t.Fatalf("t4 = %+v (%+v): a gap under the minimum km is not flagged", t4, t4.Discrepancy)
		}
		if t5 := byID[w.t5.ID]; !t5.Flagged || *t5.GPSKm != 0 || t5.Discrepancy.Share != nil || t5.Discrepancy.Km != 6 {
			t.Fatalf("t5 = %+v (%+v): 6 odometer km and an empty track is flagged", t5, t5.Discrepancy)
		}

		flagged, n, err := w.desk.Trips(w.ctx, w.dispatcher, dispatch.TripQuery{From: "2026-07-01", To: "2026-08-31", Flagged: true})
		if err != nil || n != 2 || flagged[0].TaskID != w.t5.ID || flagged[1].TaskID != w.t2.ID {
			t.Fatalf("flagged = %+v, %d, %v; want t5 and t2", flagged, n, err)
		}
		for name, q := range map[string]dispatch.TripQuery{
			"vehicle": {From: "2026-07-01", To: "2026-08-31", VehicleID: w.a.ID},
			"driver":  {From: "2026-07-01", To: "2026-08-31", DriverID: w.zhang.ID},
		} {
			got, n, err := w.desk.Trips(w.ctx, w.dispatcher, q)
			want := map[string][]int64{"vehicle": {w.t5.ID, w.t3.ID}, "driver": {w.t3.ID}}[name]
			if err != nil || int(n) != len(want) || !equalIDs(tripIDs(got), want) {
				t.Fatalf("by %s = %v, %v; want %v", name, tripIDs(got), err, want)
			}
		}
		// A second page.
		page, n, _ := w.desk.Trips(w.ctx, w.dispatcher, dispatch.TripQuery{From: "2026-07-01", To: "2026-08-31", Page: fleet.Page{Limit: 3, Offset: 3}})
		if n != 4 || len(page) != 1 || page[0].TaskID != w.t2.ID {
			t.Fatalf("page 2 = %v of %d", tripIDs(page), n)
		}

		// A stricter threshold flags t4 too; the setting is the dispatch settings'.
		set := dispatch.DefaultSettings()
		set.DiscrepancyMinKm = 1
		if _, err := w.desk.PutSettings(w.ctx, w.dispatcher, set); err != nil {
			t.Fatal(err)
		}
		_, n, _ = w.desk.Trips(w.ctx, w.dispatcher, dispatch.TripQuery{From: "2026-07-01", To: "2026-08-31", Flagged: true})
		if n != 3 {
			t.Fatalf("flagged with a 1 km minimum = %d, want 3", n)
		}
		set.DiscrepancyShare = 0
		_, err = w.desk.PutSettings(w.ctx, w.dispatcher, set)
		wantErr(t, err, fleet.EInvalid, "discrepancy_share")
	})
}

// The statistics by month, day, vehicle, driver and unit: sums of the trips' figures, a merged
// trip once, the periods in the county's time, utilisation against working hours.
func TestTripStats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTripWorld(t, db)
		july := func(by string) *dispatch.Stats {
			t.Helper()
			s, err := w.desk.Stats(w.ctx, w.dispatcher, dispatch.StatsQuery{From: "2026-07-01", To: "2026-07-31", By: by})
			if err != nil {
				t.Fatalf("stats by %s: %v", by, err)
			}
			return s
		}
		s := july(dispatch.ByMonth)
		tot := s.Total
		wantKm := gps(w.t2) + gps(w.t3) + gps(w.t4)
		wantDrive := float64(*w.t2.DrivingS+*w.t3.DrivingS+*w.t4.DrivingS) / 3600
		if tot.Trips != 3 || tot.Merged != 1 || tot.Requests != 4 || !near(tot.GPSKm, wantKm, 0.01) || tot.OdometerKm != 53 ||
			!near(tot.DriveH, wantDrive, 0.01) || tot.FuelL != 0 || tot.ChargeKwh != 20 || tot.Flagged != 1 || tot.Untracked != 0 {
			t.Fatalf("July total = %+v; want 3 trips (one merged, 4 requests), %.2f GPS km, 53 odometer km, %.2f h", tot, wantKm, wantDrive)
		}
		if len(s.Rows) != 1 || s.Rows[0].Key != "2026-07" || s.Rows[0].Trips != 3 || s.Period != "2026-07-01 至 2026-07-31" {
			t.Fatalf("July by month = %+v (%s)", s.Rows, s.Period)
		}
		wantZh := "2026年7月1日至2026年7月31日，共出车3批次，安全行驶" + strconv.FormatFloat(math.Round(wantKm), 'f', -1, 64) + "公里、" +
			strconv.FormatFloat(math.Round(wantDrive*10)/10, 'f', -1, 64) + "小时。"
		if s.Summary.Zh != wantZh || s.Summary.Trips != 3 || !strings.HasPrefix(s.Summary.En, "1 Jul 2026 to 31 Jul 2026: 3 trips, ") {
			t.Fatalf("summary = %+v, want %s", s.Summary, wantZh)
		}

		// Days: t1 left at 23:50 on 30 June (county time) and is June's, though back in July;
		// t4 left at 23:30 on 31 July and is July's.
		days := july(dispatch.ByDay)
		if len(days.Rows) != 31 || days.Rows[0].Key != "2026-07-01" || days.Rows[0].Trips != 2 || days.Rows[30].Trips != 1 {
			t.Fatalf("July by day: %d rows, first %+v, last %+v", len(days.Rows), days.Rows[0], days.Rows[30])
		}
		june30, _ := w.desk.Stats(w.ctx, w.dispatcher, dispatch.StatsQuery{From: "2026-06-30", To: "2026-06-30"})
		if june30.Total.Trips != 1 || june30.Total.FuelL != 5 || !strings.HasPrefix(june30.Summary.Zh, "2026年6月30日，共出车1批次") ||
			!strings.HasPrefix(june30.Summary.En, "On 30 Jun 2026: 1 trip, ") {
			t.Fatalf("30 June = %+v, want t1 with its 5 l", june30)
		}
		utc, _ := w.desk.Stats(w.ctx, w.dispatcher, dispatch.StatsQuery{From: "2026-06-30T16:00:00Z", To: "2026-07-01T16:00:00Z"})
		if utc.Total.Trips != 2 {
			t.Fatalf("1 July as RFC 3339 times = %d trips, want t2 and t3", utc.Total.Trips)
		}
		half, err := w.desk.Stats(w.ctx, w.dispatcher, dispatch.StatsQuery{})
		if err != nil || half.Period != "2026-07-01 至 2026-12-31" || half.Total.Trips != 4 || half.Total.Untracked != 1 ||
			!strings.Contains(half.Summary.Zh, "共出车4批次") || !strings.Contains(half.Summary.Zh, "其中1批次无GPS轨迹") {
			t.Fatalf("the current half-year = %+v, %v", half, err)
		}

		// Vehicles: B made two trips, A one (merged), C none: it is listed, idle.
		veh := july(dispatch.ByVehicle)
		if len(veh.Rows) != 3 || veh.Rows[0].Name != "赣K60002" || veh.Rows[0].Trips != 2 || veh.Rows[1].Name != "赣K60001" ||
			veh.Rows[1].Trips != 1 || veh.Rows[2].Name != "赣K60003" || veh.Rows[2].Trips != 0 {
			t.Fatalf("July by vehicle = %+v", veh.Rows)
		}
		// Utilisation: t2 (09:00) and t3 (14:00) fall in working hours, t4 (23:30) does not.
		working := workingHours(2026, time.July)
		if veh.WorkingH != working {
			t.Fatalf("July's working hours = %v, want %v", veh.WorkingH, working)
		}
		outB := w.t2.ReturnedAt.Sub(*w.t2.DepartedAt).Hours()
		outA := w.t3.ReturnedAt.Sub(*w.t3.DepartedAt).Hours()
		if u := veh.Rows[0].Utilisation; u == nil || !near(*u, outB/working, 0.0001) {
			t.Fatalf("B's utilisation = %v, want %.4f", u, outB/working)
		}
		if u := veh.Rows[2].Utilisation; u == nil || *u != 0 {
			t.Fatalf("C's utilisation = %v, want 0", u)
		}
		if u := veh.Total.Utilisation; u == nil || !near(*u, (outA+outB)/(3*working), 0.0001) {
			t.Fatalf("the fleet's utilisation = %v, want %.4f", u, (outA+outB)/(3*working))
		}
		if u := days.Rows[0].Utilisation; u == nil || !near(*u, (outA+outB)/(3*10), 0.0001) {
			t.Fatalf("1 July's utilisation = %v, want %.4f", u, (outA+outB)/30)
		}
		if days.Rows[3].Utilisation != nil { // 4 July 2026 is a Saturday
			t.Fatalf("a Saturday's utilisation = %v, want none", *days.Rows[3].Utilisation)
		}

		drv := july(dispatch.ByDriver)
		if drv.Rows[0].Name != "李师傅" || drv.Rows[0].Trips != 2 || drv.Rows[1].Name != "张师傅" || drv.Rows[1].Trips != 1 {
			t.Fatalf("July by driver = %+v", drv.Rows)
		}
		// Units: the merged t3 counts once for each unit it served.
		units := july(dispatch.ByUnit)
		got := map[string]dispatch.Tally{}
		for _, r := range units.Rows {
			got[r.Name] = r
		}
		if len(units.Rows) != 2 || got["县发改委"].Trips != 2 || got["县发改委"].Requests != 2 || got["县财政局"].Trips != 2 ||
			got["县财政局"].Requests != 2 || got["县财政局"].Merged != 1 || units.Total.Trips != 3 || units.Rows[0].Utilisation != nil {
			t.Fatalf("July by unit = %+v, total %d", units.Rows, units.Total.Trips)
		}
		// One unit's statistics: its trips, its requests.
		u2, err := w.desk.Stats(w.ctx, w.dispatcher, dispatch.StatsQuery{From: "2026-07-01", To: "2026-07-31", UnitID: w.unit2})
		if err != nil || u2.Total.Trips != 2 || u2.Total.Requests != 2 || !near(u2.Total.GPSKm, gps(w.t2)+gps(w.t3), 0.01) {
			t.Fatalf("unit 2 in July = %+v, %v", u2.Total, err)
		}
	})
}

// Who may read the statistics, and what a leader sees: their own unit's trips only.
func TestTripStatsAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTripWorld(t, db)
		q := dispatch.StatsQuery{From: "2026-07-01", To: "2026-07-31"}
		for _, a := range []*auth.Actor{w.staff, w.driver, nil} {
			_, err := w.desk.Stats(w.ctx, a, q)
			if code := fleet.ErrorCode(err); code != fleet.EForbidden && code != fleet.EUnauthorized {
				t.Fatalf("stats as %+v: %v, want refused", a, err)
			}
			if _, _, err := w.desk.Trips(w.ctx, a, dispatch.TripQuery{}); err == nil {
				t.Fatalf("trips as %+v: allowed", a)
			}
		}
		if s, err := w.desk.Stats(w.ctx, w.auditor, q); err != nil || s.Total.Trips != 3 {
			t.Fatalf("auditor: %+v, %v", s, err)
		}
		s, err := w.desk.Stats(w.ctx, w.lead2, q)
		if err != nil || s.Total.Trips != 2 {
			t.Fatalf("unit 2's head sees %+v, %v; want unit 2's two trips", s, err)
		}
		trips, _, _ := w.desk.Trips(w.ctx, w.lead2, dispatch.TripQuery{From: "2026-07-01", To: "2026-07-31"})
		if !equalIDs(tripIDs(trips), []int64{w.t3.ID, w.t2.ID}) {
			t.Fatalf("unit 2's head lists %v", tripIDs(trips))
		}
		_, err = w.desk.Stats(w.ctx, w.lead2, dispatch.StatsQuery{UnitID: w.unit})
		wantErr(t, err, fleet.EForbidden, "")
	})
}

// Bad periods and groupings are refused naming the field.
func TestTripStatsBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newTripFix(t, db)
		bad := []struct {
			q     dispatch.StatsQuery
			field string
		}{
			{dispatch.StatsQuery{From: "2026-07-02", To: "2026-07-01"}, "to"},
			{dispatch.StatsQuery{From: "2026-07-01T10:00:00Z", To: "2026-07-01T10:00:00Z"}, "to"},
			{dispatch.StatsQuery{From: "2026-07-01"}, "to"},
			{dispatch.StatsQuery{To: "2026-07-01"}, "from"},
			{dispatch.StatsQuery{From: "yesterday", To: "2026-07-01"}, "from"},
			{dispatch.StatsQuery{From: "2026-02-30", To: "2026-03-01"}, "from"},
			{dispatch.StatsQuery{From: "2025-01-01", To: "2026-06-30"}, "to"},
			{dispatch.StatsQuery{By: "week"}, "by"},
		}
		for _, b := range bad {
			_, err := f.desk.Stats(f.ctx, f.dispatcher, b.q)
			wantErr(t, err, fleet.EInvalid, b.field)
			_, _, err = f.desk.StatsXLSX(f.ctx, f.dispatcher, b.q)
			wantErr(t, err, fleet.EInvalid, b.field)
		}
		// A whole leap-free year is one period.
		if _, err := f.desk.Stats(f.ctx, f.dispatcher, dispatch.StatsQuery{From: "2026-01-01", To: "2026-12-31"}); err != nil {
			t.Fatalf("a year: %v", err)
		}
	})
}

// The workbook holds the summary, a sheet per grouping with its total, and every trip.
func TestTripStatsXLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newTripWorld(t, db)
		data, name, err := w.desk.StatsXLSX(w.ctx, w.dispatcher, dispatch.StatsQuery{From: "2026-07-01", To: "2026-07-31"})
		if err != nil {
			t.Fatal(err)
		}
		if name != "出车统计_20260701-20260731.xlsx" {
			t.Fatalf("file name = %s", name)
		}
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		want := []string{"汇总", "按月", "按日", "按车辆", "按驾驶员", "按用车单位", "出车明细"}
		if got := x.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("sheets = %v, want %v", got, want)
		}
		summary, _ := x.GetCellValue("汇总", "B5")
		if !strings.Contains(summary, "共出车3批次") {
			t.Fatalf("summary cell = %q", summary)
		}
		rows, _ := x.GetRows("按车辆", excelize.Options{RawCellValue: true})
		last := rows[len(rows)-1]
		if last[0] != "合计" || last[1] != "3" || last[5] != "53" {
			t.Fatalf("vehicle sheet's total row = %v, want 合计 3 trips, 53 odometer km", last)
		}
		if rows[2][0] != "赣K60002" || rows[2][1] != "2" {
			t.Fatalf("vehicle sheet's first row = %v", rows[2])
		}
		trips, _ := x.GetRows("出车明细")
		if len(trips) != 4 || trips[1][3] != "赣K60002" || trips[1][17] != "是" || trips[2][7] != "是" {
			t.Fatalf("trip sheet = %v", trips)
		}
	})
}

// workingHours counts the weekday hours (8:00–18:00) of a month: the test database has no
// holidays.
func workingHours(year int, month time.Month) float64 {
	n := 0
	for d := time.Date(year, month, 1, 0, 0, 0, 0, county); d.Month() == month; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			n++
		}
	}
	return float64(n * 10)
}

func tripIDs(ts []dispatch.Trip) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.TaskID
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
