package tracking_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"fleet/auth"
	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// BenchmarkIngest measures durable points per second through the pipeline: many goroutines (as
// many terminals) each submit one point and wait for its commit, as the gateway does before it
// acknowledges. points/s is the figure to compare; ns/op is per point.
func BenchmarkIngest(b *testing.B) {
	for _, c := range []struct {
		dialect   string
		detectors bool
	}{{store.SQLite, false}, {store.SQLite, true}, {store.MySQL, false}, {store.MySQL, true}} {
		dialect := c.dialect
		name := dialect + "/detectors=off"
		if c.detectors {
			name = dialect + "/detectors=on"
		}
		b.Run(name, func(b *testing.B) {
			if dialect == store.MySQL && os.Getenv("FLEET_TEST_MYSQL_DSN") == "" {
				b.Skip("FLEET_TEST_MYSQL_DSN not set")
			}
			var db *store.DB
			if dialect == store.SQLite {
				db = storetest.SQLite(b)
			} else {
				db = storetest.MySQL(b)
			}
			const vehicles = 6000
			now := time.Now().UTC()
			for i := 0; i < vehicles; i++ {
				db.Exec("INSERT INTO vehicles (plate, class, seats, energy, pooled, status, created_at, updated_at) VALUES (?, 'general', 5, 'gasoline', 1, 'available', ?, ?)",
					fmt.Sprintf("赣KB%04d", i), now, now)
			}
			var first int64
			db.Raw("SELECT MIN(id) FROM vehicles").Scan(&first)
			bb := bus.NewInProcess(bus.Options{})
			defer bb.Close()
			svc, err := tracking.NewService(db, bb, tracking.Options{NoDetectors: !c.detectors})
			if err != nil {
				b.Fatal(err)
			}
			defer svc.Close()
			if c.detectors {
				addFences(b, svc, 500)
			}
			var next atomic.Int64
			base := now.Add(-24 * time.Hour)
			b.SetParallelism(2500) // 2500 × GOMAXPROCS concurrent "terminals", each with one point in flight
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				v := first + next.Add(1)%vehicles
				i := 0
				for pb.Next() {
					i++
					p := tracking.Point{VehicleID: v, FixedAt: base.Add(time.Duration(i) * time.Second), Lat: 27.8 + float64(v%100)*1e-3, Lng: 114.4 + float64(i%600)*1e-5,
						SpeedKmh: 30, Positioned: true, Source: tracking.SourceJT808}
					if _, err := svc.Ingest(context.Background(), []tracking.Point{p}); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "points/s")
		})
	}
}

// addFences creates n circles of 300 m to 3 km around the county, as the detectors benchmark has.
func addFences(b *testing.B, svc *tracking.Service, n int) {
	b.Helper()
	for i := 0; i < n; i++ {
		in := tracking.GeofenceInput{Name: fmt.Sprintf("fence %d", i), Kind: tracking.FenceArea, Shape: tracking.ShapeCircle,
			Center: &tracking.LatLng{Lat: 27.65 + float64(i%25)*0.012, Lng: 114.25 + float64(i/25)*0.015}, RadiusM: 300 + float64(i%10)*300}
		if _, err := svc.CreateGeofence(context.Background(), auth.System, in); err != nil {
			b.Fatal(err)
		}
	}
}
