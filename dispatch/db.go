package dispatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"fleet"
	"fleet/store"
)

type vehicleRow struct {
	ID            int64
	Plate         string
	Class         string
	Seats         int
	Energy        string
	TerminalPhone *string
	Pooled        bool
	UnitID        *int64
	Status        string
	RegisteredOn  *time.Time
	OdometerKm    *float64
	RangeKm       *int
	// Dates: SQLite and MySQL both hand them back as midnight UTC.
	InsuranceExpiry *time.Time
	InspectionDue   *time.Time
	MaintenanceDue  *time.Time
	ParkingName     string
	ParkingLat      *float64
	ParkingLng      *float64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (vehicleRow) TableName() string { return "vehicles" }

func (r *vehicleRow) vehicle() *Vehicle {
	v := &Vehicle{ID: r.ID, Plate: r.Plate, Class: r.Class, Seats: r.Seats, Energy: r.Energy, Pooled: r.Pooled,
		UnitID: r.UnitID, Status: r.Status, RegisteredOn: r.RegisteredOn, OdometerKm: r.OdometerKm,
		RangeKm: r.RangeKm, InsuranceExpiry: r.InsuranceExpiry, InspectionDue: r.InspectionDue,
		MaintenanceDue: r.MaintenanceDue, ParkingName: r.ParkingName, ParkingLat: r.ParkingLat, ParkingLng: r.ParkingLng,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if r.TerminalPhone != nil {
		v.TerminalPhone = *r.TerminalPhone
	}
	return v
}

func vehicleRowOf(in VehicleInput, now time.Time) vehicleRow {
	r := vehicleRow{Plate: in.Plate, Class: in.Class, Seats: in.Seats, Energy: in.Energy, Pooled: *in.Pooled,
		UnitID: in.UnitID, Status: in.Status, RegisteredOn: in.registered, OdometerKm: in.OdometerKm,
		RangeKm: in.RangeKm, InsuranceExpiry: in.insurance, InspectionDue: in.inspection, MaintenanceDue: in.service,
		ParkingName: in.ParkingName, ParkingLat: in.ParkingLat, ParkingLng: in.ParkingLng,
		CreatedAt: now, UpdatedAt: now}
	if in.TerminalPhone != "" {
		p := in.TerminalPhone
		r.TerminalPhone = &p
	}
	return r
}

type driverRow struct {
	ID            int64
	Name          string
	Phone         string
	LicenseClass  string
	LicenseExpiry *time.Time
	UnitID        *int64
	UserID        *int64
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (driverRow) TableName() string { return "drivers" }

func (r *driverRow) driver() *Driver {
	d := Driver(*r)
	return &d
}

func driverRowOf(in DriverInput, now time.Time) driverRow {
	return driverRow{Name: in.Name, Phone: in.Phone, LicenseClass: in.LicenseClass, LicenseExpiry: in.expiry,
		UnitID: in.UnitID, UserID: in.UserID, Status: in.Status, CreatedAt: now, UpdatedAt: now}
}

// vehicleErr maps storage errors of a vehicle write to the fields the user must change.
func vehicleErr(err error) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsDuplicate(err):
		return &fleet.Error{Code: fleet.EConflict, Message: "a vehicle with this plate or terminal phone already exists",
			Fields: map[string]string{"plate": "plate or terminal phone already registered"}}
	case store.IsForeignKey(err):
		return fleet.Invalid(map[string]string{"unit_id": "no such unit"})
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "vehicle not found")
	}
	return fmt.Errorf("dispatch: vehicle: %w", err)
}

func driverErr(err error) error {
	var fe *fleet.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return err
	case store.IsDuplicate(err):
		return &fleet.Error{Code: fleet.EConflict, Message: "a driver with this phone or user already exists",
			Fields: map[string]string{"phone": "already registered"}}
	case store.IsForeignKey(err):
		return fleet.Invalid(map[string]string{"unit_id": "no such unit or user"})
	case store.IsNotFound(err):
		return fleet.Errorf(fleet.ENotFound, "driver not found")
	}
	return fmt.Errorf("dispatch: driver: %w", err)
}

func (s *Service) insertVehicle(ctx context.Context, in VehicleInput, now time.Time) (*Vehicle, error) {
	r := vehicleRowOf(in, now)
	if err := s.db.WithContext(ctx).Create(&r).Error; err != nil {
		return nil, vehicleErr(err)
	}
	return r.vehicle(), nil
}

