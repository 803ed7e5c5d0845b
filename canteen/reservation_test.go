package canteen_test

import (
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/canteen"
)

func TestBookingUntilTheCutoff(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		rice := f.dish("米饭", "staple", 0.5)
		pork := f.dish("红烧肉", "meat", 8)
		lunch := f.meal("2026-03-03", canteen.Lunch, rice, pork)
		if want := time.Date(2026, 3, 3, 1, 30, 0, 0, time.UTC); !lunch.CutoffAt.Equal(want) || !lunch.Bookable {
			t.Fatalf("lunch cut-off %v bookable %v, want the default 09:30 in the county (%v) and bookable", lunch.CutoffAt, lunch.Bookable, want)
		}

		li := f.book("li", lunch.ID, canteen.DineIn)
		if li.Point != canteen.DineIn || li.UnitID != f.units["县财政局"] || !li.Bookable {
			t.Errorf("booking = %+v", li)
		}
		f.book("wang", lunch.ID, canteen.Takeaway)
		f.book("zhou", lunch.ID, canteen.DineIn)
		if c := f.counts(lunch.ID); c.DineIn != 2 || c.Takeaway != 1 || c.Total != 3 {
			t.Fatalf("counts = %+v, want 2 dine-in and 1 take-away", c)
		}

		// A second booking of the same meal is refused, whatever the point; nothing changes.
		before := f.rows()
		_, err := f.svc.Book(f.ctx, f.as["li"], canteen.BookInput{MealID: lunch.ID, Point: canteen.Takeaway})
		wantCode(t, err, fleet.EConflict)
		f.unchanged(before, "a second booking")

		// Bad input names the field and changes nothing.
		for name, in := range map[string]canteen.BookInput{
			"point":   {MealID: lunch.ID, Point: "delivery"},
			"meal_id": {Point: canteen.DineIn},
		} {
			_, err := f.svc.Book(f.ctx, f.as["boss"], in)
			wantField(t, err, name)
		}
		_, err = f.svc.Book(f.ctx, f.as["boss"], canteen.BookInput{MealID: 99999, Point: canteen.DineIn})
		wantField(t, err, "meal_id")
		f.unchanged(before, "bad bookings")

		// The auditor changes nothing, not even a booking of their own.
		_, err = f.svc.Book(f.ctx, f.as["audit"], canteen.BookInput{MealID: lunch.ID, Point: canteen.DineIn})
		wantCode(t, err, fleet.EForbidden)

		// Another diner may neither cancel nor move li's booking.
		wantCode(t, f.svc.CancelBooking(f.ctx, f.as["wang"], li.ID), fleet.EForbidden)
		_, err = f.svc.ChangePoint(f.ctx, f.as["wang"], li.ID, canteen.PointInput{Point: canteen.Takeaway})
		wantCode(t, err, fleet.EForbidden)
		f.unchanged(before, "another diner's booking")

		// li moves to take-away, then wang cancels his own booking by the meal.
		if r, err := f.svc.ChangePoint(f.ctx, f.as["li"], li.ID, canteen.PointInput{Point: canteen.Takeaway}); err != nil || r.Point != canteen.Takeaway {
			t.Fatalf("change point = %+v, %v", r, err)
		}
		if err := f.svc.CancelMealBooking(f.ctx, f.as["wang"], lunch.ID); err != nil {
			t.Fatal(err)
		}
		if c := f.counts(lunch.ID); c.DineIn != 1 || c.Takeaway != 1 {
			t.Fatalf("counts after the changes = %+v, want 1 and 1", c)
		}

		// At the cut-off booking closes: no new booking, no cancellation, no change.
		f.clock.set("2026-03-03 09:30")
		before = f.rows()
		_, err = f.svc.Book(f.ctx, f.as["wang"], canteen.BookInput{MealID: lunch.ID, Point: canteen.DineIn})
		wantCode(t, err, fleet.EConflict)
		wantCode(t, f.svc.CancelBooking(f.ctx, f.as["li"], li.ID), fleet.EConflict)
		_, err = f.svc.ChangePoint(f.ctx, f.as["li"], li.ID, canteen.PointInput{Point: canteen.DineIn})
		wantCode(t, err, fleet.EConflict)
		f.unchanged(before, "after the cut-off")
		if c := f.counts(lunch.ID); c.Total != 2 {
			t.Errorf("counts after the cut-off = %+v, want the 2 bookings kept", c)
		}
		mine, err := f.svc.MyBookings(f.ctx, f.as["li"], canteen.MyBookingsQuery{From: "2026-03-02"})
		if err != nil || len(mine) != 1 || mine[0].Bookable || mine[0].Kind != canteen.Lunch {
			t.Errorf("li's bookings = %+v, %v; want the lunch, no longer changeable", mine, err)
		}
	})
}

