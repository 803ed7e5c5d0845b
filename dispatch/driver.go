package dispatch

import (
	"regexp"
	"time"

	"fleet"
)

// Driver statuses.
const (
	DriverOnDuty  = "on_duty"
	DriverOffDuty = "off_duty"
	DriverLeave   = "leave"
)

// DriverStatuses lists the driver statuses.
var DriverStatuses = []string{DriverOnDuty, DriverOffDuty, DriverLeave}

// LicenseClasses are the driving-licence classes (准驾车型) a pooled-fleet driver may hold.
var LicenseClasses = []string{"A1", "A2", "A3", "B1", "B2", "C1", "C2"}

// Driver is a driver of the fleet, optionally linked to the user account they sign in with.
type Driver struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Phone         string     `json:"phone"`
	LicenseClass  string     `json:"license_class"`
	LicenseExpiry *time.Time `json:"license_expiry"`
	UnitID        *int64     `json:"unit_id"`
	UserID        *int64     `json:"user_id"`
	Status        string     `json:"status"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// DriverInput creates or replaces a driver's record. LicenseExpiry is a date, 2006-01-02.
type DriverInput struct {
	Name          string `json:"name"`
	Phone         string `json:"phone"`
	LicenseClass  string `json:"license_class"`
	LicenseExpiry string `json:"license_expiry"`
	UnitID        *int64 `json:"unit_id"`
	UserID        *int64 `json:"user_id"`
	Status        string `json:"status"`

	expiry *time.Time
}

var mobileRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// validate normalizes the input and returns its problems.
func (in *DriverInput) validate() error {
	p := fleet.Problems{}
	in.Name = p.Text("name", in.Name, true, 100)
	in.Phone = p.Text("phone", in.Phone, true, 32)
	if _, bad := p["phone"]; !bad && !mobileRE.MatchString(in.Phone) {
		p.Add("phone", "must be an 11-digit mobile number")
	}
	if in.LicenseClass == "" {
		p.Add("license_class", "required")
	} else if !oneOf(in.LicenseClass, LicenseClasses) {
		p.Add("license_class", "unknown licence class")
	}
	in.expiry = nil
	if in.LicenseExpiry != "" {
		d, err := time.Parse(time.DateOnly, in.LicenseExpiry)
		if err != nil || d.Year() < 1990 || d.Year() > 2100 {
			p.Add("license_expiry", "must be a date as 2027-05-01")
		} else {
			in.expiry = &d
		}
	}
	if in.UnitID != nil && *in.UnitID <= 0 {
		p.Add("unit_id", "must be a unit id")
	}
	if in.UserID != nil && *in.UserID <= 0 {
		p.Add("user_id", "must be a user id")
	}
	if in.Status == "" {
		in.Status = DriverOnDuty
	} else if !oneOf(in.Status, DriverStatuses) {
		p.Add("status", "unknown status")
	}
	return p.Err()
}
