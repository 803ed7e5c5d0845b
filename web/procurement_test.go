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

	"github.com/xuri/excelize/v2"

	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// newProcurementEnv is newEnv with the approval engine and procurement: one user per role in one
// unit, a staff member of a second unit (u_other), and a small MaxBody, as in production only
// larger, so that the upload route's own limit shows.
func newProcurementEnv(t *testing.T, db *store.DB) *env {
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
	if e.users["other"], err = a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_other", Password: pw, Name: "other", Role: auth.RoleStaff, UnitID: other.ID}); err != nil {
		t.Fatal(err)
	}
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	pr, err := procurement.NewService(db, ap, a, procurement.Options{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if err := pr.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: dispatch.NewService(db, a), Approval: ap, Procurement: pr, DB: db, MaxBody: 4096}))
	t.Cleanup(e.srv.Close)
	return e
}

// upload posts content as the multipart field file named name.
func (c *client) upload(path, name string, content []byte) (*http.Response, []byte) {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("note", "报价")
	fw, _ := mw.CreateFormFile("file", name)
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

func TestProcurementContract(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newProcurementEnv(t, db)
		staff, leader, other, auditor, admin := e.login("staff"), e.login("leader"), e.login("other"), e.login("auditor"), e.login("admin")

		// A renewal as the contract has it: the replaced vehicle has its registration
		// date and odometer on record.
		out := admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K10001", "class": "general", "seats": 5, "energy": "gasoline",
			"terminal_phone": "13900000001", "registered_on": "2015-06-01", "odometer_km": 310000}, 201)
		var veh struct {
			ID           int64   `json:"id"`
			RegisteredOn string  `json:"registered_on"`
			OdometerKm   float64 `json:"odometer_km"`
		}
		json.Unmarshal(out, &veh)
		if !strings.HasPrefix(veh.RegisteredOn, "2015-06-01") || veh.OdometerKm != 310000 {
			t.Fatalf("vehicle = %s", out)
		}
		body := map[string]any{"kind": "vehicle_renewal", "title": "更新 赣K10001", "reason": "车辆老化",
			"items":   []map[string]any{{"name": "纯电动轿车", "quantity": 1, "unit_price": 168000}},
			"vehicle": map[string]any{"class": "general", "displacement_l": 0, "price": 168000, "energy": "electric", "replaces_vehicle_id": veh.ID}}
		out = staff.expect("POST", "/api/procurements", body, 201)
		var created map[string]any
		json.Unmarshal(out, &created)
		for _, k := range []string{"id", "approval_id", "status", "checks"} {
			if _, ok := created[k]; !ok {
				t.Fatalf("201 body lacks %s: %s", k, out)
			}
		}
		if created["status"] != "pending" || created["approval_id"].(float64) <= 0 {
			t.Fatalf("created = %s", out)
		}
		checks := created["checks"].([]any)
		if len(checks) != 6 {
			t.Errorf("checks = %v, want one per rule applied (6)", checks)
		}
		for _, c := range checks {
			m := c.(map[string]any)
			for _, k := range []string{"rule", "ok", "message", "source"} {
				if _, ok := m[k]; !ok {
					t.Errorf("check %v lacks %s", m, k)
				}
			}
			if m["ok"] != true {
				t.Errorf("check %v failed, want every rule met", m)
			}
		}
		id := int64(created["id"].(float64))
		path := fmt.Sprintf("/api/procurements/%d", id)

		// A request that breaks rules needs a justification, and each failing rule is its own entry.
		bad := map[string]any{"kind": "vehicle_addition", "title": "新增机要车", "reason": "r",
			"items":   []map[string]any{{"name": "轿车", "quantity": 1, "unit_price": 150000}},
			"vehicle": map[string]any{"class": "confidential_comm", "displacement_l": 2.0, "price": 150000, "energy": "gasoline"}}
		out = staff.expect("POST", "/api/procurements", bad, 400)
		if errorOf(t, out).Error.Fields["justification"] == "" {
			t.Errorf("400 = %s, want it to name justification", out)
		}
		out = staff.expect("POST", "/api/procurements/check", bad, 200)
		if strings.Count(string(out), `"ok":false`) != 3 {
			t.Errorf("preview = %s, want three failing checks (price, displacement, share)", out)
		}
		bad["justification"] = "涉密载体运送需要"
		out = staff.expect("POST", "/api/procurements", bad, 201)
		if strings.Count(string(out), `"ok":false`) != 3 {
			t.Errorf("created = %s, want three failing checks", out)
		}

		// Bad input: a clear 400 naming the field.
		for _, tt := range []struct {
			name  string
			body  any
			field string
		}{
			{"negative amount", map[string]any{"kind": "goods", "title": "t", "reason": "r", "items": []map[string]any{{"name": "x", "quantity": 1, "unit_price": -1}}}, "items[0].unit_price"},
			{"absurd amount", map[string]any{"kind": "goods", "title": "t", "reason": "r", "items": []map[string]any{{"name": "x", "quantity": 1, "unit_price": 5e9}}}, "items[0].unit_price"},
			{"missing items", map[string]any{"kind": "goods", "title": "t", "reason": "r"}, "items"},
			{"unknown field", map[string]any{"kind": "goods", "title": "t", "reason": "r", "items": []any{}, "bribe": 1}, "bribe"},
		} {
			out := staff.expect("POST", "/api/procurements", tt.body, 400)
			if errorOf(t, out).Error.Fields[tt.field] == "" {
				t.Errorf("%s: %s, want a problem with %s", tt.name, out, tt.field)
			}
		}
		auditor.expect("POST", "/api/procurements", body, 403)

		// Who sees it.
		out = leader.expect("GET", path, nil, 200)
		if !strings.Contains(string(out), `"replaces_plate":"赣K10001"`) || !strings.Contains(string(out), `"items":[{"name":"纯电动轿车","quantity":1,"unit_price":168000,"amount":168000}]`) {
			t.Errorf("get = %s", out)
		}
		other.expect("GET", path, nil, 403)
		auditor.expect("GET", path, nil, 200)
		out = staff.expect("GET", "/api/procurements?mine=1&kind=vehicle", nil, 200)
		if !strings.Contains(string(out), `"total":2`) {
			t.Errorf("list = %s", out)
		}

		// Attachments: larger than MaxBody (the upload route has its own limit), typed by content.
		quote := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("0"), 100<<10)...)
		res, out := staff.upload(path+"/attachments", "报价单 (1).pdf", quote)
		if res.StatusCode != 201 {
			t.Fatalf("upload = %d %s", res.StatusCode, out)
		}
		var att struct {
			ID     int64  `json:"id"`
			Name   string `json:"name"`
			SHA256 string `json:"sha256"`
			Size   int64  `json:"size"`
		}
		json.Unmarshal(out, &att)
		if att.Name != "报价单 (1).pdf" || att.Size != int64(len(quote)) || len(att.SHA256) != 64 {
			t.Errorf("attachment = %s", out)
		}
		if res, out := staff.upload(path+"/attachments", "报价单.pdf", []byte("<html><script>alert(1)</script>")); res.StatusCode != 400 {
			t.Errorf("disguised upload = %d %s, want 400", res.StatusCode, out)
		}
		if res, out := staff.upload(path+"/attachments", "big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, procurement.MaxFileSize)...)); res.StatusCode != 413 {
			t.Errorf("oversized upload = %d %s, want 413", res.StatusCode, out)
		}
		if res, out := staff.upload(path+"/attachments", "huge.pdf", append([]byte("%PDF-1.7\n"), make([]byte, procurement.MaxFileSize+2<<20)...)); res.StatusCode != 413 {
			t.Errorf("upload over the route's body limit = %d %s, want 413", res.StatusCode, out)
		}
		if res, _ := other.upload(path+"/attachments", "x.pdf", []byte("%PDF-1.7\n")); res.StatusCode != 403 {
			t.Errorf("upload by another unit's staff = %d, want 403", res.StatusCode)
		}
		// JSON routes keep MaxBody.
		big := map[string]any{"kind": "goods", "title": "t", "reason": strings.Repeat("x", 5000), "items": []any{}}
		staff.expect("POST", "/api/procurements", big, 413)

		dl := fmt.Sprintf("/api/attachments/%d", att.ID)
		res, out = leader.do("GET", dl, nil)
		if res.StatusCode != 200 || !bytes.Equal(out, quote) {
			t.Fatalf("download = %d (%d bytes)", res.StatusCode, len(out))
		}
		if got := res.Header.Get("Content-Disposition"); got != `attachment; filename="___ (1).pdf"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20%281%29.pdf` {
			t.Errorf("Content-Disposition = %s", got)
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("download headers %v", res.Header)
		}
		other.expect("GET", dl, nil, 403)

		// Standards: everyone reads, the admin edits.
		out = staff.expect("GET", "/api/vehicle-standards", nil, 200)
		var set struct {
			Standards []map[string]any `json:"standards"`
		}
		json.Unmarshal(out, &set)
		if len(set.Standards) == 0 || !strings.Contains(string(out), "党政机关公务用车管理办法") {
			t.Fatalf("standards = %s", out)
		}
		var edit []map[string]any
		for _, s := range set.Standards {
			edit = append(edit, map[string]any{"province": s["province"], "rule": s["rule"], "class": s["class"], "body": s["body"],
				"value": s["value"], "enabled": s["enabled"], "source": s["source"]})
		}
		staff.expect("PUT", "/api/vehicle-standards", map[string]any{"standards": edit}, 403)
		out = admin.expect("PUT", "/api/vehicle-standards", map[string]any{"standards": edit[:3]}, 200)
		if !strings.Contains(string(out), `"standards":[`) {
			t.Errorf("put standards = %s", out)
		}

		// The summary, on screen and as a workbook.
		staff.expect("GET", "/api/procurements/summary", nil, 403)
		out = auditor.expect("GET", "/api/procurements/summary", nil, 200)
		if !strings.Contains(string(out), `"total":{"count":2,"amount":318000}`) {
			t.Errorf("summary = %s", out)
		}
		res, out = auditor.do("GET", "/api/procurements/summary?format=xlsx", nil)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Fatalf("xlsx = %d %v", res.StatusCode, res.Header)
		}
		x, err := excelize.OpenReader(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("xlsx does not open: %v", err)
		}
		defer x.Close()
		if v, _ := x.GetCellValue(procurement.SheetVehicles, "A1"); v != procurement.SheetVehicles {
			t.Errorf("A1 = %q", v)
		}
		auditor.expect("GET", "/api/procurements/summary?format=pdf", nil, 400)
	})
}
