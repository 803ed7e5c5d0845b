package demo_test

import (
	"context"
	"testing"

	"fleet"
	"fleet/auth"
	"fleet/bus"
	"fleet/demo"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

func newTrackingService(t *testing.T, db *store.DB) *tracking.Service {
	t.Helper()
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	svc, err := tracking.NewService(db, b, tracking.Options{NoDetectors: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(svc.Close)
	return svc
}

// inside is the even-odd test of a [lat, lng] ring.
func insideRing(ring [][2]float64, lat, lng float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		if (ring[i][0] > lat) != (ring[j][0] > lat) && lng < (ring[j][1]-ring[i][1])*(lat-ring[i][0])/(ring[j][0]-ring[i][0])+ring[i][1] {
			in = !in
		}
	}
	return in
}

func TestSeedGeofences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newTrackingService(t, db)
		if err := demo.SeedGeofences(ctx, svc); err != nil {
			t.Fatal(err)
		}
		list := func() []tracking.Geofence {
			gs, _, err := svc.ListGeofences(ctx, auth.System, tracking.GeofenceFilter{Page: fleet.Page{Limit: 500}})
			if err != nil {
				t.Fatal(err)
			}
			return gs
		}
		first := list()
		var county *tracking.Geofence
		parking := 0
		for i, g := range first {
			switch g.Kind {
			case tracking.FenceCountyBoundary:
				county = &first[i]
			case tracking.FenceParking:
				parking++
				if g.Shape != tracking.ShapeCircle || *g.RadiusM != 80 {
					t.Errorf("parking %s: %s of %v m, want a circle of 80 m", g.Name, g.Shape, g.RadiusM)
				}
			}
		}
		if county == nil || len(county.Polygon) < 12 || len(county.Polygon) > 20 {
			t.Fatalf("county boundary = %+v, want a polygon of 12 to 20 points", county)
		}
		if parking < 4 || parking > 5 || first[1].Name != "县机关事务管理中心车库" {
			t.Fatalf("parking points = %d (second fence %s), want the motor pool and 3-4 others", parking, first[1].Name)
		}
		// The county holds the box fleetsim drives in (±0.1° round the seat) and every parking point.
		for _, c := range [][2]float64{{27.7, 114.3}, {27.7, 114.5}, {27.9, 114.3}, {27.9, 114.5}, {27.8, 114.4}} {
			if !insideRing(county.Polygon, c[0], c[1]) {
				t.Errorf("%v is outside the county", c)
			}
		}
		for _, g := range first {
			if g.Center != nil && !insideRing(county.Polygon, g.Center.Lat, g.Center.Lng) {
				t.Errorf("%s is outside the county", g.Name)
			}
		}

		if err := demo.SeedGeofences(ctx, svc); err != nil {
			t.Fatal(err)
		}
		if again := list(); len(again) != len(first) {
			t.Fatalf("fences after a second seed = %d, want %d", len(again), len(first))
		}
	})
}
