package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fleet/auth"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// newEnergyEnv is newEnv with the energy module: one user per role in 县财政局 (u_leader is its
// head), and u_other, the head of 县教育局.
func newEnergyEnv(t *testing.T, db *store.DB) (*env, int64) {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县财政局"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县教育局"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range auth.Roles {
		u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: role, UnitID: unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	if e.users["other"], err = a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_other", Password: pw, Name: "other", Role: auth.RoleLeader, UnitID: other.ID}); err != nil {
		t.Fatal(err)
	}
	fl := dispatch.NewService(db, a)
	en, err := energy.NewService(db, fl, a, energy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: fl, Energy: en, DB: db, MaxBody: 1 << 20}))
	t.Cleanup(e.srv.Close)
	return e, other.ID
}

// The contract of issue 10: meters, batched idempotent readings, the monthly report.
func TestEnergyContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e, otherUnit := newEnergyEnv(t, db)
		manager, leader, other, staff, auditor := e.login("energy_manager"), e.login("leader"), e.login("other"), e.login("staff"), e.login("auditor")
		loc, _ := time.LoadLocation("Asia/Shanghai")
		at := func(y int, m time.Month, d int) string {
			return time.Date(y, m, d, 0, 0, 0, 0, loc).Format(time.RFC3339)
		}

		elec := officeID(t, manager.expect("POST", "/api/energy/meters", map[string]any{"name": "财政局总表", "kind": "electricity", "unit_id": e.unitID}, 201))
		water := officeID(t, manager.expect("POST", "/api/energy/meters", map[string]any{"name": "财政局水表", "kind": "water", "unit_id": e.unitID}, 201))
		gas := officeID(t, manager.expect("POST", "/api/energy/meters", map[string]any{"name": "教育局燃气表", "kind": "natural_gas", "unit_id": otherUnit}, 201))
		out := manager.expect("POST", "/api/energy/meters", map[string]any{"name": "x", "kind": "coal", "unit_id": e.unitID}, 400)
		if errorOf(t, out).Error.Fields["kind"] == "" {
			t.Errorf("unknown kind = %s", out)
		}
		leader.expect("POST", "/api/energy/meters", map[string]any{"name": "x", "kind": "water", "unit_id": e.unitID}, 403)
		auditor.expect("POST", "/api/energy/meters", map[string]any{"name": "x", "kind": "water", "unit_id": e.unitID}, 403)
		staff.expect("GET", "/api/energy/meters", nil, 403)

		// The monitoring system posts with its account's bearer token; 201 when something is new.
		ingest := e.bearerClient("energy_manager")
		readings := map[string]any{"readings": []map[string]any{
			{"meter_id": elec, "at": at(2026, 2, 20), "value": 1000}, {"meter_id": elec, "at": at(2026, 3, 11), "value": 1570},
			{"meter_id": elec, "at": at(2026, 4, 10), "value": 2770},
			{"meter_id": water, "at": at(2026, 3, 1), "value": 100}, {"meter_id": water, "at": at(2026, 4, 1), "value": 160},
			{"meter_id": gas, "at": at(2026, 3, 1), "value": 5000}, {"meter_id": gas, "at": at(2026, 4, 1), "value": 5200},
		}}
		out = ingest.expect("POST", "/api/energy/readings", readings, 201)
		if !strings.Contains(string(out), `"stored":7`) {
			t.Errorf("batch = %s, want 7 stored", out)
		}
		out = ingest.expect("POST", "/api/energy/readings", readings, 200) // sent again: nothing new
		if !strings.Contains(string(out), `"duplicates":7`) || !strings.Contains(string(out), `"stored":0`) {
			t.Errorf("batch again = %s, want 7 duplicates", out)
		}
		// Same time, another value: 409 naming the item; a bad item: 400 naming index and field.
		out = ingest.expect("POST", "/api/energy/readings", map[string]any{"readings": []map[string]any{
			{"meter_id": water, "at": at(2026, 4, 2), "value": 170}, {"meter_id": elec, "at": at(2026, 3, 11), "value": 1600}}}, 409)
		if errorOf(t, out).Error.Fields["readings[1].value"] == "" {
			t.Errorf("conflict = %s, want readings[1].value", out)
		}
		for _, bad := range []struct {
			item  map[string]any
			field string
		}{
			{map[string]any{"meter_id": 999999, "at": at(2026, 4, 2), "value": 1}, "readings[1].meter_id"},
			{map[string]any{"meter_id": water, "at": at(2026, 4, 2), "value": -3}, "readings[1].value"},
			{map[string]any{"meter_id": water, "at": at(2026, 4, 2), "value": "abc"}, "readings[1].value"},
			{map[string]any{"meter_id": water, "at": "yesterday", "value": 1}, "readings[1].at"},
		} {
			out = ingest.expect("POST", "/api/energy/readings", map[string]any{"readings": []map[string]any{
				{"meter_id": water, "at": at(2026, 4, 2), "value": 170}, bad.item}}, 400)
			if errorOf(t, out).Error.Fields[bad.field] == "" {
				t.Errorf("bad item %v = %s, want %s named", bad.item, out, bad.field)
			}
		}
		out = manager.expect("GET", fmt.Sprintf("/api/energy/readings?meter_id=%d", water), nil, 200)
		if !strings.Contains(string(out), `"total":2`) {
			t.Errorf("water readings after the refused batches = %s, want the 2 stored", out)
		}
		manager.expect("POST", "/api/energy/readings", `{"readings": 5}`, 400)
		manager.expect("POST", "/api/energy/readings", `{"readings": [], "extra": 1}`, 400)
		leader.expect("POST", "/api/energy/readings", readings, 403)

		// GET /api/energy/report?month=2026-03: 1,140 kWh (county months, interpolated), 60 m³ of
		// water (no tce), 200 m³ of gas.
		var rep struct {
			Units []struct {
				UnitID int64   `json:"unit_id"`
				TCE    float64 `json:"tce"`
				CO2Kg  float64 `json:"co2_kg"`
				ByKind map[string]struct {
					Amount float64 `json:"amount"`
					TCE    float64 `json:"tce"`
				} `json:"by_kind"`
			} `json:"units"`
			TotalTCE float64 `json:"total_tce"`
		}
		out = manager.expect("GET", "/api/energy/report?month=2026-03", nil, 200)
		if err := json.Unmarshal(out, &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Units) != 2 {
			t.Fatalf("report = %s, want two units", out)
		}
		for _, u := range rep.Units {
			switch u.UnitID {
			case e.unitID:
				if u.ByKind["electricity"].Amount != 1140 || math.Abs(u.ByKind["electricity"].TCE-0.140106) > 1e-9 ||
					u.ByKind["water"].Amount != 60 || u.ByKind["water"].TCE != 0 || math.Abs(u.TCE-0.140106) > 1e-9 ||
					math.Abs(u.CO2Kg-611.724) > 1e-6 {
					t.Errorf("财政局 = %+v", u)
				}
			case otherUnit:
				if u.ByKind["natural_gas"].Amount != 200 || math.Abs(u.TCE-0.24286) > 1e-9 {
					t.Errorf("教育局 = %+v", u)
				}
			}
		}
		if math.Abs(rep.TotalTCE-0.382966) > 1e-9 {
			t.Errorf("total_tce = %v, want 0.382966", rep.TotalTCE)
		}
		manager.expect("GET", "/api/energy/report?month=2026-3x", nil, 400)
		manager.expect("GET", "/api/energy/report", nil, 400)
		staff.expect("GET", "/api/energy/report?month=2026-03", nil, 403)
		auditor.expect("GET", "/api/energy/report?month=2026-03", nil, 200)
		// A unit head reads their own unit's figures only.
		out = other.expect("GET", "/api/energy/report?month=2026-03", nil, 200)
		if strings.Contains(string(out), "财政局") || !strings.Contains(string(out), "教育局") {
			t.Errorf("the other unit's head sees %s", out)
		}
		other.expect("GET", fmt.Sprintf("/api/energy/report?month=2026-03&unit_id=%d", e.unitID), nil, 403)
		other.expect("GET", fmt.Sprintf("/api/energy/meters/%d", elec), nil, 403)

		res, body := manager.do("GET", "/api/energy/report.xlsx?month=2026-03", nil)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") || len(body) < 1000 {
			t.Errorf("report.xlsx = %d %s (%d bytes)", res.StatusCode, res.Header.Get("Content-Type"), len(body))
		}

		// Coefficients ≤ 0: 400, nothing changed.
		out = manager.expect("PUT", "/api/energy/coefficients", map[string]any{"items": []map[string]any{{"kind": "electricity", "value": 0, "source": "x"}}}, 400)
		if errorOf(t, out).Error.Fields["items[0].value"] == "" {
			t.Errorf("coefficient 0 = %s", out)
		}
		out = manager.expect("GET", "/api/energy/coefficients", nil, 200)
		if !strings.Contains(string(out), `"value":0.1229`) {
			t.Errorf("coefficients after a refused change = %s", out)
		}
		leader.expect("PUT", "/api/energy/coefficients", map[string]any{"items": []map[string]any{{"kind": "electricity", "value": 0.2, "source": "x"}}}, 403)
		manager.expect("GET", "/api/energy/year?year=2026", nil, 200)
		manager.expect("GET", "/api/energy/year", nil, 400)
		manager.expect("GET", "/api/energy/trend?from=2026-01&to=2026-04", nil, 200)
		manager.expect("GET", "/api/energy/agencies", nil, 200)
		manager.expect("GET", "/api/energy/projects", nil, 200)
		manager.expect("GET", "/api/energy/settings", nil, 200)
		manager.expect("GET", "/api/energy/units", nil, 200)
	})
}

// Every energy route refuses the roles without the permission, and the auditor writes nothing.
func TestEnergyRoutesGuarded(t *testing.T) {
	e, _ := newEnergyEnv(t, storetest.SQLite(t))
	staff, auditor, driver := e.login("staff"), e.login("auditor"), e.login("driver")
	for _, r := range web.Routes() {
		method, path, _ := strings.Cut(r.Pattern, " ")
		if !strings.HasPrefix(path, "/api/energy/") {
			continue
		}
		path = strings.ReplaceAll(path, "{id}", "1")
		for name, c := range map[string]*client{"staff": staff, "driver": driver} {
			if res, body := c.do(method, path, nil); res.StatusCode != 403 {
				t.Errorf("%s %s as %s = %d %s, want 403", method, path, name, res.StatusCode, body)
			}
		}
		if method != "GET" {
			if res, body := auditor.do(method, path, map[string]any{}); res.StatusCode != 403 {
				t.Errorf("%s %s as auditor = %d %s, want 403", method, path, res.StatusCode, body)
			}
		}
	}
}
