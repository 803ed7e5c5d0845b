package web_test

import (
	"fmt"
	"strings"
	"testing"

	"fleet/store"
	"fleet/store/storetest"
)

// officeRoom is what these tests read of a room.
type officeRoom struct {
	Vacant    bool   `json:"vacant"`
	UnitID    *int64 `json:"unit_id"`
	Occupants []struct {
		UserID int64  `json:"user_id"`
		Post   string `json:"post"`
	} `json:"occupants"`
}

func (w *officeWorld) room(id int64) officeRoom {
	var r officeRoom
	decodeInto(w.e.t, w.manager.expect("GET", fmt.Sprintf("/api/office/rooms/%d", id), nil, 200), &r)
	return r
}

// 统筹调剂 over HTTP: a leader asks for a room of the pool for a newcomer of the unit; the office
// manager approves it through the approval engine and the newcomer is in the room, with the
// change in its history. The center moves the unit's clerks to another room the same way. A
// room already asked for, or a person who has an office, is refused and nothing changes. A
// clearance (清退) completed by its deadline returns the room to the pool.
func TestOfficeReallocationMovesAssignments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		w := newOfficeWorld(t, e)
		m, leader := w.manager, w.leader
		approve := func(approval int64) {
			t.Helper()
			m.expect("POST", fmt.Sprintf("/api/approvals/%d/actions", approval), map[string]any{"action": "approve", "comment": "同意"}, 200)
		}
		type realloc struct {
			ID         int64   `json:"id"`
			Status     string  `json:"status"`
			ApprovalID int64   `json:"approval_id"`
			AppliedAt  *string `json:"applied_at"`
		}
		var req realloc
		decodeInto(t, leader.expect("POST", "/api/office/reallocations", map[string]any{"reason": "新进人员", "items": []map[string]any{
			{"room_id": w.r305, "user_id": w.newcomer, "post": "科员"}}}, 201), &req)
		if req.Status != "pending" || req.ApprovalID == 0 || !w.room(w.r305).Vacant {
			t.Fatalf("request = %+v, want pending with the room still vacant", req)
		}
		r307 := officeID(t, m.expect("POST", "/api/office/rooms", map[string]any{"building_id": w.building, "floor": 3, "number": "307", "area_m2": 14, "use": "office"}, 201))
		history := itemCount(t, m.expect("GET", "/api/office/history", nil, 200))
		for _, tt := range []struct {
			name  string
			body  map[string]any
			code  int
			field string
		}{
			{"a room asked for already", map[string]any{"reason": "再要", "items": []map[string]any{{"room_id": w.r305}}}, 409, "items[0].room_id"},
			{"a room someone holds", map[string]any{"reason": "要", "items": []map[string]any{{"room_id": w.r301}}}, 409, "items[0].room_id"},
			{"a person with an office", map[string]any{"reason": "要", "items": []map[string]any{{"room_id": r307, "user_id": w.chief}}}, 400, "items[0].user_id"},
			{"no such room", map[string]any{"reason": "要", "items": []map[string]any{{"room_id": 999999}}}, 400, "items[0].room_id"},
		} {
			res, out := leader.do("POST", "/api/office/reallocations", tt.body)
			if res.StatusCode != tt.code || errorOf(t, out).Error.Fields[tt.field] == "" {
				t.Errorf("%s = %d %s, want %d naming %s", tt.name, res.StatusCode, out, tt.code, tt.field)
			}
		}
		if n := itemCount(t, leader.expect("GET", "/api/office/reallocations", nil, 200)); n != 2 {
			t.Errorf("reallocations after refusals = %d, want the 2 filed", n)
		}
		if n := itemCount(t, m.expect("GET", "/api/office/history", nil, 200)); n != history {
			t.Errorf("history lines %d → %d after refusals", history, n)
		}

		approve(req.ApprovalID)
		decodeInto(t, leader.expect("GET", fmt.Sprintf("/api/office/reallocations/%d", req.ID), nil, 200), &req)
		got := w.room(w.r305)
		if req.Status != "approved" || req.AppliedAt == nil || got.Vacant || len(got.Occupants) != 1 || got.Occupants[0].UserID != w.newcomer || got.Occupants[0].Post != "科员" {
			t.Fatalf("after approval: request %+v, room 305 %+v; want the newcomer in it", req, got)
		}
		var hist struct {
			Items []struct{ Action, Actor, Reason, To string }
		}
		decodeInto(t, m.expect("GET", fmt.Sprintf("/api/office/history?room_id=%d", w.r305), nil, 200), &hist)
		if len(hist.Items) == 0 || hist.Items[0].Action != "reallocate" || !strings.Contains(hist.Items[0].Reason, "新进人员") || !strings.Contains(hist.Items[0].To, "赵新（科级以下）") {
			t.Errorf("room 305's history = %+v, want the reallocation first", hist.Items)
		}

		// The world's own request (room 303 for the unit) is approved too: the unit holds it.
		approve(w.approval)
		if r := w.room(w.r303); r.Vacant || r.UnitID == nil || *r.UnitID != w.finance {
			t.Errorf("room 303 after approval = %+v, want held by 县财政局", r)
		}

		// The center moves the two clerks from 302 into a new room 306 (the admin files it, the
		// office manager approves): 302 back in the pool, both clerks in 306.
		r306 := officeID(t, m.expect("POST", "/api/office/rooms", map[string]any{"building_id": w.building, "floor": 3, "number": "306", "area_m2": 30, "use": "office"}, 201))
		var mv realloc
		decodeInto(t, w.admin.expect("POST", "/api/office/reallocations", map[string]any{"kind": "move", "unit_id": w.finance, "reason": "集中办公",
			"items": []map[string]any{{"room_id": r306, "from_room_id": w.r302}}}, 201), &mv)
		approve(mv.ApprovalID)
		if old, moved := w.room(w.r302), w.room(r306); !old.Vacant || len(moved.Occupants) != 2 {
			t.Errorf("after the move: 302 %+v, 306 %+v", old, moved)
		}
		var ended struct {
			Items []struct {
				Active    bool   `json:"active"`
				EndReason string `json:"end_reason"`
			} `json:"items"`
		}
		decodeInto(t, m.expect("GET", fmt.Sprintf("/api/office/assignments?room_id=%d", w.r302), nil, 200), &ended)
		if len(ended.Items) != 2 || ended.Items[0].Active || !strings.Contains(ended.Items[0].EndReason, "集中办公") {
			t.Errorf("302's assignments = %+v, want both ended for the move", ended.Items)
		}

		// 清退: a deadline in the past is refused; completing the open one frees room 304.
		out := m.expect("POST", "/api/office/clearances", map[string]any{"room_id": w.r301, "reason": "超标", "deadline": countyDay(-1)}, 400)
		if errorOf(t, out).Error.Fields["deadline"] == "" {
			t.Errorf("a deadline in the past = %s, want a problem with deadline", out)
		}
		var c struct {
			Status   string  `json:"status"`
			Deadline string  `json:"deadline"`
			DoneAt   *string `json:"done_at"`
			Overdue  bool    `json:"overdue"`
		}
		decodeInto(t, m.expect("POST", fmt.Sprintf("/api/office/clearances/%d/complete", w.clearance), map[string]any{"note": "已腾退"}, 200), &c)
		if c.Status != "done" || c.DoneAt == nil || c.Overdue || c.Deadline != countyDay(30) || !w.room(w.r304).Vacant {
			t.Errorf("completed clearance = %+v, room 304 %+v; want done and the room vacant", c, w.room(w.r304))
		}
		m.expect("POST", fmt.Sprintf("/api/office/clearances/%d/cancel", w.clearance), map[string]any{"note": "撤销"}, 409)
	})
}
