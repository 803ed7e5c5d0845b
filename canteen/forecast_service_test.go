package canteen_test

import (
	"testing"

	"fleet"
	"fleet/canteen"
)

// Three past Tuesday lunches: 4 booked, 1 did not come each time (show-up 0.75). Next Tuesday
// two have booked so far: the history's mean of 3 diners is the forecast until the cut-off,
// then 2 × 0.75 rounds to 2.
func TestForecastFromBookingsAndHistory(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice := f.dish("米饭", "staple", 0.5)
		f.clock.set("2026-02-09 10:00")
		for _, day := range []string{"2026-02-10", "2026-02-17", "2026-02-24"} {
			m := f.meal(day, canteen.Lunch, rice)
			var last *canteen.Reservation
			for _, u := range []string{"li", "wang", "zhou", "boss"} {
				last = f.book(u, m.ID, canteen.DineIn)
			}
			f.clock.set(day + " 13:00")
			if _, err := f.svc.MarkNoShow(f.ctx, f.chef(), last.ID, canteen.NoShowInput{NoShow: true}); err != nil {
				t.Fatal(err)
			}
		}
		next := f.meal("2026-03-03", canteen.Lunch, rice)
		f.book("li", next.ID, canteen.DineIn)
		f.book("wang", next.ID, canteen.Takeaway)

		f.clock.set("2026-03-02 16:00")
		m, err := f.svc.GetMeal(f.ctx, f.chef(), next.ID)
		if err != nil || m.Forecast == nil {
			t.Fatalf("meal = %+v, %v", m, err)
		}
		if fc := m.Forecast; fc.Basis != canteen.BasisSameWeekday || fc.Booked != 2 || fc.Ratio != 0.75 || fc.Expected != 3 || fc.Final || len(fc.Samples) != 3 {
			t.Errorf("forecast before the cut-off = %+v", fc)
		}
		f.clock.set("2026-03-03 10:00")
		fc, err := f.svc.MealForecast(f.ctx, f.chef(), next.ID)
		if err != nil || fc.Expected != 2 || !fc.Final {
			t.Errorf("forecast after the cut-off = %+v, %v", fc, err)
		}
		_, err = f.svc.MealForecast(f.ctx, f.as["li"], next.ID)
		wantCode(t, err, fleet.EForbidden)
	})
}
