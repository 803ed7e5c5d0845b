package web_test

import (
	"bytes"
	"fmt"
	"testing"

	"fleet/store"
	"fleet/store/storetest"
)

// Bad input to the office module: a 4xx whose JSON body names the field, and nothing changed —
// every list of the module reads the same before and after.
func TestOfficeBadInputChangesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		w := newOfficeWorld(t, e)
		m := w.manager
		small := officeID(t, m.expect("POST", "/api/office/buildings", map[string]any{"name": "小楼", "address": "x", "floors": 2, "usable_area_m2": 100}, 201))
		officeID(t, m.expect("POST", "/api/office/rooms", map[string]any{"building_id": small, "floor": 1, "number": "101", "area_m2": 90, "use": "office"}, 201))
		room := func(kv ...any) map[string]any {
			b := map[string]any{"building_id": w.building, "floor": 3, "number": "399", "area_m2": 10, "use": "office"}
			for i := 0; i < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
		id := func(f string, v int64) string { return fmt.Sprintf(f, v) }
		tests := []struct {
			name, method, path string
			body               any
			status             int
			field              string
		}{
			{"negative area", "POST", "/api/office/rooms", room("area_m2", -12), 400, "area_m2"},
			{"zero area", "POST", "/api/office/rooms", room("area_m2", 0), 400, "area_m2"},
			{"a room larger than the building", "POST", "/api/office/rooms", room("building_id", small, "floor", 1, "area_m2", 150), 400, "area_m2"},
			{"rooms together larger than the building", "POST", "/api/office/rooms", room("building_id", small, "floor", 1, "area_m2", 20), 400, "area_m2"},
			{"a floor the building lacks", "POST", "/api/office/rooms", room("floor", 9), 400, "floor"},
			{"no such building", "POST", "/api/office/rooms", room("building_id", 999999), 400, "building_id"},
			{"vacant as a use", "POST", "/api/office/rooms", room("use", "vacant"), 400, "use"},
			{"an unknown use", "POST", "/api/office/rooms", room("use", "canteen"), 400, "use"},
			{"a room number taken", "POST", "/api/office/rooms", room("number", "301"), 409, "number"},
			{"a negative area on update", "PUT", id("/api/office/rooms/%d", w.r305), room("number", "305", "area_m2", -1), 400, "area_m2"},
			{"a building smaller than its rooms", "PUT", id("/api/office/buildings/%d", small), map[string]any{"name": "小楼", "usable_area_m2": 50}, 400, "usable_area_m2"},
			{"a negative building area", "POST", "/api/office/buildings", map[string]any{"name": "新楼", "usable_area_m2": -5}, 400, "usable_area_m2"},
			{"an unknown room", "POST", "/api/office/assignments", map[string]any{"room_id": 999999, "user_id": w.newcomer}, 400, "room_id"},
			{"an unknown user", "POST", "/api/office/assignments", map[string]any{"room_id": w.r305, "user_id": 999999}, 400, "user_id"},
			{"a meeting room to a person", "POST", "/api/office/assignments", map[string]any{"room_id": w.r304, "user_id": w.newcomer}, 400, "room_id"},
			{"an office room assigned twice", "POST", "/api/office/assignments", map[string]any{"room_id": w.r301, "user_id": w.chief}, 409, ""},
			{"a second office", "POST", "/api/office/assignments", map[string]any{"room_id": w.r305, "user_id": w.chief}, 409, "user_id"},
			{"a room to a second unit", "POST", "/api/office/assignments", map[string]any{"room_id": w.r304, "unit_id": w.education}, 409, ""},
			{"an office room whose people would go", "PUT", id("/api/office/rooms/%d", w.r301), room("number", "301", "area_m2", 24, "use", "service"), 409, "use"},
			{"an assignment ended without a reason", "POST", id("/api/office/assignments/%d/end", w.chiefSeat), map[string]any{}, 400, "reason"},
			{"a rank the table does not know", "POST", "/api/users", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": w.finance, "name": "某", "rank": "chuji"}, 400, "rank"},
			{"the 1999 table's rank", "POST", "/api/users", map[string]any{"username": "x2", "password": pw, "role": "staff", "unit_id": w.finance, "name": "某", "rank": "keyuan"}, 400, "rank"},
			{"reallocating a room that is not vacant", "POST", "/api/office/reallocations", map[string]any{"reason": "要", "room_id": w.r301}, 409, "items[0].room_id"},
			{"a move from a vacant room", "POST", "/api/office/reallocations", map[string]any{"kind": "move", "unit_id": w.finance, "reason": "搬", "room_id": w.r305, "from_room_id": w.r303}, 400, "items[0].from_room_id"},
			{"clearing a vacant room", "POST", "/api/office/clearances", map[string]any{"room_id": w.r305, "reason": "清退", "deadline": countyDay(5)}, 409, ""},
			{"a clearance without a deadline", "POST", "/api/office/clearances", map[string]any{"room_id": w.r301, "reason": "清退"}, 400, "deadline"},
			{"a departure of nobody", "POST", "/api/office/departures", map[string]any{"user_id": 999999, "kind": "retire"}, 400, "user_id"},
			{"a departure of an unknown kind", "POST", "/api/office/departures", map[string]any{"user_id": w.chief, "kind": "fired"}, 400, "kind"},
			{"a finding of no unit", "POST", "/api/office/inspections", map[string]any{"title": "督查", "findings": []map[string]any{{"unit_id": 999999, "kind": "idle", "description": "闲置", "owner": "办公室", "deadline": countyDay(9)}}}, 400, "findings[0].unit_id"},
			{"a finding without an owner", "POST", id("/api/office/inspections/%d/findings", w.inspection), map[string]any{"unit_id": w.finance, "kind": "idle", "description": "闲置", "deadline": countyDay(9)}, 400, "owner"},
			{"a rectification without words", "POST", id("/api/office/findings/%d/rectify", w.finding), map[string]any{"rectification": " "}, 400, "rectification"},
			{"a repair of unknown equipment", "POST", "/api/office/repairs", map[string]any{"building_id": w.building, "equipment": "boiler", "description": "坏了"}, 400, "equipment"},
			{"a negative repair cost", "PUT", id("/api/office/repairs/%d", w.repair), map[string]any{"status": "in_progress", "cost": -3}, 400, "cost"},
			{"an unknown repair status", "PUT", id("/api/office/repairs/%d", w.repair), map[string]any{"status": "bogus"}, 400, "status"},
			{"a patrol with a line unanswered", "POST", id("/api/office/patrols/%d/result", w.patrol), map[string]any{"inspector": "李工", "items": []map[string]any{{"line": 1, "ok": true}}}, 400, "items"},
			{"a failed line without a follow-up", "POST", id("/api/office/patrols/%d/result", w.patrol), map[string]any{"inspector": "李工", "items": []map[string]any{{"line": 1, "ok": false}}}, 400, "items[0].follow_up"},
			{"a patrol on no day", "POST", "/api/office/patrols", map[string]any{"building_id": w.building, "scheduled_on": "2025-13-40"}, 400, "scheduled_on"},
			{"malformed JSON", "POST", "/api/office/rooms", `{"building_id":`, 400, ""},
			{"a room list of an unknown use", "GET", "/api/office/rooms?use=canteen", nil, 400, "use"},
			{"a room list of a bad unit", "GET", "/api/office/rooms?unit_id=abc", nil, 400, "unit_id"},
		}
		before := w.snapshot()
		for _, tt := range tests {
			res, out := m.do(tt.method, tt.path, tt.body)
			if tt.name == "a rank the table does not know" || tt.name == "the 1999 table's rank" {
				res, out = w.admin.do(tt.method, tt.path, tt.body)
			}
			if res.StatusCode != tt.status {
				t.Errorf("%s: %d %s, want %d", tt.name, res.StatusCode, out, tt.status)
				continue
			}
			if e := errorOf(t, out); e.Error.Message == "" || (tt.field != "" && e.Error.Fields[tt.field] == "") {
				t.Errorf("%s: %s, want a message naming %s", tt.name, out, tt.field)
			}
		}
		if after := w.snapshot(); !bytes.Equal(before, after) {
			t.Errorf("bad input changed the module's records:\nbefore %s\nafter  %s", before, after)
		}
	})
}

// snapshot is every list of the module (and the users), as the office manager reads them.
func (w *officeWorld) snapshot() []byte {
	var all []byte
	for _, p := range []string{"buildings", "rooms?limit=1000", "assignments?limit=1000", "history?limit=1000", "reallocations", "clearances",
		"departures", "inspections", "findings", "repairs", "patrols", "standards", "overstandard", "units"} {
		all = append(all, w.manager.expect("GET", "/api/office/"+p, nil, 200)...)
	}
	return append(all, w.admin.expect("GET", "/api/users?limit=1000", nil, 200)...)
}
