package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
)

// idOf reads the "id" of a 201 body.
func idOf(t *testing.T, body []byte) int64 {
	t.Helper()
	var v struct{ ID int64 }
	if err := json.Unmarshal(body, &v); err != nil || v.ID == 0 {
		t.Fatalf("body %s has no id", body)
	}
	return v.ID
}

// wantFieldErr checks that a 4xx body names the field.
func wantFieldErr(t *testing.T, body []byte, field string) {
	t.Helper()
	if e := errorOf(t, body); e.Error.Fields[field] == "" {
		t.Fatalf("error %s does not name %s", body, field)
	}
}

func TestVehicleRecordsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, disp, auditor, staff := e.login("admin"), e.login("dispatcher"), e.login("auditor"), e.login("staff")

		// The contract of POST /api/vehicles holds without the new fields; with them, they come back.
		admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣KJ5001", "class": "general", "seats": 5, "energy": "gasoline", "terminal_phone": "13907950011"}, 201)
		out := admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣KD05001", "class": "general", "seats": 5, "energy": "electric",
			"range_km": 410, "insurance_expiry": "2026-12-31", "inspection_due": "2027-03-31", "odometer_km": 30000,
			"parking_name": "县机关事务管理中心车库", "parking_lat": 27.8012, "parking_lng": 114.4031}, 201)
		vid := idOf(t, out)
		for _, want := range []string{`"range_km":410`, `"insurance_expiry":"2026-12-31T00:00:00Z"`, `"inspection_due":"2027-03-31T00:00:00Z"`,
			`"maintenance_due":null`, `"parking_name":"县机关事务管理中心车库"`, `"parking_lat":27.8012`, `"parking_lng":114.4031`} {
			if !strings.Contains(string(out), want) {
				t.Errorf("vehicle %s lacks %s", out, want)
			}
		}
		out = admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣KJ5002", "class": "general", "seats": 5, "energy": "gasoline", "insurance_expiry": "soon"}, 400)
		wantFieldErr(t, out, "insurance_expiry")

		path := fmt.Sprintf("/api/vehicles/%d/records", vid)
		out = disp.expect("POST", path, map[string]any{"kind": "insurance", "date": "2026-12-20", "due_date": "2027-12-31", "cost": 4830.5, "note": "续保"}, 201)
		insID := idOf(t, out)
		if !strings.Contains(string(out), `"cost":4830.5`) || !strings.Contains(string(out), `"user_name":"dispatcher"`) {
			t.Errorf("record = %s", out)
		}
		disp.expect("POST", path, map[string]any{"kind": "maintenance", "date": "2026-12-21", "due_date": "2027-06-21", "odometer_km": 31250}, 201)
		disp.expect("POST", path, map[string]any{"kind": "disinfection", "at": "2026-12-22T07:40:00+08:00"}, 201)
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d", vid), nil, 200)
		if !strings.Contains(string(out), `"insurance_expiry":"2027-12-31T00:00:00Z"`) || !strings.Contains(string(out), `"maintenance_due":"2027-06-21T00:00:00Z"`) ||
			!strings.Contains(string(out), `"odometer_km":31250`) {
			t.Fatalf("vehicle after records = %s", out)
		}

		out = disp.expect("POST", path, map[string]any{"kind": "repair", "date": "2026-12-23", "odometer_km": 31000}, 400)
		wantFieldErr(t, out, "odometer_km")
		out = disp.expect("POST", path, map[string]any{"kind": "wash", "date": "2026-12-23"}, 400)
		wantFieldErr(t, out, "kind")
		out = disp.expect("POST", path, map[string]any{"kind": "inspection", "date": "2026-12-23"}, 400)
		wantFieldErr(t, out, "due_date")
		disp.expect("POST", path, map[string]any{"kind": "repair", "date": "2026-12-23", "by": "me"}, 400)
		disp.expect("POST", "/api/vehicles/99999/records", map[string]any{"kind": "repair", "date": "2026-12-23"}, 404)
		staff.expect("POST", path, map[string]any{"kind": "repair", "date": "2026-12-23"}, 403)
		auditor.expect("POST", path, map[string]any{"kind": "repair", "date": "2026-12-23"}, 403)
		staff.expect("GET", path, nil, 403)

		out = auditor.expect("GET", path, nil, 200)
		var l struct {
			Items []struct {
				ID   int64
				Kind string
			}
			Total int
		}
		json.Unmarshal(out, &l)
		if l.Total != 3 || l.Items[0].Kind != "disinfection" {
			t.Fatalf("records = %s", out)
		}
		out = disp.expect("GET", path+"?kind=insurance", nil, 200)
		json.Unmarshal(out, &l)
		if l.Total != 1 || l.Items[0].ID != insID {
			t.Fatalf("insurance records = %s", out)
		}
		disp.expect("GET", path+"?kind=wash", nil, 400)
		disp.expect("GET", "/api/vehicles/99999/records", nil, 404)

		del := fmt.Sprintf("%s/%d", path, insID)
		disp.expect("DELETE", del, nil, 403)
		admin.expect("DELETE", del, nil, 204)
		admin.expect("DELETE", del, nil, 404)
		admin.expect("DELETE", fmt.Sprintf("/api/vehicles/99999/records/%d", insID), nil, 404)
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d", vid), nil, 200)
		if !strings.Contains(string(out), `"insurance_expiry":null`) {
			t.Fatalf("insurance after deleting its only record = %s, want null", out)
		}
	})
}

func TestDriversTrainingsRemindersAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin, disp, auditor, staff := e.login("admin"), e.login("dispatcher"), e.login("auditor"), e.login("staff")

		// The contract: a driver linked to their user account.
		soon := time.Now().UTC().AddDate(0, 0, 10).Format(time.DateOnly)
		body := map[string]any{"name": "刘建国", "phone": "13879501001", "license_class": "C1", "license_expiry": soon, "user_id": e.users["driver"].ID}
		did := idOf(t, admin.expect("POST", "/api/drivers", body, 201))
		disp.expect("POST", "/api/drivers", map[string]any{"name": "王志强", "phone": "13879501002", "license_class": "B1"}, 403)
		body["phone"] = "13879501009"
		wantFieldErr(t, admin.expect("POST", "/api/drivers", body, 409), "user_id")
		body["user_id"] = 99999
		wantFieldErr(t, admin.expect("POST", "/api/drivers", body, 400), "user_id")
		body["user_id"], body["phone"] = nil, "13879501001"
		wantFieldErr(t, admin.expect("POST", "/api/drivers", body, 409), "phone")

		path := fmt.Sprintf("/api/drivers/%d/trainings", did)
		out := disp.expect("POST", path, map[string]any{"date": "2026-04-15", "topic": "应急救护", "hours": 3.5, "note": "县红十字会"}, 201)
		if !strings.Contains(string(out), `"hours":3.5`) {
			t.Fatalf("training = %s", out)
		}
		wantFieldErr(t, disp.expect("POST", path, map[string]any{"date": "2026-04-15", "topic": "应急救护", "hours": 0}, 400), "hours")
		wantFieldErr(t, disp.expect("POST", path, map[string]any{"topic": "应急救护", "hours": 1}, 400), "date")
		disp.expect("POST", "/api/drivers/99999/trainings", map[string]any{"date": "2026-04-15", "topic": "x", "hours": 1}, 404)
		e.login("driver").expect("POST", path, map[string]any{"date": "2026-04-15", "topic": "x", "hours": 1}, 403)
		staff.expect("GET", path, nil, 403)
		out = auditor.expect("GET", path, nil, 200)
		if !strings.Contains(string(out), `"topic":"应急救护"`) || !strings.Contains(string(out), `"total":1`) {
			t.Fatalf("trainings = %s", out)
		}

		overdue := time.Now().UTC().AddDate(0, 0, -5).Format(time.DateOnly)
		admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣KJ5003", "class": "general", "seats": 5, "energy": "gasoline", "inspection_due": overdue}, 201)
		out = disp.expect("GET", "/api/fleet/reminders?days=30", nil, 200)
		var r struct {
			Items []struct {
				Subject  string `json:"subject"`
				Name     string `json:"name"`
				Kind     string `json:"kind"`
				DaysLeft int    `json:"days_left"`
				Overdue  bool   `json:"overdue"`
			}
		}
		json.Unmarshal(out, &r)
		if len(r.Items) != 2 || r.Items[0].Name != "赣KJ5003" || r.Items[0].Kind != "inspection" || !r.Items[0].Overdue ||
			r.Items[1].Subject != "driver" || r.Items[1].Kind != "license" || r.Items[1].Overdue {
			t.Fatalf("reminders = %s", out)
		}
		auditor.expect("GET", "/api/fleet/reminders", nil, 200)
		wantFieldErr(t, disp.expect("GET", "/api/fleet/reminders?days=abc", nil, 400), "days")
		disp.expect("GET", "/api/fleet/reminders?days=400", nil, 400)
		staff.expect("GET", "/api/fleet/reminders", nil, 403)
		e.login("driver").expect("GET", "/api/fleet/reminders", nil, 403)
	})
}
