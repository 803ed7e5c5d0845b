package tracking

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// positionRow is what trip detection reads of a stored point.
type positionRow struct {
	FixedAt   time.Time
	Lat       float64
	Lng       float64
	SpeedKmh  float64
	MileageKm *float64
}

func (r *positionRow) point(vehicleID int64) Point {
	p := Point{VehicleID: vehicleID, FixedAt: r.FixedAt.UTC(), Lat: r.Lat, Lng: r.Lng, SpeedKmh: r.SpeedKmh, Positioned: true}
	if r.MileageKm != nil {
		p.MileageKm, p.HasMileage = *r.MileageKm, true
	}
	return p
}

// latestPositions returns the vehicle's newest stored points (at most limit) fixed at or after
// since and before before, oldest first, and whether more were left out.
func (s *Service) latestPositions(ctx context.Context, vehicleID int64, since, before time.Time, limit int) ([]Point, bool, error) {
	var rows []positionRow
	err := s.db.WithContext(ctx).Raw(`SELECT fixed_at, lat, lng, speed_kmh, mileage_km FROM positions
		WHERE vehicle_id = ? AND fixed_at >= ? AND fixed_at < ? ORDER BY fixed_at DESC LIMIT ?`,
		vehicleID, dbTime(since), dbTime(before), limit+1).Scan(&rows).Error
	if err != nil {
		return nil, false, fmt.Errorf("tracking: positions: %w", err)
	}
	more := len(rows) > limit
	if more {
		rows = rows[:limit]
	}
	slices.Reverse(rows)
	pts := make([]Point, len(rows))
	for i := range rows {
		pts[i] = rows[i].point(vehicleID)
	}
	return pts, more, nil
}

// positionsFrom returns up to limit stored points of the vehicle fixed at or after from and
// before to, oldest first: one chunk of a longer read.
func (s *Service) positionsFrom(ctx context.Context, vehicleID int64, from, to time.Time, limit int, into []Point) ([]Point, error) {
	var rows []positionRow
	err := s.db.WithContext(ctx).Raw(`SELECT fixed_at, lat, lng, speed_kmh, mileage_km FROM positions
		WHERE vehicle_id = ? AND fixed_at >= ? AND fixed_at < ? ORDER BY fixed_at LIMIT ?`,
		vehicleID, dbTime(from), dbTime(to), limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("tracking: positions: %w", err)
	}
	into = into[:0]
	for i := range rows {
		into = append(into, rows[i].point(vehicleID))
	}
	return into, nil
}
