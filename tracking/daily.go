package tracking

import (
	"context"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// VehicleDay is a vehicle's figures for one calendar day of the county.
type VehicleDay struct {
	VehicleID  int64     `json:"vehicle_id" gorm:"primaryKey"`
	Day        time.Time `json:"day" gorm:"primaryKey;type:date"`
	DistanceKm float64   `json:"distance_km"`
	DrivingS   int       `json:"driving_s"`
	Trips      int       `json:"trips"`
	Overspeeds int       `json:"overspeeds"`
	Misuses    int       `json:"misuses"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func (VehicleDay) TableName() string { return "vehicle_days" }

// day is the county's calendar day of t, as a date at UTC midnight (how DATE columns read back).
func (s *Service) day(t time.Time) time.Time {
	l := t.In(s.opt.Location)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// countDay adds one to a counter column (overspeeds, misuses) of the vehicle's day of at.
func (s *Service) countDay(ctx context.Context, vehicleID int64, at time.Time, column string) {
	s.addDay(ctx, VehicleDay{VehicleID: vehicleID, Day: s.day(at)}, map[string]any{column: gorm.Expr(column + " + 1")}, column)
}

// addDay inserts the row or, when the day exists, applies the updates.
func (s *Service) addDay(ctx context.Context, row VehicleDay, updates map[string]any, column string) {
	row.UpdatedAt = s.opt.Now()
	switch column {
	case "overspeeds":
		row.Overspeeds = 1
	case "misuses":
		row.Misuses = 1
	}
	updates["updated_at"] = row.UpdatedAt
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "vehicle_id"}, {Name: "day"}},
		DoUpdates: clause.Assignments(updates),
	}).Create(&row).Error
	if err != nil {
		s.opt.Logger.Error("daily figures", slog.Int64("vehicle_id", row.VehicleID), slog.Any("error", err))
	}
}
