package office

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/store"
)

// Rows as stored; the domain types are what leaves the package.

type standardRow struct {
	ID        int64
	Level     string
	Kind      string
	Code      string
	Name      string
	Value     float64
	Position  int
	Source    string
	UpdatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (standardRow) TableName() string { return "office_standards" }

type buildingRow struct {
	ID            int64
	Name          string
	Address       string
	Floors        int
	TotalAreaDm2  int64
	UsableAreaDm2 int64
	Ownership     string
	Note          string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (buildingRow) TableName() string { return "office_buildings" }

type roomRow struct {
	ID         int64
	BuildingID int64
	Floor      int
	Number     string
	AreaDm2    int64
	Use        string
	Note       string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (roomRow) TableName() string { return "office_rooms" }

type assignmentRow struct {
	ID         int64
	RoomID     int64
	UnitID     int64
	UserID     *int64
	Post       string
	Concurrent bool
	StartAt    time.Time
	EndAt      *time.Time
	EndReason  string
	CreatedBy  *int64
	CreatedAt  time.Time
}

func (assignmentRow) TableName() string { return "office_assignments" }

type changeRow struct {
	ID         int64
	At         time.Time
	ActorID    *int64
	ActorName  string
	Subject    string
	SubjectID  int64
	Action     string
	BuildingID *int64
	RoomID     *int64
	UnitID     *int64
	UserID     *int64
	FromValue  string
	ToValue    string
	Reason     string
}

func (changeRow) TableName() string { return "office_changes" }

// personRow is what the ledger reads of a user (auth owns the table; this package only reads it,
// through the caller's transaction).
type personRow struct {
	ID       int64
	Username string
	Name     string
	UnitID   int64
	Rank     *string `gorm:"column:rank"`
	Disabled bool
}

func (personRow) TableName() string { return "users" }

func (p *personRow) rank() string {
	if p.Rank == nil {
		return ""
	}
	return *p.Rank
}

type unitRow struct {
	ID   int64
	Name string
}

func (unitRow) TableName() string { return "units" }

// tx runs fn in a transaction and maps its error.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "")
}

// inSavepoint runs one import row's changes under a savepoint, so that a bad row leaves nothing behind
// while the transaction goes on with the next.
func inSavepoint(tx *gorm.DB, fn func() error) error {
	if err := tx.SavePoint("office_row").Error; err != nil {
		return err
	}
	if err := fn(); err != nil {
		if rb := tx.RollbackTo("office_row").Error; rb != nil {
			return fmt.Errorf("office: rollback row: %w", rb)
		}
		return err
	}
	return nil
}

// read is a plain session for reads outside a transaction.
func (s *Service) read(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// dbErrs maps the package's gorm errors (store.Errors).
const dbErrs = store.Errors("office")

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

// --- users and units -------------------------------------------------------------------------

func findPerson(tx *gorm.DB, id int64) (*personRow, error) {
	var p personRow
	err := tx.Select("id, username, name, unit_id, `rank`, disabled").Take(&p, id).Error
	if store.IsNotFound(err) {
		return nil, fleet.Invalid(map[string]string{"user_id": "no such user"})
	}
	return &p, dbErr(err, "user")
}

// lockPerson reads a user locked for the transaction on MySQL, so that two assignments of one
// person at once are checked one after the other.
func lockPerson(tx *gorm.DB, id int64) (*personRow, error) {
	var p personRow
	err := tx.Clauses(lockingClause(tx)...).Select("id, username, name, unit_id, `rank`, disabled").Take(&p, id).Error
	if store.IsNotFound(err) {
		return nil, fleet.Invalid(map[string]string{"user_id": "no such user"})
	}
	return &p, dbErr(err, "user")
}

func peopleByID(tx *gorm.DB, ids []int64) (map[int64]*personRow, error) {
	out := map[int64]*personRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personRow
	if err := tx.Select("id, username, name, unit_id, `rank`, disabled").Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// personByUsername finds an enabled or disabled user by username (case-insensitive).
func personByUsername(tx *gorm.DB, username string) (*personRow, error) {
	var p personRow
	err := tx.Select("id, username, name, unit_id, `rank`, disabled").Where("LOWER(username) = LOWER(?)", username).Take(&p).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &p, dbErr(err, "")
}

// peopleNamed finds the users of a unit with a name.
func peopleNamed(tx *gorm.DB, unitID int64, name string) ([]personRow, error) {
	var rows []personRow
	err := tx.Select("id, username, name, unit_id, `rank`, disabled").Where("unit_id = ? AND name = ?", unitID, name).Find(&rows).Error
	return rows, dbErr(err, "")
}

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

func unitName(tx *gorm.DB, id int64) (string, error) {
	var r unitRow
	err := tx.Select("id, name").Take(&r, id).Error
	if store.IsNotFound(err) {
		return "", fleet.Invalid(map[string]string{"unit_id": "no such unit"})
	}
	return r.Name, dbErr(err, "unit")
}

func unitByName(tx *gorm.DB, name string) (int64, bool, error) {
	var r unitRow
	err := tx.Select("id, name").Where("name = ?", name).Take(&r).Error
	if store.IsNotFound(err) {
		return 0, false, nil
	}
	return r.ID, err == nil, dbErr(err, "")
}

// --- standards ---------------------------------------------------------------------------------

func standardRows(tx *gorm.DB, level string) ([]standardRow, error) {
	var rows []standardRow
	err := tx.Where("level = ?", level).Order("position, id").Find(&rows).Error
	return rows, dbErr(err, "")
}

// loadStandards reads the standards of level as the figures use them.
func loadStandards(tx *gorm.DB, level string) (*standardSet, error) {
	rows, err := standardRows(tx, level)
	if err != nil {
		return nil, err
	}
	set := &standardSet{person: map[string]int64{}, names: map[string]string{}}
	for _, r := range rows {
		switch r.Kind {
		case KindPerson:
			set.person[r.Code] = toDm2(r.Value)
			set.names[r.Code] = r.Name
		case KindService:
			set.serviceM2 = toDm2(r.Value)
		case KindEquipment:
			set.equipment = r.Value
		}
	}
	return set, nil
}

// rankNames maps the ranks of level to their names (县级正职 …), for the history's words.
func rankNames(tx *gorm.DB, level string) (map[string]string, error) {
	set, err := loadStandards(tx, level)
	if err != nil {
		return nil, err
	}
	return set.names, nil
}

// replaceStandards replaces the rows of a level: updates what stays, adds what is new, deletes
// what is gone.
func replaceStandards(tx *gorm.DB, level string, rows []standardRow, now time.Time) error {
	old, err := standardRows(tx, level)
	if err != nil {
		return err
	}
	byKey := map[string]*standardRow{}
	for i := range old {
		byKey[old[i].Kind+"/"+old[i].Code] = &old[i]
	}
	for i := range rows {
		r := &rows[i]
		if o, ok := byKey[r.Kind+"/"+r.Code]; ok {
			r.ID, r.CreatedAt = o.ID, o.CreatedAt
			delete(byKey, r.Kind+"/"+r.Code)
		} else {
			r.CreatedAt = now
		}
		r.UpdatedAt = now
		if err := save(tx, r); err != nil {
			return err
		}
	}
	for _, o := range byKey {
		if err := dbErr(tx.Delete(&standardRow{}, o.ID).Error, ""); err != nil {
			return err
		}
	}
	return nil
}

// usersWithRank counts the users who hold rank.
func usersWithRank(tx *gorm.DB, rank string) (int64, error) {
	var n int64
	err := tx.Model(&personRow{}).Where("`rank` = ?", rank).Count(&n).Error
	return n, dbErr(err, "")
}

// rankLevels counts the rows of kind person with code on levels other than level.
func rankElsewhere(tx *gorm.DB, rank, level string) (int64, error) {
	var n int64
	err := tx.Model(&standardRow{}).Where("kind = ? AND code = ? AND level <> ?", KindPerson, rank, level).Count(&n).Error
	return n, dbErr(err, "")
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
