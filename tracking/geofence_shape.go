package tracking

import (
	"fmt"
	"math"
)

// The exact geometry of geofences. Polygons are tested in the plane of (lng, lat) degrees — the
// way maps draw them and the way H3 fills them — and circles by great-circle distance.

// earthRadiusM is H3's mean Earth radius, so that distances agree with its cell geometry.
const earthRadiusM = 6371007.180918475

// metresPerDegree is one degree of latitude (or of longitude at the equator) in metres.
const metresPerDegree = earthRadiusM * math.Pi / 180

// geometry is a fence's shape.
type geometry interface {
	// contains is the exact test of a point.
	contains(lat, lng float64) bool
	// relate tells where a disc (centre, radius in metres) lies: wholly inside, wholly outside,
	// or across the border.
	relate(lat, lng, radiusM float64) placement
}

// placement is where a disc lies relative to a shape.
type placement uint8

const (
	placeOutside placement = iota
	placeInside
	placeBorder
)

// circle is a circle on the sphere.
type circle struct {
	lat, lng float64 // centre, degrees
	radiusM  float64
}

func (c *circle) contains(lat, lng float64) bool {
	return distanceM(c.lat, c.lng, lat, lng) <= c.radiusM
}

func (c *circle) relate(lat, lng, r float64) placement {
	d := distanceM(c.lat, c.lng, lat, lng)
	switch {
	case d+r <= c.radiusM:
		return placeInside
	case d-r > c.radiusM:
		return placeOutside
	}
	return placeBorder
}

// distanceM is the great-circle (haversine) distance in metres.
func distanceM(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLng/2)
	h := s1*s1 + math.Cos(lat1*rad)*math.Cos(lat2*rad)*s2*s2
	return 2 * earthRadiusM * math.Asin(math.Sqrt(min(h, 1)))
}

// polygon is a simple polygon (one ring, not closed: the last vertex joins the first).
type polygon struct {
	lat, lng                       []float64
	minLat, maxLat, minLng, maxLng float64
}

func newPolygon(lat, lng []float64) *polygon {
	pg := &polygon{lat: lat, lng: lng, minLat: lat[0], maxLat: lat[0], minLng: lng[0], maxLng: lng[0]}
	for i := range lat {
		pg.minLat, pg.maxLat = min(pg.minLat, lat[i]), max(pg.maxLat, lat[i])
		pg.minLng, pg.maxLng = min(pg.minLng, lng[i]), max(pg.maxLng, lng[i])
	}
	return pg
}

// contains casts a ray towards +lng and counts the edges it crosses (even-odd rule).
func (pg *polygon) contains(lat, lng float64) bool {
	if lat < pg.minLat || lat > pg.maxLat || lng < pg.minLng || lng > pg.maxLng {
		return false
	}
	in := false
	ys, xs := pg.lat, pg.lng
	j := len(ys) - 1
	for i := range ys {
		if (ys[i] > lat) != (ys[j] > lat) && lng < (xs[j]-xs[i])*(lat-ys[i])/(ys[j]-ys[i])+xs[i] {
			in = !in
		}
		j = i
	}
	return in
}

// relate measures, in a plane tangent at the disc's centre (metres east and north, a linear
// map of (lng, lat) so straight edges stay straight), how far the nearest edge is.
func (pg *polygon) relate(lat, lng, r float64) placement {
	kx := metresPerDegree * math.Cos(lat*math.Pi/180)
	ky := metresPerDegree
	// Far from the bounding box: outside without looking at the edges.
	if (pg.minLat-lat)*ky > r || (lat-pg.maxLat)*ky > r || (pg.minLng-lng)*kx > r || (lng-pg.maxLng)*kx > r {
		return placeOutside
	}
	j := len(pg.lat) - 1
	for i := range pg.lat {
		ax, ay := (pg.lng[j]-lng)*kx, (pg.lat[j]-lat)*ky
		bx, by := (pg.lng[i]-lng)*kx, (pg.lat[i]-lat)*ky
		if segmentDistance(ax, ay, bx, by) <= r {
			return placeBorder
		}
		j = i
	}
	if pg.contains(lat, lng) {
		return placeInside
	}
	return placeOutside
}

// segmentDistance is the distance from the origin to the segment a–b.
func segmentDistance(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = max(0, min(1, -(ax*dx+ay*dy)/l2))
	}
	return math.Hypot(ax+t*dx, ay+t*dy)
}

