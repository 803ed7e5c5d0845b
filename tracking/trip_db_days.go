package tracking

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// dayBounds is the county's calendar day (as s.day returns it) as a UTC interval.
func (s *Service) dayBounds(day time.Time) (time.Time, time.Time) {
	start := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.opt.Location)
	return start.UTC(), start.AddDate(0, 0, 1).UTC()
}

// refreshDay sets the day's distance, driving time and trip count to the sums of the trips that
// start on it: recomputed rather than incremented, so storing a trip twice counts it once.
func (s *Service) refreshDay(tx *gorm.DB, vehicleID int64, day, now time.Time) error {
	from, to := s.dayBounds(day)
	var sum struct {
		Km      float64
		Driving int64
		N       int64
	}
	err := tx.Raw(`SELECT COALESCE(SUM(distance_km), 0) AS km, COALESCE(SUM(driving_s), 0) AS driving, COUNT(*) AS n
		FROM trips WHERE vehicle_id = ? AND start_at >= ? AND start_at < ?`, vehicleID, from, to).Scan(&sum).Error
	if err != nil {
		return err
	}
	set := map[string]any{"distance_km": roundTo(sum.Km, 3), "driving_s": sum.Driving, "trips": sum.N, "updated_at": now}
	if sum.N == 0 { // no trip: zero a row that exists, create none
		return tx.Model(&VehicleDay{}).Where("vehicle_id = ? AND day = ?", vehicleID, day).Updates(set).Error
	}
	row := VehicleDay{VehicleID: vehicleID, Day: day, DistanceKm: roundTo(sum.Km, 3), DrivingS: int(sum.Driving), Trips: int(sum.N), UpdatedAt: now}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "vehicle_id"}, {Name: "day"}},
		DoUpdates: clause.Assignments(set)}).Create(&row).Error
}

// vehicleDays returns the vehicle's stored figures for the days from..to (both included).
func (s *Service) vehicleDays(ctx context.Context, vehicleID int64, from, to time.Time) ([]VehicleDay, error) {
	days := []VehicleDay{}
	if err := s.db.WithContext(ctx).Where("vehicle_id = ? AND day >= ? AND day <= ?", vehicleID, from, to).Order("day").Find(&days).Error; err != nil {
		return nil, fmt.Errorf("tracking: vehicle days: %w", err)
	}
	for i := range days {
		days[i].Day = days[i].Day.UTC()
		days[i].UpdatedAt = days[i].UpdatedAt.UTC()
	}
	return days, nil
}

// fleetDay returns every vehicle's figures for the day, zero for a vehicle without a row.
func (s *Service) fleetDay(ctx context.Context, day time.Time) ([]FleetDay, error) {
	out := []FleetDay{}
	err := s.db.WithContext(ctx).Raw(`SELECT v.id AS vehicle_id, v.plate,
		COALESCE(d.distance_km, 0) AS distance_km, COALESCE(d.driving_s, 0) AS driving_s, COALESCE(d.trips, 0) AS trips,
		COALESCE(d.overspeeds, 0) AS overspeeds, COALESCE(d.misuses, 0) AS misuses
		FROM vehicles v LEFT JOIN vehicle_days d ON d.vehicle_id = v.id AND d.day = ?
		ORDER BY v.id`, day).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("tracking: fleet day: %w", err)
	}
	for i := range out {
		out[i].Day = day
	}
	return out, nil
}
