package tracking_test

import (
	"context"
	"testing"
	"time"

	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

func TestRetentionDropsOldPositions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		now := time.Now().UTC()
		// The fixture's clock stands at t0; the points are placed around today, so its clock
		// must be today too, or the recent point is refused as from the future.
		f.advance(now.Sub(f.clock()))
		recent := pt(f.v1, 0, 27.8, 114.4)
		recent.FixedAt = now.Add(-24 * time.Hour)
		old := pt(f.v1, 0, 27.8, 114.4)
		old.FixedAt = now.AddDate(0, -4, 0)
		if _, err := f.svc.Ingest(ctx, []tracking.Point{old, recent}); err != nil {
			t.Fatal(err)
		}
		svc, err := tracking.NewService(db, bus.NewInProcess(bus.Options{}), tracking.Options{RetentionDays: 60,
			Now: func() time.Time { return now.AddDate(0, 1, 0) }}) // a month on: partitions ahead are needed too
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		if err := svc.MaintainPositions(ctx); err != nil {
			t.Fatalf("maintain: %v", err)
		}
		if n := count(t, db, f.v1); n != 1 {
			t.Fatalf("positions after retention = %d, want 1 (the recent one)", n)
		}
		if db.Dialect == store.MySQL {
			var n int64
			ahead := store.PartitionName(time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 4, 0))
			db.Raw(`SELECT COUNT(*) FROM information_schema.partitions WHERE table_schema = DATABASE()
				AND table_name = 'positions' AND partition_name = ?`, ahead).Scan(&n)
			if n != 1 {
				t.Fatalf("partition %s not added", ahead)
			}
			// A point far ahead still has a home (pmax) and the table keeps working.
			if _, err := svc.Ingest(ctx, []tracking.Point{recent}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
