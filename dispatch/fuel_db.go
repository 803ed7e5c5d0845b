package dispatch

import (
	"context"
	"fmt"
	"time"
)

// FuelTrip is what one completed task refuelled and charged, as the driver entered it at return:
// the fleet's energy use for the energy statistics (公务用车能耗). The vehicle's energy type and
// unit are today's.
type FuelTrip struct {
	TaskID     int64     `json:"task_id"`
	VehicleID  int64     `json:"vehicle_id"`
	Plate      string    `json:"plate"`
	Energy     string    `json:"energy"`  // gasoline, diesel, electric, hybrid, plugin_hybrid
	UnitID     *int64    `json:"unit_id"` // the vehicle's owner unit; null when it has none
	Pooled     bool      `json:"pooled"`
	ReturnedAt time.Time `json:"returned_at"` // UTC
	FuelL      float64   `json:"fuel_l"`      // litres refuelled
	ChargeKwh  float64   `json:"charge_kwh"`  // kWh charged
}

// FuelTrips lists the tasks completed (returned) in [from, to) that entered any fuel or charge,
// oldest first. It is a read for other modules, so it takes no actor: the caller checks its own
// permission.
func (s *Service) FuelTrips(ctx context.Context, from, to time.Time) ([]FuelTrip, error) {
	var rows []FuelTrip
	err := s.db.WithContext(ctx).Table("dispatch_tasks AS t").
		Select("t.id AS task_id, t.vehicle_id, v.plate, v.energy, v.unit_id, v.pooled, t.returned_at, "+
			"COALESCE(t.fuel_l, 0) AS fuel_l, COALESCE(t.charge_kwh, 0) AS charge_kwh").
		Joins("JOIN vehicles AS v ON v.id = t.vehicle_id").
		Where("t.status = ? AND t.returned_at >= ? AND t.returned_at < ?", TaskCompleted, from.UTC(), to.UTC()).
		Where("(COALESCE(t.fuel_l, 0) > 0 OR COALESCE(t.charge_kwh, 0) > 0)").
		Order("t.returned_at, t.id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("dispatch: fuel trips: %w", err)
	}
	for i := range rows {
		rows[i].ReturnedAt = rows[i].ReturnedAt.UTC()
	}
	return rows, nil
}
