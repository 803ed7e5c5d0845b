package approval

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/store"
)

func insertInstance(tx *gorm.DB, r *instanceRow) error {
	return dbErr(tx.Create(r).Error, "approval")
}

func findInstance(tx *gorm.DB, id int64) (*instanceRow, error) {
	var r instanceRow
	if err := tx.Take(&r, id).Error; err != nil {
		return nil, dbErr(err, "approval")
	}
	return &r, nil
}

// committedInstance returns what identifies a stored instance and its version, or nil when there
// is none (read outside the transaction that writes it: only a committed row shows).
func committedInstance(db *gorm.DB, id int64) (*instanceRow, error) {
	var got []instanceRow
	err := db.Select("id, version, applicant_id, subject, ref_type, ref_id, created_at").Where("id = ?", id).Find(&got).Error
	if err != nil || len(got) == 0 {
		return nil, err
	}
	return &got[0], nil
}

// claimInstance writes r's state if the stored row still has version old, and reports whether it
// did: the optimistic lock. r.Version must already be old+1.
func claimInstance(tx *gorm.DB, r *instanceRow, old int) (bool, error) {
	res := tx.Model(&instanceRow{}).Where("id = ? AND version = ?", r.ID, old).Updates(map[string]any{
		"status":          r.Status,
		"step_index":      r.StepIndex,
		"round":           r.Round,
		"step_started_at": r.StepStartedAt,
		"deadline_at":     r.DeadlineAt,
		"escalated":       r.Escalated,
		"reminded_at":     r.RemindedAt,
		"decided":         r.Decided,
		"fields":          r.Fields,
		"version":         r.Version,
		"updated_at":      r.UpdatedAt,
		"finished_at":     r.FinishedAt,
	})
	if res.Error != nil {
		return false, dbErr(res.Error, "approval")
	}
	return res.RowsAffected == 1, nil
}

// claimReminder sets the reminder time of the current step unless it was set after since (the
// applicant reminds at most once per hour per step); it reports whether it did.
func claimReminder(tx *gorm.DB, id int64, round int, now, since time.Time) (bool, error) {
	res := tx.Model(&instanceRow{}).
		Where("id = ? AND round = ? AND status = ? AND (reminded_at IS NULL OR reminded_at <= ?)", id, round, StatusPending, since).
		Update("reminded_at", now)
	if res.Error != nil {
		return false, dbErr(res.Error, "approval")
	}
	return res.RowsAffected == 1, nil
}

func insertTasks(tx *gorm.DB, rows []taskRow) error {
	if len(rows) == 0 {
		return nil
	}
	return dbErr(tx.Create(&rows).Error, "")
}

// roundTasks returns the tasks of one step entry, oldest first.
func roundTasks(tx *gorm.DB, id int64, round int) ([]taskRow, error) {
	var rows []taskRow
	err := tx.Where("instance_id = ? AND round = ?", id, round).Order("id").Find(&rows).Error
	return rows, dbErr(err, "")
}

func decideTask(tx *gorm.DB, taskID int64, decision string, now time.Time) error {
	res := tx.Model(&taskRow{}).Where("id = ? AND decision = ''", taskID).
		Updates(map[string]any{"decision": decision, "decided_at": now})
	if res.Error != nil {
		return dbErr(res.Error, "")
	}
	if res.RowsAffected != 1 {
		return fleet.Errorf(fleet.EConflict, "your part of this step was decided meanwhile")
	}
	return nil
}

// hasTask reports whether the user is or was an approver of the instance.
func hasTask(tx *gorm.DB, id, userID int64) (bool, error) {
	var n int64
	err := tx.Model(&taskRow{}).Where("instance_id = ? AND user_id = ?", id, userID).Limit(1).Count(&n).Error
	return n > 0, dbErr(err, "")
}

func insertAction(tx *gorm.DB, r *actionRow) error {
	return dbErr(tx.Create(r).Error, "")
}

