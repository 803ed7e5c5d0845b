package dispatch

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Trip merging (合并出行, as the 2017 rules ask). Two approved requests waiting in the queue can
// share one vehicle when
//
//   - their windows overlap and their departures are at most mergeDepartGap apart;
//   - their classes agree (or one asks for none);
//   - their routes share most of their way: the origins are within mergeOriginKm and every
//     destination of each is within mergeDestKm of one of the other's ("near"), or one car serving
//     both — from one origin by the other to every destination and back the same way — drives at
//     most mergeDetour more than the longer of the two trips alone ("detour");
//   - the passengers of both fit the largest usable vehicle of the fleet (of the class asked).
//
// Proposals group compatible requests greedily, the pairs that save the most km first, keeping
// every two members of a group compatible. An accepted merge links the requests (merge_id: the
// lead, the lowest id): one assignment then covers all of them, each keeping its own request and
// approval.
const (
	mergeDepartGap = 30 * time.Minute
	mergeOriginKm  = 1.0
	mergeDestKm    = 2.0
	mergeDetour    = 0.20
	maxMergeGroup  = 6
)

// MergeProposal is a group of requests that could travel together.
type MergeProposal struct {
	RequestIDs []int64   `json:"request_ids"`
	Passengers int       `json:"passengers"`
	DepartAt   time.Time `json:"depart_at"` // the earliest departure
	ReturnAt   time.Time `json:"return_at"` // the latest return
	SeparateKm float64   `json:"separate_km"`
	MergedKm   float64   `json:"merged_km"`
	SavedKm    float64   `json:"saved_km"`
	Rule       string    `json:"rule"` // near: shared origins and destinations; detour: a small detour
}

// MergeInput is what POST /api/dispatch/merges takes.
type MergeInput struct {
	RequestIDs []int64 `json:"request_ids"`
}

// Merge is an accepted merged trip.
type Merge struct {
	MergeID    int64   `json:"merge_id"` // the lead request
	RequestIDs []int64 `json:"request_ids"`
	Passengers int     `json:"passengers"`
}

// mergeable reports whether two requests may share a trip, by which rule.
func mergeable(a, b *requestRow, detour float64) (ok bool, rule string) {
	if !a.DepartAt.Before(b.ReturnAt) || !b.DepartAt.Before(a.ReturnAt) {
		return false, ""
	}
	if gap := a.DepartAt.Sub(b.DepartAt); gap > mergeDepartGap || gap < -mergeDepartGap {
		return false, ""
	}
	if a.VehicleClass != "" && b.VehicleClass != "" && a.VehicleClass != b.VehicleClass {
		return false, ""
	}
	ad, bd := a.dests(), b.dests()
	if haversineKm(a.OriginLat, a.OriginLng, b.OriginLat, b.OriginLng) <= mergeOriginKm && covers(ad, bd) && covers(bd, ad) {
		return true, "near"
	}
	single := max(routeKm(a.origin(), ad, detour), routeKm(b.origin(), bd, detour))
	if mergedKm([]*requestRow{a, b}, detour) <= (1+mergeDetour)*single {
		return true, "detour"
	}
	return false, ""
}

// covers reports whether every place of xs is within mergeDestKm of one of ys.
func covers(xs, ys []Place) bool {
	for _, x := range xs {
		xl, xg := x.latLng()
		near := false
		for _, y := range ys {
			yl, yg := y.latLng()
			if haversineKm(xl, xg, yl, yg) <= mergeDestKm {
				near = true
				break
			}
		}
		if !near {
			return false
		}
	}
	return true
}

// mergedKm is the road km of one car serving the requests: from the first one's origin by the
// other origins (nearest first), to every destination (nearest first), and back the same way.
func mergedKm(rs []*requestRow, detour float64) float64 {
	var pickups, drops []Place
	for _, r := range rs {
		pickups = append(pickups, r.origin())
		drops = append(drops, r.dests()...)
	}
	path := append(nearestOrder(pickups[0], pickups[1:]), nearestOrder(pickups[len(pickups)-1], drops)...)
	path = append([]Place{pickups[0]}, path...)
	km := 0.0
	for i := 1; i < len(path); i++ {
		al, ag := path[i-1].latLng()
		bl, bg := path[i].latLng()
		km += haversineKm(al, ag, bl, bg)
	}
	return 2 * km * detour // out, and back the same way
}

