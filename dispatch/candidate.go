package dispatch

import (
	"cmp"
	"math"
	"slices"
	"time"

	"fleet/dispatch/nearby"
)

// Candidate ranking. A candidate is a (vehicle, driver) pair that meets every hard constraint
// of a request; its score is a cost in points (about one point per km driven to the origin),
// lower is better, and the list is best first. The hard constraints:
//
//   - the vehicle: in the snapshot, Usable over the window (status, insurance, inspection),
//     seats ≥ passengers + the seat reserve setting, the class asked for (when one is), pooled
//     or kept by the applicant's unit, no open task of it within the window widened by the
//     turnaround buffer, and an electric vehicle of known range able to make the trip;
//   - the driver: status on_duty and on the roster over the whole window (DutyDrivers), no open
//     task within the widened window, and the driving-time limits kept with this task added
//     (checkDriving: no more than 4 h without a 20-minute rest, the daily cap);
//   - the pair: the driver's licence covers the vehicle and is valid (LicenceAllows).
//
// The score is the sum of CostParts (weights are settings):
//
//	distance     = distance_per_km × km from where the vehicle will be to the origin
//	               (× the emergency multiplier for an emergency)
//	driver_load  = driver_load × (½ tasks ÷ mean tasks + ½ km ÷ mean km) of the driver this month
//	vehicle_load = vehicle_load × the same of the vehicle
//	new_energy   = −new_energy for a new-energy vehicle whose range covers the trip (the route's
//	               straight lines × the detour factor, out and back) within new_energy_share;
//	               +range_risk when it needs more than that share
//	own_unit     = −own_unit for a vehicle of the applicant's unit (with own_unit_first)
//	spare_seats  = spare_seat × the seats left empty
//
// Where the vehicle will be: the end (the origin) of its last task of the same county day ending
// before the departure; else, departing today, its live position (its parking point until it
// reports); departing on a later day, its parking point (its live position when it has none).
// Vehicles with no position at all count unknownKm away.
//
// The search asks the H3 index for the nearest vehicles passing the vehicle constraints, three
// times as many as pairs wanted within 30 km, and widens (four times more while the radius holds
// more; then ten times farther) while fewer pairs than wanted are found. The applicant's unit's
// own vehicles are always weighed (their bonus may outweigh some distance).

// CostParts are the parts of a candidate's score, in points.
type CostParts struct {
	Distance    float64 `json:"distance"`
	DriverLoad  float64 `json:"driver_load"`
	VehicleLoad float64 `json:"vehicle_load"`
	NewEnergy   float64 `json:"new_energy"`
	OwnUnit     float64 `json:"own_unit"`
	SpareSeats  float64 `json:"spare_seats"`
}

func (c CostParts) sum() float64 {
	return c.Distance + c.DriverLoad + c.VehicleLoad + c.NewEnergy + c.OwnUnit + c.SpareSeats
}

// Candidate is one feasible (vehicle, driver) pair for a request.
type Candidate struct {
	VehicleID  int64     `json:"vehicle_id"`
	Plate      string    `json:"plate"`
	Class      string    `json:"class"`
	Seats      int       `json:"seats"`
	Energy     string    `json:"energy"`
	DriverID   int64     `json:"driver_id"`
	Driver     string    `json:"driver"`
	Score      float64   `json:"score"`   // lower is better
	Reasons    CostParts `json:"reasons"` // the score's parts
	DistanceKm float64   `json:"distance_km"`
	From       string    `json:"from"` // where the vehicle will be: live, parking, previous_task, unknown
	Lat        *float64  `json:"lat"`  // that position, WGS-84; null when unknown
	Lng        *float64  `json:"lng"`
	Note       string    `json:"note,omitempty"` // e.g. a C2 licence's automatic-only restriction
}

// CandidateList is the answer of GET /api/dispatch/requests/{id}/candidates.
type CandidateList struct {
	Items []Candidate `json:"items"`
	// Excluded counts the drivers (driver_*) and the vehicles searched (vehicle_*) left out, by
	// reason, so that an empty list says why.
	Excluded map[string]int `json:"excluded"`
}

// Where a vehicle will be.
const (
	FromLive     = "live"
	FromParking  = "parking"
	FromPrevious = "previous_task"
	FromUnknown  = "unknown"
)

// Search bounds.
const (
	unknownKm      = 20.0    // the distance counted for a vehicle with no position
	firstRadiusKm  = 30.0    // the first search radius: the county
	anywhereKm     = 20040.0 // half the earth's circumference: everywhere
	driversPerSlot = 2       // drivers offered with each vehicle (ranker.perVehicle by default)
	maxWant        = 100000  // enough for any fleet
)

