package dispatch

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// MergeProposals lists groups of approved, unassigned, unmerged requests departing within the
// next week that could travel together, most km saved first.
func (d *Desk) MergeProposals(ctx context.Context, a *auth.Actor) ([]MergeProposal, error) {
	if err := a.Require(auth.PermDispatchRead); err != nil {
		return nil, err
	}
	now := d.now()
	tx := d.db.WithContext(ctx)
	rows, err := requestRowsWhere(tx, "status = ? AND task_id IS NULL AND merge_id IS NULL AND return_at > ? AND depart_at < ?",
		ReqApproved, now, now.Add(7*24*time.Hour))
	if err != nil {
		return nil, err
	}
	snap, err := d.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	set := d.currentSettings()
	return proposeMerges(rows, set, func(class string) int { return largestSeats(snap, class, now) }), nil
}

// largestSeats returns the most passengers a usable vehicle of the class ("" any) takes.
func largestSeats(snap *fleetSnapshot, class string, now time.Time) int {
	most := 0
	for _, v := range snap.vehicles {
		if ok, _ := Usable(v, now, now.Add(time.Hour)); ok && (class == "" || v.Class == class) {
			most = max(most, v.Seats)
		}
	}
	return most
}

// MergeRequests links approved, unassigned requests into one trip: they must be pairwise
// mergeable and fit the fleet's largest usable vehicle. 409 when one of them is no longer
// waiting in the queue.
func (d *Desk) MergeRequests(ctx context.Context, a *auth.Actor, in MergeInput) (*Merge, error) {
	if err := a.Require(auth.PermDispatch); err != nil {
		return nil, err
	}
	ids := slices.Clone(in.RequestIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) < 2 || len(ids) > maxMergeGroup || ids[0] <= 0 {
		return nil, fleet.Invalid(map[string]string{"request_ids": fmt.Sprintf("2 to %d distinct request ids", maxMergeGroup)})
	}
	snap, err := d.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	set := d.currentSettings()
	now := d.now()
	out := &Merge{MergeID: ids[0], RequestIDs: ids}
	err = d.lockedTx(ctx, func(tx *gorm.DB) error {
		var rows []requestRow
		if err := forUpdate(tx).Where("id IN ?", ids).Order("id").Find(&rows).Error; err != nil {
			return dispatchErr(err, "request")
		}
		if len(rows) != len(ids) {
			return fleet.Invalid(map[string]string{"request_ids": "no such request"})
		}
		class, n := "", 0
		for i := range rows {
			r := &rows[i]
			if r.Status != ReqApproved || r.TaskID != nil || r.MergeID != nil {
				return fleet.Errorf(fleet.EConflict, "request %d is not an unmerged request waiting in the queue", r.ID)
			}
			for j := 0; j < i; j++ {
				if ok, _ := mergeable(&rows[j], r, set.DetourFactor); !ok {
					return fleet.Errorf(fleet.EConflict, "requests %d and %d do not share their time and way", rows[j].ID, r.ID)
				}
			}
			n += r.Passengers
			if r.VehicleClass != "" {
				class = r.VehicleClass
			}
		}
		if seats := largestSeats(snap, class, now); n+set.SeatReserve > seats {
			return fleet.Errorf(fleet.EConflict, "%d passengers do not fit the largest vehicle (%d seats)", n, seats)
		}
		out.Passengers = n
		return setRequests(tx, ids, map[string]any{"merge_id": ids[0], "updated_at": now})
	})
	if err != nil {
		return nil, err
	}
	d.record(ctx, a, "request_merge", requestTarget(ids[0]), fmt.Sprint(ids))
	d.requestsChanged(ctx, ids...)
	return out, nil
}

// Unmerge splits a merged trip that has no task yet; id is any of its requests.
func (d *Desk) Unmerge(ctx context.Context, a *auth.Actor, id int64) error {
	if err := a.Require(auth.PermDispatch); err != nil {
		return err
	}
	now := d.now()
	err := d.lockedTx(ctx, func(tx *gorm.DB) error {
		rows, err := lockTripOf(tx, id)
		if err != nil {
			return err
		}
		if len(rows) < 2 {
			return fleet.Errorf(fleet.EConflict, "request %d is not merged", id)
		}
		for _, r := range rows {
			if r.TaskID != nil {
				return fleet.Errorf(fleet.EConflict, "the merged trip has a task: cancel it first")
			}
		}
		return setRequests(tx, requestIDs(rows), map[string]any{"merge_id": nil, "updated_at": now})
	})
	if err != nil {
		return err
	}
	d.record(ctx, a, "request_unmerge", requestTarget(id), "")
	d.requestsChanged(ctx, id)
	return nil
}

// detach takes request r off its merged trip (rows, locked, r among them): the others keep
// travelling together under the lowest remaining id, the trip's task (if any) carries fewer
// passengers. It returns the tasks changed.
func detach(tx *gorm.DB, rows []requestRow, r *requestRow, now time.Time) ([]int64, error) {
	var rest []int64
	for _, x := range rows {
		if x.ID != r.ID {
			rest = append(rest, x.ID)
		}
	}
	var lead any = rest[0]
	if len(rest) == 1 {
		lead = nil
	}
	if err := setRequests(tx, rest, map[string]any{"merge_id": lead, "updated_at": now}); err != nil {
		return nil, err
	}
	if r.TaskID == nil {
		return nil, nil
	}
	err := tx.Model(&taskRow{}).Where("id = ?", *r.TaskID).Updates(map[string]any{"request_id": rest[0],
		"passengers": gorm.Expr("passengers - ?", r.Passengers), "updated_at": now}).Error
	if err != nil {
		return nil, dispatchErr(err, "task")
	}
	return []int64{*r.TaskID}, nil
}
