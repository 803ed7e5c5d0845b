package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"fleet/tracking"
)

// A drive of the history: what a vehicle's terminal would have reported on a trip. The vehicle
// follows the county's roads (history_places.go) at speeds that suit them — town streets with
// red lights, country roads, the expressway to the city — slowing down in a fence with its own
// speed limit (not always in time: the school zone sees an overspeed or two a month), and
// reports every 10–30 s while it moves. Parked, its terminal reports each
// minute, then every five (JT/T 808 terminals report less often while the ignition is off).

// leg is a stretch of a route and the speed a driver keeps on it.
type leg struct {
	path   []spot
	cruise float64 // km/h
}

// Cruise speeds, km/h.
const (
	cruiseStreet  = 35
	cruiseCountry = 58
	cruiseHighway = 80
)

// stop is a place of a drive: a spot in a town (index into towns) or in the county seat (-1).
type stop struct {
	spot
	town int
}

// seatStop is a spot in the county seat.
func seatStop(s spot) stop { return stop{s, -1} }

// route is the way between two stops: through the seat's streets to the hub, out along the road
// of the destination's town (back along the road of the town it leaves first), then the town's
// streets.
func route(a, b stop) []leg {
	if a.town == b.town {
		return []leg{{streets(a.spot, b.spot), cruiseStreet}}
	}
	var legs []leg
	if a.town >= 0 {
		t := towns[a.town]
		centre := spot{lat: t.lat, lng: t.lng}
		legs = append(legs, leg{streets(a.spot, centre), cruiseStreet}, leg{reversed(roadTo(t)), roadCruise(t)})
	} else {
		legs = append(legs, leg{streets(a.spot, hub), cruiseStreet})
	}
	if b.town >= 0 {
		t := towns[b.town]
		centre := spot{lat: t.lat, lng: t.lng}
		legs = append(legs, leg{roadTo(t), roadCruise(t)}, leg{streets(centre, b.spot), cruiseStreet})
	} else {
		legs = append(legs, leg{streets(hub, b.spot), cruiseStreet})
	}
	return legs
}

func roadCruise(t town) float64 {
	if t.highway {
		return cruiseHighway
	}
	return cruiseCountry
}

func reversed(s []spot) []spot {
	out := make([]spot, len(s))
	for i := range s {
		out[len(s)-1-i] = s[i]
	}
	return out
}

// routeKm is the length of a route.
func routeKm(legs []leg) float64 {
	km := 0.0
	for _, l := range legs {
		for i := 1; i < len(l.path); i++ {
			km += distKm(l.path[i-1], l.path[i])
		}
	}
	return km
}

// routeTime estimates how long a route takes (the speed kept, less the starts, turns and lights).
func routeTime(legs []leg) time.Duration {
	h := 0.0
	for _, l := range legs {
		h += routeKm([]leg{l}) / (l.cruise * 0.8)
	}
	return time.Duration(h * float64(time.Hour))
}

// slowZone is a place with its own speed limit (a school's surroundings).
type slowZone struct {
	at       spot
	radiusKm float64
	limit    float64 // km/h
}

// tracker writes one vehicle's points: it moves along legs and parks, keeping the clock, the
// terminal's odometer and the speed.
type tracker struct {
	rng       *rand.Rand
	vehicleID int64
	at        time.Time // the next fix's time
	pos       spot
	odometer  float64 // km, the terminal's mileage
	startKm   float64 // the mileage at the first point
	every     time.Duration
	slow      []slowZone
	speed     float64 // km/h at the last fix
	points    []tracking.Point
}

// newTracker starts a vehicle's points at a place and time; every is the terminal's report
// interval while moving (10–30 s, jittered per fix).
func newTracker(rng *rand.Rand, vehicleID int64, at time.Time, from spot, odometer float64, slow []slowZone) *tracker {
	every := []time.Duration{10, 15, 20, 30}[rng.IntN(4)] * time.Second
	return &tracker{rng: rng, vehicleID: vehicleID, at: at.UTC().Truncate(time.Second), pos: from, odometer: odometer, startKm: odometer,
		every: every, slow: slow}
}

// km is how far the vehicle has gone since the tracker started.
func (t *tracker) km() float64 { return t.odometer - t.startKm }

// drive follows the legs to their end.
func (t *tracker) drive(legs []leg) {
	for li, l := range legs {
		last := li == len(legs)-1
		for i := 1; i < len(l.path); i++ {
			t.segment(l.path[i], l.cruise, last && i == len(l.path)-1)
		}
	}
}

