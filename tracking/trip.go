package tracking

import (
	"math"
	"time"
)

// Trip is a vehicle's drive from one stop to the next. Distance sums the valid steps between its
// points (GPS jitter while slow and impossible jumps left out); the odometer delta is the
// terminal's own mileage item, when both ends carry one.
type Trip struct {
	VehicleID   int64     `json:"vehicle_id"`
	StartAt     time.Time `json:"start_at"` // the first moving tripFix
	EndAt       time.Time `json:"end_at"`   // the first tripFix at rest (or the last before a silence)
	DistanceKm  float64   `json:"distance_km"`
	DurationS   int       `json:"duration_s"`
	DrivingS    int       `json:"driving_s"`     // time of the steps in motion (pauses shorter than a stop excluded)
	MaxSpeedKmh float64   `json:"max_speed_kmh"` // the terminal's speed; the step's own when it reports none
	AvgSpeedKmh float64   `json:"avg_speed_kmh"` // distance over driving time
	OdometerKm  *float64  `json:"odometer_km"`   // mileage item, end minus start; null when unknown
	Start       LatLng    `json:"start"`
	End         LatLng    `json:"end"`
	Open        bool      `json:"open"` // in progress: not stored yet, its end is the latest tripFix
}

// Stop is a time the vehicle stood still for at least TripOptions.MinStop.
type Stop struct {
	VehicleID int64     `json:"vehicle_id"`
	StartAt   time.Time `json:"start_at"` // the trip's end before it
	EndAt     time.Time `json:"end_at"`   // the next trip's start
	DurationS int       `json:"duration_s"`
	Lat       float64   `json:"lat"`
	Lng       float64   `json:"lng"`
	Open      bool      `json:"open"` // the vehicle is standing there now (its end is the latest tripFix)
}

// LatLng is a WGS-84 position.
type LatLng struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// TripList is a vehicle's trips and stops in a period, oldest first.
type TripList struct {
	Trips []Trip `json:"trips"`
	Stops []Stop `json:"stops"`
}

// TripOptions tune trip and stop detection; the zero value gets Traccar's defaults.
type TripOptions struct {
	MinTripDistanceM   float64       // a trip covers at least this; default 200 m
	MinTripDuration    time.Duration // and lasts at least this; default 180 s
	MinStop            time.Duration // standing still this long ends a trip; default 300 s
	MaxGap             time.Duration // a silence this long ends a trip; default 30 min
	MotionSpeedKmh     float64       // a tripFix faster than this is moving; default 5 km/h
	JitterM            float64       // a step shorter than this while slow adds no distance; default 10 m
	StillRadiusM       float64       // a vehicle at rest that is found farther than this from where it stopped moved; default 50 m
	MaxSegmentSpeedKmh float64       // a step implying more than this is a jump and adds no distance; default 220 km/h
}

func (o TripOptions) withDefaults() TripOptions {
	if o.MinTripDistanceM <= 0 {
		o.MinTripDistanceM = 200
	}
	if o.MinTripDuration <= 0 {
		o.MinTripDuration = 180 * time.Second
	}
	if o.MinStop <= 0 {
		o.MinStop = 300 * time.Second
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 30 * time.Minute
	}
	if o.MotionSpeedKmh <= 0 {
		o.MotionSpeedKmh = 5
	}
	if o.JitterM <= 0 {
		o.JitterM = 10
	}
	if o.StillRadiusM <= 0 {
		o.StillRadiusM = 50
	}
	if o.MaxSegmentSpeedKmh <= 0 {
		o.MaxSegmentSpeedKmh = 220
	}
	return o
}

// tripOptions are the service's trip settings. Options has no Trips field yet: until it does,
// the defaults apply, with the pipeline's implied-speed limit for jumps.
func (s *Service) tripOptions() TripOptions {
	o := s.opt.Trips
	if o.MaxSegmentSpeedKmh <= 0 {
		o.MaxSegmentSpeedKmh = s.opt.MaxSpeedKmh
	}
	return o.withDefaults()
}

func roundTo(v float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(v*p) / p
}
