package dispatch

import (
	"math"
	"strings"
	"time"

	"fleet"
)

// Request statuses (用车申请). The lifecycle:
//
//	draft → submitted → approved → assigned → accepted → departed → completed
//
// submitted waits for the vehicle_use approval; approved is the dispatch queue (待派车). A driver's
// decline or a cancelled task puts an assigned request back to approved. A rejected approval ends
// the request (rejected), the applicant's withdrawal too (cancelled); an approval returned for
// revision takes it back to draft. An emergency (应急保障) is approved at once — in the queue and
// assignable — while its approval runs after (see ApprovalStatus). The driver's return ends the
// trip and completes every request it served in one step (returned_at records when).
const (
	ReqDraft     = "draft"
	ReqSubmitted = "submitted"
	ReqApproved  = "approved"
	ReqAssigned  = "assigned"
	ReqAccepted  = "accepted"
	ReqDeparted  = "departed"
	ReqCompleted = "completed"
	ReqCancelled = "cancelled"
	ReqRejected  = "rejected"
)

// Priorities of a request.
const (
	PriorityNormal    = "normal"
	PriorityEmergency = "emergency" // 应急保障: dispatched first, approved after
)

// Limits of a request.
const (
	maxPassengers   = 60
	maxDestinations = 10
	maxTripSpan     = 30 * 24 * time.Hour // a request covers at most 30 days
)

// Place is an address with its position (WGS-84).
type Place struct {
	Address string   `json:"address"`
	Lat     *float64 `json:"lat"`
	Lng     *float64 `json:"lng"`
}

// latLng returns the place's coordinates (zero when missing: validated before use).
func (p Place) latLng() (float64, float64) {
	if p.Lat == nil || p.Lng == nil {
		return 0, 0
	}
	return *p.Lat, *p.Lng
}

