package nearby

import (
	"fmt"
	"math"
	"sync"

	"github.com/uber/h3-go/v4"
)

// When may the ring search stop? After rings 0..k around the origin cell are scanned, every
// vehicle not yet seen is in a cell at grid distance k+1 or more, and ringLowerBoundKm(k+1, e)
// is a distance that no such vehicle can be closer than. Once it exceeds the Want-th best
// distance found (strictly: a vehicle at an equal distance could have a smaller id), nothing
// unseen can enter the result.
//
// The bound. On a regular hexagonal grid of edge e (centre-to-vertex e, centre-to-centre √3·e)
// the centres of the cells at grid distance n lie on a hexagon whose sides are
// n·√3e·cos 30° = 1.5·n·e from the origin cell's centre O; every point of a cell is within e of
// its centre. So the query point q (within e of O) and any point p of a cell n rings out (within
// e of a centre at least 1.5·n·e from O) are at least 1.5·n·e − 2e apart. A cell farther out is
// farther still: the great circle from q to it crosses ring n.
//
// H3 cells on the sphere are neither regular nor equal, and the ideal bound is not safe: with
// (1.5·n − 2)·e the tests find queries in the county that miss a vehicle. Against e taken from
// the area of a nearby cell (a regular hexagon of area A has edge √(2A/(3√3))), measured when
// this was written over ~500 places (the county; random places worldwide; places 100 to
// 2,000 km from a pentagon), every cell of rings 1 to 110 (to 140 for 70 of them), ≥ 70 km
// out: centre distances were at least 0.932 × 1.5·n·e (0.96 in the county) and no vertex farther
// than 1.126·e from its centre (1.056). With margins, spacingFactor 0.9 and reachFactor 1.2:
//
//	bound(n) = (0.9 × 1.5·n − 2 × 1.2)·e = (1.35·n − 2.4)·e
//
// TestRingLowerBound re-checks both factors on real cells. Where they were not measured the
// search does not trust them and scans every vehicle instead: within MaxKm+pentagonMarginKm
// of a pentagon (all twelve are at sea), and beyond boundValidKm from the origin.
const (
	spacingFactor = 0.9
	reachFactor   = 1.2
	// boundValidKm is how far out the factors were checked (bound(110) ≥ 67 km at the smallest
	// e seen), with room to spare; a search that would need the bound beyond it scans
	// everything instead.
	boundValidKm = 60.0
	// pentagonMarginKm keeps the ring search this far, beyond MaxKm, from pentagons, where
	// rings are no longer hexagons.
	pentagonMarginKm = 100.0
)

// ringLowerBoundKm returns how close to the query a vehicle in a cell n or more rings from the
// origin cell can be, in km, with e the local edge length in km.
func ringLowerBoundKm(n int, e float64) float64 {
	return max(0, (1.5*spacingFactor*float64(n)-2*reachFactor)*e)
}

// scaleCache holds the local edge length per H3 cell of resolution 5 (~250 km², edges ~9 km),
// within which it changes by well under 1 %: CellAreaKm2 costs microseconds.
type scaleCache struct {
	mu sync.RWMutex
	m  map[uint64]float64 // km, by scaleKey
}

// scaleKey is the same for every cell with the same resolution-5 ancestor: an H3 index holds
// 3 bits per resolution digit, those of resolutions 6 to 15 in its low 30 bits.
func scaleKey(c h3.Cell) uint64 { return uint64(c) >> 30 }

// scale returns the edge (km) of a regular hexagon with the area of the centre cell of c's
// resolution-5 ancestor.
func (ix *Index) scale(c h3.Cell) (float64, error) {
	k := scaleKey(c)
	ix.scales.mu.RLock()
	e, ok := ix.scales.m[k]
	ix.scales.mu.RUnlock()
	if ok {
		return e, nil
	}
	e, err := edgeKm(c)
	if err != nil {
		return 0, err
	}
	ix.scales.mu.Lock()
	ix.scales.m[k] = e
	ix.scales.mu.Unlock()
	return e, nil
}

func edgeKm(c h3.Cell) (float64, error) {
	parent, err := c.Parent(5)
	if err != nil {
		return 0, fmt.Errorf("nearby: scale of %v: %w", c, err)
	}
	ref, err := parent.CenterChild(res)
	if err != nil {
		return 0, fmt.Errorf("nearby: scale of %v: %w", c, err)
	}
	a, err := h3.CellAreaKm2(ref)
	if err != nil {
		return 0, fmt.Errorf("nearby: scale of %v: %w", c, err)
	}
	return math.Sqrt(2 * a / (3 * math.Sqrt(3))), nil
}

// pentagons returns the centres of the 12 pentagons of resolution res.
var pentagons = sync.OnceValue(func() []point {
	cells, err := h3.Pentagons(res)
	if err != nil {
		panic(fmt.Sprintf("nearby: pentagons of resolution %d: %v", res, err)) // constant input
	}
	out := make([]point, len(cells))
	for i, c := range cells {
		at, err := h3.CellToLatLng(c)
		if err != nil {
			panic(fmt.Sprintf("nearby: pentagon %v: %v", c, err))
		}
		out[i] = toPoint(at.Lat, at.Lng)
	}
	return out
})

// nearPentagon reports whether a pentagon is within km of q.
func nearPentagon(q point, km float64) bool {
	for _, p := range pentagons() {
		if distanceKm(q, p) < km {
			return true
		}
	}
	return false
}
