package sim

import (
	"math"
	"testing"
	"time"
)

func TestHistQuantilesWithinThreePercent(t *testing.T) {
	var h hist
	// 1 ms to 10 s, uniform on a log scale.
	const n = 100000
	for i := range n {
		us := math.Pow(10, 3+4*float64(i)/n)
		h.record(time.Duration(us) * time.Microsecond)
	}
	var s histSnap
	h.snapshot(&s)
	if s.total() != n {
		t.Fatalf("total = %d, want %d", s.total(), n)
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := math.Pow(10, 3+4*q) // µs
		got := float64(s.quantile(q).Microseconds())
		if math.Abs(got-want)/want > 0.03 {
			t.Errorf("p%v = %.0f µs, want %.0f ±3%%", q*100, got, want)
		}
	}
	var empty histSnap
	if d := empty.quantile(0.99); d != 0 {
		t.Errorf("quantile of nothing = %v, want 0", d)
	}
	for _, us := range []uint64{0, 63, 64, 65, 127, 128, 1 << 20, 1<<40 + 5, math.MaxUint64} {
		i := histIndex(us)
		if i < 0 || i >= histBuckets {
			t.Fatalf("histIndex(%d) = %d, out of range", us, i)
		}
		if v := histValue(i); us < 1<<39 && (float64(v) < float64(us)*0.97 || float64(v) > float64(us)*1.03+1) {
			t.Errorf("value of %d µs's bucket = %d", us, v)
		}
	}
}
