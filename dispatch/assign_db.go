package dispatch

import (
	"context"
	"database/sql"
	"strings"

	"gorm.io/gorm"

	"fleet/store"
)

// lockAttempts is how often a transaction that lost a lock race (a MySQL deadlock, a SQLite
// busy database) is run again before the conflict is reported.
const lockAttempts = 4

// isLockConflict reports whether err is a lost lock race that a retry may win.
func isLockConflict(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "Deadlock found") || strings.Contains(s, "Error 1213") ||
		strings.Contains(s, "Lock wait timeout") || strings.Contains(s, "database is locked") ||
		strings.Contains(s, "SQLITE_BUSY")
}

// lockedTx runs fn in a write transaction that re-reads what it checks under locks: on MySQL at
// READ COMMITTED, so that a plain read after a SELECT … FOR UPDATE sees what the transaction
// that held the lock committed; on SQLite BEGIN IMMEDIATE takes the one write lock first. A lost
// lock race is retried.
func (d *Desk) lockedTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts []*sql.TxOptions
	if d.db.Dialect == store.MySQL {
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	}
	var err error
	for attempt := 0; attempt < lockAttempts; attempt++ {
		err = d.db.WithContext(ctx).Transaction(fn, opts...)
		if !isLockConflict(err) || ctx.Err() != nil {
			break
		}
	}
	return err
}

// lockPair locks the vehicle's row, then the driver's (always in this order, after the requests:
// two assignments never wait on each other in a circle) and returns them.
func lockPair(tx *gorm.DB, vehicleID, driverID int64) (*Vehicle, *Driver, error) {
	var v vehicleRow
	if err := forUpdate(tx).Take(&v, vehicleID).Error; err != nil {
		if store.IsNotFound(err) {
			return nil, nil, fleetInvalid("vehicle_id", "no such vehicle")
		}
		return nil, nil, dispatchErr(err, "vehicle")
	}
	var dr driverRow
	if err := forUpdate(tx).Take(&dr, driverID).Error; err != nil {
		if store.IsNotFound(err) {
			return nil, nil, fleetInvalid("driver_id", "no such driver")
		}
		return nil, nil, dispatchErr(err, "driver")
	}
	return v.vehicle(), dr.driver(), nil
}

func insertTask(tx *gorm.DB, t *taskRow) error {
	return dispatchErr(tx.Create(t).Error, "task")
}

// markVehicle sets a vehicle's status from one value to another (on_task while it runs; back to
// available at its return), leaving any other status (maintenance…) alone.
func markVehicle(tx *gorm.DB, vehicleID int64, from, to string) error {
	err := tx.Model(&vehicleRow{}).Where("id = ? AND status = ?", vehicleID, from).Update("status", to).Error
	return dispatchErr(err, "vehicle")
}
