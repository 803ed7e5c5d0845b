package web_test

import (
	"encoding/json"
	"fmt"
	"time"
)

// hostileCase is one JSON route of the sweep: who calls it and a valid body (with the path it
// goes to), made afresh for each request from n so that unique names never collide. read, when
// set, is where the stored entity reads back after a 2xx; otherwise the answer itself is read.
// A route whose body is nil says why: it takes no JSON body, or another test covers it.
type hostileCase struct {
	route string
	role  string
	body  func(f *hostileFixture, n int) (string, any)
	read  func(path string, out []byte) string
	why   string
	// transition: the body moves a record on (assigns, declines, cancels), so the valid body is
	// not sent first; the first hostile body accepted moves it, and the rest meet a 409.
	transition bool
	// unread are the keys whose text no answer shows (kept in a history or a log), so a 2xx
	// cannot be read back.
	unread []string
}

type obj = map[string]any

// at is a route whose path is fixed.
func at(path string, body func(f *hostileFixture, n int) any) func(*hostileFixture, int) (string, any) {
	return func(f *hostileFixture, n int) (string, any) { return path, body(f, n) }
}

// byID reads a created entity back at its collection's path plus the answer's id.
func byID(collection string) func(string, []byte) string {
	return func(_ string, out []byte) string {
		var v struct{ ID int64 }
		json.Unmarshal(out, &v)
		return fmt.Sprintf("%s/%d", collection, v.ID)
	}
}

// same reads an updated entity back at the path it was written to.
func same(path string, _ []byte) string { return path }

func noBody(route, why string) hostileCase { return hostileCase{route: route, why: why} }