// polygonProblem says what makes a ring unusable as a fence, or "" when it is fine: crossing
// the 180th meridian, no area, too large, or edges that cross or touch each other.
func polygonProblem(lat, lng []float64) string {
	pg := newPolygon(lat, lng)
	if pg.maxLng-pg.minLng >= 180 {
		return "must not cross the 180th meridian"
	}
	area, spread := pg.areaKm2()
	if spread < 1e-7 { // 0.1 m²: the points are in a line
		return "has no area (its points are in a line)"
	}
	if i, j, ok := pg.selfIntersection(); ok {
		return fmt.Sprintf("must not intersect itself (edges %d and %d cross)", i+1, j+1)
	}
	if area > MaxFenceAreaKm2 {
		return fmt.Sprintf("covers %.0f km², more than %d km²", area, MaxFenceAreaKm2)
	}
	return ""
}

// areaKm2 returns the shoelace area in the plane tangent at the polygon's middle latitude, and
// the sum of the unsigned areas of the triangles fanning from the first vertex, which is zero
// only when every vertex is on one line (a bow tie has area 0 but a spread).
func (pg *polygon) areaKm2() (area, spread float64) {
	kx := metresPerDegree * math.Cos((pg.minLat+pg.maxLat)/2*math.Pi/180) / 1000
	ky := metresPerDegree / 1000
	x := func(i int) float64 { return (pg.lng[i] - pg.minLng) * kx }
	y := func(i int) float64 { return (pg.lat[i] - pg.minLat) * ky }
	j := len(pg.lat) - 1
	for i := range pg.lat {
		area += x(j)*y(i) - x(i)*y(j)
		j = i
	}
	for i := 1; i+1 < len(pg.lat); i++ {
		spread += math.Abs(orient(x(0), y(0), x(i), y(i), x(i+1), y(i+1)))
	}
	return math.Abs(area) / 2, spread / 2
}

// selfIntersection finds two edges that cross, touch or overlap, other than neighbours meeting
// at their shared vertex; edge i runs from vertex i to vertex i+1. O(n²) over at most
// MaxFencePoints edges.
func (pg *polygon) selfIntersection() (int, int, bool) {
	n := len(pg.lat)
	at := func(i int) (float64, float64) { i %= n; return pg.lng[i], pg.lat[i] }
	for i := 0; i < n; i++ {
		ax, ay := at(i)
		bx, by := at(i + 1)
		for j := i + 1; j < n; j++ {
			cx, cy := at(j)
			dx, dy := at(j + 1)
			adjacent := j == i+1 || (i == 0 && j == n-1)
			if adjacent {
				// Neighbours share one vertex; they are wrong only when they fold back on each
				// other (a spike: the path turns 180°).
				if foldsBack(ax, ay, bx, by, cx, cy, dx, dy, j == i+1) {
					return i, j, true
				}
				continue
			}
			if segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// foldsBack reports whether two adjacent edges are collinear and overlap. next says edge 2
// starts where edge 1 ends; otherwise edge 2 ends where edge 1 starts.
func foldsBack(ax, ay, bx, by, cx, cy, dx, dy float64, next bool) bool {
	// Shared vertex s, the other ends p (of edge 1) and q (of edge 2).
	sx, sy, px, py, qx, qy := bx, by, ax, ay, dx, dy
	if !next {
		sx, sy, px, py, qx, qy = ax, ay, bx, by, cx, cy
	}
	ux, uy, vx, vy := px-sx, py-sy, qx-sx, qy-sy
	return ux*vy-uy*vx == 0 && ux*vx+uy*vy > 0
}

// segmentsIntersect reports whether segments a–b and c–d share any point.
func segmentsIntersect(ax, ay, bx, by, cx, cy, dx, dy float64) bool {
	if max(ax, bx) < min(cx, dx) || max(cx, dx) < min(ax, bx) || max(ay, by) < min(cy, dy) || max(cy, dy) < min(ay, by) {
		return false
	}
	d1 := orient(cx, cy, dx, dy, ax, ay)
	d2 := orient(cx, cy, dx, dy, bx, by)
	d3 := orient(ax, ay, bx, by, cx, cy)
	d4 := orient(ax, ay, bx, by, dx, dy)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return (d1 == 0 && onSegment(cx, cy, dx, dy, ax, ay)) || (d2 == 0 && onSegment(cx, cy, dx, dy, bx, by)) ||
		(d3 == 0 && onSegment(ax, ay, bx, by, cx, cy)) || (d4 == 0 && onSegment(ax, ay, bx, by, dx, dy))
}

// orient is the cross product (b−a)×(c−a): positive when a, b, c turn left.
func orient(ax, ay, bx, by, cx, cy float64) float64 { return (bx-ax)*(cy-ay) - (by-ay)*(cx-ax) }

// onSegment reports whether c, collinear with a–b, lies within its bounding box.
func onSegment(ax, ay, bx, by, cx, cy float64) bool {
	return min(ax, bx) <= cx && cx <= max(ax, bx) && min(ay, by) <= cy && cy <= max(ay, by)
}