// segment moves to the next vertex, reporting as it goes; arriving says the vertex ends the route
// (the vehicle slows to a halt there).
func (t *tracker) segment(to spot, cruise float64, arriving bool) {
	for {
		left := distKm(t.pos, to)
		if left < 0.005 {
			t.pos = to
			return
		}
		dt := t.step()
		target := cruise * (0.85 + 0.3*t.rng.Float64())
		if lim := t.limitAt(t.pos); lim > 0 && target > lim {
			target = lim * (0.8 + 0.1*t.rng.Float64())
		}
		if arriving && left < 0.4 {
			target = math.Min(target, 12+left*40)
		}
		if cruise <= cruiseStreet && t.speed > 10 && t.rng.Float64() < 0.04 {
			t.redLight()
			continue
		}
		// At most ±12 km/h from one fix to the next: starts and slow-downs take a few fixes.
		v := t.speed + math.Max(-12, math.Min(12, target-t.speed))
		v = math.Max(v, 8)
		moved := (t.speed + v) / 2 * dt.Hours()
		course := bearing(t.pos, to)
		if moved >= left {
			moved = left
			t.pos = to
		} else {
			t.pos = toward(t.pos, to, moved/left)
		}
		t.odometer += moved
		t.speed = v
		t.at = t.at.Add(dt)
		t.fix(v, course, true)
		if t.pos == to {
			return
		}
	}
}

// redLight stands at a crossing for 30–90 s.
func (t *tracker) redLight() {
	wait := time.Duration(30+t.rng.IntN(60)) * time.Second
	for end := t.at.Add(wait); t.at.Before(end); {
		t.at = t.at.Add(t.step())
		t.speed = 0
		t.fix(0, 0, true)
	}
}

// park stands still for d: a fix as the vehicle halts, then, the ignition off, a fix each minute
// for five minutes and every five minutes after.
func (t *tracker) park(d time.Duration) {
	t.speed = 0
	end := t.at.Add(d)
	t.at = t.at.Add(t.step())
	t.fix(0, 0, true)
	for n := 0; ; n++ {
		step := time.Minute
		if n >= 5 {
			step = 5 * time.Minute
		}
		if t.at.Add(step).After(end) {
			t.at = end
			return
		}
		t.at = t.at.Add(step)
		t.fix(0, 0, false)
	}
}

// step is the time to the next fix: the interval, give or take two seconds.
func (t *tracker) step() time.Duration {
	return t.every + time.Duration(t.rng.IntN(5)-2)*time.Second
}

// fix records a point at the tracker's place and time, with a few metres of GPS noise.
func (t *tracker) fix(speed float64, course int, acc bool) {
	noise := 0.00004      // degrees, ~4 m
	status := uint32(0x2) // positioned
	if acc {
		status |= 0x1
	}
	t.points = append(t.points, tracking.Point{
		VehicleID: t.vehicleID, FixedAt: t.at, Lat: t.pos.lat + noise*(t.rng.Float64()*2-1), Lng: t.pos.lng + noise*(t.rng.Float64()*2-1),
		SpeedKmh: math.Round(speed*10) / 10, Course: course, Altitude: 45 + t.rng.IntN(30), ACC: acc, Status: status,
		MileageKm: math.Round(t.odometer*10) / 10, HasMileage: true, Positioned: true, Source: tracking.SourceJT808,
	})
}

// limitAt is the speed limit of a slow zone the spot lies in (0: none).
func (t *tracker) limitAt(s spot) float64 {
	for _, z := range t.slow {
		if distKm(s, z.at) < z.radiusKm+0.25 { // slowing down before the sign
			return z.limit
		}
	}
	return 0
}

// toward is the spot the share f of the way from a to b.
func toward(a, b spot, f float64) spot {
	return spot{lat: a.lat + (b.lat-a.lat)*f, lng: a.lng + (b.lng-a.lng)*f}
}

// bearing is the course from a to b, degrees clockwise from north.
func bearing(a, b spot) int {
	φ1, φ2 := a.lat*math.Pi/180, b.lat*math.Pi/180
	dλ := (b.lng - a.lng) * math.Pi / 180
	y := math.Sin(dλ) * math.Cos(φ2)
	x := math.Cos(φ1)*math.Sin(φ2) - math.Sin(φ1)*math.Cos(φ2)*math.Cos(dλ)
	deg := math.Atan2(y, x) * 180 / math.Pi
	return (int(math.Round(deg)) + 360) % 360
}
