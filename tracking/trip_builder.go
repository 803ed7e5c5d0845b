package tracking

import (
	"math"
	"time"
)

// The trip builder turns one vehicle's points, oldest first, into trips and stops. It is pure (no
// database, no clock), so the live detector and RecomputeTrips run the same rules.
//
// A point is moving when its speed is above MotionSpeedKmh; or, at rest, when it lies
// StillRadiusM or more from where the vehicle came to rest; or, in motion, when the step to it is
// at least JitterM long at more than MotionSpeedKmh. Motion from a stop is first a candidate: it
// becomes a trip once it covers MinTripDistanceM, lasts MinTripDuration and has gone at least
// StillRadiusM from where it began (noise goes nowhere, however long its path); it falls back into
// the stop when the vehicle then stands still for MinStop. A trip ends at its first point at rest
// once the rest lasted MinStop (a shorter pause stays in the trip), or at its last point when the
// vehicle falls silent for more than MaxGap. A stop runs from one trip's end to the next trip's
// start; a silence keeps it when the vehicle is found where it stood (within MinTripDistanceM).

// tripFix is what the builder keeps of a point.
type tripFix struct {
	at       time.Time
	lat, lng float64
	speed    float64 // reported, km/h
	odo      float64 // the terminal's mileage, km
	hasOdo   bool
}

// tripFixOf takes the point as the store keeps it (writer.go: 7 decimals of a degree, speed and
// mileage to 0.1), so that a recompute from stored points finds what the live builder found.
func tripFixOf(p *Point) tripFix {
	return tripFix{at: p.FixedAt, lat: math.Round(p.Lat*1e7) / 1e7, lng: math.Round(p.Lng*1e7) / 1e7,
		speed: math.Round(p.SpeedKmh*10) / 10, odo: math.Round(p.MileageKm*10) / 10, hasOdo: p.HasMileage}
}

// fixDistance is the great-circle distance, for the distances a trip sums.
func fixDistance(a, b *tripFix) float64 { return Distance(a.lat, a.lng, b.lat, b.lng) }

// nearM is a flat-earth distance, for the tests against thresholds of tens or hundreds of metres:
// within a county it is off by well under 1%, at a fraction of the cost.
func (b *tripBuilder) nearM(p, q *tripFix) float64 {
	dy := (q.lat - p.lat) * metresPerDegreeLat
	dx := (q.lng - p.lng) * metresPerDegreeLat * b.cosLat
	return math.Sqrt(dx*dx + dy*dy)
}

// metresPerDegreeLat on the mean Earth radius that Distance uses.
const metresPerDegreeLat = 6371008.8 * math.Pi / 180

// tripAcc sums a trip (or a candidate) as points arrive.
type tripAcc struct {
	start, end tripFix // end: the last point in motion, or the first at rest after it
	distM      float64
	driving    time.Duration
	maxKmh     float64
	farM       float64 // a candidate's farthest point from its start: noise goes nowhere
}

type tripBuilder struct {
	cfg       TripOptions
	vehicleID int64

	has    bool
	cosLat float64 // of the first point: scales longitude for nearM
	last   tripFix
	ref    tripFix // the last point whose step counted in the distance

	driving bool    // trip is a confirmed trip, in progress
	cand    bool    // trip is a candidate: motion from a stop, not yet long enough
	trip    tripAcc // valid when driving or cand
	stop    tripFix // where and when the open stop began
	stopped bool    // a stop is open

	// The current rest: since the first point at rest after the last moving one (during a trip
	// or a candidate), or the open stop itself. Its first point is the anchor of the
	// displacement test.
	still     bool
	stillFrom tripFix
	pendM     float64 // distance of steps during the rest, the trip's if motion resumes

	// Closed trips and stops, until drained.
	trips []Trip
	stops []Stop
}

func newTripBuilder(cfg TripOptions, vehicleID int64) *tripBuilder {
	return &tripBuilder{cfg: cfg, vehicleID: vehicleID}
}

