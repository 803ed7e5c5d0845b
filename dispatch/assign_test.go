package dispatch_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

// What cannot be assigned is refused with a clear error naming the field, and nothing changes.
func TestAssignRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		car := f.vehicle("赣K50010", 5, homeLat, homeLng)
		inShop := f.vehicle("赣K50011", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.Status = dispatch.StatusMaintenance })
		bus := f.vehicle("赣K50012", 19, homeLat, homeLng)
		lapsed := f.vehicle("赣K50013", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.InsuranceExpiry = "2020-01-01" })
		d, _ := f.driver("王师傅", "C1")
		d2, _ := f.driver("赵师傅", "C1")
		off, _ := f.offDutyDriver("钱师傅", "C1")
		r := f.approved(f.input(3, 0, 2*time.Hour))

		tests := []struct {
			name            string
			vehicle, driver int64
			code, field     string
		}{
			{"vehicle in maintenance", inShop.ID, d.ID, fleet.EConflict, "vehicle_id"},
			{"insurance lapsed", lapsed.ID, d.ID, fleet.EConflict, "vehicle_id"},
			{"driver off duty", car.ID, off.ID, fleet.EConflict, "driver_id"},
			{"driver unlicensed for a bus", bus.ID, d.ID, fleet.EConflict, "driver_id"},
			{"no such vehicle", 9999, d.ID, fleet.EInvalid, "vehicle_id"},
			{"no such driver", car.ID, 9999, fleet.EInvalid, "driver_id"},
			{"no vehicle", 0, d.ID, fleet.EInvalid, "vehicle_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.desk.Assign(f.ctx, f.dispatcher, r.ID, dispatch.AssignInput{VehicleID: tt.vehicle, DriverID: tt.driver})
				wantErr(t, err, tt.code, tt.field)
				if got := f.get(r.ID); got.Status != dispatch.ReqApproved || got.Task != nil {
					t.Fatalf("request after a refusal = %s", got.Status)
				}
			})
		}
		// Staff may not assign.
		_, err := f.desk.Assign(f.ctx, f.staff, r.ID, dispatch.AssignInput{VehicleID: car.ID, DriverID: d.ID})
		wantErr(t, err, fleet.EForbidden, "")

		f.assign(r.ID, car.ID, d.ID)
		// Assigned already: not assignable.
		_, err = f.desk.Assign(f.ctx, f.dispatcher, r.ID, dispatch.AssignInput{VehicleID: car.ID, DriverID: d.ID})
		wantErr(t, err, fleet.EConflict, "")
		// Another request within the turnaround buffer (starts 20 min after the first returns): the
		// vehicle and the driver are booked.
		r2 := f.approved(f.input(2, 2*time.Hour+20*time.Minute, time.Hour))
		_, err = f.desk.Assign(f.ctx, f.dispatcher, r2.ID, dispatch.AssignInput{VehicleID: car.ID, DriverID: d2.ID})
		wantErr(t, err, fleet.EConflict, "vehicle_id")
		car2 := f.vehicle("赣K50014", 5, homeLat, homeLng)
		_, err = f.desk.Assign(f.ctx, f.dispatcher, r2.ID, dispatch.AssignInput{VehicleID: car2.ID, DriverID: d.ID})
		wantErr(t, err, fleet.EConflict, "driver_id")
		// 40 minutes after: clear of the 30-minute buffer.
		r3 := f.approved(f.input(2, 2*time.Hour+40*time.Minute, time.Hour))
		f.assign(r3.ID, car.ID, d.ID)
		// The buffer is a setting.
		set := dispatch.DefaultSettings()
		set.TurnaroundMin = 10
		if _, err := f.desk.PutSettings(f.ctx, f.dispatcher, set); err != nil {
			t.Fatal(err)
		}
		f.assign(r2.ID, car2.ID, d2.ID)
		set.TurnaroundMin = -1
		_, err = f.desk.PutSettings(f.ctx, f.dispatcher, set)
		wantErr(t, err, fleet.EInvalid, "turnaround_min")
	})
}

