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
	"fleet/store"
	"fleet/store/storetest"
)

// A double-clicked or concurrent approve advances the instance exactly once: 20 calls at once by
// the same approver, and by 20 different approvers of an 'any' step.
func TestConcurrentApproveAdvancesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		// Twenty members for the 'any' step.
		var members []int64
		for i := 0; i < 20; i++ {
			u, err := f.auth.CreateUser(ctx, auth.System, auth.UserInput{Username: "g" + string(rune('a'+i)), Password: "correct-horse",
				Name: "组员", Role: auth.RoleLeader, UnitID: f.other})
			if err != nil {
				t.Fatal(err)
			}
			members = append(members, u.ID)
			f.users[u.Username] = &auth.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, UnitID: u.UnitID}
		}
		if _, err := f.svc.CreateGroup(ctx, auth.System, approval.GroupInput{Key: "twenty", Name: "二十人", MemberIDs: members}); err != nil {
			t.Fatal(err)
		}
		f.define(`{"key":"race","name":"x","steps":[
			{"name":"一","approvers":{"type":"unit_head"},"mode":"any"},
			{"name":"二","approvers":{"type":"group","group":"twenty"},"mode":"any"},
			{"name":"三","approvers":{"type":"group","group":"board"},"mode":"any"}]}`)
		in := f.mustSubmit("staff", "race", nil)

		race := func(users []string) (ok int, codes map[string]int) {
			var (
				wg sync.WaitGroup
				mu sync.Mutex
			)
			codes = map[string]int{}
			start := make(chan struct{})
			for _, u := range users {
				wg.Add(1)
				go func(u string) {
					defer wg.Done()
					<-start
					_, err := f.act(u, in.ID, approval.ActApprove)
					mu.Lock()
					defer mu.Unlock()
					if err == nil {
						ok++
					} else {
						codes[fleet.ErrorCode(err)]++
						if fleet.ErrorCode(err) != fleet.EConflict {
							t.Errorf("approve by %s: %v", u, err)
						}
					}
				}(u)
			}
			close(start)
			wg.Wait()
			return ok, codes
		}

		same := make([]string, 20)
		for i := range same {
			same[i] = "lead1"
		}
		if ok, codes := race(same); ok != 1 || codes[fleet.EConflict] != 19 {
			t.Fatalf("same approver ×20: %d succeeded, errors %v; want 1 and 19 conflicts", ok, codes)
		}
		var many []string
		for i := 0; i < 20; i++ {
			many = append(many, "g"+string(rune('a'+i)))
		}
		if ok, codes := race(many); ok != 1 || codes[fleet.EConflict] != 19 {
			t.Fatalf("20 approvers of an any step: %d succeeded, errors %v; want 1 and 19 conflicts", ok, codes)
		}
		got, err := f.svc.Get(ctx, auth.System, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		wantAt(t, got, approval.StatusPending, 2)
		approvals := 0
		for _, h := range got.History {
			if h.Action == approval.ActApprove {
				approvals++
			}
		}
		if approvals != 2 || got.Version != 3 {
			t.Fatalf("history has %d approvals at version %d, want 2 at version 3: %v", approvals, got.Version, actions(got))
		}
	})
}