func (s *Service) updateVehicle(ctx context.Context, id int64, in VehicleInput, now time.Time) (*Vehicle, error) {
	var out *Vehicle
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old vehicleRow
		if err := tx.Clauses(lockingClause(tx)...).Take(&old, id).Error; err != nil {
			return err
		}
		r := vehicleRowOf(in, now)
		r.ID, r.CreatedAt = id, old.CreatedAt
		if err := keepVehicleFacts(&r, &old); err != nil {
			return err
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		out = r.vehicle()
		return nil
	})
	return out, vehicleErr(err)
}

// keepVehicleFacts carries over, into an update, the facts the records keep current when the
// input leaves them out, and refuses an odometer reading below the stored one.
func keepVehicleFacts(r, old *vehicleRow) error {
	if r.OdometerKm == nil {
		r.OdometerKm = old.OdometerKm
	} else if err := odometerForward(old.OdometerKm, *r.OdometerKm); err != nil {
		return err
	}
	if r.InsuranceExpiry == nil {
		r.InsuranceExpiry = old.InsuranceExpiry
	}
	if r.InspectionDue == nil {
		r.InspectionDue = old.InspectionDue
	}
	if r.MaintenanceDue == nil {
		r.MaintenanceDue = old.MaintenanceDue
	}
	return nil
}

// lockingClause locks the rows read in a transaction on MySQL; SQLite's write transactions
// already hold the database lock (BEGIN IMMEDIATE).
func lockingClause(tx *gorm.DB) []clause.Expression {
	if tx.Dialector.Name() == "mysql" {
		return []clause.Expression{clause.Locking{Strength: "UPDATE"}}
	}
	return nil
}

func (s *Service) deleteVehicle(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Delete(&vehicleRow{}, id).Error
	if store.IsForeignKey(err) {
		return fleet.Errorf(fleet.EConflict, "the vehicle has records; set it to retired instead")
	}
	return vehicleErr(err)
}

func (s *Service) getVehicle(ctx context.Context, id int64) (*Vehicle, error) {
	var r vehicleRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return nil, vehicleErr(err)
	}
	return r.vehicle(), nil
}

func (s *Service) vehicleByTerminal(ctx context.Context, phone string) (*Vehicle, error) {
	var r vehicleRow
	if err := s.db.WithContext(ctx).Where("terminal_phone = ?", phone).Take(&r).Error; err != nil {
		if store.IsNotFound(err) {
			return nil, fleet.Errorf(fleet.ENotFound, "no vehicle with terminal %s", phone)
		}
		return nil, vehicleErr(err)
	}
	return r.vehicle(), nil
}

func (s *Service) listVehicles(ctx context.Context, f VehicleFilter) ([]Vehicle, int64, error) {
	q := s.db.WithContext(ctx).Model(&vehicleRow{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Class != "" {
		q = q.Where("class = ?", f.Class)
	}
	if f.UnitID != 0 {
		q = q.Where("unit_id = ?", f.UnitID)
	}
	if f.Query != "" {
		like := store.Like(f.Query)
		q = q.Where("plate LIKE ? ESCAPE '!' OR terminal_phone LIKE ? ESCAPE '!'", like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, vehicleErr(err)
	}
	var rows []vehicleRow
	if err := q.Order("id").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, vehicleErr(err)
	}
	out := make([]Vehicle, len(rows))
	for i := range rows {
		out[i] = *rows[i].vehicle()
	}
	return out, total, nil
}

// vehicleKeys returns the plates and terminal phones already stored.
func (s *Service) vehicleKeys(ctx context.Context) (plates, phones map[string]bool, err error) {
	var rows []vehicleRow
	if err := s.db.WithContext(ctx).Select("plate, terminal_phone").Find(&rows).Error; err != nil {
		return nil, nil, vehicleErr(err)
	}
	plates, phones = make(map[string]bool, len(rows)), make(map[string]bool, len(rows))
	for _, r := range rows {
		plates[r.Plate] = true
		if r.TerminalPhone != nil {
			phones[*r.TerminalPhone] = true
		}
	}
	return plates, phones, nil
}

// unitIDs returns the ids of every unit.
func (s *Service) unitIDs(ctx context.Context) (map[int64]bool, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Table("units").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("dispatch: units: %w", err)
	}
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m, nil
}

// importBatch is how many rows one INSERT carries.
const importBatch = 200

func (s *Service) insertVehicles(ctx context.Context, rows []Row[VehicleInput], now time.Time, done func(int)) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := 0; i < len(rows); i += importBatch {
			end := min(i+importBatch, len(rows))
			batch := make([]vehicleRow, 0, end-i)
			for _, r := range rows[i:end] {
				batch = append(batch, vehicleRowOf(r.Input, now))
			}
			if err := tx.Create(&batch).Error; err != nil {
				return err
			}
			done(end)
		}
		return nil
	})
	return vehicleErr(err)
}

