package sim

import (
	"math"
	"math/rand/v2"
)

// phase is what a simulated vehicle is doing.
type phase uint8

const (
	driving phase = iota
	braking       // slowing to a stop; then stopped or parked
	stopped       // a short stop (lights, a pick-up): ACC stays on
	parked        // a long stop: ACC goes off after a minute
)

// Motion constants.
const (
	accelKmhS   = 5.4 // km/h gained per second (1.5 m/s²)
	decelKmhS   = 7.2 // km/h lost per second when slowing (2 m/s²)
	brakeKmhS   = 9.0 // km/h lost per second when stopping (2.5 m/s²)
	maxKmh      = 80
	accOffAfter = 60 // seconds parked before the ignition goes off
)

// motion is one vehicle moving round its route in one-second steps.
type motion struct {
	r      *route
	d      float64 // metres along the route
	seg    int     // segment hint for route.at
	fwd    bool    // direction round the loop
	kmh    float64 // current speed
	target float64 // cruising speed wanted while driving
	ph     phase
	next   phase   // after braking: stopped or parked
	left   float64 // seconds to the next decision (driving) or the end of a stop
	parked float64 // seconds parked so far
	odo    float64 // odometer, km
	alt    float64 // metres
}

// newMotion puts a vehicle somewhere on r: most drive, some stand at a stop, some are parked.
func newMotion(r *route, rng *rand.Rand) motion {
	m := motion{r: r, d: rng.Float64() * r.length(), fwd: rng.IntN(2) == 0,
		odo: 8000 + rng.Float64()*90000, alt: 40 + rng.Float64()*60}
	switch x := rng.Float64(); {
	case x < 0.65:
		m.ph, m.target = driving, cruise(rng)
		m.kmh = m.target * rng.Float64()
		m.left = 20 + rng.Float64()*120
	case x < 0.8:
		m.ph, m.left = stopped, 5+rng.Float64()*60
	default:
		m.ph, m.left, m.parked = parked, 60+rng.Float64()*900, rng.Float64()*600
	}
	return m
}

// cruise picks a cruising speed: town streets 25–50 km/h mostly, open road up to 80.
func cruise(rng *rand.Rand) float64 {
	if rng.IntN(4) == 0 {
		return 50 + rng.Float64()*(maxKmh-50)
	}
	return 25 + rng.Float64()*25
}

// acc reports whether the ignition is on: always except after a minute parked.
func (m *motion) acc() bool { return !(m.ph == parked && m.parked >= accOffAfter) }

// advance moves the vehicle on by secs seconds, one simulated second at a time.
func (m *motion) advance(secs int, rng *rand.Rand) {
	for range secs {
		m.step(rng)
	}
}

func (m *motion) step(rng *rand.Rand) {
	v0 := m.kmh
	switch m.ph {
	case driving:
		m.left--
		if m.left <= 0 {
			switch x := rng.Float64(); {
			case x < 0.6:
				m.target, m.left = cruise(rng), 20+rng.Float64()*120
			case x < 0.9:
				m.ph, m.next, m.left = braking, stopped, 15+rng.Float64()*100
			default:
				m.ph, m.next, m.left = braking, parked, 300+rng.Float64()*1500
			}
		}
		switch {
		case m.kmh < m.target:
			m.kmh = math.Min(m.target, m.kmh+accelKmhS)
		case m.kmh > m.target:
			m.kmh = math.Max(m.target, m.kmh-decelKmhS)
		}
		m.kmh = clamp(m.kmh+rng.Float64()*1.2-0.6, 0, maxKmh) // a driver never holds a speed exactly
	case braking:
		m.kmh = math.Max(0, m.kmh-brakeKmhS)
		if m.kmh == 0 {
			m.ph, m.parked = m.next, 0
		}
	case stopped, parked:
		m.kmh = 0
		m.left--
		if m.ph == parked {
			m.parked++
		}
		if m.left <= 0 {
			m.ph, m.target, m.left = driving, cruise(rng), 30+rng.Float64()*240
		}
	}
	metres := (v0 + m.kmh) / 2 / 3.6 // average speed over the second
	m.odo += metres / 1000
	l := m.r.length()
	if m.fwd {
		m.d += metres
	} else {
		m.d -= metres
	}
	m.d = math.Mod(m.d, l)
	if m.d < 0 {
		m.d += l
	}
	m.alt = clamp(m.alt+rng.Float64()*2-1, 20, 200)
}

// position returns where the vehicle is and which way it heads.
func (m *motion) position() (lat, lng float64, course uint16) {
	lat, lng, course = m.r.at(m.d, &m.seg)
	if !m.fwd {
		course = (course + 180) % 360
	}
	return lat, lng, course
}
