package canteen

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

type reservationRow struct {
	ID        int64
	MealID    int64
	UserID    int64
	UnitID    int64
	Point     string
	NoShow    bool
	MarkedBy  *int64
	MarkedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (reservationRow) TableName() string { return "canteen_reservations" }

type wasteRow struct {
	ID         int64
	MealID     int64
	Day        string
	PlateG     int64
	KitchenG   int64
	Diners     int
	Note       string
	RecordedBy *int64
	RecordedAt time.Time
}

func (wasteRow) TableName() string { return "canteen_waste" }

// mealCounts counts the bookings of meals by point; no-shows are counted in their point too.
func mealCounts(db *gorm.DB, mealIDs []int64) (map[int64]Counts, error) {
	out := map[int64]Counts{}
	if len(mealIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		MealID int64
		Point  string
		NoShow bool
		N      int
	}
	err := db.Model(&reservationRow{}).Select("meal_id, point, no_show, COUNT(*) AS n").Where("meal_id IN ?", uniq(mealIDs)).
		Group("meal_id, point, no_show").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		c := out[r.MealID]
		switch r.Point {
		case DineIn:
			c.DineIn += r.N
		case Takeaway:
			c.Takeaway += r.N
		}
		c.Total += r.N
		if r.NoShow {
			c.NoShows += r.N
		}
		out[r.MealID] = c
	}
	return out, nil
}

// userReservations returns a user's bookings of meals, by meal.
func userReservations(db *gorm.DB, userID int64, mealIDs []int64) (map[int64]reservationRow, error) {
	out := map[int64]reservationRow{}
	if len(mealIDs) == 0 || userID == 0 {
		return out, nil
	}
	var rows []reservationRow
	if err := db.Where("user_id = ? AND meal_id IN ?", userID, uniq(mealIDs)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.MealID] = r
	}
	return out, nil
}

// reservationOf returns a user's booking of a meal, or nil.
func reservationOf(db *gorm.DB, mealID, userID int64) (*reservationRow, error) {
	var r reservationRow
	err := db.Where("meal_id = ? AND user_id = ?", mealID, userID).Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

func deleteReservation(tx *gorm.DB, id int64) error {
	return dbErr(tx.Delete(&reservationRow{}, id).Error, "")
}

func countReservations(db *gorm.DB, mealID int64) (int64, error) {
	var n int64
	err := db.Model(&reservationRow{}).Where("meal_id = ?", mealID).Count(&n).Error
	return n, dbErr(err, "")
}

// deleteMeal removes a meal with no booking (its dishes go with it).
func deleteMeal(tx *gorm.DB, id int64) error {
	if err := tx.Where("meal_id = ?", id).Delete(&mealDishRow{}).Error; err != nil {
		return dbErr(err, "")
	}
	return dbErr(tx.Delete(&mealRow{}, id).Error, "")
}

// userBookings returns a user's bookings of the days from–to and their meals.
func userBookings(db *gorm.DB, userID int64, from, to string) ([]reservationRow, map[int64]mealRow, error) {
	meals, err := mealsBetween(db, from, to)
	if err != nil {
		return nil, nil, err
	}
	byID := map[int64]mealRow{}
	ids := make([]int64, len(meals))
	for i, m := range meals {
		byID[m.ID], ids[i] = m, m.ID
	}
	mine, err := userReservations(db, userID, ids)
	if err != nil {
		return nil, nil, err
	}
	var out []reservationRow
	for _, m := range meals { // in meal order
		if r, ok := mine[m.ID]; ok {
			out = append(out, r)
		}
	}
	return out, byID, nil
}

func mealReservations(db *gorm.DB, mealID int64) ([]reservationRow, error) {
	var rows []reservationRow
	err := db.Where("meal_id = ?", mealID).Order("point, unit_id, id").Find(&rows).Error
	return rows, dbErr(err, "")
}

// reservationsBetween returns the bookings of the meals of days from–to.
func reservationsBetween(db *gorm.DB, from, to string) ([]reservationRow, error) {
	var rows []reservationRow
	err := db.Where("meal_id IN (SELECT id FROM canteen_meals WHERE day >= ? AND day <= ?)", from, to).Find(&rows).Error
	return rows, dbErr(err, "")
}

func wasteByMeal(db *gorm.DB, mealIDs []int64) (map[int64]wasteRow, error) {
	out := map[int64]wasteRow{}
	if len(mealIDs) == 0 {
		return out, nil
	}
	var rows []wasteRow
	if err := db.Where("meal_id IN ?", uniq(mealIDs)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.MealID] = r
	}
	return out, nil
}

func wasteOf(db *gorm.DB, mealID int64, lock bool) (*wasteRow, error) {
	q := db
	if lock {
		q = q.Clauses(lockingClause(db)...)
	}
	var r wasteRow
	err := q.Where("meal_id = ?", mealID).Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

func wasteBetween(db *gorm.DB, from, to string) ([]wasteRow, error) {
	var rows []wasteRow
	err := db.Where("day >= ? AND day <= ?", from, to).Order("day, meal_id").Find(&rows).Error
	return rows, dbErr(err, "")
}

type evaluationRow struct {
	ID          int64
	Year        int
	Quarter     int
	Items       string
	Score       int
	Diners      int64
	WasteG      int64
	TargetG     int
	Conclusion  string
	Measures    string
	Evaluator   string
	EvaluatedOn string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (evaluationRow) TableName() string { return "canteen_evaluations" }

func listEvaluations(db *gorm.DB) ([]evaluationRow, error) {
	var rows []evaluationRow
	err := db.Order("year DESC, quarter DESC").Find(&rows).Error
	return rows, dbErr(err, "")
}