var hostileCases = []hostileCase{
	// Sessions, units, users.
	{route: "POST /api/login", why: "the login form: TestLoginBruteForceGets429 and the session tests (another helper's part)"},
	noBody("POST /api/logout", "takes no body"),
	{route: "PUT /api/me/password", role: "staff", why: "changing the password ends the caller's sessions: the session tests cover it"},
	{route: "POST /api/units", role: "admin", read: byID("/api/units"), body: at("/api/units", func(f *hostileFixture, n int) any {
		return obj{"name": fmt.Sprintf("县测试局%d", n), "code": fmt.Sprintf("T%d", n), "parent_id": f.e.unitID}
	})},
	{route: "PUT /api/units/{id}", role: "admin", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/units/%d", f.unit()), obj{"name": fmt.Sprintf("县改名局%d", n), "code": fmt.Sprintf("G%d", n)}
	}},
	{route: "POST /api/users", role: "admin", read: byID("/api/users"), body: at("/api/users", func(f *hostileFixture, n int) any {
		return obj{"username": fmt.Sprintf("h%d", n), "password": pw, "role": "staff", "unit_id": f.e.unitID, "name": "张三",
			"phone": "13800000000", "rank": "clerk"}
	})},
	{route: "PUT /api/users/{id}", role: "admin", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/users/%d", f.user()), obj{"username": fmt.Sprintf("hu%d", n), "role": "staff", "unit_id": f.e.unitID,
			"name": "李四", "phone": "13800000001"}
	}},
	noBody("POST /api/users/{id}/disable", "takes no body"),
	noBody("POST /api/users/{id}/enable", "takes no body"),
	{route: "PUT /api/users/{id}/password", role: "admin", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/users/%d/password", f.user()), obj{"password": "another-horse"}
	}},

	// Vehicles, drivers, their records, rosters.
	{route: "POST /api/vehicles", role: "admin", read: byID("/api/vehicles"), body: at("/api/vehicles", func(f *hostileFixture, n int) any {
		return vehicleBody(n)
	})},
	{route: "PUT /api/vehicles/{id}", role: "admin", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/vehicles/%d", f.spareVehicle()), vehicleBody(n)
	}},
	{route: "POST /api/drivers", role: "admin", read: byID("/api/drivers"), body: at("/api/drivers", func(f *hostileFixture, n int) any {
		return obj{"name": "刘建国", "phone": fmt.Sprintf("139%08d", n), "license_class": "C1", "license_expiry": "2030-01-31"}
	})},
	{route: "PUT /api/drivers/{id}", role: "admin", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/drivers/%d", f.spareDriver()), obj{"name": "王志强", "phone": fmt.Sprintf("137%08d", n),
			"license_class": "B1", "license_expiry": "2030-01-31", "status": "on_duty"}
	}},
	{route: "POST /api/vehicles/{id}/records", role: "dispatcher", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/vehicles/%d/records", f.spareVehicle()), obj{"kind": "insurance", "date": "2026-12-20",
			"due_date": "2027-12-31", "cost": 4830.5, "note": "续保"}
	}},
	{route: "POST /api/drivers/{id}/trainings", role: "dispatcher", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/drivers/%d/trainings", f.spareDriver()), obj{"date": "2026-04-15", "topic": "应急救护", "hours": 3.5, "note": "县红十字会"}
	}},
	{route: "POST /api/rosters", role: "dispatcher", body: at("/api/rosters", func(f *hostileFixture, n int) any {
		start := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(n) * 24 * time.Hour)
		return obj{"driver_id": f.spareDriver(), "start": start.Format(time.RFC3339), "end": start.Add(8 * time.Hour).Format(time.RFC3339),
			"kind": "shift", "note": "白班"}
	})},
	{route: "POST /api/rosters/rotation", role: "dispatcher", body: at("/api/rosters/rotation", func(f *hostileFixture, n int) any {
		from := time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2*n)
		return obj{"driver_ids": []int64{f.spareDriver()}, "from": from.Format(time.DateOnly), "days": 1, "start_hour": 8, "note": "轮班"}
	})},

	// Vehicle requests and dispatch.
	{route: "POST /api/requests", role: "staff", read: byID("/api/requests"), body: at("/api/requests", func(f *hostileFixture, n int) any {
		return requestBody(n)
	})},
	{route: "PUT /api/requests/{id}", role: "staff", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/requests/%d", f.draftRequest()), requestBody(n)
	}},
	noBody("POST /api/requests/{id}/submit", "takes no body"),
	{route: "POST /api/requests/{id}/cancel", role: "staff", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/requests/%d/cancel", f.freshRequest()), obj{"reason": "不去了"}
	}},
	{route: "POST /api/requests/{id}/rate", role: "staff", why: "rating needs a finished trip: TestTripStatsHTTP runs one; not swept"},
	{route: "POST /api/dispatch/requests/{id}/assign", role: "dispatcher", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/dispatch/requests/%d/assign", f.approvedRequest()), obj{"vehicle_id": f.taskVehicle(), "driver_id": f.taskDriver()}
	}},
	{route: "POST /api/dispatch/requests/{id}/reassign", role: "dispatcher", transition: true, unread: []string{"reason"}, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/dispatch/requests/%d/reassign", f.assignedRequest()), obj{"vehicle_id": f.spareVehicle(),
			"driver_id": f.taskDriver(), "reason": "换车"}
	}},
	{route: "POST /api/dispatch/tasks/{id}/cancel", role: "dispatcher", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/dispatch/tasks/%d/cancel", f.task("cancel")), obj{"reason": "临时取消"}
	}},
	{route: "POST /api/dispatch/auto-assign", role: "dispatcher", body: at("/api/dispatch/auto-assign", func(f *hostileFixture, n int) any {
		now := time.Now().UTC()
		return obj{"from": now.Format(time.RFC3339), "to": now.Add(24 * time.Hour).Format(time.RFC3339), "apply": false}
	})},
	{route: "POST /api/dispatch/merges", role: "dispatcher", transition: true, body: at("/api/dispatch/merges", func(f *hostileFixture, n int) any {
		return obj{"request_ids": []int64{f.approvedRequest(), f.approvedRequest2()}}
	})},
	{route: "PUT /api/dispatch/settings", role: "dispatcher", body: at("/api/dispatch/settings", func(f *hostileFixture, n int) any {
		return f.get("dispatcher", "/api/dispatch/settings", "")
	})},
	noBody("POST /api/driver/tasks/{id}/accept", "takes no body"),
	{route: "POST /api/driver/tasks/{id}/decline", role: "driver", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/driver/tasks/%d/decline", f.task("decline")), obj{"reason": "身体不适"}
	}},
	{route: "POST /api/driver/tasks/{id}/check", role: "driver", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/driver/tasks/%d/check", f.acceptedTask()), f.checkBody()
	}},
	noBody("POST /api/driver/tasks/{id}/depart", "takes no body"),
	{route: "POST /api/driver/tasks/{id}/return", role: "driver", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/driver/tasks/%d/return", f.departedTask("return")), obj{"odometer_km": 20100, "fuel_l": 6.5, "charge_kwh": 0}
	}},
	{route: "POST /api/driver/tasks/{id}/positions", role: "driver", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/driver/tasks/%d/positions", f.departedTask("positions")), obj{"positions": []obj{{"lat": 27.81, "lng": 114.41,
			"speed_kmh": 40, "course": 90, "fixed_at": time.Now().UTC().Add(-time.Duration(n) * time.Millisecond).Format(time.RFC3339Nano)}}}
	}},

	// Tracking.
	noBody("POST /api/vehicles/{id}/device-token", "takes no body"),
	{route: "POST /api/vehicles/{id}/commands", role: "dispatcher", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/vehicles/%d/commands", f.spareVehicle()), obj{"type": "text", "text": "请回电"}
	}},
	{route: "POST /api/events/{id}/ack", role: "dispatcher", why: "needs a detector's event (tracking tests make them); the note is one text field, validated by AckEvent"},
	{route: "POST /api/geofences", role: "dispatcher", read: byID("/api/geofences"), body: at("/api/geofences", func(f *hostileFixture, n int) any {
		return geofenceBody(n)
	})},
	{route: "PUT /api/geofences/{id}", role: "dispatcher", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/geofences/%d", f.geofence()), geofenceBody(n)
	}},

	// Approvals and procurement.
	{route: "POST /api/approvals/{id}/actions", role: "leader", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/approvals/%d/actions", f.pendingApproval()), obj{"action": "comment", "comment": "请补充材料"}
	}},
	{route: "POST /api/approval-definitions", role: "admin", body: at("/api/approval-definitions", func(f *hostileFixture, n int) any {
		return definitionBody(fmt.Sprintf("k%d", n))
	})},
	{route: "PUT /api/approval-definitions/{key}", role: "admin", body: func(f *hostileFixture, n int) (string, any) {
		f.once("definition", func() int64 {
			f.made = true
			f.admin.expect("POST", "/api/approval-definitions", definitionBody("hostile"), 201)
			return 1
		})
		return "/api/approval-definitions/hostile", definitionBody("hostile")
	}},
	{route: "POST /api/approval-groups", role: "admin", body: at("/api/approval-groups", func(f *hostileFixture, n int) any {
		return obj{"key": fmt.Sprintf("g%d", n), "name": "小组", "member_ids": []int64{f.e.users["leader"].ID}}
	})},
	{route: "PUT /api/approval-groups/{id}", role: "admin", body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("group", func() int64 {
			return f.post(f.admin, "/api/approval-groups", obj{"key": "hostile_board", "name": "小组", "member_ids": []int64{f.e.users["leader"].ID}})
		})
		return fmt.Sprintf("/api/approval-groups/%d", id), obj{"key": "hostile_board", "name": "领导小组", "member_ids": []int64{f.e.users["leader"].ID}}
	}},
	{route: "POST /api/procurements", role: "staff", read: byID("/api/procurements"), body: at("/api/procurements", func(f *hostileFixture, n int) any {
		return procurementBody()
	})},
	{route: "POST /api/procurements/check", role: "staff", unread: []string{"*"}, body: at("/api/procurements/check", func(f *hostileFixture, n int) any {
		return procurementBody()
	})},
	{route: "PUT /api/procurements/{id}", role: "staff", why: "revising needs a procurement returned to its applicant; procurement_test covers it"},
	{route: "POST /api/procurements/{id}/attachments", why: "an upload (multipart): the attachment tests, another helper's part"},
	{route: "PUT /api/vehicle-standards", role: "admin", body: at("/api/vehicle-standards", func(f *hostileFixture, n int) any {
		return obj{"standards": f.getItems("admin", "/api/vehicle-standards", "standards", 2, "province", "rule", "class", "body", "value", "enabled", "source")}
	})},

	// Office space: the ledger of newOfficeWorld.
	{route: "PUT /api/office/standards", role: "office_manager", unread: []string{"level", "code"}, body: at("/api/office/standards", func(f *hostileFixture, n int) any {
		st := f.get("office_manager", "/api/office/standards", "")
		return obj{"level": st.(map[string]any)["level"], "standards": f.getItems("office_manager", "/api/office/standards", "standards", 100,
			"level", "kind", "code", "name", "area_m2", "ratio", "source")}
	})},
	{route: "POST /api/office/buildings", role: "office_manager", unread: []string{"reason"}, read: byID("/api/office/buildings"), body: at("/api/office/buildings", func(f *hostileFixture, n int) any {
		return buildingBody(n)
	})},
	{route: "PUT /api/office/buildings/{id}", role: "office_manager", unread: []string{"reason"}, read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/buildings/%d", f.w.building), buildingBody(n)
	}},
	{route: "POST /api/office/rooms", role: "office_manager", unread: []string{"reason"}, read: byID("/api/office/rooms"), body: at("/api/office/rooms", func(f *hostileFixture, n int) any {
		return roomBody(f, n)
	})},
	{route: "PUT /api/office/rooms/{id}", role: "office_manager", unread: []string{"reason"}, read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/rooms/%d", f.w.r305), roomBody(f, n)
	}},
	{route: "POST /api/office/assignments", role: "office_manager", read: byID("/api/office/assignments"), body: at("/api/office/assignments", func(f *hostileFixture, n int) any {
		return obj{"room_id": f.w.r303, "unit_id": f.w.finance, "reason": "档案室"}
	})},
	{route: "POST /api/office/assignments/{id}/end", role: "office_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/assignments/%d/end", f.w.chiefSeat), obj{"reason": "调离"}
	}},
	{route: "POST /api/office/departures", role: "office_manager", transition: true, body: at("/api/office/departures", func(f *hostileFixture, n int) any {
		return obj{"user_id": f.w.newcomer, "kind": "transfer", "left_on": countyDay(0), "note": "调往县财政局"}
	})},
	{route: "POST /api/office/reallocations", role: "leader", transition: true, read: byID("/api/office/reallocations"), body: at("/api/office/reallocations", func(f *hostileFixture, n int) any {
		return obj{"reason": "新增科室", "items": []obj{{"room_id": f.w.r305, "post": "科员"}}}
	})},
	{route: "POST /api/office/clearances", role: "office_manager", read: byID("/api/office/clearances"), body: at("/api/office/clearances", func(f *hostileFixture, n int) any {
		return obj{"room_id": f.w.r302, "reason": "超出标准", "deadline": countyDay(30)}
	})},
	{route: "POST /api/office/clearances/{id}/complete", role: "office_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/clearances/%d/complete", f.w.clearance), obj{"note": "已腾退"}
	}},
	{route: "POST /api/office/clearances/{id}/cancel", role: "office_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("clearance to cancel", func() int64 { // the one the POST case opened for 302
			for _, it := range f.get("office_manager", "/api/office/clearances", "items").([]any) {
				m := it.(map[string]any)
				if fmt.Sprint(m["room_id"]) == fmt.Sprint(f.w.r302) && m["status"] == "open" {
					id, _ := m["id"].(json.Number).Int64()
					return id
				}
			}
			f.t.Fatal("fixture: no open clearance for room 302")
			return 0
		})
		return fmt.Sprintf("/api/office/clearances/%d/cancel", id), obj{"note": "误报"}
	}},
	{route: "POST /api/office/inspections", role: "office_manager", read: byID("/api/office/inspections"), body: at("/api/office/inspections", func(f *hostileFixture, n int) any {
		return obj{"title": "办公用房专项督查", "inspected_on": countyDay(-1), "inspector": "县纪委监委", "note": "抽查",
			"findings": []obj{findingBody(f)}}
	})},
	{route: "POST /api/office/inspections/{id}/findings", role: "office_manager", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/inspections/%d/findings", f.w.inspection), findingBody(f)
	}},
	{route: "POST /api/office/findings/{id}/rectify", role: "office_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/findings/%d/rectify", f.w.finding), obj{"rectification": "已调整到 20 m²"}
	}},
	{route: "POST /api/office/repairs", role: "office_manager", read: byID("/api/office/repairs"), body: at("/api/office/repairs", func(f *hostileFixture, n int) any {
		return obj{"room_id": f.w.r301, "equipment": "room", "description": "空调不制冷", "cost": 300}
	})},
	{route: "PUT /api/office/repairs/{id}", role: "office_manager", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/repairs/%d", f.w.repair), obj{"status": "in_progress", "cost": 300, "note": "已派维修工"}
	}},
	{route: "POST /api/office/patrols", role: "office_manager", read: byID("/api/office/patrols"), body: at("/api/office/patrols", func(f *hostileFixture, n int) any {
		return obj{"building_id": f.w.building, "scheduled_on": countyDay(1 + n%300), "checklist": []string{"消防通道畅通", "灭火器在有效期内"}}
	})},
	{route: "POST /api/office/patrols/{id}/result", role: "office_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/office/patrols/%d/result", f.w.patrol), obj{"inspector": "李安全", "note": "总体良好",
			"items": []obj{{"line": 1, "ok": false, "note": "通道堆物", "follow_up": "清理", "deadline": countyDay(7)}}}
	}},
	{route: "POST /api/office/patrol-items/{id}/follow-up", role: "office_manager", why: "needs a failed patrol item: office_test covers it"},
	{route: "POST /api/office/ledger/import", why: "an upload (XLSX): the upload tests, another helper's part"},
	{route: "POST /api/office/ledger/reconcile", why: "an upload (XLSX): the upload tests, another helper's part"},

	// Canteen.
	{route: "PUT /api/canteen/settings", role: "canteen_manager", body: at("/api/canteen/settings", func(f *hostileFixture, n int) any {
		return f.get("canteen_manager", "/api/canteen/settings", "")
	})},
	{route: "POST /api/canteen/dishes", role: "canteen_manager", read: byID("/api/canteen/dishes"), body: at("/api/canteen/dishes", func(f *hostileFixture, n int) any {
		return dishBody(n)
	})},
	{route: "PUT /api/canteen/dishes/{id}", role: "canteen_manager", read: same, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/canteen/dishes/%d", f.dish()), dishBody(n)
	}},
	{route: "POST /api/canteen/dishes/{id}/photo", why: "an upload (image): the upload tests, another helper's part"},
	{route: "POST /api/canteen/menu/publish", role: "canteen_manager", why: "publishing is a one-off step of a week with meals: canteen_test covers it"},
	{route: "POST /api/canteen/meals", role: "canteen_manager", unread: []string{"reason"}, read: byID("/api/canteen/meals"), body: at("/api/canteen/meals", func(f *hostileFixture, n int) any {
		return f.mealBody(n)
	})},
	{route: "PUT /api/canteen/meals/{id}", role: "canteen_manager", unread: []string{"reason"}, read: same, body: func(f *hostileFixture, n int) (string, any) {
		b := f.mealBody(700)
		delete(b, "date")
		delete(b, "kind")
		return fmt.Sprintf("/api/canteen/meals/%d", f.meal()), b
	}},
	{route: "POST /api/canteen/meals/{id}/cancel", role: "canteen_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("meal to cancel", func() int64 { return f.post(f.as("canteen_manager"), "/api/canteen/meals", f.mealBody(500)) })
		return fmt.Sprintf("/api/canteen/meals/%d/cancel", id), obj{"reason": "停水"}
	}},
	{route: "POST /api/canteen/meals/{id}/ratings", role: "staff", why: "rating needs a served meal the diner booked: canteen_test covers it"},
	{route: "PUT /api/canteen/meals/{id}/waste", role: "canteen_manager", why: "waste is recorded for a served meal: canteen_test covers it"},
	{route: "POST /api/canteen/reservations", role: "staff", transition: true, body: at("/api/canteen/reservations", func(f *hostileFixture, n int) any {
		return obj{"meal_id": f.meal(), "point": "dine_in"}
	})},
	{route: "PUT /api/canteen/reservations/{id}", role: "staff", why: "changes the point of a booking: one enum field, canteen_test covers it"},
	{route: "POST /api/canteen/reservations/{id}/no-show", role: "canteen_manager", why: "one boolean, for a served meal: canteen_test covers it"},
	{route: "POST /api/canteen/weeks/{id}/votes", role: "staff", why: "needs a published week in consultation: canteen_test covers it"},
	{route: "POST /api/canteen/weeks/{id}/comments", role: "staff", why: "needs a published week in consultation: canteen_test covers it"},
	{route: "POST /api/canteen/comments/{id}/answer", role: "canteen_manager", why: "needs a diner's comment on a published week: canteen_test covers it"},
	{route: "POST /api/canteen/ratings/{id}/answer", role: "canteen_manager", why: "needs a diner's rating of a served meal: canteen_test covers it"},
	{route: "POST /api/canteen/evaluations", role: "canteen_manager", why: "answers the canteen's evaluation checklist item by item: canteen_test covers it; not swept yet"},
	{route: "PUT /api/canteen/evaluations/{id}", role: "canteen_manager", why: "answers the canteen's evaluation checklist item by item: canteen_test covers it; not swept yet"},
	{route: "POST /api/canteen/samples", role: "canteen_manager", body: at("/api/canteen/samples", func(f *hostileFixture, n int) any {
		return obj{"dish": "红烧鱼", "weight_g": 125, "refrigerated": true, "taken_at": time.Now().UTC().Add(-time.Hour).Format(time.RFC3339),
			"taken_by": "张厨师", "note": "午餐留样"}
	})},
	{route: "POST /api/canteen/samples/{id}/discard", role: "canteen_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("sample", func() int64 {
			return f.post(f.as("canteen_manager"), "/api/canteen/samples", obj{"dish": "鱼", "weight_g": 125, "refrigerated": true, "taken_by": "张"})
		})
		return fmt.Sprintf("/api/canteen/samples/%d/discard", id), obj{"discarded_by": "张厨师", "reason": "送检"}
	}},
	{route: "POST /api/canteen/suppliers", role: "canteen_manager", body: at("/api/canteen/suppliers", func(f *hostileFixture, n int) any {
		return supplierBody(n)
	})},
	{route: "PUT /api/canteen/suppliers/{id}", role: "canteen_manager", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/canteen/suppliers/%d", f.supplier()), supplierBody(n)
	}},
	{route: "POST /api/canteen/purchases", role: "canteen_manager", body: at("/api/canteen/purchases", func(f *hostileFixture, n int) any {
		return obj{"supplier_id": f.supplier(), "received_on": countyDay(0), "item": "大米", "quantity": "50 kg", "batch": "B2026",
			"expires_on": countyDay(180), "certificate": true, "result": "accepted", "inspector": "李验收", "note": "合格"}
	})},
	{route: "POST /api/canteen/hygiene", role: "canteen_manager", body: at("/api/canteen/hygiene", func(f *hostileFixture, n int) any {
		return obj{"checked_on": countyDay(0), "inspector": "王卫生", "items": []obj{{"item": "操作间清洁", "ok": true, "note": "良好"}}, "note": "晨检"}
	})},

	// Energy.
	{route: "POST /api/energy/meters", role: "energy_manager", read: byID("/api/energy/meters"), body: at("/api/energy/meters", func(f *hostileFixture, n int) any {
		return meterBody(f, n)
	})},
	{route: "PUT /api/energy/meters/{id}", role: "energy_manager", read: same, body: func(f *hostileFixture, n int) (string, any) {
		b := meterBody(f, n)
		delete(b, "installed_at")
		delete(b, "initial_value")
		return fmt.Sprintf("/api/energy/meters/%d", f.meter()), b
	}},
	{route: "POST /api/energy/meters/{id}/replace", role: "energy_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("meter to replace", func() int64 { return f.post(f.as("energy_manager"), "/api/energy/meters", meterBody(f, 7000)) })
		return fmt.Sprintf("/api/energy/meters/%d/replace", id), obj{"at": time.Now().UTC().Add(-time.Minute).Format(time.RFC3339),
			"final_value": 10, "initial_value": 0, "name": "新表", "code": "N-1", "uom": "kWh", "multiplier": 1, "note": "换表"}
	}},
	{route: "POST /api/energy/meters/{id}/retire", role: "energy_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("meter to retire", func() int64 { return f.post(f.as("energy_manager"), "/api/energy/meters", meterBody(f, 7001)) })
		return fmt.Sprintf("/api/energy/meters/%d/retire", id), obj{"at": time.Now().UTC().Add(-time.Minute).Format(time.RFC3339),
			"final_value": 10, "note": "拆除"}
	}},
	{route: "POST /api/energy/readings", role: "energy_manager", body: at("/api/energy/readings", func(f *hostileFixture, n int) any {
		return obj{"source": "manual", "readings": []obj{{"meter_id": f.meter(), "at": time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).
			Add(time.Duration(n) * time.Hour).Format(time.RFC3339), "value": 1000 + n}}}
	})},
	{route: "POST /api/energy/readings/{id}/accept", role: "energy_manager", why: "needs a reading held for review (a jump): energy_test covers it"},
	{route: "POST /api/energy/readings/{id}/reject", role: "energy_manager", why: "needs a reading held for review (a jump): energy_test covers it"},
	{route: "PUT /api/energy/coefficients", role: "energy_manager", body: at("/api/energy/coefficients", func(f *hostileFixture, n int) any {
		return obj{"items": f.getItems("energy_manager", "/api/energy/coefficients", "items", 2, "kind", "value", "source")}
	})},
	{route: "PUT /api/energy/co2-factors", role: "energy_manager", body: at("/api/energy/co2-factors", func(f *hostileFixture, n int) any {
		return obj{"items": f.getItems("energy_manager", "/api/energy/co2-factors", "items", 2, "kind", "region", "value", "source")}
	})},
	{route: "PUT /api/energy/settings", role: "energy_manager", body: at("/api/energy/settings", func(f *hostileFixture, n int) any {
		return f.get("energy_manager", "/api/energy/settings", "")
	})},
	{route: "PUT /api/energy/units/{id}", role: "energy_manager", body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/energy/units/%d", f.e.unitID), obj{"headcount": 40, "area_m2": 1200.5, "note": "2026 年核定"}
	}},
	{route: "POST /api/energy/agencies", role: "energy_manager", transition: true, body: at("/api/energy/agencies", func(f *hostileFixture, n int) any {
		return obj{"unit_id": f.e.unitID, "enrolled_on": countyDay(0), "note": "创建节约型机关"}
	})},
	{route: "PUT /api/energy/agencies/{id}/scores", role: "energy_manager", body: func(f *hostileFixture, n int) (string, any) {
		c := f.getItems("energy_manager", "/api/energy/agency-criteria", "items", 1, "code", "max_score")[0].(obj)
		return fmt.Sprintf("/api/energy/agencies/%d/scores", f.agency()), obj{"evaluated_on": countyDay(0),
			"scores": []obj{{"code": c["code"], "score": c["max_score"], "note": "达标"}}}
	}},
	{route: "POST /api/energy/agencies/{id}/decision", role: "energy_manager", transition: true, body: func(f *hostileFixture, n int) (string, any) {
		return fmt.Sprintf("/api/energy/agencies/%d/decision", f.agency()), obj{"status": "not_passed", "decided_on": countyDay(0), "note": "未达标"}
	}},
	{route: "PUT /api/energy/agency-criteria", role: "energy_manager", body: at("/api/energy/agency-criteria", func(f *hostileFixture, n int) any {
		return obj{"items": f.getItems("energy_manager", "/api/energy/agency-criteria", "items", 100, "code", "name", "max_score", "position", "source")}
	})},
	{route: "POST /api/energy/projects", role: "energy_manager", read: byID("/api/energy/projects"), body: at("/api/energy/projects", func(f *hostileFixture, n int) any {
		return projectBody(f, n)
	})},
	{route: "PUT /api/energy/projects/{id}", role: "energy_manager", read: same, body: func(f *hostileFixture, n int) (string, any) {
		id := f.once("project", func() int64 { return f.post(f.as("energy_manager"), "/api/energy/projects", projectBody(f, 0)) })
		return fmt.Sprintf("/api/energy/projects/%d", id), projectBody(f, n)
	}},

	// Devices: their own fuzz targets.
	{route: "POST /api/ingest/positions", why: "a terminal's batch: FuzzDeviceBatch (ingest_fuzz_test.go)"},
	{route: "POST /api/osmand", why: "OsmAnd form or JSON from a phone app: the tracking fuzz targets"},
}