// nearestOrder orders places nearest-neighbour first from start.
func nearestOrder(start Place, ps []Place) []Place {
	left := slices.Clone(ps)
	out := make([]Place, 0, len(ps))
	cl, cg := start.latLng()
	for len(left) > 0 {
		best, bestKm := 0, math.Inf(1)
		for i, p := range left {
			pl, pg := p.latLng()
			if km := haversineKm(cl, cg, pl, pg); km < bestKm {
				best, bestKm = i, km
			}
		}
		out = append(out, left[best])
		cl, cg = left[best].latLng()
		left = slices.Delete(left, best, best+1)
	}
	return out
}

// proposeMerges groups the rows (compatible pairs, most km saved first).
func proposeMerges(rows []requestRow, set Settings, seats func(class string) int) []MergeProposal {
	type pair struct {
		i, j  int
		saved float64
		rule  string
	}
	var pairs []pair
	for i := range rows {
		for j := i + 1; j < len(rows); j++ {
			ok, rule := mergeable(&rows[i], &rows[j], set.DetourFactor)
			if !ok {
				continue
			}
			g := []*requestRow{&rows[i], &rows[j]}
			pairs = append(pairs, pair{i, j, separateKm(g, set.DetourFactor) - mergedKm(g, set.DetourFactor), rule})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(b.saved, a.saved), cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j))
	})
	group := make([]int, len(rows)) // group of each row, -1 none
	for i := range group {
		group[i] = -1
	}
	var groups [][]int
	rules := map[int]string{}
	fits := func(members []int) bool {
		n, class := 0, ""
		for _, m := range members {
			n += rows[m].Passengers
			if rows[m].VehicleClass != "" {
				class = rows[m].VehicleClass
			}
		}
		return n+set.SeatReserve <= seats(class) && len(members) <= maxMergeGroup
	}
	compatible := func(members []int, k int) bool {
		for _, m := range members {
			if ok, _ := mergeable(&rows[m], &rows[k], set.DetourFactor); !ok {
				return false
			}
		}
		return true
	}
	for _, p := range pairs {
		gi, gj := group[p.i], group[p.j]
		switch {
		case gi < 0 && gj < 0:
			if fits([]int{p.i, p.j}) {
				groups = append(groups, []int{p.i, p.j})
				group[p.i], group[p.j] = len(groups)-1, len(groups)-1
				rules[len(groups)-1] = p.rule
			}
		case gi >= 0 && gj < 0:
			if m := append(slices.Clone(groups[gi]), p.j); compatible(groups[gi], p.j) && fits(m) {
				groups[gi], group[p.j] = m, gi
			}
		case gj >= 0 && gi < 0:
			if m := append(slices.Clone(groups[gj]), p.i); compatible(groups[gj], p.i) && fits(m) {
				groups[gj], group[p.i] = m, gj
			}
		}
	}
	out := []MergeProposal{}
	for gi, members := range groups {
		slices.Sort(members)
		rs := make([]*requestRow, len(members))
		mp := MergeProposal{Rule: rules[gi]}
		for k, m := range members {
			r := &rows[m]
			rs[k] = r
			mp.RequestIDs = append(mp.RequestIDs, r.ID)
			mp.Passengers += r.Passengers
			if mp.DepartAt.IsZero() || r.DepartAt.Before(mp.DepartAt) {
				mp.DepartAt = r.DepartAt.UTC()
			}
			if r.ReturnAt.After(mp.ReturnAt) {
				mp.ReturnAt = r.ReturnAt.UTC()
			}
		}
		mp.SeparateKm = round2(separateKm(rs, set.DetourFactor))
		mp.MergedKm = round2(mergedKm(rs, set.DetourFactor))
		mp.SavedKm = round2(mp.SeparateKm - mp.MergedKm)
		out = append(out, mp)
	}
	slices.SortFunc(out, func(a, b MergeProposal) int {
		return cmp.Or(cmp.Compare(b.SavedKm, a.SavedKm), cmp.Compare(a.RequestIDs[0], b.RequestIDs[0]))
	})
	return out
}

// separateKm is the road km of serving each request with its own car.
func separateKm(rs []*requestRow, detour float64) float64 {
	km := 0.0
	for _, r := range rs {
		km += routeKm(r.origin(), r.dests(), detour)
	}
	return km
}