// add takes the vehicle's next point. A point not newer than the previous one is ignored, so a
// trip never runs backwards whatever the order of arrival.
func (b *tripBuilder) add(p *Point) {
	f := tripFixOf(p)
	if !b.has {
		b.begin(f)
		return
	}
	if !f.at.After(b.last.at) {
		return
	}
	dt := f.at.Sub(b.last.at)
	if dt > b.cfg.MaxGap {
		b.silence()
		b.resume(f)
		b.last, b.ref = f, f
		return
	}
	// Distance counts from the last point that counted: a jump away and back adds nothing, and
	// jitter while slow is left out without losing a slow crawl.
	stepM := fixDistance(&b.ref, &f)
	d := stepM
	if !b.ref.at.Equal(b.last.at) {
		d = fixDistance(&b.last, &f)
	}
	kmh := d / dt.Seconds() * 3.6
	valid := kmh <= b.cfg.MaxSegmentSpeedKmh
	if stepM/f.at.Sub(b.ref.at).Seconds()*3.6 > b.cfg.MaxSegmentSpeedKmh ||
		(stepM < b.cfg.JitterM && b.ref.speed <= b.cfg.MotionSpeedKmh && f.speed <= b.cfg.MotionSpeedKmh) {
		stepM = 0
	} else {
		b.ref = f
	}
	var moving bool
	switch {
	case f.speed > b.cfg.MotionSpeedKmh:
		moving = true
	case b.still:
		moving = b.nearM(&b.stillFrom, &f) >= b.cfg.StillRadiusM
	default:
		moving = valid && d >= b.cfg.JitterM && kmh > b.cfg.MotionSpeedKmh
	}
	speed := f.speed
	if speed == 0 && moving && valid {
		speed = kmh // a source that reports no speed
	}
	switch {
	case b.driving || b.cand:
		b.step(f, moving, stepM, dt, speed)
	case moving:
		b.depart(f)
	case !b.stopped: // nothing open (a trip just closed by silence): the vehicle rests here
		b.openStop(f)
	}
	b.last = f
}

// begin starts from nothing: the vehicle's first point, or the first after a silence in which it
// moved.
func (b *tripBuilder) begin(f tripFix) {
	if !b.has {
		b.cosLat = math.Cos(f.lat * math.Pi / 180)
	}
	b.has, b.last, b.ref = true, f, f
	b.driving, b.cand, b.stopped = false, false, false
	if f.speed > b.cfg.MotionSpeedKmh {
		b.depart(f)
		return
	}
	b.openStop(f)
}

// depart starts a candidate trip at f.
func (b *tripBuilder) depart(f tripFix) {
	b.cand, b.ref = true, f // the trip's distance counts from here
	b.trip = tripAcc{start: f, end: f, maxKmh: f.speed}
	b.still, b.pendM = false, 0
}

// step adds f to the trip or candidate.
func (b *tripBuilder) step(f tripFix, moving bool, stepM float64, dt time.Duration, speed float64) {
	t := &b.trip
	if moving {
		if b.still { // the pause was part of the trip
			t.distM += b.pendM
			b.still, b.pendM = false, 0
		}
		t.distM += stepM
		t.driving += dt
		t.end = f
		t.maxKmh = math.Max(t.maxKmh, speed)
		if b.cand {
			t.farM = math.Max(t.farM, b.nearM(&t.start, &f))
			b.confirm()
		}
		return
	}
	if !b.still { // came to rest between the last point and f
		t.distM += stepM
		t.driving += dt
		t.end = f
		t.maxKmh = math.Max(t.maxKmh, speed)
		b.still, b.stillFrom, b.pendM = true, f, 0
		b.confirm()
		return
	}
	b.pendM += stepM
	if f.at.Sub(b.stillFrom.at) < b.cfg.MinStop {
		return
	}
	if b.driving {
		b.closeTrip()
		b.openStop(b.stillFrom)
		return
	}
	// The candidate was a jiggle within the stop: the stop goes on, anchored where it rests now.
	b.cand = false
	if !b.stopped {
		b.openStop(b.stillFrom)
	}
	b.pendM = 0
}

// confirm turns a long enough candidate into a trip, which closes the stop before it.
func (b *tripBuilder) confirm() {
	t := &b.trip
	if !b.cand || t.distM < b.cfg.MinTripDistanceM || t.end.at.Sub(t.start.at) < b.cfg.MinTripDuration || t.farM < b.cfg.StillRadiusM {
		return
	}
	b.cand, b.driving = false, true
	if b.stopped {
		b.closeStop(t.start.at)
	}
}

