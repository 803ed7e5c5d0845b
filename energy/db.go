package energy

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/store"
)

// Rows as stored; the domain types are what leaves the package.

type meterRow struct {
	ID          int64
	Name        string
	Code        string
	Kind        string
	UnitID      int64
	BuildingID  *int64
	UOM         string `gorm:"column:uom"`
	Multiplier  float64
	Status      string
	InstalledAt *time.Time
	RemovedAt   *time.Time
	ReplacesID  *int64
	Note        string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (meterRow) TableName() string { return "energy_meters" }

type readingRow struct {
	ID         int64
	MeterID    int64
	At         time.Time
	Value      float64
	Status     string
	Flag       string
	FlagNote   string
	Source     string
	EnteredBy  *int64
	ReviewedBy *int64
	ReviewedAt *time.Time
	ReviewNote string
	CreatedAt  time.Time
}

func (readingRow) TableName() string { return "energy_readings" }

type coefficientRow struct {
	ID        int64
	Kind      string
	Value     float64
	Source    string
	UpdatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (coefficientRow) TableName() string { return "energy_coefficients" }

type co2Row struct {
	ID        int64
	Kind      string
	Region    string
	Value     float64
	Source    string
	UpdatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (co2Row) TableName() string { return "energy_co2_factors" }

type settingRow struct {
	Key       string `gorm:"primaryKey"`
	Value     string
	UpdatedBy *int64
	UpdatedAt time.Time
}

func (settingRow) TableName() string { return "energy_settings" }

type energyUnitRow struct {
	UnitID    int64 `gorm:"primaryKey;autoIncrement:false"`
	Headcount *int
	AreaDm2   *int64
	Note      string
	UpdatedBy *int64
	UpdatedAt time.Time
}

func (energyUnitRow) TableName() string { return "energy_units" }

// unitRow is what the figures read of a unit (auth owns the table).
type unitRow struct {
	ID   int64
	Name string
	Code *string
}

func (unitRow) TableName() string { return "units" }

// buildingRow is what the figures read of an office building (office owns the table).
type buildingRow struct {
	ID            int64
	Name          string
	TotalAreaDm2  int64
	UsableAreaDm2 int64
}

func (buildingRow) TableName() string { return "office_buildings" }

// area is the building's floor area for the indicators: its total (建筑面积), else its usable area.
func (b *buildingRow) area() int64 {
	if b.TotalAreaDm2 > 0 {
		return b.TotalAreaDm2
	}
	return b.UsableAreaDm2
}

// tx runs fn in a transaction and maps its error.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "")
}

// read is a plain session for reads outside a transaction.
func (s *Service) read(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// dbErrs maps the package's gorm errors (store.Errors).
const dbErrs = store.Errors("energy")

// dbErr maps gorm's errors to the fleet vocabulary; what names the record for "not found".
func dbErr(err error, what string) error { return dbErrs.Map(err, what) }

// lockingClause locks the rows read in a transaction on MySQL (store.ForUpdate).
func lockingClause(tx *gorm.DB) []clause.Expression { return store.ForUpdate(tx) }

// take reads one row by id into dst, locked for the transaction when lock is set.
func take(tx *gorm.DB, dst any, id int64, lock bool, what string) error {
	return dbErrs.Take(tx, dst, id, lock, what)
}

func insert(tx *gorm.DB, row any) error { return dbErr(tx.Create(row).Error, "") }

func save(tx *gorm.DB, row any) error { return dbErr(tx.Save(row).Error, "") }

// --- units and buildings -----------------------------------------------------------------------

func unitNames(tx *gorm.DB) (map[int64]string, error) {
	var rows []unitRow
	if err := tx.Select("id, name").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// checkUnitExists returns a problem with field when no unit has the id.
func checkUnitExists(tx *gorm.DB, field string, id int64) error {
	return checkExists(tx, &unitRow{}, field, id, "no such unit")
}

// checkBuildingExists returns a problem with field when no office building has the id.
func checkBuildingExists(tx *gorm.DB, field string, id *int64) error {
	if id == nil {
		return nil
	}
	return checkExists(tx, &buildingRow{}, field, *id, "no such building (see the office buildings)")
}

// checkExists returns problem with field when model's table has no row id.
func checkExists(tx *gorm.DB, model any, field string, id int64, problem string) error {
	var n int64
	if err := tx.Model(model).Where("id = ?", id).Count(&n).Error; err != nil {
		return dbErr(err, "")
	}
	if n == 0 {
		return invalid(field, problem)
	}
	return nil
}

func buildingNames(tx *gorm.DB) (map[int64]string, error) {
	var rows []buildingRow
	if err := tx.Select("id, name").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

func allBuildings(tx *gorm.DB) ([]buildingRow, error) {
	var rows []buildingRow
	err := tx.Select("id, name, total_area_dm2, usable_area_dm2").Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

// centerUnitID is the id of the center's unit (auth.CenterUnit), whose figures take the pooled
// vehicles that belong to no unit; 0 when there is none.
func centerUnitID(tx *gorm.DB, name string) (int64, error) {
	var r unitRow
	err := tx.Select("id, name").Where("name = ?", name).Take(&r).Error
	if store.IsNotFound(err) {
		return 0, nil
	}
	return r.ID, dbErr(err, "")
}

func uniq(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// invalid is a 400 naming one field.
func invalid(field, problem string) error { return fleet.Invalid(map[string]string{field: problem}) }