// Twenty bookings of one meal by one diner at once: exactly one is taken.
func TestConcurrentBookingsOneWins(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		lunch := f.meal("2026-03-03", canteen.Lunch, f.dish("米饭", "staple", 0.5))
		const n = 20
		var wg sync.WaitGroup
		errs := make([]error, n)
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				point := canteen.DineIn
				if i%2 == 1 {
					point = canteen.Takeaway
				}
				_, errs[i] = f.svc.Book(f.ctx, f.as["li"], canteen.BookInput{MealID: lunch.ID, Point: point})
			}(i)
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		for _, err := range errs {
			switch fleet.ErrorCode(err) {
			case "":
				ok++
			case fleet.EConflict:
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("%d bookings taken and %d refused, want 1 and %d", ok, conflicts, n-1)
		}
		if c := f.counts(lunch.ID); c.Total != 1 {
			t.Fatalf("counts = %+v, want one booking", c)
		}
	})
}

func TestCancelledMealTakesNoBooking(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		dinner := f.meal("2026-03-04", canteen.Dinner, f.dish("面条", "staple", 3))
		f.book("li", dinner.ID, canteen.DineIn)
		_, err := f.svc.CancelMeal(f.ctx, f.chef(), dinner.ID, canteen.ReasonInput{})
		wantField(t, err, "reason")
		m, err := f.svc.CancelMeal(f.ctx, f.chef(), dinner.ID, canteen.ReasonInput{Reason: "食堂检修停供"})
		if err != nil || m.Status != canteen.MealCancelled || m.Bookable {
			t.Fatalf("cancelled = %+v, %v", m, err)
		}
		_, err = f.svc.Book(f.ctx, f.as["wang"], canteen.BookInput{MealID: dinner.ID, Point: canteen.DineIn})
		wantCode(t, err, fleet.EConflict)
		// A meal someone booked is cancelled, never deleted.
		wantCode(t, f.svc.DeleteMeal(f.ctx, f.chef(), dinner.ID), fleet.EConflict)
	})
}

func TestNoShowsAreMarkedAfterServingStarts(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		lunch := f.meal("2026-03-03", canteen.Lunch, f.dish("米饭", "staple", 0.5))
		li := f.book("li", lunch.ID, canteen.DineIn)
		f.book("wang", lunch.ID, canteen.DineIn)
		_, err := f.svc.MarkNoShow(f.ctx, f.chef(), li.ID, canteen.NoShowInput{NoShow: true})
		wantCode(t, err, fleet.EConflict) // before serving
		f.clock.set("2026-03-03 13:00")
		_, err = f.svc.MarkNoShow(f.ctx, f.as["wang"], li.ID, canteen.NoShowInput{NoShow: true})
		wantCode(t, err, fleet.EForbidden)
		r, err := f.svc.MarkNoShow(f.ctx, f.chef(), li.ID, canteen.NoShowInput{NoShow: true})
		if err != nil || !r.NoShow || r.Name != "李娜" || r.Unit != "县财政局" {
			t.Fatalf("no-show = %+v, %v", r, err)
		}
		if c := f.counts(lunch.ID); c.NoShows != 1 || c.Total != 2 {
			t.Errorf("counts = %+v, want 2 booked and 1 no-show", c)
		}
		list, err := f.svc.MealReservations(f.ctx, f.chef(), lunch.ID)
		if err != nil || len(list) != 2 {
			t.Fatalf("the meal's bookings = %+v, %v", list, err)
		}
		_, err = f.svc.MealReservations(f.ctx, f.as["li"], lunch.ID)
		wantCode(t, err, fleet.EForbidden) // names are for the canteen
		if _, err := f.svc.MealReservations(f.ctx, f.as["audit"], lunch.ID); err != nil {
			t.Errorf("the auditor reads the bookings: %v", err)
		}
	})
}
