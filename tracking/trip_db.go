package tracking

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// tripRow is a stored trip (table trips, migration 4).
type tripRow struct {
	ID          int64 `gorm:"primaryKey"`
	VehicleID   int64
	StartAt     time.Time
	EndAt       time.Time
	StartLat    float64
	StartLng    float64
	EndLat      float64
	EndLng      float64
	DistanceKm  float64
	DurationS   int
	DrivingS    int
	MaxSpeedKmh float64
	AvgSpeedKmh float64
	OdometerKm  *float64
	CreatedAt   time.Time
}

func (tripRow) TableName() string { return "trips" }

func rowOfTrip(t *Trip, now time.Time) tripRow {
	return tripRow{VehicleID: t.VehicleID, StartAt: t.StartAt.UTC(), EndAt: t.EndAt.UTC(), StartLat: t.Start.Lat, StartLng: t.Start.Lng,
		EndLat: t.End.Lat, EndLng: t.End.Lng, DistanceKm: t.DistanceKm, DurationS: t.DurationS, DrivingS: t.DrivingS,
		MaxSpeedKmh: t.MaxSpeedKmh, AvgSpeedKmh: t.AvgSpeedKmh, OdometerKm: t.OdometerKm, CreatedAt: now}
}

func (r *tripRow) trip() Trip {
	return Trip{VehicleID: r.VehicleID, StartAt: r.StartAt.UTC(), EndAt: r.EndAt.UTC(), DistanceKm: r.DistanceKm, DurationS: r.DurationS,
		DrivingS: r.DrivingS, MaxSpeedKmh: r.MaxSpeedKmh, AvgSpeedKmh: r.AvgSpeedKmh, OdometerKm: r.OdometerKm,
		Start: LatLng{r.StartLat, r.StartLng}, End: LatLng{r.EndLat, r.EndLng}}
}

// stopRow is a stored stop (table stops).
type stopRow struct {
	ID        int64 `gorm:"primaryKey"`
	VehicleID int64
	StartAt   time.Time
	EndAt     time.Time
	Lat       float64
	Lng       float64
	DurationS int
	CreatedAt time.Time
}

func (stopRow) TableName() string { return "stops" }

func (r *stopRow) stop() Stop {
	return Stop{VehicleID: r.VehicleID, StartAt: r.StartAt.UTC(), EndAt: r.EndAt.UTC(), DurationS: r.DurationS, Lat: r.Lat, Lng: r.Lng}
}

var (
	tripColumns = []string{"end_at", "start_lat", "start_lng", "end_lat", "end_lng", "distance_km", "duration_s", "driving_s",
		"max_speed_kmh", "avg_speed_kmh", "odometer_km"}
	stopColumns = []string{"end_at", "lat", "lng", "duration_s"}
)

// saveTrips stores closed trips and stops (a trip or stop seen again replaces itself: the key is
// the vehicle and the start) and brings the figures of the trips' days up to date, in one
// transaction.
func (s *Service) saveTrips(ctx context.Context, trips []Trip, stops []Stop) error {
	if len(trips) == 0 && len(stops) == 0 {
		return nil
	}
	now := s.opt.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := upsertTrips(tx, trips, stops, now); err != nil {
			return err
		}
		for _, t := range trips {
			if err := s.refreshDay(tx, t.VehicleID, s.day(t.StartAt), now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tracking: save trips: %w", err)
	}
	return nil
}

func upsertTrips(tx *gorm.DB, trips []Trip, stops []Stop, now time.Time) error {
	for i := range trips {
		row := rowOfTrip(&trips[i], now)
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "vehicle_id"}, {Name: "start_at"}},
			DoUpdates: clause.AssignmentColumns(tripColumns)}).Create(&row).Error
		if err != nil {
			return err
		}
	}
	for _, st := range stops {
		row := stopRow{VehicleID: st.VehicleID, StartAt: st.StartAt.UTC(), EndAt: st.EndAt.UTC(), Lat: st.Lat, Lng: st.Lng, DurationS: st.DurationS, CreatedAt: now}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "vehicle_id"}, {Name: "start_at"}},
			DoUpdates: clause.AssignmentColumns(stopColumns)}).Create(&row).Error
		if err != nil {
			return err
		}
	}
	return nil
}

