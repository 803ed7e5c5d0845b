package canteen_test

import (
	"strings"
	"testing"

	"fleet"
	"fleet/canteen"
)

func TestDishesAreValidated(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		d := f.dish("番茄炒蛋", "half_meat", 4.5, "egg", "egg")
		if len(d.Allergens) != 1 || d.Allergens[0] != "egg" || d.Price != 4.5 || !d.Active {
			t.Errorf("dish = %+v", d)
		}
		before := f.rows()
		for field, in := range map[string]canteen.DishInput{
			"name":         {Category: "meat", Price: num(1)},
			"category":     {Name: "x", Category: "dessert", Price: num(1)},
			"price":        {Name: "x", Category: "meat", Price: num(-1)},
			"allergens[0]": {Name: "x", Category: "meat", Price: num(1), Allergens: []string{"gluten-free"}},
			"photo_url":    {Name: "x", Category: "meat", Price: num(1), PhotoURL: "javascript:alert(1)"},
		} {
			_, err := f.svc.CreateDish(f.ctx, f.chef(), in)
			wantField(t, err, field)
		}
		_, err := f.svc.CreateDish(f.ctx, f.chef(), canteen.DishInput{Name: "番茄炒蛋", Category: "meat", Price: num(1)})
		wantCode(t, err, fleet.EConflict)
		_, err = f.svc.CreateDish(f.ctx, f.as["li"], canteen.DishInput{Name: "y", Category: "meat", Price: num(1)})
		wantCode(t, err, fleet.EForbidden)
		f.unchanged(before, "bad dishes")

		// A dish no longer cooked cannot be put on a menu.
		off := false
		if _, err := f.svc.UpdateDish(f.ctx, f.chef(), d.ID, canteen.DishInput{Name: d.Name, Category: d.Category, Price: num(4.5), Active: &off}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CreateMeal(f.ctx, f.chef(), canteen.MealInput{Date: "2026-03-03", Kind: canteen.Lunch, DishIDs: []int64{d.ID}})
		wantField(t, err, "dish_ids[0]")
	})
}

func TestMealsAreForManagersOnly(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		for _, who := range []string{"li", "boss", "audit"} {
			_, err := f.svc.CreateMeal(f.ctx, f.as[who], canteen.MealInput{Date: "2026-03-03", Kind: canteen.Lunch})
			wantCode(t, err, fleet.EForbidden)
		}
		if _, err := f.svc.CreateMeal(f.ctx, f.as["admin2"], canteen.MealInput{Date: "2026-03-03", Kind: canteen.Lunch}); err != nil {
			t.Errorf("the admin plans a meal: %v", err)
		}
		_, err := f.svc.CreateMeal(f.ctx, f.chef(), canteen.MealInput{Date: "2026-03-03", Kind: canteen.Lunch})
		wantCode(t, err, fleet.EConflict) // one lunch a day
		for field, in := range map[string]canteen.MealInput{
			"date":      {Date: "2026-02-30", Kind: canteen.Lunch},
			"kind":      {Date: "2026-03-03", Kind: "supper"},
			"cutoff_at": {Date: "2026-03-05", Kind: canteen.Lunch, CutoffAt: "tomorrow"},
			"dish_ids":  {Date: "2026-03-05", Kind: canteen.Lunch, DishIDs: make([]int64, 41)},
		} {
			_, err := f.svc.CreateMeal(f.ctx, f.chef(), in)
			wantField(t, err, field)
		}
	})
}

