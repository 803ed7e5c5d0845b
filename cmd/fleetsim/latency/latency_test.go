package latency

import (
	"math"
	"testing"
	"time"
)

func TestQuantilesWithinThreePercent(t *testing.T) {
	var h Hist
	// 1 ms to 10 s, uniform on a log scale.
	const n = 100000
	for i := range n {
		us := math.Pow(10, 3+4*float64(i)/n)
		h.Record(time.Duration(us) * time.Microsecond)
	}
	var s Snapshot
	h.Snapshot(&s)
	if s.Total() != n {
		t.Fatalf("total = %d, want %d", s.Total(), n)
	}
	for _, q := range []float64{0.5, 0.9, 0.99} {
		want := math.Pow(10, 3+4*q) // µs
		got := float64(s.Quantile(q).Microseconds())
		if math.Abs(got-want)/want > 0.03 {
			t.Errorf("p%v = %.0f µs, want %.0f ±3%%", q*100, got, want)
		}
	}
	if got := float64(s.Max().Microseconds()); math.Abs(got-1e7)/1e7 > 0.03 {
		t.Errorf("max = %.0f µs, want 10,000,000 ±3%%", got)
	}
	var empty Snapshot
	if d := empty.Quantile(0.99); d != 0 {
		t.Errorf("quantile of nothing = %v, want 0", d)
	}
	if d := empty.Max(); d != 0 {
		t.Errorf("max of nothing = %v, want 0", d)
	}
	for _, us := range []uint64{0, 63, 64, 65, 127, 128, 1 << 20, 1<<40 + 5, math.MaxUint64} {
		i := index(us)
		if i < 0 || i >= buckets {
			t.Fatalf("index(%d) = %d, out of range", us, i)
		}
		if v := value(i); us < 1<<39 && (float64(v) < float64(us)*0.97 || float64(v) > float64(us)*1.03+1) {
			t.Errorf("value of %d µs's bucket = %d", us, v)
		}
	}
}

func TestSubAndAddAreInverse(t *testing.T) {
	var h Hist
	h.Record(time.Millisecond)
	var a, b Snapshot
	h.Snapshot(&a)
	h.Record(2 * time.Second)
	h.Snapshot(&b)
	win := b.Sub(&a)
	if win.Total() != 1 || win.Quantile(1) < time.Second {
		t.Fatalf("window = %d samples, max %v; want the one 2 s sample", win.Total(), win.Quantile(1))
	}
	win.Add(&a)
	if win != b {
		t.Fatal("window + earlier != later")
	}
}
