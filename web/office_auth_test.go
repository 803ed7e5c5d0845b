package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// Every office route for every role: the office manager and the admin keep the ledger; a unit's
// leader reads (their own unit's part) and files reallocation requests, repairs and
// rectifications; the auditor reads everything and changes nothing; every other role gets 403.
// Allowed writes are probed with a body the handler refuses (400), so nothing changes. A route
// added to the module without a line here fails the test.
func TestOfficeRoutesAuthorisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		w := newOfficeWorld(t, e)
		read := []string{auth.RoleAdmin, auth.RoleOfficeManager, auth.RoleLeader, auth.RoleAuditor}
		center := []string{auth.RoleAdmin, auth.RoleOfficeManager, auth.RoleAuditor} // building-wide records
		write := []string{auth.RoleAdmin, auth.RoleOfficeManager}
		request := []string{auth.RoleAdmin, auth.RoleOfficeManager, auth.RoleLeader}
		who := map[string][]string{
			"GET /api/office/standards": read, "PUT /api/office/standards": write,
			"GET /api/office/buildings": read, "POST /api/office/buildings": write,
			"GET /api/office/buildings/{id}": read, "PUT /api/office/buildings/{id}": write,
			"GET /api/office/buildings/{id}/floors": read,
			"GET /api/office/rooms":                 read, "POST /api/office/rooms": write,
			"GET /api/office/rooms/{id}": read, "PUT /api/office/rooms/{id}": write,
			"GET /api/office/assignments": read, "POST /api/office/assignments": write,
			"GET /api/office/assignments/{id}": read, "POST /api/office/assignments/{id}/end": write,
			"GET /api/office/history": read, "GET /api/office/overstandard": read, "GET /api/office/persons": read,
			"GET /api/office/people": read, "GET /api/office/units": read, "GET /api/office/units/{id}": read,
			"GET /api/office/departures": read, "POST /api/office/departures": write,
			"GET /api/office/reallocations": read, "POST /api/office/reallocations": request,
			"GET /api/office/reallocations/{id}": read,
			"GET /api/office/clearances":         read, "POST /api/office/clearances": write,
			"GET /api/office/clearances/{id}": read, "POST /api/office/clearances/{id}/complete": write,
			"POST /api/office/clearances/{id}/cancel": write,
			"GET /api/office/inspections":             read, "POST /api/office/inspections": write,
			"GET /api/office/inspections/suggestions": write, "GET /api/office/inspections/{id}": read,
			"POST /api/office/inspections/{id}/findings": write,
			"GET /api/office/findings":                   read, "POST /api/office/findings/{id}/rectify": request,
			"GET /api/office/repairs": read, "POST /api/office/repairs": request,
			"GET /api/office/repairs/{id}": read, "PUT /api/office/repairs/{id}": write,
			"GET /api/office/patrols": center, "POST /api/office/patrols": write,
			"GET /api/office/patrols/{id}": center, "POST /api/office/patrols/{id}/result": write,
			"POST /api/office/patrol-items/{id}/follow-up": write,
			"GET /api/office/ledger.xlsx":                  read, "POST /api/office/ledger/import": write,
			"POST /api/office/ledger/reconcile": read,
		}
		clients := map[string]*client{}
		for _, role := range auth.Roles {
			clients[role] = e.login(role)
		}
		seen := 0
		for _, r := range web.Routes() {
			method, pattern, _ := strings.Cut(r.Pattern, " ")
			if !strings.HasPrefix(pattern, "/api/office/") {
				continue
			}
			seen++
			allowed, ok := who[r.Pattern]
			if !ok {
				t.Errorf("%s: no line in this test says who may use it", r.Pattern)
				continue
			}
			path := w.path(pattern)
			for _, role := range auth.Roles {
				var body any
				if method != "GET" {
					body = map[string]any{"probe": true} // an unknown field: 400 once past the guard
				}
				res, out := clients[role].do(method, path, body)
				want := 403
				if slices.Contains(allowed, role) {
					want = 200
					if method != "GET" {
						want = 400
					}
				}
				if res.StatusCode != want {
					t.Errorf("%s %s as %s = %d %.200s, want %d", method, path, role, res.StatusCode, out, want)
				}
			}
		}
		if seen != len(who) {
			t.Errorf("the route table has %d office routes, this test %d lines", seen, len(who))
		}
	})
}