// 50 concurrent assignments of one vehicle (then of one driver) to 50 overlapping requests:
// exactly one succeeds.
func TestConcurrentAssignmentsBookOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		const n = 50
		vehicles := make([]*dispatch.Vehicle, n)
		drivers := make([]*dispatch.Driver, n)
		for i := range n {
			vehicles[i] = f.vehicle(fmt.Sprintf("赣K6%04d", i), 5, homeLat, homeLng)
			drivers[i], _ = f.driver(fmt.Sprintf("司机%02d", i), "C1")
		}
		requests := func() []*dispatch.Request {
			rs := make([]*dispatch.Request, n)
			for i := range n {
				in := f.input(1, time.Duration(i)*time.Minute, 2*time.Hour)
				in.Priority = dispatch.PriorityEmergency // in the queue at once
				rs[i] = f.request(f.staff, in)
			}
			return rs
		}
		race := func(name string, pair func(i int) (int64, int64)) {
			rs := requests()
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v, d := pair(i)
					_, errs[i] = f.desk.Assign(f.ctx, f.dispatcher, rs[i].ID, dispatch.AssignInput{VehicleID: v, DriverID: d})
				}()
			}
			wg.Wait()
			ok := 0
			for i, err := range errs {
				switch {
				case err == nil:
					ok++
				case fleet.ErrorCode(err) != fleet.EConflict:
					t.Errorf("%s: assignment %d: %v, want success or conflict", name, i, err)
				}
			}
			if ok != 1 {
				t.Fatalf("%s: %d assignments succeeded, want exactly 1", name, ok)
			}
			assigned := 0
			for _, r := range rs {
				if f.get(r.ID).Status == dispatch.ReqAssigned {
					assigned++
				}
			}
			if assigned != 1 {
				t.Fatalf("%s: %d requests assigned, want 1", name, assigned)
			}
		}
		race("one vehicle", func(i int) (int64, int64) { return vehicles[0].ID, drivers[i].ID })
		f.base = f.base.Add(24 * time.Hour) // a new day: nothing booked yet
		race("one driver", func(i int) (int64, int64) { return vehicles[i].ID, drivers[0].ID })
	})
}

// Reassignment, the driver's decline and the dispatcher's cancellation.
func TestReassignDeclineCancel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		v1 := f.vehicle("赣K50020", 5, homeLat, homeLng)
		v2 := f.vehicle("赣K50021", 5, homeLat, homeLng)
		d1, a1 := f.driver("孙师傅", "C1")
		d2, a2 := f.driver("周师傅", "C1")
		r := f.approved(f.input(2, 0, 2*time.Hour))
		t1 := f.assign(r.ID, v1.ID, d1.ID)

		// Someone else's task is not the driver's to act on.
		_, err := f.desk.AcceptTask(f.ctx, a2, t1.ID)
		wantErr(t, err, fleet.EForbidden, "")
		_, err = f.desk.AcceptTask(f.ctx, f.staff, t1.ID)
		wantErr(t, err, fleet.EForbidden, "")

		t2, err := f.desk.Reassign(f.ctx, f.dispatcher, r.ID, dispatch.AssignInput{VehicleID: v2.ID, DriverID: d2.ID, Reason: "车辆调整"})
		if err != nil || t2.VehicleID != v2.ID || t2.Status != dispatch.TaskAssigned {
			t.Fatalf("reassign = %+v, %v", t2, err)
		}
		// Accepting the task that was reassigned: 409, the request unchanged.
		_, err = f.desk.AcceptTask(f.ctx, a1, t1.ID)
		wantErr(t, err, fleet.EConflict, "")
		got := f.get(r.ID)
		if got.Status != dispatch.ReqAssigned || got.Task.ID != t2.ID {
			t.Fatalf("request after a refused accept = %s task %+v", got.Status, got.Task)
		}
		old, _ := f.desk.GetTask(f.ctx, f.dispatcher, t1.ID)
		if old.Status != dispatch.TaskReassigned || old.ReplacedBy == nil || *old.ReplacedBy != t2.ID {
			t.Fatalf("old task = %+v", old)
		}
		// v1 and d1 are free again.
		if _, ok := f.board.ActiveTask(f.ctx, v1.ID, f.base.Add(time.Hour)); ok {
			t.Fatal("the old vehicle is still on the task")
		}

		// The new driver declines: a reason is required; the request goes back to the queue.
		_, err = f.desk.DeclineTask(f.ctx, a2, t2.ID, dispatch.DeclineInput{})
		wantErr(t, err, fleet.EInvalid, "reason")
		if t2, err = f.desk.DeclineTask(f.ctx, a2, t2.ID, dispatch.DeclineInput{Reason: "身体不适"}); err != nil || t2.Status != dispatch.TaskDeclined {
			t.Fatalf("decline = %+v, %v", t2, err)
		}
		if got := f.get(r.ID); got.Status != dispatch.ReqApproved || got.Task != nil {
			t.Fatalf("after decline = %s", got.Status)
		}
		_, err = f.desk.AcceptTask(f.ctx, a2, t2.ID)
		wantErr(t, err, fleet.EConflict, "")

		// Assigned again, then cancelled by the dispatcher: back to the queue.
		t3 := f.assign(r.ID, v1.ID, d1.ID)
		if t3, err = f.desk.CancelTask(f.ctx, f.dispatcher, t3.ID, dispatch.CancelInput{Reason: "改派"}); err != nil || t3.Status != dispatch.TaskCancelled {
			t.Fatalf("cancel task = %+v, %v", t3, err)
		}
		if got := f.get(r.ID); got.Status != dispatch.ReqApproved {
			t.Fatalf("after task cancel = %s", got.Status)
		}
		// The applicant cancels the request with its task: the vehicle is freed.
		t4 := f.assign(r.ID, v1.ID, d1.ID)
		if _, err := f.desk.CancelRequest(f.ctx, f.staff, r.ID, dispatch.CancelInput{Reason: "不去了"}); err != nil {
			t.Fatal(err)
		}
		t4, _ = f.desk.GetTask(f.ctx, f.dispatcher, t4.ID)
		if t4.Status != dispatch.TaskCancelled {
			t.Fatalf("task of a cancelled request = %s", t4.Status)
		}
		// The driver sees the tasks of the last days, not the others'.
		mine, _ := f.desk.DriverTasks(f.ctx, a1)
		for _, x := range mine {
			if x.DriverID != d1.ID {
				t.Fatalf("driver 1 sees task %d of driver %d", x.ID, x.DriverID)
			}
		}
		_, err = f.desk.DriverTasks(f.ctx, f.user("nodriver", auth.RoleDriver))
		wantErr(t, err, fleet.EForbidden, "")
	})
}

