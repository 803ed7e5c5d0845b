// Package dispatch runs the pooled fleet: vehicles, drivers, and (in later steps) requests,
// candidate ranking, assignments and trips.
package dispatch

import (
	"regexp"
	"strings"
	"time"

	"fleet"
)

// Vehicle classes of the 2017 rules on official vehicles (党政机关公务用车管理办法).
const (
	ClassConfidentialComm = "confidential_comm" // 机要通信用车
	ClassEmergency        = "emergency"         // 应急保障用车
	ClassLawEnforcement   = "law_enforcement"   // 执法执勤用车
	ClassSpecialTechnical = "special_technical" // 特种专业技术用车
	ClassGeneral          = "general"           // 其他公务用车
)

// Classes lists the vehicle classes.
var Classes = []string{ClassConfidentialComm, ClassEmergency, ClassLawEnforcement, ClassSpecialTechnical, ClassGeneral}

// Energy types. New-energy vehicles (新能源汽车) are the electric and plug-in hybrid ones; a
// hybrid that cannot be plugged in (油电混合) is not.
const (
	EnergyGasoline     = "gasoline"
	EnergyDiesel       = "diesel"
	EnergyElectric     = "electric"
	EnergyHybrid       = "hybrid"
	EnergyPluginHybrid = "plugin_hybrid"
)

// Energies lists the energy types.
var Energies = []string{EnergyGasoline, EnergyDiesel, EnergyElectric, EnergyHybrid, EnergyPluginHybrid}

// NewEnergy reports whether an energy type counts as new energy.
func NewEnergy(energy string) bool { return energy == EnergyElectric || energy == EnergyPluginHybrid }

// Vehicle statuses.
const (
	StatusAvailable    = "available"
	StatusOnTask       = "on_task"
	StatusMaintenance  = "maintenance"
	StatusRepair       = "repair"
	StatusDisinfection = "disinfection"
	StatusRetired      = "retired"
)

// VehicleStatuses lists the vehicle statuses.
var VehicleStatuses = []string{StatusAvailable, StatusOnTask, StatusMaintenance, StatusRepair, StatusDisinfection, StatusRetired}

