package nearby

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uber/h3-go/v4"

	"fleet"
)

// The demo county: vehicles in a 60 km box around its centre.
const countyLat, countyLng = 27.8, 114.4

// fleetMap mirrors an index for the brute-force reference: vehicle id → position.
type fleetMap map[int64][2]float64

// boxPoint returns a point drawn uniformly from a square of side km around (lat, lng).
func boxPoint(r *rand.Rand, lat, lng, km float64) (float64, float64) {
	dLat := km / 111.195 * (r.Float64() - 0.5)
	dLng := km / (111.195 * math.Cos(lat*degToRad)) * (r.Float64() - 0.5)
	return lat + dLat, wrapLng(lng + dLng)
}

// jitter returns a point at a normal offset of sd km from (lat, lng).
func jitter(r *rand.Rand, lat, lng, sd float64) (float64, float64) {
	return lat + r.NormFloat64()*sd/111.195, wrapLng(lng + r.NormFloat64()*sd/(111.195*math.Cos(lat*degToRad)))
}

func wrapLng(lng float64) float64 {
	switch {
	case lng > 180:
		return lng - 360
	case lng < -180:
		return lng + 360
	}
	return lng
}

// load puts the fleet into a new index.
func load(t testing.TB, f fleetMap) *Index {
	t.Helper()
	ix := New()
	for id, p := range f {
		if err := ix.Set(id, p[0], p[1]); err != nil {
			t.Fatalf("Set(%d, %v): %v", id, p, err)
		}
	}
	return ix
}

// bruteForce is the reference: every vehicle, by Haversine then id, within the radius, the
// first want.
func bruteForce(f fleetMap, lat, lng float64, q Query) []Hit {
	all := bruteForceAll(f, lat, lng, q)
	return all[:min(len(all), q.Want)]
}

// bruteForceAll is bruteForce without the cut at q.Want.
func bruteForceAll(f fleetMap, lat, lng float64, q Query) []Hit {
	maxKm := q.MaxKm
	if maxKm == 0 {
		maxKm = DefaultMaxKm
	}
	var all []Hit
	for id, p := range f {
		d := Haversine(lat, lng, p[0], p[1])
		if d <= maxKm && (q.Filter == nil || q.Filter(id)) {
			all = append(all, Hit{VehicleID: id, DistanceKm: d})
		}
	}
	slices.SortFunc(all, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.DistanceKm, b.DistanceKm), cmp.Compare(a.VehicleID, b.VehicleID))
	})
	return all
}

// sameHits fails the test unless got equals want exactly (ids and distances to the bit).
func sameHits(t *testing.T, what string, got, want []Hit) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("%s: hit %d: got %+v, want %+v (got %d hits, want %d)", what, i, got[i], want[i], len(got), len(want))
		}
	}
	t.Fatalf("%s: got %d hits, want %d", what, len(got), len(want))
}

// cellPoints returns the vertices and edge midpoints of the cells within k rings of the cell at
// (lat, lng): points on cell boundaries, shared by two or three cells.
func cellPoints(t testing.TB, lat, lng float64, k int) [][2]float64 {
	t.Helper()
	c, err := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lng}, res)
	if err != nil {
		t.Fatal(err)
	}
	disk, err := h3.GridDisk(c, k)
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]float64
	for _, cell := range disk {
		b, err := h3.CellToBoundary(cell)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range b {
			w := b[(i+1)%len(b)]
			out = append(out, [2]float64{v.Lat, v.Lng}, [2]float64{(v.Lat + w.Lat) / 2, (v.Lng + w.Lng) / 2})
		}
	}
	return out
}

