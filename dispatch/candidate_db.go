package dispatch

import (
	"time"

	"gorm.io/gorm"
)

// fleetRows reads every vehicle that is not retired and every driver, by id.
func fleetRows(tx *gorm.DB) ([]*Vehicle, []*Driver, error) {
	var vrows []vehicleRow
	if err := tx.Where("status <> ?", StatusRetired).Order("id").Find(&vrows).Error; err != nil {
		return nil, nil, dispatchErr(err, "vehicle")
	}
	var drows []driverRow
	if err := tx.Order("id").Find(&drows).Error; err != nil {
		return nil, nil, dispatchErr(err, "driver")
	}
	vs := make([]*Vehicle, len(vrows))
	for i := range vrows {
		vs[i] = vrows[i].vehicle()
	}
	ds := make([]*Driver, len(drows))
	for i := range drows {
		ds[i] = drows[i].driver()
	}
	return vs, ds, nil
}

// loadRow is the load of one (driver, vehicle) pair in a period.
type loadRow struct {
	DriverID  int64
	VehicleID int64
	Tasks     int
	Km        float64
}

// loadRows sums the tasks (open or completed) departing in [from, to) by driver and vehicle,
// with their km: the odometer's difference when both readings are there, else the tracked km,
// else the planned km.
func loadRows(tx *gorm.DB, from, to time.Time) ([]loadRow, error) {
	var rows []loadRow
	err := tx.Table("dispatch_tasks").
		Select("driver_id, vehicle_id, COUNT(*) AS tasks, "+
			"COALESCE(SUM(COALESCE(odometer_end_km - odometer_start_km, gps_km, planned_km)), 0) AS km").
		Where("status IN ? AND depart_at >= ? AND depart_at < ?", append([]string{TaskCompleted}, openTaskStatuses...), from, to).
		Group("driver_id, vehicle_id").Find(&rows).Error
	return rows, dispatchErr(err, "task")
}