// vehicleBody is a valid vehicle with a plate of its own.
func vehicleBody(n int) obj {
	return obj{"plate": fmt.Sprintf("赣K%05d", n%100000), "class": "general", "seats": 5, "energy": "gasoline",
		"terminal_phone": fmt.Sprintf("1390%08d", n), "status": "available", "registered_on": "2020-05-01", "odometer_km": 20000,
		"insurance_expiry": "2027-12-31", "inspection_due": "2027-03-31", "maintenance_due": "2027-06-30",
		"parking_name": "县政府大院", "parking_lat": 27.8, "parking_lng": 114.4}
}

// requestBody is a valid vehicle request, departing some days ahead.
func requestBody(n int) obj {
	depart := time.Now().UTC().Add(48*time.Hour + time.Duration(n)*time.Minute).Truncate(time.Minute)
	return obj{"passengers": 2, "purpose": "防汛检查", "origin": obj{"address": "县政府", "lat": 27.8, "lng": 114.4},
		"destinations": []obj{{"address": "水库", "lat": 27.85, "lng": 114.45}},
		"depart_at":    depart.Format(time.RFC3339), "return_at": depart.Add(3 * time.Hour).Format(time.RFC3339),
		"vehicle_class": "general", "priority": "normal", "notes": "带雨具", "submit": false}
}

