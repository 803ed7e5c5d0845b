package sim

import (
	"time"

	"fleet/tracking/jt808"
)

// pending is one point a terminal keeps until the platform acknowledges it, as a real terminal
// keeps its unacknowledged and blind-zone reports. It holds the wire values, not a
// jt808.Location, to stay small (a terminal may hold hundreds through an outage).
type pending struct {
	at      int64 // fix time, Unix seconds
	lat     float64
	lng     float64
	mileage float64 // odometer, km
	alarm   uint32
	status  uint32
	speed   float32 // km/h
	course  uint16
	alt     int16 // metres
	sats    uint8

	// In flight: the frame that carries the point. gen is the connection it was written on;
	// 0 means not in flight (never sent, or its connection was lost).
	gen    uint32
	serial uint16
	msgID  uint16 // MsgLocation or MsgBatch
	tries  uint8  // re-sends of this frame
	sent   bool   // counted in stats.sent
	// firstAt is when the frame was first written (latency is measured from it); lastAt when it
	// was last written (the re-send timer runs from it).
	firstAt time.Time
	lastAt  time.Time
}

// location fills l with the point, for the encoder.
func (p *pending) location(l *jt808.Location) {
	*l = jt808.Location{Alarm: p.alarm, Status: p.status, Lat: p.lat, Lng: p.lng, Altitude: int(p.alt),
		SpeedKmh: float64(p.speed), Course: p.course, Time: time.Unix(p.at, 0),
		Items: jt808.Items{Mileage: p.mileage, HasMileage: true, Satellites: p.sats, HasSatellites: true}}
}

// batchSize is the most points in one 0x0704: each item takes 2 + 28 + 6 (mileage) + 3
// (satellites) bytes, and a body holds at most 1023.
const batchSize = 25

func (t *terminal) inFlight(p *pending) bool { return p.gen != 0 && p.gen == t.gen }
