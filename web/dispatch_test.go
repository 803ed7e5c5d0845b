package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/web"
)

// newDispatchEnv is newEnv with the approval engine and the dispatch desk, tasks on the hub:
// one user per role in one unit (u_leader is the unit's head, u_driver a driver).
func newDispatchEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县住建局"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range append(auth.Roles, "driver2") {
		r := role
		if role == "driver2" {
			r = auth.RoleDriver
		}
		u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: r, UnitID: unit.ID,
			Phone: "13800000000"})
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	board := dispatch.NewTaskBoard(db, nil)
	tr, err := tracking.NewService(db, b, tracking.Options{Tasks: board})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	e.tracking = tr
	ap, err := approval.NewService(db, a, b, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ap.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	f := dispatch.NewService(db, a)
	desk, err := dispatch.NewDesk(f, ap, tr, board, b, dispatch.DeskOptions{SnapshotTTL: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	hctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := desk.Start(hctx); err != nil {
		t.Fatal(err)
	}
	hub := web.NewHub(tr, b, nil)
	go hub.Run(hctx)
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: f, Tracking: tr, Approval: ap, Dispatch: desk,
		DB: db, MaxBody: 16384, Hub: hub}))
	t.Cleanup(e.srv.Close)
	return e
}

type taskMsg struct {
	Type  string        `json:"type"`
	Event string        `json:"event"`
	Task  dispatch.Task `json:"task"`
}

type requestMsg struct {
	Type     string                  `json:"type"`
	Requests []dispatch.RequestState `json:"requests"`
}

// requestsWS opens a websocket for the role subscribed to tasks and returns its request messages.
func (e *env) requestsWS(role string) <-chan requestMsg {
	e.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(e.wsURL(e.token(role)), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"tasks"}})
	ch := make(chan requestMsg, 64)
	go func() {
		defer close(ch)
		for {
			var m requestMsg
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			if m.Type == "request" {
				ch <- m
			}
		}
	}()
	time.Sleep(100 * time.Millisecond)
	return ch
}

// awaitRequest waits for a request message saying request id is status.
func awaitRequest(t *testing.T, ch <-chan requestMsg, who string, id int64, status string) {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for {
		select {
		case m := <-ch:
			for _, r := range m.Requests {
				if r.ID == id && r.Status == status {
					return
				}
			}
		case <-deadline:
			t.Fatalf("%s: no message of request %d becoming %s", who, id, status)
		}
	}
}

// tasksWS opens a websocket for the role subscribed to tasks and returns its task messages.
func (e *env) tasksWS(role string) <-chan taskMsg {
	e.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(e.wsURL(e.token(role)), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"tasks"}})
	ch := make(chan taskMsg, 16)
	go func() {
		defer close(ch)
		for {
			var m taskMsg
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			if m.Type == "task" {
				ch <- m
			}
		}
	}()
	time.Sleep(100 * time.Millisecond) // the subscription is read before the first task
	return ch
}