func geofenceBody(n int) obj {
	return obj{"name": fmt.Sprintf("车库%d", n), "kind": "parking", "shape": "circle",
		"center": obj{"lat": 27.8012, "lng": 114.4031}, "radius_m": 80, "speed_limit_kmh": 20}
}

func definitionBody(key string) obj {
	return obj{"key": key, "name": "办公用品", "steps": []obj{{"name": "负责人", "approvers": obj{"type": "unit_head"}, "mode": "any"}}}
}

func procurementBody() obj {
	return obj{"kind": "goods", "title": "采购打印纸", "reason": "日常办公", "justification": "库存不足",
		"items": []obj{{"name": "A4 打印纸", "quantity": 10, "unit_price": 25}}}
}

func buildingBody(n int) obj {
	return obj{"name": fmt.Sprintf("办公楼%d", n), "address": "城关镇人民路1号", "floors": 5, "total_area_m2": 3000,
		"usable_area_m2": 2000, "ownership": "owned", "note": "主楼", "reason": "登记"}
}

func roomBody(f *hostileFixture, n int) obj {
	return obj{"building_id": f.w.building, "floor": 4, "number": fmt.Sprintf("4%04d", n), "area_m2": 16, "use": "office",
		"note": "朝南", "reason": "登记"}
}

