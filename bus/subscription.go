package bus

import (
	"errors"
	"slices"
	"sync/atomic"
)

// Subscription receives the messages published on its topics until it is closed.
type Subscription struct {
	ch      chan Message
	topics  []string
	dropped atomic.Uint64
	closed  bool                // guarded by the owning hub's mu
	release func(*Subscription) // detaches from the bus that made it
}

// newSubscription checks and deduplicates topics and makes a subscription buffering buffer
// messages.
func newSubscription(topics []string, buffer int) (*Subscription, error) {
	if len(topics) == 0 {
		return nil, errors.New("bus: subscribe: no topic")
	}
	ts := slices.Clone(topics)
	slices.Sort(ts)
	ts = slices.Compact(ts)
	if ts[0] == "" {
		return nil, errors.New("bus: subscribe: empty topic")
	}
	return &Subscription{ch: make(chan Message, buffer), topics: ts}, nil
}

// C returns the channel the messages arrive on; it is closed when the subscription or its bus is.
func (s *Subscription) C() <-chan Message { return s.ch }

// Topics returns the topics subscribed to, sorted.
func (s *Subscription) Topics() []string { return slices.Clone(s.topics) }

// Dropped returns how many messages were lost because the buffer was full.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close stops delivery and closes C. Messages already buffered can still be read. It is safe to
// call more than once.
func (s *Subscription) Close() { s.release(s) }

// deliver queues m without ever waiting: a full buffer drops m and counts it.
func (s *Subscription) deliver(m Message) {
	select {
	case s.ch <- m:
	default:
		s.dropped.Add(1)
	}
}
