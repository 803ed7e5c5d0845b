package tracking_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// onTask is dispatch with one vehicle on a task.
type onTask struct{ vehicle int64 }

func (o onTask) ActiveTask(_ context.Context, id int64, _ time.Time) (tracking.Task, bool) {
	if id != o.vehicle {
		return tracking.Task{}, false
	}
	return tracking.Task{ID: 77, Title: "县政府 → 高铁站", DriverID: 5, Driver: "王师傅"}, true
}

// The map's view: an alarm shows first, a vehicle on a task shows on_task and names it, its
// detail sums today's trip in progress, and the density layer counts both vehicles.
func TestLiveStatesTodayAndDensity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		svc, err := tracking.NewService(db, f.bus, tracking.Options{Now: f.clock, Tasks: onTask{f.v1}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(svc.Close)

		// v1 drives east at 40 km/h for 10 minutes, today (09:30–09:40 in the county).
		var pts []tracking.Point
		for i := 0; i <= 20; i++ {
			p := pt(f.v1, 30, 27.8, 114.4+float64(i)*0.00182) // ≈ 180 m per 30 s at 27.8° N
			p.FixedAt = t0.Add(30*time.Minute + time.Duration(i)*30*time.Second)
			pts = append(pts, p)
		}
		alarm := pt(f.v2, 55, 27.85, 114.46)
		alarm.Alarm = 1 // emergency button
		pts = append(pts, alarm)
		if _, err := svc.Ingest(ctx, pts); err != nil {
			t.Fatal(err)
		}

		live, err := svc.LiveVehicles(ctx, auth.System)
		if err != nil || len(live) != 2 {
			t.Fatalf("live = %+v, %v", live, err)
		}
		byID := map[int64]tracking.LiveVehicle{}
		for _, v := range live {
			byID[v.VehicleID] = v
		}
		if v := byID[f.v1]; v.State != tracking.VehicleOnTask || v.TaskID != 77 {
			t.Fatalf("v1 = %+v, want on_task with task 77", v)
		}
		if v := byID[f.v2]; v.State != tracking.VehicleAlarm || v.TaskID != 0 {
			t.Fatalf("v2 = %+v, want alarm without a task", v)
		}

		today, err := svc.Today(ctx, auth.System, f.v1)
		if err != nil {
			t.Fatal(err)
		}
		if today.Day != "2026-11-27" || today.Trips != 1 || math.Abs(today.DistanceKm-3.6) > 0.4 || today.DrivingS < 500 {
			t.Fatalf("today = %+v, want one trip of about 3.6 km on 2026-11-27", today)
		}
		if today.Task == nil || today.Task.Driver != "王师傅" {
			t.Fatalf("today's task = %+v", today.Task)
		}
		if other, err := svc.Today(ctx, auth.System, f.v2); err != nil || other.Task != nil || other.Trips != 0 {
			t.Fatalf("v2 today = %+v, %v; want no trip, no task", other, err)
		}
		if _, err := svc.Today(ctx, auth.System, 99999); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("unknown vehicle: %v", err)
		}

		cells, err := svc.Density(ctx, auth.System, 7)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, c := range cells {
			total += c.Count
			if len(c.Boundary) < 5 || c.Online != c.Count {
				t.Fatalf("cell = %+v", c)
			}
		}
		if total != 2 || len(cells) != 2 {
			t.Fatalf("density = %+v, want the two vehicles in two cells", cells)
		}
		var fe *fleet.Error
		if _, err := svc.Density(ctx, auth.System, 4); !errors.As(err, &fe) || fe.Fields["res"] == "" {
			t.Fatalf("res 4: %v, want a field error on res", err)
		}
	})
}
