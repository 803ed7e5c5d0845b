package demo_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// services returns the services Seed works through, with cheap password hashing.
func services(db *store.DB) (*auth.Service, *dispatch.Service) {
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	return a, dispatch.NewService(db, a)
}

var seedDay = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

func seed(t *testing.T, db *store.DB, a *auth.Service, f *dispatch.Service, password string) *demo.Result {
	t.Helper()
	res, err := demo.Seed(context.Background(), db, a, f, demo.Options{Password: password, Now: func() time.Time { return seedDay }})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	return res
}

func TestSeedCreatesTheCounty(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, f := services(db)
		res := seed(t, db, a, f, "")
		if !res.Created {
			t.Fatal("first seed: Created = false, want true")
		}

		units, err := a.ListUnits(ctx, auth.System)
		if err != nil {
			t.Fatal(err)
		}
		if len(units) < 24 || len(units) > 30 || res.New.Units != len(units) {
			t.Errorf("units = %d (created %d), want about 25", len(units), res.New.Units)
		}
		roots := 0
		for _, u := range units {
			if u.ParentID == nil {
				roots++
			}
		}
		if roots != 2 {
			t.Errorf("root units = %d, want 2 (县委, 县政府)", roots)
		}

		vs, total, err := f.ListVehicles(ctx, auth.System, dispatch.VehicleFilter{Page: fleet.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		if total != 40 || res.New.Vehicles != 40 {
			t.Fatalf("vehicles = %d (created %d), want 40", total, res.New.Vehicles)
		}
		classes, pooled, kept, phones := map[string]int{}, 0, 0, map[string]bool{}
		for _, v := range vs {
			classes[v.Class]++
			if v.Pooled {
				pooled++
			} else {
				kept++
				if v.UnitID == nil {
					t.Errorf("kept vehicle %s has no unit", v.Plate)
				}
			}
			phones[v.TerminalPhone] = true
			if len(v.TerminalPhone) != 11 {
				t.Errorf("vehicle %s terminal phone %q, want 11 digits", v.Plate, v.TerminalPhone)
			}
		}
		for _, c := range dispatch.Classes {
			if classes[c] == 0 {
				t.Errorf("no vehicle of class %s", c)
			}
		}
		if classes[dispatch.ClassGeneral] < 20 {
			t.Errorf("general vehicles = %d, want most of them", classes[dispatch.ClassGeneral])
		}
		if kept < 6 || kept > 10 || pooled != 40-kept {
			t.Errorf("kept = %d, pooled = %d; want about 8 kept, the rest pooled", kept, pooled)
		}
		if len(phones) != 40 {
			t.Errorf("distinct terminal phones = %d, want 40", len(phones))
		}

		ds, total, err := f.ListDrivers(ctx, auth.System, dispatch.DriverFilter{Page: fleet.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		if total != 45 || res.New.Drivers != 45 {
			t.Fatalf("drivers = %d (created %d), want 45", total, res.New.Drivers)
		}
		driverUser, err := a.FindUserID(ctx, "demo_driver")
		if err != nil {
			t.Fatal(err)
		}
		linked, soon := 0, 0
		for _, d := range ds {
			if d.LicenseExpiry == nil || !d.LicenseExpiry.After(seedDay) {
				t.Errorf("driver %s licence expiry %v, want a future date", d.Name, d.LicenseExpiry)
				continue
			}
			if d.LicenseExpiry.Before(seedDay.AddDate(0, 0, 60)) {
				soon++
			}
			if d.UserID != nil && *d.UserID == driverUser {
				linked++
			}
		}
		if soon < 2 {
			t.Errorf("licences expiring within 60 days = %d, want at least 2", soon)
		}
		if linked != 1 {
			t.Errorf("drivers linked to demo_driver = %d, want 1", linked)
		}

		users, total, err := a.ListUsers(ctx, auth.System, auth.UserFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != int64(len(auth.Roles)) || len(res.Logins) != len(auth.Roles) {
			t.Fatalf("users = %d, logins = %d, want %d", total, len(res.Logins), len(auth.Roles))
		}
		roles := map[string]bool{}
		for _, u := range users {
			roles[u.Role] = true
		}
		for i, r := range auth.Roles {
			if !roles[r] {
				t.Errorf("no demo user with role %s", r)
			}
			if l := res.Logins[i]; l.Role != r || l.Password != demo.DefaultPassword || l.Unit == "" || l.Existed {
				t.Errorf("login %d = %+v, want role %s with the default password", i, l, r)
			}
		}
	})
}

func TestSeedTwiceCreatesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, f := services(db)
		first := seed(t, db, a, f, "")
		before := counts(t, db)
		// A second run, even with another password, creates nothing and changes no password.
		second := seed(t, db, a, f, "another-password")
		if second.Created || second.New != (demo.Counts{}) {
			t.Fatalf("second seed created %+v, want nothing", second.New)
		}
		if after := counts(t, db); after != before {
			t.Fatalf("rows after second seed = %v, want %v", after, before)
		}
		for i := range first.Logins {
			want := first.Logins[i]
			want.Existed = true
			got := second.Logins[i]
			got.Password = want.Password
			if !reflect.DeepEqual(got, want) {
				t.Errorf("login %d = %+v, want %+v", i, got, want)
			}
		}
		if _, err := a.Login(context.Background(), auth.LoginInput{Username: "demo_admin", Password: demo.DefaultPassword}); err != nil {
			t.Fatalf("the first password no longer works: %v", err)
		}
	})
}

