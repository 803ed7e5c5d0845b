package store

import (
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
)

// Errors maps gorm's errors to the fleet vocabulary for a domain package; its value is the
// package's name, which prefixes the errors it cannot name.
type Errors string

// Map passes a *fleet.Error as it is and turns not found into 404 naming what ("record" when
// empty), a duplicate key into 409, a foreign key still in use into 409, a value its MySQL
// column cannot hold into 400 (InputError); anything else is wrapped.
func (pkg Errors) Map(err error, what string) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case IsNotFound(err):
		if what == "" {
			what = "record"
		}
		return fleet.Errorf(fleet.ENotFound, "%s not found", what)
	case IsDuplicate(err):
		return fleet.Errorf(fleet.EConflict, "already exists")
	case IsForeignKey(err):
		return fleet.Errorf(fleet.EConflict, "still in use by other records")
	case InputError(err) != nil:
		return InputError(err)
	}
	return fmt.Errorf("%s: %w", string(pkg), err)
}

// Take reads one row by id into dst, locked for the transaction when lock is set (ForUpdate).
func (pkg Errors) Take(tx *gorm.DB, dst any, id int64, lock bool, what string) error {
	q := tx
	if lock {
		q = q.Clauses(ForUpdate(tx)...)
	}
	return pkg.Map(q.Take(dst, id).Error, what)
}

// ForUpdate locks the rows read in a transaction on MySQL; SQLite's write transactions already
// hold the database lock (BEGIN IMMEDIATE), and it has no FOR UPDATE.
func ForUpdate(tx *gorm.DB) []clause.Expression {
	if tx.Dialector.Name() == "mysql" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}
