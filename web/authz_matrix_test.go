package web_test

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/bus"
	"fleet/canteen"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/office"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/web"
)

// access is who may pass a route's guard: the roles named, or everyone unsigned (a public
// route), or a terminal with its device token (no user session passes).
type access struct {
	public, device bool
	roles          []string
}

func roles(r ...string) access { return access{roles: r} }

// The role sets below are written out, not taken from auth/policy.go, so that this test checks
// the policy rather than repeating it.
var (
	public         = access{public: true}
	device         = access{device: true}
	everyone       = roles("admin", "dispatcher", "driver", "leader", "staff", "office_manager", "canteen_manager", "energy_manager", "auditor")
	working        = roles("admin", "dispatcher", "driver", "leader", "staff", "office_manager", "canteen_manager", "energy_manager") // all but the auditor
	adminOnly      = roles("admin")
	adminRead      = roles("admin", "auditor")
	fleetDesk      = roles("admin", "dispatcher")
	fleetRead      = roles("admin", "dispatcher", "auditor")
	tripStats      = roles("admin", "dispatcher", "leader", "auditor")
	driverOnly     = roles("driver")
	officeRead     = roles("admin", "leader", "office_manager", "auditor")
	officeWrite    = roles("admin", "office_manager")
	officeRequest  = roles("admin", "leader", "office_manager")
	officeCenter   = roles("admin", "office_manager", "auditor") // the guard lets leaders in; the office service refuses them
	canteenManage  = roles("admin", "canteen_manager")
	canteenRecords = roles("admin", "canteen_manager", "auditor")
	energyRead     = roles("admin", "leader", "energy_manager", "auditor")
	energyWrite    = roles("admin", "energy_manager")
)

