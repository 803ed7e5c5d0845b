package dispatch

import (
	"context"
	"fmt"
	"time"
)

// dueItems returns, one query per kind, every known date up to horizon (a date).
func (s *Service) dueItems(ctx context.Context, horizon time.Time) ([]Reminder, error) {
	var out []Reminder
	for _, k := range []struct{ kind, column string }{
		{ReminderInsurance, "insurance_expiry"},
		{ReminderInspection, "inspection_due"},
		{ReminderMaintenance, "maintenance_due"},
	} {
		var rows []struct {
			ID    int64
			Plate string
			Due   time.Time
		}
		err := s.db.WithContext(ctx).Model(&vehicleRow{}).
			Select("id, plate, "+k.column+" AS due").
			Where(k.column+" IS NOT NULL AND "+k.column+" <= ? AND status <> ?", horizon, StatusRetired).
			Find(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("dispatch: reminders %s: %w", k.kind, err)
		}
		for _, r := range rows {
			id := r.ID
			out = append(out, Reminder{Subject: "vehicle", VehicleID: &id, Name: r.Plate, Kind: k.kind, DueDate: r.Due.UTC()})
		}
	}
	var rows []struct {
		ID   int64
		Name string
		Due  time.Time
	}
	err := s.db.WithContext(ctx).Model(&driverRow{}).Select("id, name, license_expiry AS due").
		Where("license_expiry IS NOT NULL AND license_expiry <= ?", horizon).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("dispatch: reminders licence: %w", err)
	}
	for _, r := range rows {
		id := r.ID
		out = append(out, Reminder{Subject: "driver", DriverID: &id, Name: r.Name, Kind: ReminderLicense, DueDate: r.Due.UTC()})
	}
	return out, nil
}
