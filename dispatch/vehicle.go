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
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// VehicleInput creates or replaces a vehicle's record. Pooled defaults to true, Status to available.
type VehicleInput struct {
	Plate         string   `json:"plate"`
	Class         string   `json:"class"`
	Seats         int      `json:"seats"`
	Energy        string   `json:"energy"`
	TerminalPhone string   `json:"terminal_phone"`
	Pooled        *bool    `json:"pooled"`
	UnitID        *int64   `json:"unit_id"`
	Status        string   `json:"status"`
	RegisteredOn  string   `json:"registered_on"` // date, 2006-01-02; empty: unknown
	OdometerKm    *float64 `json:"odometer_km"`

	registered *time.Time
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
	return p.Err()
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
