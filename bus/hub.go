package bus

import (
	"slices"
	"sync"
)

// hub fans messages out to the local subscriptions of a topic; both buses deliver through one.
//
// Deliveries hold the read lock and closing takes the write lock, so a channel is never sent on
// after it is closed; a delivery never waits for a subscriber.
type hub struct {
	mu     sync.RWMutex
	closed bool
	topics map[string][]*Subscription
}

func newHub() *hub {
	return &hub{topics: make(map[string][]*Subscription)}
}

// publish delivers m to every subscription on m.Topic.
func (h *hub) publish(m Message) error {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return ErrClosed
	}
	for _, s := range h.topics[m.Topic] {
		s.deliver(m)
	}
	return nil
}

// add attaches s and returns the topics that had no subscription before.
func (h *hub) add(s *Subscription) (added []string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, ErrClosed
	}
	for _, t := range s.topics {
		if len(h.topics[t]) == 0 {
			added = append(added, t)
		}
		h.topics[t] = append(h.topics[t], s)
	}
	return added, nil
}

// remove detaches s, closes its channel and returns the topics left without a subscription. It
// does nothing for a subscription already closed.
func (h *hub) remove(s *Subscription) (emptied []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.ch)
	for _, t := range s.topics {
		subs := slices.DeleteFunc(h.topics[t], func(x *Subscription) bool { return x == s })
		if len(subs) == 0 {
			delete(h.topics, t)
			emptied = append(emptied, t)
			continue
		}
		h.topics[t] = subs
	}
	return emptied
}

// isClosed reports whether close was called.
func (h *hub) isClosed() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.closed
}

// close closes every subscription and refuses further use.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	for _, subs := range h.topics {
		for _, s := range subs {
			if !s.closed {
				s.closed = true
				close(s.ch)
			}
		}
	}
	clear(h.topics)
}
