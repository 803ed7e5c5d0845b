package sim

import (
	"math"
	"math/rand/v2"
)

// The demo county: a fictional county in Jiangxi around 27.8° N, 114.4° E. Routes stay inside
// the box of ±countySpan degrees around its centre (WGS-84).
const (
	countyLat  = 27.8
	countyLng  = 114.4
	countySpan = 0.1
)

// Metres per degree near the county (equirectangular: exact enough over 20 km).
var (
	metresPerDegLat = 110574.0
	metresPerDegLng = 111320.0 * math.Cos(countyLat*math.Pi/180)
)

// route is a closed, smooth polyline a vehicle drives round, either way: a loop through town and
// out to the townships and back. Terminals share a few dozen routes, so 10,000 of them cost no
// more memory than 64.
type route struct {
	lat, lng []float64 // vertices; the last joins the first
	cum      []float64 // cum[i] is the distance in metres from vertex 0 to vertex i; cum[n] the length
	course   []uint16  // bearing of the segment from vertex i to i+1, degrees clockwise from north
}

const (
	routeControls = 8  // random control points of a loop
	routeSamples  = 16 // vertices per control segment after smoothing
)

// newRoute makes a random loop: control points round a centre near the county seat, joined by
// a closed Catmull-Rom spline. Centre ±0.03°, radius ≤0.045° and the spline's small overshoot
// keep every vertex well inside the county box; vertices are clamped to it all the same.
func newRoute(rng *rand.Rand) *route {
	cLat := countyLat + (rng.Float64()*2-1)*0.03
	cLng := countyLng + (rng.Float64()*2-1)*0.03
	radius := 0.012 + rng.Float64()*0.024
	var px, py [routeControls]float64
	for i := range routeControls {
		a := (float64(i) + rng.Float64()*0.6) / routeControls * 2 * math.Pi
		r := radius * (0.75 + rng.Float64()*0.5)
		py[i] = cLat + r*math.Sin(a)
		px[i] = cLng + r*math.Cos(a)/math.Cos(countyLat*math.Pi/180)*0.9
	}
	n := routeControls * routeSamples
	rt := &route{lat: make([]float64, n), lng: make([]float64, n), cum: make([]float64, n+1), course: make([]uint16, n)}
	for i := range routeControls {
		i0, i1, i2, i3 := (i+routeControls-1)%routeControls, i, (i+1)%routeControls, (i+2)%routeControls
		for s := range routeSamples {
			t := float64(s) / routeSamples
			k := i*routeSamples + s
			rt.lat[k] = clamp(catmullRom(py[i0], py[i1], py[i2], py[i3], t), countyLat-countySpan, countyLat+countySpan)
			rt.lng[k] = clamp(catmullRom(px[i0], px[i1], px[i2], px[i3], t), countyLng-countySpan, countyLng+countySpan)
		}
	}
	for i := range n {
		j := (i + 1) % n
		dy := (rt.lat[j] - rt.lat[i]) * metresPerDegLat
		dx := (rt.lng[j] - rt.lng[i]) * metresPerDegLng
		rt.cum[i+1] = rt.cum[i] + math.Hypot(dx, dy)
		deg := math.Atan2(dx, dy) * 180 / math.Pi
		if deg < 0 {
			deg += 360
		}
		rt.course[i] = uint16(deg) % 360
	}
	return rt
}

// catmullRom is the uniform Catmull-Rom spline through p1 (t=0) and p2 (t=1).
func catmullRom(p0, p1, p2, p3, t float64) float64 {
	t2, t3 := t*t, t*t*t
	return 0.5 * (2*p1 + (p2-p0)*t + (2*p0-5*p1+4*p2-p3)*t2 + (3*p1-p0-3*p2+p3)*t3)
}

func clamp(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// length returns the loop's length in metres.
func (r *route) length() float64 { return r.cum[len(r.cum)-1] }

// at returns the point d metres along the loop (0 ≤ d < length) and the course of its segment;
// *seg is a hint, the segment of the previous call, so that moving along costs O(1).
func (r *route) at(d float64, seg *int) (lat, lng float64, course uint16) {
	n := len(r.lat)
	i := *seg
	if i < 0 || i >= n {
		i = 0
	}
	for d < r.cum[i] {
		i = (i + n - 1) % n
	}
	for d >= r.cum[i+1] {
		i = (i + 1) % n
		if i == 0 && d >= r.cum[n] { // d past the end: a caller bug, stop rather than loop forever
			break
		}
	}
	*seg = i
	j := (i + 1) % n
	f := 0.0
	if l := r.cum[i+1] - r.cum[i]; l > 0 {
		f = (d - r.cum[i]) / l
	}
	return r.lat[i] + (r.lat[j]-r.lat[i])*f, r.lng[i] + (r.lng[j]-r.lng[i])*f, r.course[i]
}
