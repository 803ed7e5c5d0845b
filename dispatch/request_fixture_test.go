package dispatch_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/tracking"
)

// deskFix is a dispatch desk on a fresh database: one unit with an applicant (staff), its head
// (leader), a dispatcher and the admin; vehicles and drivers are added by the tests.
type deskFix struct {
	t          testing.TB
	ctx        context.Context
	db         *store.DB
	auth       *auth.Service
	fleet      *dispatch.Service
	approvals  *approval.Service
	track      *tracking.Service
	bus        bus.Bus
	board      *dispatch.TaskBoard
	desk       *dispatch.Desk
	unit       int64
	staff      *auth.Actor
	leader     *auth.Actor
	dispatcher *auth.Actor
	// Base is a time a few hours ahead, on the minute; requests are placed relative to it.
	base time.Time
}

// The fixture county sits around 27.8° N, 114.4° E.
const (
	homeLat = 27.80
	homeLng = 114.40
)

var fixSeq atomic.Int64

func newDeskFix(t testing.TB, db *store.DB, opts ...func(*dispatch.DeskOptions)) *deskFix {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县发改委"})
	if err != nil {
		t.Fatal(err)
	}
	f := &deskFix{t: t, ctx: ctx, db: db, auth: a, unit: unit.ID}
	f.user("admin", auth.RoleAdmin)
	f.staff = f.user("staff", auth.RoleStaff)
	f.leader = f.user("leader", auth.RoleLeader)
	f.dispatcher = f.user("dispatcher", auth.RoleDispatcher)
	f.bus = bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { f.bus.Close() })
	f.board = dispatch.NewTaskBoard(db, nil)
	f.track, err = tracking.NewService(db, f.bus, tracking.Options{Tasks: f.board})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.track.Close)
	f.approvals, err = approval.NewService(db, a, f.bus, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.approvals.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	f.fleet = dispatch.NewService(db, a)
	dopt := dispatch.DeskOptions{SnapshotTTL: time.Millisecond} // tests add vehicles as they go
	for _, o := range opts {
		o(&dopt)
	}
	f.desk, err = dispatch.NewDesk(f.fleet, f.approvals, f.track, f.board, f.bus, dopt)
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	if err := f.desk.Start(dctx); err != nil {
		t.Fatal(err)
	}
	f.base = time.Now().UTC().Truncate(time.Minute).Add(3 * time.Hour)
	return f
}

// user creates a user of the unit and returns it as an actor.
func (f *deskFix) user(name, role string) *auth.Actor {
	f.t.Helper()
	if name != "admin" {
		name = fmt.Sprintf("%s%d", name, fixSeq.Add(1))
	}
	u, err := f.auth.CreateUser(f.ctx, auth.System, auth.UserInput{Username: name, Password: "correct-horse", Name: name,
		Role: role, UnitID: f.unit, Phone: "13900000000"})
	if err != nil {
		f.t.Fatal(err)
	}
	return &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
}

// vehicle adds a pooled vehicle parked at the point; opts change the input first.
func (f *deskFix) vehicle(plate string, seats int, lat, lng float64, opts ...func(*dispatch.VehicleInput)) *dispatch.Vehicle {
	f.t.Helper()
	in := dispatch.VehicleInput{Plate: plate, Class: dispatch.ClassGeneral, Seats: seats, Energy: dispatch.EnergyGasoline,
		ParkingName: "机关大院", ParkingLat: &lat, ParkingLng: &lng}
	for _, o := range opts {
		o(&in)
	}
	v, err := f.fleet.CreateVehicle(f.ctx, auth.System, in)
	if err != nil {
		f.t.Fatalf("vehicle %s: %v", plate, err)
	}
	return v
}

