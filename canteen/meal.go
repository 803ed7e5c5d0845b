package canteen

import (
	"context"
	"sort"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
)

// Statuses of a meal.
const (
	MealOpen      = "open"
	MealCancelled = "cancelled"
)

// RatingWindow is how long after serving starts a diner may rate a meal's dishes.
const RatingWindow = 7 * 24 * time.Hour

// Meal is one meal of a day with its dishes and the kitchen's counts. Mine and MyRatings are the
// caller's booking and scores; Forecast and Waste are shown to those who run the canteen.
type Meal struct {
	ID           int64           `json:"id"`
	WeekID       int64           `json:"week_id"`
	Date         string          `json:"date"`
	Kind         string          `json:"kind"`
	CutoffAt     time.Time       `json:"cutoff_at"`
	ServeAt      time.Time       `json:"serve_at"`
	Status       string          `json:"status"`
	CancelReason string          `json:"cancel_reason"`
	Bookable     bool            `json:"bookable"` // open and before the cut-off
	Rateable     bool            `json:"rateable"` // served, within RatingWindow, and not a no-show of the caller
	Dishes       []Dish          `json:"dishes"`
	Counts       Counts          `json:"counts"`
	Mine         *Reservation    `json:"mine"`
	MyRatings    map[int64]int   `json:"my_ratings"` // dish id → score
	Forecast     *Forecast       `json:"forecast,omitempty"`
	Waste        *Waste          `json:"waste,omitempty"`
	RatingAvg    map[int64]Score `json:"rating_avg,omitempty"` // dish id → this meal's scores
}

// Score is an average score and how many ratings it is of.
type Score struct {
	Avg   float64 `json:"avg"`
	Count int     `json:"count"`
}

// Counts are the bookings of a meal by serving point: what the kitchen cooks for.
type Counts struct {
	DineIn   int `json:"dine_in"`
	Takeaway int `json:"takeaway"`
	Total    int `json:"total"`
	NoShows  int `json:"no_shows"` // booked and did not come (after the meal)
}

var kindOrder = map[string]int{Breakfast: 0, Lunch: 1, Dinner: 2}

func sortMeals(rows []mealRow) {
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Day != rows[j].Day {
			return rows[i].Day < rows[j].Day
		}
		return kindOrder[rows[i].Kind] < kindOrder[rows[j].Kind]
	})
}

// GetMeal returns one meal.
func (s *Service) GetMeal(ctx context.Context, a *auth.Actor, id int64) (*Meal, error) {
	if err := a.Require(auth.PermCanteenRead); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	var r mealRow
	if err := take(db, &r, id, false, "meal"); err != nil {
		return nil, err
	}
	out, err := s.mealViews(db, a, []mealRow{r})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

// mealViews builds the views of meals, reading what they need in a few batched queries.
func (s *Service) mealViews(db *gorm.DB, a *auth.Actor, rows []mealRow) ([]Meal, error) {
	set, err := loadSettings(db)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	dishIDs, err := mealDishes(db, ids)
	if err != nil {
		return nil, err
	}
	var all []int64
	for _, d := range dishIDs {
		all = append(all, d...)
	}
	dishes, err := dishesByID(db, all)
	if err != nil {
		return nil, err
	}
	counts, err := mealCounts(db, ids)
	if err != nil {
		return nil, err
	}
	mine, err := userReservations(db, a.UserID, ids)
	if err != nil {
		return nil, err
	}
	scores, err := userScores(db, a.UserID, ids)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]Meal, len(rows))
	for i, r := range rows {
		m := s.mealView(r, set, now)
		m.Counts = counts[r.ID]
		m.MyRatings = scores[r.ID]
		if m.MyRatings == nil {
			m.MyRatings = map[int64]int{}
		}
		if b, ok := mine[r.ID]; ok {
			v := b.reservation()
			m.Mine = &v
			m.Rateable = m.Rateable && !b.NoShow
		}
		for _, id := range dishIDs[r.ID] {
			if d, ok := dishes[id]; ok {
				m.Dishes = append(m.Dishes, d.dish())
			}
		}
		out[i] = m
	}
	if a.Can(auth.PermCanteenRecords) {
		if err := s.addRecords(db, out, set, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// mealView is a meal's own fields and the states that follow from the clock.
func (s *Service) mealView(r mealRow, set *settingsRow, now time.Time) Meal {
	serve := at(s.opt.Location, r.Day, set.serve(r.Kind))
	open := r.Status == MealOpen
	return Meal{ID: r.ID, WeekID: r.WeekID, Date: r.Day, Kind: r.Kind, CutoffAt: r.CutoffAt.UTC(), ServeAt: serve, Status: r.Status,
		CancelReason: r.CancelReason, Bookable: open && now.Before(r.CutoffAt), Rateable: open && !now.Before(serve) && now.Before(serve.Add(RatingWindow)),
		Dishes: []Dish{}}
}

// addRecords adds the forecast, the waste record and this meal's scores, for those who run
// the canteen.
func (s *Service) addRecords(db *gorm.DB, meals []Meal, set *settingsRow, now time.Time) error {
	if len(meals) == 0 {
		return nil
	}
	ids := make([]int64, len(meals))
	first, last := meals[0].Date, meals[0].Date
	for i, m := range meals {
		ids[i] = m.ID
		first, last = min(first, m.Date), max(last, m.Date)
	}
	hist, err := s.history(db, addDays(first, -historyDays), last, set, now)
	if err != nil {
		return err
	}
	waste, err := wasteByMeal(db, ids)
	if err != nil {
		return err
	}
	avgs, err := mealScores(db, ids)
	if err != nil {
		return err
	}
	for i := range meals {
		m := &meals[i]
		f := forecastFor(m, hist, now)
		m.Forecast = &f
		if w, ok := waste[m.ID]; ok {
			v := w.view(set.WasteTargetG)
			m.Waste = &v
		}
		m.RatingAvg = avgs[m.ID]
	}
	return nil
}
