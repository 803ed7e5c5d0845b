package energy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/office"
	"fleet/store"
	"fleet/store/storetest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// cst is the county's time zone in these tests (the default, Asia/Shanghai, UTC+8).
var cst = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// local is an instant of the county's calendar.
func local(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, cst) }

// fx is the energy service on a fresh database: units 县财政局 (A), 县教育局 (B), 县水利局 (C)
// and the center (auth.CenterUnit, made by EnsureAdmin); an energy manager, a leader of A, a
// staff member of A, an auditor; the fleet service for vehicles and the office service for
// buildings. The clock stands on 15 April 2026, 10:00 in the county.
type fx struct {
	t      *testing.T
	ctx    context.Context
	db     *store.DB
	auth   *auth.Service
	fleet  *dispatch.Service
	office *office.Service
	svc    *energy.Service
	clock  *clock
	units  map[string]int64
	as     map[string]*auth.Actor
}

const (
	unitA = "县财政局"
	unitB = "县教育局"
	unitC = "县水利局"
)

func newFx(t *testing.T, db *store.DB) *fx {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	if _, err := a.EnsureAdmin(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: local(2026, 4, 15, 10)}
	ap, err := approval.NewService(db, a, nil, approval.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	of, err := office.NewService(db, ap, a, office.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	fl := dispatch.NewService(db, a)
	svc, err := energy.NewService(db, fl, a, energy.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	f := &fx{t: t, ctx: ctx, db: db, auth: a, fleet: fl, office: of, svc: svc, clock: clk, units: map[string]int64{}, as: map[string]*auth.Actor{}}
	for _, name := range []string{unitA, unitB, unitC} {
		u, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		f.units[name] = u.ID
	}
	center, err := a.ListUnits(ctx, auth.System)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range center {
		if u.Name == auth.CenterUnit {
			f.units[auth.CenterUnit] = u.ID
		}
	}
	for _, u := range []struct{ username, role, unit string }{
		{"manager", auth.RoleEnergy, auth.CenterUnit},
		{"leader_a", auth.RoleLeader, unitA},
		{"staff_a", auth.RoleStaff, unitA},
		{"auditor", auth.RoleAuditor, auth.CenterUnit},
		{"office", auth.RoleOfficeManager, auth.CenterUnit},
	} {
		user, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: u.username, Password: "correct-horse", Name: u.username,
			Role: u.role, UnitID: f.units[u.unit]})
		if err != nil {
			t.Fatalf("user %s: %v", u.username, err)
		}
		f.as[u.username] = &auth.Actor{UserID: user.ID, Username: user.Username, Name: user.Name, Role: user.Role, UnitID: user.UnitID}
	}
	return f
}

func (f *fx) manager() *auth.Actor { return f.as["manager"] }

func each(t *testing.T, fn func(t *testing.T, f *fx)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFx(t, db)) })
}

// meter creates a meter of a unit.
func (f *fx) meter(name, kind, unit string, opts ...func(*energy.MeterInput)) *energy.Meter {
	f.t.Helper()
	in := energy.MeterInput{Name: name, Kind: kind, UnitID: f.units[unit]}
	for _, o := range opts {
		o(&in)
	}
	m, err := f.svc.CreateMeter(f.ctx, f.manager(), in)
	if err != nil {
		f.t.Fatalf("meter %s: %v", name, err)
	}
	return m
}

// raw is a reading as the monitoring system sends it.
type raw struct {
	MeterID any `json:"meter_id"`
	At      any `json:"at"`
	Value   any `json:"value"`
}

func reading(meter int64, at time.Time, v float64) raw {
	return raw{MeterID: meter, At: at.Format(time.RFC3339), Value: v}
}

