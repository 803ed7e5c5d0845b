package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 10: the canteen (机关食堂): its settings, dishes, the weekly menus with their meals and
// the change log once published, the draft menu's votes and comments (菜谱征询), ratings of
// dishes after a meal, reservations (one per diner and meal: the unique index is the
// double-booking guard), waste weighed per meal, the quarterly anti-food-waste evaluations, and
// the food-safety records: samples kept (留样), suppliers, purchase inspections (进货查验) and
// kitchen hygiene checks.
//
// Weights are kept in whole grams and money in fen (分), so that sums are exact; calendar days
// (meal days, quarters, check days) as "YYYY-MM-DD" text, which sorts as it reads on both
// dialects; instants (cut-offs, sample times) as UTC.

// migrateV10 creates the tables and the settings row; each step is skipped when already done, so
// a rerun after a crash on MySQL (which commits DDL at once) goes on where it stopped.
func migrateV10(tx *gorm.DB) error {
	err := createTables(tx, &v10CanteenSettings{}, &v10CanteenDish{}, &v10CanteenWeek{}, &v10CanteenMeal{},
		&v10CanteenMealDish{}, &v10CanteenMenuChange{}, &v10CanteenVote{}, &v10CanteenComment{}, &v10CanteenRating{},
		&v10CanteenReservation{}, &v10CanteenWaste{}, &v10CanteenEvaluation{}, &v10CanteenSample{},
		&v10CanteenSupplier{}, &v10CanteenPurchase{}, &v10CanteenHygieneCheck{})
	if err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&v10CanteenSettings{}).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	// Platform defaults, changed by the canteen manager: next week's menu published by Thursday;
	// breakfast booked by 20:00 the day before, lunch by 09:30, dinner by 14:30; serving from
	// 07:00, 11:30 and 17:30; a waste target of 50 g per diner.
	return tx.Create(&v10CanteenSettings{ID: 1, PublishWeekday: 4, CutoffBreakfastMin: -240, CutoffLunchMin: 570,
		CutoffDinnerMin: 870, ServeBreakfastMin: 420, ServeLunchMin: 690, ServeDinnerMin: 1050, WasteTargetG: 50,
		UpdatedAt: time.Now().UTC()}).Error
}

// v10CanteenSettings is the one row (id 1) of the canteen's settings. Minutes count from 00:00
// of the meal's day in the county (negative: the day before).
type v10CanteenSettings struct {
	ID                 int64 `gorm:"primaryKey;autoIncrement:false"`
	PublishWeekday     int   `gorm:"not null"` // 1 Monday … 7 Sunday of the week before
	CutoffBreakfastMin int   `gorm:"not null"`
	CutoffLunchMin     int   `gorm:"not null"`
	CutoffDinnerMin    int   `gorm:"not null"`
	ServeBreakfastMin  int   `gorm:"not null"`
	ServeLunchMin      int   `gorm:"not null"`
	ServeDinnerMin     int   `gorm:"not null"`
	WasteTargetG       int   `gorm:"not null"` // grams of waste per diner
	UpdatedBy          *int64
	UpdatedAt          time.Time
}

func (v10CanteenSettings) TableName() string { return "canteen_settings" }

