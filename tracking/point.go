// Package tracking takes every position, whatever its source, through one pipeline: validate,
// store (acknowledged only after commit), keep the live state and publish for the detectors
// and the live map.
package tracking

import "time"

// Source says where a point came from.
type Source uint8

// Sources of points.
const (
	SourceJT808  Source = 1 // a JT/T 808 terminal
	SourceHTTP   Source = 2 // the JSON ingest API
	SourceOsmAnd Source = 3 // a phone running an OsmAnd-protocol client (Traccar Client)
	SourcePhone  Source = 4 // the driver's phone on a task, signed in to the console (Geolocation API)
)

func (s Source) String() string {
	switch s {
	case SourceJT808:
		return "jt808"
	case SourceHTTP:
		return "http"
	case SourceOsmAnd:
		return "osmand"
	case SourcePhone:
		return "phone"
	}
	return "unknown"
}

// Point is one position report of a vehicle. Coordinates are WGS-84.
type Point struct {
	VehicleID  int64
	FixedAt    time.Time // UTC; the fix time reported by the device
	Lat, Lng   float64   // degrees
	SpeedKmh   float64
	Course     int // degrees clockwise from north, 0-359
	Altitude   int // metres
	ACC        bool
	Alarm      uint32 // JT/T 808 alarm bits (0 for other sources)
	Status     uint32 // JT/T 808 status bits
	MileageKm  float64
	HasMileage bool
	FuelL      float64
	HasFuel    bool
	Positioned bool // the device had a fix
	Blind      bool // blind-zone history (0x0704 type 1): stored, raises nothing live
	Source     Source
}

// Reject reasons, the label of the rejected-points counter.
const (
	ReasonNotPositioned = "not_positioned"
	ReasonZero          = "zero_coordinates"
	ReasonOutOfRange    = "out_of_range"
	ReasonFuture        = "future_time"
	ReasonTooOld        = "before_2000"
	ReasonSpeed         = "implied_speed"
	ReasonUnknown       = "unknown_vehicle"
)

// Outcome is what the pipeline did with one point.
type Outcome struct {
	Stored bool   // committed (or already stored: a re-sent point)
	Reason string // why it was rejected, when not Stored
}