// silence ends what a silence of more than MaxGap ends, as of the last point: the trip, or a
// candidate (as part of its stop). What remains is at most an open stop, anchored at the rest.
func (b *tripBuilder) silence() {
	switch {
	case b.driving:
		b.closeTrip()
		if b.still {
			b.openStop(b.stillFrom)
		}
	case b.cand:
		b.cand = false
		if b.still {
			if !b.stopped {
				b.openStop(b.stillFrom)
			}
		} else if b.stopped {
			b.closeStop(b.trip.start.at) // it left, and was not seen again
		}
	}
	if !b.stopped {
		b.still = false
	}
	b.pendM = 0
}

// resume takes the first point after a silence: the stop goes on when the vehicle is found where
// it stood; otherwise it ended at the last point seen there.
func (b *tripBuilder) resume(f tripFix) {
	if b.stopped {
		if d := b.nearM(&b.stillFrom, &f); d < b.cfg.MinTripDistanceM {
			if f.speed > b.cfg.MotionSpeedKmh || d >= b.cfg.StillRadiusM {
				b.depart(f)
			}
			return
		}
		b.closeStop(b.last.at)
	}
	b.begin(f)
}

func (b *tripBuilder) openStop(f tripFix) {
	b.stopped, b.stop = true, f
	b.still, b.stillFrom, b.pendM = true, f, 0
}

func (b *tripBuilder) closeStop(end time.Time) {
	b.stopped = false
	if end.Sub(b.stop.at) >= b.cfg.MinStop {
		b.stops = append(b.stops, b.stopOf(end))
	}
}

func (b *tripBuilder) closeTrip() {
	b.driving = false
	b.trips = append(b.trips, b.tripOf(&b.trip))
}

func (b *tripBuilder) stopOf(end time.Time) Stop {
	return Stop{VehicleID: b.vehicleID, StartAt: b.stop.at, EndAt: end, DurationS: int(math.Round(end.Sub(b.stop.at).Seconds())),
		Lat: b.stop.lat, Lng: b.stop.lng}
}

func (b *tripBuilder) tripOf(t *tripAcc) Trip {
	km := roundTo(t.distM/1000, 3)
	tr := Trip{VehicleID: b.vehicleID, StartAt: t.start.at, EndAt: t.end.at, DistanceKm: km,
		DurationS: int(math.Round(t.end.at.Sub(t.start.at).Seconds())), DrivingS: int(math.Round(t.driving.Seconds())),
		MaxSpeedKmh: roundTo(t.maxKmh, 1), Start: LatLng{t.start.lat, t.start.lng}, End: LatLng{t.end.lat, t.end.lng}}
	if h := t.driving.Hours(); h > 0 {
		tr.AvgSpeedKmh = roundTo(t.distM/1000/h, 1)
	}
	if t.start.hasOdo && t.end.hasOdo && t.end.odo >= t.start.odo {
		odo := roundTo(t.end.odo-t.start.odo, 1)
		tr.OdometerKm = &odo
	}
	return tr
}

// open returns the trip in progress and the stop the vehicle stands in, when there are.
func (b *tripBuilder) open() (*Trip, *Stop) {
	var t *Trip
	var s *Stop
	if b.driving {
		tr := b.tripOf(&b.trip)
		tr.Open = true
		t = &tr
	}
	if b.stopped {
		st := b.stopOf(b.last.at)
		st.Open = true
		s = &st
	}
	return t, s
}

// settledBefore reports whether nothing the builder still holds open began before t.
func (b *tripBuilder) settledBefore(t time.Time) bool {
	return !(b.stopped && b.stop.at.Before(t)) && !((b.driving || b.cand) && b.trip.start.at.Before(t))
}

// drain hands over the closed trips and stops; the slices are reused by the next points.
func (b *tripBuilder) drain() ([]Trip, []Stop) {
	t, s := b.trips, b.stops
	b.trips, b.stops = b.trips[:0], b.stops[:0]
	return t, s
}
