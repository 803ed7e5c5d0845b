package dispatch

import (
	"fmt"
	"math"
	"strings"
	"time"

	"fleet"
)

// Kinds of vehicle record.
const (
	RecordMaintenance  = "maintenance"  // 保养: due_date is the next service
	RecordRepair       = "repair"       // 维修
	RecordInsurance    = "insurance"    // 保险: due_date is the new policy's last day
	RecordInspection   = "inspection"   // 年检: due_date is the new validity's last day
	RecordDisinfection = "disinfection" // 消毒: at is when it was done
)

// RecordKinds lists the kinds of vehicle record.
var RecordKinds = []string{RecordMaintenance, RecordRepair, RecordInsurance, RecordInspection, RecordDisinfection}

// VehicleRecord is one entry of a vehicle's history. Cost is in yuan (kept in whole fen).
type VehicleRecord struct {
	ID         int64      `json:"id"`
	VehicleID  int64      `json:"vehicle_id"`
	Kind       string     `json:"kind"`
	Date       time.Time  `json:"date"`
	At         *time.Time `json:"at"`
	DueDate    *time.Time `json:"due_date"`
	Cost       float64    `json:"cost"`
	OdometerKm *float64   `json:"odometer_km"`
	Note       string     `json:"note"`
	UserID     *int64     `json:"user_id"`
	UserName   string     `json:"user_name"`
	CreatedAt  time.Time  `json:"created_at"`
}

// RecordInput adds a vehicle record. Date is 2006-01-02; At (RFC 3339) may stand in for it, and
// a disinfection without either is dated now. DueDate is required for insurance and inspection
// (the vehicle's insurance expiry or inspection due date becomes it), optional for maintenance
// (the next service), and refused for the other kinds.
type RecordInput struct {
	Kind       string   `json:"kind"`
	Date       string   `json:"date"`
	At         string   `json:"at"`
	DueDate    string   `json:"due_date"`
	Cost       float64  `json:"cost"` // yuan
	OdometerKm *float64 `json:"odometer_km"`
	Note       string   `json:"note"`

	date    time.Time
	at, due *time.Time
	costFen int64
}

// maxCostYuan bounds a record's cost: ten million yuan buys the whole fleet.
const maxCostYuan = 10_000_000

// validate normalizes the input and returns its problems; now and loc date a disinfection
// given no date.
func (in *RecordInput) validate(now time.Time, loc *time.Location) error {
	p := fleet.Problems{}
	if in.Kind == "" {
		p.Add("kind", "required")
	} else if !oneOf(in.Kind, RecordKinds) {
		p.Add("kind", "must be one of "+strings.Join(RecordKinds, ", "))
	}
	in.at = nil
	if s := strings.TrimSpace(in.At); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil || t.Year() < 1990 || t.Year() > 2100 {
			p.Add("at", "must be a time as 2026-05-01T08:00:00+08:00")
		} else {
			t = t.UTC()
			in.at = &t
		}
	}
	if in.Kind == RecordDisinfection && in.at == nil && strings.TrimSpace(in.Date) == "" && p["at"] == "" {
		t := now.UTC()
		in.at = &t
	}
	if d := optionalDate(p, "date", in.Date); d != nil {
		in.date = *d
		if in.at != nil && !sameDay(*in.at, *d, loc) {
			p.Add("date", "is not the day of at")
		}
	} else if in.at != nil {
		in.date = dateOf(*in.at, loc)
	} else if p["date"] == "" {
		p.Add("date", "required")
	}
	in.due = optionalDate(p, "due_date", in.DueDate)
	switch in.Kind {
	case RecordInsurance, RecordInspection:
		if in.due == nil && p["due_date"] == "" {
			p.Add("due_date", "required: the day the new "+in.Kind+" runs to")
		}
	case RecordMaintenance:
	default:
		if in.due != nil {
			p.Add("due_date", "only insurance, inspection and maintenance records have one")
		}
	}
	if in.due != nil && !in.date.IsZero() && !in.due.After(in.date) {
		p.Add("due_date", "must be after date")
	}
	if math.IsNaN(in.Cost) || in.Cost < 0 || in.Cost > maxCostYuan {
		p.Add("cost", "must be between 0 and 10,000,000 yuan")
	} else {
		in.costFen = int64(math.Round(in.Cost * 100))
	}
	if in.OdometerKm != nil && (math.IsNaN(*in.OdometerKm) || *in.OdometerKm < 0 || *in.OdometerKm > maxOdometerKm) {
		p.Add("odometer_km", "must be between 0 and 5,000,000 km")
	}
	in.Note = p.Text("note", in.Note, false, 1000)
	return p.Err()
}

// odometerForward refuses a reading below the last one: odometers never go backwards.
func odometerForward(last *float64, km float64) error {
	if last != nil && km < *last {
		return &fleet.Error{Code: fleet.EInvalid,
			Message: fmt.Sprintf("odometer readings never go backwards: the last one was %.0f km", *last),
			Fields:  map[string]string{"odometer_km": fmt.Sprintf("below the last reading, %.0f km", *last)}}
	}
	return nil
}

// dateOf is the calendar day of t in loc, as a date is stored (midnight UTC).
func dateOf(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

func sameDay(t, date time.Time, loc *time.Location) bool { return dateOf(t, loc).Equal(date) }

// RecordFilter narrows a vehicle's records.
type RecordFilter struct {
	fleet.Page
	Kind string
}

// vehicleDateColumn is the vehicles column a kind of record keeps current, or "".
func vehicleDateColumn(kind string) string {
	switch kind {
	case RecordInsurance:
		return "insurance_expiry"
	case RecordInspection:
		return "inspection_due"
	case RecordMaintenance:
		return "maintenance_due"
	}
	return ""
}
