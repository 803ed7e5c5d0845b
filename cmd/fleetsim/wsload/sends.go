package wsload

import (
	"sync/atomic"
	"time"
)

// ringSize is how many recent reports of a terminal keep their send time: 16 reports, 80 s at
// a 5 s interval, far longer than any delivery that still counts as live.
const ringSize = 16

// sends holds, per terminal, when its recent reports were written: the start of each
// delivery's latency. One writer per terminal (the simulator's OnSend) and any number of
// readers (the clients), without locks: a slot is cleared, filled, then named by its fix time,
// and a reader trusts a slot only if its fix time is the same before and after reading it.
type sends []sendRing

type sendRing struct {
	slots [ringSize]struct{ fix, at atomic.Int64 } // fix: Unix seconds; at: Unix nanoseconds
	next  uint32                                   // the writer's
	// first is the newest fix time some client has received: a delivery of a newer one is the
	// report's first.
	first atomic.Int64
	_     [40]byte // keeps two terminals' hot fields off one cache line
}

func newSends(terminals int) sends { return make(sends, terminals) }

// put records that terminal term wrote its report of fix at at.
func (s sends) put(term int, fix int64, at time.Time) {
	r := &s[term]
	sl := &r.slots[r.next%ringSize]
	r.next++
	sl.fix.Store(0)
	sl.at.Store(at.UnixNano())
	sl.fix.Store(fix)
}

// at returns when terminal term wrote its report of fix (Unix nanoseconds), if it is still kept.
func (s sends) at(term int, fix int64) (int64, bool) {
	r := &s[term]
	for i := range r.slots {
		sl := &r.slots[i]
		if sl.fix.Load() != fix {
			continue
		}
		at := sl.at.Load()
		if sl.fix.Load() == fix {
			return at, true
		}
	}
	return 0, false
}

// between counts the kept reports of terminal term with lo < fix < hi: reports a client that
// received lo and then hi never saw.
func (s sends) between(term int, lo, hi int64) int {
	n := 0
	for i := range s[term].slots {
		if f := s[term].slots[i].fix.Load(); f > lo && f < hi {
			n++
		}
	}
	return n
}

// firstDelivery reports whether a delivery of terminal term's report of fix is the first one.
func (s sends) firstDelivery(term int, fix int64) bool {
	r := &s[term]
	for {
		f := r.first.Load()
		if fix <= f {
			return false
		}
		if r.first.CompareAndSwap(f, fix) {
			return true
		}
	}
}
