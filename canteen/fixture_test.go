package canteen_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/canteen"
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

// set moves the clock to a county time "2006-01-02 15:04".
func (c *clock) set(county string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", county, shanghai)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fx is the canteen on a fresh database: 县财政局 (two staff, a leader), 县教育局 (a staff
// member), and at the center the canteen manager, an admin and an auditor. The clock stands at
// Monday 2 March 2026, 10:00 in the county.
type fx struct {
	t     *testing.T
	ctx   context.Context
	db    *store.DB
	svc   *canteen.Service
	clock *clock
	units map[string]int64
	as    map[string]*auth.Actor
	dir   string
}

func newFx(t *testing.T, db *store.DB) *fx {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	clk := &clock{}
	clk.set("2026-03-02 10:00")
	dir := t.TempDir()
	svc, err := canteen.NewService(db, a, canteen.Options{Now: clk.Now, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	f := &fx{t: t, ctx: ctx, db: db, svc: svc, clock: clk, units: map[string]int64{}, as: map[string]*auth.Actor{}, dir: dir}
	for _, name := range []string{"县财政局", "县教育局", "县机关事务服务中心"} {
		u, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.units[name] = u.ID
	}
	for _, u := range []struct{ username, name, role, unit string }{
		{"li", "李娜", auth.RoleStaff, "县财政局"},
		{"wang", "王磊", auth.RoleStaff, "县财政局"},
		{"boss", "赵局长", auth.RoleLeader, "县财政局"},
		{"zhou", "周一", auth.RoleStaff, "县教育局"},
		{"chef", "孙强", auth.RoleCanteen, "县机关事务服务中心"},
		{"admin2", "周敏", auth.RoleAdmin, "县机关事务服务中心"},
		{"audit", "郑洁", auth.RoleAuditor, "县机关事务服务中心"},
	} {
		user, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: u.username, Password: "correct-horse", Name: u.name, Role: u.role, UnitID: f.units[u.unit]})
		if err != nil {
			t.Fatalf("user %s: %v", u.username, err)
		}
		f.as[u.username] = &auth.Actor{UserID: user.ID, Username: user.Username, Name: user.Name, Role: user.Role, UnitID: user.UnitID}
	}
	return f
}

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFx(t, db)) })
}

func (f *fx) chef() *auth.Actor { return f.as["chef"] }

// dish adds a dish of a category at a price.
func (f *fx) dish(name, category string, price float64, allergens ...string) *canteen.Dish {
	f.t.Helper()
	d, err := f.svc.CreateDish(f.ctx, f.chef(), canteen.DishInput{Name: name, Category: category, Price: &price, Allergens: allergens})
	if err != nil {
		f.t.Fatalf("dish %s: %v", name, err)
	}
	return d
}

// meal plans a meal of a day with the settings' cut-off and the dishes.
func (f *fx) meal(day, kind string, dishes ...*canteen.Dish) *canteen.Meal {
	f.t.Helper()
	ids := make([]int64, len(dishes))
	for i, d := range dishes {
		ids[i] = d.ID
	}
	m, err := f.svc.CreateMeal(f.ctx, f.chef(), canteen.MealInput{Date: day, Kind: kind, DishIDs: ids})
	if err != nil {
		f.t.Fatalf("meal %s %s: %v", day, kind, err)
	}
	return m
}

func (f *fx) book(user string, meal int64, point string) *canteen.Reservation {
	f.t.Helper()
	r, err := f.svc.Book(f.ctx, f.as[user], canteen.BookInput{MealID: meal, Point: point})
	if err != nil {
		f.t.Fatalf("%s books meal %d: %v", user, meal, err)
	}
	return r
}

func (f *fx) counts(meal int64) canteen.Counts {
	f.t.Helper()
	c, err := f.svc.Counts(f.ctx, f.as["li"], meal)
	if err != nil {
		f.t.Fatal(err)
	}
	return *c
}

// rows is how many rows the canteen's tables hold, to show that a refused change changed nothing.
func (f *fx) rows() map[string]int64 {
	out := map[string]int64{}
	for _, tbl := range []string{"canteen_dishes", "canteen_weeks", "canteen_meals", "canteen_meal_dishes", "canteen_menu_changes",
		"canteen_votes", "canteen_comments", "canteen_ratings", "canteen_reservations", "canteen_waste", "canteen_evaluations",
		"canteen_samples", "canteen_suppliers", "canteen_purchases", "canteen_hygiene_checks"} {
		var n int64
		if err := f.db.Table(tbl).Count(&n).Error; err != nil {
			f.t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

// unchanged fails when the tables' row counts differ from before.
func (f *fx) unchanged(before map[string]int64, what string) {
	f.t.Helper()
	after := f.rows()
	for k, v := range before {
		if after[k] != v {
			f.t.Errorf("%s: %s went from %d to %d rows, want nothing changed", what, k, v, after[k])
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fleet.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

// wantField fails unless err is a 400 naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, fleet.EInvalid)
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Fields[field] == "" {
		t.Fatalf("error = %v, want the field %s named", err, field)
	}
}

func num(v float64) *float64 { return &v }
func intp(v int) *int        { return &v }
func boolp(v bool) *bool     { return &v }
