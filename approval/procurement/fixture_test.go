package procurement_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
)

// clock is a settable time for the services.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// fixture is a migrated database with two units (each with a staff member and a head), the
// approver groups filled, an auditor, and the services.
type fixture struct {
	t       *testing.T
	db      *store.DB
	auth    *auth.Service
	fleet   *dispatch.Service
	ap      *approval.Service
	svc     *procurement.Service
	clock   *clock
	dataDir string
	actors  map[string]*auth.Actor // staffA, leaderA, staffB, leaderB, fleet, board, county, auditor, admin
	byID    map[int64]*auth.Actor
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: db, clock: &clock{t: time.Date(2026, 3, 15, 10, 0, 0, 0, shanghai)},
		actors: map[string]*auth.Actor{}, byID: map[int64]*auth.Actor{}, dataDir: t.TempDir()}
	f.auth = auth.NewService(db, auth.Options{BcryptCost: 4})
	f.fleet = dispatch.NewService(db, f.auth)
	if _, err := f.auth.EnsureAdmin(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	var err error
	if f.ap, err = approval.NewService(db, f.auth, nil, approval.Options{Now: f.clock.Now}); err != nil {
		t.Fatal(err)
	}
	if err := f.ap.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	f.svc, err = procurement.NewService(db, f.ap, f.auth, procurement.Options{DataDir: f.dataDir, Location: shanghai, Now: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	unit := func(name string) int64 {
		u, err := f.auth.CreateUnit(ctx, auth.System, auth.UnitInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	a, b, center := unit("县财政局"), unit("县教育局"), unit("县机关事务服务中心")
	for _, u := range []struct {
		key, role string
		unit      int64
	}{
		{"staffA", auth.RoleStaff, a}, {"leaderA", auth.RoleLeader, a}, {"staffB", auth.RoleStaff, b}, {"leaderB", auth.RoleLeader, b},
		{"fleet", auth.RoleDispatcher, center}, {"board", auth.RoleLeader, center}, {"county", auth.RoleLeader, center},
		{"auditor", auth.RoleAuditor, center},
	} {
		user, err := f.auth.CreateUser(ctx, auth.System, auth.UserInput{Username: u.key, Password: "long-enough-1", Name: u.key, Role: u.role, UnitID: u.unit})
		if err != nil {
			t.Fatal(err)
		}
		f.add(u.key, user)
	}
	adminID, err := f.auth.FindUserID(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	admin, err := f.auth.GetUser(ctx, auth.System, adminID)
	if err != nil {
		t.Fatal(err)
	}
	f.add("admin", admin)
	for group, who := range map[string]string{approval.GroupFleetSection: "fleet", approval.GroupVehicleBoard: "board", approval.GroupCountyLeaders: "county"} {
		if err := f.ap.AddGroupMembers(ctx, auth.System, group, f.actors[who].UserID); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) add(key string, u *auth.User) {
	a := &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
	f.actors[key], f.byID[u.ID] = a, a
}

func (f *fixture) as(key string) *auth.Actor { return f.actors[key] }

// create files a request or fails the test.
func (f *fixture) create(who string, in procurement.Input) *procurement.Procurement {
	f.t.Helper()
	p, err := f.svc.Create(context.Background(), f.as(who), in)
	if err != nil {
		f.t.Fatalf("create: %v", err)
	}
	return p
}

// decideAll lets every current approver of the request's instance take action until it ends.
func (f *fixture) decideAll(p *procurement.Procurement, action string) {
	f.t.Helper()
	ctx := context.Background()
	for range 10 {
		inst, err := f.ap.Get(ctx, auth.System, p.ApprovalID)
		if err != nil {
			f.t.Fatal(err)
		}
		if inst.Status != approval.StatusPending {
			return
		}
		for _, ap := range inst.Step.Approvers {
			if ap.Decision != "" {
				continue
			}
			if _, err := f.ap.Act(ctx, f.byID[ap.ID], p.ApprovalID, approval.ActionInput{Action: action}); err != nil {
				f.t.Fatalf("%s by %s: %v", action, ap.Name, err)
			}
			break
		}
	}
	f.t.Fatal("the instance did not finish in 10 decisions")
}

func (f *fixture) get(who string, id int64) *procurement.Procurement {
	f.t.Helper()
	p, err := f.svc.Get(context.Background(), f.as(who), id)
	if err != nil {
		f.t.Fatalf("get %d as %s: %v", id, who, err)
	}
	return p
}

func (f *fixture) count(table string) int64 {
	var n int64
	f.db.Table(table).Count(&n)
	return n
}

func code(err error) string { return fleet.ErrorCode(err) }

func field(err error, name string) string {
	var fe *fleet.Error
	if errors.As(err, &fe) {
		return fe.Fields[name]
	}
	return ""
}

func ptr[T any](v T) *T { return &v }

// Inputs.

func goods(title string, qty, price float64) procurement.Input {
	return procurement.Input{Kind: procurement.KindGoods, Title: title, Reason: "工作需要",
		Items: []procurement.ItemInput{{Name: title, Quantity: qty, UnitPrice: price}}}
}

// electric is a compliant addition: a domestic electric sedan of 165,000 yuan.
func electric() procurement.Input {
	return procurement.Input{Kind: procurement.KindVehicleAddition, Title: "新增纯电动轿车", Reason: "保障应急公务",
		Items:   []procurement.ItemInput{{Name: "纯电动轿车", Quantity: 1, UnitPrice: 165_000}},
		Vehicle: &procurement.VehicleInput{Class: dispatch.ClassGeneral, Price: 165_000, Energy: dispatch.EnergyElectric}}
}

// petrol is an addition of a petrol car at price; it needs a justification whenever a rule fails.
func petrol(class string, price, litres float64) procurement.Input {
	return procurement.Input{Kind: procurement.KindVehicleAddition, Title: "新增燃油车", Reason: "山区道路", Justification: "山区无充电设施",
		Items:   []procurement.ItemInput{{Name: "燃油轿车", Quantity: 1, UnitPrice: price}},
		Vehicle: &procurement.VehicleInput{Class: class, Price: price, Energy: dispatch.EnergyGasoline, DisplacementL: &litres}}
}

func failing(checks []procurement.Check) []string {
	var out []string
	for _, c := range checks {
		if !c.OK {
			out = append(out, c.Rule)
		}
	}
	return out
}
