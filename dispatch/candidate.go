package dispatch

import (
	"math"
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
//   - the driver: status on_duty and on the roster over the whole window (as OnDuty), no open
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
