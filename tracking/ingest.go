package tracking

import (
	"context"
	"encoding/json"
	"log/slog"
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
		s.m.received.WithLabelValues(p.Source.String()).Inc()
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

// livePoint is the bus form of a point that moved a vehicle.
type livePoint struct {
	VehicleID int64     `json:"vehicle_id"`
	Lat       float64   `json:"lat"`
	Lng       float64   `json:"lng"`
	SpeedKmh  float64   `json:"speed_kmh"`
	Course    int       `json:"course"`
	ACC       bool      `json:"acc"`
	Alarm     uint32    `json:"alarm"`
	Status    uint32    `json:"status"`
	FixedAt   time.Time `json:"fixed_at"`
}

// afterCommit moves the live state to the newest points and publishes them for the detectors
// and the live map. Late and blind-zone points are stored only.
func (s *Service) afterCommit(ctx context.Context, pts []Point, now time.Time) {
	var moved []livePoint
	for i := range pts {
		p := &pts[i]
		if !s.live.update(p, now) || p.Blind {
			continue
		}
		moved = append(moved, livePoint{VehicleID: p.VehicleID, Lat: p.Lat, Lng: p.Lng, SpeedKmh: p.SpeedKmh,
			Course: p.Course, ACC: p.ACC, Alarm: p.Alarm, Status: p.Status, FixedAt: p.FixedAt})
	}
	if len(moved) == 0 || s.bus == nil {
		return
	}
	b, _ := json.Marshal(moved)
	if err := s.bus.Publish(ctx, TopicPositions, b); err != nil {
		s.opt.Logger.Warn("publish positions", slog.Any("error", err))
	}
}

// Touch records that a vehicle's device is online (a heartbeat).
func (s *Service) Touch(vehicleID int64) { s.live.Touch(vehicleID, s.opt.Now()) }
