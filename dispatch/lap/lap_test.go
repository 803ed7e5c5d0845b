package lap_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"fleet/dispatch/lap"
)

// TestSolveMatchesBruteForce covers every shape from 0×0 to 6×6, square and rectangular, with
// no, some, most and only infeasible pairs, against every partial assignment; and again with
// every rectangular problem padded to square, as Solve does with near-square ones.
func TestSolveMatchesBruteForce(t *testing.T) {
	t.Run("as is", func(t *testing.T) { testBruteForce(t, 20) })
	t.Run("padded", func(t *testing.T) {
		defer lap.PadAlways()()
		testBruteForce(t, 10)
	})
}

// testBruteForce runs seeds matrices of each kind and share of infeasible pairs per shape
// (-short: 3).
func testBruteForce(t *testing.T, seeds int) {
	var s lap.Solver // one Solver through every shape: buffers reused across sizes
	kinds := []string{"uniform", "ties", "int", "signed", "huge"}
	pInfs := []float64{0, 0.2, 0.5, 0.8, 1}
	if testing.Short() {
		seeds = 3
	}
	for n := 0; n <= 6; n++ {
		for m := 0; m <= 6; m++ {
			t.Run(fmt.Sprintf("%dx%d", n, m), func(t *testing.T) {
				for _, kind := range kinds {
					for _, pInf := range pInfs {
						for seed := range seeds {
							rng := rand.New(rand.NewPCG(uint64(seed), uint64(n*7+m)))
							cost := matrix(rng, n, m, kind, pInf)
							name := fmt.Sprintf("%s pInf=%v seed=%d %v", kind, pInf, seed, cost)
							rowToCol, total, err := s.Solve(cost)
							if err != nil {
								t.Fatalf("%s: %v", name, err)
							}
							count := checkValid(t, cost, rowToCol, total)
							want := bruteForce(cost)
							if count != want.count || !near(total, want.total) {
								t.Fatalf("%s: got %d assigned for %v, want %d for %v (%v)",
									name, count, total, want.count, want.total, rowToCol)
							}
							if pInf == 0 && count != min(n, m) {
								t.Fatalf("%s: got %d assigned, want all %d", name, count, min(n, m))
							}
							flatCols, flatTotal, err := s.SolveFlat(n, m, flat(cost))
							if err != nil || flatTotal != total || fmt.Sprint(flatCols) != fmt.Sprint(rowToCol) {
								t.Fatalf("%s: SolveFlat = %v, %v, %v; Solve = %v, %v",
									name, flatCols, flatTotal, err, rowToCol, total)
							}
						}
					}
				}
			})
		}
	}
}

// TestSolveMatchesHungarian checks sizes beyond brute force against an independent solver,
// among them near-square shapes (which Solve pads to square) and infeasible pairs.
func TestSolveMatchesHungarian(t *testing.T) {
	var s lap.Solver
	sizes := [][2]int{{20, 20}, {19, 20}, {20, 19}, {50, 50}, {40, 90}, {90, 40},
		{99, 100}, {100, 99}, {100, 100}, {190, 200}}
	for _, size := range sizes {
		for _, kind := range []string{"uniform", "signed", "geographic", "int", "ties"} {
			for _, pInf := range []float64{0, 0.3, 0.95} {
				if pInf > 0 && kind != "int" && kind != "ties" {
					continue // the reference is exact on integers only
				}
				for seed := range 3 {
					n, m := size[0], size[1]
					t.Run(fmt.Sprintf("%dx%d/%s/pInf=%v/%d", n, m, kind, pInf, seed), func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(seed), 99))
						var cost [][]float64
						if kind == "geographic" {
							cost = geographic(rng, n, m, 0)
						} else {
							cost = matrix(rng, n, m, kind, pInf)
						}
						rowToCol, total, err := s.Solve(cost)
						if err != nil {
							t.Fatal(err)
						}
						count := checkValid(t, cost, rowToCol, total)
						var want best
						if pInf > 0 {
							want = lexHungarian(cost)
						} else {
							ref := cost
							if n > m {
								ref = transpose(cost)
							}
							want = best{min(n, m), hungarian(ref)}
						}
						if count != want.count || !near(total, want.total) {
							t.Fatalf("got %d assigned for %v, want %d for %v", count, total, want.count, want.total)
						}
					})
				}
			}
		}
	}
}

