package approval_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"gorm.io/gorm"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
)

// buy is a procurement-like process: the unit head, then the board (majority) for vehicles, then
// the fallback user alone when the amount passes 500,000.
const buy = `{"key":"buy","name":"采购","steps":[
 {"name":"单位负责人","approvers":{"type":"unit_head"},"mode":"any"},
 {"name":"领导小组","approvers":{"type":"group","group":"board"},"mode":"majority","condition":"kind in ['vehicle_renewal','vehicle_addition']"},
 {"name":"县领导","approvers":{"type":"user","user_id":%d},"mode":"any","condition":"amount > 500000"}]}`

func TestConditionsChooseTheSteps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(fmt.Sprintf(buy, f.id("auditlead")))
		tests := []struct {
			name   string
			fields map[string]any
			steps  []int
		}{
			{"goods", map[string]any{"kind": "goods", "amount": 3000}, []int{0}},
			{"vehicle", map[string]any{"kind": "vehicle_renewal", "amount": 168000}, []int{0, 1}},
			{"dear goods", map[string]any{"kind": "goods", "amount": 600000}, []int{0, 2}},
			{"dear vehicle", map[string]any{"kind": "vehicle_addition", "amount": 600000.5}, []int{0, 1, 2}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := f.mustSubmit("staff", "buy", tt.fields)
				for _, want := range tt.steps {
					wantAt(t, in, approval.StatusPending, want)
					switch want {
					case 0:
						in = f.mustAct("lead1", in.ID, approval.ActApprove)
					case 1:
						f.mustAct("m1", in.ID, approval.ActApprove)
						in = f.mustAct("m2", in.ID, approval.ActApprove) // 2 of 3: a majority
					case 2:
						in = f.mustAct("auditlead", in.ID, approval.ActApprove)
					}
				}
				wantAt(t, in, approval.StatusApproved, -1)
			})
		}
		// A field the conditions read but the request lacks: refused, naming the step.
		_, err := f.submit("staff", "buy", map[string]any{"kind": "vehicle_renewal"})
		wantCode(t, err, fleet.EInvalid)
		if !strings.Contains(err.Error(), "amount") {
			t.Fatalf("missing field error %v does not name amount", err)
		}
	})
}

func TestModes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		for _, mode := range []string{"any", "all", "majority"} {
			f.define(`{"key":"m_` + mode + `","name":"x","steps":[{"name":"小组","approvers":{"type":"group","group":"board"},"mode":"` + mode + `"}]}`)
		}
		// any: one approval decides; the others' parts are moot.
		in := f.mustSubmit("staff", "m_any", nil)
		in = f.mustAct("m2", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)
		_, err := f.act("m1", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EConflict)

		// all: every member; the step stays until the third.
		in = f.mustSubmit("staff", "m_all", nil)
		in = f.mustAct("m1", in.ID, approval.ActApprove)
		in = f.mustAct("m3", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusPending, 0)
		if d := approverIDs(in); d[f.id("m1")] != "approve" || d[f.id("m2")] != "" || d[f.id("m3")] != "approve" {
			t.Fatalf("votes = %v", d)
		}
		_, err = f.act("m1", in.ID, approval.ActApprove) // a second click
		wantCode(t, err, fleet.EConflict)
		in = f.mustAct("m2", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)

		// majority: more than half (2 of 3).
		in = f.mustSubmit("staff", "m_majority", nil)
		in = f.mustAct("m3", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusPending, 0)
		in = f.mustAct("m1", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)

		// A reject ends it in any mode, even after approvals.
		in = f.mustSubmit("staff", "m_all", nil)
		f.mustAct("m1", in.ID, approval.ActApprove)
		in = f.mustAct("m2", in.ID, approval.ActReject, comment("超标准"))
		wantAt(t, in, approval.StatusRejected, -1)
		if in.FinishedAt == nil || in.History[len(in.History)-1].Comment != "超标准" {
			t.Fatalf("rejected instance = %+v", in)
		}
		_, err = f.act("m3", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EConflict)
	})
}

