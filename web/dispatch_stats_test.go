package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// runTrip files, approves, assigns and runs one trip over HTTP (now), ending it with the odometer
// reading; it returns the task id.
func runTrip(t *testing.T, e *env, vid, did int64, odometer float64) int64 {
	t.Helper()
	staff, leader, disp, driver := e.login("staff"), e.login("leader"), e.login("dispatcher"), e.login("driver")
	depart := time.Now().UTC().Add(2 * time.Hour).Truncate(time.Minute)
	out := staff.expect("POST", "/api/requests", map[string]any{"passengers": 2, "purpose": "防汛检查",
		"origin":       map[string]any{"address": "县政府", "lat": 27.8, "lng": 114.4},
		"destinations": []map[string]any{{"address": "水库", "lat": 27.85, "lng": 114.45}},
		"depart_at":    depart.Format(time.RFC3339), "return_at": depart.Add(3 * time.Hour).Format(time.RFC3339)}, 201)
	var r dispatch.Request
	json.Unmarshal(out, &r)
	json.Unmarshal(staff.expect("GET", fmt.Sprintf("/api/requests/%d", r.ID), nil, 200), &r)
	leader.expect("POST", fmt.Sprintf("/api/approvals/%d/actions", *r.ApprovalID), map[string]any{"action": "approve"}, 200)
	task := idOf(t, disp.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", r.ID), map[string]any{"vehicle_id": vid, "driver_id": did}, 200))
	tp := fmt.Sprintf("/api/driver/tasks/%d", task)
	driver.expect("POST", tp+"/accept", nil, 200)
	var set dispatch.Settings
	json.Unmarshal(driver.expect("GET", "/api/dispatch/settings", nil, 200), &set)
	items := []map[string]any{}
	for _, c := range set.Checklist {
		items = append(items, map[string]any{"item": c, "ok": true})
	}
	driver.expect("POST", tp+"/check", map[string]any{"items": items}, 200)
	driver.expect("POST", tp+"/depart", nil, 200)
	driver.expect("POST", tp+"/return", map[string]any{"odometer_km": odometer, "fuel_l": 7.5}, 200)
	return task
}

// The trip accounting endpoints: the figures of a trip run over HTTP, who may read them, bad
// input naming the field, and the workbook.
func TestTripStatsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDispatchEnv(t, db)
		admin, disp := e.login("admin"), e.login("dispatcher")
		vid := idOf(t, admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K71001", "class": "general", "seats": 5,
			"energy": "gasoline", "odometer_km": 20000, "parking_name": "县政府大院", "parking_lat": 27.8, "parking_lng": 114.4}, 201))
		did := idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "周师傅", "phone": "13912340011",
			"license_class": "C1", "user_id": e.users["driver"].ID}, 201))
		now := time.Now().UTC()
		disp.expect("POST", "/api/rosters", map[string]any{"driver_id": did, "start": now.Add(-time.Hour).Format(time.RFC3339),
			"end": now.Add(24 * time.Hour).Format(time.RFC3339), "kind": "shift"}, 201)
		task := runTrip(t, e, vid, did, 20042)

		// The current half-year holds the trip: one 批次, 42 odometer km, the fuel; no track.
		var s dispatch.Stats
		json.Unmarshal(disp.expect("GET", "/api/dispatch/stats?by=vehicle", nil, 200), &s)
		if s.Total.Trips != 1 || s.Total.OdometerKm != 42 || s.Total.FuelL != 7.5 || s.Total.Untracked != 1 ||
			len(s.Rows) != 1 || s.Rows[0].Name != "赣K71001" || s.Summary.Trips != 1 {
			t.Fatalf("stats = %+v", s)
		}
		if want := "共出车1批次，安全行驶0公里、0小时。其中1批次无GPS轨迹"; !bytes.Contains([]byte(s.Summary.Zh), []byte(want)) {
			t.Fatalf("summary = %q, want it to say %q", s.Summary.Zh, want)
		}
		var trips struct {
			Items []dispatch.Trip `json:"items"`
			Total int             `json:"total"`
		}
		json.Unmarshal(disp.expect("GET", "/api/dispatch/trips", nil, 200), &trips)
		if trips.Total != 1 || trips.Items[0].TaskID != task || *trips.Items[0].OdometerKm != 42 || !trips.Items[0].Flagged {
			t.Fatalf("trips = %+v: 42 odometer km against an empty track is flagged", trips)
		}
		json.Unmarshal(disp.expect("GET", fmt.Sprintf("/api/dispatch/trips?flagged=1&vehicle_id=%d&driver_id=%d&unit_id=%d", vid, did, e.unitID), nil, 200), &trips)
		if trips.Total != 1 {
			t.Fatalf("flagged trips of the vehicle, driver and unit = %d", trips.Total)
		}

		// Who reads: the fleet section, auditors, leaders (their unit); not staff or drivers.
		for role, status := range map[string]int{"admin": 200, "dispatcher": 200, "auditor": 200, "leader": 200, "staff": 403, "driver": 403} {
			c := e.login(role)
			c.expect("GET", "/api/dispatch/stats", nil, status)
			c.expect("GET", "/api/dispatch/trips", nil, status)
			c.expect("GET", "/api/dispatch/stats.xlsx", nil, status)
		}
		e.anon().expect("GET", "/api/dispatch/stats", nil, 401)
		e.login("leader").expect("GET", fmt.Sprintf("/api/dispatch/stats?unit_id=%d", e.unitID+1000), nil, 403)

		// Bad input: 400 naming the field.
		for path, field := range map[string]string{
			"/api/dispatch/stats?from=2026-07-02&to=2026-07-01":      "to",
			"/api/dispatch/stats?from=2026-07-01":                    "to",
			"/api/dispatch/stats?from=last-week&to=2026-07-01":       "from",
			"/api/dispatch/stats?by=week":                            "by",
			"/api/dispatch/stats?vehicle_id=abc":                     "vehicle_id",
			"/api/dispatch/stats.xlsx?by=quarter":                    "by",
			"/api/dispatch/stats.xlsx?from=2026-07-09&to=2026-07-01": "to",
			"/api/dispatch/trips?flagged=maybe":                      "flagged",
			"/api/dispatch/trips?driver_id=-1":                       "driver_id",
			"/api/dispatch/trips?limit=5000":                         "limit",
		} {
			ae := errorOf(t, disp.expect("GET", path, nil, 400))
			if ae.Error.Fields[field] == "" {
				t.Errorf("%s: fields %v, want %s named", path, ae.Error.Fields, field)
			}
		}

		// The workbook.
		res, body := disp.do("GET", "/api/dispatch/stats.xlsx", nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("xlsx: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		x, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		if v, _ := x.GetCellValue("出车明细", "D2"); v != "赣K71001" {
			t.Fatalf("the workbook's first trip = %q", v)
		}
	})
}