type v10CanteenDish struct {
	ID        int64  `gorm:"primaryKey"`
	Name      string `gorm:"size:100;not null;uniqueIndex"`
	Category  string `gorm:"size:16;not null;index"` // staple, meat, half_meat, vegetable, soup, porridge, snack, fruit, drink
	Allergens string `gorm:"size:255;not null;default:''"`
	PriceFen  int64  `gorm:"not null;default:0"`
	PhotoURL  string `gorm:"size:500;not null;default:''"` // an outside http(s) address
	PhotoSHA  string `gorm:"size:64;not null;default:''"`  // an uploaded photo, by content hash
	PhotoType string `gorm:"size:32;not null;default:''"`
	Note      string `gorm:"type:text"`
	Active    bool   `gorm:"not null;default:true"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v10CanteenDish) TableName() string { return "canteen_dishes" }

type v10CanteenWeek struct {
	ID          int64  `gorm:"primaryKey"`
	WeekStart   string `gorm:"size:10;not null;uniqueIndex"` // the Monday
	Status      string `gorm:"size:16;not null;index"`       // draft, published
	PublishedAt *time.Time
	PublishedBy *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v10CanteenWeek) TableName() string { return "canteen_weeks" }

type v10CanteenMeal struct {
	ID           int64           `gorm:"primaryKey"`
	WeekID       int64           `gorm:"not null;index"`
	Week         *v10CanteenWeek `gorm:"foreignKey:WeekID;constraint:OnDelete:RESTRICT"`
	Day          string          `gorm:"size:10;not null;uniqueIndex:idx_canteen_meals_day_kind,priority:1"`
	Kind         string          `gorm:"size:16;not null;uniqueIndex:idx_canteen_meals_day_kind,priority:2"` // breakfast, lunch, dinner
	CutoffAt     time.Time       `gorm:"not null"`
	Status       string          `gorm:"size:16;not null"` // open, cancelled
	CancelReason string          `gorm:"type:text"`
	CreatedBy    *int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

func (v10CanteenMeal) TableName() string { return "canteen_meals" }

type v10CanteenMealDish struct {
	ID       int64           `gorm:"primaryKey"`
	MealID   int64           `gorm:"not null;uniqueIndex:idx_canteen_meal_dishes,priority:1"`
	Meal     *v10CanteenMeal `gorm:"foreignKey:MealID;constraint:OnDelete:CASCADE"`
	DishID   int64           `gorm:"not null;uniqueIndex:idx_canteen_meal_dishes,priority:2;index"`
	Dish     *v10CanteenDish `gorm:"foreignKey:DishID;constraint:OnDelete:RESTRICT"`
	Position int             `gorm:"not null"`
}

func (v10CanteenMealDish) TableName() string { return "canteen_meal_dishes" }

// v10CanteenMenuChange is one line of a published week's change log. Append-only.
type v10CanteenMenuChange struct {
	ID        int64     `gorm:"primaryKey"`
	WeekID    int64     `gorm:"not null;index"`
	MealID    *int64    `gorm:"index"`
	At        time.Time `gorm:"not null"`
	ActorID   *int64
	ActorName string `gorm:"size:100;not null;default:''"`
	Action    string `gorm:"size:32;not null"` // publish, add_meal, dishes, cutoff, cancel
	FromValue string `gorm:"type:text"`
	ToValue   string `gorm:"type:text"`
	Reason    string `gorm:"type:text"`
}

func (v10CanteenMenuChange) TableName() string { return "canteen_menu_changes" }

// v10CanteenVote is a diner's view of a dish on a draft week's menu: +1 or -1.
type v10CanteenVote struct {
	ID        int64 `gorm:"primaryKey"`
	WeekID    int64 `gorm:"not null;uniqueIndex:idx_canteen_votes,priority:1"`
	DishID    int64 `gorm:"not null;uniqueIndex:idx_canteen_votes,priority:2"`
	UserID    int64 `gorm:"not null;uniqueIndex:idx_canteen_votes,priority:3"`
	Value     int   `gorm:"not null"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v10CanteenVote) TableName() string { return "canteen_votes" }

// v10CanteenComment is a diner's comment on a draft week's menu (on one dish, or the whole week),
// with the manager's answer.
type v10CanteenComment struct {
	ID         int64           `gorm:"primaryKey"`
	WeekID     int64           `gorm:"not null;index"`
	Week       *v10CanteenWeek `gorm:"foreignKey:WeekID;constraint:OnDelete:RESTRICT"`
	DishID     *int64          `gorm:"index"`
	UserID     int64           `gorm:"not null;index"`
	Body       string          `gorm:"type:text"`
	Answer     string          `gorm:"type:text"`
	AnsweredBy *int64
	AnsweredAt *time.Time
	CreatedAt  time.Time `gorm:"index"`
}

