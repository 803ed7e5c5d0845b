package web_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// officeWorld is a small ledger of 县财政局 (newOfficeEnv's unit), kept by its office manager
// through the API: 县行政中心 with 301 (24 m², a section chief), 302 (20 m², two clerks), 303
// (30 m², vacant, asked for by the unit's leader), 304 (a 40 m² meeting room the unit holds,
// to be cleared), 305 (16 m², vacant, in the pool), and one of each tracked record: the
// reallocation request, the clearance, an inspection with an overdue finding, a repair and a
// safety patrol.
type officeWorld struct {
	e                                      *env
	admin, manager, leader, other, auditor *client
	finance, education                     int64 // units: the leader's, and the other leader's
	building, r301, r302, r303, r304, r305 int64
	chief, clerk1, clerk2, newcomer        int64 // users; the newcomer has no office
	chiefSeat                              int64 // the chief's assignment
	realloc, approval                      int64 // the leader's pending request and its approval instance
	clearance, inspection, finding         int64
	repair, patrol, patrolItem             int64
}

// countyDay is a date of the county's calendar n days from today, as the API takes it.
func countyDay(n int) string {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return time.Now().In(loc).AddDate(0, 0, n).Format(time.DateOnly)
}

// decodeInto reads a JSON answer into v, failing the test when it cannot.
func decodeInto(t testing.TB, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func newOfficeWorld(t *testing.T, e *env) *officeWorld {
	t.Helper()
	w := &officeWorld{e: e, admin: e.login("admin"), manager: e.login("office_manager"), leader: e.login("leader"),
		other: e.login("other"), auditor: e.login("auditor"), finance: e.unitID, education: e.users["other"].UnitID}
	person := func(username, name, rank string) int64 {
		return officeID(t, w.admin.expect("POST", "/api/users", map[string]any{"username": username, "password": pw, "role": "staff",
			"unit_id": e.unitID, "name": name, "rank": rank}, 201))
	}
	w.chief, w.clerk1, w.clerk2 = person("chief", "张科长", "section_chief"), person("clerk1", "李文", "clerk"), person("clerk2", "王芳", "clerk")
	w.newcomer = person("newcomer", "赵新", "clerk")
	m := w.manager
	w.building = officeID(t, m.expect("POST", "/api/office/buildings", map[string]any{"name": "县行政中心", "address": "城关镇人民路1号",
		"floors": 5, "usable_area_m2": 2000}, 201))
	room := func(number string, area float64, use string) int64 {
		return officeID(t, m.expect("POST", "/api/office/rooms", map[string]any{"building_id": w.building, "floor": 3, "number": number,
			"area_m2": area, "use": use}, 201))
	}
	w.r301, w.r302, w.r303 = room("301", 24, "office"), room("302", 20, "office"), room("303", 30, "office")
	w.r304, w.r305 = room("304", 40, "service"), room("305", 16, "office")
	w.chiefSeat = officeID(t, m.expect("POST", "/api/office/assignments", map[string]any{"room_id": w.r301, "user_id": w.chief, "post": "预算股股长"}, 201))
	m.expect("POST", "/api/office/assignments", map[string]any{"room_id": w.r302, "user_id": w.clerk1}, 201)
	m.expect("POST", "/api/office/assignments", map[string]any{"room_id": w.r302, "user_id": w.clerk2}, 201)
	m.expect("POST", "/api/office/assignments", map[string]any{"room_id": w.r304, "unit_id": w.finance, "reason": "会议室"}, 201)

	var req struct {
		ID         int64 `json:"id"`
		ApprovalID int64 `json:"approval_id"`
	}
	decodeInto(t, w.leader.expect("POST", "/api/office/reallocations", map[string]any{"reason": "新增科室",
		"items": []map[string]any{{"room_id": w.r303}}}, 201), &req)
	w.realloc, w.approval = req.ID, req.ApprovalID
	w.clearance = officeID(t, m.expect("POST", "/api/office/clearances", map[string]any{"room_id": w.r304, "reason": "会议室超出服务用房标准",
		"deadline": countyDay(30)}, 201))
	var ins struct {
		ID       int64 `json:"id"`
		Findings []struct {
			ID int64 `json:"id"`
		} `json:"findings"`
	}
	decodeInto(t, m.expect("POST", "/api/office/inspections", map[string]any{"title": "办公用房专项督查", "inspected_on": countyDay(-40),
		"inspector": "县纪委监委", "findings": []map[string]any{{"unit_id": w.finance, "room_id": w.r301, "kind": "over_standard",
			"description": "张科长办公室超标 6 m²", "owner": "县财政局办公室", "deadline": countyDay(-10)}}}, 201), &ins)
	w.inspection, w.finding = ins.ID, ins.Findings[0].ID
	w.repair = officeID(t, m.expect("POST", "/api/office/repairs", map[string]any{"room_id": w.r301, "equipment": "room", "description": "空调不制冷"}, 201))
	var patrol struct {
		ID    int64 `json:"id"`
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	decodeInto(t, m.expect("POST", "/api/office/patrols", map[string]any{"building_id": w.building, "scheduled_on": countyDay(0)}, 201), &patrol)
	w.patrol, w.patrolItem = patrol.ID, patrol.Items[0].ID
	return w
}

// path puts the world's ids into a route's pattern.
func (w *officeWorld) path(pattern string) string {
	ids := map[string]int64{
		"/api/office/buildings/{id}": w.building, "/api/office/rooms/{id}": w.r301, "/api/office/assignments/{id}": w.chiefSeat,
		"/api/office/units/{id}": w.finance, "/api/office/reallocations/{id}": w.realloc, "/api/office/clearances/{id}": w.clearance,
		"/api/office/inspections/{id}": w.inspection, "/api/office/findings/{id}": w.finding, "/api/office/repairs/{id}": w.repair,
		"/api/office/patrols/{id}": w.patrol, "/api/office/patrol-items/{id}": w.patrolItem,
	}
	for prefix, id := range ids {
		if len(pattern) >= len(prefix) && pattern[:len(prefix)] == prefix {
			return fmt.Sprintf("%s%d%s", prefix[:len(prefix)-len("{id}")], id, pattern[len(prefix):])
		}
	}
	return pattern
}