// demand is what a request (or a merged trip) asks of a vehicle and a driver.
type demand struct {
	unitID     int64
	passengers int
	class      string
	emergency  bool
	lat, lng   float64 // the origin
	from, to   time.Time
	tripKm     float64 // the route out and back, road km
	except     int64   // the open task a reassignment replaces: not a booking
}

// ranker ranks the candidates of one demand on one state of the fleet.
type ranker struct {
	d      demand
	set    Settings
	now    time.Time
	loc    *time.Location
	snap   *fleetSnapshot
	duty   map[int64]bool
	load   *monthStats
	board  *TaskBoard
	live   *nearby.Index
	parked *nearby.Index

	isReported func(vehicleID int64) bool // the vehicle has reported a live position
	perVehicle int                        // drivers paired with each vehicle; 0: driversPerSlot

	buffer   time.Duration
	reloc    map[int64]place // vehicles starting from a previous task's end
	unplaced []*Vehicle      // vehicles with no position
	own      []*Vehicle      // the applicant's unit's vehicles, placed
	excluded map[string]int
	byLic    map[licKey][]int // indexes into drivers allowed for a kind of vehicle
	drivers  []driverOption
	licences []licence
}

type place struct{ lat, lng float64 }

type driverOption struct {
	d    *Driver
	cost float64
	lic  int // index into ranker.licences
}

// licence is a kind of driving licence: its class, and whether it is valid through the task's
// end. LicenceAllows answers alike for the drivers of one kind.
type licence struct {
	class string
	valid bool
	rep   *Driver // a driver holding it
}

type licKey struct {
	seats         int
	class, energy string
}

type vehicleOption struct {
	v        *Vehicle
	km       float64
	from     string
	pos      *place
	parts    CostParts // the vehicle's parts (driver_load not yet)
	partCost float64
}

// haversineKm is the great-circle distance in km.
func haversineKm(lat1, lng1, lat2, lng2 float64) float64 {
	return nearby.Haversine(lat1, lng1, lat2, lng2)
}

// rank returns up to limit candidates, best first.
func (r *ranker) rank(limit int) CandidateList {
	r.buffer = r.set.buffer()
	r.excluded = map[string]int{}
	r.byLic = map[licKey][]int{}
	r.pickDrivers()
	r.relocate()
	out := CandidateList{Items: []Candidate{}, Excluded: r.excluded}
	if len(r.drivers) == 0 {
		r.countVehicles()
		return out
	}
	idx := r.live
	if !dayStart(r.d.from, r.loc).Equal(dayStart(r.now, r.loc)) {
		idx = r.parked
	}
	r.unplaced, r.own = r.unplacedVehicles(idx)
	want, radius := 3*limit, firstRadiusKm
	for {
		hits, err := idx.Nearest(r.d.lat, r.d.lng, nearby.Query{Want: want, MaxKm: radius, Filter: r.searchable})
		if err != nil {
			return out
		}
		out.Items = r.pair(r.vehicleOptions(hits, idx, want, radius), limit)
		if len(out.Items) >= limit {
			break
		}
		if len(hits) >= want && want < maxWant {
			want = min(4*want, maxWant) // the radius may hold more: ask for more
			continue
		}
		if radius < anywhereKm {
			radius = min(10*radius, anywhereKm) // the radius holds no more: look farther
			continue
		}
		break
	}
	if len(out.Items) < limit {
		r.countVehicles()
	}
	return out
}

// pickDrivers lists the drivers free for the demand, cheapest load first.
func (r *ranker) pickDrivers() {
	newBlocks := plannedBlocks(r.d.from, r.d.to, r.d.tripKm, r.set.AvgSpeedKmh)
	lim := r.set.limits(r.loc)
	aloneOK, _ := checkDriving(slices.Clone(newBlocks), lim) // a driver with no other driving those days
	meanT, meanK := r.meanLoad(len(r.snap.drivers))
	lo, hi := blockSpan(r.d.from, r.d.to, r.loc)
	var scratch []driveBlock
	r.drivers = make([]driverOption, 0, len(r.snap.drivers))
	for _, d := range r.snap.drivers {
		switch {
		case d.Status != DriverOnDuty:
			r.excluded["driver_"+d.Status]++
			continue
		case !r.duty[d.ID]:
			r.excluded["driver_not_rostered"]++
			continue
		}
		slots := r.board.driverSlots(d.ID)
		if r.booked(slots) {
			r.excluded["driver_booked"]++
			continue
		}
		ok := aloneOK
		if len(slots) > 0 {
			scratch = appendTaskBlocks(append(scratch[:0], newBlocks...), slots, lo, hi, r.d.except, r.set.AvgSpeedKmh)
			if len(scratch) > len(newBlocks) {
				ok, _ = checkDriving(scratch, lim)
			}
		}
		if !ok {
			r.excluded["driver_driving_time"]++
			continue
		}
		cost := r.set.Weights.DriverLoad * loadOf(r.load.driverTasks[d.ID], r.load.driverKm[d.ID], meanT, meanK)
		r.drivers = append(r.drivers, driverOption{d: d, cost: cost, lic: r.licenceOf(d)})
	}
	slices.SortFunc(r.drivers, func(a, b driverOption) int {
		return cmp.Or(cmp.Compare(a.cost, b.cost), cmp.Compare(a.d.ID, b.d.ID))
	})
}

