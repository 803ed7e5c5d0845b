package tracking

import (
	"fmt"
	"math"

	"github.com/uber/h3-go/v4"
)

// The fence index: every fence is covered by H3 cells at fenceRes, each cell marked "inside"
// (the whole cell lies in the fence: no test needed) or "border" (the fence's edge passes near:
// the exact test decides). A point costs one LatLngToCell, one map lookup and exact tests only
// for the fences whose border passes near its cell.
//
// Resolution 8: cells of 0.74 km² (edges ~530 m). The county (~2,000 km²) is ~2,700 cells of
// which ~250 are border cells; an 80 m parking circle is 1 to 4 border cells. Resolution 9
// would cut the share of points needing an exact test by ~2.6 but cost 7 times the cells
// (and memory); 7 would make a third of the county's points need the polygon test.
const fenceRes = 8

// coverMarginM widens each cell's circumscribed circle when classifying it: H3 cell edges are
// arcs between the vertices, not the straight lines of the plane the polygon is tested in (a
// few millimetres apart at this resolution), and the tangent plane is not exact either.
const coverMarginM = 10

// fenceCell is one cell of a fence's cover.
type fenceCell struct {
	cell   h3.Cell
	inside bool // the whole cell is inside the fence
}

// coverFence returns the cells of fenceRes that a point inside g can fall in. A cell is kept
// when its circumscribed circle (plus coverMarginM) meets the shape: inside when the circle lies
// wholly in it, border otherwise. Candidates come from a grid disk (circles) or H3's polyfill in
// overlapping mode plus the cells of the vertices (polygons); then every border cell's
// neighbours are examined too, so the band along the edge is complete even where the seeds
// missed a cell (H3 tests overlap with straight edges between cell vertices).
func coverFence(g geometry) ([]fenceCell, error) {
	seeds, err := coverSeeds(g)
	if err != nil {
		return nil, err
	}
	seen := make(map[h3.Cell]placement, len(seeds)*2)
	var border []h3.Cell
	classify := func(c h3.Cell) error {
		if _, done := seen[c]; done || c == 0 {
			return nil
		}
		at, r, err := cellDisc(c)
		if err != nil {
			return err
		}
		pl := g.relate(at.Lat, at.Lng, r+coverMarginM)
		seen[c] = pl
		if pl == placeBorder {
			border = append(border, c)
		}
		return nil
	}
	for _, c := range seeds {
		if err := classify(c); err != nil {
			return nil, err
		}
	}
	for i := 0; i < len(border); i++ { // border grows while we walk it
		ring, err := h3.GridDisk(border[i], 1)
		if err != nil {
			return nil, fmt.Errorf("tracking: fence cells: %w", err)
		}
		for _, c := range ring {
			if err := classify(c); err != nil {
				return nil, err
			}
		}
	}
	out := make([]fenceCell, 0, len(seen))
	for c, pl := range seen {
		if pl != placeOutside {
			out = append(out, fenceCell{cell: c, inside: pl == placeInside})
		}
	}
	return out, nil
}

// coverSeeds returns cells that include every cell wholly inside g and some of its border.
func coverSeeds(g geometry) ([]h3.Cell, error) {
	switch g := g.(type) {
	case *circle:
		origin, err := h3.LatLngToCell(h3.LatLng{Lat: g.lat, Lng: g.lng}, fenceRes)
		if err != nil {
			return nil, fmt.Errorf("tracking: fence cells: %w", err)
		}
		// Centres of cells k rings away are at least ~1.5 edges × k apart (√3 edges between
		// neighbours, times cos 30° across a ring's corner); two spare rings for cells smaller
		// than the average.
		edge, err := h3.HexagonEdgeLengthAvgM(fenceRes)
		if err != nil {
			return nil, fmt.Errorf("tracking: fence cells: %w", err)
		}
		k := int(math.Ceil((g.radiusM+2*edge)/(1.5*edge))) + 2
		cells, err := h3.GridDisk(origin, k)
		if err != nil {
			return nil, fmt.Errorf("tracking: fence cells: %w", err)
		}
		return cells, nil
	case *polygon:
		loop := make(h3.GeoLoop, len(g.lat))
		for i := range g.lat {
			loop[i] = h3.LatLng{Lat: g.lat[i], Lng: g.lng[i]}
		}
		cells, err := h3.PolygonToCellsExperimental(h3.GeoPolygon{GeoLoop: loop}, fenceRes, h3.ContainmentOverlapping)
		if err != nil {
			return nil, fmt.Errorf("tracking: fence cells: %w", err)
		}
		for _, v := range loop {
			c, err := h3.LatLngToCell(v, fenceRes)
			if err != nil {
				return nil, fmt.Errorf("tracking: fence cells: %w", err)
			}
			cells = append(cells, c)
		}
		return cells, nil
	}
	return nil, fmt.Errorf("tracking: fence cells: unknown shape %T", g)
}