func TestDemoLoginWorks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, f := services(db)
		res := seed(t, db, a, f, "my-own-demo-pw")
		for _, l := range res.Logins {
			if l.Password != "my-own-demo-pw" {
				t.Fatalf("login %s password = %q, want the one given", l.Username, l.Password)
			}
		}
		login, err := a.Login(ctx, auth.LoginInput{Username: "demo_dispatcher", Password: "my-own-demo-pw"})
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		if login.User.Role != auth.RoleDispatcher || login.User.UnitName != "公务用车管理股" {
			t.Fatalf("user = %+v, want a dispatcher of 公务用车管理股", login.User)
		}
		if _, err := a.Login(ctx, auth.LoginInput{Username: "demo_driver", Password: demo.DefaultPassword}); fleet.ErrorCode(err) != fleet.EUnauthorized {
			t.Fatalf("login with the default password = %v, want unauthorized", err)
		}
	})
}

// rowCounts is how many rows each seeded table holds.
type rowCounts struct{ units, users, vehicles, drivers, audit int64 }

func counts(t *testing.T, db *store.DB) rowCounts {
	t.Helper()
	var c rowCounts
	for _, x := range []struct {
		table string
		n     *int64
	}{{"units", &c.units}, {"users", &c.users}, {"vehicles", &c.vehicles}, {"drivers", &c.drivers}, {"audit_log", &c.audit}} {
		if err := db.Table(x.table).Count(x.n).Error; err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func TestSeedSkipsWhatClashes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a, f := services(db)
		// A real vehicle already holds the first demo vehicle's terminal phone.
		if _, err := f.CreateVehicle(ctx, auth.System, dispatch.VehicleInput{
			Plate: "赣K99999", Class: dispatch.ClassGeneral, Seats: 5, Energy: "gasoline", TerminalPhone: "13907950001",
		}); err != nil {
			t.Fatal(err)
		}
		res := seed(t, db, a, f, "")
		if res.New.Vehicles != 39 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "赣KJ0001") {
			t.Fatalf("seed created %d vehicles, skipped %q; want 39 and 赣KJ0001 named", res.New.Vehicles, res.Skipped)
		}
		again := seed(t, db, a, f, "")
		if again.Created || len(again.Skipped) != 1 {
			t.Fatalf("second seed: created %+v, skipped %q; want nothing new and the same skip", again.New, again.Skipped)
		}
	})
}
