package dispatch

import (
	"context"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Candidate list sizes.
const (
	defaultCandidates = 10
	maxCandidates     = 50
)

// Candidates ranks the feasible (vehicle, driver) pairs of a request (with the requests merged
// with it), best first, at most limit (default 10, at most 50). An approved request waiting in
// the queue gets candidates for its assignment, an assigned one (not departed) for its
// reassignment; any other, 409.
func (d *Desk) Candidates(ctx context.Context, a *auth.Actor, requestID int64, limit int) (*CandidateList, error) {
	if err := a.Require(auth.PermDispatchRead); err != nil {
		return nil, err
	}
	switch {
	case limit == 0:
		limit = defaultCandidates
	case limit < 0 || limit > maxCandidates:
		return nil, fleet.Invalid(map[string]string{"limit": "between 1 and 50"})
	}
	tx := d.db.WithContext(ctx)
	rows, except, err := tripForRanking(tx, requestID)
	if err != nil {
		return nil, err
	}
	set := d.currentSettings()
	rk, err := d.ranker(ctx, demandOf(rows, set, except), set)
	if err != nil {
		return nil, err
	}
	list := rk.rank(limit)
	return &list, nil
}

// tripForRanking reads the requests of the request's trip and the task a reassignment would
// replace; 409 when the trip is neither waiting nor assigned.
func tripForRanking(tx *gorm.DB, requestID int64) ([]requestRow, int64, error) {
	r, err := getRequestRow(tx, requestID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := requestRowsWhere(tx, "id = ? OR merge_id = ?", r.lead(), r.lead())
	if err != nil {
		return nil, 0, err
	}
	var except int64
	switch {
	case r.Status == ReqApproved && r.TaskID == nil:
	case (r.Status == ReqAssigned || r.Status == ReqAccepted) && r.TaskID != nil:
		except = *r.TaskID
	default:
		return nil, 0, fleet.Errorf(fleet.EConflict, "request %d is %s: only an approved or assigned request has candidates", r.ID, r.Status)
	}
	return rows, except, nil
}

// ranker gathers the state a ranking reads: the fleet snapshot, who is on duty over the
// window (from the snapshot's roster; the assignment checks OnDuty on the stored rows), this
// month's load, the board and the positions.
func (d *Desk) ranker(ctx context.Context, dm demand, set Settings) (*ranker, error) {
	snap, err := d.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	duty, ok := snap.onDuty(dm.from, dm.to)
	if !ok { // beyond the roster the snapshot holds
		if duty, err = d.fleet.DutyDrivers(ctx, dm.from, dm.to); err != nil {
			return nil, err
		}
	}
	load, err := d.monthLoad(ctx)
	if err != nil {
		return nil, err
	}
	return &ranker{d: dm, set: set, now: d.opt.Now().UTC(), loc: d.opt.Location, snap: snap, duty: duty, load: load,
		board: d.board, live: d.live, parked: d.parked, isReported: d.isReported}, nil
}

// isReported reports whether the vehicle has reported a live position.
func (d *Desk) isReported(id int64) bool {
	d.posMu.Lock()
	defer d.posMu.Unlock()
	_, ok := d.reported[id]
	return ok
}
