package store

import (
	"time"

	"gorm.io/gorm"
)

// migrations is the schema's history, oldest first. Append; never edit a released step.
// Each step uses the frozen structs of its own version below, not the domain packages' types.
var migrations = []migration{
	{1, "units users sessions audit", func(tx *gorm.DB, _ string) error {
		return createTables(tx, &v1Unit{}, &v1User{}, &v1Session{}, &v1LoginFailure{}, &v1AuditEntry{})
	}},
	{2, "vehicles drivers", func(tx *gorm.DB, _ string) error {
		return createTables(tx, &v2Vehicle{}, &v2Driver{})
	}},
	{3, "positions terminals commands", func(tx *gorm.DB, dialect string) error {
		if err := migratePositions(tx, dialect); err != nil {
			return err
		}
		return createTables(tx, &v3Terminal{}, &v3TerminalCommand{})
	}},
	{4, "events geofences trips days calendar", func(tx *gorm.DB, _ string) error {
		return createTables(tx, &v4Event{}, &v4Geofence{}, &v4GeofenceCell{}, &v4Trip{}, &v4Stop{},
			&v4VehicleDay{}, &v4CalendarDay{}, &v4SpeedLimit{})
	}},
	{5, "approval definitions groups instances tasks actions", func(tx *gorm.DB, _ string) error {
		return createTables(tx, &v5ApprovalDefinition{}, &v5ApprovalGroup{}, &v5ApprovalGroupMember{},
			&v5ApprovalInstance{}, &v5ApprovalTask{}, &v5ApprovalAction{})
	}},
	{6, "procurements vehicle standards vehicle registration", func(tx *gorm.DB, _ string) error {
		return migrateV6(tx)
	}},
	{7, "fleet records vehicle documents parking trainings rosters", func(tx *gorm.DB, _ string) error {
		return migrateV7(tx)
	}},
	{8, "vehicle requests dispatch tasks dispatch settings", func(tx *gorm.DB, _ string) error {
		return migrateV8(tx)
	}},
	{9, "office space ledger standards reallocations inspections facilities", func(tx *gorm.DB, _ string) error {
		return migrateV9(tx)
	}},
	{10, "canteen menus feedback reservations waste food safety", func(tx *gorm.DB, _ string) error {
		return migrateV10(tx)
	}},
	{11, "energy meters readings coefficients agencies projects", func(tx *gorm.DB, _ string) error {
		return migrateV11(tx)
	}},
}

// Version 1: units, users, sessions, login throttling, audit log.

type v1Unit struct {
	ID        int64   `gorm:"primaryKey"`
	Name      string  `gorm:"size:100;not null;uniqueIndex"`
	Code      *string `gorm:"size:32;uniqueIndex"`
	ParentID  *int64  `gorm:"index"`
	Parent    *v1Unit `gorm:"foreignKey:ParentID;constraint:OnDelete:RESTRICT"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v1Unit) TableName() string { return "units" }

type v1User struct {
	ID                int64   `gorm:"primaryKey"`
	Username          string  `gorm:"size:64;not null;uniqueIndex"`
	Name              string  `gorm:"size:100;not null"`
	Phone             string  `gorm:"size:32;not null;default:''"`
	UnitID            int64   `gorm:"not null;index"`
	Unit              *v1Unit `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	Role              string  `gorm:"size:32;not null;index"`
	PasswordHash      string  `gorm:"size:255;not null"`
	Disabled          bool    `gorm:"not null;default:false"`
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (v1User) TableName() string { return "users" }

type v1Session struct {
	ID         string  `gorm:"size:64;primaryKey"` // SHA-256 of the token, hex
	UserID     int64   `gorm:"not null;index"`
	User       *v1User `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE"`
	CSRFToken  string  `gorm:"column:csrf_token;size:64;not null"`
	IP         string  `gorm:"size:64;not null;default:''"`
	UserAgent  string  `gorm:"size:255;not null;default:''"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time `gorm:"index"`
}

func (v1Session) TableName() string { return "sessions" }

type v1LoginFailure struct {
	Key         string `gorm:"size:191;primaryKey"` // "user:NAME" or "ip:ADDR"
	Failures    int    `gorm:"not null"`
	FirstAt     time.Time
	LastAt      time.Time
	LockedUntil *time.Time
}

func (v1LoginFailure) TableName() string { return "login_failures" }

type v1AuditEntry struct {
	ID        int64     `gorm:"primaryKey"`
	At        time.Time `gorm:"not null;index"`
	ActorID   *int64    `gorm:"index"`
	ActorName string    `gorm:"size:100;not null;default:''"`
	Action    string    `gorm:"size:64;not null;index"`
	Target    string    `gorm:"size:191;not null;default:''"`
	Detail    string    `gorm:"type:text"`
	IP        string    `gorm:"size:64;not null;default:''"`
}

func (v1AuditEntry) TableName() string { return "audit_log" }

// Version 2: vehicles and drivers, the records the gateway, dispatch and the importer bind to.

type v2Vehicle struct {
	ID            int64   `gorm:"primaryKey"`
	Plate         string  `gorm:"size:16;not null;uniqueIndex"`
	Class         string  `gorm:"size:32;not null;index"`
	Seats         int     `gorm:"not null"`
	Energy        string  `gorm:"size:32;not null"`
	TerminalPhone *string `gorm:"size:20;uniqueIndex"` // decimal digits, leading zeros stripped
	Pooled        bool    `gorm:"not null;default:true"`
	UnitID        *int64  `gorm:"index"`
	Unit          *v1Unit `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	Status        string  `gorm:"size:32;not null;index"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v2Vehicle) TableName() string { return "vehicles" }

type v2Driver struct {
	ID            int64      `gorm:"primaryKey"`
	Name          string     `gorm:"size:100;not null"`
	Phone         string     `gorm:"size:32;not null;uniqueIndex"`
	LicenseClass  string     `gorm:"size:8;not null"`
	LicenseExpiry *time.Time `gorm:"type:date"`
	UnitID        *int64     `gorm:"index"`
	Unit          *v1Unit    `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	UserID        *int64     `gorm:"uniqueIndex"`
	User          *v1User    `gorm:"foreignKey:UserID;constraint:OnDelete:SET NULL"`
	Status        string     `gorm:"size:32;not null"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v2Driver) TableName() string { return "drivers" }
