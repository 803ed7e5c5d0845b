package approval_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/store"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// fx is an approval service on a fresh database with a small county: unit 财政局 with the
// applicant (staff), two leaders and a clerk; unit 审计局 with its only leader; in 县政府办公室
// group "board" of three members, a fallback user, an admin, an auditor and a stranger.
type fx struct {
	t     *testing.T
	db    *store.DB
	auth  *auth.Service
	svc   *approval.Service
	bus   bus.Bus
	clock *clock
	unit  int64
	other int64
	users map[string]*auth.Actor
}

func newFx(t *testing.T, db *store.DB) *fx {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	clk := &clock{t: time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)}
	svc, err := approval.NewService(db, a, b, approval.Options{Now: clk.Now, NotifyWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := &fx{t: t, db: db, auth: a, svc: svc, bus: b, clock: clk, users: map[string]*auth.Actor{}}
	u1, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县财政局"})
	if err != nil {
		t.Fatal(err)
	}
	u2, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县审计局"})
	if err != nil {
		t.Fatal(err)
	}
	u3, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县政府办公室"})
	if err != nil {
		t.Fatal(err)
	}
	f.unit, f.other = u1.ID, u2.ID
	for _, u := range []struct {
		name, role string
		unit       int64
	}{
		{"staff", auth.RoleStaff, u1.ID}, {"clerk", auth.RoleStaff, u1.ID},
		{"lead1", auth.RoleLeader, u1.ID}, {"lead2", auth.RoleLeader, u1.ID},
		{"auditlead", auth.RoleLeader, u2.ID},
		{"m1", auth.RoleLeader, u3.ID}, {"m2", auth.RoleOfficeManager, u3.ID}, {"m3", auth.RoleDispatcher, u3.ID},
		{"fallback", auth.RoleOfficeManager, u3.ID}, {"admin", auth.RoleAdmin, u3.ID}, {"auditor", auth.RoleAuditor, u3.ID},
		{"stranger", auth.RoleStaff, u3.ID},
	} {
		user, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: u.name, Password: "correct-horse", Name: u.name, Role: u.role, UnitID: u.unit})
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = &auth.Actor{UserID: user.ID, Username: user.Username, Name: user.Name, Role: user.Role, UnitID: user.UnitID}
	}
	if _, err := svc.CreateGroup(ctx, auth.System, approval.GroupInput{Key: "board", Name: "领导小组",
		MemberIDs: []int64{f.id("m1"), f.id("m2"), f.id("m3")}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fx) id(name string) int64 { return f.users[name].UserID }

// define stores a definition from JSON; %FALLBACK% stands for the fallback user's id.
func (f *fx) define(js string) *approval.Definition {
	f.t.Helper()
	var d approval.Definition
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		f.t.Fatalf("definition JSON: %v", err)
	}
	for i := range d.Steps {
		if d.Steps[i].FallbackUserID == -1 {
			d.Steps[i].FallbackUserID = f.id("fallback")
		}
	}
	ctx := context.Background()
	if _, err := f.svc.GetDefinition(ctx, auth.System, d.Key, 0); err == nil {
		out, err := f.svc.UpdateDefinition(ctx, auth.System, d.Key, d)
		if err != nil {
			f.t.Fatalf("update definition: %v", err)
		}
		return out
	}
	out, err := f.svc.CreateDefinition(ctx, auth.System, d)
	if err != nil {
		f.t.Fatalf("create definition: %v", err)
	}
	return out
}

// submit starts an instance as the user, in a transaction of its own.
func (f *fx) submit(user, def string, fields map[string]any) (*approval.Instance, error) {
	f.t.Helper()
	var in *approval.Instance
	err := f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		in, err = f.svc.SubmitTx(context.Background(), tx, f.users[user], approval.SubmitInput{
			Definition: def, Subject: "采购 " + def, RefType: "test", RefID: 7, Fields: fields})
		return err
	})
	return in, err
}

func (f *fx) mustSubmit(user, def string, fields map[string]any) *approval.Instance {
	f.t.Helper()
	in, err := f.submit(user, def, fields)
	if err != nil {
		f.t.Fatalf("submit: %v", err)
	}
	return in
}

func (f *fx) act(user string, id int64, action string, extra ...func(*approval.ActionInput)) (*approval.Instance, error) {
	in := approval.ActionInput{Action: action}
	for _, e := range extra {
		e(&in)
	}
	return f.svc.Act(context.Background(), f.users[user], id, in)
}

func (f *fx) mustAct(user string, id int64, action string, extra ...func(*approval.ActionInput)) *approval.Instance {
	f.t.Helper()
	in, err := f.act(user, id, action, extra...)
	if err != nil {
		f.t.Fatalf("%s by %s: %v", action, user, err)
	}
	return in
}

// wantCode fails unless err carries the fleet error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := fleet.ErrorCode(err); got != code {
		t.Fatalf("error %v: code %q, want %q", err, got, code)
	}
}

// wantAt checks status and the current step's index (-1: none).
func wantAt(t *testing.T, in *approval.Instance, status string, step int) {
	t.Helper()
	got := -1
	if in.Step != nil {
		got = in.Step.Index
	}
	if in.Status != status || got != step {
		t.Fatalf("instance is %s at step %d, want %s at step %d", in.Status, got, status, step)
	}
}

func approverIDs(in *approval.Instance) map[int64]string {
	out := map[int64]string{}
	if in.Step != nil {
		for _, a := range in.Step.Approvers {
			out[a.ID] = a.Decision
		}
	}
	return out
}

func actions(in *approval.Instance) []string {
	var out []string
	for _, h := range in.History {
		out = append(out, h.Action)
	}
	return out
}

func comment(c string) func(*approval.ActionInput) {
	return func(in *approval.ActionInput) { in.Comment = c }
}

func toUser(id int64) func(*approval.ActionInput) {
	return func(in *approval.ActionInput) { in.ToUserID = id }
}

func toPrevious(in *approval.ActionInput) { in.To = approval.ToPrevious }
