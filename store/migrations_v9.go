package store

import (
	"time"

	"gorm.io/gorm"
)

// Version 9: office space (办公用房): the users' rank (职级), the standards table by rank and
// administrative level (seeded with the county level of the 2014 standard), buildings, rooms,
// assignments of rooms to units and persons, the ledger's change history, departures to recover,
// reallocation requests (统筹调剂), clearances (清退), inspections and their findings (督查整改),
// repair requests and safety patrols (设施维护).
//
// Areas are kept in whole dm² (0.01 m²) so that sums are exact; dates of the county's calendar
// (deadlines, patrol days) as "YYYY-MM-DD" text, which sorts as it reads on both dialects.

// migrateV9 adds users.rank when missing, creates the tables and seeds the standards into an
// empty table; every step is skipped when already done, so a rerun after a crash on MySQL (which
// commits DDL at once) goes on where it stopped.
func migrateV9(tx *gorm.DB) error {
	m := tx.Migrator()
	if !m.HasColumn(&v9User{}, "Rank") {
		if err := m.AddColumn(&v9User{}, "Rank"); err != nil {
			return err
		}
	}
	err := createTables(tx, &v9OfficeStandard{}, &v9OfficeBuilding{}, &v9OfficeRoom{}, &v9OfficeAssignment{},
		&v9OfficeChange{}, &v9OfficeDeparture{}, &v9OfficeReallocation{}, &v9OfficeReallocationItem{},
		&v9OfficeClearance{}, &v9OfficeInspection{}, &v9OfficeFinding{}, &v9OfficeRepair{},
		&v9OfficePatrol{}, &v9OfficePatrolItem{})
	if err != nil {
		return err
	}
	var n int64
	if err := tx.Model(&v9OfficeStandard{}).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	now := time.Now().UTC()
	rows := v9Standards()
	for i := range rows {
		rows[i].Position, rows[i].CreatedAt, rows[i].UpdatedAt = i+1, now, now
	}
	return tx.Create(&rows).Error
}

// Sources of the seeded standards, as of 2025: the per-person figures are the county level of the
// 2014 standard (which replaced the 1999 table of 20/12/9/6 m²); the unit-level allowances are
// platform defaults to be checked against the standard's text by the office manager.
const (
	v9Src2014     = "《党政机关办公用房建设标准》（发改投资〔2014〕2674号）县（市、旗）级机关办公室使用面积"
	v9SrcService  = "平台默认值，请按《党政机关办公用房建设标准》（2014）服务用房人均使用面积的县级指标核对后修改"
	v9SrcEquip    = "平台默认值：设备用房按办公室用房和服务用房使用面积之和的9%测算，请按《党政机关办公用房建设标准》（2014）核对后修改"
	v9LevelCounty = "county"
)

func v9Standards() []v9OfficeStandard {
	person := func(code, name string, m2 float64) v9OfficeStandard {
		return v9OfficeStandard{Level: v9LevelCounty, Kind: "person", Code: code, Name: name, Value: m2, Source: v9Src2014}
	}
	return []v9OfficeStandard{
		person("county_chief", "县级正职", 30),
		person("county_deputy", "县级副职", 24),
		person("section_chief", "正科", 18),
		person("section_deputy", "副科", 12),
		person("clerk", "科级以下", 9),
		{Level: v9LevelCounty, Kind: "service", Code: "service", Name: "服务用房（人均）", Value: 6, Source: v9SrcService},
		{Level: v9LevelCounty, Kind: "equipment", Code: "equipment", Name: "设备用房（占办公室和服务用房之和）", Value: 0.09, Source: v9SrcEquip},
	}
}

// v9User holds only the column version 9 adds to users. The name is quoted in raw SQL: RANK is
// a reserved word of MySQL 8.
type v9User struct {
	Rank *string `gorm:"column:rank;size:32"` // 职级 code of office_standards (kind person); null: not set
}

func (v9User) TableName() string { return "users" }