// Vehicle is an official vehicle: pooled on the platform (平台车辆) or kept by a unit (保留车辆).
type Vehicle struct {
	ID            int64  `json:"id"`
	Plate         string `json:"plate"`
	Class         string `json:"class"`
	Seats         int    `json:"seats"`
	Energy        string `json:"energy"`
	TerminalPhone string `json:"terminal_phone"` // JT/T 808 phone, digits, leading zeros stripped
	Pooled        bool   `json:"pooled"`
	UnitID        *int64 `json:"unit_id"`
	Status        string `json:"status"`
	// RegisteredOn is the date of first registration (注册登记日期); with OdometerKm it decides
	// whether the vehicle may be renewed. Both are unknown (null) until entered.
	RegisteredOn *time.Time `json:"registered_on"`
	OdometerKm   *float64   `json:"odometer_km"` // last reading entered by hand, km
	// RangeKm is the range on a full charge (a plug-in hybrid's electric range), km; null unknown.
	RangeKm *int `json:"range_km"`
	// InsuranceExpiry is the last day the compulsory insurance (交强险) covers, InspectionDue the
	// last day of the annual inspection's validity (年检有效期至), MaintenanceDue the day the next
	// service falls due. Dates (midnight UTC of the calendar day); null while unknown. Adding an
	// insurance, inspection or maintenance record moves them.
	InsuranceExpiry *time.Time `json:"insurance_expiry"`
	InspectionDue   *time.Time `json:"inspection_due"`
	MaintenanceDue  *time.Time `json:"maintenance_due"`
	// The designated parking point (停放点), where the vehicle returns after a task; WGS-84.
	ParkingName string    `json:"parking_name"`
	ParkingLat  *float64  `json:"parking_lat"`
	ParkingLng  *float64  `json:"parking_lng"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// VehicleInput creates or replaces a vehicle's record. Pooled defaults to true, Status to available.
type VehicleInput struct {
	Plate         string `json:"plate"`
	Class         string `json:"class"`
	Seats         int    `json:"seats"`
	Energy        string `json:"energy"`
	TerminalPhone string `json:"terminal_phone"`
	Pooled        *bool  `json:"pooled"`
	UnitID        *int64 `json:"unit_id"`
	Status        string `json:"status"`
	RegisteredOn  string `json:"registered_on"` // date, 2006-01-02; empty: unknown
	// OdometerKm never goes backwards; on update, null keeps the stored reading.
	OdometerKm *float64 `json:"odometer_km"`
	RangeKm    *int     `json:"range_km"`
	// Dates, 2006-01-02. Records keep them current, so on update an empty one keeps the stored
	// date (a form that does not show them cannot erase them); on create empty is unknown.
	InsuranceExpiry string   `json:"insurance_expiry"`
	InspectionDue   string   `json:"inspection_due"`
	MaintenanceDue  string   `json:"maintenance_due"`
	ParkingName     string   `json:"parking_name"`
	ParkingLat      *float64 `json:"parking_lat"`
	ParkingLng      *float64 `json:"parking_lng"`

	registered                     *time.Time
	insurance, inspection, service *time.Time
}

// maxOdometerKm bounds an odometer reading: no official car reaches five million kilometres.
const maxOdometerKm = 5_000_000

// plateRE matches a mainland plate: province, issuing-office letter, 5 characters (6 for new
// energy), and the police, trailer, coach or emergency suffix.
var plateRE = regexp.MustCompile(`^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{4,6}(警|挂|学|应急)?$`)

// NormalizePlate upper-cases a plate and removes spaces, dots and dashes (赣A·12345 → 赣A12345).
func NormalizePlate(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "", "·", "", "•", "", ".", "", "-", "").Replace(s)
}

// NormalizePhone returns a terminal phone without leading zeros: a 2013 terminal pads its number
// to 12 digits and a 2019 one to 20, and both name the same terminal. ok is false when s is not
// 1 to 20 decimal digits or is all zeros.
func NormalizePhone(s string) (phone string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 20 {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	s = strings.TrimLeft(s, "0")
	return s, s != ""
}

// validate normalizes the input and returns its problems.
func (in *VehicleInput) validate() error {
	p := fleet.Problems{}
	in.Plate = NormalizePlate(p.Text("plate", in.Plate, true, 16))
	if _, bad := p["plate"]; !bad && !plateRE.MatchString(in.Plate) {
		p.Add("plate", "not a vehicle plate (as in 赣A12345)")
	}
	if in.Class == "" {
		p.Add("class", "required")
	} else if !oneOf(in.Class, Classes) {
		p.Add("class", "unknown class")
	}
	if in.Seats < 1 || in.Seats > 60 {
		p.Add("seats", "must be between 1 and 60")
	}
	if in.Energy == "" {
		p.Add("energy", "required")
	} else if !oneOf(in.Energy, Energies) {
		p.Add("energy", "unknown energy type")
	}
	if in.TerminalPhone != "" {
		phone, ok := NormalizePhone(in.TerminalPhone)
		if !ok {
			p.Add("terminal_phone", "must be 1 to 20 digits")
		}
		in.TerminalPhone = phone
	}
	if in.Pooled == nil {
		t := true
		in.Pooled = &t
	}
	if !*in.Pooled && in.UnitID == nil {
		p.Add("unit_id", "a vehicle kept by a unit needs the unit")
	}
	if in.UnitID != nil && *in.UnitID <= 0 {
		p.Add("unit_id", "must be a unit id")
	}
	if in.Status == "" {
		in.Status = StatusAvailable
	} else if !oneOf(in.Status, VehicleStatuses) {
		p.Add("status", "unknown status")
	}
	in.registered = nil
	if in.RegisteredOn != "" {
		d, err := time.Parse(time.DateOnly, strings.TrimSpace(in.RegisteredOn))
		if err != nil || d.Year() < 1980 || d.Year() > 2100 {
			p.Add("registered_on", "must be a date as 2018-05-01")
		} else {
			in.registered = &d
		}
	}
	if in.OdometerKm != nil && (*in.OdometerKm < 0 || *in.OdometerKm > maxOdometerKm) {
		p.Add("odometer_km", "must be between 0 and 5,000,000 km")
	}
	if in.RangeKm != nil && (*in.RangeKm < 1 || *in.RangeKm > maxRangeKm) {
		p.Add("range_km", "must be between 1 and 2,000 km")
	}
	in.insurance = optionalDate(p, "insurance_expiry", in.InsuranceExpiry)
	in.inspection = optionalDate(p, "inspection_due", in.InspectionDue)
	in.service = optionalDate(p, "maintenance_due", in.MaintenanceDue)
	in.ParkingName = p.Text("parking_name", in.ParkingName, false, 100)
	validPoint(p, "parking_lat", "parking_lng", in.ParkingLat, in.ParkingLng)
	if in.ParkingLat != nil && in.ParkingName == "" {
		p.Add("parking_name", "required with a parking point")
	}
	return p.Err()
}

// maxRangeKm bounds a range: no car sold goes 2,000 km on one charge or tank.
const maxRangeKm = 2000

// optionalDate parses a date field, 2006-01-02; empty is nil.
func optionalDate(p fleet.Problems, field, s string) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Year() < 1990 || d.Year() > 2100 {
		p.Add(field, "must be a date as 2027-05-01")
		return nil
	}
	return &d
}

// validPoint checks an optional WGS-84 point: both coordinates or neither, in range.
func validPoint(p fleet.Problems, latField, lngField string, lat, lng *float64) {
	switch {
	case lat == nil && lng == nil:
	case lat == nil:
		p.Add(latField, "required with "+lngField)
	case lng == nil:
		p.Add(lngField, "required with "+latField)
	default:
		if *lat < -90 || *lat > 90 || *lat != *lat {
			p.Add(latField, "must be between -90 and 90")
		}
		if *lng < -180 || *lng > 180 || *lng != *lng {
			p.Add(lngField, "must be between -180 and 180")
		}
	}
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
