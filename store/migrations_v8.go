package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 8: vehicle-use requests (用车申请), the dispatch tasks that serve them (one vehicle and
// one driver for a window; a merged trip's task serves several requests) and the dispatch
// settings (turnaround buffer, driving-time limits, weights, the pre-trip checklist).

func migrateV8(tx *gorm.DB) error {
	return createTables(tx, &v8VehicleRequest{}, &v8DispatchTask{}, &v8DispatchSetting{})
}

type v8VehicleRequest struct {
	ID             int64      `gorm:"primaryKey"`
	ApplicantID    int64      `gorm:"not null;index"`
	Applicant      *v1User    `gorm:"foreignKey:ApplicantID;constraint:OnDelete:RESTRICT"`
	UnitID         int64      `gorm:"not null;index"`
	Unit           *v1Unit    `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	Passengers     int        `gorm:"not null"`
	Purpose        string     `gorm:"size:200;not null"`
	OriginAddress  string     `gorm:"size:200;not null"`
	OriginLat      float64    `gorm:"not null"` // WGS-84
	OriginLng      float64    `gorm:"not null"`
	Destinations   string     `gorm:"type:text"` // JSON [{address,lat,lng}]
	DepartAt       time.Time  `gorm:"not null;index"`
	ReturnAt       time.Time  `gorm:"not null"`
	VehicleClass   string     `gorm:"size:32;not null;default:''"` // "" any class
	Priority       string     `gorm:"size:16;not null"`
	Notes          string     `gorm:"type:text"`
	OutsideReason  string     `gorm:"size:200;not null;default:''"`
	OutOfArea      bool       `gorm:"not null;default:false"` // a destination lies outside the county
	Status         string     `gorm:"size:16;not null;index"`
	ApprovalID     *int64     `gorm:"index"`
	ApprovalStatus string     `gorm:"size:16;not null;default:''"`
	MergeID        *int64     `gorm:"index"` // the lead request of a merged trip (its own id for the lead)
	TaskID         *int64     `gorm:"index"` // the task serving it now
	Stars          *int       `gorm:""`
	RatingComment  string     `gorm:"type:text"`
	RatedAt        *time.Time `gorm:""`
	CancelReason   string     `gorm:"size:200;not null;default:''"`
	SubmittedAt    *time.Time `gorm:""`
	ApprovedAt     *time.Time `gorm:""`
	CompletedAt    *time.Time `gorm:""`
	CancelledAt    *time.Time `gorm:""`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

func (v8VehicleRequest) TableName() string { return "vehicle_requests" }

type v8DispatchTask struct {
	ID              int64             `gorm:"primaryKey"`
	RequestID       int64             `gorm:"not null;index"` // the lead request
	Request         *v8VehicleRequest `gorm:"foreignKey:RequestID;constraint:OnDelete:RESTRICT"`
	VehicleID       int64             `gorm:"not null;index:idx_dispatch_tasks_vehicle,priority:1"`
	Vehicle         *v2Vehicle        `gorm:"foreignKey:VehicleID;constraint:OnDelete:RESTRICT"`
	DriverID        int64             `gorm:"not null;index:idx_dispatch_tasks_driver,priority:1"`
	Driver          *v2Driver         `gorm:"foreignKey:DriverID;constraint:OnDelete:RESTRICT"`
	Status          string            `gorm:"size:16;not null;index"`
	DepartAt        time.Time         `gorm:"not null;index:idx_dispatch_tasks_vehicle,priority:2;index:idx_dispatch_tasks_driver,priority:2"`
	ReturnAt        time.Time         `gorm:"not null"`
	Passengers      int               `gorm:"not null"`
	Title           string            `gorm:"size:200;not null"`
	OutOfArea       bool              `gorm:"not null;default:false"`
	StartLat        float64           `gorm:"not null"` // where the task starts and ends (the origin), WGS-84
	StartLng        float64           `gorm:"not null"`
	PlannedKm       float64           `gorm:"not null;default:0"` // the route's straight lines × the detour factor
	Cost            *float64          `gorm:""`                   // the candidate score at assignment
	AssignedBy      *int64            `gorm:""`
	AssignedAt      time.Time         `gorm:"not null"`
	AcceptedAt      *time.Time        `gorm:""`
	DeclinedAt      *time.Time        `gorm:""`
	DeclineReason   string            `gorm:"size:200;not null;default:''"`
	CheckItems      string            `gorm:"type:text"` // JSON [{item,ok,note}]
	CheckNote       string            `gorm:"size:500;not null;default:''"`
	CheckPassed     bool              `gorm:"not null;default:false"`
	CheckedAt       *time.Time        `gorm:""`
	DepartedAt      *time.Time        `gorm:""`
	ReturnedAt      *time.Time        `gorm:""`
	OdometerStartKm *float64          `gorm:""`
	OdometerEndKm   *float64          `gorm:""`
	FuelL           *float64          `gorm:""`
	ChargeKwh       *float64          `gorm:""`
	GPSKm           *float64          `gorm:"column:gps_km"`
	DriveS          *int              `gorm:""`
	DriveBlocks     string            `gorm:"type:text"` // JSON [[start,end],…] of tracked driving
	CancelledAt     *time.Time        `gorm:""`
	CancelReason    string            `gorm:"size:200;not null;default:''"`
	ReplacedBy      *int64            `gorm:""` // the task that took over on reassignment
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (v8DispatchTask) TableName() string { return "dispatch_tasks" }

type v8DispatchSetting struct {
	Key       string `gorm:"size:64;primaryKey"`
	Value     string `gorm:"type:text;not null"` // JSON
	UpdatedBy *int64 `gorm:""`
	UpdatedAt time.Time
}

func (v8DispatchSetting) TableName() string { return "dispatch_settings" }
