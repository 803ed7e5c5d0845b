// Package lap pairs rows with columns at the least total cost: the linear assignment problem,
// used by dispatch to auto-assign a window's approved requests (rows) to vehicles or
// (vehicle, driver) pairs (columns) at once.
//
// The solver finds shortest augmenting paths, one Dijkstra search per row over reduced costs
// with row and column potentials kept between searches, in the rectangular formulation of
// Crouse (2016, "On implementing 2D rectangular assignment algorithms"). Square problems, and
// near-square ones padded to square, first go through Jonker and Volgenant's (1987) column
// reduction, reduction transfer and augmenting row reduction, which match most rows cheaply.
// It is O(n²·m) in the worst case and, once a Solver has grown its buffers, allocates only
// the result.
package lap

import (
	"errors"
	"math"
)

// Inf marks an infeasible pair (math.Inf(1)): such a pair is never assigned. Do not reassign it.
var Inf = math.Inf(1)

// MaxCost is the largest finite cost magnitude the solver accepts. Potentials are sums of costs
// along augmenting paths, so far larger magnitudes could overflow to infinity and pass for
// infeasible pairs; no distance, time or score comes anywhere near it.
const MaxCost = 1e100

// Errors returned for a cost matrix the solver refuses; they are wrapped with the position.
var (
	ErrNaN    = errors.New("lap: cost is NaN")
	ErrNegInf = errors.New("lap: cost is -Inf")
	ErrRange  = errors.New("lap: cost magnitude above MaxCost")
	ErrRagged = errors.New("lap: rows of different lengths")
	ErrShape  = errors.New("lap: matrix size does not match its cost slice")
)

// Solve assigns the rows of the n×m matrix cost (cost[i][j]: row i to column j) to distinct
// columns. Infeasible pairs are marked with Inf. The objective is lexicographic: first the
// largest number of rows on feasible pairs, then, among all such assignments, the least total
// cost. So when n ≤ m and a complete feasible assignment exists every row is assigned; when
// n > m at least n−m rows stay unassigned; and a row is left unassigned (-1) rather than forced
// onto an infeasible pair. Negative finite costs are allowed.
//
// rowToCol[i] is row i's column or -1; total is the sum of the assigned costs, added in row
// order. Solve never assigns fewer rows than Greedy, and with as many its total is never
// larger; with more, it can be larger, since the count comes first. The result is
// deterministic. Costs are compared exactly, with no epsilon, so the total is the optimum up to
// the rounding of the potentials (the tests hold it to 1e-9, relative, of brute force).
//
// Solve returns an error wrapping ErrRagged, ErrNaN, ErrNegInf or ErrRange for rows of
// different lengths, NaN, -Inf or finite costs beyond ±MaxCost. It allocates its working
// buffers on every call; reuse a Solver to keep them.
func Solve(cost [][]float64) (rowToCol []int, total float64, err error) {
	var s Solver
	return s.Solve(cost)
}

// SolveFlat is Solve for an n×m matrix stored row-major in cost (cost[i*m+j]). When n ≤ m the
// solver reads cost in place instead of copying it. It returns an error wrapping ErrShape when
// len(cost) != n*m or a size is negative.
func SolveFlat(n, m int, cost []float64) (rowToCol []int, total float64, err error) {
	var s Solver
	return s.SolveFlat(n, m, cost)
}
