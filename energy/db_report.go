package energy

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
)

// loadFacts reads what the figures of the periods between bounds need: every meter, its
// accepted readings around each boundary, the fleet's trips, the coefficients, CO2 factors and
// settings.
func (s *Service) loadFacts(ctx context.Context, tx *gorm.DB, bounds []time.Time) (*facts, error) {
	f := &facts{bounds: bounds}
	var err error
	if f.meters, err = allMeters(tx); err != nil {
		return nil, err
	}
	if f.spans, err = meterSpans(tx, f.meters); err != nil {
		return nil, err
	}
	if f.brackets, err = brackets(tx, f.meters, bounds); err != nil {
		return nil, err
	}
	if f.trips, err = s.fleet.FuelTrips(ctx, bounds[0], bounds[len(bounds)-1]); err != nil {
		return nil, err
	}
	if f.set, err = loadSettings(tx); err != nil {
		return nil, err
	}
	if f.coef, err = coefficients(tx); err != nil {
		return nil, err
	}
	if f.co2, err = co2Factors(tx, f.set.region()); err != nil {
		return nil, err
	}
	if f.center, err = centerUnitID(tx, auth.CenterUnit); err != nil {
		return nil, err
	}
	return f, nil
}

// meterSpans reads each meter's life for the completeness check.
func meterSpans(tx *gorm.DB, meters []meterRow) (map[int64]span, error) {
	ids := make([]int64, len(meters))
	for i, m := range meters {
		ids[i] = m.ID
	}
	first, err := firstOKs(tx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]span, len(meters))
	for _, m := range meters {
		sp := span{start: m.CreatedAt.UTC(), end: utcPtr(m.RemovedAt)}
		if r, ok := first[m.ID]; ok && r.At.Before(sp.start) {
			sp.start = r.At.UTC()
		}
		if m.InstalledAt != nil {
			sp.start, sp.installed = m.InstalledAt.UTC(), true
		}
		out[m.ID] = sp
	}
	return out, nil
}

// brackets reads, for every meter and boundary, the accepted readings at or just before and at
// or just after the boundary: two index look-ups per meter and boundary in one query per
// boundary, whatever the number of readings in between.
func brackets(tx *gorm.DB, meters []meterRow, bounds []time.Time) (map[int64][]bracket, error) {
	out := make(map[int64][]bracket, len(meters))
	if len(meters) == 0 {
		return out, nil
	}
	ids := make([]int64, len(meters))
	for i, m := range meters {
		ids[i] = m.ID
		out[m.ID] = make([]bracket, len(bounds))
	}
	type pair struct {
		MeterID int64
		PrevID  *int64
		NextID  *int64
	}
	pairs := make([][]pair, len(bounds))
	var want []int64
	for i, t := range bounds {
		err := tx.Table("energy_meters AS m").Select(
			"m.id AS meter_id, "+
				"(SELECT r.id FROM energy_readings r WHERE r.meter_id = m.id AND r.status = ? AND r.at <= ? ORDER BY r.at DESC LIMIT 1) AS prev_id, "+
				"(SELECT r.id FROM energy_readings r WHERE r.meter_id = m.id AND r.status = ? AND r.at >= ? ORDER BY r.at LIMIT 1) AS next_id",
			ReadingOK, t.UTC(), ReadingOK, t.UTC()).Where("m.id IN ?", ids).Scan(&pairs[i]).Error
		if err != nil {
			return nil, dbErr(err, "")
		}
		for _, p := range pairs[i] {
			if p.PrevID != nil {
				want = append(want, *p.PrevID)
			}
			if p.NextID != nil {
				want = append(want, *p.NextID)
			}
		}
	}
	points, err := pointsByID(tx, uniq(want))
	if err != nil {
		return nil, err
	}
	for i := range bounds {
		for _, p := range pairs[i] {
			b := &out[p.MeterID][i]
			if p.PrevID != nil {
				b.prev = points[*p.PrevID]
			}
			if p.NextID != nil {
				b.next = points[*p.NextID]
			}
		}
	}
	return out, nil
}

// pointsByID reads readings by id, a thousand at a time.
func pointsByID(tx *gorm.DB, ids []int64) (map[int64]*point, error) {
	out := make(map[int64]*point, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		var rows []readingRow
		if err := tx.Select("id, at, value").Where("id IN ?", ids[:n]).Find(&rows).Error; err != nil {
			return nil, dbErr(err, "")
		}
		for i := range rows {
			out[rows[i].ID] = rows[i].point()
		}
		ids = ids[n:]
	}
	return out, nil
}

// flaggedBetween counts the readings held for review in [from, to], per meter.
func flaggedBetween(tx *gorm.DB, from, to time.Time) (map[int64]int, error) {
	var rows []struct {
		MeterID int64
		N       int
	}
	err := tx.Model(&readingRow{}).Select("meter_id, COUNT(*) AS n").
		Where("status = ? AND at >= ? AND at <= ?", ReadingFlagged, from, to).Group("meter_id").Scan(&rows).Error
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.MeterID] = r.N
	}
	return out, dbErr(err, "")
}