// Merged requests travel on one task; each keeps its request and approval.
func TestMerges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		v := f.vehicle("赣K50030", 7, homeLat, homeLng)
		d, _ := f.driver("吴师傅", "C1")
		a := f.approved(f.input(2, 0, 3*time.Hour))
		in := f.input(3, 10*time.Minute, 3*time.Hour)
		in.Origin = place("县委", homeLat+0.003, homeLng) // ~300 m away
		in.Destinations = []dispatch.Place{place("工业园东门", homeLat+0.095, homeLng+0.005)}
		b := f.approved(in)
		far := f.input(2, 0, 3*time.Hour)
		far.Destinations = []dispatch.Place{place("南边乡镇", homeLat-0.2, homeLng)}
		c := f.approved(far)

		props, err := f.desk.MergeProposals(f.ctx, f.dispatcher)
		if err != nil || len(props) != 1 {
			t.Fatalf("proposals = %+v, %v; want one (a with b)", props, err)
		}
		p := props[0]
		if len(p.RequestIDs) != 2 || p.RequestIDs[0] != a.ID || p.RequestIDs[1] != b.ID || p.Passengers != 5 || p.SavedKm <= 0 || p.Rule != "near" {
			t.Fatalf("proposal = %+v", p)
		}
		_, err = f.desk.MergeRequests(f.ctx, f.dispatcher, dispatch.MergeInput{RequestIDs: []int64{a.ID, c.ID}})
		wantErr(t, err, fleet.EConflict, "")
		m, err := f.desk.MergeRequests(f.ctx, f.dispatcher, dispatch.MergeInput{RequestIDs: p.RequestIDs})
		if err != nil || m.MergeID != a.ID || m.Passengers != 5 {
			t.Fatalf("merge = %+v, %v", m, err)
		}
		// One assignment of either covers both.
		task := f.assign(b.ID, v.ID, d.ID)
		if task.Passengers != 5 || len(task.RequestIDs) != 2 || task.RequestID != a.ID || len(task.Destinations) != 2 {
			t.Fatalf("merged task = %+v", task)
		}
		for _, id := range []int64{a.ID, b.ID} {
			if got := f.get(id); got.Status != dispatch.ReqAssigned || got.Task.ID != task.ID || got.ApprovalID == nil {
				t.Fatalf("request %d = %s", id, got.Status)
			}
		}
		// One applicant cancels: the other still travels, with fewer passengers.
		if _, err := f.desk.CancelRequest(f.ctx, f.staff, a.ID, dispatch.CancelInput{}); err != nil {
			t.Fatal(err)
		}
		task, _ = f.desk.GetTask(f.ctx, f.dispatcher, task.ID)
		if task.Status != dispatch.TaskAssigned || task.Passengers != 3 || task.RequestID != b.ID || len(task.RequestIDs) != 1 {
			t.Fatalf("task after one cancel = %+v", task)
		}
	})
}

