package dispatch

import (
	"context"
	"sort"
	"strconv"
	"time"

	"fleet/auth"
)

// statsBuilder holds the trips of a period and what their utilisation is measured against; it
// groups them by any grouping (the workbook asks for all of them from one read).
type statsBuilder struct {
	f         tripFilter
	loc       *time.Location
	th        Threshold
	trips     []Trip
	windows   []span
	working   time.Duration             // the period's working time
	vehicles  map[int64]string          // vehicles in service, for the rows of those without a trip
	drivers   map[int64]string          // every driver, likewise
	fleetSize int                       // vehicles the period rows' utilisation counts; 0: none
	onTaskV   map[int64][]time.Duration // per vehicle: time on task within each window
	onTaskD   map[int64][]time.Duration // per driver
}

func (d *Desk) statsBuilder(ctx context.Context, a *auth.Actor, q StatsQuery) (*statsBuilder, error) {
	f, err := d.tripFilter(a, q.From, q.To, q.VehicleID, q.DriverID, q.UnitID)
	if err != nil {
		return nil, err
	}
	trips, err := d.loadTrips(ctx, f)
	if err != nil {
		return nil, err
	}
	vehicles, drivers, err := fleetNames(d.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	b := &statsBuilder{f: f, loc: d.opt.Location, th: d.currentSettings().threshold(), trips: trips,
		windows: d.workWindows(ctx, f.from, f.to), vehicles: vehicles, drivers: drivers}
	for _, w := range b.windows {
		b.working += w.to.Sub(w.from)
	}
	switch {
	case f.unitID != 0:
		// A unit's trips are a part of some vehicles' time: no fleet share.
	case f.vehicleID != 0 || f.driverID != 0:
		b.fleetSize = 1
	default:
		seen := map[int64]bool{}
		for id := range vehicles {
			seen[id] = true
		}
		for i := range trips {
			seen[trips[i].VehicleID] = true
		}
		b.fleetSize = len(seen)
	}
	b.onTaskV = b.onTask(func(t *Trip) int64 { return t.VehicleID })
	b.onTaskD = b.onTask(func(t *Trip) int64 { return t.DriverID })
	return b, nil
}

// onTask measures, per vehicle or driver (key), the time on task within each working window.
func (b *statsBuilder) onTask(key func(*Trip) int64) map[int64][]time.Duration {
	spans := map[int64][]span{}
	for i := range b.trips {
		t := &b.trips[i]
		spans[key(t)] = append(spans[key(t)], span{t.DepartedAt, t.ReturnedAt})
	}
	out := make(map[int64][]time.Duration, len(spans))
	for id, s := range spans {
		out[id] = overlapByWindow(union(s), b.windows)
	}
	return out
}

func sum(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s
}

// stats groups the trips by one grouping.
func (b *statsBuilder) stats(by string) *Stats {
	rows := map[string]*Tally{}
	var order []string
	row := func(key, name string) *Tally {
		t := rows[key]
		if t == nil {
			t = &Tally{Key: key, Name: name}
			rows[key] = t
			order = append(order, key)
		}
		return t
	}
	b.pad(by, row)
	total := &Tally{Key: "total", Name: "合计"}
	for i := range b.trips {
		t := &b.trips[i]
		if b.f.unitID != 0 {
			total.add(t, t.requestsOf(b.f.unitID))
		} else {
			total.add(t, len(t.RequestIDs))
		}
		switch by {
		case ByMonth:
			row(monthKey(t.DepartedAt, b.loc), "").add(t, len(t.RequestIDs))
		case ByDay:
			row(dayKey(t.DepartedAt, b.loc), "").add(t, len(t.RequestIDs))
		case ByVehicle:
			row(strconv.FormatInt(t.VehicleID, 10), t.Plate).add(t, len(t.RequestIDs))
		case ByDriver:
			row(strconv.FormatInt(t.DriverID, 10), t.Driver).add(t, len(t.RequestIDs))
		case ByUnit:
			for _, u := range t.Units {
				if b.f.unitID == 0 || u.ID == b.f.unitID {
					row(strconv.FormatInt(u.ID, 10), u.Name).add(t, t.requestsOf(u.ID))
				}
			}
		}
	}
	b.utilisation(by, rows, total)
	out := &Stats{From: b.f.from, To: b.f.to, Period: periodText(b.f.from, b.f.to, b.loc), By: by,
		WorkingH: round2(hours(b.working)), Threshold: b.th, Rows: make([]Tally, 0, len(order))}
	for _, k := range order {
		r := rows[k]
		if r.Name == "" {
			r.Name = k
		}
		r.finish()
		out.Rows = append(out.Rows, *r)
	}
	if by != ByMonth && by != ByDay {
		sort.SliceStable(out.Rows, func(i, j int) bool {
			x, y := &out.Rows[i], &out.Rows[j]
			if x.Trips != y.Trips {
				return x.Trips > y.Trips
			}
			if x.GPSKm != y.GPSKm {
				return x.GPSKm > y.GPSKm
			}
			return x.Name < y.Name
		})
	}
	total.finish()
	out.Total = *total
	out.Summary = summarize(total, b.f.from, b.f.to, b.loc)
	return out
}

// pad adds the rows that have no trip: every month or day of the period; every vehicle in
// service and every driver when nothing narrows the fleet (an idle vehicle is worth seeing).
func (b *statsBuilder) pad(by string, row func(key, name string) *Tally) {
	switch by {
	case ByMonth, ByDay:
		for _, k := range periodKeys(by, b.f.from, b.f.to, b.loc) {
			row(k, k)
		}
		return
	}
	if b.f.vehicleID != 0 || b.f.driverID != 0 || b.f.unitID != 0 {
		return
	}
	names := map[string]map[int64]string{ByVehicle: b.vehicles, ByDriver: b.drivers}[by]
	for id, name := range names {
		row(strconv.FormatInt(id, 10), name)
	}
}

// utilisation sets each row's and the total's time on task and working time available.
func (b *statsBuilder) utilisation(by string, rows map[string]*Tally, total *Tally) {
	perWindow := func(m map[int64][]time.Duration, id string) time.Duration {
		n, _ := strconv.ParseInt(id, 10, 64)
		return sum(m[n])
	}
	switch by {
	case ByVehicle:
		for k, r := range rows {
			r.onTask, r.capacity = perWindow(b.onTaskV, k), b.working
		}
	case ByDriver:
		for k, r := range rows {
			r.onTask, r.capacity = perWindow(b.onTaskD, k), b.working
		}
	case ByMonth, ByDay:
		if b.fleetSize == 0 {
			break
		}
		key := monthKey
		if by == ByDay {
			key = dayKey
		}
		for w, win := range b.windows {
			r := rows[key(win.from, b.loc)]
			if r == nil {
				continue
			}
			r.capacity += win.to.Sub(win.from) * time.Duration(b.fleetSize)
			for _, per := range b.onTaskV {
				r.onTask += per[w]
			}
		}
	}
	if b.fleetSize > 0 {
		total.capacity = b.working * time.Duration(b.fleetSize)
		for _, per := range b.onTaskV {
			total.onTask += sum(per)
		}
	}
}

// requestsOf counts the trip's requests from the unit.
func (t *Trip) requestsOf(unitID int64) int {
	n := 0
	for _, u := range t.reqUnits {
		if u == unitID {
			n++
		}
	}
	return n
}