// authzMatrix has one row per route of web.Routes(): who passes its guard.
var authzMatrix = []struct {
	route string
	who   access
}{
	{"GET /healthz", public},
	{"GET /readyz", public},
	{"GET /metrics", public},
	{"POST /api/login", public},
	{"POST /api/logout", everyone},
	{"GET /api/me", everyone},
	{"PUT /api/me/password", everyone},
	{"GET /api/meta", everyone},
	{"GET /api/units", everyone},
	{"POST /api/units", adminOnly},
	{"GET /api/units/{id}", everyone},
	{"PUT /api/units/{id}", adminOnly},
	{"DELETE /api/units/{id}", adminOnly},
	{"GET /api/users", adminRead},
	{"POST /api/users", adminOnly},
	{"GET /api/users/{id}", everyone},
	{"PUT /api/users/{id}", adminOnly},
	{"POST /api/users/{id}/disable", adminOnly},
	{"POST /api/users/{id}/enable", adminOnly},
	{"PUT /api/users/{id}/password", adminOnly},
	{"GET /api/vehicles", fleetRead},
	{"POST /api/vehicles", adminOnly},
	{"GET /api/vehicles/{id}", fleetRead},
	{"PUT /api/vehicles/{id}", adminOnly},
	{"DELETE /api/vehicles/{id}", adminOnly},
	{"GET /api/drivers", fleetRead},
	{"POST /api/drivers", adminOnly},
	{"GET /api/drivers/{id}", fleetRead},
	{"PUT /api/drivers/{id}", adminOnly},
	{"DELETE /api/drivers/{id}", adminOnly},
	{"GET /api/vehicles/{id}/records", fleetRead},
	{"POST /api/vehicles/{id}/records", fleetDesk},
	{"DELETE /api/vehicles/{id}/records/{record}", adminOnly},
	{"GET /api/drivers/{id}/trainings", fleetRead},
	{"POST /api/drivers/{id}/trainings", fleetDesk},
	{"GET /api/fleet/reminders", fleetRead},
	{"GET /api/rosters", fleetRead},
	{"POST /api/rosters", fleetDesk},
	{"POST /api/rosters/rotation", fleetDesk},
	{"GET /api/rosters/mine", driverOnly},
	{"DELETE /api/rosters/{id}", fleetDesk},
	{"GET /api/requests", everyone},
	{"POST /api/requests", working},
	{"GET /api/requests/{id}", everyone},
	{"PUT /api/requests/{id}", working},
	{"POST /api/requests/{id}/submit", working},
	{"POST /api/requests/{id}/cancel", working},
	{"POST /api/requests/{id}/rate", working},
	{"GET /api/dispatch/queue", fleetRead},
	{"GET /api/dispatch/requests/{id}/candidates", fleetRead},
	{"POST /api/dispatch/requests/{id}/assign", fleetDesk},
	{"POST /api/dispatch/requests/{id}/reassign", fleetDesk},
	{"GET /api/dispatch/tasks/{id}", fleetRead},
	{"POST /api/dispatch/tasks/{id}/cancel", fleetDesk},
	{"POST /api/dispatch/auto-assign", fleetDesk},
	{"GET /api/dispatch/merges", fleetRead},
	{"POST /api/dispatch/merges", fleetDesk},
	{"DELETE /api/dispatch/merges/{id}", fleetDesk},
	{"GET /api/dispatch/settings", everyone},
	{"PUT /api/dispatch/settings", fleetDesk},
	{"GET /api/dispatch/trips", tripStats},
	{"GET /api/dispatch/stats", tripStats},
	{"GET /api/dispatch/stats.xlsx", tripStats},
	{"GET /api/driver/tasks", driverOnly},
	{"GET /api/driver/tasks/{id}", driverOnly},
	{"POST /api/driver/tasks/{id}/accept", driverOnly},
	{"POST /api/driver/tasks/{id}/decline", driverOnly},
	{"POST /api/driver/tasks/{id}/check", driverOnly},
	{"POST /api/driver/tasks/{id}/depart", driverOnly},
	{"POST /api/driver/tasks/{id}/return", driverOnly},
	{"POST /api/driver/tasks/{id}/positions", driverOnly},
	{"GET /api/audit", adminRead},
	{"GET /api/live", fleetRead},
	{"GET /api/live/density", fleetRead},
	{"GET /api/vehicles/{id}/today", fleetRead},
	{"GET /api/vehicles/{id}/track", fleetRead},
	{"GET /api/vehicles/{id}/trips", fleetRead},
	{"GET /api/vehicles/{id}/days", fleetRead},
	{"GET /api/fleet/days", fleetRead},
	{"POST /api/vehicles/{id}/device-token", adminOnly},
	{"GET /api/vehicles/{id}/commands", fleetRead},
	{"POST /api/vehicles/{id}/commands", fleetDesk},
	{"GET /api/events", fleetRead},
	{"POST /api/events/{id}/ack", fleetDesk},
	{"GET /api/geofences", fleetRead},
	{"POST /api/geofences", fleetDesk},
	{"GET /api/geofences/{id}", fleetRead},
	{"PUT /api/geofences/{id}", fleetDesk},
	{"DELETE /api/geofences/{id}", fleetDesk},
	{"GET /api/approvals", everyone},
	{"GET /api/approvals/counts", everyone},
	{"GET /api/approvals/{id}", everyone},
	{"POST /api/approvals/{id}/actions", working},
	{"GET /api/approvals/{id}/candidates", working},
	{"GET /api/approval-definitions", adminRead},
	{"POST /api/approval-definitions", adminOnly},
	{"GET /api/approval-definitions/{key}", adminRead},
	{"PUT /api/approval-definitions/{key}", adminOnly},
	{"GET /api/approval-groups", adminRead},
	{"POST /api/approval-groups", adminOnly},
	{"GET /api/approval-groups/{id}", adminRead},
	{"PUT /api/approval-groups/{id}", adminOnly},
	{"DELETE /api/approval-groups/{id}", adminOnly},
	{"GET /api/procurements", everyone},
	{"POST /api/procurements", working},
	{"POST /api/procurements/check", working},
	{"GET /api/procurements/summary", adminRead},
	{"GET /api/procurements/{id}", everyone},
	{"PUT /api/procurements/{id}", working},
	{"POST /api/procurements/{id}/attachments", working},
	{"GET /api/attachments/{id}", everyone},
	{"GET /api/vehicle-standards", everyone},
	{"PUT /api/vehicle-standards", adminOnly},
	{"GET /api/office/standards", officeRead},
	{"PUT /api/office/standards", officeWrite},
	{"GET /api/office/buildings", officeRead},
	{"POST /api/office/buildings", officeWrite},
	{"GET /api/office/buildings/{id}", officeRead},
	{"PUT /api/office/buildings/{id}", officeWrite},
	{"GET /api/office/buildings/{id}/floors", officeRead},
	{"GET /api/office/rooms", officeRead},
	{"POST /api/office/rooms", officeWrite},
	{"GET /api/office/rooms/{id}", officeRead},
	{"PUT /api/office/rooms/{id}", officeWrite},
	{"GET /api/office/assignments", officeRead},
	{"POST /api/office/assignments", officeWrite},
	{"GET /api/office/assignments/{id}", officeRead},
	{"POST /api/office/assignments/{id}/end", officeWrite},
	{"GET /api/office/history", officeRead},
	{"GET /api/office/overstandard", officeRead},
	{"GET /api/office/persons", officeRead},
	{"GET /api/office/people", officeRead},
	{"GET /api/office/units", officeRead},
	{"GET /api/office/units/{id}", officeRead},
	{"GET /api/office/departures", officeRead},
	{"POST /api/office/departures", officeWrite},
	{"GET /api/office/reallocations", officeRead},
	{"POST /api/office/reallocations", officeRequest},
	{"GET /api/office/reallocations/{id}", officeRead},
	{"GET /api/office/clearances", officeRead},
	{"POST /api/office/clearances", officeWrite},
	{"GET /api/office/clearances/{id}", officeRead},
	{"POST /api/office/clearances/{id}/complete", officeWrite},
	{"POST /api/office/clearances/{id}/cancel", officeWrite},
	{"GET /api/office/inspections", officeRead},
	{"POST /api/office/inspections", officeWrite},
	{"GET /api/office/inspections/suggestions", officeWrite},
	{"GET /api/office/inspections/{id}", officeRead},
	{"POST /api/office/inspections/{id}/findings", officeWrite},
	{"GET /api/office/findings", officeRead},
	{"POST /api/office/findings/{id}/rectify", officeRequest},
	{"GET /api/office/repairs", officeRead},
	{"POST /api/office/repairs", officeRequest},
	{"GET /api/office/repairs/{id}", officeRead},
	{"PUT /api/office/repairs/{id}", officeWrite},
	{"GET /api/office/patrols", officeCenter},
	{"POST /api/office/patrols", officeWrite},
	{"GET /api/office/patrols/{id}", officeCenter},
	{"POST /api/office/patrols/{id}/result", officeWrite},
	{"POST /api/office/patrol-items/{id}/follow-up", officeWrite},
	{"GET /api/office/ledger.xlsx", officeRead},
	{"POST /api/office/ledger/import", officeWrite},
	{"POST /api/office/ledger/reconcile", officeRead},
	{"GET /api/canteen/settings", everyone},
	{"PUT /api/canteen/settings", canteenManage},
	{"GET /api/canteen/warnings", canteenRecords},
	{"GET /api/canteen/dishes", everyone},
	{"POST /api/canteen/dishes", canteenManage},
	{"GET /api/canteen/dishes/{id}", everyone},
	{"PUT /api/canteen/dishes/{id}", canteenManage},
	{"GET /api/canteen/dishes/{id}/photo", everyone},
	{"POST /api/canteen/dishes/{id}/photo", canteenManage},
	{"DELETE /api/canteen/dishes/{id}/photo", canteenManage},
	{"GET /api/canteen/menu", everyone},
	{"POST /api/canteen/menu/publish", canteenManage},
	{"POST /api/canteen/meals", canteenManage},
	{"GET /api/canteen/meals/{id}", everyone},
	{"PUT /api/canteen/meals/{id}", canteenManage},
	{"DELETE /api/canteen/meals/{id}", canteenManage},
	{"POST /api/canteen/meals/{id}/cancel", canteenManage},
	{"GET /api/canteen/meals/{id}/counts", everyone},
	{"GET /api/canteen/meals/{id}/forecast", canteenRecords},
	{"GET /api/canteen/meals/{id}/reservations", canteenRecords},
	{"DELETE /api/canteen/meals/{id}/reservation", working},
	{"POST /api/canteen/meals/{id}/ratings", working},
	{"PUT /api/canteen/meals/{id}/waste", canteenManage},
	{"POST /api/canteen/reservations", working},
	{"GET /api/canteen/reservations/mine", working},
	{"PUT /api/canteen/reservations/{id}", working},
	{"DELETE /api/canteen/reservations/{id}", working},
	{"POST /api/canteen/reservations/{id}/no-show", canteenManage},
	{"POST /api/canteen/weeks/{id}/votes", working},
	{"GET /api/canteen/weeks/{id}/comments", everyone},
	{"POST /api/canteen/weeks/{id}/comments", working},
	{"GET /api/canteen/comments", canteenRecords},
	{"POST /api/canteen/comments/{id}/answer", canteenManage},
	{"GET /api/canteen/ratings", canteenRecords},
	{"GET /api/canteen/ratings/mine", working},
	{"GET /api/canteen/ratings/dishes", canteenRecords},
	{"POST /api/canteen/ratings/{id}/answer", canteenManage},
	{"GET /api/canteen/waste", canteenRecords},
	{"GET /api/canteen/evaluations", canteenRecords},
	{"POST /api/canteen/evaluations", canteenManage},
	{"PUT /api/canteen/evaluations/{id}", canteenManage},
	{"GET /api/canteen/samples", canteenRecords},
	{"POST /api/canteen/samples", canteenManage},
	{"POST /api/canteen/samples/{id}/discard", canteenManage},
	{"GET /api/canteen/suppliers", canteenRecords},
	{"POST /api/canteen/suppliers", canteenManage},
	{"PUT /api/canteen/suppliers/{id}", canteenManage},
	{"GET /api/canteen/purchases", canteenRecords},
	{"POST /api/canteen/purchases", canteenManage},
	{"GET /api/canteen/hygiene", canteenRecords},
	{"POST /api/canteen/hygiene", canteenManage},
	{"GET /api/canteen/report.xlsx", canteenRecords},
	{"GET /api/energy/meters", energyRead},
	{"POST /api/energy/meters", energyWrite},
	{"GET /api/energy/meters/{id}", energyRead},
	{"PUT /api/energy/meters/{id}", energyWrite},
	{"POST /api/energy/meters/{id}/replace", energyWrite},
	{"POST /api/energy/meters/{id}/retire", energyWrite},
	{"GET /api/energy/readings", energyRead},
	{"POST /api/energy/readings", energyWrite},
	{"POST /api/energy/readings/{id}/accept", energyWrite},
	{"POST /api/energy/readings/{id}/reject", energyWrite},
	{"GET /api/energy/report", energyRead},
	{"GET /api/energy/report.xlsx", energyRead},
	{"GET /api/energy/year", energyRead},
	{"GET /api/energy/trend", energyRead},
	{"GET /api/energy/coefficients", energyRead},
	{"PUT /api/energy/coefficients", energyWrite},
	{"GET /api/energy/co2-factors", energyRead},
	{"PUT /api/energy/co2-factors", energyWrite},
	{"DELETE /api/energy/co2-factors/{id}", energyWrite},
	{"GET /api/energy/settings", energyRead},
	{"PUT /api/energy/settings", energyWrite},
	{"GET /api/energy/units", energyRead},
	{"GET /api/energy/buildings", energyRead},
	{"PUT /api/energy/units/{id}", energyWrite},
	{"GET /api/energy/agencies", energyRead},
	{"POST /api/energy/agencies", energyWrite},
	{"GET /api/energy/agencies/{id}", energyRead},
	{"PUT /api/energy/agencies/{id}/scores", energyWrite},
	{"POST /api/energy/agencies/{id}/decision", energyWrite},
	{"GET /api/energy/agency-criteria", energyRead},
	{"PUT /api/energy/agency-criteria", energyWrite},
	{"GET /api/energy/projects", energyRead},
	{"POST /api/energy/projects", energyWrite},
	{"GET /api/energy/projects/{id}", energyRead},
	{"PUT /api/energy/projects/{id}", energyWrite},
	{"POST /api/ingest/positions", device},
	{"GET /api/osmand", device},
	{"POST /api/osmand", device},
	{"GET /ws", everyone},
	{"/api/", public},
	{"/", public},
}

