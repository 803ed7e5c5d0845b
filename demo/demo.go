// Package demo seeds the fictional demo county.
//
// 安和县 (Anhe County) does not exist: it stands somewhere in Jiangxi around 27.8° N, 114.4° E, its
// vehicles carry 赣K plates, and every name, plate and phone number in it is made up. Demo mode is
// for trying the platform out, never for production: every demo login shares one well-known
// password (DefaultPassword unless Options.Password says otherwise).
package demo

import (
	"context"
	"fmt"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/canteen"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/store"
	"fleet/tracking"
)

// DefaultPassword is the password of every demo login when Options.Password is empty. It is
// published in the README and printed at start-up: a demo database is not a safe place for data.
const DefaultPassword = "fleet-demo-2026"

// Options tune Seed; the zero value seeds with DefaultPassword and the real clock.
type Options struct {
	// Password of the demo users created by this call (users that already exist keep theirs).
	Password string
	// Now dates the drivers' licence expiries (a couple fall due within 60 days of it).
	Now func() time.Time
	// Tracking, when set, gets the county boundary, parking points and a school zone.
	Tracking *tracking.Service
	// Approval, when set, gets its default definitions and the county's sign-off people, who
	// fill the approval groups (fleet section, the vehicle purchase group, county leaders).
	Approval *approval.Service
	// Canteen, when set, gets the demo canteen's dishes, menus, suppliers and a hygiene check.
	Canteen *canteen.Service
	// Energy, when set, gets meters with a year of monthly readings, agencies and projects.
	Energy *energy.Service
}

// Login is one demo account, to print for whoever tries the platform.
type Login struct {
	Username string
	Password string // the demo password; a user that already existed may have changed it since
	Role     string
	Unit     string // unit name
	Existed  bool   // the user was there before this call, which left it untouched
}

// Counts says how many rows of each kind a Seed call created.
type Counts struct {
	Units    int
	Users    int
	Vehicles int
	Drivers  int
	Records  int // vehicle records (insurance, inspection, maintenance)
	Shifts   int // roster entries
}

// Result is what Seed did and the logins to try.
type Result struct {
	Logins []Login // one per role, in the order of auth.Roles
	// Approvers are the sign-off people in the approval groups (with Options.Approval).
	Approvers []Login
	Created   bool // whether this call created anything (false on a second run)
	New       Counts
	// Skipped names the demo vehicles and drivers that clash with records stored before (a
	// terminal phone already bound to another vehicle) and why; they were left out.
	Skipped []string
}

// conflictRetries is how often Seed starts over after losing a race with another instance seeding
// the same database (the second pass finds what the other one made).
const conflictRetries = 3

// Seed creates the demo county's units, users, vehicles and drivers that do not exist yet, through
// the services' public methods as auth.System (so they are validated and audited). Rows are matched
// by unit name, username, plate and driver phone: running it again creates nothing and returns the
// same logins. db is the services' database; later modules' demo data will be seeded through it.
func Seed(ctx context.Context, db *store.DB, authSvc *auth.Service, fleetSvc *dispatch.Service, opt Options) (*Result, error) {
	if opt.Password == "" {
		opt.Password = DefaultPassword
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	res := &Result{}
	var err error
	for attempt := 1; attempt <= conflictRetries; attempt++ {
		res.Logins, res.Approvers, res.Skipped = nil, nil, nil
		err = seed(ctx, authSvc, fleetSvc, opt, res)
		if fleet.ErrorCode(err) != fleet.EConflict {
			break
		}
	}
	res.Created = res.New != Counts{}
	if err != nil {
		return res, fmt.Errorf("demo: seed: %w", err)
	}
	return res, nil
}

func seed(ctx context.Context, authSvc *auth.Service, fleetSvc *dispatch.Service, opt Options, res *Result) error {
	units, err := seedUnits(ctx, authSvc, &res.New)
	if err != nil {
		return err
	}
	users, err := seedUsers(ctx, authSvc, units, opt.Password, res)
	if err != nil {
		return err
	}
	if err := seedVehicles(ctx, fleetSvc, units, &res.New, &res.Skipped); err != nil {
		return fmt.Errorf("vehicles: %w", err)
	}
	if err := seedDrivers(ctx, fleetSvc, units, users, opt.Now().UTC(), &res.New, &res.Skipped); err != nil {
		return fmt.Errorf("drivers: %w", err)
	}
	county := countyZone()
	n := opt.Now().In(county)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	if err := seedVehicleRecords(ctx, fleetSvc, today, &res.New); err != nil {
		return fmt.Errorf("vehicle records: %w", err)
	}
	if err := seedRoster(ctx, fleetSvc, today, county, &res.New); err != nil {
		return fmt.Errorf("roster: %w", err)
	}
	if opt.Tracking != nil {
		if err := SeedGeofences(ctx, opt.Tracking); err != nil {
			return fmt.Errorf("geofences: %w", err)
		}
	}
	if opt.Approval != nil {
		if err := seedApprovals(ctx, authSvc, opt.Approval, units, users, opt.Password, res); err != nil {
			return fmt.Errorf("approvals: %w", err)
		}
	}
	if err := SeedCanteen(ctx, opt.Canteen, today); err != nil {
		return fmt.Errorf("canteen: %w", err)
	}
	if err := SeedEnergy(ctx, opt.Energy, units, n); err != nil {
		return fmt.Errorf("energy: %w", err)
	}
	return nil
}

// countyZone is the demo county's time zone: it lies in Jiangxi.
func countyZone() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}
