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
	"gorm.io/gorm"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/web"
)

// newApprovalEnv is newEnv with the approval engine and its notices on the hub: one user per role
// in one unit (u_leader is the unit's head).
func newApprovalEnv(t *testing.T, db *store.DB) (*env, *approval.Service, *store.DB) {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县财政局"})
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
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	tr, err := tracking.NewService(db, b, tracking.Options{})
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
	hub := web.NewHub(tr, b, nil)
	hctx, cancel := context.WithCancel(context.Background())
	go hub.Run(hctx)
	t.Cleanup(cancel)
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: dispatch.NewService(db, a), Tracking: tr, Approval: ap,
		DB: db, MaxBody: 16384, Hub: hub}))
	t.Cleanup(e.srv.Close)
	return e, ap, db
}

// actor returns the auth.Actor of a role's user, as a service call would see it.
func (e *env) actor(role string) *auth.Actor {
	u := e.users[role]
	return &auth.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
}

type approvalMsg struct {
	Type     string              `json:"type"`
	Message  string              `json:"message"`
	Approval approval.NoticeBody `json:"approval"`
}

// approvalsWS opens a websocket for the role, subscribes it to approvals and returns its
// messages (a timed-out read breaks a gorilla connection, so one goroutine reads them all).
func (e *env) approvalsWS(role string) <-chan approvalMsg {
	e.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(e.wsURL(e.token(role)), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { c.Close() })
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"approvals"}})
	ch := make(chan approvalMsg, 16)
	go func() {
		defer close(ch)
		for {
			var m approvalMsg
			if err := c.ReadJSON(&m); err != nil {
				return
			}
			ch <- m
		}
	}()
	return ch
}

// nextApproval returns the next message, or nil when none comes within d.
func nextApproval(t *testing.T, ch <-chan approvalMsg, d time.Duration) *approvalMsg {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("the websocket closed")
		}
		if m.Type != "approval" {
			t.Fatalf("websocket message %+v, want an approval", m)
		}
		return &m
	case <-time.After(d):
		return nil
	}
}

func TestApprovalsHTTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e, ap, db := newApprovalEnv(t, db)
		admin, leader, staff := e.login("admin"), e.login("leader"), e.login("staff")

		// Definitions: refused with the field named; created; a PUT makes version 2.
		out := admin.expect("POST", "/api/approval-definitions", map[string]any{"key": "office", "name": "办公用品",
			"steps": []map[string]any{{"name": "负责人", "approvers": map[string]any{"type": "unit_head"}, "mode": "any", "condition": "amount >> 1"}}}, 400)
		if f := errorOf(t, out).Error.Fields["steps[0].condition"]; !strings.Contains(f, "position") {
			t.Fatalf("bad condition answered %s", out)
		}
		def := map[string]any{"key": "office", "name": "办公用品", "steps": []map[string]any{
			{"name": "负责人", "approvers": map[string]any{"type": "unit_head"}, "mode": "any"}}}
		admin.expect("POST", "/api/approval-definitions", def, 201)
		admin.expect("POST", "/api/approval-definitions", def, 409)
		def["name"] = "办公用品采购"
		out = admin.expect("PUT", "/api/approval-definitions/office", def, 200)
		if !strings.Contains(string(out), `"version":2`) {
			t.Fatalf("PUT = %s, want version 2", out)
		}
		if out := admin.expect("GET", "/api/approval-definitions/office?version=1", nil, 200); !strings.Contains(string(out), `"name":"办公用品"`) {
			t.Fatalf("version 1 = %s", out)
		}
		leader.expect("PUT", "/api/approval-definitions/office", def, 403)
		e.login("auditor").expect("GET", "/api/approval-definitions", nil, 200)
		leader.expect("GET", "/api/approval-definitions", nil, 403)
		// Groups: admin CRUD, members named.
		out = admin.expect("POST", "/api/approval-groups", map[string]any{"key": "office_board", "name": "小组", "member_ids": []int64{e.users["leader"].ID, e.users["dispatcher"].ID}}, 201)
		var g approval.Group
		json.Unmarshal(out, &g)
		if len(g.Members) != 2 {
			t.Fatalf("group = %s", out)
		}
		admin.expect("POST", "/api/approval-groups", map[string]any{"key": "x_board", "name": "小组", "member_ids": []int64{99999}}, 400)
		admin.expect("PUT", fmt.Sprintf("/api/approval-groups/%d", g.ID), map[string]any{"key": "office_board", "name": "小组二", "member_ids": []int64{e.users["leader"].ID}}, 200)
		admin.expect("DELETE", fmt.Sprintf("/api/approval-groups/%d", g.ID), nil, 204)
		staff.expect("GET", "/api/approval-groups", nil, 403)

		// The leader and the staff member follow approvals; a staff member files a request.
		leaderWS, staffWS, driverWS := e.approvalsWS("leader"), e.approvalsWS("staff"), e.approvalsWS("driver")
		time.Sleep(100 * time.Millisecond) // the subscriptions are in before the notice
		var in *approval.Instance
		err := db.Transaction(func(tx *gorm.DB) error {
			var err error
			in, err = ap.SubmitTx(context.Background(), tx, e.actor("staff"), approval.SubmitInput{
				Definition: "procurement", Subject: "办公打印机 (¥3,200)", RefType: "test", RefID: 1,
				Fields: map[string]any{"kind": "goods", "amount": 3200}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		m := nextApproval(t, leaderWS, 3*time.Second)
		if m == nil || m.Approval.ID != in.ID || m.Approval.Event != "pending" || m.Approval.Subject != "办公打印机 (¥3,200)" || m.Approval.Step != "单位负责人审批" {
			t.Fatalf("leader's message = %+v", m)
		}
		if m := nextApproval(t, staffWS, 200*time.Millisecond); m != nil {
			t.Fatalf("the applicant got %+v on submit", m)
		}

		// The inbox, the badge, the instance.
		var inbox struct {
			Items []map[string]any `json:"items"`
			Total int              `json:"total"`
		}
		json.Unmarshal(leader.expect("GET", "/api/approvals?state=pending", nil, 200), &inbox)
		if inbox.Total != 1 || len(inbox.Items) != 1 || inbox.Items[0]["subject"] != "办公打印机 (¥3,200)" ||
			inbox.Items[0]["step"] != "单位负责人审批" || inbox.Items[0]["applicant"] != "staff" || inbox.Items[0]["id"] != float64(in.ID) {
			t.Fatalf("inbox = %+v", inbox)
		}
		if out := leader.expect("GET", "/api/approvals/counts", nil, 200); !strings.Contains(string(out), `"pending":1`) {
			t.Fatalf("counts = %s", out)
		}
		path := fmt.Sprintf("/api/approvals/%d", in.ID)
		var got map[string]any
		json.Unmarshal(leader.expect("GET", path, nil, 200), &got)
		if got["status"] != "pending" || got["can_act"] != true || got["step"].(map[string]any)["name"] != "单位负责人审批" ||
			len(got["history"].([]any)) != 1 {
			t.Fatalf("instance = %v", got)
		}
		e.login("dispatcher").expect("GET", path, nil, 403)
		e.login("auditor").expect("GET", path, nil, 200)
		admin.expect("GET", "/api/approvals/99999", nil, 404)

		// Who may act: 403 for strangers and the applicant, 400 for nonsense.
		act := func(c *client, body map[string]any, status int) []byte {
			t.Helper()
			return c.expect("POST", path+"/actions", body, status)
		}
		act(e.login("dispatcher"), map[string]any{"action": "approve"}, 403)
		act(staff, map[string]any{"action": "approve"}, 403)
		act(e.login("auditor"), map[string]any{"action": "comment", "comment": "?"}, 403)
		act(leader, map[string]any{"action": "sign"}, 400)
		act(leader, map[string]any{"action": "approve", "extra": 1}, 400)
		act(leader, map[string]any{"action": "transfer"}, 400)

		// Approve: 200 with the instance; the applicant hears of the decision.
		json.Unmarshal(act(leader, map[string]any{"action": "approve", "comment": "同意"}, 200), &got)
		if got["status"] != "approved" || got["step"] != nil || got["can_act"] != false {
			t.Fatalf("after approve = %v", got)
		}
		hist := got["history"].([]any)
		last := hist[len(hist)-1].(map[string]any)
		if last["action"] != "approve" || last["comment"] != "同意" || last["user"] != "leader" || last["step_name"] != "单位负责人审批" {
			t.Fatalf("last trail line = %v", last)
		}
		m = nextApproval(t, staffWS, 3*time.Second)
		if m == nil || m.Approval.ID != in.ID || m.Approval.Event != "decided" || m.Approval.Status != "approved" {
			t.Fatalf("applicant's message = %+v", m)
		}
		if m := nextApproval(t, driverWS, 200*time.Millisecond); m != nil {
			t.Fatalf("an uninvolved user got %+v", m)
		}
		// Finished: 409 for every decision, also the double click.
		out = act(leader, map[string]any{"action": "approve"}, 409)
		if !strings.Contains(errorOf(t, out).Error.Message, "approved") {
			t.Fatalf("409 body %s does not say the state", out)
		}
		act(staff, map[string]any{"action": "withdraw"}, 409)
		act(staff, map[string]any{"action": "comment", "comment": "谢谢"}, 200)

		// Lists of the applicant and the approver.
		json.Unmarshal(staff.expect("GET", "/api/approvals?state=mine", nil, 200), &inbox)
		if inbox.Total != 1 || inbox.Items[0]["status"] != "approved" {
			t.Fatalf("mine = %+v", inbox)
		}
		json.Unmarshal(leader.expect("GET", "/api/approvals?state=done", nil, 200), &inbox)
		if inbox.Total != 1 {
			t.Fatalf("done = %+v", inbox)
		}
		leader.expect("GET", "/api/approvals?state=weird", nil, 400)
		e.anon().expect("GET", "/api/approvals", nil, 401)
	})
}
