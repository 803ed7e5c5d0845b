package lap

import (
	"fmt"
	"math"
)

// Solver solves assignment problems and keeps its working buffers between calls, so that a
// dispatcher solving window after window allocates only the returned slice. The zero value is
// ready to use. A Solver is not safe for concurrent use.
type Solver struct {
	work []float64 // the matrix being solved, rows ≤ columns, row-major
	aug  []float64 // work widened with zero-cost "unassigned" columns (see widen)
	pad  []float64 // a near-square problem made square (see assignPadded)

	u, v    []float64 // row and column potentials
	dist    []float64 // shortest reduced distance to each column in the current search
	path    []int     // row from which each column was reached
	col4row []int
	row4col []int
	free    []int // rows left for the searches
	unique  []bool
	settled []reached // columns settled in the current search, in order
}

// Solve is the package-level Solve on the Solver's buffers.
func (s *Solver) Solve(cost [][]float64) (rowToCol []int, total float64, err error) {
	n, m := len(cost), 0
	if n > 0 {
		m = len(cost[0])
	}
	for i, row := range cost {
		if len(row) != m {
			return nil, 0, fmt.Errorf("%w: row %d has %d columns, row 0 has %d", ErrRagged, i, len(row), m)
		}
	}
	s.work = grow(s.work, n*m)
	w := s.work
	for i, row := range cost {
		for j, c := range row {
			if err := check(c, i, j); err != nil {
				return nil, 0, err
			}
		}
		if n <= m {
			copy(w[i*m:], row)
		} else {
			for j, c := range row {
				w[j*n+i] = c
			}
		}
	}
	rowToCol = s.run(n, m, w)
	return rowToCol, sumAssigned(rowToCol, n, m, w), nil
}

// SolveFlat is the package-level SolveFlat on the Solver's buffers.
func (s *Solver) SolveFlat(n, m int, cost []float64) (rowToCol []int, total float64, err error) {
	if n < 0 || m < 0 || len(cost) != n*m {
		return nil, 0, fmt.Errorf("%w: %d×%d needs %d costs, got %d", ErrShape, n, m, max(n*m, 0), len(cost))
	}
	for k, c := range cost {
		if err := check(c, k/m, k%m); err != nil {
			return nil, 0, err
		}
	}
	w := cost
	if n > m {
		s.work = grow(s.work, n*m)
		w = s.work
		for i := range n {
			for j, c := range cost[i*m : i*m+m] {
				w[j*n+i] = c
			}
		}
	}
	rowToCol = s.run(n, m, w)
	return rowToCol, sumAssigned(rowToCol, n, m, w), nil
}

// check rejects the costs the solver cannot order.
func check(c float64, i, j int) error {
	switch {
	case c <= MaxCost && c >= -MaxCost, math.IsInf(c, 1):
		return nil
	case math.IsNaN(c):
		return fmt.Errorf("%w at row %d, column %d", ErrNaN, i, j)
	case math.IsInf(c, -1):
		return fmt.Errorf("%w at row %d, column %d", ErrNegInf, i, j)
	default:
		return fmt.Errorf("%w at row %d, column %d: %g", ErrRange, i, j, c)
	}
}

// run solves the n×m problem held in w: as is when n ≤ m, transposed (m×n) otherwise, so that
// the solver always works with no more rows than columns.
func (s *Solver) run(n, m int, w []float64) []int {
	rows, cols := n, m
	if n > m {
		rows, cols = m, n
	}
	if matched := s.assignPadded(w, rows, cols); matched < rows {
		s.aug = widen(s.aug, w, rows, cols, rows-matched)
		s.assignPadded(s.aug, rows, cols+rows-matched)
	}

	rowToCol := make([]int, n)
	for i := range rowToCol {
		rowToCol[i] = -1
	}
	for r, c := range s.col4row[:rows] {
		switch {
		case c < 0 || c >= cols: // unmatched, or on an "unassigned" column
		case n <= m:
			rowToCol[r] = c
		default:
			rowToCol[c] = r
		}
	}
	return rowToCol
}

// widen copies the rows×cols matrix w into dst with extra zero-cost columns, one per row that
// cannot be matched. The first pass of assign matched as many rows as any assignment can (a row
// with no augmenting path never gets one later: Kuhn's argument), so k rows are short. With k
// columns every row can take at no cost, the widened problem has a complete assignment, and
// any complete assignment puts exactly rows−k rows, the most possible, on real columns; its
// least cost is therefore the least cost among the assignments of the most rows. Costs stay as
// they are: no big-M penalty that would swamp them in floating point.
func widen(dst, w []float64, rows, cols, k int) []float64 {
	stride := cols + k
	dst = grow(dst, rows*stride)
	for i := range rows {
		copy(dst[i*stride:], w[i*cols:i*cols+cols])
		clear(dst[i*stride+cols : i*stride+stride])
	}
	return dst
}

// padRatio: a problem with (cols−rows)·padRatio ≤ cols, within 5 % of square, is padded.
// Tests set it to 0 to pad every problem.
var padRatio = 20

// assignPadded is assign, but a problem within 5 % of square is first made square with extra
// rows, which lets assign start with Jonker and Volgenant's reductions: without them the last
// searches of a near-square problem are long (999×1,000 uniform costs took five times as long
// as 1,000×1,000). It returns how many of the first rows it matched.
//
// The extra rows cost the same on every column (the largest finite cost, or 0 if larger), so
// they add the same to every complete assignment and leave the best one for the real rows
// unchanged; being the dearest, they claim no column in the column reduction. They can reach
// every column, so a maximum matching includes them all, and the real rows matched are the
// rest.
func (s *Solver) assignPadded(w []float64, rows, cols int) int {
	if rows == cols || (cols-rows)*padRatio > cols {
		return s.assign(w, rows, cols)
	}
	s.pad = grow(s.pad, cols*cols)
	copy(s.pad, w[:rows*cols])
	fill := 0.0
	for _, c := range w[:rows*cols] {
		if c > fill && !math.IsInf(c, 1) {
			fill = c
		}
	}
	extra := s.pad[rows*cols:]
	for k := range extra {
		extra[k] = fill
	}
	return s.assign(s.pad, cols, cols) - (cols - rows)
}

// sumAssigned adds the assigned costs in row order, reading them from w as run laid it out.
func sumAssigned(rowToCol []int, n, m int, w []float64) float64 {
	var t float64
	for i, j := range rowToCol {
		switch {
		case j < 0:
		case n <= m:
			t += w[i*m+j]
		default:
			t += w[j*n+i]
		}
	}
	return t
}

// grow returns buf resized to n elements, reusing its storage when it is large enough.
func grow[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	return buf[:n]
}
