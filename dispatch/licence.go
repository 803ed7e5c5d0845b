package dispatch

import (
	"fmt"
	"strings"
	"time"
)

// licenceCovers lists, for each licence class (准驾车型), the other classes it permits, as the
// Ministry of Public Security's rules on driving licences have them (机动车驾驶证申领和使用规定,
// 准驾车型及代号): a bus licence also permits the smaller vehicles.
var licenceCovers = map[string][]string{
	"A1": {"A3", "B1", "B2", "C1", "C2", "C3", "C4"}, // 大型客车
	"A2": {"B1", "B2", "C1", "C2", "C3", "C4"},       // 重型牵引挂车
	"A3": {"C1", "C2", "C3", "C4"},                   // 城市公交车
	"B1": {"C1", "C2", "C3", "C4"},                   // 中型客车
	"B2": {"C1", "C2", "C3", "C4"},                   // 大型货车
	"C1": {"C2", "C3", "C4"},                         // 小型汽车
}

// LicenceCovers reports whether a licence of class held permits driving a vehicle that needs need.
func LicenceCovers(held, need string) bool {
	if held == need {
		return true
	}
	for _, c := range licenceCovers[held] {
		if c == need {
			return true
		}
	}
	return false
}

// RequiredLicence returns the licence class a passenger vehicle needs by its approved seats
// (核定载客, driver included), as GA 802 sizes passenger vehicles: 20 or more is a large bus (A1),
// 10 to 19 a medium bus (B1), up to 9 a small car (C1; C2 for an automatic).
func RequiredLicence(seats int) string {
	switch {
	case seats >= 20:
		return "A1"
	case seats >= 10:
		return "B1"
	}
	return "C1"
}

// LicenceAllows reports whether the driver may drive the vehicle on a task ending at to: the
// licence class covers the vehicle and the licence is valid through to (an unknown expiry is not
// held against the driver). A C2 licence is accepted for a small car, but it permits only automatic
// transmissions (the fleet does not record gearboxes), so the reason says so even when ok.
func LicenceAllows(d *Driver, v *Vehicle, to time.Time) (ok bool, reason string) {
	need := RequiredLicence(v.Seats)
	held := strings.ToUpper(strings.TrimSpace(d.LicenseClass))
	if _, known := licenceCovers[held]; !known && held != "C2" {
		return false, fmt.Sprintf("licence class %q is not one the fleet knows", d.LicenseClass)
	}
	note := ""
	switch {
	case LicenceCovers(held, need):
	case held == "C2" && need == "C1":
		note = "C2 licence: automatic transmission only"
	default:
		return false, fmt.Sprintf("a %d-seat vehicle needs a %s licence (or one that covers it); the driver holds %s", v.Seats, need, held)
	}
	if d.LicenseExpiry != nil && !ValidThrough(*d.LicenseExpiry, to) {
		return false, "driving licence valid only through " + d.LicenseExpiry.Format(time.DateOnly)
	}
	return true, note
}

// Usable reports whether a vehicle may be dispatched over [from, to): its status lets it go out
// (available, or on a task: the caller checks the overlap of bookings itself) and its compulsory
// insurance and annual inspection are valid through to. An unknown date is not held against the
// vehicle (the reminders list shows only known dates); reason says why not.
func Usable(v *Vehicle, from, to time.Time) (ok bool, reason string) {
	if v.Status != StatusAvailable && v.Status != StatusOnTask {
		return false, "vehicle status is " + v.Status
	}
	if !to.After(from) {
		return false, "the task ends before it starts"
	}
	if v.InsuranceExpiry != nil && !ValidThrough(*v.InsuranceExpiry, to) {
		return false, "insurance valid only through " + v.InsuranceExpiry.Format(time.DateOnly)
	}
	if v.InspectionDue != nil && !ValidThrough(*v.InspectionDue, to) {
		return false, "annual inspection valid only through " + v.InspectionDue.Format(time.DateOnly)
	}
	return true, ""
}

// beijing is the zone the dates of Chinese documents run in: a policy, an inspection mark or a
// licence "valid through" a day is valid to 24:00 Beijing time (UTC+8; China has no daylight
// saving), whatever zone the platform is set to.
var beijing = time.FixedZone("CST", 8*3600)

// ValidThrough reports whether a document valid through the calendar day day (a date, as stored:
// midnight UTC of that day) is still valid at t.
func ValidThrough(day, t time.Time) bool {
	end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, beijing)
	return !t.After(end)
}
