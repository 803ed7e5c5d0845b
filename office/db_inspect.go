package office

import (
	"time"

	"gorm.io/gorm"

	"fleet"
)

type inspectionRow struct {
	ID          int64
	Title       string
	InspectedOn string
	Inspector   string
	Note        string
	CreatedBy   *int64
	CreatedAt   time.Time
}

func (inspectionRow) TableName() string { return "office_inspections" }

type findingRow struct {
	ID            int64
	InspectionID  int64
	UnitID        int64
	RoomID        *int64
	Kind          string
	Description   string
	OwnerUserID   *int64
	Owner         string
	DueOn         string
	Status        string
	Rectification string
	RectifiedAt   *time.Time
	RectifiedBy   *int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (findingRow) TableName() string { return "office_findings" }

func lastFindingID(tx *gorm.DB, inspectionID int64) (int64, error) {
	var id int64
	err := tx.Model(&findingRow{}).Select("COALESCE(MAX(id), 0)").Where("inspection_id = ?", inspectionID).Scan(&id).Error
	return id, dbErr(err, "")
}

// listFindings lists findings; today is needed only for the overdue filter.
func listFindings(db *gorm.DB, q FindingQuery, today string) ([]findingRow, int64, error) {
	m := db.Model(&findingRow{})
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.InspectionID != 0 {
		m = m.Where("inspection_id = ?", q.InspectionID)
	}
	if q.Status != "" {
		m = m.Where("status = ?", q.Status)
	}
	if q.Overdue {
		m = m.Where("status = ? AND due_on < ?", FindingOpen, today)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []findingRow
	err := m.Order("id").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// listInspections lists inspections, newest first; with unit, those with a finding of the unit.
func listInspections(db *gorm.DB, p fleet.Page, unit int64) ([]inspectionRow, int64, error) {
	m := db.Model(&inspectionRow{})
	if unit != 0 {
		m = m.Where("EXISTS (SELECT 1 FROM office_findings f WHERE f.inspection_id = office_inspections.id AND f.unit_id = ?)", unit)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []inspectionRow
	err := m.Order("inspected_on DESC, id DESC").Limit(p.Limit).Offset(p.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}
