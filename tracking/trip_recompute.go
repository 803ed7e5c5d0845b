package tracking

import (
	"context"
	"fmt"
	"time"

	"fleet"
)

// recomputeChunk is how many stored points RecomputeTrips reads at a time.
const recomputeChunk = 5000

// recomputeLookahead bounds how far past the period RecomputeTrips reads to see its last trip
// or stop end.
const recomputeLookahead = 31 * 24 * time.Hour

// RecomputeTrips rebuilds the vehicle's trips and stops of [from, to) from the stored points
// (blind-zone history included), replacing what was stored, and brings the figures of the days
// concerned up to date. The period grows to whole trips and stops at both ends; the live builder
// is dropped and primes itself again from the result at the vehicle's next point.
func (s *Service) RecomputeTrips(ctx context.Context, vehicleID int64, from, to time.Time) error {
	from, to = from.UTC(), to.UTC()
	if !to.After(from) {
		return fleet.Invalid(map[string]string{"to": "must be after from"})
	}
	lo, hi, err := s.tripBounds(ctx, vehicleID, from, to)
	if err != nil {
		return err
	}
	if days := s.opt.RetentionDays; days > 0 {
		// Older points are gone: a recompute there would only delete.
		if cutoff := s.opt.Now().AddDate(0, 0, -days); lo.Before(cutoff) {
			return fleet.Invalid(map[string]string{"from": fmt.Sprintf("points before %s are no longer kept (retention %d days)",
				cutoff.Format(time.RFC3339), days)})
		}
	}
	b, err := s.primeTrips(ctx, vehicleID, lo)
	if err != nil {
		return err
	}
	b.drain() // closed before the period: not ours to replace
	var trips []Trip
	var stops []Stop
	// Each closed trip or stop that starts in the period is kept; one that runs past its end
	// stretches the period, so that what it overlaps is replaced too.
	collect := func() {
		ts, ss := b.drain()
		for _, t := range ts {
			if !t.StartAt.Before(lo) && t.StartAt.Before(hi) {
				trips = append(trips, t)
				if t.EndAt.After(hi) {
					hi = t.EndAt
				}
			}
		}
		for _, st := range ss {
			if !st.StartAt.Before(lo) && st.StartAt.Before(hi) {
				stops = append(stops, st)
				if st.EndAt.After(hi) {
					hi = st.EndAt
				}
			}
		}
	}
	end := hi.Add(recomputeLookahead)
	var buf []Point
	cursor := lo
	for {
		buf, err = s.positionsFrom(ctx, vehicleID, cursor, end, recomputeChunk, buf)
		if err != nil {
			return err
		}
		done := false
		for i := range buf {
			b.add(&buf[i])
			collect()
			if !buf[i].FixedAt.Before(hi) && b.settledBefore(hi) {
				done = true
				break
			}
		}
		if done || len(buf) < recomputeChunk {
			break
		}
		cursor = buf[len(buf)-1].FixedAt.Add(time.Millisecond) // points are stored to the millisecond
	}
	if err := s.replaceTrips(ctx, vehicleID, lo, hi, trips, stops); err != nil {
		return err
	}
	s.tripStates().forget(vehicleID)
	return nil
}
