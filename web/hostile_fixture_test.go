package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fleet/dispatch"
)

// mealBody is a lunch n days after a week from now, cut off the day before.
func (f *hostileFixture) mealBody(n int) obj {
	day := countyNow().AddDate(0, 0, 8+n%600)
	return obj{"date": day.Format(time.DateOnly), "kind": "lunch", "cutoff_at": day.Add(-24 * time.Hour).Format(time.RFC3339),
		"dish_ids": []int64{f.dish()}, "reason": "调整"}
}

func (f *hostileFixture) dish() int64 {
	return f.once("dish", func() int64 { return f.post(f.as("canteen_manager"), "/api/canteen/dishes", dishBody(0)) })
}

func (f *hostileFixture) meal() int64 {
	return f.once("meal", func() int64 { return f.post(f.as("canteen_manager"), "/api/canteen/meals", f.mealBody(700)) })
}

func (f *hostileFixture) supplier() int64 {
	return f.once("supplier", func() int64 { return f.post(f.as("canteen_manager"), "/api/canteen/suppliers", supplierBody(0)) })
}

// agency is the unit's enrolment (the POST case enrols it, or this does).
func (f *hostileFixture) agency() int64 {
	return f.once("agency", func() int64 {
		for _, it := range f.get("energy_manager", "/api/energy/agencies", "items").([]any) {
			id, _ := it.(map[string]any)["id"].(json.Number).Int64()
			return id
		}
		return f.post(f.as("energy_manager"), "/api/energy/agencies", obj{"unit_id": f.e.unitID, "enrolled_on": countyDay(0)})
	})
}

func (f *hostileFixture) meter() int64 {
	return f.once("meter", func() int64 { return f.post(f.as("energy_manager"), "/api/energy/meters", meterBody(f, 0)) })
}

// hostileFixture makes, once each and on first use, the records the cases' paths point at.
type hostileFixture struct {
	t        *testing.T
	e        *env
	other    int64
	ids      map[string]int64
	fresh    int
	made     bool // the fixture wrote since the sweep last looked at the database
	as       func(role string) *client
	w        *officeWorld
	admin    *client
	staff    *client
	dispatch *client
}

// newHostileFixture takes its clients from as, signed in before the sweep starts looking.
func newHostileFixture(t *testing.T, e *env, other int64, as func(string) *client) *hostileFixture {
	return &hostileFixture{t: t, e: e, other: other, ids: map[string]int64{}, as: as, admin: as("admin"),
		staff: as("staff"), dispatch: as("dispatcher")}
}

// once returns the id of the named record, making it the first time.
func (f *hostileFixture) once(name string, make func() int64) int64 {
	if id, ok := f.ids[name]; ok {
		return id
	}
	id := make()
	f.ids[name] = id
	return id
}

func (f *hostileFixture) post(c *client, path string, body any) int64 {
	f.made = true
	res, out := c.do("POST", path, body)
	if res.StatusCode >= 300 {
		f.t.Fatalf("fixture: POST %s = %d %.300s", path, res.StatusCode, out)
	}
	return idOf(f.t, out)
}

func (f *hostileFixture) unit() int64 {
	return f.once("unit", func() int64 { return f.post(f.admin, "/api/units", obj{"name": "县靶子局"}) })
}

func (f *hostileFixture) user() int64 {
	return f.once("user", func() int64 {
		return f.post(f.admin, "/api/users", obj{"username": "target", "password": pw, "role": "staff", "unit_id": f.e.unitID, "name": "靶子"})
	})
}

func (f *hostileFixture) spareVehicle() int64 {
	return f.once("vehicle", func() int64 { return f.post(f.admin, "/api/vehicles", vehicleBody(99999)) })
}

func (f *hostileFixture) spareDriver() int64 {
	return f.once("driver", func() int64 {
		return f.post(f.admin, "/api/drivers", obj{"name": "靶师傅", "phone": "13999999999", "license_class": "C1"})
	})
}

func (f *hostileFixture) draftRequest() int64 {
	return f.once("draft request", func() int64 { return f.post(f.staff, "/api/requests", requestBody(0)) })
}

// freshRequest is a new draft each call, for the routes that end one.
func (f *hostileFixture) freshRequest() int64 {
	f.fresh++
	return f.post(f.staff, "/api/requests", requestBody(100000+f.fresh))
}

// get reads a JSON answer (numbers kept as written), or its key when key is not "".
func (f *hostileFixture) get(role, path, key string) any {
	res, out := f.as(role).do("GET", path, nil)
	if res.StatusCode != 200 {
		f.t.Fatalf("fixture: GET %s = %d %.300s", path, res.StatusCode, out)
	}
	v := normal(f.t, json.RawMessage(out))
	if key != "" {
		return v.(map[string]any)[key]
	}
	return v
}

// getItems is the first n items of a list the API answers, each with only the keys named: a
// replacement body made of what is stored.
func (f *hostileFixture) getItems(role, path, key string, n int, keys ...string) []any {
	var out []any
	for _, it := range f.get(role, path, key).([]any) {
		m := obj{}
		for _, k := range keys {
			if v, ok := it.(map[string]any)[k]; ok {
				m[k] = v
			}
		}
		if out = append(out, m); len(out) == n {
			break
		}
	}
	return out
}

