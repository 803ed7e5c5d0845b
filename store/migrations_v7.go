package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 7: fleet records. Vehicles gain their range, the dates their documents and service run
// to, and a designated parking point; their maintenance, repair, insurance, inspection and
// disinfection records, the drivers' safety trainings and the duty roster get tables.

// migrateV7 adds the vehicle columns (each only when missing, so a rerun after a crash on MySQL,
// which commits DDL at once, goes on where it stopped) and creates the tables.
func migrateV7(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"RangeKm", "InsuranceExpiry", "InspectionDue", "MaintenanceDue",
		"ParkingName", "ParkingLat", "ParkingLng"} {
		if m.HasColumn(&v7Vehicle{}, col) {
			continue
		}
		if err := m.AddColumn(&v7Vehicle{}, col); err != nil {
			return err
		}
	}
	return createTables(tx, &v7VehicleRecord{}, &v7DriverTraining{}, &v7RosterShift{})
}

// v7Vehicle holds only the columns version 7 adds to vehicles.
type v7Vehicle struct {
	RangeKm         *int       // on a full charge (a plug-in hybrid's electric range), km
	InsuranceExpiry *time.Time `gorm:"type:date"` // last day the compulsory insurance covers
	InspectionDue   *time.Time `gorm:"type:date"` // last day of the annual inspection's validity
	MaintenanceDue  *time.Time `gorm:"type:date"` // the next service
	ParkingName     string     `gorm:"size:100;not null;default:''"`
	ParkingLat      *float64   // WGS-84
	ParkingLng      *float64
}

func (v7Vehicle) TableName() string { return "vehicles" }

type v7VehicleRecord struct {
	ID         int64      `gorm:"primaryKey"`
	VehicleID  int64      `gorm:"not null;index:idx_vehicle_records_vehicle_kind_date,priority:1"`
	Vehicle    *v2Vehicle `gorm:"foreignKey:VehicleID;constraint:OnDelete:RESTRICT"`
	Kind       string     `gorm:"size:16;not null;index:idx_vehicle_records_vehicle_kind_date,priority:2"`
	Date       time.Time  `gorm:"type:date;not null;index:idx_vehicle_records_vehicle_kind_date,priority:3"`
	At         *time.Time // the time it was done (disinfection)
	DueDate    *time.Time `gorm:"type:date"`          // the expiry or next due date it sets
	CostFen    int64      `gorm:"not null;default:0"` // 分
	OdometerKm *float64
	Note       string  `gorm:"type:text"`
	UserID     *int64  `gorm:"index"`
	User       *v1User `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	CreatedAt  time.Time
}

func (v7VehicleRecord) TableName() string { return "vehicle_records" }

type v7DriverTraining struct {
	ID        int64     `gorm:"primaryKey"`
	DriverID  int64     `gorm:"not null;index:idx_driver_trainings_driver_date,priority:1"`
	Driver    *v2Driver `gorm:"foreignKey:DriverID;constraint:OnDelete:RESTRICT"`
	Date      time.Time `gorm:"type:date;not null;index:idx_driver_trainings_driver_date,priority:2"`
	Topic     string    `gorm:"size:200;not null"`
	Hours     float64   `gorm:"not null"`
	Note      string    `gorm:"type:text"`
	UserID    *int64    `gorm:"index"`
	User      *v1User   `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	CreatedAt time.Time
}

func (v7DriverTraining) TableName() string { return "driver_trainings" }

type v7RosterShift struct {
	ID        int64     `gorm:"primaryKey"`
	DriverID  int64     `gorm:"not null;index:idx_roster_shifts_driver_start,priority:1"`
	Driver    *v2Driver `gorm:"foreignKey:DriverID;constraint:OnDelete:RESTRICT"`
	StartAt   time.Time `gorm:"not null;index:idx_roster_shifts_driver_start,priority:2;index"`
	EndAt     time.Time `gorm:"not null"`
	Kind      string    `gorm:"size:16;not null"` // shift or standby (24小时轮值)
	Note      string    `gorm:"size:255;not null;default:''"`
	CreatedBy *int64    `gorm:""`
	Creator   *v1User   `gorm:"foreignKey:CreatedBy;constraint:OnDelete:SET NULL"`
	CreatedAt time.Time
}

func (v7RosterShift) TableName() string { return "roster_shifts" }
