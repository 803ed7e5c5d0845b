package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/store"
)

// Rows as stored; the domain types above are what leaves the package.

type unitRow struct {
	ID        int64
	Name      string
	Code      *string
	ParentID  *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (unitRow) TableName() string { return "units" }

func (r *unitRow) unit() *Unit {
	u := &Unit{ID: r.ID, Name: r.Name, ParentID: r.ParentID, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.Code != nil {
		u.Code = *r.Code
	}
	return u
}

type userRow struct {
	ID                int64
	Username          string
	Name              string
	Phone             string
	UnitID            int64
	Role              string
	Rank              *string `gorm:"column:rank"`
	PasswordHash      string
	Disabled          bool
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (userRow) TableName() string { return "users" }

type sessionRow struct {
	ID         string
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// failureRow is failure with its storage tags (the conversion between them ignores tags).
type failureRow struct {
	Key         string `gorm:"primaryKey"`
	Failures    int
	FirstAt     time.Time
	LastAt      time.Time
	LockedUntil *time.Time
}

func (failureRow) TableName() string { return "login_failures" }

func (AuditEntry) TableName() string { return "audit_log" }

// tx runs fn in a transaction.
func (s *Service) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return dbErr(s.db.WithContext(ctx).Transaction(fn), "")
}

// dbErr maps gorm's errors to the fleet vocabulary; what names the record for "not found".
func dbErr(err error, what string) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		if what == "" {
			what = "record"
		}
		return fleet.Errorf(fleet.ENotFound, "%s not found", what)
	case store.IsDuplicate(err):
		return fleet.Errorf(fleet.EConflict, "already exists")
	case store.IsForeignKey(err):
		return fleet.Errorf(fleet.EConflict, "still in use by other records")
	}
	return fmt.Errorf("auth: %w", err)
}

// userColumns quotes rank: RANK is a reserved word of MySQL 8.
const userColumns = "users.id, users.username, users.name, users.phone, users.unit_id, units.name AS unit_name, users.role, COALESCE(users.`rank`, '') AS `rank`, users.disabled, users.created_at, users.updated_at"

func userQuery(db *gorm.DB) *gorm.DB {
	return db.Table("users").Select(userColumns).Joins("JOIN units ON units.id = users.unit_id")
}

func (s *Service) getUser(ctx context.Context, id int64) (*User, error) {
	var u User
	err := userQuery(s.db.WithContext(ctx)).Where("users.id = ?", id).Take(&u).Error
	if err != nil {
		return nil, dbErr(err, "user")
	}
	return &u, nil
}

// userForLogin returns the user and password hash for a username (case-insensitive).
func (s *Service) userForLogin(ctx context.Context, username string) (*User, string, error) {
	var row struct {
		User
		PasswordHash string
	}
	err := userQuery(s.db.WithContext(ctx)).Select(userColumns+", users.password_hash").
		Where("LOWER(users.username) = ?", strings.ToLower(username)).Take(&row).Error
	if err != nil {
		return nil, "", dbErr(err, "user")
	}
	return &row.User, row.PasswordHash, nil
}

func (s *Service) listUsers(ctx context.Context, f UserFilter) ([]User, int64, error) {
	q := userQuery(s.db.WithContext(ctx))
	if f.Role != "" {
		q = q.Where("users.role = ?", f.Role)
	}
	if f.UnitID != 0 {
		q = q.Where("users.unit_id = ?", f.UnitID)
	}
	if f.Query != "" {
		like := store.Like(f.Query)
		q = q.Where("users.username LIKE ? ESCAPE '!' OR users.name LIKE ? ESCAPE '!' OR users.phone LIKE ? ESCAPE '!'", like, like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	users := []User{}
	err := q.Order("users.id").Limit(f.Limit).Offset(f.Offset).Find(&users).Error
	return users, total, dbErr(err, "")
}

func findUser(tx *gorm.DB, id int64) (*userRow, error) {
	var r userRow
	if err := tx.Clauses(lockingClause(tx)...).Take(&r, id).Error; err != nil {
		return nil, dbErr(err, "user")
	}
	return &r, nil
}

func insertUser(tx *gorm.DB, r *userRow) error {
	err := tx.Create(r).Error
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "username already taken", Fields: map[string]string{"username": "already taken"}}
	}
	return dbErr(err, "")
}

func updateUser(tx *gorm.DB, id int64, in UserInput, now time.Time) error {
	set := map[string]any{
		"username": in.Username, "name": in.Name, "phone": in.Phone, "role": in.Role, "unit_id": in.UnitID, "updated_at": now,
	}
	if in.Rank != nil {
		set["rank"] = optional(*in.Rank)
	}
	err := tx.Model(&userRow{}).Where("id = ?", id).Updates(set).Error
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "username already taken", Fields: map[string]string{"username": "already taken"}}
	}
	return dbErr(err, "")
}

