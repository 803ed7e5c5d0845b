package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/office"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// newOfficeEnv is newEnv with the approval engine and the office module: one user per role in
// 县财政局 (u_leader is its head), and u_other, the head of 县教育局.
func newOfficeEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	if _, err := a.EnsureAdmin(ctx, "admin-password-1"); err != nil {
		t.Fatal(err)
	}
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
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	of, err := office.NewService(db, ap, a, office.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := office.EnsureDefaults(ctx, ap, a); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: dispatch.NewService(db, a), Approval: ap, Office: of, DB: db, MaxBody: 1 << 20}))
	t.Cleanup(e.srv.Close)
	return e
}

func officeID(t *testing.T, body []byte) int64 {
	t.Helper()
	var v struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(body, &v); err != nil || v.ID <= 0 {
		t.Fatalf("body %s has no id", body)
	}
	return v.ID
}

func TestOfficeContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		admin, manager, leader, other, staff, auditor := e.login("admin"), e.login("office_manager"), e.login("leader"), e.login("other"), e.login("staff"), e.login("auditor")

		// Ranks on users: POST and PUT /api/users take "rank", checked against the standards table.
		person := func(username, rank string) int64 {
			out := admin.expect("POST", "/api/users", map[string]any{"username": username, "password": pw, "role": "staff",
				"unit_id": e.unitID, "name": username, "rank": rank}, 201)
			if !strings.Contains(string(out), `"rank":"`+rank+`"`) {
				t.Fatalf("user = %s", out)
			}
			return officeID(t, out)
		}
		chief, clerk1, clerk2 := person("chief", "section_chief"), person("clerk1", "clerk"), person("clerk2", "clerk")
		out := admin.expect("POST", "/api/users", map[string]any{"username": "badrank", "password": pw, "role": "staff", "unit_id": e.unitID, "name": "x", "rank": "chuji"}, 400)
		if errorOf(t, out).Error.Fields["rank"] == "" {
			t.Errorf("unknown rank = %s, want a problem with rank", out)
		}
		admin.expect("PUT", fmt.Sprintf("/api/users/%d", clerk2), map[string]any{"role": "staff", "unit_id": e.unitID, "name": "clerk2", "rank": "section_deputy"}, 200)
		admin.expect("PUT", fmt.Sprintf("/api/users/%d", clerk2), map[string]any{"role": "staff", "unit_id": e.unitID, "name": "clerk2", "rank": "clerk"}, 200)

		// The ledger: a building, rooms, assignments (each 201 {"id"}).
		b := officeID(t, manager.expect("POST", "/api/office/buildings", map[string]any{"name": "县行政中心", "address": "城关镇人民路1号"}, 201))
		room := func(number string, area float64, use string) int64 {
			return officeID(t, manager.expect("POST", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": number, "area_m2": area, "use": use}, 201))
		}
		r301, r302, r303 := room("301", 24, "office"), room("302", 20, "office"), room("303", 30, "office")
		room("304", 40, "service")
		officeID(t, manager.expect("POST", "/api/office/assignments", map[string]any{"room_id": r301, "user_id": chief}, 201))
		officeID(t, manager.expect("POST", "/api/office/assignments", map[string]any{"room_id": r302, "user_id": clerk1}, 201))
		officeID(t, manager.expect("POST", "/api/office/assignments", map[string]any{"room_id": r302, "user_id": clerk2}, 201))

		// The over-standard list, as the contract has it.
		out = manager.expect("GET", "/api/office/overstandard", nil, 200)
		var over struct {
			Items []struct {
				UserID     int64   `json:"user_id"`
				Rank       string  `json:"rank"`
				StandardM2 float64 `json:"standard_m2"`
				ActualM2   float64 `json:"actual_m2"`
				ExcessM2   float64 `json:"excess_m2"`
			} `json:"items"`
		}
		if err := json.Unmarshal(out, &over); err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{chief: "section_chief 18 24 6", clerk1: "clerk 9 10 1", clerk2: "clerk 9 10 1"}
		if len(over.Items) != 3 {
			t.Fatalf("overstandard = %s", out)
		}
		for _, it := range over.Items {
			if got := fmt.Sprintf("%s %g %g %g", it.Rank, it.StandardM2, it.ActualM2, it.ExcessM2); got != want[it.UserID] {
				t.Errorf("user %d = %s, want %s", it.UserID, got, want[it.UserID])
			}
		}

		// Bad input: a clear 4xx naming the problem, nothing changed.
		for _, tt := range []struct {
			name, path string
			body       map[string]any
			status     int
			field      string
		}{
			{"area 0", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": "309", "area_m2": 0, "use": "office"}, 400, "area_m2"},
			{"area negative", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": "309", "area_m2": -3, "use": "office"}, 400, "area_m2"},
			{"unknown use", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": "309", "area_m2": 10, "use": "canteen"}, 400, "use"},
			{"the same assignment twice", "/api/office/assignments", map[string]any{"room_id": r301, "user_id": chief}, 409, ""},
			{"a second office", "/api/office/assignments", map[string]any{"room_id": r303, "user_id": chief}, 409, "user_id"},
			{"a non-vacant room reallocated", "/api/office/reallocations", map[string]any{"reason": "需要", "items": []map[string]any{{"room_id": r301}}}, 409, "items[0].room_id"},
			{"a non-vacant room reallocated (shorthand)", "/api/office/reallocations", map[string]any{"room_id": r302}, 409, "items[0].room_id"},
		} {
			res, out := manager.do("POST", tt.path, tt.body)
			if res.StatusCode != tt.status {
				t.Errorf("%s: %d %s, want %d", tt.name, res.StatusCode, out, tt.status)
				continue
			}
			if e := errorOf(t, out); e.Error.Message == "" || (tt.field != "" && e.Error.Fields[tt.field] == "") {
				t.Errorf("%s: %s, want a message naming %s", tt.name, out, tt.field)
			}
		}
		big := officeID(t, manager.expect("POST", "/api/office/buildings", map[string]any{"name": "小楼", "address": "x", "area_m2": 100}, 201))
		out = manager.expect("POST", "/api/office/rooms", map[string]any{"building_id": big, "floor": 1, "number": "1", "area_m2": 150, "use": "office"}, 400)
		if !strings.Contains(errorOf(t, out).Error.Fields["area_m2"], "larger than the building") {
			t.Errorf("room larger than the building = %s", out)
		}

		// Who sees what: the unit's leader its own; another unit's leader 403; staff 403; the
		// auditor reads everything and writes nothing.
		out = leader.expect("GET", "/api/office/overstandard", nil, 200)
		if strings.Count(string(out), `"user_id"`) != 3 {
			t.Errorf("own leader's list = %s", out)
		}
		other.expect("GET", fmt.Sprintf("/api/office/overstandard?unit_id=%d", e.unitID), nil, 403)
		other.expect("GET", fmt.Sprintf("/api/office/rooms/%d", r301), nil, 403)
		other.expect("GET", fmt.Sprintf("/api/office/units/%d", e.unitID), nil, 403)
		other.expect("GET", fmt.Sprintf("/api/office/ledger.xlsx?unit_id=%d", e.unitID), nil, 403)
		out = other.expect("GET", "/api/office/overstandard", nil, 200)
		if strings.Contains(string(out), `"user_id"`) {
			t.Errorf("other unit's leader sees %s", out)
		}
		leader.expect("GET", fmt.Sprintf("/api/office/rooms/%d", r301), nil, 200)
		leader.expect("POST", "/api/office/rooms", map[string]any{"building_id": b, "floor": 3, "number": "310", "area_m2": 10, "use": "office"}, 403)
		staff.expect("GET", "/api/office/overstandard", nil, 403)
		auditor.expect("GET", fmt.Sprintf("/api/office/overstandard?unit_id=%d", e.unitID), nil, 200)
		auditor.expect("POST", "/api/office/buildings", map[string]any{"name": "审计楼", "address": "x"}, 403)

		// A reallocation request by the unit's leader goes to the approval engine.
		out = leader.expect("POST", "/api/office/reallocations", map[string]any{"reason": "新增科室", "items": []map[string]any{{"room_id": r303}}}, 201)
		if !strings.Contains(string(out), `"status":"pending"`) || !strings.Contains(string(out), `"approval_id":`) {
			t.Errorf("reallocation = %s", out)
		}

		// The ledger workbook, and importing it back: every row a duplicate, so 400 with the rows.
		res, xlsx := manager.do("GET", "/api/office/ledger.xlsx", nil)
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), "spreadsheetml") || !bytes.HasPrefix(xlsx, []byte("PK")) {
			t.Fatalf("ledger.xlsx = %d %s", res.StatusCode, res.Header)
		}
		res, out = manager.uploadXLSX("/api/office/ledger/import", xlsx)
		var rep struct {
			Error    struct{ Code string } `json:"error"`
			Imported int                   `json:"imported"`
			Errors   []struct {
				Line   int    `json:"line"`
				Field  string `json:"field"`
				Reason string `json:"reason"`
			} `json:"errors"`
		}
		json.Unmarshal(out, &rep)
		if res.StatusCode != 400 || rep.Error.Code != "invalid" || rep.Imported != 0 || len(rep.Errors) != 3 {
			t.Errorf("re-import = %d %s", res.StatusCode, out)
		}
		res, out = leader.uploadXLSX("/api/office/ledger/import", xlsx)
		if res.StatusCode != 403 {
			t.Errorf("leader import = %d %s", res.StatusCode, out)
		}
		res, out = leader.uploadXLSX("/api/office/ledger/reconcile", xlsx)
		if res.StatusCode != 200 || !strings.Contains(string(out), `"matched":`) {
			t.Errorf("reconcile = %d %s", res.StatusCode, out)
		}
	})
}

// uploadXLSX posts a workbook as the multipart field file.
func (c *client) uploadXLSX(path string, content []byte) (*http.Response, []byte) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "台账.xlsx")
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-CSRF-Token", c.csrf)
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("upload: %v", err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}