// TestSolveNeverWorseThanGreedy is the guarantee on random instances: never fewer
// assignments than greedy nearest-first and, with as many, never a larger total.
func TestSolveNeverWorseThanGreedy(t *testing.T) {
	var s lap.Solver
	for _, size := range [][2]int{{50, 50}, {200, 300}, {300, 200}} {
		for _, kind := range []string{"uniform", "ties", "signed", "geographic"} {
			for _, pInf := range []float64{0, 0.3, 0.9} {
				for seed := range 4 {
					n, m := size[0], size[1]
					t.Run(fmt.Sprintf("%dx%d/%s/pInf=%v/%d", n, m, kind, pInf, seed), func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(seed), 7))
						var cost [][]float64
						if kind == "geographic" {
							cost = geographic(rng, n, m, pInf)
						} else {
							cost = matrix(rng, n, m, kind, pInf)
						}
						rowToCol, total, err := s.Solve(cost)
						if err != nil {
							t.Fatal(err)
						}
						count := checkValid(t, cost, rowToCol, total)
						gCols, gTotal := lap.Greedy(cost)
						gCount := checkValid(t, cost, gCols, gTotal)
						switch {
						case count < gCount:
							t.Fatalf("got %d assigned, greedy %d", count, gCount)
						case count == gCount && total > gTotal+1e-9*math.Abs(gTotal):
							t.Fatalf("got total %v, greedy %v", total, gTotal)
						}
						if pInf == 0 && count != min(n, m) {
							t.Fatalf("got %d assigned, want %d", count, min(n, m))
						}
					})
				}
			}
		}
	}
}

func TestSolveDegenerate(t *testing.T) {
	inf := lap.Inf
	tests := []struct {
		name      string
		cost      [][]float64
		wantCols  []int
		wantTotal float64
	}{
		{"0x0", [][]float64{}, []int{}, 0},
		{"nil", nil, []int{}, 0},
		{"1x0", [][]float64{{}}, []int{-1}, 0},
		{"3x0", [][]float64{{}, {}, {}}, []int{-1, -1, -1}, 0},
		{"1x1", [][]float64{{4}}, []int{0}, 4},
		{"1x1 infeasible", [][]float64{{inf}}, []int{-1}, 0},
		{"all Inf", [][]float64{{inf, inf, inf}, {inf, inf, inf}}, []int{-1, -1}, 0},
		{"one row Inf", [][]float64{{1, 2}, {inf, inf}, {2, 1}}, []int{0, -1, 1}, 2},
		{"all equal", [][]float64{{7, 7, 7}, {7, 7, 7}, {7, 7, 7}}, nil, 21},
		{"zero", [][]float64{{0, 0}, {0, 0}}, nil, 0},
		// Row 0 reaches column 0 first; row 1 needs it more. The count is equal either way, so
		// the cheaper one wins: a solver that skips a row with no augmenting path returns 10.
		{"rows competing for one column", [][]float64{{10}, {1}}, []int{-1, 0}, 1},
		{"competing, with Inf", [][]float64{{10, inf}, {1, inf}, {inf, inf}}, []int{-1, 0, -1}, 1},
		// Lexicographic: two assignments costing 101 beat one costing 1.
		{"count before cost", [][]float64{{1, 100}, {1, inf}}, []int{1, 0}, 101},
		{"wide", [][]float64{{5, 1, 9, 3}}, []int{1}, 1},
		{"tall", [][]float64{{5}, {1}, {9}, {3}}, []int{-1, 0, -1, -1}, 1},
		{"negative", [][]float64{{-5, -1}, {-2, -9}}, []int{0, 1}, -14},
		{"huge", [][]float64{{1e12, 1e12 + 1}, {1e12 + 1, 1e12 + 3}}, []int{1, 0}, 2e12 + 2},
		{"MaxCost", [][]float64{{lap.MaxCost, -lap.MaxCost}, {0, lap.MaxCost}}, []int{1, 0}, -lap.MaxCost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rowToCol, total, err := lap.Solve(tt.cost)
			if err != nil {
				t.Fatal(err)
			}
			checkValid(t, tt.cost, rowToCol, total)
			if tt.wantCols != nil && fmt.Sprint(rowToCol) != fmt.Sprint(tt.wantCols) {
				t.Errorf("rowToCol = %v, want %v", rowToCol, tt.wantCols)
			}
			if total != tt.wantTotal {
				t.Errorf("total = %v, want %v", total, tt.wantTotal)
			}
			if rowToCol == nil {
				t.Errorf("rowToCol is nil, want an empty slice")
			}
		})
	}
}

