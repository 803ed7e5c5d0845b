package sim

import (
	"math/rand/v2"
	"testing"
)

func inCounty(lat, lng float64) bool {
	return lat >= countyLat-countySpan && lat <= countyLat+countySpan && lng >= countyLng-countySpan && lng <= countyLng+countySpan
}

func TestRoutesStayInTheCountyAndAreSmooth(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for n := range 500 {
		r := newRoute(rng)
		for i := range r.lat {
			if !inCounty(r.lat[i], r.lng[i]) {
				t.Fatalf("route %d vertex %d at %.5f,%.5f: outside the county box", n, i, r.lat[i], r.lng[i])
			}
		}
		if l := r.length(); l < 3000 || l > 60000 {
			t.Fatalf("route %d is %.0f m long, want a loop of 3–60 km", n, l)
		}
		for i := range r.course {
			if seg := r.cum[i+1] - r.cum[i]; seg > 1500 {
				t.Fatalf("route %d segment %d is %.0f m: not a smooth polyline", n, i, seg)
			}
		}
	}
}

func TestMotionIsPlausible(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	r := newRoute(rng)
	for v := range 20 {
		m := newMotion(r, rng)
		prevLat, prevLng, _ := m.position()
		var moving, stoppedOn, parkedOff int
		for range 6 * 3600 { // six hours, one second at a time
			m.step(rng)
			lat, lng, _ := m.position()
			if !inCounty(lat, lng) {
				t.Fatalf("vehicle %d left the county: %.5f,%.5f", v, lat, lng)
			}
			if m.kmh < 0 || m.kmh > maxKmh {
				t.Fatalf("vehicle %d speed %.1f km/h, want 0–%d", v, m.kmh, maxKmh)
			}
			// Moved no further than 80 km/h allows (22.2 m in a second), plus rounding.
			dy, dx := (lat-prevLat)*metresPerDegLat, (lng-prevLng)*metresPerDegLng
			if dx*dx+dy*dy > 23*23 {
				t.Fatalf("vehicle %d jumped %.1f m in a second", v, dx*dx+dy*dy)
			}
			prevLat, prevLng = lat, lng
			switch {
			case m.kmh > 0 && !m.acc():
				t.Fatalf("vehicle %d moves at %.1f km/h with the ignition off", v, m.kmh)
			case m.kmh > 0:
				moving++
			case m.acc():
				stoppedOn++
			default:
				parkedOff++
			}
		}
		if moving == 0 || stoppedOn == 0 || parkedOff == 0 {
			t.Errorf("vehicle %d: %d s moving, %d s stopped with ACC on, %d s parked with ACC off: want some of each", v, moving, stoppedOn, parkedOff)
		}
	}
}

func TestPhones(t *testing.T) {
	c := DefaultConfig()
	for i, want := range map[int]string{0: "13907950001", 39: "13907950040", 9999: "13907960000"} {
		if got := c.Phone(i); got != want {
			t.Errorf("Phone(%d) = %s, want %s", i, got, want)
		}
	}
	c.N = 100000
	if err := c.Validate(); err != nil {
		t.Errorf("100,000 terminals: %v", err)
	}
	c.PhonePrefix = "13907x"
	if err := c.Validate(); err == nil {
		t.Error("a prefix with a letter passed")
	}
}
