package dispatch

import (
	"time"

	"fleet"
)

// Task statuses. A task is one vehicle and one driver serving a request (or a merged trip's
// requests) over its window. assigned → accepted → departed → completed is the way of a task;
// declined (by the driver), cancelled (by the dispatcher or with its request) and reassigned
// (replaced by another task) end it early. The open statuses hold the vehicle and the driver.
const (
	TaskAssigned   = "assigned"
	TaskAccepted   = "accepted"
	TaskDeparted   = "departed"
	TaskCompleted  = "completed"
	TaskDeclined   = "declined"
	TaskCancelled  = "cancelled"
	TaskReassigned = "reassigned"
)

// openTaskStatuses are the statuses of a task that books its vehicle and driver.
var openTaskStatuses = []string{TaskAssigned, TaskAccepted, TaskDeparted}

// taskOpen reports whether a task of the status books its vehicle and driver.
func taskOpen(status string) bool {
	return status == TaskAssigned || status == TaskAccepted || status == TaskDeparted
}

// Task is a dispatch task as the API shows it (the websocket's task messages carry it too).
type Task struct {
	ID              int64      `json:"id"`
	RequestID       int64      `json:"request_id"`  // the lead request
	RequestIDs      []int64    `json:"request_ids"` // every request it serves (a merged trip has several)
	VehicleID       int64      `json:"vehicle_id"`
	Plate           string     `json:"plate"`
	HasTerminal     bool       `json:"has_terminal"` // the vehicle reports itself; else the driver's phone does on the trip
	DriverID        int64      `json:"driver_id"`
	Driver          string     `json:"driver"`
	DriverPhone     string     `json:"driver_phone"`
	Status          string     `json:"status"`
	DepartAt        time.Time  `json:"depart_at"`
	ReturnAt        time.Time  `json:"return_at"`
	Origin          Place      `json:"origin"`
	Destinations    []Place    `json:"destinations"`
	Purpose         string     `json:"purpose"`
	Passengers      int        `json:"passengers"`
	Priority        string     `json:"priority"`
	Notes           string     `json:"notes"`
	Applicant       string     `json:"applicant"`
	ApplicantPhone  string     `json:"applicant_phone"`
	Title           string     `json:"title"`
	OutOfArea       bool       `json:"out_of_area"`
	PlannedKm       float64    `json:"planned_km"`
	Score           *float64   `json:"score"` // the candidate score when assigned
	AssignedAt      time.Time  `json:"assigned_at"`
	AcceptedAt      *time.Time `json:"accepted_at"`
	DeclinedAt      *time.Time `json:"declined_at"`
	DeclineReason   string     `json:"decline_reason"`
	Check           *Check     `json:"check"` // the pre-trip check; null until answered
	DepartedAt      *time.Time `json:"departed_at"`
	ReturnedAt      *time.Time `json:"returned_at"`
	OdometerStartKm *float64   `json:"odometer_start_km"`
	OdometerEndKm   *float64   `json:"odometer_end_km"`
	FuelL           *float64   `json:"fuel_l"`
	ChargeKwh       *float64   `json:"charge_kwh"`
	GPSKm           *float64   `json:"gps_km"`    // tracked km between departure and return
	DrivingS        *int       `json:"driving_s"` // tracked driving time
	CancelledAt     *time.Time `json:"cancelled_at"`
	CancelReason    string     `json:"cancel_reason"`
	ReplacedBy      *int64     `json:"replaced_by"`
}

// Check is a driver's pre-trip safety check (出车前安全检查).
type Check struct {
	Items  []CheckItem `json:"items"`
	Note   string      `json:"note"`
	Passed bool        `json:"passed"` // every item ok, or noted
	At     time.Time   `json:"at"`
}

// CheckItem is one answer: a failing item blocks departure unless it carries a note.
type CheckItem struct {
	Item string `json:"item"`
	OK   bool   `json:"ok"`
	Note string `json:"note,omitempty"`
}

// CheckInput is what POST /api/driver/tasks/{id}/check takes.
type CheckInput struct {
	Items []CheckItem `json:"items"`
	Note  string      `json:"note"`
	// Disinfected: the driver disinfected the vehicle before the trip; the vehicle's records get
	// a disinfection record (消毒记录) by the driver, once per task.
	Disinfected bool `json:"disinfected"`
}

// validate checks the answers against the checklist: every item answered once, nothing else.
func (in *CheckInput) validate(checklist []string) (passed bool, err error) {
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, false, 500)
	listed := map[string]bool{}
	for _, c := range checklist {
		listed[c] = true
	}
	answered := map[string]bool{}
	passed = true
	for i := range in.Items {
		it := &in.Items[i]
		field := "items." + itoa(i)
		it.Item = p.Text(field+".item", it.Item, true, 50)
		it.Note = p.Text(field+".note", it.Note, false, 200)
		switch {
		case !listed[it.Item]:
			p.Add(field+".item", "not on the checklist")
		case answered[it.Item]:
			p.Add(field+".item", "answered twice")
		}
		answered[it.Item] = true
		if !it.OK && it.Note == "" {
			passed = false
		}
	}
	for _, c := range checklist {
		if !answered[c] {
			p.Add("items", "every checklist item needs an answer; missing "+c)
			break
		}
	}
	return passed, p.Err()
}

// ReturnInput ends a trip: the odometer (required, never below the vehicle's last reading) and
// what was refuelled or charged.
type ReturnInput struct {
	OdometerKm *float64 `json:"odometer_km"`
	FuelL      *float64 `json:"fuel_l"`
	ChargeKwh  *float64 `json:"charge_kwh"`
}

func (in *ReturnInput) validate() error {
	p := fleet.Problems{}
	if in.OdometerKm == nil {
		p.Add("odometer_km", "required")
	} else if v := *in.OdometerKm; !(v >= 0 && v <= maxOdometerKm) {
		p.Add("odometer_km", "must be between 0 and 5,000,000 km")
	}
	if in.FuelL != nil && !(*in.FuelL >= 0 && *in.FuelL <= 1000) {
		p.Add("fuel_l", "must be between 0 and 1,000 litres")
	}
	if in.ChargeKwh != nil && !(*in.ChargeKwh >= 0 && *in.ChargeKwh <= 1000) {
		p.Add("charge_kwh", "must be between 0 and 1,000 kWh")
	}
	return p.Err()
}

// DeclineInput is the driver's reason for declining a task.
type DeclineInput struct {
	Reason string `json:"reason"`
}

// AssignInput names the vehicle and the driver of an assignment.
type AssignInput struct {
	VehicleID int64  `json:"vehicle_id"`
	DriverID  int64  `json:"driver_id"`
	Reason    string `json:"reason"` // reassignment: why (optional)
}

func (in *AssignInput) validate() error {
	p := fleet.Problems{}
	if in.VehicleID <= 0 {
		p.Add("vehicle_id", "required")
	}
	if in.DriverID <= 0 {
		p.Add("driver_id", "required")
	}
	in.Reason = p.Text("reason", in.Reason, false, 200)
	return p.Err()
}
