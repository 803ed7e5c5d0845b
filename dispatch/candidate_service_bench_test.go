package dispatch_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fleet/dispatch"
	"fleet/store/storetest"
)

// BenchmarkCandidatesService is GET …/candidates below HTTP on SQLite: 5,000 vehicles and 2,000
// rostered drivers stored, the request read, the drivers on duty queried (one query per call),
// the fleet snapshot and the month's load cached as in production.
func BenchmarkCandidatesService(b *testing.B) {
	db := storetest.SQLite(b)
	f := newDeskFix(b, db, func(o *dispatch.DeskOptions) { o.SnapshotTTL = time.Minute })
	rng := rand.New(rand.NewPCG(3, 4))
	now := time.Now().UTC()
	var vehicles []map[string]any
	for i := 0; i < 5000; i++ {
		lat, lng := homeLat+(rng.Float64()-0.5)*0.8, homeLng+(rng.Float64()-0.5)*0.8
		vehicles = append(vehicles, map[string]any{"plate": fmt.Sprintf("赣K%05d", i), "class": dispatch.ClassGeneral, "seats": 5 + 2*rng.IntN(2),
			"energy": dispatch.EnergyGasoline, "pooled": true, "status": dispatch.StatusAvailable, "parking_name": "P",
			"parking_lat": lat, "parking_lng": lng, "created_at": now, "updated_at": now})
	}
	if err := db.Table("vehicles").CreateInBatches(vehicles, 500).Error; err != nil {
		b.Fatal(err)
	}
	var drivers, shifts []map[string]any
	for i := 0; i < 2000; i++ {
		drivers = append(drivers, map[string]any{"name": fmt.Sprintf("司机%d", i), "phone": fmt.Sprintf("137%08d", i), "license_class": "C1",
			"status": dispatch.DriverOnDuty, "created_at": now, "updated_at": now})
	}
	if err := db.Table("drivers").CreateInBatches(drivers, 500).Error; err != nil {
		b.Fatal(err)
	}
	var ids []int64
	db.Table("drivers").Order("id").Pluck("id", &ids)
	for _, id := range ids {
		shifts = append(shifts, map[string]any{"driver_id": id, "start_at": now.Add(-12 * time.Hour), "end_at": now.Add(6 * 24 * time.Hour),
			"kind": dispatch.ShiftWork, "note": "", "created_at": now})
	}
	if err := db.Table("roster_shifts").CreateInBatches(shifts, 500).Error; err != nil {
		b.Fatal(err)
	}
	var reqs []int64
	for i := 0; i < 50; i++ {
		in := f.input(1+rng.IntN(4), time.Duration(rng.IntN(600))*time.Minute, 2*time.Hour)
		in.Origin = place("起点", homeLat+(rng.Float64()-0.5)*0.6, homeLng+(rng.Float64()-0.5)*0.6)
		in.Priority = dispatch.PriorityEmergency
		reqs = append(reqs, f.request(f.staff, in).ID)
	}
	f.desk.ForgetSnapshot()
	f.desk.Candidates(f.ctx, f.dispatcher, reqs[0], 10) // warm the snapshot
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		list, err := f.desk.Candidates(f.ctx, f.dispatcher, reqs[i%len(reqs)], 10)
		lat = append(lat, time.Since(start))
		if err != nil || len(list.Items) != 10 {
			b.Fatalf("candidates = %v, %v", list, err)
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds())/1000, "p99-ms")
}