// meanLoad returns the mean tasks and km per driver (n drivers) this month.
func (r *ranker) meanLoad(n int) (float64, float64) {
	if n == 0 {
		return 0, 0
	}
	return r.load.totalTasks / float64(n), r.load.totalKm / float64(n)
}

// loadOf is a load relative to the mean: 1 for an average driver or vehicle.
func loadOf(tasks, km, meanTasks, meanKm float64) float64 {
	l := 0.0
	if meanTasks > 0 {
		l += 0.5 * tasks / meanTasks
	}
	if meanKm > 0 {
		l += 0.5 * km / meanKm
	}
	return l
}

// booked reports whether one of the slots books the widened window.
func (r *ranker) booked(slots []*slot) bool {
	for _, s := range slots {
		if s.id != r.d.except && s.overlaps(r.d.from, r.d.to, r.buffer, r.now) {
			return true
		}
	}
	return false
}

// blockSpan is the span whose driving counts for a task over [from, to): its county days and
// the day either side (a stretch may cross midnight).
func blockSpan(from, to time.Time, loc *time.Location) (lo, hi time.Time) {
	return dayStart(from, loc).AddDate(0, 0, -1), dayStart(to, loc).AddDate(0, 0, 2)
}

// appendTaskBlocks appends the driving of the slots whose windows touch [lo, hi) to dst.
func appendTaskBlocks(dst []driveBlock, slots []*slot, lo, hi time.Time, except int64, speed float64) []driveBlock {
	for _, s := range slots {
		if s.id == except || !(taskOpen(s.status) || s.status == TaskCompleted) {
			continue
		}
		if !s.depart.Before(hi) || !s.ret.After(lo) {
			continue
		}
		if len(s.blocks) > 0 {
			dst = append(dst, s.blocks...)
			continue
		}
		start := s.depart
		if s.departedAt != nil {
			start = *s.departedAt
		}
		dst = append(dst, plannedBlocks(start, s.ret, s.plannedKm, speed)...)
	}
	return dst
}

// relocate finds the vehicles that start from the end of an earlier task the same day.
func (r *ranker) relocate() {
	type end struct {
		place
		at time.Time
	}
	ends := map[int64]end{}
	dayLo := dayStart(r.d.from, r.loc)
	r.board.mu.RLock()
	for vid, slots := range r.board.byVehicle {
		for _, s := range slots {
			if s.id == r.d.except || !(taskOpen(s.status) || s.status == TaskCompleted) {
				continue
			}
			at := s.busyUntil(r.now)
			if s.returnedAt != nil {
				at = *s.returnedAt
			}
			if at.After(r.d.from) || at.Before(dayLo) {
				continue
			}
			if e, ok := ends[vid]; !ok || at.After(e.at) {
				ends[vid] = end{place{s.lat, s.lng}, at}
			}
		}
	}
	r.board.mu.RUnlock()
	r.reloc = make(map[int64]place, len(ends))
	for vid, e := range ends {
		r.reloc[vid] = e.place
	}
}

// searchable is the index's filter: the vehicle meets the vehicle constraints and starts from
// where the index has it (not from an earlier task's end).
func (r *ranker) searchable(id int64) bool {
	if _, moved := r.reloc[id]; moved {
		return false
	}
	v, ok := r.snap.vehicles[id]
	return ok && r.vehicleFault(v) == ""
}

