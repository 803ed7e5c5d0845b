package canteen_test

import (
	"testing"

	"fleet"
	"fleet/canteen"
)

func TestWasteIsWeighedPerMeal(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice := f.dish("米饭", "staple", 0.5)
		lunch := f.meal("2026-03-03", canteen.Lunch, rice)
		for _, u := range []string{"li", "wang", "zhou", "boss"} {
			f.book(u, lunch.ID, canteen.DineIn)
		}
		_, err := f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, canteen.WasteInput{PlateKg: num(1), KitchenKg: num(0)})
		wantCode(t, err, fleet.EConflict) // before the meal

		f.clock.set("2026-03-03 13:30")
		before := f.rows()
		for field, in := range map[string]canteen.WasteInput{
			"plate_kg":   {PlateKg: num(-0.2), KitchenKg: num(1)},
			"kitchen_kg": {PlateKg: num(0.2), KitchenKg: num(-1)},
			"diners":     {PlateKg: num(0.2), KitchenKg: num(0), Diners: intp(-3)},
		} {
			_, err := f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, in)
			wantField(t, err, field)
		}
		_, err = f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, canteen.WasteInput{KitchenKg: num(1)})
		wantField(t, err, "plate_kg") // required
		_, err = f.svc.RecordWaste(f.ctx, f.as["li"], lunch.ID, canteen.WasteInput{PlateKg: num(0.1), KitchenKg: num(0)})
		wantCode(t, err, fleet.EForbidden)
		f.unchanged(before, "bad weights")

		// Diners default to the bookings less the no-shows: 4 booked, 160 g → 40 g each, under 50.
		w, err := f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, canteen.WasteInput{PlateKg: num(0.1), KitchenKg: num(0.06)})
		if err != nil || w.Diners != 4 || w.GPerDiner != 40 || w.OverTarget || w.TotalKg != 0.16 {
			t.Fatalf("waste = %+v, %v", w, err)
		}
		// Corrected: 5 ate (a walk-in), 0.4 kg left on plates → 92 g each, over the target.
		w, err = f.svc.RecordWaste(f.ctx, f.chef(), lunch.ID, canteen.WasteInput{PlateKg: num(0.4), KitchenKg: num(0.06), Diners: intp(5)})
		if err != nil || w.GPerDiner != 92 || !w.OverTarget {
			t.Fatalf("corrected waste = %+v, %v", w, err)
		}

		dinner := f.meal("2026-03-03", canteen.Dinner, rice)
		f.clock.set("2026-03-03 19:00")
		_, err = f.svc.RecordWaste(f.ctx, f.chef(), dinner.ID, canteen.WasteInput{PlateKg: num(0.1), KitchenKg: num(0)})
		wantField(t, err, "diners") // nobody booked: say how many ate
		if _, err := f.svc.RecordWaste(f.ctx, f.chef(), dinner.ID, canteen.WasteInput{PlateKg: num(0.1), KitchenKg: num(0.14), Diners: intp(5)}); err != nil {
			t.Fatal(err)
		}
		rep, err := f.svc.WasteTrend(f.ctx, f.as["audit"], canteen.WasteQuery{From: "2026-03-01", To: "2026-03-31"})
		if err != nil || len(rep.Items) != 2 || len(rep.Weeks) != 1 {
			t.Fatalf("report = %+v, %v", rep, err)
		}
		// 0.46 + 0.24 kg for 10 diners: 70 g each.
		if wk := rep.Weeks[0]; wk.Start != "2026-03-02" || wk.Diners != 10 || wk.TotalKg != 0.7 || wk.GPerDiner != 70 || !wk.OverTarget || rep.TargetG != 50 {
			t.Errorf("week = %+v (target %d)", wk, rep.TargetG)
		}
		_, err = f.svc.WasteTrend(f.ctx, f.as["li"], canteen.WasteQuery{})
		wantCode(t, err, fleet.EForbidden)
		_, err = f.svc.WasteTrend(f.ctx, f.chef(), canteen.WasteQuery{From: "2026-03-31", To: "2026-03-01"})
		wantField(t, err, "to")
	})
}

func TestQuarterlyEvaluation(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		// On 2 March 2026 the last quarter ended is 2025 Q4; due by 15 January: overdue.
		ev, err := f.svc.ListEvaluations(f.ctx, f.chef())
		if err != nil || ev.Due == nil || ev.Due.Year != 2025 || ev.Due.Quarter != 4 || !ev.Due.Overdue || len(ev.Checklist) == 0 {
			t.Fatalf("evaluations = %+v, %v", ev, err)
		}
		items := make([]canteen.CheckItem, len(ev.Checklist))
		for i, it := range ev.Checklist {
			items[i] = canteen.CheckItem{Item: it, OK: i != 3, Note: ""}
		}
		in := canteen.EvaluationInput{Year: 2025, Quarter: 4, Items: items, Conclusion: "总体良好，小份菜供应不足", Measures: "增加半份菜",
			Evaluator: "县机关事务服务中心", EvaluatedOn: "2026-03-02"}

		before := f.rows()
		for field, bad := range map[string]func(*canteen.EvaluationInput){
			"quarter":      func(e *canteen.EvaluationInput) { e.Quarter = 5 },
			"year":         func(e *canteen.EvaluationInput) { e.Year = 2019 },
			"items":        func(e *canteen.EvaluationInput) { e.Items = nil },
			"conclusion":   func(e *canteen.EvaluationInput) { e.Conclusion = "" },
			"evaluated_on": func(e *canteen.EvaluationInput) { e.EvaluatedOn = "2026-04-01" },
		} {
			x := in
			x.Items = append([]canteen.CheckItem(nil), items...)
			bad(&x)
			_, err := f.svc.RecordEvaluation(f.ctx, f.chef(), x)
			wantField(t, err, field)
		}
		future := in
		future.Year, future.Quarter = 2026, 3
		_, err = f.svc.RecordEvaluation(f.ctx, f.chef(), future)
		wantField(t, err, "quarter") // not started
		f.unchanged(before, "bad evaluations")

		e, err := f.svc.RecordEvaluation(f.ctx, f.chef(), in)
		if err != nil || e.Score != 88 { // 7 of 8
			t.Fatalf("evaluation = %+v, %v", e, err)
		}
		_, err = f.svc.RecordEvaluation(f.ctx, f.chef(), in)
		wantCode(t, err, fleet.EConflict)
		in.Items[3].OK = true
		if e, err = f.svc.UpdateEvaluation(f.ctx, f.chef(), e.ID, in); err != nil || e.Score != 100 {
			t.Fatalf("corrected = %+v, %v", e, err)
		}
		ev, _ = f.svc.ListEvaluations(f.ctx, f.chef())
		if ev.Due != nil || len(ev.Items) != 1 {
			t.Errorf("after evaluating = %+v", ev)
		}
	})
}
