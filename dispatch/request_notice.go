package dispatch

import (
	"context"
	"encoding/json"
	"log/slog"

	"fleet/approval"
	"fleet/bus"
)

// Notices of requests and of the fleet records, on TopicTasks beside the task notices.
const (
	// EventRequests: requests changed state. The web hub tells their applicants (whose pages
	// reload them) and the dispatchers (whose queue reloads).
	EventRequests = "requests"
	// EventFleet: vehicles, drivers, the roster or vehicle records changed; every instance's desk
	// reads the fleet again for its next ranking instead of waiting out SnapshotTTL.
	EventFleet = "fleet"
)

// RequestState is what a request notice says of each request: enough to know to reload it.
type RequestState struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
}

// requestsChanged announces, after commit, the current state of the requests to their
// applicants and the dispatchers; best effort, like every notice.
func (d *Desk) requestsChanged(ctx context.Context, ids ...int64) {
	if d.bus == nil || len(ids) == 0 {
		return
	}
	var rows []struct {
		ID          int64
		Status      string
		ApplicantID int64
	}
	err := d.db.WithContext(context.WithoutCancel(ctx)).Table("vehicle_requests").
		Select("id, status, applicant_id").Where("id IN ?", ids).Order("id").Find(&rows).Error
	if err != nil {
		d.opt.Logger.Warn("dispatch: request notice", slog.Any("error", err))
		return
	}
	if len(rows) == 0 {
		return
	}
	n := TaskNotice{Event: EventRequests, Users: []int64{}, Requests: make([]RequestState, len(rows))}
	seen := map[int64]bool{}
	for i, r := range rows {
		n.Requests[i] = RequestState{ID: r.ID, Status: r.Status}
		if !seen[r.ApplicantID] {
			seen[r.ApplicantID] = true
			n.Users = append(n.Users, r.ApplicantID)
		}
	}
	d.publish(ctx, n)
}

// approvalMessage follows this instance's approval notices: a decision on a vehicle request's
// approval (applied by onApproval inside the approval's transaction) is announced once the
// engine has seen it committed, which is when it publishes the notice.
func (d *Desk) approvalMessage(ctx context.Context, m bus.Message) {
	if m.Origin != d.bus.InstanceID() {
		return // the instance that decided announces it
	}
	var n approval.Notice
	if err := json.Unmarshal(m.Data, &n); err != nil || n.Approval.ID == 0 {
		return
	}
	var ids []int64
	err := d.db.WithContext(ctx).Table("vehicle_requests").Where("approval_id = ?", n.Approval.ID).Pluck("id", &ids).Error
	if err != nil {
		d.opt.Logger.Warn("dispatch: requests of an approval", slog.Int64("approval_id", n.Approval.ID), slog.Any("error", err))
		return
	}
	d.requestsChanged(ctx, ids...)
}

// fleetChanged drops the ranking's fleet snapshot here and on the other instances.
func (d *Desk) fleetChanged(ctx context.Context) {
	d.dropSnapshot()
	d.publish(ctx, TaskNotice{Event: EventFleet})
}

func (d *Desk) dropSnapshot() {
	d.snapMu.Lock()
	d.snap = nil
	d.snapMu.Unlock()
}