func TestReturnAndResubmit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(fmt.Sprintf(buy, f.id("auditlead")))
		var hooked []string
		f.svc.OnFinish("test", func(ctx context.Context, tx *gorm.DB, in *approval.Instance) error {
			hooked = append(hooked, in.Status)
			return nil
		})
		in := f.mustSubmit("staff", "buy", map[string]any{"kind": "vehicle_renewal", "amount": 600000})
		in = f.mustAct("lead2", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusPending, 1)

		// Back one step: the unit heads decide again.
		in = f.mustAct("m1", in.ID, approval.ActReturn, toPrevious, comment("请单位再确认"))
		wantAt(t, in, approval.StatusPending, 0)
		if d := approverIDs(in); len(d) != 2 || d[f.id("lead1")] != "" {
			t.Fatalf("step 1 approvers after return = %v", d)
		}
		last := in.History[len(in.History)-1]
		if last.Action != "return" || last.To != "previous" || last.StepName != "领导小组" || *last.StepIndex != 1 {
			t.Fatalf("return trail line = %+v", last)
		}
		// At the first step there is no previous one.
		_, err := f.act("lead1", in.ID, approval.ActReturn, toPrevious)
		wantCode(t, err, fleet.EInvalid)

		// To the applicant: returned, no step; nobody can act; resubmit with smaller fields.
		in = f.mustAct("lead1", in.ID, approval.ActReturn, comment("金额过高"))
		wantAt(t, in, approval.StatusReturned, -1)
		_, err = f.act("lead2", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EConflict)
		err = f.db.Transaction(func(tx *gorm.DB) error {
			_, err := f.svc.ResubmitTx(context.Background(), tx, f.users["clerk"], in.ID, nil)
			return err
		})
		wantCode(t, err, fleet.EForbidden)
		err = f.db.Transaction(func(tx *gorm.DB) error {
			in, err = f.svc.ResubmitTx(context.Background(), tx, f.users["staff"], in.ID, map[string]any{"kind": "goods", "amount": 1000})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		wantAt(t, in, approval.StatusPending, 0)
		in = f.mustAct("lead1", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1) // goods now: no board, no county leader
		if in.Fields["kind"] != "goods" {
			t.Fatalf("fields after resubmit = %v", in.Fields)
		}
		// Resubmitting an approved one: 409.
		err = f.db.Transaction(func(tx *gorm.DB) error {
			_, err := f.svc.ResubmitTx(context.Background(), tx, f.users["staff"], in.ID, nil)
			return err
		})
		wantCode(t, err, fleet.EConflict)
		want := []string{"submit", "approve", "return", "return", "resubmit", "approve"}
		if got := actions(in); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("history = %v, want %v", got, want)
		}
		if strings.Join(hooked, ",") != "returned,pending,approved" {
			t.Fatalf("hooks saw %v, want returned, pending, approved", hooked)
		}
	})
}

func TestWithdraw(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(`{"key":"two","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"all"},{"name":"二","approvers":{"type":"user","user_id":` + fmt.Sprint(f.id("m1")) + `},"mode":"any"}]}`)
		// Before any decision: the applicant withdraws; nobody else may.
		in := f.mustSubmit("staff", "two", nil)
		f.mustAct("lead1", in.ID, approval.ActComment, comment("看过了")) // a comment is no decision
		_, err := f.act("lead1", in.ID, approval.ActWithdraw)
		wantCode(t, err, fleet.EForbidden)
		in = f.mustAct("staff", in.ID, approval.ActWithdraw)
		wantAt(t, in, approval.StatusWithdrawn, -1)
		_, err = f.act("lead1", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EConflict)
		_, err = f.act("staff", in.ID, approval.ActWithdraw)
		wantCode(t, err, fleet.EConflict)

		// After one approval (even a step not yet complete): no longer.
		in = f.mustSubmit("staff", "two", nil)
		f.mustAct("lead1", in.ID, approval.ActApprove)
		_, err = f.act("staff", in.ID, approval.ActWithdraw)
		wantCode(t, err, fleet.EConflict)

		// A returned request may be withdrawn instead of revised.
		in = f.mustAct("lead2", in.ID, approval.ActReturn)
		in = f.mustAct("staff", in.ID, approval.ActWithdraw)
		wantAt(t, in, approval.StatusWithdrawn, -1)
	})
}

func TestTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(`{"key":"one","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"all"}]}`)
		in := f.mustSubmit("staff", "one", nil)
		for _, tt := range []struct {
			to   int64
			code string
		}{
			{f.id("staff"), fleet.EInvalid},   // the applicant
			{f.id("lead1"), fleet.EInvalid},   // oneself
			{f.id("lead2"), fleet.EConflict},  // already an approver
			{f.id("auditor"), fleet.EInvalid}, // changes nothing
			{999999, fleet.EInvalid},
		} {
			_, err := f.act("lead1", in.ID, approval.ActTransfer, toUser(tt.to))
			wantCode(t, err, tt.code)
		}
		_, err := f.act("clerk", in.ID, approval.ActTransfer, toUser(f.id("m1")))
		wantCode(t, err, fleet.EForbidden)

		cands, err := f.svc.Candidates(context.Background(), f.users["lead1"], in.ID, "m")
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, c := range cands {
			names[c.Name] = true
		}
		if !names["m1"] || names["staff"] || names["lead2"] || names["auditor"] {
			t.Fatalf("candidates = %v", names)
		}

		in = f.mustAct("lead1", in.ID, approval.ActTransfer, toUser(f.id("m1")), comment("出差，请代批"))
		if d := approverIDs(in); d[f.id("lead1")] != "transferred" || d[f.id("m1")] != "" {
			t.Fatalf("approvers after transfer = %v", d)
		}
		last := in.History[len(in.History)-1]
		if last.Action != "transfer" || last.ToUserID == nil || *last.ToUserID != f.id("m1") || *last.UserID != f.id("lead1") {
			t.Fatalf("transfer trail = %+v", last)
		}
		_, err = f.act("lead1", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EConflict)
		// 'all' now needs lead2 and m1, not lead1.
		f.mustAct("lead2", in.ID, approval.ActApprove)
		in = f.mustAct("m1", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)
		// lead1 still sees it: they were an approver.
		if ok, err := f.svc.CanSee(context.Background(), f.users["lead1"], in.ID); err != nil || !ok {
			t.Fatalf("CanSee(lead1) = %v, %v", ok, err)
		}
	})
}

func TestRemind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(`{"key":"two","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"any"},{"name":"二","approvers":{"type":"group","group":"board"},"mode":"any"}]}`)
		in := f.mustSubmit("staff", "two", nil)
		_, err := f.act("lead1", in.ID, approval.ActRemind)
		wantCode(t, err, fleet.EForbidden)
		f.mustAct("staff", in.ID, approval.ActRemind)
		f.clock.Add(59 * 60e9)
		_, err = f.act("staff", in.ID, approval.ActRemind)
		wantCode(t, err, fleet.ERateLimited)
		var fe *fleet.Error
		if !errors.As(err, &fe) || fe.RetryAfter < 1 || fe.RetryAfter > 61 {
			t.Fatalf("rate limit = %+v, want Retry-After about a minute", fe)
		}
		f.clock.Add(60e9)
		f.mustAct("staff", in.ID, approval.ActRemind)
		// A new step: remind again at once.
		f.mustAct("lead1", in.ID, approval.ActApprove)
		in = f.mustAct("staff", in.ID, approval.ActRemind)
		if got := strings.Join(actions(in), ","); got != "submit,remind,remind,approve,remind" {
			t.Fatalf("history = %s", got)
		}
	})
}

func TestNobodyApprovesTheirOwnRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(`{"key":"head","name":"x","steps":[{"name":"单位负责人","approvers":{"type":"unit_head"},"mode":"all","fallback_user_id":-1}]}`)
		f.define(`{"key":"bare","name":"x","steps":[{"name":"审计局负责人","approvers":{"type":"unit_head"},"mode":"any"}]}`)
		// A leader applies: only the other leader approves, 'all' is satisfied by them alone.
		in := f.mustSubmit("lead1", "head", nil)
		if d := approverIDs(in); len(d) != 1 || d[f.id("lead2")] != "" {
			t.Fatalf("approvers = %v, want lead2 only", d)
		}
		_, err := f.act("lead1", in.ID, approval.ActApprove)
		wantCode(t, err, fleet.EForbidden)
		in = f.mustAct("lead2", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)

		// The only leader of 审计局 applies: the fallback user approves.
		in = f.mustSubmit("auditlead", "head", nil)
		if d := approverIDs(in); len(d) != 1 || d[f.id("fallback")] != "" || in.Step.Approvers[0].Source != "fallback" {
			t.Fatalf("approvers = %+v, want the fallback", in.Step.Approvers)
		}
		// Without a fallback the submit fails, naming the step, and leaves nothing behind.
		_, err = f.submit("auditlead", "bare", nil)
		wantCode(t, err, fleet.EConflict)
		if !strings.Contains(err.Error(), "step 1 (审计局负责人)") || !strings.Contains(err.Error(), "no approver") {
			t.Fatalf("error %v does not name the step", err)
		}
		items, _, err := f.svc.List(context.Background(), f.users["auditlead"], approval.ListFilter{State: approval.StateMine})
		if err != nil || len(items) != 1 {
			t.Fatalf("auditlead's requests = %v, %v; want only the one with a fallback", items, err)
		}
	})
}

func TestDefinitionVersionsAndValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		bad := approval.Definition{Key: "Bad Key", Name: "", Steps: []approval.StepDef{
			{Name: "", Approvers: approval.ApproverSpec{Type: "boss"}, Mode: "some"},
			{Name: "x", Approvers: approval.ApproverSpec{Type: "user", UserID: 999999}, Mode: "any", Condition: "amount >", DeadlineHours: -1},
			{Name: "y", Approvers: approval.ApproverSpec{Type: "group", Group: "nope"}, Mode: "any", FallbackUserID: 999999},
			{Name: "z", Approvers: approval.ApproverSpec{Type: "role", Role: "king", Group: "board"}, Mode: "all"},
		}}
		_, err := f.svc.CreateDefinition(ctx, auth.System, bad)
		var fe *fleet.Error
		if !errors.As(err, &fe) || fe.Code != fleet.EInvalid {
			t.Fatalf("bad definition: %v", err)
		}
		for _, field := range []string{"key", "name", "steps[0].name", "steps[0].approvers.type", "steps[0].mode",
			"steps[1].condition", "steps[1].deadline_hours", "steps[3].approvers.role", "steps[3].approvers.group"} {
			if fe.Fields[field] == "" {
				t.Errorf("no problem named for %s in %v", field, fe.Fields)
			}
		}
		if !strings.Contains(fe.Fields["steps[1].condition"], "position 9") {
			t.Errorf("condition problem %q lacks the position", fe.Fields["steps[1].condition"])
		}
		// Shape right, references wrong: the missing user and group are named.
		bad.Key, bad.Name, bad.Steps = "refs", "x", bad.Steps[1:3]
		bad.Steps[0].Condition, bad.Steps[0].DeadlineHours = "", 0
		_, err = f.svc.CreateDefinition(ctx, auth.System, bad)
		if !errors.As(err, &fe) || fe.Fields["steps[0].approvers.user_id"] == "" || fe.Fields["steps[1].approvers.group"] == "" || fe.Fields["steps[1].fallback_user_id"] == "" {
			t.Fatalf("bad references: %v", err)
		}
		// Only admins write; the auditor reads.
		_, err = f.svc.CreateDefinition(ctx, f.users["lead1"], approval.Definition{})
		wantCode(t, err, fleet.EForbidden)
		if _, err := f.svc.ListDefinitions(ctx, f.users["auditor"]); err != nil {
			t.Fatal(err)
		}

		// Version 1 has one step; an instance started on it keeps it after version 2 adds a step.
		v1 := f.define(`{"key":"ver","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"any"}]}`)
		old := f.mustSubmit("staff", "ver", nil)
		v2 := f.define(`{"key":"ver","name":"x2","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"any"},{"name":"二","approvers":{"type":"group","group":"board"},"mode":"any"}]}`)
		if v1.Version != 1 || v2.Version != 2 || len(v2.Steps) != 2 {
			t.Fatalf("versions %d, %d", v1.Version, v2.Version)
		}
		_, err = f.svc.CreateDefinition(ctx, auth.System, *v2)
		wantCode(t, err, fleet.EConflict)
		fresh := f.mustSubmit("staff", "ver", nil)
		if old.DefinitionVersion != 1 || fresh.DefinitionVersion != 2 {
			t.Fatalf("instance versions %d, %d", old.DefinitionVersion, fresh.DefinitionVersion)
		}
		done := f.mustAct("lead1", old.ID, approval.ActApprove)
		wantAt(t, done, approval.StatusApproved, -1)
		next := f.mustAct("lead1", fresh.ID, approval.ActApprove)
		wantAt(t, next, approval.StatusPending, 1)
		got, err := f.svc.GetDefinition(ctx, auth.System, "ver", 1)
		if err != nil || got.Name != "x" || len(got.Steps) != 1 {
			t.Fatalf("version 1 = %+v, %v", got, err)
		}
		// A group that definitions name is not deleted.
		gs, _ := f.svc.ListGroups(ctx, auth.System)
		wantCode(t, f.svc.DeleteGroup(ctx, auth.System, gs[0].ID), fleet.EConflict)
	})
}

