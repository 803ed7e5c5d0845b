package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
)

// kill -9 of fleetd while a unit leader approves vehicle requests and a dispatcher assigns them,
// each over HTTP and many at once: after a restart every request is whole — its approval
// instance, the leader's step, the request's state and its dispatch task agree, each action
// either fully applied or not at all; every action answered 200 before the kill is there; and
// the actions cut off by the kill succeed when retried.
func TestChaosDBKill9Workflow(t *testing.T) {
	for _, dialect := range []string{store.SQLite, store.MySQL} {
		t.Run(dialect, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "fleet.db")
			if dialect == store.MySQL {
				url = storetest.URL(t, store.MySQL)
			}
			env := map[string]string{"FLEET_DB": url, "FLEET_ADMIN_PASSWORD": "admin-secret-1", "FLEET_DATA_DIR": t.TempDir()}
			c := startChild(t, env)
			w := dbChaosNewWorkflow(t, c.base, 40)

			var wg sync.WaitGroup
			work := make(chan int, len(w.reqs))
			for i := range w.reqs {
				work <- i
			}
			close(work)
			var answered atomic.Int64
			for range 8 {
				wg.Go(func() { w.drive(work, &answered) })
			}
			defer wg.Wait() // on a failure below too: the workers report to t
			// The kill lands while approvals and assignments are in flight: after a third of
			// the actions have been answered.
			chaosWaitFor(t, 3*time.Minute, "a third of the actions to be answered", func() bool {
				return answered.Load() >= int64(2*len(w.reqs)/3)
			})
			c.cmd.Process.Kill() // SIGKILL: no shutdown, no rollback but the database's own
			c.cmd.Wait()
			wg.Wait()

			c2 := startChild(t, env)
			db, err := store.Open(context.Background(), store.Config{URL: url})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			approved, assigned := w.check(t, db)
			t.Logf("chaos db kill -9 %s: %d requests; acknowledged before the kill: %d approvals, %d assignments; stored: %d approved, %d assigned",
				dialect, len(w.reqs), w.count(func(r *dbChaosRequest) bool { return r.approveAcked }),
				w.count(func(r *dbChaosRequest) bool { return r.assignAcked }), approved, assigned)
			if assigned == len(w.reqs) {
				t.Log("every action had completed before the kill: nothing was cut off")
			}

			// The user retries what did not happen; what did happen is refused, unchanged.
			w.base = c2.base
			w.login(t)
			retried := w.retry(t)
			if _, assigned := w.check(t, db); assigned != len(w.reqs) {
				t.Errorf("after the retries %d of %d requests assigned, want all", assigned, len(w.reqs))
			}
			t.Logf("chaos db kill -9 %s: %d actions retried after the restart, all succeeded", dialect, retried)
		})
	}
}

// dbChaosWorkflow is a unit with a leader, an applicant and a dispatcher, and one submitted
// vehicle request per vehicle and driver.
type dbChaosWorkflow struct {
	t                    *testing.T
	base                 string
	admin, leader, staff string // tokens
	dispatcher           string
	client               *http.Client
	reqs                 []*dbChaosRequest
}

// dbChaosRequest is one request and what its actions got.
type dbChaosRequest struct {
	id, approvalID, vehicleID, driverID int64
	approveAcked, assignAcked           bool
	taskID                              int64
}

const dbChaosPassword = "chaos-secret-1"

func dbChaosNewWorkflow(t *testing.T, base string, n int) *dbChaosWorkflow {
	t.Helper()
	w := &dbChaosWorkflow{t: t, base: base, client: &http.Client{Timeout: 30 * time.Second}}
	w.admin, _ = login(t, base, "admin", "admin-secret-1")
	unit := w.create(w.admin, "/api/units", map[string]any{"name": "县交通运输局"})
	for _, role := range []string{"leader", "staff", "dispatcher"} {
		w.create(w.admin, "/api/users", map[string]any{"username": "chaos_" + role, "password": dbChaosPassword,
			"role": role, "unit_id": unit, "name": "混沌" + role})
	}
	w.login(t)
	now := time.Now().UTC()
	depart := now.Add(3 * time.Hour).Truncate(time.Minute)
	for i := range n {
		r := &dbChaosRequest{}
		r.vehicleID = w.create(w.admin, "/api/vehicles", map[string]any{"plate": fmt.Sprintf("赣KW%04d", i), "class": "general",
			"seats": 5, "energy": "gasoline"})
		r.driverID = w.create(w.admin, "/api/drivers", map[string]any{"name": fmt.Sprintf("司机%d", i),
			"phone": fmt.Sprintf("1391234%04d", i), "license_class": "C1", "license_expiry": "2030-01-01"})
		w.create(w.dispatcher, "/api/rosters", map[string]any{"driver_id": r.driverID, "kind": "shift",
			"start": now.Add(-time.Hour).Format(time.RFC3339), "end": now.Add(48 * time.Hour).Format(time.RFC3339)})
		r.id = w.create(w.staff, "/api/requests", map[string]any{"passengers": 2, "purpose": fmt.Sprintf("检查%d", i),
			"origin":       map[string]any{"address": "县政府", "lat": 27.8, "lng": 114.4},
			"destinations": []map[string]any{{"address": "工地", "lat": 27.85, "lng": 114.45}},
			"depart_at":    depart.Format(time.RFC3339), "return_at": depart.Add(2 * time.Hour).Format(time.RFC3339),
			"vehicle_class": "general", "priority": "normal"})
		var got struct {
			ApprovalID *int64 `json:"approval_id"`
			Status     string `json:"status"`
		}
		w.get(w.staff, fmt.Sprintf("/api/requests/%d", r.id), &got)
		if got.ApprovalID == nil || got.Status != "submitted" {
			t.Fatalf("request %d: status %q, approval %v; want submitted to an approval", r.id, got.Status, got.ApprovalID)
		}
		r.approvalID = *got.ApprovalID
		w.reqs = append(w.reqs, r)
	}
	return w
}

