package demo

import (
	"container/heap"
	"context"
	"fmt"
	"log/slog"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
)

// The month is played as a queue of events in time order: each step of a request happens at
// its time, through the desk, and schedules the next one.

// step is one thing that happens to a trip.
type step func(ctx context.Context, h *history, t *trip) error

// event is a step due at a time.
type event struct {
	at   time.Time
	seq  int
	trip *trip
	do   step
}

// eventQueue is a min-heap of events by time (then by when they were scheduled).
type eventQueue struct {
	items []event
	seq   int
}

func (q *eventQueue) Len() int { return len(q.items) }
func (q *eventQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if !a.at.Equal(b.at) {
		return a.at.Before(b.at)
	}
	return a.seq < b.seq
}
func (q *eventQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *eventQueue) Push(x any)    { q.items = append(q.items, x.(event)) }
func (q *eventQueue) Pop() any {
	e := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return e
}

// schedule queues a step of the trip at a time (now, if that has passed: the clock never goes
// back).
func (h *history) schedule(at time.Time, t *trip, do step) {
	if now := h.clock.now(); at.Before(now) {
		at = now
	}
	h.events.seq++
	heap.Push(&h.events, event{at: at.UTC().Truncate(time.Second), seq: h.events.seq, trip: t, do: do})
}

// play runs the events due before end in time order, the clock at each one's time. A step the
// services refuse ends its trip (the month goes on); any other error stops the history.
func (h *history) play(ctx context.Context, end time.Time) error {
	for h.events.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		e := heap.Pop(&h.events).(event)
		if e.at.After(end) || (e.trip != nil && e.trip.abandoned) {
			continue
		}
		h.clock.set(e.at)
		if err := e.do(ctx, h, e.trip); err != nil {
			if !refused(err) {
				return err
			}
			if err := h.abandon(ctx, e.trip, err); err != nil {
				return err
			}
		}
	}
	// The last trips close as they would once their vehicles have been silent a while.
	h.clock.set(end)
	h.track.CloseSilentTrips(ctx)
	return h.tally(ctx)
}

// abandon ends a trip whose step the services refused: the month goes on without it, and the
// dispatcher cancels its request if it is still open (none should be: the tests count them).
func (h *history) abandon(ctx context.Context, t *trip, why error) error {
	h.res.Abandoned++
	h.opt.Logger.Warn("demo history: a step was refused", slog.Int64("request_id", t.idOrZero()), slog.Any("error", why))
	if t == nil || t.id == 0 {
		return nil
	}
	t.abandoned = true
	_, err := h.desk.CancelRequest(ctx, h.dispatcher, t.id, dispatch.CancelInput{Reason: "行程取消"})
	if refused(err) {
		return nil // over already, or gone too far to cancel
	}
	return err
}

// later is a time d after the clock, give or take: lo to hi minutes.
func (h *history) later(lo, hi int) time.Time {
	return h.clock.now().Add(time.Duration(lo+h.rng.IntN(hi-lo+1)) * time.Minute)
}

// tally counts the requests by status.
func (h *history) tally(ctx context.Context) error {
	page := fleet.Page{Limit: fleet.MaxLimit}
	for {
		rs, total, err := h.desk.ListRequests(ctx, auth.System, dispatch.RequestFilter{Page: page})
		if err != nil {
			return err
		}
		for _, r := range rs {
			h.res.Requests[r.Status]++
		}
		page.Offset += len(rs)
		if len(rs) == 0 || int64(page.Offset) >= total {
			return nil
		}
	}
}

// ingest stores a drive's points through the pipeline; all of them must be taken.
func (h *history) ingest(ctx context.Context, d *tracker) error {
	out, err := h.track.Ingest(ctx, d.points)
	if err != nil {
		return err
	}
	for i, o := range out {
		if !o.Stored {
			return fmt.Errorf("point %d of vehicle %d at %s refused: %s", i, d.vehicleID, d.points[i].FixedAt.Format(time.RFC3339), o.Reason)
		}
	}
	h.res.Points += len(d.points)
	return nil
}