type v9OfficeStandard struct {
	ID        int64   `gorm:"primaryKey"`
	Level     string  `gorm:"size:16;not null;uniqueIndex:idx_office_standards_key,priority:1"` // county, city, province, central
	Kind      string  `gorm:"size:16;not null;uniqueIndex:idx_office_standards_key,priority:2"` // person, service, equipment
	Code      string  `gorm:"size:32;not null;uniqueIndex:idx_office_standards_key,priority:3"` // the rank for kind person
	Name      string  `gorm:"size:100;not null"`
	Value     float64 `gorm:"not null"` // person, service: m² usable per person; equipment: a share of office + service
	Position  int     `gorm:"not null;default:0"`
	Source    string  `gorm:"type:text"`
	UpdatedBy *int64  `gorm:""`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v9OfficeStandard) TableName() string { return "office_standards" }

type v9OfficeBuilding struct {
	ID            int64  `gorm:"primaryKey"`
	Name          string `gorm:"size:100;not null;uniqueIndex"`
	Address       string `gorm:"size:255;not null;default:''"`
	Floors        int    `gorm:"not null;default:0"`          // 0: not recorded
	TotalAreaDm2  int64  `gorm:"not null;default:0"`          // 建筑面积; 0: not recorded
	UsableAreaDm2 int64  `gorm:"not null;default:0"`          // 使用面积; 0: not recorded
	Ownership     string `gorm:"size:16;not null;default:''"` // owned, leased, borrowed
	Note          string `gorm:"type:text"`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v9OfficeBuilding) TableName() string { return "office_buildings" }