func TestSolveLargeAllEqualAndAllInf(t *testing.T) {
	const n = 300
	equal, none := make([][]float64, n), make([][]float64, n)
	for i := range n {
		equal[i], none[i] = make([]float64, n), make([]float64, n)
		for j := range n {
			equal[i][j], none[i][j] = 3, lap.Inf
		}
	}
	rowToCol, total, err := lap.Solve(equal)
	if err != nil || checkValid(t, equal, rowToCol, total) != n || total != 3*n {
		t.Errorf("all equal: total %v, err %v, want every row at %v", total, err, 3*n)
	}
	rowToCol, total, err = lap.Solve(none)
	if err != nil || checkValid(t, none, rowToCol, total) != 0 || total != 0 {
		t.Errorf("all Inf: total %v, err %v, want no row assigned", total, err)
	}
}

func TestSolveRejects(t *testing.T) {
	tests := []struct {
		name string
		cost [][]float64
		want error
	}{
		{"NaN", [][]float64{{1, 2}, {math.NaN(), 3}}, lap.ErrNaN},
		{"-Inf", [][]float64{{1, math.Inf(-1)}}, lap.ErrNegInf},
		{"ragged", [][]float64{{1, 2}, {3}}, lap.ErrRagged},
		{"ragged empty row", [][]float64{{1}, {}}, lap.ErrRagged},
		{"beyond MaxCost", [][]float64{{1e101}}, lap.ErrRange},
		{"beyond -MaxCost", [][]float64{{-1e101}}, lap.ErrRange},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := lap.Solve(tt.cost); !errors.Is(err, tt.want) {
				t.Errorf("Solve: err = %v, want %v", err, tt.want)
			}
			if len(tt.cost) == 2 && len(tt.cost[0]) == len(tt.cost[1]) || len(tt.cost) == 1 {
				if _, _, err := lap.SolveFlat(len(tt.cost), len(tt.cost[0]), flat(tt.cost)); !errors.Is(err, tt.want) {
					t.Errorf("SolveFlat: err = %v, want %v", err, tt.want)
				}
			}
		})
	}
	for _, shape := range []struct{ n, m, len int }{{2, 2, 3}, {-1, 2, 0}, {2, -1, 0}, {0, 3, 1}} {
		if _, _, err := lap.SolveFlat(shape.n, shape.m, make([]float64, shape.len)); !errors.Is(err, lap.ErrShape) {
			t.Errorf("SolveFlat(%d, %d, %d costs): err = %v, want ErrShape", shape.n, shape.m, shape.len, err)
		}
	}
}

// TestSolverAllocations: a warm Solver allocates only the returned slice.
func TestSolverAllocations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cost := matrix(rng, 60, 80, "uniform", 0.3)
	f := flat(cost)
	var s lap.Solver
	for _, tt := range []struct {
		name  string
		solve func()
	}{
		{"Solve", func() { s.Solve(cost) }},
		{"SolveFlat", func() { s.SolveFlat(60, 80, f) }},
		{"SolveFlat transposed", func() { s.SolveFlat(80, 60, f) }},
	} {
		tt.solve()
		if got := testing.AllocsPerRun(20, tt.solve); got > 1 {
			t.Errorf("%s: %v allocations per call, want 1", tt.name, got)
		}
	}
}

// FuzzSolve compares Solve with brute force on small matrices built from bytes: the first two
// give the shape (0–6 each), then one byte per cost: 255 is Inf, others (b−128)/4 (ties and
// negative costs are common).
func FuzzSolve(f *testing.F) {
	f.Add([]byte{2, 2, 1, 2, 3, 4})
	f.Add([]byte{3, 2, 255, 1, 130, 130, 255, 255})
	f.Add([]byte{2, 3, 0, 0, 0, 0, 0, 0})
	f.Add([]byte{6, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		n, m := int(data[0])%7, int(data[1])%7
		data = data[2:]
		cost := make([][]float64, n)
		for i := range cost {
			cost[i] = make([]float64, m)
			for j := range cost[i] {
				b := byte(255)
				if k := i*m + j; k < len(data) {
					b = data[k]
				}
				cost[i][j] = float64(int(b)-128) / 4
				if b == 255 {
					cost[i][j] = lap.Inf
				}
			}
		}
		rowToCol, total, err := lap.Solve(cost)
		if err != nil {
			t.Fatal(err)
		}
		count := checkValid(t, cost, rowToCol, total)
		if want := bruteForce(cost); count != want.count || !near(total, want.total) {
			t.Fatalf("%v: got %d assigned for %v, want %d for %v", cost, count, total, want.count, want.total)
		}
		gCols, gTotal := lap.Greedy(cost)
		if gCount := checkValid(t, cost, gCols, gTotal); gCount > count || gCount == count && gTotal < total-1e-9 {
			t.Fatalf("%v: greedy %d for %v beats %d for %v", cost, gCount, gTotal, count, total)
		}
	})
}
