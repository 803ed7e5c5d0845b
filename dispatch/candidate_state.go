package dispatch

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"time"

	"fleet/auth"
	"fleet/tracking"
)

// fleetSnapshot is the vehicles and drivers the ranking reads, kept for DeskOptions.SnapshotTTL.
type fleetSnapshot struct {
	at        time.Time
	vehicles  map[int64]*Vehicle // every vehicle but the retired
	drivers   []*Driver          // by id
	noParking []*Vehicle         // vehicles without a parking point (placed only once they report)
	byUnit    map[int64][]*Vehicle

	// The duty roster over [rosterFrom, rosterTo): each driver's entries, by start.
	rosterFrom, rosterTo time.Time
	shifts               map[int64][]Shift
}

// rosterSpan is the span of the roster a snapshot holds: from yesterday, a week ahead.
func rosterSpan(now time.Time, loc *time.Location) (time.Time, time.Time) {
	lo := dayStart(now, loc).AddDate(0, 0, -1)
	return lo, lo.AddDate(0, 0, 9)
}

// onDuty returns the drivers on duty over [from, to) as Service.OnDuty judges (status on_duty,
// roster entries covering the window), from the snapshot's roster; ok is false when the window
// leaves the span the snapshot holds.
func (s *fleetSnapshot) onDuty(from, to time.Time) (duty map[int64]bool, ok bool) {
	if from.Before(s.rosterFrom) || to.After(s.rosterTo) {
		return nil, false
	}
	duty = make(map[int64]bool, len(s.shifts))
	for _, d := range s.drivers {
		if d.Status == DriverOnDuty && covered(s.shifts[d.ID], from, to) {
			duty[d.ID] = true
		}
	}
	return duty, true
}

// index fills the snapshot's lists from its vehicles.
func (s *fleetSnapshot) index() {
	s.noParking, s.byUnit = nil, map[int64][]*Vehicle{}
	for _, v := range s.vehicles {
		if v.ParkingLat == nil || v.ParkingLng == nil {
			s.noParking = append(s.noParking, v)
		}
		if v.UnitID != nil {
			s.byUnit[*v.UnitID] = append(s.byUnit[*v.UnitID], v)
		}
	}
}

// snapshot returns the fleet as read at most SnapshotTTL ago.
func (d *Desk) snapshot(ctx context.Context) (*fleetSnapshot, error) {
	d.snapMu.Lock()
	defer d.snapMu.Unlock()
	now := d.opt.Now()
	if d.snap != nil && now.Sub(d.snap.at) < d.opt.SnapshotTTL {
		return d.snap, nil
	}
	vs, ds, err := fleetRows(d.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	s := &fleetSnapshot{at: now, vehicles: make(map[int64]*Vehicle, len(vs)), drivers: ds, shifts: map[int64][]Shift{}}
	s.rosterFrom, s.rosterTo = rosterSpan(now, d.opt.Location)
	shifts, _, err := d.fleet.ListShifts(ctx, auth.System, ShiftFilter{From: s.rosterFrom.Format(time.RFC3339), To: s.rosterTo.Format(time.RFC3339)})
	if err != nil {
		return nil, err
	}
	for _, sh := range shifts { // by start
		s.shifts[sh.DriverID] = append(s.shifts[sh.DriverID], sh)
	}
	for _, v := range vs {
		s.vehicles[v.ID] = v
	}
	s.index()
	d.snap = s
	d.placeVehicles(s)
	return s, nil
}

// forgetSnapshot makes the next ranking read the fleet again (after a change this instance made).
func (d *Desk) forgetSnapshot() {
	d.snapMu.Lock()
	d.snap = nil
	d.snapMu.Unlock()
}

// placeVehicles puts the vehicles' parking points in the indexes: parked always, live until the
// vehicle reports. A vehicle gone from the records may stay in them: the ranking reads only the
// vehicles of the snapshot.
func (d *Desk) placeVehicles(s *fleetSnapshot) {
	d.posMu.Lock()
	defer d.posMu.Unlock()
	for id, v := range s.vehicles {
		if v.ParkingLat == nil || v.ParkingLng == nil {
			continue
		}
		d.parked.Set(id, *v.ParkingLat, *v.ParkingLng)
		if _, ok := d.reported[id]; !ok {
			d.live.Set(id, *v.ParkingLat, *v.ParkingLng)
		}
	}
}

// positions takes a positions message of the tracker into the live index.
func (d *Desk) positions(data []byte) {
	var pts []tracking.LivePoint
	if err := json.Unmarshal(data, &pts); err != nil {
		d.opt.Logger.Warn("dispatch: bad positions message", slog.Any("error", err))
		return
	}
	for _, p := range pts {
		if !p.Late {
			d.setPosition(p.VehicleID, p.Lat, p.Lng, p.FixedAt)
		}
	}
}

// setPosition records a vehicle's live position; a vehicle without a parking point is parked
// where it was last seen.
func (d *Desk) setPosition(id int64, lat, lng float64, fixed time.Time) {
	if d.live.Set(id, lat, lng) != nil {
		return
	}
	d.posMu.Lock()
	d.reported[id] = fixed
	d.posMu.Unlock()
	d.snapMu.Lock()
	s := d.snap
	d.snapMu.Unlock()
	if s != nil {
		if v, ok := s.vehicles[id]; ok && v.ParkingLat != nil {
			return
		}
	}
	d.parked.Set(id, lat, lng)
}

// monthStats is this month's load per driver and vehicle: tasks (open or completed) departing
// in the county's month, and their km (odometer, else tracked, else planned).
type monthStats struct {
	at                        time.Time
	month                     time.Time
	driverTasks, vehicleTasks map[int64]float64
	driverKm, vehicleKm       map[int64]float64
	totalTasks, totalKm       float64
}

// monthLoad returns this month's load, read at most a minute ago.
func (d *Desk) monthLoad(ctx context.Context) (*monthStats, error) {
	d.statsMu.Lock()
	defer d.statsMu.Unlock()
	now := d.opt.Now()
	month := monthStart(now, d.opt.Location)
	if d.stats != nil && d.stats.month.Equal(month) && now.Sub(d.stats.at) < time.Minute {
		return d.stats, nil
	}
	rows, err := loadRows(d.db.WithContext(ctx), month, month.AddDate(0, 1, 0))
	if err != nil {
		return nil, err
	}
	s := &monthStats{at: now, month: month, driverTasks: map[int64]float64{}, vehicleTasks: map[int64]float64{},
		driverKm: map[int64]float64{}, vehicleKm: map[int64]float64{}}
	for _, r := range rows {
		s.driverTasks[r.DriverID] += float64(r.Tasks)
		s.vehicleTasks[r.VehicleID] += float64(r.Tasks)
		s.driverKm[r.DriverID] += r.Km
		s.vehicleKm[r.VehicleID] += r.Km
		s.totalTasks += float64(r.Tasks)
		s.totalKm += r.Km
	}
	d.stats = s
	return s, nil
}

// forgetLoad makes the next ranking read the month's load again.
func (d *Desk) forgetLoad() {
	d.statsMu.Lock()
	d.stats = nil
	d.statsMu.Unlock()
}

// monthStart returns the first instant of t's month in loc.
func monthStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
}

// sortDrivers orders drivers by id.
func sortDrivers(ds []*Driver) {
	sort.Slice(ds, func(i, j int) bool { return ds[i].ID < ds[j].ID })
}