func (v10CanteenComment) TableName() string { return "canteen_comments" }

// v10CanteenRating is a diner's score (1–5) of a dish of a meal they ate, with a comment and
// the manager's answer.
type v10CanteenRating struct {
	ID         int64           `gorm:"primaryKey"`
	MealID     int64           `gorm:"not null;uniqueIndex:idx_canteen_ratings,priority:1"`
	Meal       *v10CanteenMeal `gorm:"foreignKey:MealID;constraint:OnDelete:RESTRICT"`
	DishID     int64           `gorm:"not null;uniqueIndex:idx_canteen_ratings,priority:2;index"`
	UserID     int64           `gorm:"not null;uniqueIndex:idx_canteen_ratings,priority:3"`
	Day        string          `gorm:"size:10;not null;index"` // the meal's day, for reports by period
	Score      int             `gorm:"not null"`
	Comment    string          `gorm:"type:text"`
	Answer     string          `gorm:"type:text"`
	AnsweredBy *int64
	AnsweredAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (v10CanteenRating) TableName() string { return "canteen_ratings" }

// v10CanteenReservation is one diner's booking of one meal; the unique index on (meal, user)
// makes a second booking fail even when two arrive at once.
type v10CanteenReservation struct {
	ID        int64           `gorm:"primaryKey"`
	MealID    int64           `gorm:"not null;uniqueIndex:idx_canteen_reservations,priority:1"`
	Meal      *v10CanteenMeal `gorm:"foreignKey:MealID;constraint:OnDelete:RESTRICT"`
	UserID    int64           `gorm:"not null;uniqueIndex:idx_canteen_reservations,priority:2;index"`
	User      *v1User         `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	UnitID    int64           `gorm:"not null;index"`
	Point     string          `gorm:"size:16;not null"` // dine_in, takeaway
	NoShow    bool            `gorm:"not null;default:false"`
	MarkedBy  *int64
	MarkedAt  *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v10CanteenReservation) TableName() string { return "canteen_reservations" }

// v10CanteenWaste is the food waste weighed after a meal and the diners actually served.
type v10CanteenWaste struct {
	ID         int64           `gorm:"primaryKey"`
	MealID     int64           `gorm:"not null;uniqueIndex"`
	Meal       *v10CanteenMeal `gorm:"foreignKey:MealID;constraint:OnDelete:RESTRICT"`
	Day        string          `gorm:"size:10;not null;index"`
	PlateG     int64           `gorm:"not null"` // left on the diners' plates
	KitchenG   int64           `gorm:"not null"` // cooked and not served, spoiled in preparation
	Diners     int             `gorm:"not null"`
	Note       string          `gorm:"type:text"`
	RecordedBy *int64
	RecordedAt time.Time
}

func (v10CanteenWaste) TableName() string { return "canteen_waste" }

// v10CanteenEvaluation is the quarterly anti-food-waste evaluation (反食品浪费评估): the
// checklist as JSON, its score, the quarter's figures when recorded and the conclusion.
type v10CanteenEvaluation struct {
	ID          int64  `gorm:"primaryKey"`
	Year        int    `gorm:"not null;uniqueIndex:idx_canteen_evaluations,priority:1"`
	Quarter     int    `gorm:"not null;uniqueIndex:idx_canteen_evaluations,priority:2"`
	Items       string `gorm:"type:text"` // JSON [{"item","ok","note"}]
	Score       int    `gorm:"not null"`
	Diners      int64  `gorm:"not null;default:0"`
	WasteG      int64  `gorm:"not null;default:0"`
	TargetG     int    `gorm:"not null;default:0"`
	Conclusion  string `gorm:"type:text"`
	Measures    string `gorm:"type:text"` // 整改措施
	Evaluator   string `gorm:"size:100;not null;default:''"`
	EvaluatedOn string `gorm:"size:10;not null"`
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v10CanteenEvaluation) TableName() string { return "canteen_evaluations" }

// v10CanteenSample is a retained sample (留样) of one dish of a meal.
type v10CanteenSample struct {
	ID            int64           `gorm:"primaryKey"`
	MealID        *int64          `gorm:"index"`
	Meal          *v10CanteenMeal `gorm:"foreignKey:MealID;constraint:OnDelete:RESTRICT"`
	DishID        *int64          `gorm:"index"`
	DishName      string          `gorm:"size:100;not null"`
	Day           string          `gorm:"size:10;not null;index"`
	WeightG       int             `gorm:"not null"`
	Refrigerated  bool            `gorm:"not null"`
	TakenAt       time.Time       `gorm:"not null;index"`
	TakenBy       string          `gorm:"size:100;not null"`
	DiscardedAt   *time.Time      `gorm:"index"`
	DiscardedBy   string          `gorm:"size:100;not null;default:''"`
	Note          string          `gorm:"type:text"`
	DiscardReason string          `gorm:"type:text"` // why a sample went before its 48 hours
	RecordedBy    *int64
	CreatedAt     time.Time
}

func (v10CanteenSample) TableName() string { return "canteen_samples" }

type v10CanteenSupplier struct {
	ID            int64  `gorm:"primaryKey"`
	Name          string `gorm:"size:100;not null;uniqueIndex"`
	LicenseNo     string `gorm:"size:64;not null;default:''"` // 食品经营许可证 / 营业执照
	LicenseExpiry string `gorm:"size:10;not null;default:''"`
	Contact       string `gorm:"size:100;not null;default:''"`
	Phone         string `gorm:"size:32;not null;default:''"`
	Goods         string `gorm:"size:255;not null;default:''"`
	Active        bool   `gorm:"not null;default:true"`
	Note          string `gorm:"type:text"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v10CanteenSupplier) TableName() string { return "canteen_suppliers" }

// v10CanteenPurchase is one inspected delivery of an ingredient (进货查验记录).
type v10CanteenPurchase struct {
	ID          int64               `gorm:"primaryKey"`
	SupplierID  int64               `gorm:"not null;index"`
	Supplier    *v10CanteenSupplier `gorm:"foreignKey:SupplierID;constraint:OnDelete:RESTRICT"`
	ReceivedOn  string              `gorm:"size:10;not null;index"`
	Item        string              `gorm:"size:100;not null"`
	Quantity    string              `gorm:"size:32;not null;default:''"`
	Batch       string              `gorm:"size:64;not null;default:''"` // production date or batch
	ExpiresOn   string              `gorm:"size:10;not null;default:''"`
	Certificate bool                `gorm:"not null;default:false"` // 合格证明 / 检验检疫证明 seen
	Result      string              `gorm:"size:16;not null"`       // accepted, rejected
	Inspector   string              `gorm:"size:100;not null"`
	Note        string              `gorm:"type:text"`
	RecordedBy  *int64
	CreatedAt   time.Time
}

func (v10CanteenPurchase) TableName() string { return "canteen_purchases" }

// v10CanteenHygieneCheck is one weekly kitchen hygiene check: the checklist as JSON.
type v10CanteenHygieneCheck struct {
	ID         int64  `gorm:"primaryKey"`
	CheckedOn  string `gorm:"size:10;not null;index"`
	Inspector  string `gorm:"size:100;not null"`
	Items      string `gorm:"type:text"`        // JSON [{"item","ok","note"}]
	Result     string `gorm:"size:16;not null"` // pass, issues
	Note       string `gorm:"type:text"`
	RecordedBy *int64
	CreatedAt  time.Time
}

func (v10CanteenHygieneCheck) TableName() string { return "canteen_hygiene_checks" }
