package demo_test

import (
	"context"
	"testing"
	"time"

	"fleet/auth"
	"fleet/canteen"
	"fleet/demo"
	"fleet/store/storetest"
)

// The demo canteen has this week's menu published and next week's open for votes; seeding it
// again creates nothing.
func TestSeedCanteen(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC) } // Wednesday, 10:00 in the county
	svc, err := canteen.NewService(db, nil, canteen.Options{DataDir: t.TempDir(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC)
	if err := demo.SeedCanteen(ctx, svc, today); err != nil {
		t.Fatal(err)
	}
	this, err := svc.GetWeek(ctx, auth.System, "2026-03-04")
	if err != nil || this.Status != canteen.WeekPublished || len(this.Meals) != 10 || this.WeekStart != "2026-03-02" {
		t.Fatalf("this week = %s with %d meals, %v; want the 10 workday meals published", this.Status, len(this.Meals), err)
	}
	if lunch := this.Meals[1]; lunch.Kind != canteen.Lunch || len(lunch.Dishes) != 6 || lunch.Dishes[0].Name != "米饭" {
		t.Errorf("Monday's lunch = %+v", lunch)
	}
	next, err := svc.GetWeek(ctx, auth.System, "2026-03-09")
	if err != nil || next.Status != canteen.WeekDraft || len(next.Meals) != 10 || !next.Consultation {
		t.Fatalf("next week = %+v, %v; want a draft open to votes", next, err)
	}
	count := func(table string) int64 {
		var n int64
		db.Table(table).Count(&n)
		return n
	}
	before := map[string]int64{}
	for _, tbl := range []string{"canteen_dishes", "canteen_meals", "canteen_suppliers", "canteen_hygiene_checks", "canteen_menu_changes"} {
		before[tbl] = count(tbl)
	}
	if err := demo.SeedCanteen(ctx, svc, today); err != nil {
		t.Fatal(err)
	}
	for tbl, n := range before {
		if got := count(tbl); got != n {
			t.Errorf("a second seeding changed %s from %d to %d rows", tbl, n, got)
		}
	}
}
