package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/tracking"
)

// The fleet's side of the history: the roster of the past weeks, each vehicle's odometer and
// tank, the tracks of its trips, the task texts its terminal received.

// fleetCar is what the history keeps of a vehicle.
type fleetCar struct {
	v          dispatch.Vehicle
	parking    spot
	odometer   float64   // the dashboard's reading, km
	terminalKm float64   // the terminal's own mileage, km
	sinceFill  float64   // km since it was last refuelled or charged
	serial     uint16    // the platform's serial of the last text sent to its terminal
	freeAt     time.Time // when its last drive ended
}

// Consumption per 100 km: litres of fuel, or kWh for a battery car.
var per100km = map[string]float64{
	dispatch.EnergyGasoline:     8.6,
	dispatch.EnergyDiesel:       10.5,
	dispatch.EnergyHybrid:       5.4,
	dispatch.EnergyPluginHybrid: 17.5, // mostly on the battery round the county
	dispatch.EnergyElectric:     15.2,
}

// fillEvery is how far a car goes between fills, km: the drivers top up at half a tank.
const fillEvery = 200

// returned is the reading the driver enters at the end of a trip of km (the odometer reads a
// shade over the GPS; a skewed one is far off), and the fuel or charge when the car was filled
// up on the way back (every fillEvery km).
func (c *fleetCar) returned(km float64, skewed bool) dispatch.ReturnInput {
	driven := km * 1.01
	if skewed {
		driven = km*1.4 + 18
	}
	c.odometer = math.Round((c.odometer+driven)*10) / 10
	c.sinceFill += km
	in := dispatch.ReturnInput{OdometerKm: &c.odometer}
	if c.sinceFill < fillEvery {
		return in
	}
	amount := math.Round(c.sinceFill*per100km[c.v.Energy]) / 100
	if c.v.Energy == dispatch.EnergyElectric || c.v.Energy == dispatch.EnergyPluginHybrid {
		in.ChargeKwh = &amount
	} else {
		in.FuelL = &amount
	}
	c.sinceFill = 0
	return in
}

// prepare finds the dispatcher, the vehicles (giving each an odometer reading) and the pre-trip
// checklist, and fills the roster of the weeks the history covers.
func (h *history) prepare(ctx context.Context, start time.Time) error {
	id, err := h.auth.FindUserID(ctx, "demo_dispatcher")
	if err != nil {
		return fmt.Errorf("the demo dispatcher: %w", err)
	}
	u, err := h.auth.GetUser(ctx, auth.System, id)
	if err != nil {
		return err
	}
	h.dispatcher = actorOf(u)
	set, err := h.desk.GetSettings(ctx, auth.System)
	if err != nil {
		return err
	}
	h.checklist = set.Checklist
	if err := h.loadCars(ctx); err != nil {
		return err
	}
	for day := start.AddDate(0, 0, -1); day.Before(h.opt.Now()); day = day.AddDate(0, 0, 7) {
		d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
		if err := seedRoster(ctx, h.fleet, d, h.opt.Location, &Counts{}); err != nil {
			return fmt.Errorf("roster: %w", err)
		}
	}
	return nil
}

// loadCars reads the vehicles; one with no odometer reading gets one (tens of thousands of km,
// by its age in the list).
func (h *history) loadCars(ctx context.Context) error {
	byPlate, err := vehiclesByPlate(ctx, h.fleet)
	if err != nil {
		return err
	}
	h.vehicles = map[int64]*fleetCar{}
	for i, spec := range vehicles {
		v, ok := byPlate[spec.plate]
		if !ok {
			continue
		}
		c := &fleetCar{v: v, parking: hub}
		if v.ParkingLat != nil && v.ParkingLng != nil {
			c.parking = spot{v.ParkingName, *v.ParkingLat, *v.ParkingLng}
		}
		if v.OdometerKm == nil {
			km := float64(8000 + (i*7919)%90000)
			if err := setOdometer(ctx, h.fleet, v, km); err != nil {
				return fmt.Errorf("%s: %w", v.Plate, err)
			}
			v.OdometerKm = &km
		}
		c.odometer = *v.OdometerKm
		c.terminalKm = c.odometer - 412.3*float64(i%5) // fitted later than the car was bought
		c.sinceFill = float64(h.rng.IntN(fillEvery))   // driven since its last fill before the history
		h.vehicles[v.ID] = c
	}
	return nil
}

// setOdometer enters a vehicle's odometer reading, keeping the rest of its record.
func setOdometer(ctx context.Context, svc *dispatch.Service, v dispatch.Vehicle, km float64) error {
	in := dispatch.VehicleInput{Plate: v.Plate, Class: v.Class, Seats: v.Seats, Energy: v.Energy, TerminalPhone: v.TerminalPhone,
		Pooled: &v.Pooled, UnitID: v.UnitID, Status: v.Status, OdometerKm: &km, RangeKm: v.RangeKm,
		ParkingName: v.ParkingName, ParkingLat: v.ParkingLat, ParkingLng: v.ParkingLng}
	if v.RegisteredOn != nil {
		in.RegisteredOn = ymd(*v.RegisteredOn)
	}
	_, err := svc.UpdateVehicle(ctx, auth.System, v.ID, in)
	return err
}

