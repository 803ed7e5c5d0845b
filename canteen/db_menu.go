package canteen

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

type dishRow struct {
	ID        int64
	Name      string
	Category  string
	Allergens string
	PriceFen  int64
	PhotoURL  string
	PhotoSHA  string
	PhotoType string
	Note      string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (dishRow) TableName() string { return "canteen_dishes" }

type weekRow struct {
	ID          int64
	WeekStart   string
	Status      string
	PublishedAt *time.Time
	PublishedBy *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (weekRow) TableName() string { return "canteen_weeks" }

type mealRow struct {
	ID           int64
	WeekID       int64
	Day          string
	Kind         string
	CutoffAt     time.Time
	Status       string
	CancelReason string
	CreatedBy    *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (mealRow) TableName() string { return "canteen_meals" }

type mealDishRow struct {
	ID       int64
	MealID   int64
	DishID   int64
	Position int
}

func (mealDishRow) TableName() string { return "canteen_meal_dishes" }

type changeRow struct {
	ID        int64
	WeekID    int64
	MealID    *int64
	At        time.Time
	ActorID   *int64
	ActorName string
	Action    string
	FromValue string
	ToValue   string
	Reason    string
}

func (changeRow) TableName() string { return "canteen_menu_changes" }

// --- dishes ------------------------------------------------------------------------------------

func listDishes(db *gorm.DB, q DishQuery) ([]dishRow, int64, error) {
	m := db.Model(&dishRow{})
	if q.Query != "" {
		m = m.Where("name LIKE ? ESCAPE '!'", store.Like(q.Query))
	}
	if q.Category != "" {
		m = m.Where("category = ?", q.Category)
	}
	if q.Active != nil {
		m = m.Where("active = ?", *q.Active)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []dishRow
	err := m.Order("active DESC, category, name").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func dishesByID(db *gorm.DB, ids []int64) (map[int64]dishRow, error) {
	out := map[int64]dishRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []dishRow
	if err := db.Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// --- weeks and meals ---------------------------------------------------------------------------

// weekByStart returns the week of a Monday, or nil when none is stored.
func weekByStart(db *gorm.DB, start string, lock bool) (*weekRow, error) {
	q := db
	if lock {
		q = q.Clauses(lockingClause(db)...)
	}
	var w weekRow
	err := q.Where("week_start = ?", start).Take(&w).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &w, dbErr(err, "")
}

// ensureWeek returns the week of a Monday, creating it as a draft when missing.
func ensureWeek(tx *gorm.DB, start string, now time.Time) (*weekRow, error) {
	w, err := weekByStart(tx, start, true)
	if err != nil || w != nil {
		return w, err
	}
	w = &weekRow{WeekStart: start, Status: WeekDraft, CreatedAt: now, UpdatedAt: now}
	if err := insert(tx, w); err != nil {
		return nil, err
	}
	return w, nil
}

func mealsOfWeek(db *gorm.DB, weekID int64) ([]mealRow, error) {
	var rows []mealRow
	err := db.Where("week_id = ?", weekID).Find(&rows).Error
	sortMeals(rows)
	return rows, dbErr(err, "")
}

// mealsBetween lists the meals of the days from–to (inclusive).
func mealsBetween(db *gorm.DB, from, to string) ([]mealRow, error) {
	var rows []mealRow
	err := db.Where("day >= ? AND day <= ?", from, to).Find(&rows).Error
	sortMeals(rows)
	return rows, dbErr(err, "")
}

func mealByDayKind(db *gorm.DB, day, kind string) (*mealRow, error) {
	var m mealRow
	err := db.Where("day = ? AND kind = ?", day, kind).Take(&m).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &m, dbErr(err, "")
}

// mealDishes returns the dish ids of each meal, in menu order.
func mealDishes(db *gorm.DB, mealIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(mealIDs) == 0 {
		return out, nil
	}
	var rows []mealDishRow
	if err := db.Where("meal_id IN ?", uniq(mealIDs)).Order("meal_id, position").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.MealID] = append(out[r.MealID], r.DishID)
	}
	return out, nil
}

// setMealDishes replaces a meal's dishes.
func setMealDishes(tx *gorm.DB, mealID int64, dishIDs []int64) error {
	if err := tx.Where("meal_id = ?", mealID).Delete(&mealDishRow{}).Error; err != nil {
		return dbErr(err, "")
	}
	if len(dishIDs) == 0 {
		return nil
	}
	rows := make([]mealDishRow, len(dishIDs))
	for i, id := range dishIDs {
		rows[i] = mealDishRow{MealID: mealID, DishID: id, Position: i + 1}
	}
	return insert(tx, &rows)
}

func weekChanges(db *gorm.DB, weekID int64) ([]changeRow, error) {
	var rows []changeRow
	err := db.Where("week_id = ?", weekID).Order("at DESC, id DESC").Find(&rows).Error
	return rows, dbErr(err, "")
}

// mealKinds returns the kind of each meal.
func mealKinds(db *gorm.DB, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []mealRow
	if err := db.Select("id, kind").Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r.Kind
	}
	return out, nil
}