func TestWeekIsPublishedAheadWithAChangeLog(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice, pork, greens, fish := f.dish("米饭", "staple", 0.5), f.dish("红烧肉", "meat", 8), f.dish("清炒时蔬", "vegetable", 3), f.dish("清蒸鱼", "meat", 9, "fish")

		// An empty week is not published, and nothing changes.
		before := f.rows()
		_, err := f.svc.PublishWeek(f.ctx, f.chef(), canteen.PublishInput{Week: "2026-03-11"})
		wantField(t, err, "week")
		f.unchanged(before, "publishing an empty week")

		// Next week (9–15 March) is due by Thursday 5 March, the default publish day.
		mon := f.meal("2026-03-09", canteen.Lunch, rice, pork, greens)
		tue := f.meal("2026-03-10", canteen.Lunch)
		_, err = f.svc.PublishWeek(f.ctx, f.chef(), canteen.PublishInput{Week: "2026-03-09"})
		wantField(t, err, "meals") // Tuesday's lunch has no dishes
		w, err := f.svc.GetWeek(f.ctx, f.as["li"], "2026-03-12")
		if err != nil || w.Status != canteen.WeekDraft || w.PublishDue != "2026-03-05" || w.PublishOverdue || len(w.Meals) != 2 || !w.Consultation {
			t.Fatalf("draft week = %+v, %v", w, err)
		}
		if _, err := f.svc.UpdateMeal(f.ctx, f.chef(), tue.ID, canteen.MealUpdate{DishIDs: &[]int64{rice.ID, fish.ID}}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.PublishWeek(f.ctx, f.as["li"], canteen.PublishInput{Week: "2026-03-09"})
		wantCode(t, err, fleet.EForbidden)

		f.clock.set("2026-03-06 09:00") // a day late
		w, err = f.svc.GetWeek(f.ctx, f.chef(), "2026-03-09")
		if err != nil || !w.PublishOverdue {
			t.Fatalf("the week a day after its due day = %+v, %v; want overdue", w, err)
		}
		w, err = f.svc.PublishWeek(f.ctx, f.chef(), canteen.PublishInput{Week: "2026-03-09"})
		if err != nil || w.Status != canteen.WeekPublished || !w.PublishedLate || w.PublishOverdue || w.Consultation {
			t.Fatalf("published = %+v, %v", w, err)
		}
		_, err = f.svc.PublishWeek(f.ctx, f.chef(), canteen.PublishInput{Week: "2026-03-09"})
		wantCode(t, err, fleet.EConflict)

		// Once published, every change is logged with its reason.
		if _, err := f.svc.UpdateMeal(f.ctx, f.chef(), mon.ID, canteen.MealUpdate{DishIDs: &[]int64{rice.ID, fish.ID, greens.ID}, Reason: "猪肉供货不足"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CreateMeal(f.ctx, f.chef(), canteen.MealInput{Date: "2026-03-11", Kind: canteen.Breakfast, DishIDs: []int64{rice.ID}}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.svc.DeleteMeal(f.ctx, f.chef(), tue.ID), fleet.EConflict) // cancel a published meal instead
		w, err = f.svc.GetWeek(f.ctx, f.as["li"], "2026-03-09")
		if err != nil || len(w.Changes) != 3 {
			t.Fatalf("change log = %+v, %v; want publish, dishes and add_meal", w.Changes, err)
		}
		dishes := w.Changes[1]
		if dishes.Action != "dishes" || dishes.Reason != "猪肉供货不足" || !strings.Contains(dishes.From, "红烧肉") ||
			!strings.Contains(dishes.To, "清蒸鱼") || dishes.Date != "2026-03-09" || dishes.Kind != canteen.Lunch {
			t.Errorf("the dishes change = %+v", dishes)
		}
		if w.Changes[0].Action != "add_meal" || w.Changes[2].Action != "publish" || w.Changes[2].Actor != "孙强" {
			t.Errorf("changes = %+v", w.Changes)
		}
	})
}

func TestSettingsAreChecked(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		set, err := f.svc.GetSettings(f.ctx, f.as["li"])
		if err != nil || set.PublishWeekday != 4 || set.CutoffMinutes[canteen.Breakfast] != -240 || set.WasteTargetG != 50 {
			t.Fatalf("default settings = %+v, %v", set, err)
		}
		bad := *set
		bad.PublishWeekday = 8
		_, err = f.svc.UpdateSettings(f.ctx, f.chef(), bad)
		wantField(t, err, "publish_weekday")
		bad = *set
		bad.CutoffMinutes = map[string]int{canteen.Breakfast: -240, canteen.Lunch: 800, canteen.Dinner: 870}
		_, err = f.svc.UpdateSettings(f.ctx, f.chef(), bad)
		wantField(t, err, "cutoff_minutes.lunch") // after serving starts at 11:30
		_, err = f.svc.UpdateSettings(f.ctx, f.as["li"], *set)
		wantCode(t, err, fleet.EForbidden)

		good := *set
		good.CutoffMinutes = map[string]int{canteen.Breakfast: -180, canteen.Lunch: 600, canteen.Dinner: 900}
		good.PublishWeekday = 5
		if _, err := f.svc.UpdateSettings(f.ctx, f.chef(), good); err != nil {
			t.Fatal(err)
		}
		m := f.meal("2026-03-03", canteen.Lunch)
		if got := m.CutoffAt.In(shanghai).Format("01-02 15:04"); got != "03-03 10:00" {
			t.Errorf("a new lunch's cut-off = %s, want the new default 10:00", got)
		}
		b := f.meal("2026-03-03", canteen.Breakfast)
		if got := b.CutoffAt.In(shanghai).Format("01-02 15:04"); got != "03-02 21:00" {
			t.Errorf("a new breakfast's cut-off = %s, want 21:00 the day before", got)
		}
	})
}