// taskDriver is the driver record of u_driver, on duty for the next day.
func (f *hostileFixture) taskDriver() int64 {
	return f.once("task driver", func() int64 {
		id := f.post(f.admin, "/api/drivers", obj{"name": "周师傅", "phone": "13912340011", "license_class": "C1", "user_id": f.e.users["driver"].ID})
		now := time.Now().UTC()
		f.post(f.dispatch, "/api/rosters", obj{"driver_id": id, "start": now.Add(-time.Hour).Format(time.RFC3339),
			"end": now.Add(30 * time.Hour).Format(time.RFC3339), "kind": "shift"})
		return id
	})
}

// taskVehicle has no terminal: the driver's phone reports its positions.
func (f *hostileFixture) taskVehicle() int64 {
	return f.once("task vehicle", func() int64 {
		v := vehicleBody(99998)
		delete(v, "terminal_phone")
		return f.post(f.admin, "/api/vehicles", v)
	})
}

// slotRequest is an approved request in the next free hour-long slot of the coming day.
func (f *hostileFixture) slotRequest() int64 {
	f.fresh++
	depart := time.Now().UTC().Add(time.Duration(2+3*f.fresh%22) * time.Hour).Truncate(time.Minute)
	body := requestBody(0)
	body["depart_at"], body["return_at"] = depart.Format(time.RFC3339), depart.Add(time.Hour).Format(time.RFC3339)
	delete(body, "submit")
	id := f.post(f.staff, "/api/requests", body)
	var r dispatch.Request
	decodeInto(f.t, f.staff.expect("GET", fmt.Sprintf("/api/requests/%d", id), nil, 200), &r)
	if r.ApprovalID == nil {
		f.t.Fatalf("fixture: request %d has no approval", id)
	}
	f.made = true
	f.as("leader").expect("POST", fmt.Sprintf("/api/approvals/%d/actions", *r.ApprovalID), obj{"action": "approve"}, 200)
	return id
}

func (f *hostileFixture) approvedRequest() int64  { return f.once("approved", f.slotRequest) }
func (f *hostileFixture) approvedRequest2() int64 { return f.once("approved 2", f.slotRequest) }

// assign books the task vehicle and driver for a fresh approved request: its task.
func (f *hostileFixture) assign(req int64) int64 {
	f.made = true
	return idOf(f.t, f.dispatch.expect("POST", fmt.Sprintf("/api/dispatch/requests/%d/assign", req),
		obj{"vehicle_id": f.taskVehicle(), "driver_id": f.taskDriver()}, 200))
}

func (f *hostileFixture) assignedRequest() int64 {
	return f.once("assigned", func() int64 { r := f.slotRequest(); f.assign(r); return r })
}

// task is a task assigned to u_driver, one per name.
func (f *hostileFixture) task(name string) int64 {
	return f.once("task "+name, func() int64 { return f.assign(f.slotRequest()) })
}

func (f *hostileFixture) acceptedTask() int64 {
	return f.once("accepted task", func() int64 {
		id := f.task("accepted")
		f.as("driver").expect("POST", fmt.Sprintf("/api/driver/tasks/%d/accept", id), nil, 200)
		return id
	})
}

// departedTask is a task under way, one per name.
func (f *hostileFixture) departedTask(name string) int64 {
	return f.once("departed task "+name, func() int64 {
		id, driver := f.task("departed "+name), f.as("driver")
		tp := fmt.Sprintf("/api/driver/tasks/%d", id)
		driver.expect("POST", tp+"/accept", nil, 200)
		driver.expect("POST", tp+"/check", f.checkBody(), 200)
		driver.expect("POST", tp+"/depart", nil, 200)
		return id
	})
}

// checkBody is the pre-trip check with every item of the checklist ticked.
func (f *hostileFixture) checkBody() obj {
	var items []obj
	for _, c := range f.get("driver", "/api/dispatch/settings", "checklist").([]any) {
		items = append(items, obj{"item": c, "ok": true, "note": "正常"})
	}
	return obj{"items": items, "note": "车况良好", "disinfected": true}
}

func (f *hostileFixture) geofence() int64 {
	return f.once("geofence", func() int64 { return f.post(f.dispatch, "/api/geofences", geofenceBody(0)) })
}

// pendingApproval is the approval of a submitted request, waiting for the unit's leader.
func (f *hostileFixture) pendingApproval() int64 {
	return f.once("pending approval", func() int64 {
		body := requestBody(999)
		delete(body, "submit")
		id := f.post(f.staff, "/api/requests", body)
		var r dispatch.Request
		decodeInto(f.t, f.staff.expect("GET", fmt.Sprintf("/api/requests/%d", id), nil, 200), &r)
		return *r.ApprovalID
	})
}

// path puts the fixture's ids into a GET route's pattern (1 where it has none).
func (f *hostileFixture) path(pattern string) string {
	ids := map[string]func() int64{
		"/api/units/{id}": f.unit, "/api/users/{id}": f.user, "/api/vehicles/{id}": f.spareVehicle,
		"/api/drivers/{id}": f.spareDriver, "/api/requests/{id}": f.draftRequest,
	}
	for prefix, id := range ids {
		if strings.HasPrefix(pattern, prefix) {
			return fmt.Sprintf("%s%d%s", strings.TrimSuffix(prefix, "{id}"), id(), pattern[len(prefix):])
		}
	}
	return pathParam.ReplaceAllString(pattern, "1")
}

// reader is a role that passes the GET route's guard.
func (f *hostileFixture) reader(pattern string) string {
	for _, r := range authzMatrix {
		if r.route == "GET "+pattern && len(r.who.roles) > 0 {
			return r.who.roles[0]
		}
	}
	return "admin"
}