func (s *Service) insertDriver(ctx context.Context, in DriverInput, now time.Time) (*Driver, error) {
	r := driverRowOf(in, now)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := driverClash(tx, 0, in); err != nil {
			return err
		}
		return tx.Create(&r).Error
	})
	if err != nil {
		return nil, driverErr(err)
	}
	return r.driver(), nil
}

// driverClash names the field of a driver write that the database would refuse: a user account
// that does not exist, or one already linked to another driver, or a phone already registered.
// (The unique keys still decide a race; this only says which field.)
func driverClash(tx *gorm.DB, id int64, in DriverInput) error {
	if in.UserID != nil {
		var n int64
		if err := tx.Table("users").Where("id = ?", *in.UserID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return fleet.Invalid(map[string]string{"user_id": "no such user"})
		}
		if err := tx.Model(&driverRow{}).Where("user_id = ? AND id <> ?", *in.UserID, id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return &fleet.Error{Code: fleet.EConflict, Message: "this user account is already linked to another driver",
				Fields: map[string]string{"user_id": "already linked to another driver"}}
		}
	}
	var n int64
	if err := tx.Model(&driverRow{}).Where("phone = ? AND id <> ?", in.Phone, id).Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return &fleet.Error{Code: fleet.EConflict, Message: "a driver with this phone already exists",
			Fields: map[string]string{"phone": "already registered"}}
	}
	return nil
}

func (s *Service) updateDriver(ctx context.Context, id int64, in DriverInput, now time.Time) (*Driver, error) {
	var out *Driver
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old driverRow
		if err := tx.Take(&old, id).Error; err != nil {
			return err
		}
		if err := driverClash(tx, id, in); err != nil {
			return err
		}
		r := driverRowOf(in, now)
		r.ID, r.CreatedAt = id, old.CreatedAt
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		out = r.driver()
		return nil
	})
	return out, driverErr(err)
}

func (s *Service) deleteDriver(ctx context.Context, id int64) error {
	err := s.db.WithContext(ctx).Delete(&driverRow{}, id).Error
	if store.IsForeignKey(err) {
		return fleet.Errorf(fleet.EConflict, "the driver has records; set the status instead")
	}
	return driverErr(err)
}

func (s *Service) getDriver(ctx context.Context, id int64) (*Driver, error) {
	var r driverRow
	if err := s.db.WithContext(ctx).Take(&r, id).Error; err != nil {
		return nil, driverErr(err)
	}
	return r.driver(), nil
}

func (s *Service) listDrivers(ctx context.Context, f DriverFilter) ([]Driver, int64, error) {
	q := s.db.WithContext(ctx).Model(&driverRow{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.UnitID != 0 {
		q = q.Where("unit_id = ?", f.UnitID)
	}
	if f.Query != "" {
		like := store.Like(f.Query)
		q = q.Where("name LIKE ? ESCAPE '!' OR phone LIKE ? ESCAPE '!'", like, like)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, driverErr(err)
	}
	var rows []driverRow
	if err := q.Order("id").Limit(f.Limit).Offset(f.Offset).Find(&rows).Error; err != nil {
		return nil, 0, driverErr(err)
	}
	out := make([]Driver, len(rows))
	for i := range rows {
		out[i] = *rows[i].driver()
	}
	return out, total, nil
}

func (s *Service) driverPhones(ctx context.Context) (map[string]bool, error) {
	var phones []string
	if err := s.db.WithContext(ctx).Model(&driverRow{}).Pluck("phone", &phones).Error; err != nil {
		return nil, driverErr(err)
	}
	m := make(map[string]bool, len(phones))
	for _, p := range phones {
		m[p] = true
	}
	return m, nil
}

func (s *Service) insertDrivers(ctx context.Context, rows []Row[DriverInput], now time.Time, done func(int)) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for i := 0; i < len(rows); i += importBatch {
			end := min(i+importBatch, len(rows))
			batch := make([]driverRow, 0, end-i)
			for _, r := range rows[i:end] {
				batch = append(batch, driverRowOf(r.Input, now))
			}
			if err := tx.Create(&batch).Error; err != nil {
				return err
			}
			done(end)
		}
		return nil
	})
	return driverErr(err)
}
