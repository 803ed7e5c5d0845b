package tracking_test

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// BenchmarkIngest measures durable points per second through the pipeline: many goroutines (as
// many terminals) each submit one point and wait for its commit, as the gateway does before it
// acknowledges. points/s is the figure to compare; ns/op is per point.
func BenchmarkIngest(b *testing.B) {
	for _, dialect := range []string{store.SQLite, store.MySQL} {
		b.Run(dialect, func(b *testing.B) {
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
			svc, err := tracking.NewService(db, bb, tracking.Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer svc.Close()
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
					p := tracking.Point{VehicleID: v, FixedAt: base.Add(time.Duration(i) * time.Second), Lat: 27.8, Lng: 114.4,
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
