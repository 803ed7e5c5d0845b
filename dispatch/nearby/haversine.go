package nearby

import "math"

// earthRadiusKm is the mean radius of the earth (IUGG, R₁ of WGS-84), in km.
const earthRadiusKm = 6371.0088

const degToRad = math.Pi / 180

// point is a position prepared for distances: the index computes it once per Set, not per query.
type point struct {
	phi, lambda float64 // latitude and longitude, radians
	cosPhi      float64
	x, y, z     float64 // unit vector from the earth's centre
}

func toPoint(lat, lng float64) point {
	phi, lambda := lat*degToRad, lng*degToRad
	cosPhi := math.Cos(phi)
	return point{phi: phi, lambda: lambda, cosPhi: cosPhi,
		x: cosPhi * math.Cos(lambda), y: cosPhi * math.Sin(lambda), z: math.Sin(phi)}
}

// Haversine returns the great-circle distance in km between two positions in degrees, on a
// sphere of the earth's mean radius (6371.0088 km). Nearest's distances are this function's,
// to the last bit.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	return distanceKm(toPoint(lat1, lng1), toPoint(lat2, lng2))
}

// distanceKm is Haversine on prepared points. It is symmetric to the last bit (sin is odd,
// products commute), so a brute-force scan and the index agree whatever the order.
func distanceKm(a, b point) float64 {
	s1 := math.Sin((b.phi - a.phi) / 2)
	s2 := math.Sin((b.lambda - a.lambda) / 2) // sin² has period π: no wrap at ±180° needed
	h := s1*s1 + a.cosPhi*b.cosPhi*s2*s2
	return 2 * earthRadiusKm * math.Asin(math.Sqrt(min(h, 1)))
}

// halfChord2 returns the haversine term sin²(θ/2) of distanceKm computed as (chord/2)² between
// unit vectors: no trigonometry, within ~1e-15·chord of it. The search uses it only to pass
// over, with a margin (see hCutFor), vehicles that cannot qualify; distances it reports come
// from distanceKm.
func halfChord2(a, b point) float64 {
	dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
	return (dx*dx + dy*dy + dz*dz) / 4
}

// hCutFor returns a value of halfChord2 above which a vehicle is certainly more than km away:
// the haversine term of km widened by far more than the rounding of either computation
// (1e-6 relative, and 1e-14 absolute, ~1 mm).
func hCutFor(km float64) float64 {
	half := km / (2 * earthRadiusKm)
	if half >= math.Pi/2 { // half the circumference or more: everything qualifies
		return math.Inf(1)
	}
	s := math.Sin(half)
	return s*s*(1+1e-6) + 1e-14
}
