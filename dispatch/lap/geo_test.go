package lap_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"fleet/dispatch/lap"
)

// The county box of the geographic instances: 60 km a side, south-west corner at 30°N 114°E.
const (
	boxKm      = 60.0
	boxLat     = 30.0
	boxLng     = 114.0
	earthKm    = 6371.0088 // mean radius
	kmPerDeg   = earthKm * math.Pi / 180
	geoSeedOff = 1000
)

type point struct{ lat, lng float64 } // degrees, WGS-84

func randomPoint(rng *rand.Rand) point {
	dLat := boxKm / kmPerDeg
	dLng := boxKm / (kmPerDeg * math.Cos(boxLat*math.Pi/180))
	return point{boxLat + rng.Float64()*dLat, boxLng + rng.Float64()*dLng}
}

// haversineKm is the great-circle distance in km.
func haversineKm(a, b point) float64 {
	const rad = math.Pi / 180
	dLat, dLng := (b.lat-a.lat)*rad, (b.lng-a.lng)*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.lat*rad)*math.Cos(b.lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthKm * math.Asin(math.Sqrt(h))
}

// geographic returns an n×m matrix of distances in km from n random request origins to m
// random vehicle positions in the county box; pInf of the pairs are infeasible.
func geographic(rng *rand.Rand, n, m int, pInf float64) [][]float64 {
	vehicles := make([]point, m)
	for j := range vehicles {
		vehicles[j] = randomPoint(rng)
	}
	cost := make([][]float64, n)
	for i := range cost {
		origin := randomPoint(rng)
		cost[i] = make([]float64, m)
		for j, v := range vehicles {
			cost[i][j] = haversineKm(origin, v)
			if rng.Float64() < pInf {
				cost[i][j] = lap.Inf
			}
		}
	}
	return cost
}

// TestGeographicSavingAgainstGreedy reports what the optimal assignment saves over greedy
// nearest-first on the dispatcher's everyday case: 30 requests, 40 vehicles in the county box,
// cost = km from the vehicle to the request's origin.
func TestGeographicSavingAgainstGreedy(t *testing.T) {
	const requests, vehicles, instances = 30, 40, 200
	var s lap.Solver
	var sumOpt, sumGreedy, worst float64
	for seed := range instances {
		cost := geographic(rand.New(rand.NewPCG(uint64(seed+geoSeedOff), 1)), requests, vehicles, 0)
		_, opt, err := s.Solve(cost)
		if err != nil {
			t.Fatal(err)
		}
		_, greedy := lap.Greedy(cost)
		if opt > greedy+1e-9 {
			t.Fatalf("seed %d: optimal %.3f km > greedy %.3f km", seed, opt, greedy)
		}
		if seed == 0 {
			t.Logf("instance 0: greedy %.1f km, optimal %.1f km, saved %.1f km (%.1f %%)",
				greedy, opt, greedy-opt, 100*(greedy-opt)/greedy)
		}
		sumOpt += opt
		sumGreedy += greedy
		worst = max(worst, (greedy-opt)/greedy)
	}
	t.Logf("%d instances of %d requests × %d vehicles, mean: greedy %.1f km, optimal %.1f km, "+
		"saved %.1f km (%.1f %%); largest saving %.1f %%",
		instances, requests, vehicles, sumGreedy/instances, sumOpt/instances,
		(sumGreedy-sumOpt)/instances, 100*(sumGreedy-sumOpt)/sumGreedy, 100*worst)
}
