package dispatch_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// bj is a Beijing wall-clock time on 2026-05-04 plus days, as RFC 3339.
func bjAt(days, hour int) string {
	return time.Date(2026, 5, 4+days, hour, 0, 0, 0, time.FixedZone("CST", 8*3600)).Format(time.RFC3339)
}

func bjTimeAt(days, hour int) time.Time {
	t, _ := time.Parse(time.RFC3339, bjAt(days, hour))
	return t
}

func rosterDrivers(t *testing.T, s *dispatch.Service, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		d, err := s.CreateDriver(context.Background(), auth.System, dispatch.DriverInput{Name: fmt.Sprintf("驾驶员%d", i+1),
			Phone: fmt.Sprintf("1387950%04d", 2001+i), LicenseClass: "C1"})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = d.ID
	}
	return ids
}

func TestRosterShifts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		ids := rosterDrivers(t, s, 3)
		disp := &auth.Actor{Role: auth.RoleDispatcher}

		day, err := s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[0], Start: bjAt(0, 8), End: bjAt(0, 17), Kind: "shift"})
		if err != nil {
			t.Fatal(err)
		}
		if day.DriverName != "驾驶员1" || !day.Start.Equal(bjTimeAt(0, 8)) || day.Start.Location() != time.UTC {
			t.Fatalf("shift = %+v", day)
		}
		// Back to back is fine; any overlap is a conflict, whatever the kind.
		if _, err := s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[0], Start: bjAt(0, 17), End: bjAt(1, 8), Kind: "standby"}); err != nil {
			t.Fatalf("back-to-back standby: %v", err)
		}
		_, err = s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[0], Start: bjAt(0, 12), End: bjAt(0, 20), Kind: "standby"})
		wantRecErr(t, err, fleet.EConflict, "start")
		// Another driver may work the same hours.
		if _, err := s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[1], Start: bjAt(0, 8), End: bjAt(0, 17)}); err != nil {
			t.Fatal(err)
		}
		_, err = s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: 99999, Start: bjAt(0, 8), End: bjAt(0, 17)})
		wantRecErr(t, err, fleet.EInvalid, "driver_id")
		_, err = s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[2], Start: bjAt(0, 17), End: bjAt(0, 8)})
		wantRecErr(t, err, fleet.EInvalid, "end")
		_, err = s.CreateShift(ctx, &auth.Actor{Role: auth.RoleDriver}, dispatch.ShiftInput{DriverID: ids[2], Start: bjAt(0, 8), End: bjAt(0, 17)})
		wantRecErr(t, err, fleet.EForbidden, "")

		// On duty: covered for the whole span, across back-to-back entries.
		for _, tt := range []struct {
			name     string
			driver   int64
			from, to time.Time
			want     bool
		}{
			{"inside the day shift", ids[0], bjTimeAt(0, 9), bjTimeAt(0, 12), true},
			{"day shift into the night's standby", ids[0], bjTimeAt(0, 15), bjTimeAt(0, 22), true},
			{"past the standby", ids[0], bjTimeAt(0, 15), bjTimeAt(1, 9), false},
			{"second driver after hours", ids[1], bjTimeAt(0, 15), bjTimeAt(0, 18), false},
			{"no roster", ids[2], bjTimeAt(0, 9), bjTimeAt(0, 10), false},
		} {
			got, err := s.OnDuty(ctx, nil, tt.driver, tt.from, tt.to)
			if err != nil || got != tt.want {
				t.Errorf("OnDuty %s = %v, %v; want %v", tt.name, got, err, tt.want)
			}
		}
		duty, err := s.DutyDrivers(ctx, bjTimeAt(0, 9), bjTimeAt(0, 12))
		if err != nil || len(duty) != 2 || !duty[ids[0]] || !duty[ids[1]] {
			t.Fatalf("DutyDrivers = %v, %v; want drivers 1 and 2", duty, err)
		}
		// A driver on leave is not on duty, roster or not.
		d2, _ := s.GetDriver(ctx, auth.System, ids[1])
		if _, err := s.UpdateDriver(ctx, auth.System, ids[1], dispatch.DriverInput{Name: d2.Name, Phone: d2.Phone, LicenseClass: "C1", Status: "leave"}); err != nil {
			t.Fatal(err)
		}
		if duty, _ := s.DutyDrivers(ctx, bjTimeAt(0, 9), bjTimeAt(0, 12)); duty[ids[1]] {
			t.Fatal("a driver on leave is on duty")
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			ok, err := s.OnDuty(ctx, tx, ids[0], bjTimeAt(0, 9), bjTimeAt(0, 10))
			if !ok {
				return fmt.Errorf("OnDuty in a transaction = false, %v", err)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		// Listing: by window and driver, by start.
		list, total, err := s.ListShifts(ctx, &auth.Actor{Role: auth.RoleAuditor}, dispatch.ShiftFilter{From: "2026-05-04", To: "2026-05-05"})
		if err != nil || total != 3 || list[0].Start.After(list[2].Start) {
			t.Fatalf("list = %+v %d %v", list, total, err)
		}
		list, _, _ = s.ListShifts(ctx, disp, dispatch.ShiftFilter{From: bjAt(0, 18), To: bjAt(1, 0), DriverID: ids[0]})
		if len(list) != 1 || list[0].Kind != "standby" {
			t.Fatalf("list of driver 1 in the evening = %+v", list)
		}
		_, _, err = s.ListShifts(ctx, disp, dispatch.ShiftFilter{From: "2026-05-04", To: "2026-09-04"})
		wantRecErr(t, err, fleet.EInvalid, "to")
		_, _, err = s.ListShifts(ctx, disp, dispatch.ShiftFilter{From: "soon"})
		wantRecErr(t, err, fleet.EInvalid, "from")

		if err := s.DeleteShift(ctx, disp, day.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteShift(ctx, disp, day.ID); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("delete twice = %v, want not_found", err)
		}
		if ok, _ := s.OnDuty(ctx, nil, ids[0], bjTimeAt(0, 9), bjTimeAt(0, 12)); ok {
			t.Fatal("on duty after the shift was deleted")
		}
	})
}

func TestRotationIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		ids := rosterDrivers(t, s, 3)
		disp := &auth.Actor{Role: auth.RoleDispatcher}
		// Driver 3 already has a day shift on the third day, which the rotation would overlap.
		if _, err := s.CreateShift(ctx, disp, dispatch.ShiftInput{DriverID: ids[2], Start: bjAt(2, 8), End: bjAt(2, 17)}); err != nil {
			t.Fatal(err)
		}
		_, err := s.CreateRotation(ctx, disp, dispatch.RotationInput{DriverIDs: ids, From: "2026-05-04", Days: 6})
		wantRecErr(t, err, fleet.EConflict, "start")
		if list, _, _ := s.ListShifts(ctx, disp, dispatch.ShiftFilter{From: "2026-05-01", To: "2026-05-20"}); len(list) != 1 {
			t.Fatalf("after a refused rotation the roster has %d entries, want 1", len(list))
		}
		_, err = s.CreateRotation(ctx, disp, dispatch.RotationInput{DriverIDs: []int64{ids[0], 99999}, From: "2026-05-04", Days: 2})
		wantRecErr(t, err, fleet.EInvalid, "driver_ids")

		// Rotating the other way round, driver 3 takes days 2 and 5 and misses the shift.
		hour := 8
		out, err := s.CreateRotation(ctx, disp, dispatch.RotationInput{DriverIDs: []int64{ids[1], ids[2], ids[0]}, From: "2026-05-04", Days: 6, StartHour: &hour})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 6 {
			t.Fatalf("rotation = %d standbys, want 6", len(out))
		}
		for i, sh := range out {
			want := []int64{ids[1], ids[2], ids[0]}[i%3]
			if sh.DriverID != want || sh.Kind != "standby" || !sh.Start.Equal(bjTimeAt(i, 8)) || sh.End.Sub(sh.Start) != 24*time.Hour || sh.ID == 0 {
				t.Errorf("standby %d = %+v, want driver %d from %s for 24 h", i, sh, want, bjAt(i, 8))
			}
		}
		// The roster hands over at 08:00 every day: someone is on standby all week.
		for h := 0; h < 6*24; h += 5 {
			from := bjTimeAt(0, 8).Add(time.Duration(h) * time.Hour)
			duty, err := s.DutyDrivers(ctx, from, from.Add(time.Hour))
			if err != nil || len(duty) == 0 {
				t.Fatalf("nobody on duty at %s: %v", from, err)
			}
		}
	})
}

// Two dispatchers rostering one driver for overlapping hours at once: exactly one wins.
func TestConcurrentShiftsOfOneDriver(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		ids := rosterDrivers(t, s, 1)
		const n = 12
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				_, errs[i] = s.CreateShift(ctx, auth.System, dispatch.ShiftInput{DriverID: ids[0], Start: bjAt(0, 8+i%3), End: bjAt(0, 18)})
			}(i)
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch fleet.ErrorCode(err) {
			case "":
				won++
			case fleet.EConflict:
			default:
				t.Errorf("concurrent shift: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d of %d overlapping shifts were stored, want 1", won, n)
		}
	})
}
