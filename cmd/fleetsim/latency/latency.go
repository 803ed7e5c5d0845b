// Package latency counts latencies in a fixed-bucket histogram, for fleetsim's ack times and
// wsload's delivery times.
package latency

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Latency histogram in the manner of HDR: fixed buckets, so recording is one atomic add and
// memory does not grow with samples. Values are microseconds: exact below 64 µs, then 32
// sub-buckets per power of two (at most ~3% relative error) up to 2^40 µs (~12 days).
const (
	sub     = 32 // sub-buckets per power of two
	linear  = 2 * sub
	powers  = 35
	buckets = linear + powers*sub
)

// Hist counts latencies; safe for concurrent use. The zero value is empty and ready.
type Hist struct{ counts [buckets]atomic.Uint64 }

// Snapshot is a copy of a Hist's counts, for quantiles over a whole run or, as the difference
// of two snapshots, over a window.
type Snapshot [buckets]uint64

// Record counts one latency; a negative one counts as 0.
func (h *Hist) Record(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	h.counts[index(uint64(us))].Add(1)
}

// Snapshot copies the counts into dst.
func (h *Hist) Snapshot(dst *Snapshot) {
	for i := range h.counts {
		dst[i] = h.counts[i].Load()
	}
}

func index(us uint64) int {
	if us < linear {
		return int(us)
	}
	e := bits.Len64(us) - 6 // us>>e is in [32, 64)
	i := linear + (e-1)*sub + int(us>>e-sub)
	return min(i, buckets-1)
}

// value is the middle of bucket i, in microseconds.
func value(i int) uint64 {
	if i < linear {
		return uint64(i)
	}
	e := (i-linear)/sub + 1
	m := uint64((i-linear)%sub + sub)
	return m<<e + (uint64(1)<<e)/2
}

// Sub returns s minus an earlier snapshot of the same Hist: the samples in between.
func (s *Snapshot) Sub(earlier *Snapshot) Snapshot {
	var d Snapshot
	for i := range s {
		d[i] = s[i] - earlier[i]
	}
	return d
}

// Add adds the counts of o to s, to merge histograms.
func (s *Snapshot) Add(o *Snapshot) {
	for i := range s {
		s[i] += o[i]
	}
}

// Total is the number of samples.
func (s *Snapshot) Total() uint64 {
	var n uint64
	for _, c := range s {
		n += c
	}
	return n
}

// Quantile returns the q-quantile (0 < q ≤ 1); 0 when there are no samples.
func (s *Snapshot) Quantile(q float64) time.Duration {
	n := s.Total()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range s {
		seen += c
		if seen >= rank {
			return time.Duration(value(i)) * time.Microsecond
		}
	}
	return time.Duration(value(buckets-1)) * time.Microsecond
}

// Max returns the largest sample (the middle of its bucket); 0 when there are none.
func (s *Snapshot) Max() time.Duration {
	for i := buckets - 1; i >= 0; i-- {
		if s[i] > 0 {
			return time.Duration(value(i)) * time.Microsecond
		}
	}
	return 0
}
