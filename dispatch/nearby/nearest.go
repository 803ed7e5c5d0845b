package nearby

import (
	"fmt"
	"math"
	"slices"

	"github.com/uber/h3-go/v4"

	"fleet"
)

// DefaultMaxKm is the search radius when Query.MaxKm is 0, in km.
const DefaultMaxKm = 50.0

// Query says how many vehicles Nearest looks for, and which.
type Query struct {
	// Want is how many vehicles to return (fewer when fewer qualify); at least 1.
	Want int
	// MaxKm caps the distance from the origin, in km; 0 means DefaultMaxKm.
	MaxKm float64
	// Filter, when set, keeps only the vehicles it returns true for (class, seats, status…).
	// It is called under the index's read lock, for some vehicles only (those close enough to
	// enter the result), maybe more than once for one, maybe from several goroutines at once:
	// it must be quick, must not call the Index, and must answer the same during one query.
	Filter func(vehicleID int64) bool
}

// Hit is one vehicle found, with its great-circle distance to the origin.
type Hit struct {
	VehicleID  int64
	DistanceKm float64
}

// hitLess orders hits by distance, then by vehicle id.
func hitLess(a, b Hit) bool {
	return a.DistanceKm < b.DistanceKm || (a.DistanceKm == b.DistanceKm && a.VehicleID < b.VehicleID)
}

// Nearest returns the opt.Want vehicles nearest to the origin (degrees, WGS-84) within
// opt.MaxKm that pass opt.Filter, nearest first, ties by vehicle id: exactly the first Want of
// a scan of every vehicle sorted by (Haversine distance, id).
func (ix *Index) Nearest(lat, lng float64, opt Query) ([]Hit, error) {
	return ix.NearestAppend(nil, lat, lng, opt)
}

// NearestAppend is Nearest appending to dst; given the capacity it allocates no hits of its
// own (h3 still allocates one small slice per ring searched).
func (ix *Index) NearestAppend(dst []Hit, lat, lng float64, opt Query) ([]Hit, error) {
	if err := checkLatLng(lat, lng); err != nil {
		return dst, err
	}
	if err := checkQuery(opt); err != nil {
		return dst, err
	}
	s := newSearch(lat, lng, opt)
	// cgo calls before the lock.
	origin, err := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lng}, res)
	if err != nil {
		return dst, fmt.Errorf("nearby: cell of %v,%v: %w", lat, lng, err)
	}
	e, err := ix.scale(origin)
	if err != nil {
		return dst, err
	}
	everything := nearPentagon(s.q, s.maxKm+pentagonMarginKm)

	ix.mu.RLock()
	defer ix.mu.RUnlock()
	base := len(dst)
	dst = slices.Grow(dst, min(s.want, len(ix.where)))
	s.h = dst[base:base]
	if everything || !ix.ringSearch(&s, origin, e) {
		s.h = s.h[:0]
		s.hCut = hCutFor(s.maxKm)
		for _, b := range ix.cells {
			for i := range b {
				s.offer(&b[i])
			}
		}
	}
	n := len(s.h)
	s.sort()
	return dst[:base+n], nil
}

// checkQuery rejects a query that asks for nothing or for a negative radius.
func checkQuery(q Query) error {
	if q.Want >= 1 && q.MaxKm >= 0 { // false for a NaN MaxKm
		return nil
	}
	p := fleet.Problems{}
	if q.Want < 1 {
		p.Add("want", "must be at least 1")
	}
	if math.IsNaN(q.MaxKm) || q.MaxKm < 0 {
		p.Add("max_km", "must be 0 (the default) or more")
	}
	return p.Err()
}

// ringSearch scans the origin cell, then ring after ring around it, until no vehicle farther
// out can enter the result (see ringLowerBoundKm). It reports false, leaving s to be reset,
// when a scan of every vehicle is the better or the only sound way: rings with a pentagon, the
// bound needed beyond where it was checked, or more cells to visit than a quarter of the vehicles.
func (ix *Index) ringSearch(s *search, origin h3.Cell, e float64) bool {
	total := len(ix.where)
	seen := ix.scanCell(s, origin)
	cells := 1
	for k := 1; ; k++ {
		if seen == total {
			return true
		}
		// Every vehicle not seen yet is k or more rings out.
		lb := ringLowerBoundKm(k, e)
		if lb > s.maxKm || (len(s.h) == s.want && lb > s.h[0].DistanceKm) {
			return true
		}
		// A cell visited costs more than a vehicle scanned (a map lookup against a few
		// multiplications): past a quarter as many cells as vehicles, scanning every vehicle is
		// the cheaper way on, and what was spent on rings stays a fraction of it.
		if lb > boundValidKm || cells+6*k > total/4 {
			return false
		}
		ring, err := h3.GridRingUnsafe(origin, k) // fails near a pentagon
		if err != nil {
			return false
		}
		for _, c := range ring {
			seen += ix.scanCell(s, c)
		}
		cells += len(ring)
	}
}

// scanCell offers every vehicle of cell c and returns how many there are.
func (ix *Index) scanCell(s *search, c h3.Cell) int {
	b := ix.cells[c]
	for i := range b {
		s.offer(&b[i])
	}
	return len(b)
}

// search is one query's state: h is a max-heap (by hitLess) of the best hits so far, at most
// want long, the worst on top.
type search struct {
	q      point
	want   int
	maxKm  float64
	filter func(int64) bool
	h      []Hit
	hCut   float64 // halfChord2 above which a vehicle cannot enter h (maxKm, then h's worst)
}

func newSearch(lat, lng float64, opt Query) search {
	s := search{q: toPoint(lat, lng), want: opt.Want, maxKm: opt.MaxKm, filter: opt.Filter}
	if s.maxKm == 0 {
		s.maxKm = DefaultMaxKm
	}
	s.hCut = hCutFor(s.maxKm)
	return s
}

// offer considers one vehicle. Most are passed over on halfChord2 alone; the filter is called
// only for a vehicle close enough to enter h.
func (s *search) offer(v *vehicle) {
	if halfChord2(s.q, v.p) > s.hCut {
		return
	}
	full := len(s.h) == s.want
	if !full && s.filter != nil && !s.filter(v.id) { // before the trigonometry
		return
	}
	d := distanceKm(s.q, v.p)
	if d > s.maxKm {
		return
	}
	hit := Hit{VehicleID: v.id, DistanceKm: d}
	if !full {
		s.h = append(s.h, hit)
		s.up(len(s.h) - 1)
		if len(s.h) == s.want {
			s.hCut = hCutFor(s.h[0].DistanceKm)
		}
		return
	}
	if !hitLess(hit, s.h[0]) || (s.filter != nil && !s.filter(v.id)) {
		return
	}
	s.h[0] = hit
	s.down(0)
	s.hCut = hCutFor(s.h[0].DistanceKm)
}

func (s *search) up(i int) {
	h := s.h
	for i > 0 {
		parent := (i - 1) / 2
		if !hitLess(h[parent], h[i]) {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func (s *search) down(i int) {
	h := s.h
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && hitLess(h[worst], h[l]) {
			worst = l
		}
		if r < len(h) && hitLess(h[worst], h[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		h[i], h[worst] = h[worst], h[i]
		i = worst
	}
}

// sort puts h in ascending order (heapsort: the worst goes to the end, the heap shrinks).
func (s *search) sort() {
	h := s.h
	for n := len(h) - 1; n > 0; n-- {
		h[0], h[n] = h[n], h[0]
		s.h = h[:n]
		s.down(0)
	}
	s.h = h
}
