package tracking

import (
	"math"
	"time"
)

var year2000 = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// The altitudes a vehicle can report, in metres: the Dead Sea shore to above any road.
const (
	minAltitude = -1000
	maxAltitude = 10000
)

// check returns why p must be rejected, or "". prev is the vehicle's latest known point (nil if
// none); the implied-speed check applies only to points newer than it.
func check(p *Point, prev *Point, now time.Time, maxFuture time.Duration, maxSpeedKmh float64) string {
	switch {
	case !p.Positioned:
		return ReasonNotPositioned
	case p.Lat == 0 && p.Lng == 0:
		return ReasonZero
	case math.IsNaN(p.Lat) || math.IsNaN(p.Lng) || p.Lat < -90 || p.Lat > 90 || p.Lng < -180 || p.Lng > 180 ||
		p.SpeedKmh < 0 || p.SpeedKmh > 1000 || math.IsNaN(p.SpeedKmh) ||
		p.Altitude < minAltitude || p.Altitude > maxAltitude: // beyond an INT column, one bad point would fail the whole batch forever
		return ReasonOutOfRange
	case p.FixedAt.After(now.Add(maxFuture)):
		return ReasonFuture
	case p.FixedAt.Before(year2000):
		return ReasonTooOld
	}
	if prev != nil && p.FixedAt.After(prev.FixedAt) && maxSpeedKmh > 0 {
		hours := p.FixedAt.Sub(prev.FixedAt).Hours()
		km := Distance(prev.Lat, prev.Lng, p.Lat, p.Lng) / 1000
		// Allow a small jump at any interval: GPS noise of a parked car is not a 300 km/h trip.
		if km > 0.5 && km/hours > maxSpeedKmh {
			return ReasonSpeed
		}
	}
	return ""
}

// Distance is the great-circle distance in metres between two WGS-84 points.
func Distance(lat1, lng1, lat2, lng2 float64) float64 {
	const r = 6371008.8 // mean Earth radius, m
	φ1, φ2 := lat1*math.Pi/180, lat2*math.Pi/180
	dφ, dλ := φ2-φ1, (lng2-lng1)*math.Pi/180
	a := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