func (w *dbChaosWorkflow) login(t *testing.T) {
	t.Helper()
	for _, u := range []struct {
		name string
		tok  *string
	}{{"chaos_leader", &w.leader}, {"chaos_staff", &w.staff}, {"chaos_dispatcher", &w.dispatcher}} {
		var code int
		if *u.tok, code = login(t, w.base, u.name, dbChaosPassword); code != 200 {
			t.Fatalf("login %s = %d", u.name, code)
		}
	}
	w.admin, _ = login(t, w.base, "admin", "admin-secret-1")
}

// create POSTs body and returns the id of what it made (201).
func (w *dbChaosWorkflow) create(token, path string, body any) int64 {
	w.t.Helper()
	code, b := postJSON(w.client, w.base+path, token, body)
	var v struct{ ID int64 }
	json.Unmarshal(b, &v)
	if code != 201 || v.ID == 0 {
		w.t.Fatalf("POST %s = %d %s, want 201 with an id", path, code, b)
	}
	return v.ID
}

func (w *dbChaosWorkflow) get(token, path string, v any) {
	w.t.Helper()
	if code := getJSON(w.t, w.base+path, token, v); code != 200 {
		w.t.Fatalf("GET %s = %d", path, code)
	}
}

func (w *dbChaosWorkflow) approve(r *dbChaosRequest) int {
	code, _ := postJSON(w.client, fmt.Sprintf("%s/api/approvals/%d/actions", w.base, r.approvalID), w.leader,
		map[string]any{"action": "approve", "comment": "同意"})
	return code
}

func (w *dbChaosWorkflow) assign(r *dbChaosRequest) (int, int64) {
	code, b := postJSON(w.client, fmt.Sprintf("%s/api/dispatch/requests/%d/assign", w.base, r.id), w.dispatcher,
		map[string]any{"vehicle_id": r.vehicleID, "driver_id": r.driverID})
	var v struct{ ID int64 }
	json.Unmarshal(b, &v)
	return code, v.ID
}

// drive approves and then assigns each request it takes, recording what was answered 200, until
// the work runs out or the server is gone.
func (w *dbChaosWorkflow) drive(work <-chan int, answered *atomic.Int64) {
	for i := range work {
		r := w.reqs[i]
		code := w.approve(r)
		if code == 0 {
			return
		}
		answered.Add(1)
		if code != 200 {
			w.t.Errorf("approve request %d = %d, want 200", r.id, code)
			continue
		}
		r.approveAcked = true
		code, task := w.assign(r)
		if code == 0 {
			return
		}
		answered.Add(1)
		if code != 200 {
			w.t.Errorf("assign request %d = %d, want 200", r.id, code)
			continue
		}
		r.assignAcked, r.taskID = true, task
	}
}

func (w *dbChaosWorkflow) count(f func(*dbChaosRequest) bool) int {
	n := 0
	for _, r := range w.reqs {
		if f(r) {
			n++
		}
	}
	return n
}

// retry approves what is not approved and assigns what is not assigned, as the leader and the
// dispatcher would on seeing their lists; an action that was applied is refused with 409. It
// returns the actions that had to be done again.
func (w *dbChaosWorkflow) retry(t *testing.T) int {
	t.Helper()
	n := 0
	for _, r := range w.reqs {
		s := w.stateOf(t, r)
		if code := w.approve(r); s.ApprovalStatus == "approved" && code != 409 || s.ApprovalStatus == "pending" && code != 200 {
			t.Errorf("request %d (approval %s): approve after the restart = %d", r.id, s.ApprovalStatus, code)
		} else if code == 200 {
			n++
		}
		code, task := w.assign(r)
		switch {
		case s.Status == "assigned" && code != 409:
			t.Errorf("request %d already assigned: assign after the restart = %d, want 409", r.id, code)
		case s.Status != "assigned" && code != 200:
			t.Errorf("request %d (%s): assign after the restart = %d, want 200", r.id, s.Status, code)
		case code == 200:
			r.assignAcked, r.taskID = true, task
			n++
		}
	}
	return n
}

type dbChaosRequestState struct {
	Status         string `json:"status"`
	ApprovalStatus string `json:"approval_status"`
}

// stateOf is the request as its applicant sees it.
func (w *dbChaosWorkflow) stateOf(t *testing.T, r *dbChaosRequest) dbChaosRequestState {
	t.Helper()
	var s dbChaosRequestState
	w.get(w.staff, fmt.Sprintf("/api/requests/%d", r.id), &s)
	return s
}
