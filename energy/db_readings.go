package energy

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

// readingsBetween reads a meter's readings of every status in [from, to].
func readingsBetween(tx *gorm.DB, meter int64, from, to time.Time) ([]readingRow, error) {
	var rows []readingRow
	err := tx.Where("meter_id = ? AND at >= ? AND at <= ?", meter, from, to).Order("at").Find(&rows).Error
	return rows, dbErr(err, "")
}

// okBefore is the latest accepted reading of a meter strictly before t, or nil.
func okBefore(tx *gorm.DB, meter int64, t time.Time) (*readingRow, error) {
	var r readingRow
	err := tx.Where("meter_id = ? AND status = ? AND at < ?", meter, ReadingOK, t).Order("at DESC").Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

// okAfter is the earliest accepted reading of a meter strictly after t, or nil.
func okAfter(tx *gorm.DB, meter int64, t time.Time) (*readingRow, error) {
	var r readingRow
	err := tx.Where("meter_id = ? AND status = ? AND at > ?", meter, ReadingOK, t).Order("at").Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

func readingRows(tx *gorm.DB, q ReadingQuery) ([]readingRow, int64, error) {
	page := q.Page.Normalize()
	db := tx.Model(&readingRow{})
	if q.MeterID != 0 {
		db = db.Where("meter_id = ?", q.MeterID)
	}
	if q.UnitID != 0 {
		db = db.Where("meter_id IN (?)", tx.Model(&meterRow{}).Select("id").Where("unit_id = ?", q.UnitID))
	}
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.from != nil {
		db = db.Where("at >= ?", *q.from)
	}
	if q.to != nil {
		db = db.Where("at < ?", *q.to)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []readingRow
	err := db.Order("at DESC, id DESC").Limit(page.Limit).Offset(page.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

func meterNames(tx *gorm.DB, rows []readingRow) (map[int64]string, error) {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.MeterID
	}
	meters, err := metersByID(tx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]string, len(meters))
	for id, m := range meters {
		out[id] = m.Name
	}
	return out, nil
}
