package tracking

import (
	"context"
	"time"
)

// watchOnline raises offline for vehicles silent for Options.OfflineAfter and online when they
// speak again; it checks every interval until ctx ends.
func (s *Service) watchOnline(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.CheckOnline(ctx)
			s.CloseSilentTrips(ctx)
		}
	}
}

// CheckOnline compares each vehicle's silence with the offline threshold. Only vehicles this
// instance has heard since it started are judged, so several instances do not repeat each
// other's events.
func (s *Service) CheckOnline(ctx context.Context) {
	now := s.opt.Now()
	type change struct {
		p      Point
		online bool
	}
	var changes []change
	s.live.mu.Lock()
	for id, e := range s.live.last {
		if e.seen.IsZero() || e.p.FixedAt.IsZero() {
			continue
		}
		online := now.Sub(e.seen) < s.live.offlineAfter
		if online == e.reportedOnline && e.judged {
			continue
		}
		wasJudged := e.judged
		e.reportedOnline, e.judged = online, true
		if !wasJudged && online {
			continue // first sight after start: online is the assumption, not news
		}
		p := e.p
		p.VehicleID = id
		p.FixedAt = now
		if !online {
			p.FixedAt = e.seen.Add(s.live.offlineAfter)
		}
		changes = append(changes, change{p, online})
	}
	s.live.mu.Unlock()
	for _, c := range changes {
		typ := EventOffline
		if c.online {
			typ = EventOnline
		}
		s.raise(ctx, typ, &c.p, true, nil)
	}
}