// Auto-assignment proposes a pair for every waiting trip, never costlier than greedy, and books
// them with apply.
func TestAutoAssign(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDeskFix(t, db)
		for i := range 4 {
			f.vehicle(fmt.Sprintf("赣K5004%d", i), 5, homeLat+0.01*float64(i), homeLng)
			f.driver(fmt.Sprintf("驾驶员%d", i), "C1")
		}
		var ids []int64
		for i := range 3 {
			in := f.input(2, time.Duration(i)*10*time.Minute, 2*time.Hour)
			in.Origin = place("出发点", homeLat+0.01*float64(i), homeLng+0.001)
			ids = append(ids, f.approved(in).ID)
		}
		win := dispatch.AutoAssignInput{From: f.base.Add(-time.Hour).Format(time.RFC3339), To: f.base.Add(5 * time.Hour).Format(time.RFC3339)}
		res, err := f.desk.AutoAssign(f.ctx, f.dispatcher, win)
		if err != nil || res.Trips != 3 || len(res.Proposals) != 3 || res.Applied {
			t.Fatalf("proposals = %+v, %v", res, err)
		}
		if res.TotalCost > res.GreedyCost+1e-9 {
			t.Fatalf("total %v > greedy %v", res.TotalCost, res.GreedyCost)
		}
		used := map[int64]bool{}
		for _, p := range res.Proposals {
			if used[p.VehicleID] || used[-p.DriverID] {
				t.Fatalf("vehicle or driver proposed twice: %+v", res.Proposals)
			}
			used[p.VehicleID], used[-p.DriverID] = true, true
		}
		for _, id := range ids {
			if f.get(id).Status != dispatch.ReqApproved {
				t.Fatal("a proposal without apply booked something")
			}
		}
		win.Apply = true
		res, err = f.desk.AutoAssign(f.ctx, f.dispatcher, win)
		if err != nil || res.Assigned != 3 || res.Skipped != 0 {
			t.Fatalf("apply = %+v, %v", res, err)
		}
		for _, id := range ids {
			if f.get(id).Status != dispatch.ReqAssigned {
				t.Fatalf("request %d not assigned", id)
			}
		}
		_, err = f.desk.AutoAssign(f.ctx, f.dispatcher, dispatch.AutoAssignInput{From: "now"})
		wantErr(t, err, fleet.EInvalid, "from")
	})
}

// The vehicle's terminal gets the task as a JT/T 808 text (0x8300), queued while it is offline.
func TestAssignTextsTheTerminal(t *testing.T) {
	f := newDeskFix(t, storetest.SQLite(t))
	v := f.vehicle("赣K50050", 5, homeLat, homeLng, func(in *dispatch.VehicleInput) { in.TerminalPhone = "13900050050" })
	d, _ := f.driver("癸", "C1")
	task := f.assign(f.approved(f.input(2, 0, time.Hour)).ID, v.ID, d.ID)
	cmds, err := f.track.Commands(f.ctx, f.dispatcher, v.ID)
	if err != nil || len(cmds) != 1 {
		t.Fatalf("commands = %+v, %v", cmds, err)
	}
	c := cmds[0]
	if c.MsgID != 0x8300 || c.Status != "queued" || !strings.Contains(c.Body, fmt.Sprintf("派车任务#%d", task.ID)) || !strings.Contains(c.Body, "癸") {
		t.Fatalf("command = %+v", c)
	}
}