// history returns the trail of an instance with the users' names, oldest first.
func history(tx *gorm.DB, id int64) ([]Action, error) {
	var rows []struct {
		ID        int64
		At        time.Time
		UserID    *int64
		Action    string
		Comment   string
		StepIndex *int
		StepName  string
		ToUserID  *int64
		To        string
		UserName  string
	}
	err := tx.Table("approval_actions a").
		Select("a.id, a.at, a.user_id, a.action, a.comment, a.step_index, a.step_name, a.to_user_id, a.`to`, users.name AS user_name").
		Joins("LEFT JOIN users ON users.id = a.user_id").Where("a.instance_id = ?", id).Order("a.id").Scan(&rows).Error
	if err != nil {
		return nil, dbErr(err, "")
	}
	out := make([]Action, len(rows))
	for i, r := range rows {
		name := r.UserName
		if r.UserID == nil {
			name = "system"
		}
		out[i] = Action{ID: r.ID, At: r.At.UTC(), UserID: r.UserID, User: name, Action: r.Action, Comment: r.Comment,
			StepIndex: r.StepIndex, StepName: r.StepName, ToUserID: r.ToUserID, To: r.To}
	}
	return out, nil
}

// Lists.

const summaryColumns = "i.id, i.definition_key, i.definition_version, i.subject, i.ref_type, i.ref_id, i.status, i.step_index, i.applicant_id, " +
	"users.name AS applicant_name, i.unit_id, i.deadline_at, i.created_at, i.updated_at"

type summaryRow struct {
	ID                int64
	DefinitionKey     string
	DefinitionVersion int
	Subject           string
	RefType           string
	RefID             int64
	Status            string
	StepIndex         int
	ApplicantID       int64
	ApplicantName     string
	UnitID            int64
	DeadlineAt        *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// inboxQuery selects the instances whose current step waits for the user's decision.
func inboxQuery(tx *gorm.DB, userID int64) *gorm.DB {
	return tx.Table("approval_instances i").
		Joins("JOIN approval_tasks t ON t.instance_id = i.id AND t.round = i.round").
		Where("t.user_id = ? AND t.decision = '' AND i.status = ?", userID, StatusPending)
}

// listQuery is the query of a list state: pending (the inbox), mine (applied for), done (acted on).
func listQuery(tx *gorm.DB, state string, userID int64) *gorm.DB {
	switch state {
	case StatePending:
		return inboxQuery(tx, userID)
	case StateMine:
		return tx.Table("approval_instances i").Where("i.applicant_id = ?", userID)
	}
	decided := tx.Table("approval_actions").Select("instance_id").
		Where("user_id = ? AND action IN ?", userID, []string{ActApprove, ActReject, ActReturn, ActTransfer})
	return tx.Table("approval_instances i").Where("i.id IN (?)", decided)
}

func (s *Service) listSummaries(ctx context.Context, state string, userID int64, p fleet.Page) ([]summaryRow, int64, error) {
	db := s.db.WithContext(ctx)
	var total int64
	if err := listQuery(db, state, userID).Distinct("i.id").Count(&total).Error; err != nil {
		return nil, 0, dbErr(err, "")
	}
	q := listQuery(db, state, userID).Select(summaryColumns).Joins("JOIN users ON users.id = i.applicant_id")
	if p.Query != "" {
		q = q.Where("i.subject LIKE ? ESCAPE '!'", store.Like(p.Query))
	}
	var rows []summaryRow
	order := "i.updated_at DESC, i.id DESC"
	if state == StatePending {
		order = "i.updated_at, i.id" // oldest waiting first
	}
	err := q.Order(order).Limit(p.Limit).Offset(p.Offset).Scan(&rows).Error
	return rows, total, dbErr(err, "")
}

// pendingCount counts the user's inbox.
func pendingCount(tx *gorm.DB, userID int64) (int64, error) {
	var n int64
	err := inboxQuery(tx, userID).Count(&n).Error
	return n, dbErr(err, "")
}

// returnedCount counts the user's requests returned to them for revision.
func returnedCount(tx *gorm.DB, userID int64) (int64, error) {
	var n int64
	err := tx.Model(&instanceRow{}).Where("applicant_id = ? AND status = ?", userID, StatusReturned).Count(&n).Error
	return n, dbErr(err, "")
}

// overdue returns the ids of pending instances whose current step's deadline passed and was not
// handled yet.
func overdue(tx *gorm.DB, now time.Time, limit int) ([]int64, error) {
	var ids []int64
	err := tx.Model(&instanceRow{}).Where("status = ? AND deadline_at <= ? AND escalated = ?", StatusPending, now, false).
		Order("deadline_at").Limit(limit).Pluck("id", &ids).Error
	return ids, dbErr(err, "")
}
