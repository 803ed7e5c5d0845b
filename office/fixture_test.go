package office_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/office"
	"fleet/store"
	"fleet/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fx is the office service on a fresh database with a small county: 县财政局 (a leader, a
// section chief, two clerks, a county deputy and someone without a rank), 县教育局 (a leader and
// a clerk), and at the center 县机关事务服务中心 two office managers, an admin and an auditor.
type fx struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	auth  *auth.Service
	ap    *approval.Service
	svc   *office.Service
	clock *clock
	units map[string]int64
	as    map[string]*auth.Actor // by username
}

const (
	finance   = "县财政局"
	education = "县教育局"
	center    = "县机关事务服务中心"
)

func newFx(t *testing.T, db *store.DB) *fx {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	if _, err := a.EnsureAdmin(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)} // 10:00 in the county
	ap, err := approval.NewService(db, a, nil, approval.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	svc, err := office.NewService(db, ap, a, office.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := office.EnsureDefaults(ctx, ap, a); err != nil { // a second start changes nothing
		t.Fatal(err)
	}
	f := &fx{t: t, ctx: ctx, db: db, auth: a, ap: ap, svc: svc, clock: clk, units: map[string]int64{}, as: map[string]*auth.Actor{}}
	for _, name := range []string{finance, education, center} {
		u, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.units[name] = u.ID
	}
	for _, u := range []struct{ username, name, role, unit, rank string }{
		{"fin_leader", "王局长", auth.RoleLeader, finance, office.RankCountyDeputy},
		{"chief", "张科长", auth.RoleStaff, finance, office.RankSectionChief},
		{"clerk1", "李一", auth.RoleStaff, finance, office.RankClerk},
		{"clerk2", "李二", auth.RoleStaff, finance, office.RankClerk},
		{"deputy", "赵副县长", auth.RoleStaff, finance, office.RankCountyDeputy},
		{"norank", "钱某", auth.RoleStaff, finance, ""},
		{"edu_leader", "孙局长", auth.RoleLeader, education, office.RankCountyDeputy},
		{"edu_clerk", "周一", auth.RoleStaff, education, office.RankClerk},
		{"manager", "吴主任", auth.RoleOfficeManager, center, office.RankSectionChief},
		{"manager2", "郑副主任", auth.RoleOfficeManager, center, office.RankSectionDeputy},
		{"auditor", "审计员", auth.RoleAuditor, center, ""},
	} {
		in := auth.UserInput{Username: u.username, Password: "correct-horse", Name: u.name, Role: u.role, UnitID: f.units[u.unit]}
		if u.rank != "" {
			r := u.rank
			in.Rank = &r
		}
		user, err := a.CreateUser(ctx, auth.System, in)
		if err != nil {
			t.Fatalf("user %s: %v", u.username, err)
		}
		f.as[u.username] = &auth.Actor{UserID: user.ID, Username: user.Username, Name: user.Name, Role: user.Role, UnitID: user.UnitID}
	}
	adminID, err := a.FindUserID(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	f.as["admin"] = &auth.Actor{UserID: adminID, Username: "admin", Name: "系统管理员", Role: auth.RoleAdmin, UnitID: 1}
	return f
}

func (f *fx) manager() *auth.Actor { return f.as["manager"] }

func (f *fx) id(username string) int64 { return f.as[username].UserID }

func (f *fx) building(name string, usable float64, floors int) *office.Building {
	f.t.Helper()
	b, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: name, Address: "城关镇人民路1号", Floors: floors,
		TotalAreaM2: usable * 1.5, UsableAreaM2: usable, Ownership: "owned"})
	if err != nil {
		f.t.Fatalf("building %s: %v", name, err)
	}
	return b
}

func (f *fx) room(b int64, floor int, number string, area float64, use string) *office.Room {
	f.t.Helper()
	r, err := f.svc.CreateRoom(f.ctx, f.manager(), office.RoomInput{BuildingID: b, Floor: floor, Number: number, AreaM2: area, Use: use})
	if err != nil {
		f.t.Fatalf("room %s: %v", number, err)
	}
	return r
}

func (f *fx) seat(room int64, username string) *office.Assignment {
	f.t.Helper()
	as, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: room, UserID: f.id(username)})
	if err != nil {
		f.t.Fatalf("seat %s in room %d: %v", username, room, err)
	}
	return as
}

func (f *fx) give(room int64, unit string) *office.Assignment {
	f.t.Helper()
	as, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: room, UnitID: f.units[unit]})
	if err != nil {
		f.t.Fatalf("give room %d to %s: %v", room, unit, err)
	}
	return as
}

// counts is how many rows the ledger's tables hold, to show that a refused change changed nothing.
func (f *fx) counts() map[string]int64 {
	out := map[string]int64{}
	for _, tbl := range []string{"office_buildings", "office_rooms", "office_assignments", "office_changes", "office_reallocations",
		"office_clearances", "office_standards"} {
		var n int64
		if err := f.db.Table(tbl).Count(&n).Error; err != nil {
			f.t.Fatal(err)
		}
		out[tbl] = n
	}
	var ended int64
	f.db.Table("office_assignments").Where("end_at IS NOT NULL").Count(&ended)
	out["ended"] = ended
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fleet.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func fieldOf(err error, field string) string {
	var fe *fleet.Error
	if errors.As(err, &fe) {
		return fe.Fields[field]
	}
	return ""
}

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFx(t, db)) })
}

// authInput is the update of a user that changes only the rank.
func authInput(f *fx, username string, rank *string) auth.UserInput {
	a := f.as[username]
	return auth.UserInput{Name: a.Name, Role: a.Role, UnitID: a.UnitID, Rank: rank}
}