// vehicleFault returns why a vehicle cannot serve the demand, or "".
func (r *ranker) vehicleFault(v *Vehicle) string {
	switch {
	case v.Seats < r.d.passengers+r.set.SeatReserve:
		return "vehicle_seats"
	case r.d.class != "" && v.Class != r.d.class:
		return "vehicle_class"
	case !v.Pooled && (v.UnitID == nil || *v.UnitID != r.d.unitID):
		return "vehicle_other_unit"
	}
	if ok, _ := Usable(v, r.d.from, r.d.to); !ok {
		return "vehicle_unusable"
	}
	if v.Energy == EnergyElectric && v.RangeKm != nil && r.d.tripKm > float64(*v.RangeKm) {
		return "vehicle_range"
	}
	if r.booked(r.board.vehicleSlots(v.ID)) {
		return "vehicle_booked"
	}
	return ""
}

// unplacedVehicles returns the vehicles the index has no position for (none reported, no
// parking point) that meet the vehicle constraints, and the vehicles of the applicant's unit
// (with own_unit_first: their bonus may outweigh some distance, so they are always weighed).
func (r *ranker) unplacedVehicles(idx *nearby.Index) (unplaced, own []*Vehicle) {
	for _, v := range r.snap.noParking {
		if _, moved := r.reloc[v.ID]; moved {
			continue
		}
		if _, _, placed := idx.Position(v.ID); !placed && r.vehicleFault(v) == "" {
			unplaced = append(unplaced, v)
		}
	}
	if r.set.OwnUnitFirst {
		for _, v := range r.snap.byUnit[r.d.unitID] {
			if _, moved := r.reloc[v.ID]; moved {
				continue
			}
			if _, _, placed := idx.Position(v.ID); placed && r.vehicleFault(v) == "" {
				own = append(own, v)
			}
		}
	}
	return unplaced, own
}

// vehicleOptions turns the index's hits, the relocated vehicles and the vehicles with no known
// position into priced options, cheapest first.
func (r *ranker) vehicleOptions(hits []nearby.Hit, idx *nearby.Index, want int, radius float64) []vehicleOption {
	opts := make([]vehicleOption, 0, len(hits)+len(r.unplaced)+len(r.own)+8)
	meanT, meanK := r.meanLoad(len(r.snap.vehicles))
	add := func(v *Vehicle, km float64, from string, pos *place) {
		o := vehicleOption{v: v, km: km, from: from, pos: pos}
		o.parts = r.vehicleParts(v, km, meanT, meanK)
		o.partCost = o.parts.sum()
		opts = append(opts, o)
	}
	seen := make(map[int64]bool, len(hits))
	for _, h := range hits {
		v := r.snap.vehicles[h.VehicleID]
		lat, lng, _ := idx.Position(h.VehicleID)
		add(v, h.DistanceKm, r.fromOf(v, idx), &place{lat, lng})
		seen[v.ID] = true
	}
	for _, v := range r.own {
		if !seen[v.ID] {
			lat, lng, _ := idx.Position(v.ID)
			add(v, haversineKm(lat, lng, r.d.lat, r.d.lng), r.fromOf(v, idx), &place{lat, lng})
		}
	}
	// Vehicles ending an earlier task that day are weighed like the index's: those no farther
	// than the farthest hit (all within the radius when the index ran short).
	reach := radius
	if len(hits) == want && want > 0 {
		reach = hits[len(hits)-1].DistanceKm
	}
	for id, p := range r.reloc {
		km := haversineKm(p.lat, p.lng, r.d.lat, r.d.lng)
		if km > reach {
			continue
		}
		if v, ok := r.snap.vehicles[id]; ok && r.vehicleFault(v) == "" {
			add(v, km, FromPrevious, &place{p.lat, p.lng})
		}
	}
	for _, v := range r.unplaced {
		add(v, unknownKm, FromUnknown, nil)
	}
	slices.SortFunc(opts, func(a, b vehicleOption) int {
		return cmp.Or(cmp.Compare(a.partCost, b.partCost), cmp.Compare(a.v.ID, b.v.ID))
	})
	return opts
}

// fromOf says which position the index holds for a vehicle: live holds the reported position
// (the parking point until the vehicle reports), parked the parking point (the reported
// position of a vehicle with none).
func (r *ranker) fromOf(v *Vehicle, idx *nearby.Index) string {
	hasParking := v.ParkingLat != nil && v.ParkingLng != nil
	if idx == r.parked {
		if hasParking {
			return FromParking
		}
		return FromLive
	}
	if r.isReported != nil && r.isReported(v.ID) || !hasParking {
		return FromLive
	}
	return FromParking
}

