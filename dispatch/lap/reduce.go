package lap

import "math"

// reduce is Jonker and Volgenant's initialisation for a square n×n problem: column reduction,
// reduction transfer and two rounds of augmenting row reduction. It leaves a partial matching
// in which every matched row sits on a column of least reduced cost c(i,j) − v(j), sets the
// potentials to match, and returns the rows still free, for the augmenting searches. On random
// dense problems it matches most rows at a fraction of the cost of a search each.
//
// It applies to square problems only: with more columns than rows, the columns left free at
// the end must keep equal potentials (Crouse 2016, §3), which the reductions do not respect.
// When a column has no feasible pair no complete assignment exists, and reduce gives up: it
// returns every row free with zero potentials, as if it had not run.
func (s *Solver) reduce(w []float64, n int) (free []int) {
	inf := math.Inf(1)
	u, v := s.u[:n], s.v[:n]
	col4row, row4col := s.col4row[:n], s.row4col[:n]
	free = grow(s.free, n)[:0]
	s.unique = grow(s.unique, n)
	unique := s.unique

	// Column reduction: v(j) is the column's least cost, and the row holding it claims it.
	for j := range v {
		v[j] = inf
	}
	for i := range n {
		row := w[i*n : i*n+n]
		for j, c := range row {
			if c < v[j] {
				v[j], row4col[j] = c, i
			}
		}
	}
	for j := range v {
		if v[j] == inf {
			clear(v)
			for j := range row4col {
				row4col[j] = -1
			}
			for i := range n {
				free = append(free, i)
			}
			s.free = free
			return free
		}
	}
	// A row claiming several columns keeps the last one (scanning right to left).
	for j := n - 1; j >= 0; j-- {
		i := row4col[j]
		if col4row[i] < 0 {
			col4row[i], unique[i] = j, true
		} else {
			unique[i], row4col[j] = false, -1
		}
	}

	// Reduction transfer: a row holding exactly one column lowers that column's potential by the
	// row's next least reduced cost. Its column stays among its least (tied with the next), and
	// every other row finds that column dearer, which steers the free rows elsewhere.
	for i := range n {
		j := col4row[i]
		if j < 0 {
			free = append(free, i)
			continue
		}
		if !unique[i] {
			continue
		}
		next := inf
		for k, c := range w[i*n : i*n+n] {
			if h := c - v[k]; k != j && h < next {
				next = h
			}
		}
		if next < inf {
			v[j] -= next
		}
	}

	for range 2 {
		if len(free) == 0 {
			break
		}
		free = s.augmentRows(w, n, free)
	}

	for i, j := range col4row {
		if j >= 0 {
			u[i] = w[i*n+j] - v[j]
		} else {
			u[i] = 0 // any value will do: the search from row i sets it
		}
	}
	s.free = free
	return free
}

// augmentRows is Jonker and Volgenant's augmenting row reduction: each free row takes its
// column of least reduced cost, lowering that column's potential down to the row's second
// least when it can, and the row it displaces becomes free in turn (retried at once when the
// potential dropped). It returns the rows still free.
func (s *Solver) augmentRows(w []float64, n int, free []int) []int {
	inf := math.Inf(1)
	v, col4row, row4col := s.v[:n], s.col4row[:n], s.row4col[:n]
	k, kept, rounds := 0, 0, 0 // free[k:] to do; free[:kept] the rows left free
	// Jonker and Volgenant bound the rounds by k·n, which allows O(n²) rounds of O(n) each:
	// on 1,000×1,000 distances between random points that was 484,000 rounds, several times
	// the cost of the whole solve without them. After n rounds a displaced row is left to the
	// searches instead.
	maxRounds := n
	for k < len(free) {
		rounds++
		i := free[k]
		k++
		j1, u1, j2, u2 := -1, inf, -1, inf // the two least reduced costs of row i
		for j, c := range w[i*n : i*n+n] {
			if h := c - v[j]; h < u2 {
				if h >= u1 {
					u2, j2 = h, j
				} else {
					u2, j2, u1, j1 = u1, j1, h, j
				}
			}
		}
		if j1 < 0 { // no feasible column: the searches will find it cannot be matched
			free[kept] = i
			kept++
			continue
		}
		i0 := row4col[j1]
		lowers := u1 < u2 && u2 < inf
		if rounds < k*n && rounds <= maxRounds {
			if lowers {
				v[j1] -= u2 - u1
			} else if i0 >= 0 && j2 >= 0 { // a tie: take the second column instead
				j1, i0 = j2, row4col[j2]
			}
			if i0 >= 0 {
				if lowers {
					k--
					free[k] = i0
				} else {
					free[kept] = i0
					kept++
				}
			}
		} else if i0 >= 0 {
			free[kept] = i0
			kept++
		}
		if i0 >= 0 {
			col4row[i0] = -1
		}
		col4row[i], row4col[j1] = j1, i
	}
	return free[:kept]
}