// fleets are the test fleets: name → vehicles, and origins to query from.
func fleets(t testing.TB) []struct {
	name    string
	f       fleetMap
	origins [][2]float64
} {
	r := rand.New(rand.NewPCG(1, 2))
	type fl = struct {
		name    string
		f       fleetMap
		origins [][2]float64
	}
	randomOrigins := func(lat, lng, km float64, n int) [][2]float64 {
		out := make([][2]float64, n)
		for i := range out {
			out[i][0], out[i][1] = boxPoint(r, lat, lng, km)
		}
		return out
	}
	var out []fl

	// Uniform over the county, origins inside it and a little outside.
	uni := fleetMap{}
	for id := int64(1); id <= 5000; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		uni[id] = [2]float64{lat, lng}
	}
	out = append(out, fl{"uniform 5000 in the county", uni, randomOrigins(countyLat, countyLng, 80, 100)})

	// Clustered: depots of a few hundred vehicles within ~300 m, some parked at one spot
	// (equal distances: ties by id), and a sparse rest; origins at depots and between them.
	cl := fleetMap{}
	id := int64(1)
	var depots [][2]float64
	for range 12 {
		dLat, dLng := boxPoint(r, countyLat, countyLng, 50)
		depots = append(depots, [2]float64{dLat, dLng})
		for range 350 {
			lat, lng := jitter(r, dLat, dLng, 0.3)
			cl[id] = [2]float64{lat, lng}
			id++
		}
		for range 20 {
			cl[id] = [2]float64{dLat, dLng}
			id++
		}
	}
	for range 300 {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		cl[id] = [2]float64{lat, lng}
		id++
	}
	clOrigins := randomOrigins(countyLat, countyLng, 60, 40)
	for _, d := range depots {
		lat, lng := jitter(r, d[0], d[1], 0.5)
		clOrigins = append(clOrigins, d, [2]float64{lat, lng})
	}
	out = append(out, fl{"clustered depots", cl, clOrigins})

	// On cell boundaries: every vertex and edge midpoint of the cells around the centre,
	// queried from boundary points too.
	bd := fleetMap{}
	pts := cellPoints(t, countyLat, countyLng, 12)
	for i, p := range pts {
		bd[int64(i+1)] = p
	}
	var bdOrigins [][2]float64
	for i := 0; i < len(pts); i += 97 {
		bdOrigins = append(bdOrigins, pts[i])
	}
	bdOrigins = append(bdOrigins, randomOrigins(countyLat, countyLng, 10, 20)...)
	out = append(out, fl{"on cell boundaries", bd, bdOrigins})

	// Few vehicles: the search gives up on rings and scans them all.
	sp := fleetMap{}
	for id := int64(1); id <= 30; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		sp[id] = [2]float64{lat, lng}
	}
	out = append(out, fl{"30 vehicles", sp, randomOrigins(countyLat, countyLng, 60, 100)})

	// Elsewhere on the globe: across the antimeridian, far north, around a pentagon.
	for _, at := range []struct {
		name     string
		lat, lng float64
	}{
		{"across the antimeridian", -16.8, 179.95},
		{"Svalbard, 78°N", 78.22, 15.65},
		{"around a pentagon", math.NaN(), 0},
	} {
		lat, lng := at.lat, at.lng
		if math.IsNaN(lat) {
			p := pentagons()[3]
			lat, lng = p.phi/degToRad, p.lambda/degToRad
		}
		f := fleetMap{}
		for id := int64(1); id <= 2000; id++ {
			la, lo := boxPoint(r, lat, lng, 40)
			f[id] = [2]float64{la, lo}
		}
		out = append(out, fl{at.name, f, randomOrigins(lat, lng, 50, 30)})
	}
	return out
}

func TestNearestMatchesBruteForce(t *testing.T) {
	for _, fl := range fleets(t) {
		t.Run(fl.name, func(t *testing.T) {
			ix := load(t, fl.f)
			if ix.Len() != len(fl.f) {
				t.Fatalf("Len: got %d, want %d", ix.Len(), len(fl.f))
			}
			for _, o := range fl.origins {
				for _, maxKm := range []float64{0, 3} {
					all := bruteForceAll(fl.f, o[0], o[1], Query{MaxKm: maxKm})
					for _, want := range []int{1, 2, 7, 20, 100, 500, len(fl.f) + 5} {
						got, err := ix.Nearest(o[0], o[1], Query{Want: want, MaxKm: maxKm})
						if err != nil {
							t.Fatal(err)
						}
						sameHits(t, fmt.Sprintf("Nearest(%v, %v, Want %d, MaxKm %v)", o[0], o[1], want, maxKm), got, all[:min(len(all), want)])
					}
				}
			}
		})
	}
}

