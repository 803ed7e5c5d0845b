package lap_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"fleet/dispatch/lap"
)

func TestGreedy(t *testing.T) {
	inf := lap.Inf
	tests := []struct {
		name      string
		cost      [][]float64
		wantCols  []int
		wantTotal float64
	}{
		{"empty", nil, []int{}, 0},
		// Greedy takes 1 first and leaves row 0 with 100: 101, where 3 + 4 = 7 is optimal.
		{"nearest first", [][]float64{{3, 100}, {1, 4}}, []int{1, 0}, 101},
		{"ties to the lower row and column", [][]float64{{2, 2}, {2, 2}}, []int{0, 1}, 4},
		{"infeasible never taken", [][]float64{{inf, 1}, {inf, 2}}, []int{1, -1}, 1},
		{"tall", [][]float64{{5}, {1}, {9}}, []int{-1, 0, -1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rowToCol, total := lap.Greedy(tt.cost)
			if fmt.Sprint(rowToCol) != fmt.Sprint(tt.wantCols) || total != tt.wantTotal {
				t.Errorf("Greedy = %v, %v, want %v, %v", rowToCol, total, tt.wantCols, tt.wantTotal)
			}
		})
	}
}

func TestGreedyMatchesReference(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {5, 8}, {8, 5}, {30, 30}, {40, 60}, {60, 40}} {
		for _, kind := range []string{"uniform", "ties", "int", "all equal"} {
			for _, pInf := range []float64{0, 0.3, 0.9} {
				for seed := range 5 {
					n, m := size[0], size[1]
					rng := rand.New(rand.NewPCG(uint64(seed), 5))
					var cost [][]float64
					if kind == "all equal" { // every vehicle at the same depot
						cost = matrix(rng, n, m, "ties", pInf)
						for i := range cost {
							for j := range cost[i] {
								if !math.IsInf(cost[i][j], 1) {
									cost[i][j] = 2
								}
							}
						}
					} else {
						cost = matrix(rng, n, m, kind, pInf)
					}
					got, total := lap.Greedy(cost)
					checkValid(t, cost, got, total)
					if want := greedyReference(cost); fmt.Sprint(got) != fmt.Sprint(want) {
						t.Fatalf("%dx%d %s pInf=%v seed %d: Greedy = %v, want %v", n, m, kind, pInf, seed, got, want)
					}
				}
			}
		}
	}
}