// vehicleParts prices a vehicle km away from the origin.
func (r *ranker) vehicleParts(v *Vehicle, km, meanT, meanK float64) CostParts {
	w := r.set.Weights
	var p CostParts
	dw := w.DistancePerKm
	if r.d.emergency {
		dw *= w.Emergency
	}
	p.Distance = dw * km
	p.VehicleLoad = w.VehicleLoad * loadOf(r.load.vehicleTasks[v.ID], r.load.vehicleKm[v.ID], meanT, meanK)
	if NewEnergy(v.Energy) && v.RangeKm != nil {
		if r.d.tripKm <= r.set.NewEnergyShare*float64(*v.RangeKm) {
			p.NewEnergy = -w.NewEnergy
		} else {
			p.NewEnergy = w.RangeRisk
		}
	}
	if r.set.OwnUnitFirst && v.UnitID != nil && *v.UnitID == r.d.unitID {
		p.OwnUnit = -w.OwnUnit
	}
	p.SpareSeats = w.SpareSeat * float64(v.Seats-r.d.passengers-r.set.SeatReserve)
	return p
}

// pair gives each vehicle option its cheapest allowed drivers and returns the best limit pairs.
func (r *ranker) pair(opts []vehicleOption, limit int) []Candidate {
	per := r.perVehicle
	if per <= 0 {
		per = driversPerSlot
	}
	type pairing struct {
		opt, drv int
		score    float64
	}
	ps := make([]pairing, 0, len(opts)*per)
	for i := range opts {
		allowed := r.allowed(opts[i].v)
		for k := 0; k < len(allowed) && k < per; k++ {
			ps = append(ps, pairing{i, allowed[k], opts[i].partCost + r.drivers[allowed[k]].cost})
		}
	}
	slices.SortFunc(ps, func(a, b pairing) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(opts[a.opt].v.ID, opts[b.opt].v.ID),
			cmp.Compare(r.drivers[a.drv].d.ID, r.drivers[b.drv].d.ID))
	})
	if len(ps) > limit {
		ps = ps[:limit]
	}
	out := make([]Candidate, len(ps))
	for i, p := range ps {
		o, dopt := &opts[p.opt], r.drivers[p.drv]
		parts := o.parts
		parts.DriverLoad = dopt.cost
		c := Candidate{VehicleID: o.v.ID, Plate: o.v.Plate, Class: o.v.Class, Seats: o.v.Seats, Energy: o.v.Energy,
			DriverID: dopt.d.ID, Driver: dopt.d.Name, Reasons: roundParts(parts), Score: round2(parts.sum()),
			DistanceKm: round2(o.km), From: o.from}
		if o.pos != nil {
			lat, lng := o.pos.lat, o.pos.lng
			c.Lat, c.Lng = &lat, &lng
		}
		if _, note := LicenceAllows(dopt.d, o.v, r.d.to); note != "" {
			c.Note = note
		}
		out[i] = c
	}
	return out
}

// licenceOf returns the index of the driver's kind of licence in r.licences, adding it.
func (r *ranker) licenceOf(d *Driver) int {
	l := licence{class: d.LicenseClass, valid: d.LicenseExpiry == nil || ValidThrough(*d.LicenseExpiry, r.d.to)}
	for i, x := range r.licences {
		if x.class == l.class && x.valid == l.valid {
			return i
		}
	}
	l.rep = d
	r.licences = append(r.licences, l)
	return len(r.licences) - 1
}

// allowed returns the free drivers (indexes into r.drivers, cheapest first) whose licence allows
// the vehicle. LicenceAllows reads the vehicle's seats and the driver's licence class and
// whether it is valid through the task's end, so it is asked once per kind of vehicle and kind
// of licence.
func (r *ranker) allowed(v *Vehicle) []int {
	k := licKey{v.Seats, v.Class, v.Energy}
	if list, ok := r.byLic[k]; ok {
		return list
	}
	verdict := make([]bool, len(r.licences))
	for i, l := range r.licences {
		verdict[i], _ = LicenceAllows(l.rep, v, r.d.to)
	}
	list := make([]int, 0, len(r.drivers))
	for i, o := range r.drivers {
		if verdict[o.lic] {
			list = append(list, i)
		}
	}
	r.byLic[k] = list
	return list
}

// countVehicles counts every vehicle left out, by reason, for a short list.
func (r *ranker) countVehicles() {
	for _, v := range r.snap.vehicles {
		if f := r.vehicleFault(v); f != "" {
			r.excluded[f]++
		}
	}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func roundParts(p CostParts) CostParts {
	return CostParts{round2(p.Distance), round2(p.DriverLoad), round2(p.VehicleLoad), round2(p.NewEnergy),
		round2(p.OwnUnit), round2(p.SpareSeats)}
}
