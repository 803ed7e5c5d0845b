package demo_test

import (
	"context"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

func TestSeedFleetRecordsAndRoster(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, f := services(db)
		res := seed(t, db, a, f, "")
		if res.New.Records < 80 || res.New.Shifts < 150 {
			t.Fatalf("seed created %d records and %d roster entries, want every vehicle's and a week's", res.New.Records, res.New.Shifts)
		}

		vs, _, err := f.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{Page: fleet.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		parking := map[string]bool{"县机关事务管理中心车库": true, "县委大院停车场": true, "县政府大院停车场": true, "县公安局停车场": true, "县人民医院应急车辆停车点": true}
		for _, v := range vs {
			if !parking[v.ParkingName] || v.ParkingLat == nil || v.ParkingLng == nil {
				t.Errorf("vehicle %s parks at %q (%v, %v), want a demo parking fence", v.Plate, v.ParkingName, v.ParkingLat, v.ParkingLng)
			}
			if v.InsuranceExpiry == nil || v.InspectionDue == nil {
				t.Errorf("vehicle %s has no insurance or inspection date", v.Plate)
			}
			if dispatch.NewEnergy(v.Energy) && v.RangeKm == nil {
				t.Errorf("new-energy vehicle %s has no range", v.Plate)
			}
		}

		items, _, err := f.Reminders(ctx, auth.System, 30)
		if err != nil {
			t.Fatal(err)
		}
		overdue, due := 0, map[string]int{}
		for _, it := range items {
			if it.Overdue {
				overdue++
			}
			due[it.Kind]++
		}
		if overdue != 1 || due["insurance"] < 3 || due["inspection"] < 1 {
			t.Errorf("reminders within 30 days = %+v; want one overdue, several insurances and an inspection", due)
		}

		// The week is covered: a standby round the clock, day shifts in office hours.
		cn := time.FixedZone("CST", 8*3600)
		for d := 0; d < 6; d++ {
			for _, h := range []int{3, 10, 20} {
				day := seedDay.In(cn)
				at := time.Date(day.Year(), day.Month(), day.Day()+d, h, 0, 0, 0, cn)
				if d == 0 && h == 3 {
					continue // before the first standby starts
				}
				duty, err := f.DutyDrivers(ctx, at, at.Add(time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				if len(duty) == 0 || (h == 10 && len(duty) < 15) {
					t.Errorf("drivers on duty at %s = %d", at.Format("01-02 15:04"), len(duty))
				}
			}
		}
		driverUser, _ := a.FindUserID(ctx, "demo_driver")
		mine, _, err := f.MyShifts(ctx, &auth.Actor{UserID: driverUser, Role: auth.RoleDriver}, dispatch.ShiftFilter{
			From: seedDay.Format(time.RFC3339), To: seedDay.AddDate(0, 0, 7).Format(time.RFC3339)})
		if err != nil || len(mine) < 4 {
			t.Errorf("demo driver's shifts = %d, %v; want a working week", len(mine), err)
		}

		// The next day's start adds that day's entries only.
		next, err := demo.Seed(ctx, db, a, f, demo.Options{Now: func() time.Time { return seedDay.AddDate(0, 0, 1) }})
		if err != nil {
			t.Fatal(err)
		}
		if next.New.Records != 0 || next.New.Shifts == 0 || next.New.Shifts > 40 {
			t.Errorf("seed a day later created %d records and %d roster entries, want none and one day's", next.New.Records, next.New.Shifts)
		}
	})
}
