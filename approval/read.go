package approval

import (
	"context"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// List states.
const (
	StatePending = "pending" // the caller's inbox: steps waiting for their decision
	StateMine    = "mine"    // requests the caller applied for
	StateDone    = "done"    // instances the caller decided on (approve, reject, return, transfer)
)

// ListFilter narrows List.
type ListFilter struct {
	fleet.Page
	State string // pending (default), mine, done
}

// Counts are the caller's badge numbers.
type Counts struct {
	Pending  int64 `json:"pending"`  // steps waiting for the caller's decision
	Returned int64 `json:"returned"` // the caller's requests returned to them for revision
}

// Get returns an instance with its current step and history; 403 unless the caller may see it.
func (s *Service) Get(ctx context.Context, a *auth.Actor, id int64) (*Instance, error) {
	if err := a.Require(auth.PermApprovalsRead); err != nil {
		return nil, err
	}
	tx := s.db.WithContext(ctx)
	r, err := s.load(tx, id)
	if err != nil {
		return nil, err
	}
	if ok, err := canSee(tx, a, r.row); err != nil {
		return nil, err
	} else if !ok {
		return nil, fleet.Errorf(fleet.EForbidden, "only the applicant, its approvers, admins and auditors see this approval")
	}
	return s.view(tx, a, r)
}

// CanSee reports whether the actor may see the instance: its applicant, anyone who is or was one
// of its approvers, admins and auditors.
func (s *Service) CanSee(ctx context.Context, a *auth.Actor, id int64) (bool, error) {
	if a == nil || !a.Can(auth.PermApprovalsRead) {
		return false, nil
	}
	tx := s.db.WithContext(ctx)
	row, err := findInstance(tx, id)
	if err != nil {
		return false, err
	}
	return canSee(tx, a, row)
}

func canSee(tx *gorm.DB, a *auth.Actor, row *instanceRow) (bool, error) {
	switch {
	case a == nil:
		return false, nil
	case a.Role == auth.RoleAdmin || a.Role == auth.RoleAuditor:
		return true, nil
	case a.UserID != 0 && a.UserID == row.ApplicantID:
		return true, nil
	case a.UserID == 0:
		return false, nil
	}
	return hasTask(tx, row.ID, a.UserID)
}

// List returns the caller's instances in a state, with the total count.
func (s *Service) List(ctx context.Context, a *auth.Actor, f ListFilter) ([]Summary, int64, error) {
	if err := a.Require(auth.PermApprovalsRead); err != nil {
		return nil, 0, err
	}
	switch f.State {
	case "":
		f.State = StatePending
	case StatePending, StateMine, StateDone:
	default:
		return nil, 0, fleet.Invalid(map[string]string{"state": "must be pending, mine or done"})
	}
	f.Page = f.Page.Normalize()
	rows, total, err := s.listSummaries(ctx, f.State, a.UserID, f.Page)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Summary, 0, len(rows))
	tx := s.db.WithContext(ctx)
	for _, r := range rows {
		sum := Summary{ID: r.ID, Definition: r.DefinitionKey, Subject: r.Subject, RefType: r.RefType, RefID: r.RefID,
			Status: r.Status, ApplicantID: r.ApplicantID, Applicant: r.ApplicantName, UnitID: r.UnitID,
			DeadlineAt: utcp(r.DeadlineAt), CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
		if r.Status == StatusPending && r.StepIndex >= 0 {
			idx := r.StepIndex
			sum.StepIndex = &idx
			if d, err := s.definition(tx, r.DefinitionKey, r.DefinitionVersion); err == nil && idx < len(d.Steps) {
				sum.Step = d.Steps[idx].Name
			} else if err != nil {
				return nil, 0, err
			}
		}
		out = append(out, sum)
	}
	return out, total, nil
}

// Counts returns the caller's badge numbers.
func (s *Service) Counts(ctx context.Context, a *auth.Actor) (*Counts, error) {
	if err := a.Require(auth.PermApprovalsRead); err != nil {
		return nil, err
	}
	tx := s.db.WithContext(ctx)
	p, err := pendingCount(tx, a.UserID)
	if err != nil {
		return nil, err
	}
	r, err := returnedCount(tx, a.UserID)
	if err != nil {
		return nil, err
	}
	return &Counts{Pending: p, Returned: r}, nil
}

// view builds the instance as the actor (nil: nobody in particular) sees it.
func (s *Service) view(tx *gorm.DB, a *auth.Actor, r *run) (*Instance, error) {
	row := r.row
	ids := []int64{row.ApplicantID}
	for _, t := range r.tasks {
		ids = append(ids, t.UserID)
	}
	users, err := usersByID(tx, ids)
	if err != nil {
		return nil, err
	}
	hist, err := history(tx, row.ID)
	if err != nil {
		return nil, err
	}
	in := &Instance{ID: row.ID, Definition: row.DefinitionKey, DefinitionVersion: row.DefinitionVersion, Subject: row.Subject,
		RefType: row.RefType, RefID: row.RefID, ApplicantID: row.ApplicantID, Applicant: users[row.ApplicantID].Name,
		UnitID: row.UnitID, Status: row.Status, Fields: r.fields, History: hist, Version: row.Version,
		CreatedAt: row.CreatedAt.UTC(), UpdatedAt: row.UpdatedAt.UTC(), FinishedAt: utcp(row.FinishedAt)}
	if st := r.step(); st != nil {
		step := &Step{Index: row.StepIndex, Name: st.Name, Mode: st.Mode, Approvers: []Approver{}, DeadlineAt: utcp(row.DeadlineAt)}
		if row.StepStartedAt != nil {
			step.StartedAt = row.StepStartedAt.UTC()
		}
		for _, t := range r.tasks {
			step.Approvers = append(step.Approvers, Approver{ID: t.UserID, Name: users[t.UserID].Name, Decision: t.Decision, Source: t.Source})
		}
		in.Step = step
	}
	if a != nil {
		in.CanAct = r.pendingTask(a.UserID) != nil
	}
	return in, nil
}

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