func findingBody(f *hostileFixture) obj {
	return obj{"unit_id": f.w.finance, "room_id": f.w.r302, "kind": "over_standard", "description": "超标 4 m²",
		"owner": "县财政局办公室", "deadline": countyDay(20)}
}

func dishBody(n int) obj {
	return obj{"name": fmt.Sprintf("红烧肉%d", n), "category": "meat", "allergens": []string{"soy"}, "price": 8,
		"photo_url": "https://example.org/dish.jpg", "note": "招牌菜", "active": true}
}

func supplierBody(n int) obj {
	return obj{"name": fmt.Sprintf("县粮油公司%d", n), "license_no": "JY1234567890", "license_expiry": "2030-12-31",
		"contact": "陈经理", "phone": "0795-1234567", "goods": "大米、食用油", "note": "定点", "active": true}
}

func meterBody(f *hostileFixture, n int) obj {
	return obj{"name": fmt.Sprintf("总表%d", n), "code": fmt.Sprintf("M-%d", n), "kind": "electricity", "unit_id": f.e.unitID,
		"uom": "kWh", "multiplier": 1, "note": "配电房", "installed_at": "2025-01-01T00:00:00Z", "initial_value": 0}
}

func projectBody(f *hostileFixture, n int) obj {
	return obj{"name": fmt.Sprintf("屋顶光伏%d", n), "kind": "pv", "unit_id": f.e.unitID, "energy_kind": "electricity",
		"investment_yuan": 350000, "status": "planned", "started_on": "2026-03-01", "capacity_kw": 100, "note": "一期"}
}
