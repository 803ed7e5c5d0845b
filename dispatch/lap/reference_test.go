package lap_test

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"fleet/dispatch/lap"
)

// best is what brute force finds: the most feasible assignments, then the least total.
type best struct {
	count int
	total float64
}

// bruteForce tries every partial assignment of rows to distinct columns on feasible pairs.
func bruteForce(cost [][]float64) best {
	n, m := len(cost), 0
	if n > 0 {
		m = len(cost[0])
	}
	used := make([]bool, m)
	b := best{count: -1}
	var walk func(i, count int, total float64)
	walk = func(i, count int, total float64) {
		if i == n {
			if count > b.count || count == b.count && total < b.total {
				b = best{count, total}
			}
			return
		}
		walk(i+1, count, total) // row i unassigned
		for j := range m {
			if !used[j] && !math.IsInf(cost[i][j], 1) {
				used[j] = true
				walk(i+1, count+1, total+cost[i][j])
				used[j] = false
			}
		}
	}
	walk(0, 0, 0)
	return b
}

// hungarian is an independent O(n²m) reference for n ≤ m with every pair feasible: the
// classic potentials formulation (Kuhn–Munkres as usually taught), 1-based.
func hungarian(cost [][]float64) float64 {
	n, m := len(cost), len(cost[0])
	u, v := make([]float64, n+1), make([]float64, m+1)
	p, way := make([]int, m+1), make([]int, m+1)
	for i := 1; i <= n; i++ {
		p[0] = i
		j0 := 0
		minv := make([]float64, m+1)
		used := make([]bool, m+1)
		for j := range minv {
			minv[j] = math.Inf(1)
		}
		for p[j0] != 0 {
			used[j0] = true
			i0, delta, j1 := p[j0], math.Inf(1), 0
			for j := 1; j <= m; j++ {
				if !used[j] {
					if cur := cost[i0-1][j-1] - u[i0] - v[j]; cur < minv[j] {
						minv[j], way[j] = cur, j0
					}
					if minv[j] < delta {
						delta, j1 = minv[j], j
					}
				}
			}
			for j := 0; j <= m; j++ {
				if used[j] {
					u[p[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
		}
		for j0 != 0 {
			j1 := way[j0]
			p[j0] = p[j1]
			j0 = j1
		}
	}
	var total float64
	for j := 1; j <= m; j++ {
		if p[j] != 0 {
			total += cost[p[j]-1][j-1]
		}
	}
	return total
}

// lexHungarian is an independent reference for the lexicographic objective on integer costs:
// every row may also go to an "unassigned" column at cost big, and infeasible pairs cost 3·big,
// more than leaving the row unassigned. With big above any sum of real costs the least total
// assigns the most rows first; the arithmetic stays in integers, so it is exact.
func lexHungarian(cost [][]float64) best {
	if len(cost) > len(cost[0]) {
		cost = transpose(cost)
	}
	const big = 1e7
	n, m := len(cost), len(cost[0])
	wide := make([][]float64, n)
	for i := range wide {
		wide[i] = make([]float64, m+n)
		for j := range m + n {
			switch {
			case j >= m:
				wide[i][j] = big
			case math.IsInf(cost[i][j], 1):
				wide[i][j] = 3 * big
			default:
				wide[i][j] = cost[i][j]
			}
		}
	}
	total := hungarian(wide)
	unassigned := math.Floor((total + big/2) / big)
	return best{n - int(unassigned), total - unassigned*big}
}

func transpose(cost [][]float64) [][]float64 {
	out := make([][]float64, len(cost[0]))
	for j := range out {
		out[j] = make([]float64, len(cost))
		for i := range cost {
			out[j][i] = cost[i][j]
		}
	}
	return out
}

// greedyReference is Greedy's definition, spelled out: every feasible pair sorted by cost, then
// row, then column, taken in turn when its row and column are both free.
func greedyReference(cost [][]float64) []int {
	type pair struct {
		c    float64
		i, j int
	}
	var pairs []pair
	m := 0
	for i, row := range cost {
		m = max(m, len(row))
		for j, c := range row {
			if !math.IsInf(c, 0) {
				pairs = append(pairs, pair{c, i, j})
			}
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.c, b.c), cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	rowToCol, taken := make([]int, len(cost)), make([]bool, m)
	for i := range rowToCol {
		rowToCol[i] = -1
	}
	for _, p := range pairs {
		if rowToCol[p.i] < 0 && !taken[p.j] {
			rowToCol[p.i], taken[p.j] = p.j, true
		}
	}
	return rowToCol
}

// checkValid fails unless rowToCol is an assignment of cost on feasible pairs to distinct
// columns whose costs add up to total; it returns the number of assigned rows.
func checkValid(t testing.TB, cost [][]float64, rowToCol []int, total float64) int {
	t.Helper()
	if len(rowToCol) != len(cost) {
		t.Fatalf("len(rowToCol) = %d, want %d", len(rowToCol), len(cost))
	}
	taken := map[int]bool{}
	count, sum := 0, 0.0
	for i, j := range rowToCol {
		if j == -1 {
			continue
		}
		if j < 0 || j >= len(cost[i]) {
			t.Fatalf("row %d: column %d out of range", i, j)
		}
		if taken[j] {
			t.Fatalf("column %d assigned twice", j)
		}
		if math.IsInf(cost[i][j], 1) {
			t.Fatalf("row %d assigned to infeasible column %d", i, j)
		}
		taken[j] = true
		count++
		sum += cost[i][j]
	}
	if sum != total {
		t.Fatalf("total = %v, but the assigned costs add up to %v", total, sum)
	}
	return count
}

func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b))
}

// matrix returns an n×m matrix; kind picks the costs and pInf the share of infeasible pairs.
func matrix(rng *rand.Rand, n, m int, kind string, pInf float64) [][]float64 {
	cost := make([][]float64, n)
	for i := range cost {
		cost[i] = make([]float64, m)
		for j := range cost[i] {
			switch kind {
			case "uniform":
				cost[i][j] = rng.Float64() * 100
			case "int":
				cost[i][j] = float64(rng.IntN(100))
			case "ties": // few distinct values: many equal totals
				cost[i][j] = float64(rng.IntN(4))
			case "signed":
				cost[i][j] = rng.Float64()*100 - 50
			case "huge": // 1e12 apart from small differences
				cost[i][j] = 1e12 + float64(rng.IntN(1000))
			}
			if rng.Float64() < pInf {
				cost[i][j] = lap.Inf
			}
		}
	}
	return cost
}

func flat(cost [][]float64) []float64 {
	var f []float64
	for _, row := range cost {
		f = append(f, row...)
	}
	return f
}