// TestAuthorisationMatrix calls every route of the table as every role, anonymously and with
// a token after logout, and checks the guard's answer: anonymous 401 (public routes excepted),
// a role not named 403, a named role anything else (400 for the empty body, 404 for the
// missing id: the guard let it through). A route without a row, or a row without a route,
// fails. Then the CSRF check on cookie writes, and another unit's leader on unit-scoped reads.
func TestAuthorisationMatrix(t *testing.T) {
	e, otherUnit := newMatrixEnv(t, storetest.SQLite(t))
	t.Run("every route has a row", func(t *testing.T) { checkMatrixRows(t) })
	t.Run("another unit's leader", func(t *testing.T) { checkOtherUnit(t, e, otherUnit) })
	t.Run("every route as every role", func(t *testing.T) { checkMatrix(t, e) })
	t.Run("cookie writes need the CSRF token", func(t *testing.T) { checkCSRF(t, e) })
}

func checkMatrixRows(t *testing.T) {
	rows := map[string]bool{}
	for _, r := range authzMatrix {
		if rows[r.route] {
			t.Errorf("%s: two rows", r.route)
		}
		rows[r.route] = true
	}
	live := map[string]bool{}
	for _, r := range web.Routes() {
		live[r.Pattern] = true
		if !rows[r.Pattern] {
			t.Errorf("%s (%s): no row in authzMatrix says who may use it", r.Pattern, r.Perm)
		}
	}
	for _, r := range authzMatrix {
		if !live[r.route] {
			t.Errorf("%s: a row for a route that web.Routes() no longer has", r.route)
		}
	}
}

