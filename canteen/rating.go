package canteen

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Rating is a diner's score (1–5) of a dish after a meal, with a comment and the manager's
// answer. Author and Unit are shown to those who run the canteen.
type Rating struct {
	ID         int64      `json:"id"`
	MealID     int64      `json:"meal_id"`
	Date       string     `json:"date"`
	Kind       string     `json:"kind"`
	DishID     int64      `json:"dish_id"`
	Dish       string     `json:"dish"`
	Score      int        `json:"score"`
	Comment    string     `json:"comment"`
	Answer     string     `json:"answer"`
	AnsweredAt *time.Time `json:"answered_at"`
	Author     string     `json:"author,omitempty"`
	Unit       string     `json:"unit,omitempty"`
	Mine       bool       `json:"mine"`
	CreatedAt  time.Time  `json:"created_at"`
}

// RateInput rates dishes of a meal.
type RateInput struct {
	Ratings []DishRating `json:"ratings"`
}

// DishRating is one dish's score and comment.
type DishRating struct {
	DishID  int64  `json:"dish_id"`
	Score   int    `json:"score"`
	Comment string `json:"comment"`
}

func (in *RateInput) check() error {
	p := fleet.Problems{}
	if len(in.Ratings) == 0 {
		p.Add("ratings", "required: rate at least one dish")
	}
	if len(in.Ratings) > maxDishes {
		p.Add("ratings", fmt.Sprintf("at most %d dishes", maxDishes))
	}
	seen := map[int64]bool{}
	for i := range in.Ratings {
		r := &in.Ratings[i]
		at := fmt.Sprintf("ratings[%d].", i)
		if r.DishID <= 0 {
			p.Add(at+"dish_id", "required")
		} else if seen[r.DishID] {
			p.Add(at+"dish_id", "rated twice")
		}
		seen[r.DishID] = true
		if r.Score < 1 || r.Score > 5 {
			p.Add(at+"score", "must be 1 to 5")
		}
		r.Comment = p.Text(at+"comment", r.Comment, false, 500)
	}
	return p.Err()
}

// RateMeal records the caller's scores of dishes of a meal they could eat: from the start of
// serving for RatingWindow, not as a no-show. Rating a dish again replaces the score.
func (s *Service) RateMeal(ctx context.Context, a *auth.Actor, mealID int64, in RateInput) ([]Rating, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	now := s.now()
	var rows []ratingRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		m, err := s.rateableMeal(tx, a, mealID, now)
		if err != nil {
			return err
		}
		dishes, err := mealDishes(tx, []int64{mealID})
		if err != nil {
			return err
		}
		on := map[int64]bool{}
		for _, id := range dishes[mealID] {
			on[id] = true
		}
		for i, r := range in.Ratings {
			if !on[r.DishID] {
				return fleet.Invalid(map[string]string{fmt.Sprintf("ratings[%d].dish_id", i): "not a dish of this meal"})
			}
		}
		for _, r := range in.Ratings {
			row, err := upsertRating(tx, ratingRow{MealID: mealID, DishID: r.DishID, UserID: a.UserID, Day: m.Day, Score: r.Score,
				Comment: r.Comment, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			rows = append(rows, *row)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.ratingViews(s.read(ctx), a, rows)
}

// rateableMeal refuses a meal cancelled, not yet served, too long ago, or missed by the caller.
func (s *Service) rateableMeal(tx *gorm.DB, a *auth.Actor, mealID int64, now time.Time) (*mealRow, error) {
	var m mealRow
	if err := take(tx, &m, mealID, false, "meal"); err != nil {
		return nil, err
	}
	set, err := loadSettings(tx)
	if err != nil {
		return nil, err
	}
	serve := at(s.opt.Location, m.Day, set.serve(m.Kind))
	switch {
	case m.Status == MealCancelled:
		return nil, fleet.Errorf(fleet.EConflict, "the meal was cancelled")
	case now.Before(serve):
		return nil, fleet.Errorf(fleet.EConflict, "dishes are rated after the meal: serving starts %s", serve.In(s.opt.Location).Format("01-02 15:04"))
	case !now.Before(serve.Add(RatingWindow)):
		return nil, fleet.Errorf(fleet.EConflict, "a meal is rated within %d days", int(RatingWindow.Hours()/24))
	}
	r, err := reservationOf(tx, mealID, a.UserID)
	if err != nil {
		return nil, err
	}
	if r != nil && r.NoShow {
		return nil, fleet.Errorf(fleet.EForbidden, "you were recorded as not having come to this meal")
	}
	return &m, nil
}

// RatingQuery narrows ListRatings; From and To are meal days.
type RatingQuery struct {
	fleet.Page
	DishID     int64
	MealID     int64
	From, To   string
	Unanswered bool // with a comment and no answer yet
}

// ListRatings returns ratings, newest first.
func (s *Service) ListRatings(ctx context.Context, a *auth.Actor, q RatingQuery) ([]Rating, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	if err := checkRange(&q.From, &q.To); err != nil {
		return nil, 0, err
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listRatings(db, q)
	if err != nil {
		return nil, 0, err
	}
	out, err := s.ratingViews(db, a, rows)
	return out, total, err
}

// AnswerRating answers a diner's rating comment.
func (s *Service) AnswerRating(ctx context.Context, a *auth.Actor, id int64, in AnswerInput) (*Rating, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	row, err := answer[ratingRow](ctx, s, a, id, in, "rating")
	if err != nil {
		return nil, err
	}
	out, err := s.ratingViews(s.read(ctx), a, []ratingRow{*row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Service) ratingViews(db *gorm.DB, a *auth.Actor, rows []ratingRow) ([]Rating, error) {
	var users, dishIDs, mealIDs []int64
	for _, r := range rows {
		users, dishIDs, mealIDs = append(users, r.UserID), append(dishIDs, r.DishID), append(mealIDs, r.MealID)
	}
	n, err := loadNames(db, users, dishIDs)
	if err != nil {
		return nil, err
	}
	kinds, err := mealKinds(db, mealIDs)
	if err != nil {
		return nil, err
	}
	records := a.Can(auth.PermCanteenRecords)
	out := make([]Rating, len(rows))
	for i, r := range rows {
		v := Rating{ID: r.ID, MealID: r.MealID, Date: r.Day, Kind: kinds[r.MealID], DishID: r.DishID, Dish: n.dishes[r.DishID], Score: r.Score,
			Comment: r.Comment, Answer: r.Answer, AnsweredAt: utc(r.AnsweredAt), Mine: r.UserID == a.UserID, CreatedAt: r.CreatedAt.UTC()}
		if records {
			v.Author, v.Unit = n.author(r.UserID)
		}
		out[i] = v
	}
	return out, nil
}

// MyRatings returns the caller's own ratings with the answers they got, newest first.
func (s *Service) MyRatings(ctx context.Context, a *auth.Actor) ([]Rating, error) {
	if err := a.Require(auth.PermCanteenDine); err != nil {
		return nil, err
	}
	db := s.read(ctx)
	rows, err := userRatings(db, a.UserID, 100)
	if err != nil {
		return nil, err
	}
	return s.ratingViews(db, a, rows)
}
