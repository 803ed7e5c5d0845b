package energy_test

import (
	"fmt"
	"testing"
	"time"

	"fleet/energy"
	"fleet/store"
	"fleet/store/storetest"
)

// benchCounty is 40 meters of the monitoring system read hourly for 62 days (59,520 readings),
// sent as the system does: one batch per hour with every meter's reading.
func benchCounty(b *testing.B, db *store.DB) *fx {
	b.Helper()
	t := &testing.T{}
	f := newFx(t, db)
	f.t = t
	var ids []int64
	for i := 0; i < 40; i++ {
		ids = append(ids, f.meter(fmt.Sprintf("分项计量%02d", i), energy.KindElectricity, unitA).ID)
	}
	start := local(2026, 2, 1, 0)
	var items []raw
	for h := 0; h < 62*24; h++ {
		at := start.Add(time.Duration(h) * time.Hour)
		for i, id := range ids {
			items = append(items, reading(id, at, float64(h*(10+i))))
		}
		if len(items) >= 4000 {
			if _, err := f.svc.AddReadings(f.ctx, f.manager(), batch(t, items...)); err != nil {
				b.Fatal(err)
			}
			items = items[:0]
		}
	}
	if len(items) > 0 {
		if _, err := f.svc.AddReadings(f.ctx, f.manager(), batch(t, items...)); err != nil {
			b.Fatal(err)
		}
	}
	return f
}

// BenchmarkMonthReport is the monthly report over 40 hourly meters (each boundary is two index
// look-ups per meter, whatever the number of readings).
func BenchmarkMonthReport(b *testing.B) {
	f := benchCounty(b, storetest.SQLite(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := f.svc.MonthReport(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		if err != nil || !r.Completeness.Complete {
			b.Fatalf("report: %v %+v", err, r.Completeness)
		}
	}
}

// BenchmarkHourlyBatch is one hourly batch of the monitoring system (40 meters) on top of two
// months of history.
func BenchmarkHourlyBatch(b *testing.B) {
	f := benchCounty(b, storetest.SQLite(b))
	var ids []int64
	ms, _, _ := f.svc.ListMeters(f.ctx, f.manager(), energy.MeterQuery{})
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	next := local(2026, 4, 4, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		at := next.Add(time.Duration(i) * time.Minute)
		items := make([]raw, len(ids))
		for j, id := range ids {
			items[j] = reading(id, at, float64(1e6+i))
		}
		if _, err := f.svc.AddReadings(f.ctx, f.manager(), batch(&testing.T{}, items...)); err != nil {
			b.Fatal(err)
		}
	}
}