// A passed deadline reminds the approvers and lets the fallback user decide the step alone; two
// instances sweeping at once escalate it once.
func TestDeadlineEscalation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		f.define(`{"key":"slow","name":"x","steps":[
			{"name":"小组会签","approvers":{"type":"group","group":"board"},"mode":"all","deadline_hours":48,"fallback_user_id":-1},
			{"name":"单位负责人","approvers":{"type":"unit_head"},"mode":"any","deadline_hours":1}]}`)
		in := f.mustSubmit("staff", "slow", nil)
		if in.Step.DeadlineAt == nil || !in.Step.DeadlineAt.Equal(f.clock.Now().Add(48*time.Hour)) {
			t.Fatalf("deadline = %v", in.Step.DeadlineAt)
		}
		sub, err := f.bus.Subscribe(ctx, approval.TopicApprovals)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Close()
		f.mustAct("m1", in.ID, approval.ActApprove)

		// Not yet.
		f.clock.Add(47 * time.Hour)
		if n, err := f.svc.CheckDeadlines(ctx); err != nil || n != 0 {
			t.Fatalf("sweep before the deadline: %d, %v", n, err)
		}
		// Passed: a second service on the same database (another fleetd) sweeps at the same time.
		f.clock.Add(2 * time.Hour)
		other, err := approval.NewService(db, f.auth, f.bus, approval.Options{Now: f.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		counts := make([]int, 2)
		for i, s := range []*approval.Service{f.svc, other} {
			wg.Add(1)
			go func(i int, s *approval.Service) {
				defer wg.Done()
				n, err := s.CheckDeadlines(ctx)
				if err != nil {
					t.Errorf("sweep %d: %v", i, err)
				}
				counts[i] = n
			}(i, s)
		}
		wg.Wait()
		if counts[0]+counts[1] != 1 {
			t.Fatalf("sweeps handled %v, want one step once", counts)
		}
		if n, _ := f.svc.CheckDeadlines(ctx); n != 0 {
			t.Fatalf("a later sweep handled %d again", n)
		}
		got, _ := f.svc.Get(ctx, auth.System, in.ID)
		escalations := 0
		for _, h := range got.History {
			if h.Action == approval.ActEscalate {
				escalations++
				if h.UserID != nil || h.ToUserID == nil || *h.ToUserID != f.id("fallback") || h.StepName != "小组会签" {
					t.Fatalf("escalate line = %+v", h)
				}
			}
		}
		if d := approverIDs(got); escalations != 1 || len(d) != 4 || d[f.id("fallback")] != "" {
			t.Fatalf("after escalation: %d escalate lines, approvers %v", escalations, d)
		}
		// The waiting members were reminded; the fallback was told the step is theirs.
		heard := map[string][]int64{}
		timeout := time.After(3 * time.Second)
		for len(heard) < 2 {
			select {
			case m := <-sub.C():
				var n approval.Notice
				json.Unmarshal(m.Data, &n)
				if n.Approval.ID == in.ID && n.Approval.Event != approval.EventDecided {
					heard[n.Approval.Event] = n.Users
				}
			case <-timeout:
				t.Fatalf("notices heard: %v", heard)
			}
		}
		if len(heard["reminded"]) != 2 || len(heard["pending"]) != 1 || heard["pending"][0] != f.id("fallback") {
			t.Fatalf("notices = %v", heard)
		}
		// The fallback decides the 'all' step alone.
		got = f.mustAct("fallback", in.ID, approval.ActApprove)
		wantAt(t, got, approval.StatusPending, 1)
		// The next step has no fallback: its deadline only reminds.
		f.clock.Add(2 * time.Hour)
		if n, err := f.svc.CheckDeadlines(ctx); err != nil || n != 1 {
			t.Fatalf("second step sweep: %d, %v", n, err)
		}
		got, _ = f.svc.Get(ctx, auth.System, in.ID)
		last := got.History[len(got.History)-1]
		if last.Action != approval.ActRemind || last.UserID != nil || len(got.Step.Approvers) != 2 {
			t.Fatalf("after the second deadline: %+v, approvers %v", last, approverIDs(got))
		}
	})
}

// Approvers hear of a submit only once the caller's transaction commits, and not at all when it
// rolls back; the applicant hears of every decision.
func TestNotices(t *testing.T) {
	f := newFx(t, storetest.SQLite(t))
	ctx := context.Background()
	f.define(`{"key":"one","name":"x","steps":[{"name":"一","approvers":{"type":"unit_head"},"mode":"all"}]}`)
	sub, err := f.bus.Subscribe(ctx, approval.TopicApprovals)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	next := func(within time.Duration) *approval.Notice {
		select {
		case m := <-sub.C():
			var n approval.Notice
			if err := json.Unmarshal(m.Data, &n); err != nil {
				t.Fatal(err)
			}
			return &n
		case <-time.After(within):
			return nil
		}
	}
	// Rolled back: the instance never existed, nobody hears of it.
	err = f.db.Transaction(func(tx *gorm.DB) error {
		if _, err := f.svc.SubmitTx(ctx, tx, f.users["staff"], approval.SubmitInput{Definition: "one", Subject: "作废", RefType: "test", RefID: 1}); err != nil {
			return err
		}
		return fleet.Errorf(fleet.EInvalid, "the owner's row failed")
	})
	wantCode(t, err, fleet.EInvalid)
	// Committed after a while: heard after the commit, not before.
	var in *approval.Instance
	committed := make(chan time.Time, 1)
	err = f.db.Transaction(func(tx *gorm.DB) error {
		var err error
		in, err = f.svc.SubmitTx(ctx, tx, f.users["staff"], approval.SubmitInput{Definition: "one", Subject: "打印机", RefType: "test", RefID: 2})
		if err != nil {
			return err
		}
		if n := next(300 * time.Millisecond); n != nil {
			t.Errorf("notice before commit: %+v", n)
		}
		committed <- time.Now()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := next(3 * time.Second)
	if n == nil || n.Approval.ID != in.ID || n.Approval.Event != approval.EventPending || n.Approval.Step != "一" || len(n.Users) != 2 {
		t.Fatalf("submit notice = %+v", n)
	}
	if n := next(200 * time.Millisecond); n != nil {
		t.Fatalf("a notice of the rolled-back submit arrived: %+v", n)
	}
	// One of two 'all' approvals: the applicant hears of it.
	f.mustAct("lead1", in.ID, approval.ActApprove)
	n = next(time.Second)
	if n == nil || n.Approval.Event != approval.EventDecided || len(n.Users) != 1 || n.Users[0] != f.id("staff") || n.Approval.Status != "pending" {
		t.Fatalf("decision notice = %+v", n)
	}
	// Return: the applicant hears "returned".
	f.mustAct("lead2", in.ID, approval.ActReturn)
	n = next(time.Second)
	if n == nil || n.Approval.Event != approval.EventReturned || n.Users[0] != f.id("staff") || n.Approval.Status != "returned" {
		t.Fatalf("return notice = %+v", n)
	}
}