// The ring search, not the scan of everything, answers ordinary queries in the county.
func TestRingSearchAnswersCountyQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	f := fleetMap{}
	for id := int64(1); id <= 5000; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		f[id] = [2]float64{lat, lng}
	}
	ix := load(t, f)
	for range 200 {
		lat, lng := boxPoint(r, countyLat, countyLng, 50)
		origin, _ := h3.LatLngToCell(h3.LatLng{Lat: lat, Lng: lng}, res)
		e, err := ix.scale(origin)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []int{20, 100} {
			s := newSearch(lat, lng, Query{Want: want})
			s.h = make([]Hit, 0, want)
			if nearPentagon(s.q, s.maxKm+pentagonMarginKm) {
				t.Fatalf("%v,%v: got near a pentagon, want not", lat, lng)
			}
			if !ix.ringSearch(&s, origin, e) {
				t.Fatalf("ringSearch(%v,%v, Want %d): gave up, want an answer from the rings", lat, lng, want)
			}
		}
	}
}

// A search that would need the ring bound farther out than it was checked scans everything.
func TestNearestBeyondCheckedBound(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	f := fleetMap{}
	// 60,000 vehicles in one yard 150 km north: rings would stay cheaper than a full scan
	// until well past boundValidKm.
	far := countyLat + 150/(earthRadiusKm*degToRad)
	for id := int64(1); id <= 60_000; id++ {
		f[id] = [2]float64{far, countyLng}
	}
	for id := int64(60_001); id <= 60_003; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 100)
		f[id] = [2]float64{lat, lng}
	}
	ix := load(t, f)
	q := Query{Want: 5, MaxKm: 140}
	s := newSearch(countyLat, countyLng, q)
	s.h = make([]Hit, 0, q.Want)
	origin, _ := h3.LatLngToCell(h3.LatLng{Lat: countyLat, Lng: countyLng}, res)
	e, err := ix.scale(origin)
	if err != nil {
		t.Fatal(err)
	}
	if ix.ringSearch(&s, origin, e) {
		t.Fatalf("ringSearch with MaxKm %v: got an answer from the rings, want it to give up past %v km", q.MaxKm, boundValidKm)
	}
	got, err := ix.Nearest(countyLat, countyLng, q)
	if err != nil {
		t.Fatal(err)
	}
	sameHits(t, "beyond the checked bound", got, bruteForce(f, countyLat, countyLng, q))
}

func TestNearestFilter(t *testing.T) {
	fl := fleets(t)[0]
	ix := load(t, fl.f)
	filters := map[string]func(int64) bool{
		"odd ids":      func(id int64) bool { return id%2 == 1 },
		"one in 50":    func(id int64) bool { return id%50 == 0 },
		"none":         func(int64) bool { return false },
		"one vehicle":  func(id int64) bool { return id == 4321 },
		"all but 1..9": func(id int64) bool { return id > 9 },
	}
	for name, keep := range filters {
		t.Run(name, func(t *testing.T) {
			for _, o := range fl.origins[:30] {
				all := bruteForceAll(fl.f, o[0], o[1], Query{Filter: keep})
				for _, want := range []int{1, 20, 100} {
					got, err := ix.Nearest(o[0], o[1], Query{Want: want, Filter: keep})
					if err != nil {
						t.Fatal(err)
					}
					for _, h := range got {
						if !keep(h.VehicleID) {
							t.Fatalf("got vehicle %d, which the filter rejects", h.VehicleID)
						}
					}
					sameHits(t, fmt.Sprintf("Nearest(%v, Want %d)", o, want), got, all[:min(len(all), want)])
				}
			}
		})
	}
}

