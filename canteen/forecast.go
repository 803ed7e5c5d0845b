package canteen

import (
	"context"
	"math"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
)

// The forecast of diners of a meal, from its bookings and the canteen's history:
//
//  1. Samples: the meals of the same kind on the same weekday in the 8 weeks before (basis
//     "same_weekday") when there are at least 3 of them; otherwise the meals of the same kind on
//     any day of the 4 weeks before ("same_kind"). Only meals served, not cancelled, with
//     bookings or a recorded count of diners are samples.
//  2. A sample's diners are the count recorded with its waste; without one, its bookings less
//     its no-shows.
//  3. The show-up ratio is Σ diners ÷ Σ bookings over the samples with bookings: below 1 where
//     booked diners stay away, above 1 where diners come without booking.
//  4. Expected = bookings × ratio, rounded. While booking is open more bookings will come, so
//     the samples' mean of diners is a floor until the cut-off.
//  5. Without samples the forecast is the bookings themselves (basis "bookings").

// historyDays is how far back the forecast looks.
const historyDays = 8 * 7

// Bases of a forecast.
const (
	BasisSameWeekday = "same_weekday"
	BasisSameKind    = "same_kind"
	BasisBookings    = "bookings"
)

// Forecast is the expected number of diners of a meal and how it was reached.
type Forecast struct {
	Booked   int            `json:"booked"`
	Expected int            `json:"expected"`
	Ratio    float64        `json:"ratio"` // diners per booking in the samples
	Basis    string         `json:"basis"`
	Final    bool           `json:"final"` // past the cut-off: the bookings are final
	Samples  []HistoryPoint `json:"samples"`
}

// HistoryPoint is one past meal the forecast learned from.
type HistoryPoint struct {
	Date   string `json:"date"`
	Booked int    `json:"booked"`
	Diners int    `json:"diners"`
}

// histMeal is a past meal as the forecast reads it.
type histMeal struct {
	Day, Kind      string
	Booked, Diners int
}

// forecast applies the method above to a meal's bookings and its samples.
func forecast(booked int, final bool, basis string, samples []HistoryPoint) Forecast {
	f := Forecast{Booked: booked, Expected: booked, Ratio: 1, Basis: BasisBookings, Final: final, Samples: samples}
	if len(samples) == 0 {
		f.Samples = []HistoryPoint{}
		return f
	}
	f.Basis = basis
	var sumBooked, sumDiners, allDiners int
	for _, h := range samples {
		allDiners += h.Diners
		if h.Booked > 0 {
			sumBooked += h.Booked
			sumDiners += h.Diners
		}
	}
	if sumBooked > 0 {
		f.Ratio = math.Round(float64(sumDiners)/float64(sumBooked)*100) / 100
	}
	f.Expected = int(math.Round(float64(booked) * f.Ratio))
	if !final {
		mean := int(math.Round(float64(allDiners) / float64(len(samples))))
		f.Expected = max(f.Expected, mean)
	}
	return f
}

// forecastFor picks a meal's samples from the history and forecasts it.
func forecastFor(m *Meal, hist []histMeal, now time.Time) Forecast {
	final := !now.Before(m.CutoffAt)
	if m.Status == MealCancelled {
		return Forecast{Booked: m.Counts.Total, Ratio: 1, Basis: BasisBookings, Final: true, Samples: []HistoryPoint{}}
	}
	day, _ := time.Parse(time.DateOnly, m.Date)
	pick := func(days int, sameWeekday bool) []HistoryPoint {
		from := addDays(m.Date, -days)
		var out []HistoryPoint
		for _, h := range hist {
			d, _ := time.Parse(time.DateOnly, h.Day)
			if h.Kind != m.Kind || h.Day >= m.Date || h.Day < from || (sameWeekday && d.Weekday() != day.Weekday()) {
				continue
			}
			out = append(out, HistoryPoint{Date: h.Day, Booked: h.Booked, Diners: h.Diners})
		}
		return out
	}
	if s := pick(historyDays, true); len(s) >= 3 {
		return forecast(m.Counts.Total, final, BasisSameWeekday, s)
	}
	return forecast(m.Counts.Total, final, BasisSameKind, pick(28, false))
}

// history reads the served meals of days from–to with their bookings and diners.
func (s *Service) history(db *gorm.DB, from, to string, set *settingsRow, now time.Time) ([]histMeal, error) {
	meals, err := mealsBetween(db, from, to)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range meals {
		if m.Status == MealOpen && now.After(at(s.opt.Location, m.Day, set.serve(m.Kind))) {
			ids = append(ids, m.ID)
		}
	}
	counts, err := mealCounts(db, ids)
	if err != nil {
		return nil, err
	}
	waste, err := wasteByMeal(db, ids)
	if err != nil {
		return nil, err
	}
	served := map[int64]bool{}
	for _, id := range ids {
		served[id] = true
	}
	var out []histMeal
	for _, m := range meals {
		if !served[m.ID] {
			continue
		}
		c := counts[m.ID]
		h := histMeal{Day: m.Day, Kind: m.Kind, Booked: c.Total, Diners: c.Total - c.NoShows}
		if w, ok := waste[m.ID]; ok {
			h.Diners = w.Diners
		}
		if h.Booked > 0 || h.Diners > 0 {
			out = append(out, h)
		}
	}
	return out, nil
}

// MealForecast returns the forecast of diners of one meal.
func (s *Service) MealForecast(ctx context.Context, a *auth.Actor, id int64) (*Forecast, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	m, err := s.GetMeal(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return m.Forecast, nil
}