// pathParam is a {name} in a route pattern.
var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// probe is the request the matrix makes for a route: its method (GET for a pattern without
// one), a path with every id 999999 (the guard runs before the lookup), and {} for a write.
func probe(route string) (method, path string, body any) {
	method, pattern, ok := strings.Cut(route, " ")
	if !ok {
		method, pattern = "GET", route
	}
	path = pathParam.ReplaceAllString(pattern, "999999")
	if strings.HasSuffix(path, "/") {
		path += "no-such-page"
	}
	if method != "GET" {
		body = map[string]any{}
	}
	return method, path, body
}

func checkMatrix(t *testing.T, e *env) {
	clients := map[string]*client{}
	for _, role := range auth.Roles {
		clients[role] = e.bearerClient(role)
	}
	anon := e.anon()
	for _, row := range authzMatrix {
		method, path, body := probe(row.route)
		res, out := anon.do(method, path, body)
		switch {
		case row.who.public && (res.StatusCode == 401 || res.StatusCode == 403):
			t.Errorf("%s %s anonymously = %d %.200s, want it open", method, path, res.StatusCode, out)
		case !row.who.public && res.StatusCode != 401:
			t.Errorf("%s %s anonymously = %d %.200s, want 401", method, path, res.StatusCode, out)
		}
		for _, role := range auth.Roles {
			c := clients[role]
			path := path
			switch row.route { // where 999999 would be refused by the unit or owner check after the guard
			case "GET /api/users/{id}":
				path = fmt.Sprintf("/api/users/%d", e.users[role].ID)
			case "GET /api/office/units/{id}":
				path = fmt.Sprintf("/api/office/units/%d", e.unitID)
			}
			if row.route == "POST /api/logout" {
				c = e.bearerClient(role) // its own token, ended here and tried again below
			}
			res, out := c.do(method, path, body)
			got := res.StatusCode
			switch {
			case row.who.public:
				if got == 401 || got == 403 {
					t.Errorf("%s %s as %s = %d %.200s, want it open", method, path, role, got, out)
				}
			case row.who.device: // a user's session is no device token
				if got != 401 {
					t.Errorf("%s %s as %s = %d %.200s, want 401", method, path, role, got, out)
				}
			case slices.Contains(row.who.roles, role):
				if got == 401 || got == 403 || got >= 500 { // {} and a missing id are bad input: 4xx, never a 5xx
					t.Errorf("%s %s as %s = %d %.200s, want past the guard", method, path, role, got, out)
				}
			default:
				if got != 403 {
					t.Errorf("%s %s as %s = %d %.200s, want 403", method, path, role, got, out)
				}
			}
			if row.route == "POST /api/logout" {
				c.expect("GET", "/api/me", nil, 401) // the token is dead after logout
				c.expect("GET", "/api/requests", nil, 401)
			}
		}
	}
}

