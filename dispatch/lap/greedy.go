package lap

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
)

// Greedy assigns nearest-first: it takes the globally cheapest feasible pair, removes its row
// and column, and repeats. It is the baseline Solve is measured against. Ties go to the lower
// row, then the lower column. Entries that are not finite (Inf, NaN, -Inf) are never taken;
// Greedy does not reject matrices as Solve does, and a short row simply has fewer columns.
// rowToCol and total mean what they mean for Solve (total added in row order).
//
// Each row offers its cheapest free column, and a heap keeps the offers in (cost, row) order.
// An offer whose column was taken meanwhile is replaced by the row's next: found by a scan of
// the row at first; a row that needs more than a few scans has its columns sorted once, so
// that many equal costs (every vehicle at the same depot) cost a step each, not a scan each.
func Greedy(cost [][]float64) (rowToCol []int, total float64) {
	n, m := len(cost), 0
	for _, row := range cost {
		m = max(m, len(row))
	}
	rowToCol = make([]int, n)
	taken := make([]bool, m)
	offers := make(offers, 0, n)
	for i, row := range cost {
		rowToCol[i] = -1
		if o := (offer{row: i}); o.next(row, taken) {
			offers = append(offers, o)
		}
	}
	heap.Init(&offers)

	for left := min(n, m); left > 0 && len(offers) > 0; {
		o := &offers[0]
		if !taken[o.col] {
			rowToCol[o.row], taken[o.col] = o.col, true
			left--
			heap.Pop(&offers)
		} else if o.next(cost[o.row], taken) {
			heap.Fix(&offers, 0)
		} else {
			heap.Pop(&offers)
		}
	}

	for i, j := range rowToCol {
		if j >= 0 {
			total += cost[i][j]
		}
	}
	return rowToCol, total
}

// scansBeforeSort is how many times a row is scanned for its next free column before its
// columns are sorted instead.
const scansBeforeSort = 4

// offer is a row's cheapest free feasible column.
type offer struct {
	cost  float64
	row   int
	col   int
	scans int
	order []int32 // the row's feasible columns, cheapest first, once sorted
}

// next moves the offer to the row's cheapest free feasible column (the lowest among equal
// costs) and reports whether there is one.
func (o *offer) next(row []float64, taken []bool) bool {
	if o.order == nil && o.scans == scansBeforeSort {
		for j, c := range row {
			if feasible(c) && !taken[j] {
				o.order = append(o.order, int32(j))
			}
		}
		slices.SortStableFunc(o.order, func(a, b int32) int { return cmp.Compare(row[a], row[b]) })
	}
	if o.order != nil {
		for len(o.order) > 0 && taken[o.order[0]] {
			o.order = o.order[1:]
		}
		if len(o.order) == 0 {
			return false
		}
		o.col, o.cost = int(o.order[0]), row[o.order[0]]
		return true
	}
	o.scans++
	o.col = -1
	for j, c := range row {
		if feasible(c) && !taken[j] && (o.col < 0 || c < o.cost) {
			o.col, o.cost = j, c
		}
	}
	return o.col >= 0
}

func feasible(c float64) bool { return !math.IsInf(c, 0) && !math.IsNaN(c) }

// offers is a heap of offers, cheapest first, then by row, then by column.
type offers []offer

func (h offers) Len() int { return len(h) }
func (h offers) Less(a, b int) bool {
	if h[a].cost != h[b].cost {
		return h[a].cost < h[b].cost
	}
	return h[a].row < h[b].row // rows are distinct: a row has one offer at a time
}
func (h offers) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *offers) Push(x any)   { *h = append(*h, x.(offer)) }
func (h *offers) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