// batch turns raw readings into the service's input, as the JSON decoder would.
func batch(t *testing.T, items ...raw) energy.ReadingBatch {
	t.Helper()
	b, err := json.Marshal(map[string]any{"readings": items})
	if err != nil {
		t.Fatal(err)
	}
	var out energy.ReadingBatch
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// read stores readings that must all be accepted.
func (f *fx) read(items ...raw) *energy.BatchResult {
	f.t.Helper()
	res, err := f.svc.AddReadings(f.ctx, f.manager(), batch(f.t, items...))
	if err != nil {
		f.t.Fatalf("readings: %v", err)
	}
	return res
}

// vehicle creates a vehicle; unit "" leaves it without a unit (pooled).
func (f *fx) vehicle(plate, energyType, unit string) *dispatch.Vehicle {
	f.t.Helper()
	pooled := unit == ""
	in := dispatch.VehicleInput{Plate: plate, Class: dispatch.ClassGeneral, Seats: 5, Energy: energyType, Pooled: &pooled}
	if unit != "" {
		id := f.units[unit]
		in.UnitID = &id
	}
	v, err := f.fleet.CreateVehicle(f.ctx, auth.System, in)
	if err != nil {
		f.t.Fatalf("vehicle %s: %v", plate, err)
	}
	return v
}

var driverSeq int

// trip stores a completed task of the vehicle returned at returned with fuel (L) and charge (kWh),
// as the driver's return leaves it (the dispatch desk's whole flow is tested in dispatch).
func (f *fx) trip(vehicle int64, returned time.Time, fuelL, chargeKwh float64) {
	f.t.Helper()
	driverSeq++
	d, err := f.fleet.CreateDriver(f.ctx, auth.System, dispatch.DriverInput{Name: fmt.Sprintf("司机%d", driverSeq),
		Phone: fmt.Sprintf("139%08d", driverSeq), LicenseClass: "C1", LicenseExpiry: "2030-01-01"})
	if err != nil {
		f.t.Fatal(err)
	}
	depart := returned.Add(-3 * time.Hour).UTC()
	req := map[string]any{"applicant_id": f.as["staff_a"].UserID, "unit_id": f.units[unitA], "passengers": 1, "purpose": "调研",
		"origin_address": "县行政中心", "origin_lat": 27.8, "origin_lng": 114.4, "destinations": "[]", "depart_at": depart,
		"return_at": returned.UTC(), "vehicle_class": "", "priority": "normal", "status": "completed", "created_at": depart, "updated_at": depart}
	if err := f.db.Table("vehicle_requests").Create(req).Error; err != nil {
		f.t.Fatal(err)
	}
	var reqID int64
	f.db.Table("vehicle_requests").Select("MAX(id)").Scan(&reqID)
	task := map[string]any{"request_id": reqID, "vehicle_id": vehicle, "driver_id": d.ID, "status": dispatch.TaskCompleted,
		"depart_at": depart, "return_at": returned.UTC(), "passengers": 1, "title": "调研", "start_lat": 27.8, "start_lng": 114.4,
		"assigned_at": depart, "returned_at": returned.UTC(), "fuel_l": fuelL, "charge_kwh": chargeKwh, "created_at": depart, "updated_at": depart}
	if err := f.db.Table("dispatch_tasks").Create(task).Error; err != nil {
		f.t.Fatal(err)
	}
}

// counts is how many rows the module's tables hold, to show a refused change changed nothing.
func (f *fx) counts() map[string]int64 {
	out := map[string]int64{}
	for _, tbl := range []string{"energy_meters", "energy_readings", "energy_coefficients", "energy_co2_factors", "energy_agencies",
		"energy_agency_scores", "energy_projects", "energy_settings"} {
		var n int64
		if err := f.db.Table(tbl).Count(&n).Error; err != nil {
			f.t.Fatal(err)
		}
		out[tbl] = n
	}
	var sum float64
	f.db.Table("energy_readings").Select("COALESCE(SUM(value), 0)").Scan(&sum)
	out["reading_sum"] = int64(math.Round(sum * 1000))
	return out
}

func (f *fx) unchanged(before map[string]int64) {
	f.t.Helper()
	after := f.counts()
	for k, v := range before {
		if after[k] != v {
			f.t.Errorf("%s went from %d to %d: a refused change changed something", k, v, after[k])
		}
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fleet.ErrorCode(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
}

func fieldOf(err error, field string) string {
	var fe *fleet.Error
	if errors.As(err, &fe) {
		return fe.Fields[field]
	}
	return ""
}

// near fails unless got is want within tol.
func near(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol {
		t.Errorf("%s = %.9g, want %.9g", what, got, want)
	}
}