// checkCSRF: a write with the session cookie but without the X-CSRF-Token header is refused
// before anything else, for any role; with the header it reaches the handler (400 for {}).
func checkCSRF(t *testing.T, e *env) {
	for _, tt := range []struct{ role, method, path string }{
		{"staff", "POST", "/api/requests"},
		{"admin", "POST", "/api/vehicles"},
		{"admin", "PUT", "/api/me/password"},
		{"energy_manager", "POST", "/api/energy/readings"},
	} {
		c := e.login(tt.role)
		csrf := c.csrf
		c.csrf = ""
		out := c.expect(tt.method, tt.path, map[string]any{}, 403)
		if msg := errorOf(t, out).Error.Message; !strings.Contains(msg, "CSRF") {
			t.Errorf("%s %s as %s without the CSRF header: %q, want the CSRF refusal", tt.method, tt.path, tt.role, msg)
		}
		c.csrf = "not-" + csrf
		c.expect(tt.method, tt.path, map[string]any{}, 403)
		c.csrf = csrf
		if res, out := c.do(tt.method, tt.path, map[string]any{}); res.StatusCode == 401 || res.StatusCode == 403 {
			t.Errorf("%s %s as %s with the CSRF header = %d %s, want past the guard", tt.method, tt.path, tt.role, res.StatusCode, out)
		}
	}
}

