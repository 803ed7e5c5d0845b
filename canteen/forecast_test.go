package canteen

import (
	"testing"
	"time"
)

func TestForecastMethod(t *testing.T) {
	hist := []HistoryPoint{{Date: "2026-02-03", Booked: 100, Diners: 90}, {Date: "2026-02-10", Booked: 80, Diners: 76}, {Date: "2026-02-17", Booked: 120, Diners: 104}}
	for _, tt := range []struct {
		name     string
		booked   int
		final    bool
		samples  []HistoryPoint
		expected int
		ratio    float64
		basis    string
	}{
		{"no history: the bookings", 57, true, nil, 57, 1, BasisBookings},
		{"after the cut-off: bookings × show-up ratio 270/300", 110, true, hist, 99, 0.9, BasisSameWeekday},
		{"before the cut-off the history's mean of 90 is a floor", 40, false, hist, 90, 0.9, BasisSameWeekday},
		{"before the cut-off with many bookings: the ratio", 150, false, hist, 135, 0.9, BasisSameWeekday},
		{"walk-ins raise the ratio above 1", 50, true, []HistoryPoint{{Booked: 40, Diners: 50}}, 63, 1.25, BasisSameKind},
		{"samples without bookings count only for the mean", 0, false, []HistoryPoint{{Booked: 0, Diners: 12}}, 12, 1, BasisSameKind},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := forecast(tt.booked, tt.final, tt.basis, tt.samples)
			if f.Expected != tt.expected || f.Ratio != tt.ratio || f.Basis != tt.basis {
				t.Errorf("forecast = %+v, want expected %d, ratio %v, basis %s", f, tt.expected, tt.ratio, tt.basis)
			}
		})
	}
}

func TestForecastPicksTheSameWeekdayFirst(t *testing.T) {
	// Tuesday lunches of three weeks (and a Monday and a dinner that must not count).
	hist := []histMeal{
		{Day: "2026-02-10", Kind: Lunch, Booked: 100, Diners: 80},
		{Day: "2026-02-17", Kind: Lunch, Booked: 100, Diners: 80},
		{Day: "2026-02-24", Kind: Lunch, Booked: 100, Diners: 80},
		{Day: "2026-03-02", Kind: Lunch, Booked: 100, Diners: 100},
		{Day: "2026-02-24", Kind: Dinner, Booked: 10, Diners: 30},
		{Day: "2025-12-02", Kind: Lunch, Booked: 100, Diners: 10}, // more than 8 weeks before
	}
	m := &Meal{Date: "2026-03-03", Kind: Lunch, Status: MealOpen, CutoffAt: time.Date(2026, 3, 3, 1, 30, 0, 0, time.UTC), Counts: Counts{Total: 50}}
	f := forecastFor(m, hist, time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC))
	if f.Basis != BasisSameWeekday || len(f.Samples) != 3 || f.Ratio != 0.8 || f.Expected != 40 || !f.Final {
		t.Errorf("forecast = %+v, want the three Tuesdays, ratio 0.8, 40 expected", f)
	}
	// With two Tuesdays only, the lunches of the last four weeks (any day) are the samples.
	f = forecastFor(m, hist[1:], time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC))
	if f.Basis != BasisSameKind || len(f.Samples) != 3 || f.Ratio != 0.87 {
		t.Errorf("fallback forecast = %+v, want 3 lunches of 4 weeks, ratio 260/300", f)
	}
}