// The dispatch contract over HTTP: a request filed, approved, ranked, assigned; the driver told
// over the websocket and running the trip; the applicant rating it.
func TestDispatchHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDispatchEnv(t, db)
		admin, staff, leader, disp := e.login("admin"), e.login("staff"), e.login("leader"), e.login("dispatcher")
		driver, driver2 := e.login("driver"), e.login("driver2")
		vid := idOf(t, admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K70001", "class": "general", "seats": 5,
			"energy": "gasoline", "parking_name": "县政府大院", "parking_lat": 27.8, "parking_lng": 114.4}, 201))
		did := idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "陈师傅", "phone": "13912340001",
			"license_class": "C1", "license_expiry": "2030-01-01", "user_id": e.users["driver"].ID}, 201))
		idOf(t, admin.expect("POST", "/api/drivers", map[string]any{"name": "林师傅", "phone": "13912340002",
			"license_class": "C1", "user_id": e.users["driver2"].ID}, 201))
		now := time.Now().UTC()
		disp.expect("POST", "/api/rosters", map[string]any{"driver_id": did, "start": now.Add(-time.Hour).Format(time.RFC3339),
			"end": now.Add(48 * time.Hour).Format(time.RFC3339), "kind": "shift"}, 201)
		driverWS, otherWS, dispWS := e.tasksWS("driver"), e.tasksWS("driver2"), e.tasksWS("dispatcher")
		staffReqs, dispReqs, otherReqs := e.requestsWS("staff"), e.requestsWS("dispatcher"), e.requestsWS("driver2")

		depart := now.Add(2 * time.Hour).Truncate(time.Minute)
		body := map[string]any{"passengers": 2, "purpose": "项目检查", "origin": map[string]any{"address": "县政府", "lat": 27.8, "lng": 114.4},
			"destinations": []map[string]any{{"address": "新区工地", "lat": 27.85, "lng": 114.45}},
			"depart_at":    depart.Format(time.RFC3339), "return_at": depart.Add(3 * time.Hour).Format(time.RFC3339),
			"vehicle_class": "general", "priority": "normal", "notes": "带图纸"}
		// Bad input: 400 naming the field.
		bad := func(key string, v any, field string) {
			t.Helper()
			b := map[string]any{}
			for k, x := range body {
				b[k] = x
			}
			b[key] = v
			ae := errorOf(t, staff.expect("POST", "/api/requests", b, 400))
			if ae.Error.Fields[field] == "" {
				t.Fatalf("%s=%v: fields %v, want %s", key, v, ae.Error.Fields, field)
			}
		}
		bad("return_at", depart.Add(-time.Hour).Format(time.RFC3339), "return_at")
		bad("passengers", 0, "passengers")
		bad("passengers", -1, "passengers")
		bad("origin", map[string]any{"address": "县政府", "lat": 95, "lng": 114.4}, "origin")
		bad("vehicle_class", "bus", "vehicle_class")
		e.login("auditor").expect("POST", "/api/requests", body, 403)

		out := staff.expect("POST", "/api/requests", body, 201)
		var created struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}
		json.Unmarshal(out, &created)
		if created.ID == 0 || created.Status != "submitted" {
			t.Fatalf("created = %s", out)
		}
		path := fmt.Sprintf("/api/requests/%d", created.ID)
		disp.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", created.ID), map[string]any{"vehicle_id": vid, "driver_id": did}, 409)
		var r dispatch.Request
		json.Unmarshal(staff.expect("GET", path, nil, 200), &r)
		leader.expect("POST", fmt.Sprintf("/api/approvals/%d/actions", *r.ApprovalID), map[string]any{"action": "approve"}, 200)
		// The applicant's pages and the dispatchers' queue hear of it; nobody else does.
		awaitRequest(t, staffReqs, "applicant", created.ID, "approved")
		awaitRequest(t, dispReqs, "dispatcher", created.ID, "approved")

		var q dispatch.Queue
		json.Unmarshal(disp.expect("GET", "/api/dispatch/queue", nil, 200), &q)
		if len(q.Approved) != 1 || q.Approved[0].ID != created.ID {
			t.Fatalf("queue = %+v", q)
		}
		staff.expect("GET", "/api/dispatch/queue", nil, 403)
		cands := disp.expect("GET", fmt.Sprintf("/api/dispatch/requests/%d/candidates", created.ID), nil, 200)
		var cl struct {
			Items []struct {
				VehicleID int64              `json:"vehicle_id"`
				DriverID  int64              `json:"driver_id"`
				Score     float64            `json:"score"`
				Reasons   map[string]float64 `json:"reasons"`
			} `json:"items"`
		}
		json.Unmarshal(cands, &cl)
		if len(cl.Items) != 1 || cl.Items[0].VehicleID != vid || cl.Items[0].DriverID != did || cl.Items[0].Reasons == nil {
			t.Fatalf("candidates = %s (the unrostered driver is not one)", cands)
		}
		staff.expect("GET", fmt.Sprintf("/api/dispatch/requests/%d/candidates", created.ID), nil, 403)

		staff.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", created.ID), map[string]any{"vehicle_id": vid, "driver_id": did}, 403)
		out = disp.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", created.ID), map[string]any{"vehicle_id": vid, "driver_id": did}, 200)
		taskID := idOf(t, out)
		awaitRequest(t, staffReqs, "applicant", created.ID, "assigned")
		select {
		case m := <-otherReqs:
			t.Fatalf("a driver of no task heard of a request: %+v", m)
		default:
		}
		disp.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", created.ID), map[string]any{"vehicle_id": vid, "driver_id": did}, 409)

		// The driver and the dispatchers hear of it; another driver does not.
		for name, ch := range map[string]<-chan taskMsg{"driver": driverWS, "dispatcher": dispWS} {
			select {
			case m := <-ch:
				if m.Task.ID != taskID || m.Event != "assigned" || m.Task.Plate != "赣K70001" || m.Task.ApplicantPhone == "" {
					t.Fatalf("%s got %+v", name, m)
				}
			case <-time.After(3 * time.Second):
				t.Fatalf("%s: no task message", name)
			}
		}
		select {
		case m := <-otherWS:
			t.Fatalf("another driver got %+v", m)
		case <-time.After(200 * time.Millisecond):
		}

		var tasks struct{ Items []dispatch.Task }
		json.Unmarshal(driver.expect("GET", "/api/driver/tasks", nil, 200), &tasks)
		if len(tasks.Items) != 1 || tasks.Items[0].ID != taskID {
			t.Fatalf("driver tasks = %+v", tasks)
		}
		json.Unmarshal(driver2.expect("GET", "/api/driver/tasks", nil, 200), &tasks)
		if len(tasks.Items) != 0 {
			t.Fatalf("another driver's tasks = %+v", tasks)
		}
		staff.expect("GET", "/api/driver/tasks", nil, 403)
		tp := fmt.Sprintf("/api/driver/tasks/%d", taskID)
		driver2.expect("POST", tp+"/accept", nil, 403)
		driver.expect("POST", tp+"/return", map[string]any{"odometer_km": 100}, 409) // never started
		driver.expect("POST", tp+"/accept", nil, 200)
		var set dispatch.Settings
		json.Unmarshal(driver.expect("GET", "/api/dispatch/settings", nil, 200), &set)
		items := []map[string]any{}
		for _, c := range set.Checklist {
			items = append(items, map[string]any{"item": c, "ok": true})
		}
		driver.expect("POST", tp+"/depart", nil, 409) // no check yet
		driver.expect("POST", tp+"/check", map[string]any{"items": items, "disinfected": true}, 200)
		driver.expect("POST", tp+"/check", map[string]any{"items": items, "disinfected": true}, 200) // answered again: one record
		var recs struct {
			Items []dispatch.VehicleRecord `json:"items"`
		}
		json.Unmarshal(disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/records?kind=disinfection", vid), nil, 200), &recs)
		if len(recs.Items) != 1 || recs.Items[0].At == nil || !strings.Contains(recs.Items[0].Note, fmt.Sprint(taskID)) {
			t.Fatalf("the pre-trip disinfection in the vehicle's records: %+v", recs.Items)
		}
		phone := func(at time.Time, lat float64) map[string]any {
			return map[string]any{"positions": []map[string]any{{"lat": lat, "lng": 114.4, "fixed_at": at.Format(time.RFC3339), "speed_kmh": 40}}}
		}
		driver.expect("POST", tp+"/positions", phone(time.Now(), 27.8), 409) // not under way yet
		driver.expect("POST", tp+"/depart", nil, 200)
		driver2.expect("POST", tp+"/positions", phone(time.Now(), 27.8), 403)
		ae := errorOf(t, driver.expect("POST", tp+"/positions", map[string]any{"positions": []any{}}, 400))
		if ae.Error.Fields["positions"] == "" {
			t.Fatalf("empty batch: %+v", ae)
		}
		var stored tracking.DeviceResult
		json.Unmarshal(driver.expect("POST", tp+"/positions", phone(time.Now(), 27.8), 200), &stored)
		json.Unmarshal(driver.expect("POST", tp+"/positions", phone(time.Now().Add(time.Second), 27.80005), 200), &stored)
		if stored.Stored != 1 {
			t.Fatalf("phone positions: %+v", stored)
		}
		var live struct {
			Vehicles []struct {
				VehicleID int64   `json:"vehicle_id"`
				Lat       float64 `json:"lat"`
			}
		}
		json.Unmarshal(disp.expect("GET", "/api/live", nil, 200), &live)
		seen := false
		for _, v := range live.Vehicles {
			seen = seen || (v.VehicleID == vid && v.Lat > 27.80004)
		}
		if !seen {
			t.Fatalf("the phone's position is not on the live map: %+v", live)
		}
		admin.expect("PUT", fmt.Sprintf("/api/vehicles/%d", vid), map[string]any{"plate": "赣K70001", "class": "general", "seats": 5,
			"energy": "gasoline", "odometer_km": 5000, "status": "on_task"}, 200)
		ae = errorOf(t, driver.expect("POST", tp+"/return", map[string]any{"odometer_km": 4999}, 400))
		if ae.Error.Fields["odometer_km"] == "" {
			t.Fatalf("backwards odometer: %+v", ae)
		}
		out = driver.expect("POST", tp+"/return", map[string]any{"odometer_km": 5042, "fuel_l": 6.5}, 200)
		var done dispatch.Task
		json.Unmarshal(out, &done)
		if done.Status != "completed" {
			t.Fatalf("returned = %s", out)
		}
		json.Unmarshal(staff.expect("GET", path, nil, 200), &r)
		if r.Status != "completed" || r.Task == nil || r.Task.Plate != "赣K70001" || r.Task.Driver != "陈师傅" {
			t.Fatalf("applicant's view = %+v", r)
		}
		staff.expect("POST", path+"/rate", map[string]any{"stars": 0}, 400)
		staff.expect("POST", path+"/rate", map[string]any{"stars": 5, "comment": "很好"}, 200)
		var mine struct{ Items []dispatch.Request }
		json.Unmarshal(staff.expect("GET", "/api/requests?mine=1", nil, 200), &mine)
		if len(mine.Items) != 1 || mine.Items[0].Rating == nil || mine.Items[0].Rating.Stars != 5 {
			t.Fatalf("mine = %+v", mine)
		}
		e.login("auditor").expect("GET", "/api/dispatch/queue", nil, 200)
		disp.expect("GET", "/api/dispatch/merges", nil, 200)
		disp.expect("POST", "/api/dispatch/auto-assign", map[string]any{"apply": false}, 200)
		disp.expect("POST", "/api/dispatch/merges", map[string]any{"request_ids": []int64{created.ID}}, 400)
	})
}
