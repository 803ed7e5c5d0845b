package dispatch

import "math"

// Discrepancy compares a trip's two mileages: the odometer's (the driver's reading at return less
// the vehicle's reading at departure, which is the previous return's) and the GPS track's. A gap
// hints at a wrong reading, a terminal that was off, or driving between trips that nobody
// recorded (the odometer counts it, the next trip carries it).
type Discrepancy struct {
	Km float64 `json:"km"` // odometer km − GPS km: positive when the odometer counts more
	// Share is Km over the GPS km (0.2 = the odometer says 20 % more); null when the track has
	// no km at all.
	Share   *float64 `json:"share"`
	Flagged bool     `json:"flagged"`
}

// Threshold is when a discrepancy is flagged: its size is more than Share of the GPS km and at
// least MinKm (so a short trip's rounding and GPS noise do not flag). A track of 0 km against an
// odometer that moved at least MinKm is flagged too.
type Threshold struct {
	Share float64 `json:"share"`
	MinKm float64 `json:"min_km"`
}

// threshold is the settings' discrepancy threshold.
func (s Settings) threshold() Threshold {
	return Threshold{Share: s.DiscrepancyShare, MinKm: s.DiscrepancyMinKm}
}

// compare returns the discrepancy of the two mileages, or nil when one of them is unknown.
func (th Threshold) compare(odometerKm, gpsKm *float64) *Discrepancy {
	if odometerKm == nil || gpsKm == nil {
		return nil
	}
	gap := *odometerKm - *gpsKm
	d := &Discrepancy{Km: round2(gap)}
	if *gpsKm > 0 {
		share := math.Round(gap / *gpsKm * 1e4) / 1e4
		d.Share = &share
	}
	size := math.Abs(gap)
	d.Flagged = size >= th.MinKm && (*gpsKm <= 0 || size > th.Share**gpsKm)
	return d
}

// odometerKm is the km between two odometer readings; nil unless both are known.
func odometerKm(start, end *float64) *float64 {
	if start == nil || end == nil {
		return nil
	}
	km := round2(*end - *start)
	return &km
}