// slowZones are the demo fences with a speed limit of their own.
func slowZones() []slowZone {
	var out []slowZone
	for _, f := range demoFences {
		if f.SpeedLimitKmh != nil && f.Center != nil {
			out = append(out, slowZone{spot{f.Name, f.Center.Lat, f.Center.Lng}, f.RadiusM / 1000, *f.SpeedLimitKmh})
		}
	}
	return out
}

// driveTrip draws the track of a task leaving now: from the parking point to the origin, round
// the destinations (staying long enough to come back about when planned), back to the origin
// and home to park.
func (h *history) driveTrip(t *trip) *tracker {
	car := h.vehicles[t.vehicleID]
	garage := seatStop(car.parking)
	leave := h.clock.now()
	if leave.Before(car.freeAt) { // back late from its last trip: it leaves when it is back
		leave = car.freeAt.Add(time.Minute)
	}
	tr := newTracker(h.rng, t.vehicleID, leave, car.parking, car.terminalKm, slowZones())
	var legs [][]leg
	legs = append(legs, route(garage, t.stops[0]))
	for i := 1; i < len(t.stops); i++ {
		legs = append(legs, route(t.stops[i-1], t.stops[i]))
	}
	legs = append(legs, route(t.stops[len(t.stops)-1], t.stops[0]), route(t.stops[0], garage))
	var driving time.Duration
	for _, l := range legs {
		driving += routeTime(l)
	}
	pickup := time.Duration(2+h.rng.IntN(3)) * time.Minute // under five: the same trip goes on
	stay := (t.ret.Sub(leave) - driving - pickup - 15*time.Minute) / time.Duration(len(t.stops)-1)
	if stay < 10*time.Minute {
		stay = 10 * time.Minute
	}
	for i, l := range legs {
		tr.drive(l)
		switch {
		case i == 0:
			tr.park(pickup)
		case i < len(t.stops):
			tr.park(stay + time.Duration(h.rng.IntN(600)-300)*time.Second)
		case i == len(t.stops):
			tr.park(2 * time.Minute) // the passengers get out
		default:
			tr.park(8 * time.Minute) // home: the trip closes
		}
	}
	car.terminalKm, car.freeAt = tr.odometer, tr.at
	return tr
}

// textsHeard marks the task texts queued for the vehicle's terminal as sent and answered: the
// terminal was online, parked, when the task was assigned.
func (h *history) textsHeard(ctx context.Context, vehicleID int64) error {
	car := h.vehicles[vehicleID]
	cmds, err := h.track.Commands(ctx, auth.System, vehicleID)
	if err != nil {
		return err
	}
	for _, c := range cmds {
		if c.Status != tracking.CommandQueued {
			continue
		}
		car.serial++
		if err := h.track.CommandSent(ctx, c.ID, car.serial); err != nil {
			return err
		}
		if err := h.track.CommandAnswered(ctx, c.Phone, car.serial, 0); err != nil {
			return err
		}
	}
	return nil
}

// ackOffHours: the dispatcher acknowledges the off-hours alarms an emergency or weekend trip
// raised, noting the task.
func (h *history) ackOffHours(ctx context.Context, t *trip) error {
	if working(t.depart, h.opt.Location) && working(t.ret, h.opt.Location) {
		return nil
	}
	evs, _, err := h.track.ListEvents(ctx, h.dispatcher, tracking.EventFilter{Page: fleet.Page{Limit: 20}, VehicleID: t.vehicleID,
		Type: tracking.EventMisuseOffHours, From: t.depart.Add(-time.Hour), To: h.clock.now()})
	if err != nil {
		return err
	}
	for _, e := range evs {
		if e.AckAt != nil {
			continue
		}
		note := fmt.Sprintf("已核实：执行派车任务 #%d（%s），非私用", t.taskID, t.purpose)
		if _, err := h.track.AckEvent(ctx, h.dispatcher, e.ID, tracking.AckInput{Note: note}); err != nil {
			return err
		}
	}
	return nil
}

// working reports whether t falls in working hours (8:00–18:00, Monday to Friday, county time).
func working(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	if wd := l.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return l.Hour() >= 8 && l.Hour() < 18
}

// approvalAction is the unit head's decision on a trip's request.
func approvalAction(h *history, t *trip) approval.ActionInput {
	if t.fate == fateReject {
		why := []string{"请与本单位同日下乡的车辆合并出行", "该事项可电话协调，无需派车", "请补充具体行程后重新申请"}[h.rng.IntN(3)]
		return approval.ActionInput{Action: approval.ActReject, Comment: why}
	}
	comment := []string{"", "", "同意", "同意，注意行车安全"}[h.rng.IntN(4)]
	if t.emergency {
		comment = "应急保障，事后补批，同意"
	}
	return approval.ActionInput{Action: approval.ActApprove, Comment: comment}
}
