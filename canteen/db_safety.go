package canteen

import (
	"time"

	"gorm.io/gorm"

	"fleet"
)

type sampleRow struct {
	ID            int64
	MealID        *int64
	DishID        *int64
	DishName      string
	Day           string
	WeightG       int
	Refrigerated  bool
	TakenAt       time.Time
	TakenBy       string
	DiscardedAt   *time.Time
	DiscardedBy   string
	Note          string
	DiscardReason string
	RecordedBy    *int64
	CreatedAt     time.Time
}

func (sampleRow) TableName() string { return "canteen_samples" }

type supplierRow struct {
	ID            int64
	Name          string
	LicenseNo     string
	LicenseExpiry string
	Contact       string
	Phone         string
	Goods         string
	Active        bool
	Note          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (supplierRow) TableName() string { return "canteen_suppliers" }

type purchaseRow struct {
	ID          int64
	SupplierID  int64
	ReceivedOn  string
	Item        string
	Quantity    string
	Batch       string
	ExpiresOn   string
	Certificate bool
	Result      string
	Inspector   string
	Note        string
	RecordedBy  *int64
	CreatedAt   time.Time
}

func (purchaseRow) TableName() string { return "canteen_purchases" }

type hygieneRow struct {
	ID         int64
	CheckedOn  string
	Inspector  string
	Items      string
	Result     string
	Note       string
	RecordedBy *int64
	CreatedAt  time.Time
}

func (hygieneRow) TableName() string { return "canteen_hygiene_checks" }

func sampleExists(db *gorm.DB, mealID, dishID int64) (bool, error) {
	var n int64
	err := db.Model(&sampleRow{}).Where("meal_id = ? AND dish_id = ?", mealID, dishID).Count(&n).Error
	return n > 0, dbErr(err, "")
}

func listSamples(db *gorm.DB, q SampleQuery) ([]sampleRow, int64, error) {
	m := db.Model(&sampleRow{})
	if q.From != "" {
		m = m.Where("day >= ?", q.From)
	}
	if q.To != "" {
		m = m.Where("day <= ?", q.To)
	}
	if q.Open {
		m = m.Where("discarded_at IS NULL")
	}
	return page[sampleRow](m, q.Page, "taken_at DESC, id DESC")
}

// samplesToCheck returns the samples taken since a day and every one not yet discarded.
func samplesToCheck(db *gorm.DB, since string) ([]sampleRow, error) {
	var rows []sampleRow
	err := db.Where("day >= ? OR discarded_at IS NULL", since).Order("taken_at DESC").Limit(2000).Find(&rows).Error
	return rows, dbErr(err, "")
}

// sampledDishes returns which (meal, dish) pairs have a sample.
func sampledDishes(db *gorm.DB, mealIDs []int64) (map[[2]int64]bool, error) {
	out := map[[2]int64]bool{}
	if len(mealIDs) == 0 {
		return out, nil
	}
	var rows []sampleRow
	if err := db.Select("meal_id, dish_id").Where("meal_id IN ? AND dish_id IS NOT NULL", uniq(mealIDs)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[[2]int64{*r.MealID, *r.DishID}] = true
	}
	return out, nil
}

func listSuppliers(db *gorm.DB, q fleet.Page) ([]supplierRow, int64, error) {
	return page[supplierRow](db.Model(&supplierRow{}), q, "active DESC, name")
}

func activeSuppliers(db *gorm.DB) ([]supplierRow, error) {
	var rows []supplierRow
	err := db.Where("active = ?", true).Order("name").Find(&rows).Error
	return rows, dbErr(err, "")
}

func suppliersByID(db *gorm.DB, ids []int64) (map[int64]supplierRow, error) {
	out := map[int64]supplierRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []supplierRow
	if err := db.Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

func listPurchases(db *gorm.DB, q PurchaseQuery) ([]purchaseRow, int64, error) {
	m := db.Model(&purchaseRow{})
	if q.SupplierID != 0 {
		m = m.Where("supplier_id = ?", q.SupplierID)
	}
	if q.From != "" {
		m = m.Where("received_on >= ?", q.From)
	}
	if q.To != "" {
		m = m.Where("received_on <= ?", q.To)
	}
	if q.Result != "" {
		m = m.Where("result = ?", q.Result)
	}
	return page[purchaseRow](m, q.Page, "received_on DESC, id DESC")
}

func purchasesSince(db *gorm.DB, since string) ([]purchaseRow, error) {
	var rows []purchaseRow
	err := db.Where("received_on >= ?", since).Order("received_on DESC, id DESC").Limit(1000).Find(&rows).Error
	return rows, dbErr(err, "")
}

func listHygiene(db *gorm.DB, q fleet.Page) ([]hygieneRow, int64, error) {
	return page[hygieneRow](db.Model(&hygieneRow{}), q, "checked_on DESC, id DESC")
}

// lastHygiene returns the day of the latest check, "" when none.
func lastHygiene(db *gorm.DB) (string, error) {
	var rows []hygieneRow
	err := db.Select("checked_on").Order("checked_on DESC").Limit(1).Find(&rows).Error
	if err != nil || len(rows) == 0 {
		return "", dbErr(err, "")
	}
	return rows[0].CheckedOn, nil
}

// page counts what m matches and reads one page of it in order.
func page[T any](m *gorm.DB, q fleet.Page, order string) ([]T, int64, error) {
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []T
	err := m.Order(order).Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}