// driver adds a driver with a user account, on duty (rostered) from a day ago for six days.
func (f *deskFix) driver(name, licence string) (*dispatch.Driver, *auth.Actor) {
	f.t.Helper()
	d, a := f.offDutyDriver(name, licence)
	f.roster(d.ID, time.Now().Add(-12*time.Hour), time.Now().Add(6*24*time.Hour))
	return d, a
}

// offDutyDriver adds a driver with a user account and no roster entry.
func (f *deskFix) offDutyDriver(name, licence string) (*dispatch.Driver, *auth.Actor) {
	f.t.Helper()
	a := f.user("drv", auth.RoleDriver)
	n := fixSeq.Add(1)
	d, err := f.fleet.CreateDriver(f.ctx, auth.System, dispatch.DriverInput{Name: name, Phone: fmt.Sprintf("139%08d", n),
		LicenseClass: licence, UserID: &a.UserID})
	if err != nil {
		f.t.Fatalf("driver %s: %v", name, err)
	}
	return d, a
}

func (f *deskFix) roster(driverID int64, from, to time.Time) {
	f.t.Helper()
	_, err := f.fleet.CreateShift(f.ctx, auth.System, dispatch.ShiftInput{DriverID: driverID,
		Start: from.UTC().Format(time.RFC3339), End: to.UTC().Format(time.RFC3339), Kind: dispatch.ShiftWork})
	if err != nil {
		f.t.Fatalf("roster: %v", err)
	}
}

func fp(v float64) *float64 { return &v }

// place is an address at a point.
func place(addr string, lat, lng float64) dispatch.Place {
	return dispatch.Place{Address: addr, Lat: fp(lat), Lng: fp(lng)}
}

// input is a request of passengers from home to a point ~10 km north, departing at base+after
// for hours.
func (f *deskFix) input(passengers int, after, hours time.Duration) dispatch.RequestInput {
	return dispatch.RequestInput{Passengers: passengers, Purpose: "调研", Origin: place("县政府", homeLat, homeLng),
		Destinations: []dispatch.Place{place("工业园", homeLat+0.09, homeLng)},
		DepartAt:     f.base.Add(after).Format(time.RFC3339), ReturnAt: f.base.Add(after + hours).Format(time.RFC3339)}
}

// request files a request as the actor.
func (f *deskFix) request(a *auth.Actor, in dispatch.RequestInput) *dispatch.Request {
	f.t.Helper()
	r, err := f.desk.CreateRequest(f.ctx, a, in)
	if err != nil {
		f.t.Fatalf("create request: %v", err)
	}
	return r
}

// approved files a request and has the unit head approve it.
func (f *deskFix) approved(in dispatch.RequestInput) *dispatch.Request {
	f.t.Helper()
	r := f.request(f.staff, in)
	if r.Status != dispatch.ReqSubmitted || r.ApprovalID == nil {
		f.t.Fatalf("new request = %s approval %v, want submitted with an approval", r.Status, r.ApprovalID)
	}
	if _, err := f.approvals.Act(f.ctx, f.leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
		f.t.Fatalf("approve: %v", err)
	}
	return f.get(r.ID)
}

func (f *deskFix) get(id int64) *dispatch.Request {
	f.t.Helper()
	r, err := f.desk.GetRequest(f.ctx, f.dispatcher, id)
	if err != nil {
		f.t.Fatalf("get request %d: %v", id, err)
	}
	return r
}

func (f *deskFix) assign(reqID, vehicleID, driverID int64) *dispatch.Task {
	f.t.Helper()
	t, err := f.desk.Assign(f.ctx, f.dispatcher, reqID, dispatch.AssignInput{VehicleID: vehicleID, DriverID: driverID})
	if err != nil {
		f.t.Fatalf("assign: %v", err)
	}
	return t
}

// wantErr fails unless err has the code and, when field is set, names it.
func wantErr(t testing.TB, err error, code, field string) {
	t.Helper()
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && fe.Fields[field] == "" {
		t.Fatalf("err = %v, want it to name %s", err, field)
	}
}
