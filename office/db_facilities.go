package office

import (
	"time"

	"gorm.io/gorm"
)

type repairRow struct {
	ID          int64
	BuildingID  int64
	RoomID      *int64
	Equipment   string
	Description string
	Status      string
	CostFen     int64
	UnitID      *int64
	ReportedBy  int64
	ReportedAt  time.Time
	StartedAt   *time.Time
	DoneAt      *time.Time
	Note        string
	UpdatedAt   time.Time
}

func (repairRow) TableName() string { return "office_repairs" }

type patrolRow struct {
	ID          int64
	BuildingID  int64
	ScheduledOn string
	Status      string
	Inspector   string
	Result      string
	DoneAt      *time.Time
	Note        string
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (patrolRow) TableName() string { return "office_patrols" }

type patrolItemRow struct {
	ID             int64
	PatrolID       int64
	Line           int
	Item           string
	OK             *bool `gorm:"column:ok"`
	Note           string
	FollowUp       string
	FollowUpDueOn  string
	FollowUpDoneAt *time.Time
	FollowUpNote   string
}

func (patrolItemRow) TableName() string { return "office_patrol_items" }

// listRepairs lists repairs, newest first; with unit, those reported by the unit.
func listRepairs(db *gorm.DB, q RepairQuery, unit int64) ([]repairRow, int64, error) {
	m := db.Model(&repairRow{})
	if unit != 0 {
		m = m.Where("unit_id = ?", unit)
	}
	if q.BuildingID != 0 {
		m = m.Where("building_id = ?", q.BuildingID)
	}
	if q.Status != "" {
		m = m.Where("status = ?", q.Status)
	}
	if q.Equipment != "" {
		m = m.Where("equipment = ?", q.Equipment)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []repairRow
	err := m.Order("id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func insertPatrol(tx *gorm.DB, r *patrolRow, items []patrolItemRow) error {
	if err := insert(tx, r); err != nil {
		return err
	}
	for i := range items {
		items[i].PatrolID = r.ID
	}
	return insert(tx, &items)
}

func patrolItems(db *gorm.DB, patrolID int64) ([]patrolItemRow, error) {
	var rows []patrolItemRow
	return rows, dbErr(db.Where("patrol_id = ?", patrolID).Order("line").Find(&rows).Error, "")
}

func listPatrols(db *gorm.DB, q PatrolQuery, today string) ([]patrolRow, int64, error) {
	m := db.Model(&patrolRow{})
	if q.BuildingID != 0 {
		m = m.Where("building_id = ?", q.BuildingID)
	}
	if q.Status != "" {
		m = m.Where("status = ?", q.Status)
	}
	if q.Overdue {
		m = m.Where("(status = ? AND scheduled_on < ?) OR EXISTS (SELECT 1 FROM office_patrol_items i WHERE i.patrol_id = office_patrols.id "+
			"AND i.follow_up <> '' AND i.follow_up_done_at IS NULL AND i.follow_up_due_on < ?)", PatrolScheduled, today, today)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []patrolRow
	err := m.Order("scheduled_on DESC, id DESC").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}
