package canteen

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

type voteRow struct {
	ID        int64
	WeekID    int64
	DishID    int64
	UserID    int64
	Value     int
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (voteRow) TableName() string { return "canteen_votes" }

// Answered is the manager's answer a comment or a rating carries (its columns, embedded).
type Answered struct {
	Answer     string
	AnsweredBy *int64
	AnsweredAt *time.Time
}

func (r *Answered) answered() *Answered { return r }

type commentRow struct {
	ID     int64
	WeekID int64
	DishID *int64
	UserID int64
	Body   string
	Answered
	CreatedAt time.Time
}

func (commentRow) TableName() string { return "canteen_comments" }

type ratingRow struct {
	ID      int64
	MealID  int64
	DishID  int64
	UserID  int64
	Day     string
	Score   int
	Comment string
	Answered
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (ratingRow) TableName() string { return "canteen_ratings" }

// setVote records, changes or (value 0) withdraws a user's vote.
func setVote(tx *gorm.DB, weekID, dishID, userID int64, value int, now time.Time) error {
	var v voteRow
	err := tx.Where("week_id = ? AND dish_id = ? AND user_id = ?", weekID, dishID, userID).Take(&v).Error
	switch {
	case store.IsNotFound(err) && value == 0:
		return nil
	case store.IsNotFound(err):
		return insert(tx, &voteRow{WeekID: weekID, DishID: dishID, UserID: userID, Value: value, CreatedAt: now, UpdatedAt: now})
	case err != nil:
		return dbErr(err, "")
	case value == 0:
		return dbErr(tx.Delete(&voteRow{}, v.ID).Error, "")
	}
	v.Value, v.UpdatedAt = value, now
	return save(tx, &v)
}

// weekVotes sums a week's votes by dish, with the user's own.
func weekVotes(db *gorm.DB, weekID, userID int64) ([]DishVotes, error) {
	var rows []voteRow
	if err := db.Where("week_id = ?", weekID).Order("dish_id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := []DishVotes{}
	idx := map[int64]int{}
	for _, r := range rows {
		i, ok := idx[r.DishID]
		if !ok {
			i = len(out)
			idx[r.DishID] = i
			out = append(out, DishVotes{DishID: r.DishID})
		}
		if r.Value > 0 {
			out[i].Up++
		} else {
			out[i].Down++
		}
		if r.UserID == userID {
			out[i].Mine = r.Value
		}
	}
	return out, nil
}

// dishOnWeek reports whether a dish is on one of the week's meals.
func dishOnWeek(db *gorm.DB, weekID, dishID int64) (bool, error) {
	var n int64
	err := db.Model(&mealDishRow{}).Where("dish_id = ? AND meal_id IN (SELECT id FROM canteen_meals WHERE week_id = ?)", dishID, weekID).Count(&n).Error
	return n > 0, dbErr(err, "")
}

func countComments(db *gorm.DB, weekID int64) (int64, error) {
	var n int64
	err := db.Model(&commentRow{}).Where("week_id = ?", weekID).Count(&n).Error
	return n, dbErr(err, "")
}

func listComments(db *gorm.DB, q CommentQuery, oldestFirst bool) ([]commentRow, int64, error) {
	m := db.Model(&commentRow{})
	if q.WeekID != 0 {
		m = m.Where("week_id = ?", q.WeekID)
	}
	if q.Unanswered {
		m = m.Where("answered_at IS NULL")
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	order := "id DESC"
	if oldestFirst {
		order = "id"
	}
	var rows []commentRow
	err := m.Order(order).Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func weekStarts(db *gorm.DB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []weekRow
	if err := db.Select("id, week_start").Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r.WeekStart
	}
	return out, nil
}

// upsertRating stores a user's rating of a dish of a meal, replacing the score and comment of
// an earlier one (its answer stays).
func upsertRating(tx *gorm.DB, r ratingRow) (*ratingRow, error) {
	var old ratingRow
	err := tx.Clauses(lockingClause(tx)...).Where("meal_id = ? AND dish_id = ? AND user_id = ?", r.MealID, r.DishID, r.UserID).Take(&old).Error
	switch {
	case store.IsNotFound(err):
		return &r, insert(tx, &r)
	case err != nil:
		return nil, dbErr(err, "")
	}
	old.Score, old.Comment, old.UpdatedAt = r.Score, r.Comment, r.UpdatedAt
	return &old, save(tx, &old)
}

func listRatings(db *gorm.DB, q RatingQuery) ([]ratingRow, int64, error) {
	m := db.Model(&ratingRow{})
	if q.DishID != 0 {
		m = m.Where("dish_id = ?", q.DishID)
	}
	if q.MealID != 0 {
		m = m.Where("meal_id = ?", q.MealID)
	}
	if q.From != "" {
		m = m.Where("day >= ?", q.From)
	}
	if q.To != "" {
		m = m.Where("day <= ?", q.To)
	}
	if q.Unanswered {
		m = m.Where("comment <> '' AND answered_at IS NULL")
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []ratingRow
	err := m.Order("day DESC, id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func userRatings(db *gorm.DB, userID int64, limit int) ([]ratingRow, error) {
	var rows []ratingRow
	err := db.Where("user_id = ?", userID).Order("day DESC, id DESC").Limit(limit).Find(&rows).Error
	return rows, dbErr(err, "")
}

// userScores returns a user's scores by meal and dish.
func userScores(db *gorm.DB, userID int64, mealIDs []int64) (map[int64]map[int64]int, error) {
	out := map[int64]map[int64]int{}
	if len(mealIDs) == 0 || userID == 0 {
		return out, nil
	}
	var rows []ratingRow
	if err := db.Select("meal_id, dish_id, score").Where("user_id = ? AND meal_id IN ?", userID, uniq(mealIDs)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		if out[r.MealID] == nil {
			out[r.MealID] = map[int64]int{}
		}
		out[r.MealID][r.DishID] = r.Score
	}
	return out, nil
}

// mealScores averages the scores of each dish of meals.
func mealScores(db *gorm.DB, mealIDs []int64) (map[int64]map[int64]Score, error) {
	out := map[int64]map[int64]Score{}
	if len(mealIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		MealID, DishID int64
		N, Total       int
	}
	err := db.Model(&ratingRow{}).Select("meal_id, dish_id, COUNT(*) AS n, SUM(score) AS total").Where("meal_id IN ?", uniq(mealIDs)).
		Group("meal_id, dish_id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		if out[r.MealID] == nil {
			out[r.MealID] = map[int64]Score{}
		}
		out[r.MealID][r.DishID] = Score{Avg: tally{n: r.N, sum: r.Total}.avg(), Count: r.N}
	}
	return out, nil
}

func scoresBetween(db *gorm.DB, from, to string) ([]dayScore, error) {
	var rows []dayScore
	err := db.Model(&ratingRow{}).Select("dish_id, day, score").Where("day >= ? AND day <= ?", from, to).Scan(&rows).Error
	return rows, dbErr(err, "")
}