func setUserDisabled(tx *gorm.DB, id int64, disabled bool, now time.Time) error {
	return dbErr(tx.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{"disabled": disabled, "updated_at": now}).Error, "")
}

func setUserPassword(tx *gorm.DB, id int64, hash string, now time.Time) error {
	return dbErr(tx.Model(&userRow{}).Where("id = ?", id).Updates(map[string]any{
		"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error, "")
}

func unitExists(tx *gorm.DB, id int64) error { return unitExistsField(tx, id, "unit_id") }

// rankKnown checks a rank against the ranks of the office standards table (kind person, any
// administrative level): the table is the one list of ranks, which the office manager extends.
func rankKnown(tx *gorm.DB, rank *string) error {
	if rank == nil || *rank == "" {
		return nil
	}
	var codes []string
	err := tx.Table("office_standards").Where("kind = ?", "person").Distinct("code").Order("code").Pluck("code", &codes).Error
	if err != nil {
		return dbErr(err, "")
	}
	for _, c := range codes {
		if c == *rank {
			return nil
		}
	}
	return fleet.Invalid(map[string]string{"rank": "unknown rank; the standards table knows " + strings.Join(codes, ", ")})
}

func unitExistsField(tx *gorm.DB, id int64, field string) error {
	var n int64
	if err := tx.Model(&unitRow{}).Where("id = ?", id).Count(&n).Error; err != nil {
		return dbErr(err, "")
	}
	if n == 0 {
		return fleet.Invalid(map[string]string{field: "no such unit"})
	}
	return nil
}

func findUnit(tx *gorm.DB, id int64) (*unitRow, error) {
	var r unitRow
	if err := tx.Take(&r, id).Error; err != nil {
		return nil, dbErr(err, "unit")
	}
	return &r, nil
}

func insertUnit(tx *gorm.DB, r *unitRow) error {
	return unitDupErr(tx.Create(r).Error)
}

func saveUnit(tx *gorm.DB, r *unitRow) error {
	return unitDupErr(tx.Save(r).Error)
}

func unitDupErr(err error) error {
	if store.IsDuplicate(err) {
		return &fleet.Error{Code: fleet.EConflict, Message: "a unit with this name or code already exists", Fields: map[string]string{"name": "already exists"}}
	}
	return dbErr(err, "")
}

// deleteUnit removes a unit; the foreign keys of sub-units, users, vehicles and drivers refuse it
// while anything still belongs to it.
func deleteUnit(tx *gorm.DB, id int64) error {
	err := tx.Delete(&unitRow{}, id).Error
	if store.IsForeignKey(err) {
		return fleet.Errorf(fleet.EConflict, "the unit still has sub-units, users, vehicles or drivers")
	}
	return dbErr(err, "")
}

func (s *Service) listUnits(ctx context.Context) ([]Unit, error) {
	var rows []unitRow
	if err := s.db.WithContext(ctx).Order("id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	out := make([]Unit, len(rows))
	for i := range rows {
		out[i] = *rows[i].unit()
	}
	return out, nil
}

// unitParents maps every unit id to its parent id.
func unitParents(tx *gorm.DB) (map[int64]*int64, error) {
	var rows []unitRow
	if err := tx.Select("id, parent_id").Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	m := make(map[int64]*int64, len(rows))
	for _, r := range rows {
		m[r.ID] = r.ParentID
	}
	return m, nil
}

// sessionUser loads what an actor needs of a user.
func (s *Service) sessionUser(ctx context.Context, id int64) (*userRow, error) {
	var r userRow
	err := s.db.WithContext(ctx).Select("id, username, name, role, unit_id, disabled").Take(&r, id).Error
	if err != nil {
		return nil, dbErr(err, "user")
	}
	return &r, nil
}

func (s *Service) purgeFailures(ctx context.Context, before time.Time) error {
	return dbErr(s.db.WithContext(ctx).Where("last_at < ?", before).Delete(&failureRow{}).Error, "")
}

// reserveAttempt counts a sign-in attempt against the username (keys[0]) before its password is
// checked, in one transaction with the lock check of every key, so that guesses sent at once
// cannot all pass the check before any of them is counted. It returns how long the keys stay
// locked (nothing is counted then), else the username's count. A sign-in that succeeds clears
// the count (clearFailures); one that fails counts against the address too (addFailures).
func (s *Service) reserveAttempt(ctx context.Context, keys []string, now time.Time) (wait time.Duration, userFailures int, err error) {
	if err := s.ensureFailureRows(ctx, keys[:1], now); err != nil {
		return 0, 0, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		rows, err := lockFailures(tx, keys, now)
		if err != nil {
			return err
		}
		for i := range rows {
			wait = max(wait, (*failure)(&rows[i]).lockedFor(now))
		}
		if wait > 0 {
			return nil
		}
		(*failure)(&rows[0]).add(now, s.opt.Throttle.UserLimit, s.opt.Throttle)
		userFailures = rows[0].Failures
		return tx.Save(&rows[0]).Error
	})
	return wait, userFailures, dbErr(err, "")
}

// addFailures counts a failed sign-in against each of keys (the address's).
func (s *Service) addFailures(ctx context.Context, keys []string, now time.Time) error {
	if err := s.ensureFailureRows(ctx, keys, now); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		rows, err := lockFailures(tx, keys, now)
		if err != nil {
			return err
		}
		for i := range rows {
			(*failure)(&rows[i]).add(now, s.opt.Throttle.IPLimit, s.opt.Throttle)
			if err := tx.Save(&rows[i]).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// ensureFailureRows creates the missing rows of keys (no failures yet), so that the locking reads
// that follow find them: a locking read of a missing row takes gap locks (MySQL) that let two
// attempts both insert it, and one of them fail.
func (s *Service) ensureFailureRows(ctx context.Context, keys []string, now time.Time) error {
	for _, k := range keys {
		r := failureRow{Key: k, FirstAt: now, LastAt: now}
		if err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
			return dbErr(err, "")
		}
	}
	return nil
}

// lockFailures reads the rows of keys for update; a missing row (cleared meanwhile) is a new one.
func lockFailures(tx *gorm.DB, keys []string, now time.Time) ([]failureRow, error) {
	rows := make([]failureRow, len(keys))
	for i, k := range keys {
		err := tx.Clauses(lockingClause(tx)...).Where("`key` = ?", k).Take(&rows[i]).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			rows[i] = failureRow{Key: k, FirstAt: now, LastAt: now}
		} else if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

func (s *Service) clearFailures(ctx context.Context, key string) error {
	return dbErr(s.db.WithContext(ctx).Where("`key` = ?", key).Delete(&failureRow{}).Error, "")
}

func (s *Service) insertAudit(ctx context.Context, e *AuditEntry) error {
	return insertAudit(s.db.WithContext(ctx), e)
}

func insertAudit(tx *gorm.DB, e *AuditEntry) error {
	return dbErr(tx.Create(e).Error, "")
}

func (s *Service) listAudit(ctx context.Context, p fleet.Page) ([]AuditEntry, int64, error) {
	q := s.db.WithContext(ctx).Model(&AuditEntry{})
	if p.Query != "" {
		like := store.Like(p.Query)
		q = q.Where("action LIKE ? ESCAPE '!' OR actor_name LIKE ? ESCAPE '!' OR target LIKE ? ESCAPE '!'", like, like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	out := []AuditEntry{}
	err := q.Order("id DESC").Limit(p.Limit).Offset(p.Offset).Find(&out).Error
	return out, total, dbErr(err, "")
}

// lockingClause locks the rows read in a transaction on MySQL; SQLite's write transactions
// already hold the database lock (BEGIN IMMEDIATE).
func lockingClause(tx *gorm.DB) []clause.Expression {
	if tx.Dialector.Name() == "mysql" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

func (s *Service) unitIDByName(ctx context.Context, name string) (int64, error) {
	var r unitRow
	if err := s.db.WithContext(ctx).Where("name = ?", name).Take(&r).Error; err != nil {
		return 0, dbErr(err, "unit")
	}
	return r.ID, nil
}