func TestVisibility(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		f.define(`{"key":"one","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"any"}]}`)
		in := f.mustSubmit("staff", "one", nil)
		ctx := context.Background()
		for user, want := range map[string]bool{"staff": true, "lead1": true, "lead2": true, "admin": true, "auditor": true, "clerk": false, "m1": false} {
			got, err := f.svc.Get(ctx, f.users[user], in.ID)
			if want && (err != nil || got.ID != in.ID) {
				t.Errorf("%s: Get = %v", user, err)
			}
			if !want {
				wantCode(t, err, fleet.EForbidden)
			}
			if want && got.CanAct != (user == "lead1" || user == "lead2") {
				t.Errorf("%s: can_act = %v", user, got.CanAct)
			}
		}
		_, err := f.act("clerk", in.ID, approval.ActComment, comment("?"))
		wantCode(t, err, fleet.EForbidden)
		_, err = f.act("auditor", in.ID, approval.ActComment, comment("?"))
		wantCode(t, err, fleet.EForbidden) // auditors change nothing, comments included
		_, err = f.svc.Get(ctx, f.users["staff"], 999999)
		wantCode(t, err, fleet.ENotFound)

		// Inbox, mine, done and the badge.
		list := func(user, state string) []approval.Summary {
			items, total, err := f.svc.List(ctx, f.users[user], approval.ListFilter{State: state})
			if err != nil || int(total) != len(items) {
				t.Fatalf("List(%s, %s) = %d of %d, %v", user, state, len(items), total, err)
			}
			return items
		}
		if items := list("lead1", "pending"); len(items) != 1 || items[0].Step != "一" || items[0].Applicant != "staff" || items[0].Subject == "" {
			t.Fatalf("lead1's inbox = %+v", items)
		}
		c, _ := f.svc.Counts(ctx, f.users["lead2"])
		if c.Pending != 1 {
			t.Fatalf("lead2's badge = %+v", c)
		}
		f.mustAct("lead2", in.ID, approval.ActReturn)
		if len(list("lead1", "pending")) != 0 || len(list("lead2", "done")) != 1 || len(list("staff", "mine")) != 1 || len(list("lead1", "done")) != 0 {
			t.Fatal("lists after the return are wrong")
		}
		c, _ = f.svc.Counts(ctx, f.users["staff"])
		if c.Returned != 1 {
			t.Fatalf("staff's badge = %+v", c)
		}
		_, _, err = f.svc.List(ctx, f.users["staff"], approval.ListFilter{State: "all"})
		wantCode(t, err, fleet.EInvalid)
	})
}

func TestEnsureDefaults(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		for i := 0; i < 2; i++ {
			if err := f.svc.EnsureDefaults(ctx); err != nil {
				t.Fatal(err)
			}
		}
		defs, err := f.svc.ListDefinitions(ctx, auth.System)
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]approval.Definition{}
		for _, d := range defs {
			byKey[d.Key] = d
		}
		p, v := byKey["procurement"], byKey["vehicle_use"]
		if p.Version != 1 || len(p.Steps) != 4 || p.Steps[0].Approvers.Type != "unit_head" || p.Steps[0].Mode != "any" ||
			p.Steps[2].Mode != "majority" || !strings.Contains(p.Steps[3].Condition, "500000") || p.Steps[0].FallbackUserID != f.id("admin") {
			t.Fatalf("procurement = %+v", p)
		}
		if v.Version != 1 || len(v.Steps) != 1 || v.Steps[0].Approvers.Type != "unit_head" {
			t.Fatalf("vehicle_use = %+v", v)
		}
		// Goods go to the unit head only; a vehicle with empty groups falls back to admin.
		in := f.mustSubmit("staff", "procurement", map[string]any{"kind": "goods", "amount": 5000})
		in = f.mustAct("lead1", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusApproved, -1)
		in = f.mustSubmit("staff", "procurement", map[string]any{"kind": "vehicle_renewal", "amount": 180000})
		f.mustAct("lead2", in.ID, approval.ActApprove)
		in = f.mustAct("admin", in.ID, approval.ActApprove)
		wantAt(t, in, approval.StatusPending, 2)
		// An admin's edit survives the next start.
		p.Steps[0].DeadlineHours = 12
		if _, err := f.svc.UpdateDefinition(ctx, auth.System, "procurement", p); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.EnsureDefaults(ctx); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.GetDefinition(ctx, auth.System, "procurement", 0)
		if got.Version != 2 || got.Steps[0].DeadlineHours != 12 {
			t.Fatalf("procurement after restart = v%d %+v", got.Version, got.Steps[0])
		}
	})
}