// lastTripBefore returns the vehicle's latest trip that ended by t, or nil.
func (s *Service) lastTripBefore(ctx context.Context, vehicleID int64, t time.Time) (*tripRow, error) {
	var rows []tripRow
	db := s.db.WithContext(ctx)
	// Trips do not overlap: the latest one to start before t is it, unless t falls inside it.
	err := db.Where("vehicle_id = ? AND start_at < ?", vehicleID, t.UTC()).Order("start_at DESC").Limit(1).Find(&rows).Error
	if err == nil && len(rows) == 1 && rows[0].EndAt.After(t) {
		rows = rows[:0]
		err = db.Where("vehicle_id = ? AND end_at <= ?", vehicleID, t.UTC()).Order("start_at DESC").Limit(1).Find(&rows).Error
	}
	if err != nil {
		return nil, fmt.Errorf("tracking: last trip: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// listTrips returns the stored trips and stops of the vehicle that overlap [from, to), oldest
// first: those that start in the period, and the one (they do not overlap) that began before it
// and runs into it.
func (s *Service) listTrips(ctx context.Context, vehicleID int64, from, to time.Time) (*TripList, error) {
	from, to = from.UTC(), to.UTC()
	var trows []tripRow
	var srows []stopRow
	if err := overlapping(s.db.WithContext(ctx), vehicleID, from, to, &trows, func(r *tripRow) time.Time { return r.EndAt }); err != nil {
		return nil, fmt.Errorf("tracking: trips: %w", err)
	}
	if err := overlapping(s.db.WithContext(ctx), vehicleID, from, to, &srows, func(r *stopRow) time.Time { return r.EndAt }); err != nil {
		return nil, fmt.Errorf("tracking: stops: %w", err)
	}
	l := &TripList{Trips: make([]Trip, len(trows)), Stops: make([]Stop, len(srows))}
	for i := range trows {
		l.Trips[i] = trows[i].trip()
	}
	for i := range srows {
		l.Stops[i] = srows[i].stop()
	}
	return l, nil
}

// overlapping reads into rows the vehicle's rows (trips or stops) that overlap [from, to), by
// the (vehicle_id, start_at) index.
func overlapping[R any](db *gorm.DB, vehicleID int64, from, to time.Time, rows *[]R, end func(*R) time.Time) error {
	var before []R
	if err := db.Where("vehicle_id = ? AND start_at < ?", vehicleID, from).Order("start_at DESC").Limit(1).Find(&before).Error; err != nil {
		return err
	}
	if err := db.Where("vehicle_id = ? AND start_at >= ? AND start_at < ?", vehicleID, from, to).Order("start_at").Limit(maxTripRows).Find(rows).Error; err != nil {
		return err
	}
	if len(before) == 1 && end(&before[0]).After(from) {
		*rows = append(before, *rows...)
	}
	return nil
}

// maxTripRows bounds one answer: a year of a busy vehicle is some 7,000 trips.
const maxTripRows = 20000

// tripBounds widens [from, to) to whole trips and stops: a stored trip or stop that straddles
// either bound moves it to its own start or end.
func (s *Service) tripBounds(ctx context.Context, vehicleID int64, from, to time.Time) (time.Time, time.Time, error) {
	db := s.db.WithContext(ctx)
	lo, hi := from, to
	for _, table := range []string{"trips", "stops"} {
		for _, bound := range []time.Time{from, to} {
			// They do not overlap: only the latest to start before the bound can straddle it.
			var rows []struct{ StartAt, EndAt time.Time }
			if err := db.Table(table).Select("start_at, end_at").Where("vehicle_id = ? AND start_at < ?", vehicleID, bound).
				Order("start_at DESC").Limit(1).Scan(&rows).Error; err != nil {
				return from, to, fmt.Errorf("tracking: %s bounds: %w", table, err)
			}
			if len(rows) == 0 || !rows[0].EndAt.After(bound) {
				continue
			}
			if start := rows[0].StartAt.UTC(); start.Before(lo) {
				lo = start
			}
			if end := rows[0].EndAt.UTC(); end.After(hi) {
				hi = end
			}
		}
	}
	return lo, hi, nil
}

// replaceTrips deletes the vehicle's trips and stops that start in [from, to), stores the given
// ones instead and brings the figures of every day that lost or gained a trip up to date, in one
// transaction.
func (s *Service) replaceTrips(ctx context.Context, vehicleID int64, from, to time.Time, trips []Trip, stops []Stop) error {
	now := s.opt.Now()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var old []time.Time
		if err := tx.Model(&tripRow{}).Where("vehicle_id = ? AND start_at >= ? AND start_at < ?", vehicleID, from, to).
			Pluck("start_at", &old).Error; err != nil {
			return err
		}
		if err := tx.Where("vehicle_id = ? AND start_at >= ? AND start_at < ?", vehicleID, from, to).Delete(&tripRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("vehicle_id = ? AND start_at >= ? AND start_at < ?", vehicleID, from, to).Delete(&stopRow{}).Error; err != nil {
			return err
		}
		if err := upsertTrips(tx, trips, stops, now); err != nil {
			return err
		}
		days := map[time.Time]bool{}
		for _, t := range old {
			days[s.day(t)] = true
		}
		for _, t := range trips {
			days[s.day(t.StartAt)] = true
		}
		for d := range days {
			if err := s.refreshDay(tx, vehicleID, d, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("tracking: recompute trips of vehicle %d: %w", vehicleID, err)
	}
	return nil
}
