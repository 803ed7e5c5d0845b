package dispatch_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"fleet/dispatch"
	"fleet/store/storetest"
)

// BenchmarkTripStats is GET /api/dispatch/stats of a half-year below HTTP on SQLite: 200
// vehicles, 150 drivers and 20,000 completed trips (a busy county's half-year is a few
// thousand), grouped by vehicle with the utilisation against the working days; and the workbook
// of every grouping.
func BenchmarkTripStats(b *testing.B) {
	db := storetest.SQLite(b)
	f := newDeskFix(b, db, func(o *dispatch.DeskOptions) { o.Location = county })
	rng := rand.New(rand.NewPCG(7, 8))
	now := time.Now().UTC()
	var vehicles, drivers []map[string]any
	for i := range 200 {
		vehicles = append(vehicles, map[string]any{"plate": fmt.Sprintf("赣K%05d", i), "class": dispatch.ClassGeneral, "seats": 5,
			"energy": dispatch.EnergyGasoline, "pooled": true, "status": dispatch.StatusAvailable, "parking_name": "P",
			"created_at": now, "updated_at": now})
	}
	for i := range 150 {
		drivers = append(drivers, map[string]any{"name": fmt.Sprintf("司机%d", i), "phone": fmt.Sprintf("137%08d", i), "license_class": "C1",
			"status": dispatch.DriverOnDuty, "created_at": now, "updated_at": now})
	}
	if err := db.Table("vehicles").CreateInBatches(vehicles, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Table("drivers").CreateInBatches(drivers, 500).Error; err != nil {
		b.Fatal(err)
	}
	var vids, dids []int64
	db.Table("vehicles").Order("id").Pluck("id", &vids)
	db.Table("drivers").Order("id").Pluck("id", &dids)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, county)
	const n = 20_000
	var reqs []map[string]any
	for i := range n {
		depart := start.Add(time.Duration(rng.IntN(181*24)) * time.Hour).UTC() // stored as UTC, as the desk does
		reqs = append(reqs, map[string]any{"applicant_id": f.staff.UserID, "unit_id": f.unit, "passengers": 2, "purpose": "调研",
			"origin_address": "县政府", "origin_lat": homeLat, "origin_lng": homeLng, "destinations": "[]", "depart_at": depart,
			"return_at": depart.Add(3 * time.Hour), "priority": "normal", "status": dispatch.ReqCompleted, "created_at": now,
			"updated_at": now, "notes": fmt.Sprint(i)})
	}
	if err := db.Table("vehicle_requests").CreateInBatches(reqs, 500).Error; err != nil {
		b.Fatal(err)
	}
	var rids []int64
	db.Table("vehicle_requests").Order("id").Pluck("id", &rids)
	var tasks []map[string]any
	for i, rid := range rids {
		depart := reqs[i]["depart_at"].(time.Time)
		back := depart.Add(time.Duration(30+rng.IntN(240)) * time.Minute)
		gpsKm, odo := 5+rng.Float64()*80, 1000.0+float64(i)
		tasks = append(tasks, map[string]any{"request_id": rid, "vehicle_id": vids[rng.IntN(len(vids))], "driver_id": dids[rng.IntN(len(dids))],
			"status": dispatch.TaskCompleted, "depart_at": depart, "return_at": depart.Add(3 * time.Hour), "passengers": 2, "title": "调研",
			"start_lat": homeLat, "start_lng": homeLng, "assigned_at": depart, "departed_at": depart, "returned_at": back,
			"odometer_start_km": odo, "odometer_end_km": odo + gpsKm*(1+rng.Float64()*0.3), "gps_km": gpsKm,
			"drive_s": int(back.Sub(depart).Seconds() * 0.7), "fuel_l": gpsKm / 12, "created_at": now, "updated_at": now})
	}
	if err := db.Table("dispatch_tasks").CreateInBatches(tasks, 500).Error; err != nil {
		b.Fatal(err)
	}
	var tids []int64
	db.Table("dispatch_tasks").Order("id").Pluck("id", &tids)
	for i, tid := range tids {
		if err := db.Table("vehicle_requests").Where("id = ?", rids[i]).Update("task_id", tid).Error; err != nil {
			b.Fatal(err)
		}
	}
	q := dispatch.StatsQuery{From: "2026-01-01", To: "2026-06-30", By: dispatch.ByVehicle}
	b.Run("stats", func(b *testing.B) {
		for b.Loop() {
			s, err := f.desk.Stats(f.ctx, f.dispatcher, q)
			if err != nil || s.Total.Trips != n {
				b.Fatalf("stats: %d trips, %v", s.Total.Trips, err)
			}
		}
	})
	b.Run("xlsx", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := f.desk.StatsXLSX(f.ctx, f.dispatcher, q); err != nil {
				b.Fatal(err)
			}
		}
	})
}