// cellDisc returns a cell's centre and the radius of its circumscribed circle in metres.
func cellDisc(c h3.Cell) (h3.LatLng, float64, error) {
	at, err := h3.CellToLatLng(c)
	if err != nil {
		return at, 0, fmt.Errorf("tracking: cell %v: %w", c, err)
	}
	b, err := h3.CellToBoundary(c)
	if err != nil {
		return at, 0, fmt.Errorf("tracking: cell %v: %w", c, err)
	}
	r := 0.0
	for _, v := range b {
		r = max(r, distanceM(at.Lat, at.Lng, v.Lat, v.Lng))
	}
	return at, r, nil
}

// fence is a geofence as the detectors use it.
type fence struct {
	id         int64
	name       string
	kind       string
	speedLimit float64 // km/h; 0: none of its own
	vehicleID  int64   // parking designated for this vehicle; 0: for any
	geo        geometry
	geoKey     string // the shape as stored: unchanged shape, same cells
	cells      []fenceCell
}

// cellSpan is where a cell's entries are in fenceIndex.entries.
type cellSpan struct{ off, n uint32 }

// cellEntry is one fence of a cell.
type cellEntry struct {
	f      *fence
	inside bool
}

// fenceIndex is an immutable snapshot of every fence and the cells covering them; a change
// builds a new one.
type fenceIndex struct {
	cells      map[h3.Cell]cellSpan
	entries    []cellEntry // packed per cell: one allocation for all of them
	byID       map[int64]*fence
	counties   int            // county boundary fences
	shared     int            // parking fences for any vehicle
	designated map[int64]bool // vehicles with a parking fence of their own
}

// newFenceIndex builds the index of fences.
func newFenceIndex(fences []*fence) *fenceIndex {
	ix := &fenceIndex{byID: make(map[int64]*fence, len(fences)), designated: map[int64]bool{}}
	n := 0
	count := map[h3.Cell]uint32{}
	for _, f := range fences {
		ix.byID[f.id] = f
		switch {
		case f.kind == FenceCountyBoundary:
			ix.counties++
		case f.kind == FenceParking && f.vehicleID != 0:
			ix.designated[f.vehicleID] = true
		case f.kind == FenceParking:
			ix.shared++
		}
		for _, c := range f.cells {
			count[c.cell]++
		}
		n += len(f.cells)
	}
	ix.cells = make(map[h3.Cell]cellSpan, len(count))
	off := uint32(0)
	for c, k := range count {
		ix.cells[c] = cellSpan{off: off}
		off += k
	}
	ix.entries = make([]cellEntry, n)
	for _, f := range fences {
		for _, c := range f.cells {
			sp := ix.cells[c.cell]
			ix.entries[sp.off+sp.n] = cellEntry{f: f, inside: c.inside}
			sp.n++
			ix.cells[c.cell] = sp
		}
	}
	return ix
}

// appendAt appends to dst the fences containing the point and returns it; with a dst of
// enough capacity it allocates nothing of its own.
func (ix *fenceIndex) appendAt(dst []*fence, lat, lng float64) []*fence {
	if len(ix.cells) == 0 {
		return dst
	}
	c, err := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lng}, fenceRes)
	if err != nil {
		return dst
	}
	return ix.appendIn(dst, c, lat, lng)
}

// appendIn is appendAt for a point already known to be in cell c.
func (ix *fenceIndex) appendIn(dst []*fence, c h3.Cell, lat, lng float64) []*fence {
	sp, ok := ix.cells[c]
	if !ok {
		return dst
	}
	for _, e := range ix.entries[sp.off : sp.off+sp.n] {
		if e.inside || e.f.geo.contains(lat, lng) {
			dst = append(dst, e.f)
		}
	}
	return dst
}

// allowedParking reports whether f is a parking point where vehicle v may spend the night: its
// own, or any shared one when it has none of its own.
func (ix *fenceIndex) allowedParking(f *fence, v int64) bool {
	if f.kind != FenceParking {
		return false
	}
	if ix.designated[v] {
		return f.vehicleID == v
	}
	return f.vehicleID == 0
}

// hasParkingFor reports whether vehicle v has anywhere designated to park.
func (ix *fenceIndex) hasParkingFor(v int64) bool { return ix.designated[v] || ix.shared > 0 }