// checkOtherUnit: the leader of 县教育局 passes the guard of unit-scoped reads but sees nothing
// of 县住建局: its requests, trip figures, office and energy figures are 403 by id or unit_id
// and absent from lists, while 县住建局's own leader sees them (so the lists are not empty by
// accident).
func checkOtherUnit(t *testing.T, e *env, otherUnit int64) {
	admin, disp, staff := e.login("admin"), e.login("dispatcher"), e.login("staff")
	leader, other := e.login("leader"), e.login("other")
	vid := idOf(t, admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K72001", "class": "general", "seats": 5,
		"energy": "gasoline", "odometer_km": 20000, "parking_name": "县政府大院", "parking_lat": 27.8, "parking_lng": 114.4}, 201))
	did := idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "周师傅", "phone": "13912340011",
		"license_class": "C1", "user_id": e.users["driver"].ID}, 201))
	now := time.Now().UTC()
	disp.expect("POST", "/api/rosters", map[string]any{"driver_id": did, "start": now.Add(-time.Hour).Format(time.RFC3339),
		"end": now.Add(24 * time.Hour).Format(time.RFC3339), "kind": "shift"}, 201)
	runTrip(t, e, vid, did, 20042)
	depart := now.Add(26 * time.Hour).Truncate(time.Minute)
	filed := map[string]any{"passengers": 1, "purpose": "送文件",
		"origin":       map[string]any{"address": "县政府", "lat": 27.8, "lng": 114.4},
		"destinations": []map[string]any{{"address": "县医院", "lat": 27.81, "lng": 114.41}},
		"depart_at":    depart.Format(time.RFC3339), "return_at": depart.Add(time.Hour).Format(time.RFC3339)}
	req := idOf(t, staff.expect("POST", "/api/requests", filed, 201))
	revised := maps.Clone(filed)
	revised["purpose"] = "改了"

	// Requests: by id and in the list.
	reqPath := fmt.Sprintf("/api/requests/%d", req)
	leader.expect("GET", reqPath, nil, 200)
	if res, out := other.do("GET", reqPath, nil); res.StatusCode != 403 && res.StatusCode != 404 {
		t.Errorf("GET %s as another unit's leader = %d %.200s, want 403 or 404", reqPath, res.StatusCode, out)
	}
	var r dispatch.Request
	decodeInto(t, leader.expect("GET", reqPath, nil, 200), &r)
	if r.ApprovalID == nil {
		t.Fatalf("request %d has no approval: %+v", req, r)
	}
	apPath := fmt.Sprintf("/api/approvals/%d", *r.ApprovalID)
	leader.expect("GET", apPath, nil, 200)
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", apPath, nil},
		{"POST", apPath + "/actions", map[string]any{"action": "approve"}},
		{"POST", reqPath + "/cancel", map[string]any{"reason": "不去了"}},
		{"PUT", reqPath, revised},
	} {
		if res, out := other.do(c.method, c.path, c.body); res.StatusCode != 403 && res.StatusCode != 404 {
			t.Errorf("%s %s as another unit's leader = %d %.200s, want 403 or 404", c.method, c.path, res.StatusCode, out)
		}
	}
	var after dispatch.Request
	decodeInto(t, leader.expect("GET", reqPath, nil, 200), &after)
	if after.Status != r.Status || after.ApprovalStatus != r.ApprovalStatus || after.Purpose != r.Purpose {
		t.Errorf("after another unit's leader's attempts the request is %s/%s %q, was %s/%s %q", after.Status,
			after.ApprovalStatus, after.Purpose, r.Status, r.ApprovalStatus, r.Purpose)
	}
	if n := itemCount(t, leader.expect("GET", "/api/requests", nil, 200)); n < 2 {
		t.Errorf("the unit's leader lists %d requests, want 2", n)
	}
	if n := itemCount(t, other.expect("GET", "/api/requests", nil, 200)); n != 0 {
		t.Errorf("another unit's leader lists %d requests, want 0", n)
	}

	// Trip figures: the unit's own leader sees the trip; the other leader none, and 403 asking
	// for this unit.
	if n := tripTotal(t, leader.expect("GET", "/api/dispatch/trips", nil, 200)); n != 1 {
		t.Errorf("the unit's leader lists %d trips, want 1", n)
	}
	if n := tripTotal(t, other.expect("GET", "/api/dispatch/trips", nil, 200)); n != 0 {
		t.Errorf("another unit's leader lists %d trips, want 0", n)
	}
	var s dispatch.Stats
	decodeInto(t, other.expect("GET", "/api/dispatch/stats", nil, 200), &s)
	if s.Total.Trips != 0 {
		t.Errorf("another unit's leader's trip stats = %+v, want no trip", s.Total)
	}
	for _, p := range []string{"/api/dispatch/stats", "/api/dispatch/trips", "/api/dispatch/stats.xlsx"} {
		p = fmt.Sprintf("%s?unit_id=%d", p, e.unitID)
		leader.expect("GET", p, nil, 200)
		other.expect("GET", p, nil, 403)
	}

	// Users: one's own record only (the guard lets everyone in).
	staff.expect("GET", fmt.Sprintf("/api/users/%d", e.users["staff"].ID), nil, 200)
	other.expect("GET", fmt.Sprintf("/api/users/%d", e.users["leader"].ID), nil, 403)

	// Office and energy figures of the unit.
	p := fmt.Sprintf("/api/office/units/%d", e.unitID)
	leader.expect("GET", p, nil, 200)
	other.expect("GET", p, nil, 403)
	other.expect("GET", fmt.Sprintf("/api/office/units/%d", otherUnit), nil, 200)
	p = fmt.Sprintf("/api/energy/report?month=%s&unit_id=%d", now.Format("2006-01"), e.unitID)
	leader.expect("GET", p, nil, 200)
	other.expect("GET", p, nil, 403)
}

