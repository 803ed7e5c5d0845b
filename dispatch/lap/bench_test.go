package lap_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"fleet/dispatch/lap"
)

// benchInstances are the benchmarks' matrices: uniform costs in [0, 100) and distances in km
// between random points in the county box.
func benchInstances(n, m int) map[string][][]float64 {
	return map[string][][]float64{
		"uniform":    matrix(rand.New(rand.NewPCG(1, 1)), n, m, "uniform", 0),
		"geographic": geographic(rand.New(rand.NewPCG(1, 2)), n, m, 0),
	}
}

// loop runs solve b.N times and reports wall and CPU milliseconds per call beside ns/op.
func loop(b *testing.B, solve func() error) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if err := solve(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// BenchmarkSolve1000x1000: the target is ≤ 100 ms per solve. "flat" is SolveFlat on a
// reused Solver (the hot path), "rows" Solve on [][]float64 (one copy of the matrix more).
func BenchmarkSolve1000x1000(b *testing.B) {
	const n = 1000
	instances := benchInstances(n, n)
	for _, name := range []string{"uniform", "geographic"} {
		cost := instances[name]
		f := flat(cost)
		b.Run(name+"/flat", func(b *testing.B) {
			var s lap.Solver
			loop(b, func() error { _, _, err := s.SolveFlat(n, n, f); return err })
		})
		b.Run(name+"/rows", func(b *testing.B) {
			var s lap.Solver
			loop(b, func() error { _, _, err := s.Solve(cost); return err })
		})
	}
}

// BenchmarkSolveRectangular: more candidates than requests, the other way round, and nearly
// square (padded to square inside).
func BenchmarkSolveRectangular(b *testing.B) {
	for _, size := range [][2]int{{500, 1000}, {1000, 500}, {999, 1000}} {
		n, m := size[0], size[1]
		instances := benchInstances(n, m)
		for _, name := range []string{"uniform", "geographic"} {
			f := flat(instances[name])
			b.Run(fmt.Sprintf("%dx%d/%s", n, m, name), func(b *testing.B) {
				var s lap.Solver
				loop(b, func() error { _, _, err := s.SolveFlat(n, m, f); return err })
			})
		}
	}
}

func BenchmarkGreedy1000x1000(b *testing.B) {
	instances := benchInstances(1000, 1000)
	for _, name := range []string{"uniform", "geographic"} {
		b.Run(name, func(b *testing.B) {
			loop(b, func() error { lap.Greedy(instances[name]); return nil })
		})
	}
}