type v9OfficeRoom struct {
	ID         int64             `gorm:"primaryKey"`
	BuildingID int64             `gorm:"not null;uniqueIndex:idx_office_rooms_number,priority:1"`
	Building   *v9OfficeBuilding `gorm:"foreignKey:BuildingID;constraint:OnDelete:RESTRICT"`
	Floor      int               `gorm:"not null"`
	Number     string            `gorm:"size:32;not null;uniqueIndex:idx_office_rooms_number,priority:2"`
	AreaDm2    int64             `gorm:"not null"`               // usable area
	Use        string            `gorm:"size:16;not null;index"` // office, service, equipment, ancillary
	Note       string            `gorm:"type:text"`
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

func (v9OfficeRoom) TableName() string { return "office_rooms" }

// v9OfficeAssignment is a room held by a unit (UserID null) or an office room used by a person
// of the unit; active while EndAt is null.
type v9OfficeAssignment struct {
	ID         int64         `gorm:"primaryKey"`
	RoomID     int64         `gorm:"not null;index"`
	Room       *v9OfficeRoom `gorm:"foreignKey:RoomID;constraint:OnDelete:RESTRICT"`
	UnitID     int64         `gorm:"not null;index"`
	Unit       *v1Unit       `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	UserID     *int64        `gorm:"index"`
	User       *v1User       `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	Post       string        `gorm:"size:100;not null;default:''"` // 职务
	Concurrent bool          `gorm:"not null;default:false"`       // a second office for a concurrent post (兼职)
	StartAt    time.Time     `gorm:"not null"`
	EndAt      *time.Time    `gorm:"index"`
	EndReason  string        `gorm:"size:255;not null;default:''"`
	CreatedBy  *int64        `gorm:""`
	CreatedAt  time.Time
}

func (v9OfficeAssignment) TableName() string { return "office_assignments" }

// v9OfficeChange is one line of the ledger's history: who changed what, when, from what to what
// and why. Append-only.
type v9OfficeChange struct {
	ID         int64     `gorm:"primaryKey"`
	At         time.Time `gorm:"not null;index"`
	ActorID    *int64    `gorm:"index"`
	ActorName  string    `gorm:"size:100;not null;default:''"`
	Subject    string    `gorm:"size:32;not null;index:idx_office_changes_subject,priority:1"`
	SubjectID  int64     `gorm:"not null;index:idx_office_changes_subject,priority:2"`
	Action     string    `gorm:"size:32;not null"`
	BuildingID *int64    `gorm:"index"`
	RoomID     *int64    `gorm:"index"`
	UnitID     *int64    `gorm:"index"`
	UserID     *int64    `gorm:"index"`
	FromValue  string    `gorm:"type:text"`
	ToValue    string    `gorm:"type:text"`
	Reason     string    `gorm:"type:text"`
}

func (v9OfficeChange) TableName() string { return "office_changes" }

// v9OfficeDeparture is a person who transferred or retired: their rooms are due back by DueOn.
type v9OfficeDeparture struct {
	ID          int64      `gorm:"primaryKey"`
	UserID      int64      `gorm:"not null;index"`
	User        *v1User    `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	UnitID      int64      `gorm:"not null;index"`
	Kind        string     `gorm:"size:16;not null"` // transfer, retire, leave
	LeftOn      string     `gorm:"size:10;not null"`
	DueOn       string     `gorm:"size:10;not null;index"`
	RecoveredAt *time.Time `gorm:""`
	Note        string     `gorm:"type:text"`
	CreatedBy   *int64     `gorm:""`
	CreatedAt   time.Time
}

func (v9OfficeDeparture) TableName() string { return "office_departures" }

type v9OfficeReallocation struct {
	ID          int64      `gorm:"primaryKey"`
	Kind        string     `gorm:"size:16;not null"` // request (a unit asks for space), move (the center moves a unit)
	UnitID      int64      `gorm:"not null;index"`
	Unit        *v1Unit    `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	ApplicantID int64      `gorm:"not null;index"`
	Applicant   *v1User    `gorm:"foreignKey:ApplicantID;constraint:OnDelete:RESTRICT"`
	Reason      string     `gorm:"type:text"`
	AreaDm2     int64      `gorm:"not null;default:0"` // the rooms' area, for the definition's conditions
	Status      string     `gorm:"size:16;not null;index"`
	ApprovalID  *int64     `gorm:"index"`
	AppliedAt   *time.Time `gorm:""`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v9OfficeReallocation) TableName() string { return "office_reallocations" }

type v9OfficeReallocationItem struct {
	ID             int64                 `gorm:"primaryKey"`
	ReallocationID int64                 `gorm:"not null;index"`
	Reallocation   *v9OfficeReallocation `gorm:"foreignKey:ReallocationID;constraint:OnDelete:CASCADE"`
	Line           int                   `gorm:"not null"`
	RoomID         int64                 `gorm:"not null;index"` // the vacant room given
	Room           *v9OfficeRoom         `gorm:"foreignKey:RoomID;constraint:OnDelete:RESTRICT"`
	FromRoomID     *int64                `gorm:"index"` // move: the room whose assignments move into RoomID
	FromRoom       *v9OfficeRoom         `gorm:"foreignKey:FromRoomID;constraint:OnDelete:RESTRICT"`
	UserID         *int64                `gorm:""` // request: a person seated in the room
	User           *v1User               `gorm:"foreignKey:UserID;constraint:OnDelete:RESTRICT"`
	Post           string                `gorm:"size:100;not null;default:''"`
}

func (v9OfficeReallocationItem) TableName() string { return "office_reallocation_items" }

// v9OfficeClearance is a room a unit must clear and return (清退) by DueOn.
type v9OfficeClearance struct {
	ID        int64         `gorm:"primaryKey"`
	RoomID    int64         `gorm:"not null;index"`
	Room      *v9OfficeRoom `gorm:"foreignKey:RoomID;constraint:OnDelete:RESTRICT"`
	UnitID    int64         `gorm:"not null;index"`
	Unit      *v1Unit       `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	Reason    string        `gorm:"type:text"`
	DueOn     string        `gorm:"size:10;not null;index"`
	Status    string        `gorm:"size:16;not null;index"` // open, done, cancelled
	DoneAt    *time.Time    `gorm:""`
	Note      string        `gorm:"type:text"`
	CreatedBy *int64        `gorm:""`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (v9OfficeClearance) TableName() string { return "office_clearances" }

type v9OfficeInspection struct {
	ID          int64  `gorm:"primaryKey"`
	Title       string `gorm:"size:200;not null"`
	InspectedOn string `gorm:"size:10;not null;index"`
	Inspector   string `gorm:"size:100;not null;default:''"`
	Note        string `gorm:"type:text"`
	CreatedBy   *int64 `gorm:""`
	CreatedAt   time.Time
}

func (v9OfficeInspection) TableName() string { return "office_inspections" }

type v9OfficeFinding struct {
	ID            int64               `gorm:"primaryKey"`
	InspectionID  int64               `gorm:"not null;index"`
	Inspection    *v9OfficeInspection `gorm:"foreignKey:InspectionID;constraint:OnDelete:RESTRICT"`
	UnitID        int64               `gorm:"not null;index"`
	Unit          *v1Unit             `gorm:"foreignKey:UnitID;constraint:OnDelete:RESTRICT"`
	RoomID        *int64              `gorm:"index"`
	Room          *v9OfficeRoom       `gorm:"foreignKey:RoomID;constraint:OnDelete:RESTRICT"`
	Kind          string              `gorm:"size:32;not null"` // over_standard, idle, change_of_use, other
	Description   string              `gorm:"type:text"`
	OwnerUserID   *int64              `gorm:""`
	OwnerUser     *v1User             `gorm:"foreignKey:OwnerUserID;constraint:OnDelete:RESTRICT"`
	Owner         string              `gorm:"size:100;not null;default:''"`
	DueOn         string              `gorm:"size:10;not null;index"`
	Status        string              `gorm:"size:16;not null;index"` // open, rectified
	Rectification string              `gorm:"type:text"`
	RectifiedAt   *time.Time          `gorm:""`
	RectifiedBy   *int64              `gorm:""`
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (v9OfficeFinding) TableName() string { return "office_findings" }

type v9OfficeRepair struct {
	ID          int64             `gorm:"primaryKey"`
	BuildingID  int64             `gorm:"not null;index"`
	Building    *v9OfficeBuilding `gorm:"foreignKey:BuildingID;constraint:OnDelete:RESTRICT"`
	RoomID      *int64            `gorm:"index"`
	Room        *v9OfficeRoom     `gorm:"foreignKey:RoomID;constraint:OnDelete:RESTRICT"`
	Equipment   string            `gorm:"size:32;not null"` // room, elevator, water, power, air_conditioning, fire
	Description string            `gorm:"type:text"`
	Status      string            `gorm:"size:16;not null;index"` // reported, in_progress, done, cancelled
	CostFen     int64             `gorm:"not null;default:0"`     // 分
	UnitID      *int64            `gorm:"index"`                  // the reporter's unit
	ReportedBy  int64             `gorm:"not null"`
	Reporter    *v1User           `gorm:"foreignKey:ReportedBy;constraint:OnDelete:RESTRICT"`
	ReportedAt  time.Time         `gorm:"not null"`
	StartedAt   *time.Time        `gorm:""`
	DoneAt      *time.Time        `gorm:""`
	Note        string            `gorm:"type:text"`
	UpdatedAt   time.Time
}

func (v9OfficeRepair) TableName() string { return "office_repairs" }

type v9OfficePatrol struct {
	ID          int64             `gorm:"primaryKey"`
	BuildingID  int64             `gorm:"not null;index"`
	Building    *v9OfficeBuilding `gorm:"foreignKey:BuildingID;constraint:OnDelete:RESTRICT"`
	ScheduledOn string            `gorm:"size:10;not null;index"`
	Status      string            `gorm:"size:16;not null;index"` // scheduled, done
	Inspector   string            `gorm:"size:100;not null;default:''"`
	Result      string            `gorm:"size:16;not null;default:''"` // pass, issues
	DoneAt      *time.Time        `gorm:""`
	Note        string            `gorm:"type:text"`
	CreatedBy   *int64            `gorm:""`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (v9OfficePatrol) TableName() string { return "office_patrols" }

type v9OfficePatrolItem struct {
	ID             int64           `gorm:"primaryKey"`
	PatrolID       int64           `gorm:"not null;index"`
	Patrol         *v9OfficePatrol `gorm:"foreignKey:PatrolID;constraint:OnDelete:CASCADE"`
	Line           int             `gorm:"not null"`
	Item           string          `gorm:"size:200;not null"`
	OK             *bool           `gorm:"column:ok"` // null until the patrol is done
	Note           string          `gorm:"type:text"`
	FollowUp       string          `gorm:"type:text"` // what must be done about a failed item
	FollowUpDueOn  string          `gorm:"size:10;not null;default:''"`
	FollowUpDoneAt *time.Time      `gorm:""`
	FollowUpNote   string          `gorm:"type:text"`
}

func (v9OfficePatrolItem) TableName() string { return "office_patrol_items" }
