package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 6: procurement requests (采购申请) with their items and attachments, the vehicle
// standards they are checked against, and the two facts of a vehicle that renewal eligibility
// needs (its registration date and its odometer reading).

// migrateV6 adds the vehicle columns (each only when missing, so a rerun after a crash on MySQL,
// which commits DDL at once, goes on where it stopped) and creates the tables.
func migrateV6(tx *gorm.DB) error {
	m := tx.Migrator()
	for _, col := range []string{"RegisteredOn", "OdometerKm"} {
		if m.HasColumn(&v6Vehicle{}, col) {
			continue
		}
		if err := m.AddColumn(&v6Vehicle{}, col); err != nil {
			return err
		}
	}
	return createTables(tx, &v6VehicleStandard{}, &v6Procurement{}, &v6ProcurementItem{}, &v6ProcurementAttachment{})
}

// v6Vehicle holds only the columns version 6 adds to vehicles.
type v6Vehicle struct {
	RegisteredOn *time.Time `gorm:"type:date"` // 注册登记日期, from the registration certificate
	OdometerKm   *float64   // last odometer reading entered by hand, km
}

func (v6Vehicle) TableName() string { return "vehicles" }

type v6VehicleStandard struct {
	ID        int64   `gorm:"primaryKey"`
	Province  string  `gorm:"size:32;not null;default:'';uniqueIndex:idx_vehicle_standards_key,priority:1"` // "" national or platform default
	Rule      string  `gorm:"size:32;not null;uniqueIndex:idx_vehicle_standards_key,priority:2"`
	Class     string  `gorm:"size:32;not null;default:'';uniqueIndex:idx_vehicle_standards_key,priority:3"` // "" any class
	Body      string  `gorm:"size:16;not null;default:'';uniqueIndex:idx_vehicle_standards_key,priority:4"` // "" any body
	Value     float64 `gorm:"not null;default:0"`                                                           // yuan, litres, ratio, years or km by rule
	Enabled   bool    `gorm:"not null;default:true"`
	Source    string  `gorm:"type:text"`
	UpdatedBy *int64  `gorm:""`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v6VehicleStandard) TableName() string { return "vehicle_standards" }

type v6Procurement struct {
	ID                   int64      `gorm:"primaryKey"`
	UnitID               int64      `gorm:"not null;index"`
	Unit                 *v1Unit    `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	ApplicantID          int64      `gorm:"not null;index"`
	Applicant            *v1User    `gorm:"foreignKey:ApplicantID;constraint:OnDelete:RESTRICT"`
	Kind                 string     `gorm:"size:32;not null;index"`
	Title                string     `gorm:"size:255;not null"`
	Reason               string     `gorm:"type:text"`
	Justification        string     `gorm:"type:text"`
	AmountFen            int64      `gorm:"not null"` // 分: money is kept in whole fen
	Status               string     `gorm:"size:16;not null;index"`
	ApprovalID           *int64     `gorm:"index"`
	VehicleClass         string     `gorm:"size:32;not null;default:''"`
	VehicleEnergy        string     `gorm:"size:32;not null;default:''"`
	VehicleBody          string     `gorm:"size:16;not null;default:''"`
	VehicleDisplacementL *float64   `gorm:""`
	VehiclePriceFen      *int64     `gorm:""`
	VehicleDomestic      *bool      `gorm:""`
	VehicleLeaderFixed   bool       `gorm:"not null;default:false"`
	ReplacesVehicleID    *int64     `gorm:"index"`
	ReplacesVehicle      *v2Vehicle `gorm:"foreignKey:ReplacesVehicleID;constraint:OnDelete:RESTRICT"`
	Checks               string     `gorm:"type:text"` // JSON [{rule,name,ok,message,source}] of the last submit
	ChecksFailed         int        `gorm:"not null;default:0"`
	Year                 int        `gorm:"not null;index"` // the county's calendar year of the last submit
	SubmittedAt          time.Time  `gorm:"not null;index"`
	DecidedAt            *time.Time `gorm:""`
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

func (v6Procurement) TableName() string { return "procurements" }

type v6ProcurementItem struct {
	ID            int64          `gorm:"primaryKey"`
	ProcurementID int64          `gorm:"not null;index"`
	Procurement   *v6Procurement `gorm:"foreignKey:ProcurementID;constraint:OnDelete:CASCADE"`
	Line          int            `gorm:"not null"`
	Name          string         `gorm:"size:255;not null"`
	Quantity      float64        `gorm:"not null"`
	UnitPriceFen  int64          `gorm:"not null"`
	AmountFen     int64          `gorm:"not null"`
}

func (v6ProcurementItem) TableName() string { return "procurement_items" }

type v6ProcurementAttachment struct {
	ID            int64          `gorm:"primaryKey"`
	ProcurementID int64          `gorm:"not null;index"`
	Procurement   *v6Procurement `gorm:"foreignKey:ProcurementID;constraint:OnDelete:CASCADE"`
	Name          string         `gorm:"size:255;not null"`
	Size          int64          `gorm:"not null"`
	SHA256        string         `gorm:"column:sha256;size:64;not null;index"` // hex; the file is stored under this name
	ContentType   string         `gorm:"size:100;not null"`
	UploadedBy    int64          `gorm:"not null"`
	CreatedAt     time.Time
}

func (v6ProcurementAttachment) TableName() string { return "procurement_attachments" }
