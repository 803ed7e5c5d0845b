package approval

import (
	"context"
	"strings"

	"fleet"
	"fleet/auth"
)

// maxCandidates bounds the transfer picker's list.
const maxCandidates = 50

// Candidates lists the users an approver of the current step may transfer their part to: enabled
// users whose role may approve, other than the applicant, the caller and the step's waiting
// approvers, matching query (name or username) when given.
func (s *Service) Candidates(ctx context.Context, a *auth.Actor, id int64, query string) ([]Member, error) {
	if err := a.Require(auth.PermApprovalsAct); err != nil {
		return nil, err
	}
	tx := s.db.WithContext(ctx)
	r, err := s.load(tx, id)
	if err != nil {
		return nil, err
	}
	if r.pendingTask(a.UserID) == nil {
		return nil, fleet.Errorf(fleet.EForbidden, "only a waiting approver of the current step transfers it")
	}
	skip := append([]int64{r.row.ApplicantID, a.UserID}, r.waiting()...)
	var roles []string
	for _, role := range auth.Roles {
		if auth.Can(role, auth.PermApprovalsAct) {
			roles = append(roles, role)
		}
	}
	return candidateUsers(tx, roles, skip, strings.TrimSpace(query), maxCandidates)
}
