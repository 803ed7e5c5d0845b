package energy

import (
	"time"

	"gorm.io/gorm"

	"fleet/store"
)

func meterRows(tx *gorm.DB, q MeterQuery) ([]meterRow, int64, error) {
	page := q.Page.Normalize()
	db := tx.Model(&meterRow{})
	if q.UnitID != 0 {
		db = db.Where("unit_id = ?", q.UnitID)
	}
	if q.BuildingID != 0 {
		db = db.Where("building_id = ?", q.BuildingID)
	}
	if q.Kind != "" {
		db = db.Where("kind = ?", q.Kind)
	}
	if q.Status != "" {
		db = db.Where("status = ?", q.Status)
	}
	if q.Query != "" {
		like := store.Like(q.Query)
		db = db.Where("(name LIKE ? ESCAPE '!' OR code LIKE ? ESCAPE '!')", like, like)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	var rows []meterRow
	err := db.Order("unit_id, kind, name, id").Limit(page.Limit).Offset(page.Offset).Find(&rows).Error
	return rows, total, dbErr(err, "")
}

// metersByID reads meters; the map holds those that exist.
func metersByID(tx *gorm.DB, ids []int64) (map[int64]*meterRow, error) {
	out := map[int64]*meterRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []meterRow
	if err := tx.Where("id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// allMeters reads every meter, oldest first.
func allMeters(tx *gorm.DB) ([]meterRow, error) {
	var rows []meterRow
	err := tx.Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func readingCount(tx *gorm.DB, meter int64) (int64, error) {
	var n int64
	err := tx.Model(&readingRow{}).Where("meter_id = ?", meter).Count(&n).Error
	return n, dbErr(err, "")
}

// readingsAfter counts the readings in the way of closing a series at t: any at t, and those
// after it that were not rejected.
func readingsAfter(tx *gorm.DB, meter int64, t time.Time) (int64, error) {
	var n int64
	err := tx.Model(&readingRow{}).Where("meter_id = ? AND (at = ? OR (at > ? AND status <> ?))", meter, t, t, ReadingRejected).
		Count(&n).Error
	return n, dbErr(err, "")
}

// lastOK is the latest accepted reading of a meter at or before t, or nil.
func lastOK(tx *gorm.DB, meter int64, t time.Time) (*readingRow, error) {
	var r readingRow
	err := tx.Where("meter_id = ? AND status = ? AND at <= ?", meter, ReadingOK, t).Order("at DESC").Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

// firstOK is the earliest accepted reading of a meter at or after t, or nil.
func firstOK(tx *gorm.DB, meter int64, t time.Time) (*readingRow, error) {
	var r readingRow
	err := tx.Where("meter_id = ? AND status = ? AND at >= ?", meter, ReadingOK, t).Order("at").Take(&r).Error
	if store.IsNotFound(err) {
		return nil, nil
	}
	return &r, dbErr(err, "")
}

// latestOK is each meter's latest accepted reading: one index look-up per meter.
func latestOK(tx *gorm.DB, ids []int64) (map[int64]readingRow, error) {
	return endOK(tx, ids, "DESC")
}

// firstOKs is each meter's first accepted reading.
func firstOKs(tx *gorm.DB, ids []int64) (map[int64]readingRow, error) {
	return endOK(tx, ids, "ASC")
}

// endOK finds each meter's first (order ASC) or latest (DESC) accepted reading.
func endOK(tx *gorm.DB, ids []int64, order string) (map[int64]readingRow, error) {
	out := map[int64]readingRow{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []struct {
		MeterID   int64
		ReadingID *int64
	}
	err := tx.Table("energy_meters AS m").Select("m.id AS meter_id, (SELECT r.id FROM energy_readings r WHERE r.meter_id = m.id "+
		"AND r.status = ? ORDER BY r.at "+order+" LIMIT 1) AS reading_id", ReadingOK).Where("m.id IN ?", uniq(ids)).Scan(&found).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	var want []int64
	for _, f := range found {
		if f.ReadingID != nil {
			want = append(want, *f.ReadingID)
		}
	}
	for len(want) > 0 {
		n := min(len(want), 1000)
		var rows []readingRow
		if err := tx.Where("id IN ?", want[:n]).Find(&rows).Error; err != nil {
			return nil, dbErr(err, "")
		}
		for _, r := range rows {
			out[r.MeterID] = r
		}
		want = want[n:]
	}
	return out, nil
}

// flaggedCounts is how many readings each meter has held for review.
func flaggedCounts(tx *gorm.DB, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		MeterID int64
		N       int
	}
	err := tx.Model(&readingRow{}).Select("meter_id, COUNT(*) AS n").Where("meter_id IN ? AND status = ?", uniq(ids), ReadingFlagged).
		Group("meter_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.MeterID] = r.N
	}
	return out, dbErr(err, "")
}

// successors maps a replaced meter to the meter that took over from it.
func successors(tx *gorm.DB, ids []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []meterRow
	if err := tx.Select("id, replaces_id").Where("replaces_id IN ?", uniq(ids)).Find(&rows).Error; err != nil {
		return nil, dbErr(err, "")
	}
	for _, r := range rows {
		out[*r.ReplacesID] = r.ID
	}
	return out, nil
}

// lockMeters reads the meters of a batch locked for the transaction on MySQL, so that two
// batches for one meter are checked one after the other.
func lockMeters(tx *gorm.DB, ids []int64) (map[int64]*meterRow, error) {
	out := map[int64]*meterRow{}
	var rows []meterRow
	err := tx.Clauses(lockingClause(tx)...).Where("id IN ?", uniq(ids)).Order("id").Find(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}
