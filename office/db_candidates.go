package office

import (
	"gorm.io/gorm"

	"fleet/store"
)

// listCandidates reads active users of q's unit (0: all) matching q's text, by unit and name.
func listCandidates(db *gorm.DB, q CandidateQuery) ([]personRow, int64, error) {
	m := db.Model(&personRow{}).Where("disabled = ?", false)
	if q.UnitID != 0 {
		m = m.Where("unit_id = ?", q.UnitID)
	}
	if q.Query != "" {
		like := store.Like(q.Query)
		m = m.Where("(name LIKE ? ESCAPE '!' OR username LIKE ? ESCAPE '!')", like, like)
	}
	var total int64
	if err := m.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []personRow
	err := m.Select("id, username, name, unit_id, `rank`, disabled").Order("unit_id, name, id").Limit(q.Limit).Offset(q.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}