// tripTotal is the total of a trip list answer.
func tripTotal(t *testing.T, body []byte) int {
	t.Helper()
	var v struct {
		Total int `json:"total"`
	}
	decodeInto(t, body, &v)
	return v.Total
}

// newMatrixEnv is the whole API, every module and the live hub, on db: one user per role in
// 县住建局 (u_leader is its head, u_driver a driver), and u_other, the head of 县教育局.
func newMatrixEnv(t *testing.T, db *store.DB) (*env, int64) {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县住建局"})
	must(t, err)
	other, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县教育局"})
	must(t, err)
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range append(slices.Clone(auth.Roles), "other") {
		r, u := role, unit.ID
		if role == "other" {
			r, u = auth.RoleLeader, other.ID
		}
		e.users[role], err = a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role,
			Role: r, UnitID: u, Phone: "13800000000"})
		must(t, err)
	}
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	board := dispatch.NewTaskBoard(db, nil)
	tr, err := tracking.NewService(db, b, tracking.Options{Tasks: board})
	must(t, err)
	t.Cleanup(tr.Close)
	e.tracking = tr
	ap, err := approval.NewService(db, a, b, approval.Options{})
	must(t, err)
	must(t, ap.EnsureDefaults(ctx))
	f := dispatch.NewService(db, a)
	desk, err := dispatch.NewDesk(f, ap, tr, board, b, dispatch.DeskOptions{SnapshotTTL: time.Millisecond})
	must(t, err)
	pr, err := procurement.NewService(db, ap, a, procurement.Options{DataDir: t.TempDir()})
	must(t, err)
	must(t, pr.EnsureDefaults(ctx))
	of, err := office.NewService(db, ap, a, office.Options{})
	must(t, err)
	must(t, office.EnsureDefaults(ctx, ap, a))
	cn, err := canteen.NewService(db, a, canteen.Options{DataDir: t.TempDir()})
	must(t, err)
	en, err := energy.NewService(db, f, a, energy.Options{})
	must(t, err)
	hctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	must(t, desk.Start(hctx))
	hub := web.NewHub(tr, b, nil)
	go hub.Run(hctx)
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: f, Tracking: tr, Approval: ap, Dispatch: desk,
		Procurement: pr, Office: of, Canteen: cn, Energy: en, DB: db, MaxBody: 1 << 20, Hub: hub}))
	t.Cleanup(e.srv.Close)
	return e, other.ID
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
