package dispatch

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Overlapping trips whose best pairs all share one driver and one vehicle still get disjoint
// pairs, and never a costlier plan than greedy's.
func TestAutoPlanResolvesClashes(t *testing.T) {
	at := time.Date(2026, 5, 6, 1, 0, 0, 0, time.UTC)
	c := func(v, d int64, score float64) Candidate { return Candidate{VehicleID: v, DriverID: d, Score: score} }
	trip := func(id int64, cands ...Candidate) ([]requestRow, demand, []Candidate) {
		return []requestRow{{ID: id}}, demand{from: at, to: at.Add(3 * time.Hour)}, cands
	}
	var p autoPlan
	p.buffer = 30 * time.Minute
	p.add(trip(1, c(1, 1, 1), c(2, 1, 2), c(1, 2, 3), c(3, 1, 2.5)))
	p.add(trip(2, c(1, 1, 1), c(2, 1, 1.5), c(3, 1, 1.6), c(3, 2, 5), c(2, 2, 6)))
	p.add(trip(3, c(1, 1, 0.5), c(1, 3, 4), c(3, 3, 4.5)))
	props, total, err := p.solve(false)
	if err != nil {
		t.Fatal(err)
	}
	served := p.served
	_, greedy, _ := p.solve(true)
	vehicles, drivers := map[int64]bool{}, map[int64]bool{}
	for i, pr := range props {
		if pr == nil {
			t.Fatalf("trip %d unserved: %v", i+1, props)
		}
		if vehicles[pr.VehicleID] || drivers[pr.DriverID] {
			t.Fatalf("vehicle %d or driver %d twice in %+v", pr.VehicleID, pr.DriverID, props)
		}
		vehicles[pr.VehicleID], drivers[pr.DriverID] = true, true
	}
	if served != 3 || (p.served == 3 && total > greedy) {
		t.Fatalf("lap served %d at %v; greedy served %d at %v", served, total, p.served, greedy)
	}
}

// On random windows of overlapping trips the plan has no clash, and the better of lap and greedy
// serves as many trips as greedy at no more cost.
func TestAutoPlanRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	at := time.Date(2026, 5, 6, 1, 0, 0, 0, time.UTC)
	for iter := 0; iter < 300; iter++ {
		var p autoPlan
		p.buffer = 30 * time.Minute
		n := 2 + rng.IntN(8)
		for i := 0; i < n; i++ {
			from := at.Add(time.Duration(rng.IntN(6*60)) * time.Minute)
			var cands []Candidate
			seen := map[[2]int64]bool{}
			for range 1 + rng.IntN(10) {
				k := [2]int64{int64(1 + rng.IntN(5)), int64(1 + rng.IntN(4))}
				if !seen[k] {
					seen[k] = true
					cands = append(cands, Candidate{VehicleID: k[0], DriverID: k[1], Score: float64(rng.IntN(50)) / 2})
				}
			}
			p.add([]requestRow{{ID: int64(i + 1)}}, demand{from: from, to: from.Add(time.Duration(30+rng.IntN(240)) * time.Minute)}, cands)
		}
		props, total, err := p.solve(false)
		if err != nil {
			t.Fatal(err)
		}
		served := p.served
		gprops, gtotal, _ := p.solve(true)
		for _, plan := range [][]*Proposal{props, gprops} {
			for i, a := range plan {
				for k := i + 1; k < len(plan); k++ {
					b := plan[k]
					if a == nil || b == nil || (a.VehicleID != b.VehicleID && a.DriverID != b.DriverID) {
						continue
					}
					ti, tk := p.trips[i], p.trips[k]
					if ti.from.Before(tk.to) && tk.from.Before(ti.to) {
						t.Fatalf("case %d: trips %d and %d share vehicle or driver: %+v %+v", iter, i, k, *a, *b)
					}
				}
			}
		}
		best, bestTotal := served, total
		if p.served > served || (p.served == served && gtotal < total) {
			best, bestTotal = p.served, gtotal
		}
		if best < p.served || (best == p.served && bestTotal > gtotal+1e-9) {
			t.Fatalf("case %d: proposed %d at %v, greedy %d at %v", iter, best, bestTotal, p.served, gtotal)
		}
	}
}