func TestNearestMaxKm(t *testing.T) {
	// Vehicles due north of the origin at known distances.
	const lat0, lng0 = countyLat, countyLng
	f := fleetMap{}
	for i, km := range []float64{0, 0.4, 1, 2.999, 3.001, 10, 49.9, 50.1, 80} {
		f[int64(i+1)] = [2]float64{lat0 + km/(earthRadiusKm*degToRad), lng0}
	}
	ix := load(t, f)
	tests := []struct {
		maxKm float64
		want  []int64
	}{
		{0, []int64{1, 2, 3, 4, 5, 6, 7}}, // the default: 50 km
		{3, []int64{1, 2, 3, 4}},
		{0.4 + 1e-9, []int64{1, 2}},
		{0.1, []int64{1}},
		{1000, []int64{1, 2, 3, 4, 5, 6, 7, 8, 9}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("MaxKm %v", tt.maxKm), func(t *testing.T) {
			got, err := ix.Nearest(lat0, lng0, Query{Want: 100, MaxKm: tt.maxKm})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, h := range got {
				ids = append(ids, h.VehicleID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Fatalf("got %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestSetMoveRemove(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	f := fleetMap{}
	ix := New()
	set := func(id int64, lat, lng float64) {
		t.Helper()
		if err := ix.Set(id, lat, lng); err != nil {
			t.Fatalf("Set(%d): %v", id, err)
		}
		f[id] = [2]float64{lat, lng}
	}
	for id := int64(1); id <= 3000; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		set(id, lat, lng)
	}
	for round := range 15 {
		for range 500 {
			id := 1 + r.Int64N(3200) // some ids are new
			switch x := r.IntN(10); {
			case x < 6: // a few metres to a few hundred: often the same cell
				p, ok := f[id]
				if !ok {
					p[0], p[1] = boxPoint(r, countyLat, countyLng, 60)
				}
				lat, lng := jitter(r, p[0], p[1], 0.2)
				set(id, lat, lng)
			case x < 8: // anywhere in the county
				lat, lng := boxPoint(r, countyLat, countyLng, 60)
				set(id, lat, lng)
			default:
				ix.Remove(id)
				delete(f, id)
			}
		}
		if ix.Len() != len(f) {
			t.Fatalf("round %d: Len: got %d, want %d", round, ix.Len(), len(f))
		}
		for id := int64(1); id <= 3200; id++ {
			lat, lng, ok := ix.Position(id)
			p, want := f[id]
			if ok != want || (ok && (lat != p[0] || lng != p[1])) {
				t.Fatalf("round %d: Position(%d): got %v,%v,%v, want %v,%v", round, id, lat, lng, ok, p, want)
			}
		}
		for range 20 {
			lat, lng := boxPoint(r, countyLat, countyLng, 60)
			q := Query{Want: 1 + r.IntN(150)}
			got, err := ix.Nearest(lat, lng, q)
			if err != nil {
				t.Fatal(err)
			}
			sameHits(t, fmt.Sprintf("round %d", round), got, bruteForce(f, lat, lng, q))
		}
	}

	// Removing what is not there changes nothing; removing everything empties the index.
	n := ix.Len()
	ix.Remove(999_999)
	if ix.Len() != n {
		t.Fatalf("Len after removing an unknown vehicle: got %d, want %d", ix.Len(), n)
	}
	for id := range f {
		ix.Remove(id)
	}
	if ix.Len() != 0 || len(ix.cells) != 0 {
		t.Fatalf("after removing all: got Len %d and %d cells, want 0 and 0", ix.Len(), len(ix.cells))
	}
	got, err := ix.Nearest(countyLat, countyLng, Query{Want: 5})
	if err != nil || len(got) != 0 {
		t.Fatalf("Nearest on an empty index: got %v, %v, want no hits", got, err)
	}
}

func TestNearestAppendReusesBuffer(t *testing.T) {
	fl := fleets(t)[0]
	ix := load(t, fl.f)
	keep := []Hit{{VehicleID: -1, DistanceKm: -1}}
	buf := make([]Hit, 1, 64)
	copy(buf, keep)
	o := fl.origins[0]
	got, err := ix.NearestAppend(buf, o[0], o[1], Query{Want: 20})
	if err != nil {
		t.Fatal(err)
	}
	if &got[0] != &buf[0] {
		t.Fatalf("got a new array, want dst's (capacity %d is enough)", cap(buf))
	}
	if got[0] != keep[0] {
		t.Fatalf("dst[0]: got %+v, want it kept: %+v", got[0], keep[0])
	}
	sameHits(t, "appended", got[1:], bruteForce(fl.f, o[0], o[1], Query{Want: 20}))
}

func TestConcurrentMovesAndQueries(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n, writers, readers = 2000, 4, 4
	ix := New()
	for id := int64(1); id <= n; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		if err := ix.Set(id, lat, lng); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	start := time.Now()
	var wg, writing sync.WaitGroup
	errs := make(chan error, writers+readers)
	for w := range writers {
		writing.Add(1)
		wg.Go(func() {
			defer writing.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for i := 0; i < 300 || time.Since(start) < time.Second; i++ {
				id := int64(w + 1 + writers*r.IntN(n/writers)) // each writer owns its vehicles
				lat, lng := boxPoint(r, countyLat, countyLng, 60)
				if i%10 == 9 {
					ix.Remove(id)
				}
				if err := ix.Set(id, lat, lng); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for g := range readers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(g), 10))
			var buf []Hit
			for {
				select {
				case <-stop:
					return
				default:
				}
				lat, lng := boxPoint(r, countyLat, countyLng, 60)
				want := 1 + r.IntN(60)
				var err error
				buf, err = ix.NearestAppend(buf[:0], lat, lng, Query{Want: want, Filter: func(id int64) bool { return id%3 != 0 }})
				if err != nil {
					errs <- err
					return
				}
				if len(buf) > want {
					errs <- fmt.Errorf("got %d hits, want at most %d", len(buf), want)
					return
				}
				seen := map[int64]bool{}
				for i, h := range buf {
					if seen[h.VehicleID] || h.VehicleID%3 == 0 || (i > 0 && hitLess(h, buf[i-1])) {
						errs <- fmt.Errorf("got %+v: a duplicate, filtered or out-of-order hit at %d", buf, i)
						return
					}
					seen[h.VehicleID] = true
				}
				_, _, _ = ix.Position(int64(1 + r.IntN(n)))
				_ = ix.Len()
			}
		})
	}
	writing.Wait()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if ix.Len() != n {
		t.Fatalf("Len: got %d, want %d", ix.Len(), n)
	}
	// Quiet again: the index agrees with its own positions.
	f := fleetMap{}
	for id := int64(1); id <= n; id++ {
		lat, lng, ok := ix.Position(id)
		if !ok {
			t.Fatalf("Position(%d): missing", id)
		}
		f[id] = [2]float64{lat, lng}
	}
	for range 50 {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		got, err := ix.Nearest(lat, lng, Query{Want: 25})
		if err != nil {
			t.Fatal(err)
		}
		sameHits(t, "after the writers", got, bruteForce(f, lat, lng, Query{Want: 25}))
	}
}

func TestInvalidInput(t *testing.T) {
	ix := New()
	if err := ix.Set(1, countyLat, countyLng); err != nil {
		t.Fatal(err)
	}
	inf, nan := math.Inf(1), math.NaN()
	for _, tt := range []struct {
		name     string
		lat, lng float64
		field    string
	}{
		{"latitude above 90", 90.0001, 114, "lat"},
		{"latitude below -90", -91, 114, "lat"},
		{"longitude above 180", 27, 180.5, "lng"},
		{"longitude below -180", 27, -181, "lng"},
		{"NaN latitude", nan, 114, "lat"},
		{"NaN longitude", 27, nan, "lng"},
		{"infinite latitude", inf, 114, "lat"},
		{"infinite longitude", 27, -inf, "lng"},
	} {
		t.Run("Set "+tt.name, func(t *testing.T) {
			err := ix.Set(1, tt.lat, tt.lng)
			checkInvalid(t, err, tt.field)
			if lat, lng, _ := ix.Position(1); lat != countyLat || lng != countyLng {
				t.Fatalf("position after a rejected Set: got %v,%v, want it unchanged", lat, lng)
			}
			if err := ix.Set(2, tt.lat, tt.lng); err == nil || ix.Len() != 1 {
				t.Fatalf("Set of a new vehicle: got %v and Len %d, want an error and Len 1", err, ix.Len())
			}
		})
		t.Run("Nearest "+tt.name, func(t *testing.T) {
			hits, err := ix.Nearest(tt.lat, tt.lng, Query{Want: 1})
			checkInvalid(t, err, tt.field)
			if hits != nil {
				t.Fatalf("got %v, want no hits", hits)
			}
		})
	}
	for _, tt := range []struct {
		name  string
		q     Query
		field string
	}{
		{"Want 0", Query{}, "want"},
		{"negative Want", Query{Want: -3}, "want"},
		{"negative MaxKm", Query{Want: 1, MaxKm: -1}, "max_km"},
		{"NaN MaxKm", Query{Want: 1, MaxKm: nan}, "max_km"},
	} {
		t.Run("Nearest "+tt.name, func(t *testing.T) {
			_, err := ix.Nearest(countyLat, countyLng, tt.q)
			checkInvalid(t, err, tt.field)
		})
	}
	// The edges of the valid ranges are valid.
	for _, p := range [][2]float64{{90, 0}, {-90, 0}, {0, 180}, {0, -180}} {
		if err := ix.Set(3, p[0], p[1]); err != nil {
			t.Fatalf("Set(%v): got %v, want no error", p, err)
		}
		if _, err := ix.Nearest(p[0], p[1], Query{Want: 1}); err != nil {
			t.Fatalf("Nearest(%v): got %v, want no error", p, err)
		}
	}
}

func checkInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if code := fleet.ErrorCode(err); code != fleet.EInvalid {
		t.Fatalf("got error %v (code %q), want code %q", err, code, fleet.EInvalid)
	}
	var fe *fleet.Error
	if !errors.As(err, &fe) || fe.Fields[field] == "" {
		t.Fatalf("got %v, want a problem with %q", err, field)
	}
}

func TestHaversine(t *testing.T) {
	degKm := earthRadiusKm * degToRad // 111.195 km per degree of a great circle
	for _, tt := range []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want                   float64
	}{
		{"same point", countyLat, countyLng, countyLat, countyLng, 0},
		{"one degree of the equator", 0, 0, 0, 1, degKm},
		{"one degree of a meridian", 27, 114, 28, 114, degKm},
		{"across the antimeridian", 0, 179.5, 0, -179.5, degKm},
		{"pole to pole", 90, 0, -90, 0, math.Pi * earthRadiusKm},
		{"antipodes", 0, 0, 0, 180, math.Pi * earthRadiusKm},
		// Changsha (28.2282, 112.9388) to the county centre: 158.6 km by an independent
		// spherical-law-of-cosines computation.
		{"Changsha to the county", 28.2282, 112.9388, countyLat, countyLng, sphericalCosKm(28.2282, 112.9388, countyLat, countyLng)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Haversine(tt.lat1, tt.lng1, tt.lat2, tt.lng2)
			if math.Abs(got-tt.want) > 1e-6 {
				t.Fatalf("got %.9f km, want %.9f", got, tt.want)
			}
			if back := Haversine(tt.lat2, tt.lng2, tt.lat1, tt.lng1); back != got {
				t.Fatalf("reversed: got %v, want %v to the bit", back, got)
			}
		})
	}
}

func sphericalCosKm(lat1, lng1, lat2, lng2 float64) float64 {
	p1, p2 := lat1*degToRad, lat2*degToRad
	c := math.Sin(p1)*math.Sin(p2) + math.Cos(p1)*math.Cos(p2)*math.Cos((lng2-lng1)*degToRad)
	return earthRadiusKm * math.Acos(c)
}

// TestRingLowerBound checks on real H3 cells the two factors ringLowerBoundKm rests on: the
// centres of the cells n rings out are at least spacingFactor × 1.5·n·e from the origin cell's
// centre, and no cell reaches farther than reachFactor × e from its centre. Rings go out past
// boundValidKm.
func TestRingLowerBound(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	places := [][2]float64{{countyLat, countyLng}, {countyLat + 0.2, countyLng - 0.25}, {-16.8, 179.95}, {78.22, 15.65}, {-33.9, 18.4}, {64.1, -21.9}, {0, 0}}
	for len(places) < 12 { // random places away from pentagons
		lat, lng := math.Asin(2*r.Float64()-1)/degToRad, 360*r.Float64()-180
		if !nearPentagon(toPoint(lat, lng), 2*pentagonMarginKm) {
			places = append(places, [2]float64{lat, lng})
		}
	}
	ix := New()
	for _, pl := range places {
		origin, err := h3.LatLngToCell(h3.LatLng{Lat: pl[0], Lng: pl[1]}, res)
		if err != nil {
			t.Fatal(err)
		}
		e, err := ix.scale(origin)
		if err != nil {
			t.Fatal(err)
		}
		o, _ := h3.CellToLatLng(origin)
		reach := func(c h3.Cell, centre h3.LatLng) {
			b, _ := h3.CellToBoundary(c)
			for _, v := range b {
				if d := Haversine(centre.Lat, centre.Lng, v.Lat, v.Lng); d > reachFactor*e {
					t.Fatalf("%v: cell %v reaches %.4f km from its centre, want at most %.2f × %.4f", pl, c, d, reachFactor, e)
				}
			}
		}
		reach(origin, o)
		lastRing := int((boundValidKm/e+2*reachFactor)/(1.5*spacingFactor)) + 5
		for n := 1; n <= lastRing; n++ {
			ring, err := h3.GridRingUnsafe(origin, n)
			if err != nil {
				t.Fatalf("%v: ring %d: %v", pl, n, err)
			}
			for i, c := range ring {
				at, _ := h3.CellToLatLng(c)
				if d, min := Haversine(o.Lat, o.Lng, at.Lat, at.Lng), spacingFactor*1.5*float64(n)*e; d < min {
					t.Fatalf("%v: ring %d: cell %v's centre is %.4f km from the origin's, want at least %.4f", pl, n, c, d, min)
				}
				if n < 4 || n%8 == 0 || i%11 == 0 {
					reach(c, at)
				}
			}
		}
		if lb := ringLowerBoundKm(lastRing, e); lb <= boundValidKm {
			t.Fatalf("%v: rings checked reach %.1f km, want beyond %v", pl, lb, boundValidKm)
		}
	}
}

// benchFleet is 5,000 vehicles over the county and 1,000 origins in it.
func benchFleet(b *testing.B) (*Index, [][2]float64) {
	r := rand.New(rand.NewPCG(13, 14))
	ix := New()
	for id := int64(1); id <= 5000; id++ {
		lat, lng := boxPoint(r, countyLat, countyLng, 60)
		if err := ix.Set(id, lat, lng); err != nil {
			b.Fatal(err)
		}
	}
	origins := make([][2]float64, 1000)
	for i := range origins {
		origins[i][0], origins[i][1] = boxPoint(r, countyLat, countyLng, 55)
	}
	return ix, origins
}

// cpuTime returns the CPU time the process has used: on a shared machine a truer cost than the
// wall clock, which counts the time other processes hold the cores.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkNearest: 5,000 vehicles in the county, Want 20 and 100, from random origins; also
// reported: the p99 of single queries (wall clock; timing each adds ~50 ns) and the CPU time
// per query.
func BenchmarkNearest(b *testing.B) {
	for _, bc := range []struct {
		name   string
		want   int
		filter func(int64) bool
	}{
		{"want=20", 20, nil},
		{"want=100", 100, nil},
		{"want=20/filter=1in10", 20, func(id int64) bool { return id%10 == 0 }},
		// 10 vehicles qualify: the rings never fill Want, the search ends scanning everything.
		{"want=20/filter=1in500", 20, func(id int64) bool { return id%500 == 0 }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ix, origins := benchFleet(b)
			buf := make([]Hit, 0, bc.want)
			var took []time.Duration
			i := 0
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				o := origins[i%len(origins)]
				i++
				start := time.Now()
				var err error
				buf, err = ix.NearestAppend(buf[:0], o[0], o[1], Query{Want: bc.want, Filter: bc.filter})
				took = append(took, time.Since(start))
				if err != nil || len(buf) > bc.want || (bc.filter == nil && len(buf) != bc.want) {
					b.Fatalf("got %d hits, %v, want %d", len(buf), err, bc.want)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
			slices.SortFunc(took, cmp.Compare)
			b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds()), "p99-ns")
		})
	}
}

// BenchmarkSet moves vehicles of the 5,000 by up to ~100 m, as a position fix does.
func BenchmarkSet(b *testing.B) {
	ix, _ := benchFleet(b)
	r := rand.New(rand.NewPCG(15, 16))
	type move struct {
		id       int64
		lat, lng float64
	}
	moves := make([]move, 4096)
	for i := range moves {
		id := 1 + r.Int64N(5000)
		lat, lng, _ := ix.Position(id)
		lat, lng = jitter(r, lat, lng, 0.1)
		moves[i] = move{id, lat, lng}
	}
	i := 0
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		m := moves[i%len(moves)]
		i++
		if err := ix.Set(m.id, m.lat, m.lng); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}
