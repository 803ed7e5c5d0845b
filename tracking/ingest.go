package tracking

import (
	"context"
	"strconv"
	"time"
)

// Ingest takes points through the pipeline: validate, store, then move the live state and
// publish. It returns when the accepted points are committed, with one outcome per point; an
// error means nothing was committed, so the caller must not acknowledge (the device re-sends).
// Points of one call should belong to one device; blind-zone points are stored and raise nothing.
func (s *Service) Ingest(ctx context.Context, pts []Point) ([]Outcome, error) {
	now := s.opt.Now()
	out := make([]Outcome, len(pts))
	ok := make([]Point, 0, len(pts))
	for i := range pts {
		p := &pts[i]
		s.m.receivedBy(p.Source).Inc()
		var prev *Point
		if last, found := s.live.Last(p.VehicleID); found {
			prev = &last
		}
		if reason := check(p, prev, now, s.opt.MaxFuture, s.opt.MaxSpeedKmh); reason != "" {
			out[i].Reason = reason
			s.m.rejected.WithLabelValues(reason).Inc()
			continue
		}
		p.FixedAt = p.FixedAt.UTC()
		ok = append(ok, *p)
		out[i].Stored = true
	}
	if len(ok) == 0 {
		return out, nil
	}
	if err := s.w.submit(ctx, ok); err != nil {
		for i := range out {
			out[i] = Outcome{}
		}
		return out, err
	}
	s.m.stored.Add(float64(len(ok)))
	s.afterCommit(ctx, ok, now)
	return out, nil
}

// LivePoint is the bus form (JSON) of a point that moved a vehicle; TopicPositions carries an
// array of them.
type LivePoint struct {
	VehicleID int64     `json:"vehicle_id"`
	Lat       float64   `json:"lat"`
	Lng       float64   `json:"lng"`
	SpeedKmh  float64   `json:"speed_kmh"`
	Course    int       `json:"course"`
	ACC       bool      `json:"acc"`
	Alarm     uint32    `json:"alarm"`
	Status    uint32    `json:"status"`
	FixedAt   time.Time `json:"fixed_at"`
	Late      bool      `json:"late,omitempty"` // stored, but older than the vehicle's live position or blind-zone history
}

// afterCommit moves the live state to the newest points and publishes every committed point
// for the detectors and the live map; a point that did not move the vehicle (late, or
// blind-zone history) is marked late, and raises nothing live.
func (s *Service) afterCommit(ctx context.Context, pts []Point, now time.Time) {
	var b []byte
	n := 0
	for i := range pts {
		p := &pts[i]
		moved := s.live.update(p, now) && !p.Blind
		if moved {
			s.detect(ctx, p)
		}
		if n == 0 {
			b = append(make([]byte, 0, 170*len(pts)), '[')
		} else {
			b = append(b, ',')
		}
		b = appendLivePoint(b, p, !moved)
		n++
	}
	if n == 0 || s.bus == nil {
		return
	}
	b = append(b, ']')
	if err := s.bus.Publish(ctx, TopicPositions, b); err != nil {
		s.pubLog.warn(s.opt.Logger, "publish positions", err)
	}
}

// Touch records that a vehicle's device is online (a heartbeat).
func (s *Service) Touch(vehicleID int64) { s.live.Touch(vehicleID, s.opt.Now()) }

// appendLivePoint writes p as a LivePoint object by hand: this runs for every point, and
// encoding/json would cost a reflection walk and several allocations each time.
func appendLivePoint(b []byte, p *Point, late bool) []byte {
	b = append(b, `{"vehicle_id":`...)
	b = strconv.AppendInt(b, p.VehicleID, 10)
	b = append(b, `,"lat":`...)
	b = strconv.AppendFloat(b, p.Lat, 'f', -1, 64)
	b = append(b, `,"lng":`...)
	b = strconv.AppendFloat(b, p.Lng, 'f', -1, 64)
	b = append(b, `,"speed_kmh":`...)
	b = strconv.AppendFloat(b, p.SpeedKmh, 'f', -1, 64)
	b = append(b, `,"course":`...)
	b = strconv.AppendInt(b, int64(p.Course), 10)
	b = append(b, `,"acc":`...)
	b = strconv.AppendBool(b, p.ACC)
	b = append(b, `,"alarm":`...)
	b = strconv.AppendUint(b, uint64(p.Alarm), 10)
	b = append(b, `,"status":`...)
	b = strconv.AppendUint(b, uint64(p.Status), 10)
	b = append(b, `,"fixed_at":"`...)
	b = p.FixedAt.UTC().AppendFormat(b, time.RFC3339Nano)
	if late {
		return append(b, `","late":true}`...)
	}
	return append(b, `"}`...)
}
