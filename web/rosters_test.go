package web_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"fleet/store"
	"fleet/store/storetest"
)

func TestRostersAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, disp, auditor, staff, driver := e.login("admin"), e.login("dispatcher"), e.login("auditor"), e.login("staff"), e.login("driver")
		// Not yet linked to a driver record: nothing of their own to show.
		driver.expect("GET", "/api/rosters/mine", nil, 404)
		me := idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "刘建国", "phone": "13879501001", "license_class": "C1",
			"license_expiry": "2030-01-01", "user_id": e.users["driver"].ID}, 201))
		other := idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "王志强", "phone": "13879501002", "license_class": "B1"}, 201))

		// The contract: 201 {"id"}.
		day := idOf(t, disp.expect("POST", "/api/rosters", map[string]any{"driver_id": me, "start": "2026-05-04T08:00:00+08:00",
			"end": "2026-05-04T17:30:00+08:00", "kind": "shift"}, 201))
		admin.expect("POST", "/api/rosters", map[string]any{"driver_id": other, "start": "2026-05-04T08:00:00+08:00",
			"end": "2026-05-05T08:00:00+08:00", "kind": "standby"}, 201)
		out := disp.expect("POST", "/api/rosters", map[string]any{"driver_id": me, "start": "2026-05-04T17:00:00+08:00",
			"end": "2026-05-05T08:00:00+08:00", "kind": "standby"}, 409)
		wantFieldErr(t, out, "start")
		wantFieldErr(t, disp.expect("POST", "/api/rosters", map[string]any{"driver_id": me, "start": "2026-05-06T17:00:00+08:00",
			"end": "2026-05-06T08:00:00+08:00", "kind": "shift"}, 400), "end")
		wantFieldErr(t, disp.expect("POST", "/api/rosters", map[string]any{"driver_id": me, "start": "2026-05-06T08:00:00+08:00",
			"end": "2026-05-16T08:00:00+08:00", "kind": "standby"}, 400), "end")
		wantFieldErr(t, disp.expect("POST", "/api/rosters", map[string]any{"driver_id": me, "start": "2026-05-06T08:00:00+08:00",
			"end": "2026-05-06T17:00:00+08:00", "kind": "night"}, 400), "kind")
		wantFieldErr(t, disp.expect("POST", "/api/rosters", map[string]any{"driver_id": 99999, "start": "2026-05-06T08:00:00+08:00",
			"end": "2026-05-06T17:00:00+08:00"}, 400), "driver_id")
		shift := map[string]any{"driver_id": me, "start": "2026-05-06T08:00:00+08:00", "end": "2026-05-06T17:00:00+08:00"}
		driver.expect("POST", "/api/rosters", shift, 403)
		auditor.expect("POST", "/api/rosters", shift, 403)
		staff.expect("GET", "/api/rosters", nil, 403)

		// The 24-hour standby rotation: one a day, round robin, all or nothing.
		rot := map[string]any{"driver_ids": []int64{other, me}, "from": "2026-05-05", "days": 4, "start_hour": 8}
		out = disp.expect("POST", "/api/rosters/rotation", rot, 201)
		var created struct {
			Items []struct {
				DriverID int64  `json:"driver_id"`
				Start    string `json:"start"`
				Kind     string `json:"kind"`
			}
			Total int
		}
		json.Unmarshal(out, &created)
		if created.Total != 4 || created.Items[0].DriverID != other || created.Items[1].DriverID != me ||
			created.Items[0].Start != "2026-05-05T00:00:00Z" || created.Items[3].Kind != "standby" {
			t.Fatalf("rotation = %s", out)
		}
		wantFieldErr(t, disp.expect("POST", "/api/rosters/rotation", rot, 409), "start")
		wantFieldErr(t, disp.expect("POST", "/api/rosters/rotation", map[string]any{"driver_ids": []int64{me}, "from": "2026-06-01", "days": 0}, 400), "days")
		driver.expect("POST", "/api/rosters/rotation", rot, 403)

		var l struct {
			Items []struct {
				ID       int64  `json:"id"`
				DriverID int64  `json:"driver_id"`
				Name     string `json:"driver_name"`
			}
			Total int
		}
		out = auditor.expect("GET", "/api/rosters?from=2026-05-04&to=2026-05-10", nil, 200)
		json.Unmarshal(out, &l)
		if l.Total != 6 {
			t.Fatalf("roster of the week = %s, want 6 entries", out)
		}
		out = disp.expect("GET", fmt.Sprintf("/api/rosters?from=2026-05-04T00:00:00%%2B08:00&to=2026-05-05T00:00:00%%2B08:00&driver=%d", me), nil, 200)
		json.Unmarshal(out, &l)
		if l.Total != 1 || l.Items[0].ID != day || l.Items[0].Name != "刘建国" {
			t.Fatalf("driver's roster on the 4th = %s", out)
		}
		wantFieldErr(t, disp.expect("GET", "/api/rosters?from=2026-05-10&to=2026-05-04", nil, 400), "to")
		wantFieldErr(t, disp.expect("GET", "/api/rosters?driver=x", nil, 400), "driver")

		// A driver sees their own shifts, and only theirs.
		out = driver.expect("GET", "/api/rosters/mine?from=2026-05-04&to=2026-05-10", nil, 200)
		json.Unmarshal(out, &l)
		if l.Total != 3 {
			t.Fatalf("my roster = %s, want the day shift and two standbys", out)
		}
		for _, it := range l.Items {
			if it.DriverID != me {
				t.Fatalf("my roster shows driver %d: %s", it.DriverID, out)
			}
		}
		disp.expect("GET", "/api/rosters/mine", nil, 403)
		driver.expect("GET", "/api/rosters", nil, 403)

		driver.expect("DELETE", fmt.Sprintf("/api/rosters/%d", day), nil, 403)
		disp.expect("DELETE", fmt.Sprintf("/api/rosters/%d", day), nil, 204)
		disp.expect("DELETE", fmt.Sprintf("/api/rosters/%d", day), nil, 404)
	})
}
