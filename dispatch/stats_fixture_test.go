package dispatch_test

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/tracking"
)

// county is the fixture county's time zone: the statistics count days and months in it.
var county = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// clock is the desk's clock in the trip tests: trips depart and return at chosen times.
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
	c.t = t.UTC()
	c.mu.Unlock()
}

// tripFix runs whole trips through the desk on a clock of its own: filed, approved by the
// applicant's unit head, assigned, accepted, checked, departed, driven (positions into the
// tracker, so the GPS km and driving time come from the track) and returned with an odometer
// reading. A second unit (县财政局) has its own applicant and head.
type tripFix struct {
	*deskFix
	clock         *clock
	unit2         int64
	staff2, lead2 *auth.Actor
	staff1, lead1 *auth.Actor       // the first unit's (deskFix's staff and leader)
	odometer      map[int64]float64 // each vehicle's reading
}

func newTripFix(t *testing.T, db *store.DB) *tripFix {
	t.Helper()
	c := &clock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, county).UTC()}
	f := newDeskFix(t, db, func(o *dispatch.DeskOptions) {
		o.Now, o.Location = c.Now, county
	})
	unit2, err := f.auth.CreateUnit(f.ctx, auth.System, auth.UnitInput{Name: "县财政局"})
	if err != nil {
		t.Fatal(err)
	}
	tf := &tripFix{deskFix: f, clock: c, unit2: unit2.ID, staff1: f.staff, lead1: f.leader,
		odometer: map[int64]float64{}}
	tf.staff2 = tf.userIn("staff", auth.RoleStaff, unit2.ID)
	tf.lead2 = tf.userIn("leader", auth.RoleLeader, unit2.ID)
	return tf
}

// userIn creates a user of the unit.
func (f *tripFix) userIn(name, role string, unit int64) *auth.Actor {
	f.t.Helper()
	name = name + "u" + strconv.FormatInt(fixSeq.Add(1), 10)
	u, err := f.auth.CreateUser(f.ctx, auth.System, auth.UserInput{Username: name, Password: "correct-horse", Name: name,
		Role: role, UnitID: unit, Phone: "13900000001"})
	if err != nil {
		f.t.Fatal(err)
	}
	return &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
}

// car adds a vehicle with its odometer at 10,000 km.
func (f *tripFix) car(plate string) *dispatch.Vehicle {
	f.t.Helper()
	odo := 10000.0
	v := f.vehicle(plate, 7, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.OdometerKm = &odo })
	f.odometer[v.ID] = odo
	return v
}

// crew adds a driver; run rosters them for each trip (a driver's trips lie hours apart).
func (f *tripFix) crew(name string) (*dispatch.Driver, *auth.Actor) {
	f.t.Helper()
	return f.offDutyDriver(name, "C1")
}

// tripSpec is one trip: who asks (one applicant, or several for a merged trip), what vehicle
// and driver take it, when it departs (county time), how long it drives (36 km/h: 0.6 km a
// minute), what the odometer says and what was refuelled or charged.
type tripSpec struct {
	applicants []*auth.Actor
	vehicle    *dispatch.Vehicle
	driver     *dispatch.Driver
	driverUser *auth.Actor
	depart     time.Time
	driveMin   int
	odometerKm float64
	fuelL      *float64
	chargeKwh  *float64
}

// run files, approves, assigns and drives the trip; it returns the task as completed.
func (f *tripFix) run(s tripSpec) *dispatch.Task {
	f.t.Helper()
	f.clock.Set(s.depart.Add(-2 * time.Hour))
	var ids []int64
	for i, who := range s.applicants {
		in := dispatch.RequestInput{Passengers: 1, Purpose: "检查" + strconv.Itoa(i+1), Origin: place("县政府", homeLat, homeLng),
			Destinations: []dispatch.Place{place("工业园", homeLat+0.09, homeLng)},
			DepartAt:     s.depart.UTC().Format(time.RFC3339), ReturnAt: s.depart.Add(3 * time.Hour).UTC().Format(time.RFC3339)}
		r, err := f.desk.CreateRequest(f.ctx, who, in)
		if err != nil {
			f.t.Fatalf("request: %v", err)
		}
		head := f.lead1
		if who.UnitID == f.unit2 {
			head = f.lead2
		}
		if _, err := f.approvals.Act(f.ctx, head, *r.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			f.t.Fatalf("approve: %v", err)
		}
		ids = append(ids, r.ID)
	}
	if len(ids) > 1 {
		if _, err := f.desk.MergeRequests(f.ctx, f.dispatcher, dispatch.MergeInput{RequestIDs: ids}); err != nil {
			f.t.Fatalf("merge: %v", err)
		}
	}
	f.roster(s.driver.ID, s.depart.Add(-time.Hour), s.depart.Add(4*time.Hour))
	task := f.assign(ids[0], s.vehicle.ID, s.driver.ID)
	f.depart(task.ID, s.driverUser, s.depart)
	end := f.drive(s.vehicle.ID, s.depart, s.driveMin)
	f.clock.Set(end.Add(time.Minute))
	f.odometer[s.vehicle.ID] += s.odometerKm
	odo := f.odometer[s.vehicle.ID]
	done, err := f.desk.ReturnTask(f.ctx, s.driverUser, task.ID, dispatch.ReturnInput{OdometerKm: &odo, FuelL: s.fuelL, ChargeKwh: s.chargeKwh})
	if err != nil {
		f.t.Fatalf("return: %v", err)
	}
	return done
}

// depart accepts, checks and departs the task at the time.
func (f *tripFix) depart(taskID int64, drv *auth.Actor, at time.Time) {
	f.t.Helper()
	if _, err := f.desk.AcceptTask(f.ctx, drv, taskID); err != nil {
		f.t.Fatalf("accept: %v", err)
	}
	var items []dispatch.CheckItem
	for _, c := range dispatch.DefaultSettings().Checklist {
		items = append(items, dispatch.CheckItem{Item: c, OK: true})
	}
	if _, err := f.desk.CheckTask(f.ctx, drv, taskID, dispatch.CheckInput{Items: items}); err != nil {
		f.t.Fatalf("check: %v", err)
	}
	f.clock.Set(at)
	if _, err := f.desk.DepartTask(f.ctx, drv, taskID); err != nil {
		f.t.Fatalf("depart: %v", err)
	}
}

// drive reports the vehicle's positions from the departure: a minute standing, minutes driving
// north at 36 km/h (a point every 30 s), then six minutes parked (the tracker closes the trip).
// It returns the time of the last point.
func (f *tripFix) drive(vehicleID int64, from time.Time, minutes int) time.Time {
	f.t.Helper()
	const stepDeg = 300 / 111195.0 // 300 m north, 30 s at 36 km/h
	var pts []tracking.Point
	at, lat := from.UTC().Add(10*time.Second), homeLat
	add := func(speed float64) {
		pts = append(pts, tracking.Point{VehicleID: vehicleID, Lat: lat, Lng: homeLng, SpeedKmh: speed, ACC: speed > 0,
			FixedAt: at, Positioned: true})
		at = at.Add(30 * time.Second)
	}
	for range 2 {
		add(0)
	}
	for range 2 * minutes {
		lat += stepDeg
		add(36)
	}
	for range 13 {
		add(0)
	}
	if _, err := f.track.Ingest(f.ctx, pts); err != nil {
		f.t.Fatalf("ingest: %v", err)
	}
	return pts[len(pts)-1].FixedAt
}

var approvalApprove = approval.ActionInput{Action: approval.ActApprove}