// A unit's leader sees their own unit's office space only: another unit's records are 403 by
// id, by unit_id and for every write, and absent from every list; the pool of vacant rooms is
// everyone's to see and ask for.
func TestOfficeLeaderSeesOwnUnitOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		w := newOfficeWorld(t, e)
		other := w.other
		for _, p := range []string{
			fmt.Sprintf("/api/office/rooms/%d", w.r301), fmt.Sprintf("/api/office/assignments/%d", w.chiefSeat),
			fmt.Sprintf("/api/office/reallocations/%d", w.realloc), fmt.Sprintf("/api/office/clearances/%d", w.clearance),
			fmt.Sprintf("/api/office/inspections/%d", w.inspection), fmt.Sprintf("/api/office/repairs/%d", w.repair),
			fmt.Sprintf("/api/office/buildings/%d", w.building), fmt.Sprintf("/api/office/buildings/%d/floors", w.building),
			fmt.Sprintf("/api/office/units/%d", w.finance), fmt.Sprintf("/api/office/patrols/%d", w.patrol),
		} {
			other.expect("GET", p, nil, 403)
		}
		for _, list := range []string{"rooms", "assignments", "history", "overstandard", "persons", "people", "departures",
			"reallocations", "clearances", "findings", "ledger.xlsx"} {
			other.expect("GET", fmt.Sprintf("/api/office/%s?unit_id=%d", list, w.finance), nil, 403)
		}
		for _, tt := range []struct {
			path string
			body map[string]any
		}{
			{fmt.Sprintf("/api/office/findings/%d/rectify", w.finding), map[string]any{"rectification": "已整改"}},
			{"/api/office/repairs", map[string]any{"room_id": w.r301, "equipment": "room", "description": "门锁坏了"}},
			{"/api/office/repairs", map[string]any{"building_id": w.building, "equipment": "elevator", "description": "电梯异响"}},
			{"/api/office/reallocations", map[string]any{"unit_id": w.finance, "reason": "代为申请", "room_id": w.r305}},
			{"/api/office/reallocations", map[string]any{"kind": "move", "reason": "搬迁", "items": []map[string]any{{"room_id": w.r305, "from_room_id": w.r301}}}},
			{fmt.Sprintf("/api/office/ledger/reconcile?unit_id=%d", w.finance), map[string]any{"probe": true}},
		} {
			other.expect("POST", tt.path, tt.body, 403)
		}

		// Every list holds only the leader's own unit's records: here, nothing.
		for _, list := range []string{"rooms", "assignments", "history", "persons", "reallocations", "clearances", "findings",
			"repairs", "inspections", "buildings", "units"} {
			if n := itemCount(t, other.expect("GET", "/api/office/"+list, nil, 200)); n != 0 {
				t.Errorf("the other unit's leader lists %d %s", n, list)
			}
		}
		var over, deps struct{ Items, Unranked, Unrecorded []json.RawMessage }
		decodeInto(t, other.expect("GET", "/api/office/overstandard", nil, 200), &over)
		decodeInto(t, other.expect("GET", "/api/office/departures", nil, 200), &deps)
		if len(over.Items)+len(over.Unranked)+len(deps.Items)+len(deps.Unrecorded) != 0 {
			t.Errorf("the other unit's leader sees over-standard %+v, departures %+v", over, deps)
		}
		var people struct {
			Items []struct {
				UnitID int64 `json:"unit_id"`
			} `json:"items"`
		}
		decodeInto(t, other.expect("GET", "/api/office/people", nil, 200), &people)
		for _, p := range people.Items {
			if p.UnitID != w.education {
				t.Errorf("the other unit's leader sees a person of unit %d", p.UnitID)
			}
		}
		if text := xlsxText(t, other.expect("GET", "/api/office/ledger.xlsx", nil, 200)); strings.Contains(text, "张科长") || strings.Contains(text, "县财政局") {
			t.Errorf("the other unit's ledger workbook shows 县财政局's rooms")
		}

		// The unit's own leader sees them (the same lists are not empty by accident).
		for list, want := range map[string]int{"rooms": 3, "findings": 1, "repairs": 1, "reallocations": 1, "clearances": 1, "inspections": 1} {
			if n := itemCount(t, w.leader.expect("GET", "/api/office/"+list, nil, 200)); n != want {
				t.Errorf("the unit's leader lists %d %s, want %d", n, list, want)
			}
		}
		if text := xlsxText(t, w.leader.expect("GET", "/api/office/ledger.xlsx", nil, 200)); !strings.Contains(text, "张科长") {
			t.Errorf("the unit's own ledger workbook lacks 张科长")
		}

		// The pool: the vacant rooms are everyone's to ask for.
		var pool struct {
			Items []struct {
				ID     int64 `json:"id"`
				Vacant bool  `json:"vacant"`
			} `json:"items"`
		}
		for _, q := range []string{"vacant=1", "use=vacant"} {
			decodeInto(t, other.expect("GET", "/api/office/rooms?"+q, nil, 200), &pool)
			if len(pool.Items) != 2 || !pool.Items[0].Vacant || !pool.Items[1].Vacant {
				t.Errorf("the pool (?%s) = %+v, want rooms 303 and 305", q, pool.Items)
			}
		}
		other.expect("GET", fmt.Sprintf("/api/office/rooms/%d", w.r305), nil, 200)
		other.expect("POST", "/api/office/reallocations", map[string]any{"reason": "教育局新增股室", "room_id": w.r305}, 201)
	})
}

// itemCount is the length of a list answer's items.
func itemCount(t *testing.T, body []byte) int {
	t.Helper()
	var v struct{ Items []json.RawMessage }
	decodeInto(t, body, &v)
	return len(v.Items)
}

// xlsxText is every cell of a workbook, one line per row.
func xlsxText(t *testing.T, b []byte) string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a workbook: %v", err)
	}
	defer x.Close()
	var sb strings.Builder
	for _, sh := range x.GetSheetList() {
		rows, _ := x.GetRows(sh)
		for _, r := range rows {
			sb.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return sb.String()
}
