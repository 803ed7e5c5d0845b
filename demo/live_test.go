package demo_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/goleak"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// liveDesk is the dispatch desk of a running fleetd on the demo county: its approvals publish on
// the bus the web hub forwards to the websockets.
type liveDesk struct {
	auth      *auth.Service
	approvals *approval.Service
	desk      *dispatch.Desk
	notices   *bus.Subscription
}

func newLiveDesk(t *testing.T, db *store.DB) *liveDesk {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	a, f := services(db)
	board := dispatch.NewTaskBoard(db, nil)
	track, err := tracking.NewService(db, b, tracking.Options{Tasks: board})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(track.Close)
	ap, err := approval.NewService(db, a, b, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	desk, err := dispatch.NewDesk(f, ap, track, board, b, dispatch.DeskOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := desk.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sub, err := b.Subscribe(ctx, approval.TopicApprovals)
	if err != nil {
		t.Fatal(err)
	}
	return &liveDesk{auth: a, approvals: ap, desk: desk, notices: sub}
}

// While the demo runs, requests arrive in the dispatcher's queue — the unit head told of each
// (the approval notice the websockets carry) — and the heads approve some of them; stopping
// ends the generator and leaves no goroutine behind.
func TestLiveRequestsArrive(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCounty(t, db)
		tiny := shortHistory
		tiny.Days, tiny.PerDay = 1, 1 // the people of every unit
		if _, err := demo.SeedHistory(ctx, db, tiny); err != nil {
			t.Fatal(err)
		}
		ld := newLiveDesk(t, db)
		id, err := ld.auth.FindUserID(ctx, "demo_dispatcher")
		if err != nil {
			t.Fatal(err)
		}
		dispatcher := &auth.Actor{UserID: id, Role: auth.RoleDispatcher}
		goroutines := goleak.IgnoreCurrent()

		stop, err := demo.StartLive(ctx, ld.desk, ld.approvals, ld.auth, demo.LiveOptions{Every: 60 * time.Millisecond, ApproveShare: 1})
		if err != nil {
			t.Fatal(err)
		}
		var q *dispatch.Queue
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if q, err = ld.desk.DispatchQueue(ctx, dispatcher); err != nil {
				t.Fatal(err)
			}
			if len(q.Pending) > 0 && approvedByHead(q) > 0 {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		stop()
		if len(q.Pending)+len(q.Approved) == 0 || approvedByHead(q) == 0 {
			t.Fatalf("queue: %d waiting for approval, %d to assign (%d approved by the head); want new requests in both",
				len(q.Pending), len(q.Approved), approvedByHead(q))
		}
		for _, r := range append(q.Pending, q.Approved...) {
			if !r.DepartAt.After(r.CreatedAt) || r.DepartAt.After(r.CreatedAt.Add(4*24*time.Hour)) || r.Passengers < 1 {
				t.Errorf("request %d: %d passengers, departs %s (filed %s); want a trip later today or on the next working day",
					r.ID, r.Passengers, r.DepartAt, r.CreatedAt)
			}
		}
		select {
		case m := <-ld.notices.C():
			var n approval.Notice
			if err := json.Unmarshal(m.Data, &n); err != nil || len(n.Users) == 0 {
				t.Errorf("approval notice %s: %v; want one for the unit head", m.Data, err)
			}
		default:
			t.Error("no approval notice on the bus: the unit heads' pages would not hear of the requests")
		}
		n := len(q.Pending) + len(q.Approved)
		time.Sleep(200 * time.Millisecond)
		if q, _ = ld.desk.DispatchQueue(ctx, dispatcher); len(q.Pending)+len(q.Approved) != n {
			t.Errorf("requests still arriving after stop: %d, was %d", len(q.Pending)+len(q.Approved), n)
		}
		goleak.VerifyNone(t, goroutines)
	})
}

// approvedByHead counts the requests in the queue whose unit head approved them (an
// emergency's approval comes after, so it does not count).
func approvedByHead(q *dispatch.Queue) int {
	n := 0
	for _, r := range q.Approved {
		if r.ApprovalStatus == approval.StatusApproved {
			n++
		}
	}
	return n
}

// Cancelling the context stops the generator at once, mid-wait, leaving nothing running.
func TestLiveStopsWithItsContext(t *testing.T) {
	db := storetest.SQLite(t)
	seedCounty(t, db)
	ld := newLiveDesk(t, db)
	goroutines := goleak.IgnoreCurrent()
	ctx, cancel := context.WithCancel(context.Background())
	stop, err := demo.StartLive(ctx, ld.desk, ld.approvals, ld.auth, demo.LiveOptions{Every: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan struct{})
	go func() { stop(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the generator did not stop within 5 s of its context's end")
	}
	goleak.VerifyNone(t, goroutines)
}
