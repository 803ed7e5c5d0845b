package main

import (
	"testing"

	"fleet/store"
)

// dbChaosStored is one vehicle request as stored, with its approval and its dispatch tasks.
type dbChaosStored struct {
	Status         string
	ApprovalID     *int64
	ApprovalStatus string
	TaskID         *int64
	InstStatus     *string // of the approval instance the request names
	InstRef        *int64  // the request that instance belongs to
	InstFinished   bool
	Decided        int64 // the step's tasks decided approve, with a time
	Approvals      int64 // approve actions in the instance's trail
	Tasks          int64 // dispatch tasks of the request
	OwnTask        int64 // of them: the one the request names, open, with the vehicle and driver asked
}

const dbChaosStoredQuery = `SELECT r.status, r.approval_id, r.approval_status, r.task_id,
	i.status AS inst_status, i.ref_id AS inst_ref, i.finished_at IS NOT NULL AS inst_finished,
	(SELECT COUNT(*) FROM approval_tasks k WHERE k.instance_id = r.approval_id AND k.decision = 'approve' AND k.decided_at IS NOT NULL) AS decided,
	(SELECT COUNT(*) FROM approval_actions a WHERE a.instance_id = r.approval_id AND a.action = 'approve') AS approvals,
	(SELECT COUNT(*) FROM dispatch_tasks d WHERE d.request_id = r.id) AS tasks,
	(SELECT COUNT(*) FROM dispatch_tasks d WHERE d.id = r.task_id AND d.request_id = r.id AND d.status = 'assigned'
		AND d.vehicle_id = ? AND d.driver_id = ?) AS own_task
	FROM vehicle_requests r LEFT JOIN approval_instances i ON i.id = r.approval_id WHERE r.id = ?`

// check reads every request from the database and fails on any that is half-applied, or that
// lost an action answered 200. It returns how many are approved (or further) and assigned.
func (w *dbChaosWorkflow) check(t *testing.T, db *store.DB) (approved, assigned int) {
	t.Helper()
	for _, r := range w.reqs {
		var s dbChaosStored
		if err := db.Raw(dbChaosStoredQuery, r.vehicleID, r.driverID, r.id).Scan(&s).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range dbChaosProblems(r, &s) {
			t.Errorf("request %d (%s, approval %s, %d tasks): %s", r.id, s.Status, s.ApprovalStatus, s.Tasks, p)
		}
		if s.InstStatus != nil && *s.InstStatus == "approved" {
			approved++
		}
		if s.Status == "assigned" {
			assigned++
		}
	}
	return approved, assigned
}

// dbChaosProblems lists what of the stored request s disagrees with itself or with the acks r got.
func dbChaosProblems(r *dbChaosRequest, s *dbChaosStored) []string {
	var p []string
	bad := func(cond bool, what string) {
		if cond {
			p = append(p, what)
		}
	}
	if s.ApprovalID == nil || *s.ApprovalID != r.approvalID || s.InstStatus == nil || s.InstRef == nil || *s.InstRef != r.id {
		return []string{"its approval instance is missing or belongs to another request"}
	}
	inst := *s.InstStatus
	bad(s.ApprovalStatus != inst, "the request says its approval is "+s.ApprovalStatus+", the instance says "+inst)
	switch inst {
	case "pending":
		bad(s.Status != "submitted", "approval pending but the request is not submitted")
		bad(s.Decided != 0 || s.Approvals != 0 || s.InstFinished, "approval pending but a decision or a finish is stored")
	case "approved":
		bad(s.Status != "approved" && s.Status != "assigned", "approval approved but the request did not move to the queue")
		bad(s.Decided != 1 || s.Approvals != 1 || !s.InstFinished, "approved without exactly one recorded decision and a finish")
	default:
		p = append(p, "approval in an unexpected state "+inst)
	}
	if s.Status == "assigned" {
		bad(s.TaskID == nil || s.Tasks != 1 || s.OwnTask != 1, "assigned but not to exactly one open task with the vehicle and driver asked")
	} else {
		bad(s.TaskID != nil || s.Tasks != 0, "not assigned but a dispatch task exists")
	}
	bad(r.approveAcked && inst != "approved", "the approval answered 200 is lost")
	bad(r.assignAcked && (s.Status != "assigned" || s.TaskID == nil || *s.TaskID != r.taskID), "the assignment answered 200 is lost")
	return p
}
