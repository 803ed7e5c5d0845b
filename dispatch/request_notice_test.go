package dispatch_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// A change of the fleet records reaches the next ranking at once, not after the snapshot's
// lifetime: a vehicle added, a vehicle sent to maintenance, a driver taken off the roster.
func TestFleetEditsReachTheRanking(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db, func(o *dispatch.DeskOptions) { o.SnapshotTTL = time.Hour })
		const km = 1 / 111.2
		far := f.vehicle("赣K60101", 5, homeLat+8*km, homeLng)
		f.driver("甲", "C1")
		r := f.approved(f.input(2, 0, 2*time.Hour))
		plates := func() []string {
			t.Helper()
			list, err := f.desk.Candidates(f.ctx, f.dispatcher, r.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range list.Items {
				out = append(out, c.Plate)
			}
			return out
		}
		if got := plates(); len(got) != 1 || got[0] != "赣K60101" {
			t.Fatalf("candidates = %v", got)
		}
		near := f.vehicle("赣K60102", 5, homeLat+1*km, homeLng)
		if got := plates(); len(got) != 2 || got[0] != "赣K60102" {
			t.Fatalf("after adding a nearer car: %v", got)
		}
		in := dispatch.VehicleInput{Plate: near.Plate, Class: near.Class, Seats: near.Seats, Energy: near.Energy,
			ParkingName: near.ParkingName, ParkingLat: near.ParkingLat, ParkingLng: near.ParkingLng, Status: dispatch.StatusMaintenance}
		if _, err := f.fleet.UpdateVehicle(f.ctx, auth.System, near.ID, in); err != nil {
			t.Fatal(err)
		}
		if got := plates(); len(got) != 1 || got[0] != far.Plate {
			t.Fatalf("after the nearer car went to maintenance: %v", got)
		}
	})
}

// The applicant and the dispatchers hear of a request's every change of state: filed, approved
// (the approval's decision, announced once committed), assigned, cancelled.
func TestRequestNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		ctx, cancel := context.WithCancel(f.ctx)
		defer cancel()
		sub, err := f.bus.Subscribe(ctx, dispatch.TopicTasks)
		if err != nil {
			t.Fatal(err)
		}
		next := func(want string, id int64) {
			t.Helper()
			deadline := time.After(5 * time.Second)
			for {
				select {
				case m := <-sub.C():
					var n dispatch.TaskNotice
					json.Unmarshal(m.Data, &n)
					if n.Event != dispatch.EventRequests {
						continue
					}
					for _, s := range n.Requests {
						if s.ID == id && s.Status == want {
							if len(n.Users) != 1 || n.Users[0] != f.staff.UserID {
								t.Fatalf("a notice of request %d goes to %v, want the applicant %d", id, n.Users, f.staff.UserID)
							}
							return
						}
					}
				case <-deadline:
					t.Fatalf("no notice of request %d becoming %s", id, want)
				}
			}
		}
		v := f.vehicle("赣K60201", 5, homeLat, homeLng)
		d, _ := f.driver("丙", "C1")
		r := f.request(f.staff, f.input(2, 0, 2*time.Hour))
		next(dispatch.ReqSubmitted, r.ID)
		r = f.get(r.ID)
		if _, err := f.approvals.Act(f.ctx, f.leader, *r.ApprovalID, approval.ActionInput{Action: approval.ActApprove}); err != nil {
			t.Fatal(err)
		}
		next(dispatch.ReqApproved, r.ID)
		f.assign(r.ID, v.ID, d.ID)
		next(dispatch.ReqAssigned, r.ID)
		if _, err := f.desk.CancelRequest(f.ctx, f.staff, r.ID, dispatch.CancelInput{Reason: "会议取消"}); err != nil {
			t.Fatal(err)
		}
		next(dispatch.ReqCancelled, r.ID)
	})
}
