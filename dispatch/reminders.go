package dispatch

import (
	"context"
	"sort"
	"time"

	"fleet"
	"fleet/auth"
)

// Kinds of reminder: a vehicle's insurance, annual inspection or service falls due, or a
// driver's licence expires.
const (
	ReminderInsurance   = "insurance"
	ReminderInspection  = "inspection"
	ReminderMaintenance = "maintenance"
	ReminderLicense     = "license"
)

// Reminder is a date falling due within the window asked for, or past already (overdue).
type Reminder struct {
	Subject   string    `json:"subject"` // vehicle or driver
	VehicleID *int64    `json:"vehicle_id,omitempty"`
	DriverID  *int64    `json:"driver_id,omitempty"`
	Name      string    `json:"name"` // the plate or the driver's name
	Kind      string    `json:"kind"`
	DueDate   time.Time `json:"due_date"`
	DaysLeft  int       `json:"days_left"` // from today, county time; negative when overdue
	Overdue   bool      `json:"overdue"`
}

// MaxReminderDays bounds the reminders' window: a year ahead.
const MaxReminderDays = 366

// Reminders lists what falls due within days of today (county time) or is overdue: vehicles'
// insurance, inspection and service (retired vehicles left out) and drivers' licences, by due
// date. One query per kind.
func (s *Service) Reminders(ctx context.Context, a *auth.Actor, days int) ([]Reminder, int64, error) {
	if err := a.Require(auth.PermRecordsRead); err != nil {
		return nil, 0, err
	}
	if days < 0 || days > MaxReminderDays {
		return nil, 0, fleet.Invalid(map[string]string{"days": "must be between 0 and 366"})
	}
	today := dateOf(s.now(), s.loc)
	out, err := s.dueItems(ctx, today.AddDate(0, 0, days))
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].DaysLeft = int(out[i].DueDate.Sub(today).Round(24*time.Hour) / (24 * time.Hour))
		out[i].Overdue = out[i].DaysLeft < 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].DueDate.Equal(out[j].DueDate) {
			return out[i].DueDate.Before(out[j].DueDate)
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Name < out[j].Name
	})
	return out, int64(len(out)), nil
}
