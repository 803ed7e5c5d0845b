package tracking

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/uber/h3-go/v4"
)

// Around the demo county.
const fenceLat, fenceLng = 27.8, 114.4

// offset moves a point by north and east metres (tangent plane: exact enough over a few km).
func fenceOffset(lat, lng, north, east float64) (float64, float64) {
	return lat + north/metresPerDegree, lng + east/(metresPerDegree*math.Cos(lat*math.Pi/180))
}

// starPolygon is a random simple polygon round a centre: vertices at increasing angles and
// random radii, so it is often concave but never crosses itself.
func starPolygon(rng *rand.Rand, lat, lng, radius float64, n int) [][]float64 {
	pts := make([][]float64, n)
	for i := range n {
		a := (float64(i) + rng.Float64()*0.8) / float64(n) * 2 * math.Pi
		r := radius * (0.3 + 0.7*rng.Float64())
		la, ln := fenceOffset(lat, lng, r*math.Sin(a), r*math.Cos(a))
		pts[i] = []float64{la, ln}
	}
	return pts
}

// randomFences makes n fences within spread metres of the county centre: circles of 50 m to
// 3 km and polygons of 3 to 40 vertices and 100 m to 5 km, every one through the validation
// and the cover of the service.
func randomFences(t testing.TB, rng *rand.Rand, n int, spread float64) []*fence {
	t.Helper()
	var out []*fence
	for i := 0; len(out) < n; i++ {
		lat, lng := fenceOffset(fenceLat, fenceLng, (rng.Float64()*2-1)*spread, (rng.Float64()*2-1)*spread)
		in := GeofenceInput{Name: fmt.Sprintf("fence %d", i), Kind: FenceArea}
		if rng.IntN(2) == 0 {
			in.Shape, in.Center, in.RadiusM = ShapeCircle, &LatLng{Lat: lat, Lng: lng}, 50+rng.Float64()*2950
		} else {
			in.Shape, in.Polygon = ShapePolygon, starPolygon(rng, lat, lng, 100+rng.Float64()*4900, 3+rng.IntN(38))
		}
		if err := in.validate(); err != nil {
			continue // a rare sliver too thin to have area
		}
		f, err := buildFence(int64(len(out)+1), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func bruteForceIDs(fences []*fence, lat, lng float64) []int64 {
	var ids []int64
	for _, f := range fences {
		if f.geo.contains(lat, lng) {
			ids = append(ids, f.id)
		}
	}
	return ids
}

func indexedIDs(ix *fenceIndex, lat, lng float64) []int64 {
	var ids []int64
	for _, f := range ix.appendAt(nil, lat, lng) {
		ids = append(ids, f.id)
	}
	slices.Sort(ids)
	return ids
}

// nearBorder returns points a few metres and a few centimetres either side of a fence's border.
func nearBorder(rng *rand.Rand, f *fence) [][2]float64 {
	var pts [][2]float64
	for _, d := range []float64{-3, -0.5, -0.02, 0.02, 0.5, 3} {
		switch g := f.geo.(type) {
		case *circle:
			for range 4 {
				a := rng.Float64() * 2 * math.Pi
				lat, lng := fenceOffset(g.lat, g.lng, (g.radiusM+d)*math.Sin(a), (g.radiusM+d)*math.Cos(a))
				pts = append(pts, [2]float64{lat, lng})
			}
		case *polygon:
			n := len(g.lat)
			for i := range n {
				j := (i + 1) % n
				t := rng.Float64()
				lat, lng := g.lat[i]+t*(g.lat[j]-g.lat[i]), g.lng[i]+t*(g.lng[j]-g.lng[i])
				// Along the edge's normal, d metres.
				kx := metresPerDegree * math.Cos(lat*math.Pi/180)
				ex, ey := (g.lng[j]-g.lng[i])*kx, (g.lat[j]-g.lat[i])*metresPerDegree
				l := math.Hypot(ex, ey)
				lat, lng = fenceOffset(lat, lng, ex/l*d, -ey/l*d)
				pts = append(pts, [2]float64{lat, lng})
			}
		}
	}
	return pts
}

// The index answers exactly what testing every fence answers: for random points over the
// county and for points centimetres either side of every border.
func TestFenceIndexMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 27))
	fences := randomFences(t, rng, 300, 25_000)
	// And two as large as a county: a concave 40-gon of up to 25 km radius, a 15 km circle.
	for _, in := range []GeofenceInput{
		{Name: "county", Kind: FenceCountyBoundary, Shape: ShapePolygon, Polygon: starPolygon(rng, fenceLat, fenceLng, 25_000, 40)},
		{Name: "disc", Kind: FenceArea, Shape: ShapeCircle, Center: &LatLng{Lat: fenceLat - 0.05, Lng: fenceLng + 0.05}, RadiusM: 15_000},
	} {
		if err := in.validate(); err != nil {
			t.Fatal(err)
		}
		f, err := buildFence(int64(len(fences)+1), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		fences = append(fences, f)
	}
	ix := newFenceIndex(fences)
	var pts [][2]float64
	for range 20_000 {
		lat, lng := fenceOffset(fenceLat, fenceLng, (rng.Float64()*2-1)*30_000, (rng.Float64()*2-1)*30_000)
		pts = append(pts, [2]float64{lat, lng})
	}
	for _, f := range fences {
		pts = append(pts, nearBorder(rng, f)...)
	}
	hits, borderTests := 0, 0
	for _, p := range pts {
		want, got := bruteForceIDs(fences, p[0], p[1]), indexedIDs(ix, p[0], p[1])
		if !slices.Equal(got, want) {
			c, _ := h3.LatLngToCell(h3.LatLng{Lat: p[0], Lng: p[1]}, fenceRes)
			t.Fatalf("point %.9f,%.9f (cell %v): index says %v, testing every fence says %v", p[0], p[1], c, got, want)
		}
		hits += len(want)
		c, _ := h3.LatLngToCell(h3.LatLng{Lat: p[0], Lng: p[1]}, fenceRes)
		for _, e := range ix.entries[ix.cells[c].off : ix.cells[c].off+ix.cells[c].n] {
			if !e.inside {
				borderTests++
			}
		}
	}
	if hits < 1000 {
		t.Fatalf("only %d point-in-fence hits: the test fences miss the points", hits)
	}
	t.Logf("%d points, %d fences, %d cells, %d hits, %.2f exact tests per point", len(pts), len(fences), len(ix.cells), hits, float64(borderTests)/float64(len(pts)))
}

// An L-shaped (concave) polygon and a small circle: points a metre and a centimetre inside the
// border are in, just outside are out, and the notch of the L is out.
func TestFenceCoverKeepsTheBorder(t *testing.T) {
	lshape := [][]float64{}
	for _, ne := range [][2]float64{{0, 0}, {0, 6000}, {2000, 6000}, {2000, 2000}, {6000, 2000}, {6000, 0}} {
		lat, lng := fenceOffset(fenceLat, fenceLng, ne[0], ne[1])
		lshape = append(lshape, []float64{lat, lng})
	}
	poly := GeofenceInput{Name: "L", Kind: FenceArea, Shape: ShapePolygon, Polygon: lshape}
	circ := GeofenceInput{Name: "车库", Kind: FenceParking, Shape: ShapeCircle, Center: &LatLng{Lat: fenceLat + 0.1, Lng: fenceLng}, RadiusM: 80}
	var fences []*fence
	for i, in := range []GeofenceInput{poly, circ} {
		if err := in.validate(); err != nil {
			t.Fatal(err)
		}
		f, err := buildFence(int64(i+1), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		fences = append(fences, f)
	}
	ix := newFenceIndex(fences)
	inside, border := 0, 0
	for _, c := range fences[0].cells {
		if c.inside {
			inside++
		} else {
			border++
		}
	}
	if inside == 0 || border == 0 {
		t.Fatalf("L cover: %d inside, %d border cells; want both", inside, border)
	}
	for _, c := range fences[1].cells {
		if c.inside {
			t.Fatalf("an 80 m circle has a cell wholly inside it: %v", c.cell)
		}
	}
	tests := []struct {
		name        string
		north, east float64
		want        []int64
	}{
		{"south edge, 1 m in", 1, 1500, []int64{1}},
		{"south edge, 1 cm in", 0.01, 4500, []int64{1}},
		{"south edge, 1 m out", -1, 1500, nil},
		{"east end, 1 cm in", 1000, 5999.99, []int64{1}},
		{"east end, 1 cm out", 1000, 6000.01, nil},
		{"inner corner, 1 m in both ways", 1999, 1999, []int64{1}},
		{"notch, 1 m past the inner corner", 2001, 2001, nil},
		{"notch, middle", 4000, 4000, nil},
		{"inner edge of the north arm, 1 cm in", 5000, 1999.99, []int64{1}},
		{"inner edge of the north arm, 1 cm out", 5000, 2000.01, nil},
		{"deep inside", 1000, 1000, []int64{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lat, lng := fenceOffset(fenceLat, fenceLng, tc.north, tc.east)
			if got := indexedIDs(ix, lat, lng); !slices.Equal(got, tc.want) {
				t.Fatalf("fences at %s = %v, want %v", tc.name, got, tc.want)
			}
		})
	}
	for _, d := range []float64{-0.05, 0.05, 79.9, 80.1} {
		for a := 0.0; a < 2*math.Pi; a += math.Pi / 8 {
			lat, lng := fenceOffset(fenceLat+0.1, fenceLng, d*math.Sin(a), d*math.Cos(a))
			got := indexedIDs(ix, lat, lng)
			if want := d < 80; (len(got) == 1) != want {
				t.Fatalf("%.2f m from the circle's centre at %.2f rad: fences %v, want inside %v", d, a, got, want)
			}
		}
	}
}

// Polyfill by cell centre alone would miss a small fence lying between cell centres; the cover
// must not.
func TestFenceCoverSmallPolygon(t *testing.T) {
	var sq [][]float64
	for _, ne := range [][2]float64{{0, 0}, {0, 30}, {30, 30}, {30, 0}} {
		lat, lng := fenceOffset(fenceLat+0.0123, fenceLng+0.0321, ne[0], ne[1])
		sq = append(sq, []float64{lat, lng})
	}
	in := GeofenceInput{Name: "门岗", Kind: FenceArea, Shape: ShapePolygon, Polygon: sq}
	if err := in.validate(); err != nil {
		t.Fatal(err)
	}
	f, err := buildFence(1, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	ix := newFenceIndex([]*fence{f})
	lat, lng := fenceOffset(fenceLat+0.0123, fenceLng+0.0321, 15, 15)
	if got := indexedIDs(ix, lat, lng); len(got) != 1 {
		t.Fatalf("the middle of a 30 m square: fences %v, want it", got)
	}
}

// BenchmarkFenceLookup is the per-point cost of the fence test with 500 fences around the
// county: one LatLngToCell, one map lookup, exact tests for border cells only.
//
//	go test ./tracking/ -run '^$' -bench FenceLookup -benchmem
func BenchmarkFenceLookup(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	fences := randomFences(b, rng, 500, 30_000)
	ix := newFenceIndex(fences)
	const n = 1 << 14
	lat, lng, cells := make([]float64, n), make([]float64, n), make([]h3.Cell, n)
	for i := range n {
		lat[i], lng[i] = fenceOffset(fenceLat, fenceLng, (rng.Float64()*2-1)*35_000, (rng.Float64()*2-1)*35_000)
		cells[i], _ = h3.LatLngToCell(h3.LatLng{Lat: lat[i], Lng: lng[i]}, fenceRes)
	}
	var buf [maxFencesAtOnce]*fence
	b.Run("point", func(b *testing.B) {
		b.ReportAllocs()
		found := 0
		for i := 0; b.Loop(); i++ {
			found += len(ix.appendAt(buf[:0], lat[i%n], lng[i%n]))
		}
		b.ReportMetric(float64(found)/float64(b.N), "fences/op")
	})
	b.Run("cell-known", func(b *testing.B) { // without H3: the index's own share
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			ix.appendIn(buf[:0], cells[i%n], lat[i%n], lng[i%n])
		}
	})
	b.Run("brute-force", func(b *testing.B) { // every fence, for comparison
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			k := 0
			for _, f := range fences {
				if f.geo.contains(lat[i%n], lng[i%n]) {
					k++
				}
			}
		}
	})
	b.Run("h3-latlng-to-cell", func(b *testing.B) { // the H3 share alone
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			h3.LatLngToCell(h3.LatLng{Lat: lat[i%n], Lng: lng[i%n]}, fenceRes)
		}
	})
	b.Logf("%d fences, %d cells, %d entries", len(fences), len(ix.cells), len(ix.entries))
}