// Request is a vehicle-use request as the API shows it.
type Request struct {
	ID             int64      `json:"id"`
	Status         string     `json:"status"`
	Priority       string     `json:"priority"`
	ApplicantID    int64      `json:"applicant_id"`
	Applicant      string     `json:"applicant"`
	ApplicantPhone string     `json:"applicant_phone"`
	UnitID         int64      `json:"unit_id"`
	Unit           string     `json:"unit"`
	Passengers     int        `json:"passengers"`
	Purpose        string     `json:"purpose"`
	Origin         Place      `json:"origin"`
	Destinations   []Place    `json:"destinations"`
	DepartAt       time.Time  `json:"depart_at"`
	ReturnAt       time.Time  `json:"return_at"`
	VehicleClass   string     `json:"vehicle_class"`
	Notes          string     `json:"notes"`
	OutsideReason  string     `json:"outside_reason"`
	OutOfArea      bool       `json:"out_of_area"` // a destination lies outside the county
	ApprovalID     *int64     `json:"approval_id"`
	ApprovalStatus string     `json:"approval_status"` // the vehicle_use instance: pending, approved, rejected, returned, withdrawn
	MergeID        *int64     `json:"merge_id"`        // the lead request of a merged trip
	Task           *TaskBrief `json:"task"`            // the vehicle, driver and phone once assigned
	Rating         *Rating    `json:"rating"`
	CancelReason   string     `json:"cancel_reason"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	ApprovedAt     *time.Time `json:"approved_at"`
	CompletedAt    *time.Time `json:"completed_at"`
	CancelledAt    *time.Time `json:"cancelled_at"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// TaskBrief is what the applicant sees of the task serving the request.
type TaskBrief struct {
	ID          int64      `json:"id"`
	Status      string     `json:"status"`
	VehicleID   int64      `json:"vehicle_id"`
	Plate       string     `json:"plate"`
	DriverID    int64      `json:"driver_id"`
	Driver      string     `json:"driver"`
	DriverPhone string     `json:"driver_phone"`
	DepartedAt  *time.Time `json:"departed_at"`
	ReturnedAt  *time.Time `json:"returned_at"`
	hasTerminal bool
}

// Rating is the applicant's verdict on a completed trip.
type Rating struct {
	Stars   int       `json:"stars"`
	Comment string    `json:"comment"`
	At      time.Time `json:"at"`
}

// RequestInput files or edits a request. Submit defaults to true: the request goes to approval
// (or, an emergency, to the queue) at once; false keeps it a draft.
type RequestInput struct {
	Passengers    int     `json:"passengers"`
	Purpose       string  `json:"purpose"`
	Origin        Place   `json:"origin"`
	Destinations  []Place `json:"destinations"`
	DepartAt      string  `json:"depart_at"` // RFC 3339
	ReturnAt      string  `json:"return_at"`
	VehicleClass  string  `json:"vehicle_class"`
	Priority      string  `json:"priority"`
	Notes         string  `json:"notes"`
	OutsideReason string  `json:"outside_reason"`
	Submit        *bool   `json:"submit"`

	depart, ret time.Time
}

// validate normalizes the input and names its problems; now bounds the window (a request for a
// trip already over is refused).
func (in *RequestInput) validate(now time.Time) error {
	p := fleet.Problems{}
	if in.Passengers <= 0 || in.Passengers > maxPassengers {
		p.Add("passengers", "must be between 1 and 60")
	}
	in.Purpose = p.Text("purpose", in.Purpose, true, 200)
	in.Notes = p.Text("notes", in.Notes, false, 1000)
	in.OutsideReason = p.Text("outside_reason", in.OutsideReason, false, 200)
	checkPlace(p, "origin", &in.Origin)
	switch {
	case len(in.Destinations) == 0:
		p.Add("destinations", "at least one destination")
	case len(in.Destinations) > maxDestinations:
		p.Add("destinations", "at most 10 destinations")
	default:
		for i := range in.Destinations {
			checkPlace(p, "destinations."+itoa(i), &in.Destinations[i])
		}
	}
	in.depart = requestTime(p, "depart_at", in.DepartAt)
	in.ret = requestTime(p, "return_at", in.ReturnAt)
	if !in.depart.IsZero() && !in.ret.IsZero() {
		switch {
		case !in.ret.After(in.depart):
			p.Add("return_at", "must be after depart_at")
		case in.ret.Sub(in.depart) > maxTripSpan:
			p.Add("return_at", "a request covers at most 30 days")
		case !in.ret.After(now):
			p.Add("return_at", "the trip would already be over")
		}
	}
	if in.VehicleClass != "" && !oneOf(in.VehicleClass, Classes) {
		p.Add("vehicle_class", "unknown class")
	}
	switch in.Priority {
	case "":
		in.Priority = PriorityNormal
	case PriorityNormal, PriorityEmergency:
	default:
		p.Add("priority", "must be normal or emergency")
	}
	if in.Submit == nil {
		t := true
		in.Submit = &t
	}
	return p.Err()
}

// checkPlace checks an address and its coordinates: both present, on the earth, and not the
// 0,0 a form sends when nothing was picked.
func checkPlace(p fleet.Problems, field string, pl *Place) {
	pl.Address = p.Text(field+".address", pl.Address, true, 200)
	if pl.Lat == nil || pl.Lng == nil {
		p.Add(field, "coordinates required (lat and lng)")
		return
	}
	lat, lng := *pl.Lat, *pl.Lng
	switch {
	case math.IsNaN(lat) || lat < -90 || lat > 90:
		p.Add(field, "lat must be between -90 and 90")
	case math.IsNaN(lng) || lng < -180 || lng > 180:
		p.Add(field, "lng must be between -180 and 180")
	case lat == 0 && lng == 0:
		p.Add(field, "coordinates 0,0: pick the place on the map")
	}
}

// requestTime parses an RFC 3339 time, to the millisecond (what MySQL keeps).
func requestTime(p fleet.Problems, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		p.Add(field, "required")
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.Add(field, "must be a time as 2025-05-01T08:30:00+08:00")
		return time.Time{}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// RateInput is the applicant's rating of a completed trip.
type RateInput struct {
	Stars   int    `json:"stars"`
	Comment string `json:"comment"`
}

func (in *RateInput) validate() error {
	p := fleet.Problems{}
	if in.Stars < 1 || in.Stars > 5 {
		p.Add("stars", "must be 1 to 5")
	}
	in.Comment = p.Text("comment", in.Comment, false, 500)
	return p.Err()
}

// CancelInput says why a request or task is cancelled.
type CancelInput struct {
	Reason string `json:"reason"`
}

// routeKm returns the road length of a round trip origin → destinations in order → origin:
// straight lines times the detour factor.
func routeKm(origin Place, dests []Place, detour float64) float64 {
	lat, lng := origin.latLng()
	km := 0.0
	for _, d := range dests {
		dl, dg := d.latLng()
		km += haversineKm(lat, lng, dl, dg)
		lat, lng = dl, dg
	}
	ol, og := origin.latLng()
	km += haversineKm(lat, lng, ol, og)
	return km * detour
}
