package tracking

import (
	"context"
	"time"
)

// overspeedState is a vehicle's current overspeed episode.
type overspeedState struct {
	since   time.Time // first point above the limit; zero when not above
	peak    float64
	limit   float64
	eventID int64 // raised once the episode lasted Options.OverspeedFor
}

// detectOverspeed raises one event per episode above the vehicle's limit (its class's, or a
// lower one of a geofence it is in) that lasts at least Options.OverspeedFor, and closes it with
// the peak speed when the speed comes back under the limit.
func detectOverspeed(ctx context.Context, s *Service, st *vstate, p *Point) {
	limit := s.speedLimit(ctx, st, p)
	o := &st.over
	if p.SpeedKmh <= limit {
		if o.eventID != 0 {
			s.end(ctx, o.eventID, p, map[string]any{"peak_kmh": o.peak, "limit_kmh": o.limit, "since": o.since})
		}
		*o = overspeedState{}
		return
	}
	if o.since.IsZero() {
		*o = overspeedState{since: p.FixedAt, limit: limit}
	}
	if p.SpeedKmh > o.peak {
		o.peak = p.SpeedKmh
	}
	if o.eventID == 0 && p.FixedAt.Sub(o.since) >= s.opt.OverspeedFor {
		start := *p
		start.FixedAt = o.since
		o.eventID = s.raise(ctx, EventOverspeed, &start, false, map[string]any{"peak_kmh": o.peak, "limit_kmh": o.limit})
	}
}

// speedLimit is the limit for the vehicle at the point: its class's (default 100 km/h), lowered
// by any geofence it is inside that sets its own.
func (s *Service) speedLimit(ctx context.Context, st *vstate, p *Point) float64 {
	limit := s.classLimit(ctx, p.VehicleID)
	if s.fenceLimit != nil {
		if l, ok := s.fenceLimit(st, p); ok && l < limit {
			limit = l
		}
	}
	return limit
}
