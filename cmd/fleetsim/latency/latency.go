package sim

import (
	"math/bits"
	"sync/atomic"
	"time"
)

// Latency histogram in the manner of HDR: fixed buckets, so recording is one atomic add and
// memory does not grow with samples. Values are microseconds: exact below 64 µs, then 32
// sub-buckets per power of two (at most ~3% relative error) up to 2^40 µs (~12 days).
const (
	histSub     = 32          // sub-buckets per power of two
	histLinear  = 2 * histSub // values below this are counted exactly
	histPowers  = 35
	histBuckets = histLinear + histPowers*histSub
)

// hist counts latencies; safe for concurrent use.
type hist struct{ counts [histBuckets]atomic.Uint64 }

// histSnap is a copy of a hist's counts, for quantiles over a whole run or, as the difference of
// two snapshots, over a window.
type histSnap [histBuckets]uint64

func (h *hist) record(d time.Duration) {
	us := d.Microseconds()
	if us < 0 {
		us = 0
	}
	h.counts[histIndex(uint64(us))].Add(1)
}

func (h *hist) snapshot(dst *histSnap) {
	for i := range h.counts {
		dst[i] = h.counts[i].Load()
	}
}

func histIndex(us uint64) int {
	if us < histLinear {
		return int(us)
	}
	e := bits.Len64(us) - 6 // us>>e is in [32, 64)
	i := histLinear + (e-1)*histSub + int(us>>e-histSub)
	return min(i, histBuckets-1)
}

// histValue is the middle of bucket i, in microseconds.
func histValue(i int) uint64 {
	if i < histLinear {
		return uint64(i)
	}
	e := (i-histLinear)/histSub + 1
	m := uint64((i-histLinear)%histSub + histSub)
	return m<<e + (uint64(1)<<e)/2
}

// sub returns s minus an earlier snapshot of the same hist: the samples in between.
func (s *histSnap) sub(earlier *histSnap) histSnap {
	var d histSnap
	for i := range s {
		d[i] = s[i] - earlier[i]
	}
	return d
}

func (s *histSnap) total() uint64 {
	var n uint64
	for _, c := range s {
		n += c
	}
	return n
}

// quantile returns the q-quantile (0 < q ≤ 1); 0 when there are no samples.
func (s *histSnap) quantile(q float64) time.Duration {
	n := s.total()
	if n == 0 {
		return 0
	}
	rank := uint64(q*float64(n) + 0.5)
	rank = max(rank, 1)
	var seen uint64
	for i, c := range s {
		seen += c
		if seen >= rank {
			return time.Duration(histValue(i)) * time.Microsecond
		}
	}
	return time.Duration(histValue(histBuckets-1)) * time.Microsecond
}
