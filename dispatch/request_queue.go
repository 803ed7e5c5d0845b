package dispatch

import (
	"cmp"
	"context"
	"slices"
	"time"

	"fleet/auth"
)

// Queue is the dispatcher's request queue, in exclusive buckets.
type Queue struct {
	Pending  []Request `json:"pending"`  // submitted, waiting for approval
	Approved []Request `json:"approved"` // to assign: emergencies first, then by departure
	Assigned []Request `json:"assigned"` // assigned or accepted, not yet departed
	Running  []Request `json:"running"`  // departed
	// Late holds the requests whose departure passed without the vehicle departing (assigned or
	// not), or whose return passed without the trip ending; they are in no other bucket.
	Late []Request `json:"late"`
}

// maxQueue bounds the open requests one queue reads.
const maxQueue = 2000

// DispatchQueue returns every open request by bucket, soonest departure first.
func (d *Desk) DispatchQueue(ctx context.Context, a *auth.Actor) (*Queue, error) {
	if err := a.Require(auth.PermDispatchRead); err != nil {
		return nil, err
	}
	tx := d.db.WithContext(ctx)
	var rows []requestRow
	err := tx.Where("status IN ?", []string{ReqSubmitted, ReqApproved, ReqAssigned, ReqAccepted, ReqDeparted}).
		Order("depart_at, id").Limit(maxQueue).Find(&rows).Error
	if err != nil {
		return nil, dispatchErr(err, "request")
	}
	views, err := d.requestViews(ctx, tx, rows)
	if err != nil {
		return nil, err
	}
	now := d.opt.Now()
	q := &Queue{Pending: []Request{}, Approved: []Request{}, Assigned: []Request{}, Running: []Request{}, Late: []Request{}}
	for _, r := range views {
		switch {
		case late(&r, now):
			q.Late = append(q.Late, r)
		case r.Status == ReqSubmitted:
			q.Pending = append(q.Pending, r)
		case r.Status == ReqApproved:
			q.Approved = append(q.Approved, r)
		case r.Status == ReqDeparted:
			q.Running = append(q.Running, r)
		default:
			q.Assigned = append(q.Assigned, r)
		}
	}
	slices.SortStableFunc(q.Approved, func(a, b Request) int {
		return cmp.Compare(priorityRank(a.Priority), priorityRank(b.Priority))
	})
	return q, nil
}

// late reports whether a request should have departed or returned by now.
func late(r *Request, now time.Time) bool {
	switch r.Status {
	case ReqApproved, ReqAssigned, ReqAccepted:
		return now.After(r.DepartAt)
	case ReqDeparted:
		return now.After(r.ReturnAt)
	}
	return false
}

func priorityRank(p string) int {
	if p == PriorityEmergency {
		return 0
	}
	return 1
}
