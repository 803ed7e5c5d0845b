package canteen

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet/store"
)

// Rows as stored; the domain types are what leaves the package. All gorm code of the package
// lives in the db*.go files.

type settingsRow struct {
	ID                 int64
	PublishWeekday     int
	CutoffBreakfastMin int
	CutoffLunchMin     int
	CutoffDinnerMin    int
	ServeBreakfastMin  int
	ServeLunchMin      int
	ServeDinnerMin     int
	WasteTargetG       int
	UpdatedBy          *int64
	UpdatedAt          time.Time
}

func (settingsRow) TableName() string { return "canteen_settings" }

// personRow is what the canteen reads of a user (auth owns the table).
type personRow struct {
	ID       int64
	Username string
	Name     string
	UnitID   int64
}

func (personRow) TableName() string { return "users" }

type unitRow struct {
	ID   int64
	Name string
}

func (unitRow) TableName() string { return "units" }

// tx runs fn in a transaction and maps its error.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "")
}

// read is a plain session for reads outside a transaction.
func (s *Service) read(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// dbErrs maps the package's gorm errors (store.Errors).
const dbErrs = store.Errors("canteen")

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

func loadSettings(db *gorm.DB) (*settingsRow, error) {
	var r settingsRow
	return &r, dbErr(db.Take(&r, 1).Error, "canteen settings")
}

// peopleByID reads users' names and units.
func peopleByID(db *gorm.DB, ids []int64) (map[int64]personRow, error) {
	out := map[int64]personRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := db.Select("id, username, name, unit_id").Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

func unitNames(db *gorm.DB) (map[int64]string, error) {
	var rows []unitRow
	if err := db.Select("id, name").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// names are the users, units and dishes a list of feedback names.
type names struct {
	people map[int64]personRow
	units  map[int64]string
	dishes map[int64]string
}

func loadNames(db *gorm.DB, users, dishIDs []int64) (*names, error) {
	n := &names{}
	var err error
	if n.people, err = peopleByID(db, users); err != nil {
		return nil, err
	}
	if n.units, err = unitNames(db); err != nil {
		return nil, err
	}
	if n.dishes, err = dishNames(db, dishIDs); err != nil {
		return nil, err
	}
	return n, nil
}

// author is a user's name (the username when unnamed) and unit.
func (n *names) author(id int64) (string, string) {
	p := n.people[id]
	name := p.Name
	if name == "" {
		name = p.Username
	}
	return name, n.units[p.UnitID]
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
