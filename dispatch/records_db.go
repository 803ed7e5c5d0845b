package dispatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

type recordRow struct {
	ID         int64
	VehicleID  int64
	Kind       string
	Date       time.Time
	At         *time.Time
	DueDate    *time.Time
	CostFen    int64
	OdometerKm *float64
	Note       string
	UserID     *int64
	UserName   string `gorm:"->;-:migration"` // read from the join with users
	CreatedAt  time.Time
}

func (recordRow) TableName() string { return "vehicle_records" }

func (r *recordRow) record() VehicleRecord {
	return VehicleRecord{ID: r.ID, VehicleID: r.VehicleID, Kind: r.Kind, Date: r.Date.UTC(), At: utcPtr(r.At),
		DueDate: utcPtr(r.DueDate), Cost: float64(r.CostFen) / 100, OdometerKm: r.OdometerKm, Note: r.Note,
		UserID: r.UserID, UserName: r.UserName, CreatedAt: r.CreatedAt}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func recordErr(err error) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "record not found")
	}
	return fmt.Errorf("dispatch: vehicle record: %w", err)
}

// lockVehicle reads a vehicle's row for update (MySQL; SQLite's write transaction holds the
// database already).
func lockVehicle(tx *gorm.DB, id int64) (*vehicleRow, error) {
	var v vehicleRow
	if err := tx.Clauses(lockingClause(tx)...).Take(&v, id).Error; err != nil {
		if store.IsNotFound(err) {
			return nil, fleet.Errorf(fleet.ENotFound, "vehicle not found")
		}
		return nil, err
	}
	return &v, nil
}

// insertRecord stores a record and brings the vehicle up to date in one transaction: its
// odometer (never backwards) and the date the kind keeps (the due date of the kind's latest
// record, by date).
func (s *Service) insertRecord(ctx context.Context, vehicleID int64, in RecordInput, by *int64, byName string, now time.Time) (*VehicleRecord, error) {
	var out VehicleRecord
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := lockVehicle(tx, vehicleID)
		if err != nil {
			return err
		}
		set := map[string]any{"updated_at": now}
		if km := in.OdometerKm; km != nil {
			if err := odometerForward(v.OdometerKm, *km); err != nil {
				return err
			}
			set["odometer_km"] = *km
		}
		r := recordRow{VehicleID: vehicleID, Kind: in.Kind, Date: in.date, At: in.at, DueDate: in.due, CostFen: in.costFen,
			OdometerKm: in.OdometerKm, Note: in.Note, UserID: by, CreatedAt: now}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if col := vehicleDateColumn(in.Kind); col != "" {
			latest, err := latestRecord(tx, vehicleID, in.Kind)
			if err != nil {
				return err
			}
			set[col] = latest.DueDate
		}
		if err := tx.Model(&vehicleRow{}).Where("id = ?", vehicleID).Updates(set).Error; err != nil {
			return err
		}
		r.UserName = byName
		out = r.record()
		return nil
	})
	if err != nil {
		return nil, recordErr(err)
	}
	return &out, nil
}

// latestRecord returns the vehicle's latest record of kind (by date, then entry), or
// gorm.ErrRecordNotFound.
func latestRecord(tx *gorm.DB, vehicleID int64, kind string) (*recordRow, error) {
	var r recordRow
	err := tx.Where("vehicle_id = ? AND kind = ?", vehicleID, kind).Order("date DESC, id DESC").Take(&r).Error
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// deleteRecord removes a record; the date its kind keeps goes back to the latest remaining
// record's, or is cleared when none remains and the vehicle still showed the deleted one's.
func (s *Service) deleteRecord(ctx context.Context, vehicleID, id int64, now time.Time) (*VehicleRecord, error) {
	var out VehicleRecord
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := lockVehicle(tx, vehicleID)
		if err != nil {
			return err
		}
		var r recordRow
		if err := tx.Where("id = ? AND vehicle_id = ?", id, vehicleID).Take(&r).Error; err != nil {
			return err
		}
		if err := tx.Delete(&recordRow{}, id).Error; err != nil {
			return err
		}
		out = r.record()
		col := vehicleDateColumn(r.Kind)
		if col == "" {
			return nil
		}
		set := map[string]any{"updated_at": now}
		latest, err := latestRecord(tx, vehicleID, r.Kind)
		switch {
		case err == nil:
			set[col] = latest.DueDate
		case !store.IsNotFound(err):
			return err
		case sameDate(vehicleDate(v, r.Kind), r.DueDate):
			set[col] = nil
		default:
			return nil
		}
		return tx.Model(&vehicleRow{}).Where("id = ?", vehicleID).Updates(set).Error
	})
	if err != nil {
		return nil, recordErr(err)
	}
	return &out, nil
}

func vehicleDate(v *vehicleRow, kind string) *time.Time {
	switch kind {
	case RecordInsurance:
		return v.InsuranceExpiry
	case RecordInspection:
		return v.InspectionDue
	}
	return v.MaintenanceDue
}

func sameDate(a, b *time.Time) bool { return a != nil && b != nil && a.Equal(*b) }

func (s *Service) listRecords(ctx context.Context, vehicleID int64, f RecordFilter) ([]VehicleRecord, int64, error) {
	q := s.db.WithContext(ctx).Model(&recordRow{}).Where("vehicle_records.vehicle_id = ?", vehicleID)
	if f.Kind != "" {
		q = q.Where("vehicle_records.kind = ?", f.Kind)
	}
	if f.Query != "" {
		q = q.Where("vehicle_records.note LIKE ? ESCAPE '!'", store.Like(f.Query))
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, recordErr(err)
	}
	var rows []recordRow
	err := q.Select("vehicle_records.*, users.name AS user_name").
		Joins("LEFT JOIN users ON users.id = vehicle_records.user_id").
		Order("vehicle_records.date DESC, vehicle_records.id DESC").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error
	if err != nil {
		return nil, 0, recordErr(err)
	}
	out := make([]VehicleRecord, len(rows))
	for i := range rows {
		out[i] = rows[i].record()
	}
	return out, total, nil
}

// AdvanceOdometer records a new odometer reading of a vehicle inside the caller's transaction
// (a trip's end): 400 naming odometer_km when it is below the last one.
func (s *Service) AdvanceOdometer(ctx context.Context, tx *gorm.DB, vehicleID int64, km float64) error {
	if km < 0 || km > maxOdometerKm {
		return fleet.Invalid(map[string]string{"odometer_km": "must be between 0 and 5,000,000 km"})
	}
	tx = tx.WithContext(ctx)
	v, err := lockVehicle(tx, vehicleID)
	if err != nil {
		return recordErr(err)
	}
	if err := odometerForward(v.OdometerKm, km); err != nil {
		return err
	}
	err = tx.Model(&vehicleRow{}).Where("id = ?", vehicleID).Updates(map[string]any{"odometer_km": km, "updated_at": s.now()}).Error
	return recordErr(err)
}
