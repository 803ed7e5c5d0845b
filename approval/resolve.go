package approval

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// resolve returns who approves step idx for the applicant, and the source of their tasks: the
// step's approvers less the applicant and disabled users, or else the fallback user. No one at
// all is a conflict that names the step.
func resolve(tx *gorm.DB, def *Definition, idx int, applicantID, unitID int64) ([]int64, string, error) {
	st := def.Steps[idx]
	var (
		users []userInfo
		err   error
		why   string
	)
	switch st.Approvers.Type {
	case ApproverUser:
		var m map[int64]userInfo
		if m, err = usersByID(tx, []int64{st.Approvers.UserID}); err == nil {
			if u, ok := m[st.Approvers.UserID]; ok && !u.Disabled {
				users = []userInfo{u}
			}
		}
		why = fmt.Sprintf("its approver (user %d) is disabled, missing or the applicant", st.Approvers.UserID)
	case ApproverRole:
		users, err = enabledUsers(tx, st.Approvers.Role, 0)
		why = fmt.Sprintf("no enabled user besides the applicant has role %s", st.Approvers.Role)
	case ApproverUnitHead:
		users, err = enabledUsers(tx, auth.RoleLeader, unitID)
		why = "the applicant's unit has no leader (besides the applicant)"
	case ApproverGroup:
		users, err = enabledGroupMembers(tx, st.Approvers.Group)
		why = fmt.Sprintf("group %s has no enabled member besides the applicant", st.Approvers.Group)
	default:
		return nil, "", fmt.Errorf("approval: step %d of %s: approver type %q", idx, def.Key, st.Approvers.Type)
	}
	if err != nil {
		return nil, "", err
	}
	var ids []int64
	for _, u := range users {
		if u.ID != applicantID {
			ids = append(ids, u.ID)
		}
	}
	if len(ids) > 0 {
		return ids, srcRule, nil
	}
	if fb, ok, err := fallbackUser(tx, st, applicantID); err != nil {
		return nil, "", err
	} else if ok {
		return []int64{fb}, srcFallback, nil
	}
	return nil, "", fleet.Errorf(fleet.EConflict, "step %d (%s) has no approver: %s, and the step has no usable fallback approver; ask the admin to fix definition %s",
		idx+1, st.Name, why, def.Key)
}

// fallbackUser returns the step's fallback user when set, enabled and not the applicant.
func fallbackUser(tx *gorm.DB, st StepDef, applicantID int64) (int64, bool, error) {
	if st.FallbackUserID <= 0 || st.FallbackUserID == applicantID {
		return 0, false, nil
	}
	m, err := usersByID(tx, []int64{st.FallbackUserID})
	if err != nil {
		return 0, false, err
	}
	u, ok := m[st.FallbackUserID]
	return u.ID, ok && !u.Disabled, nil
}

// checkPlan resolves every step that applies, so that a request never starts on a path that
// would stall for want of an approver.
func checkPlan(tx *gorm.DB, def *Definition, plan []bool, applicantID, unitID int64) error {
	var problems []string
	for i, ok := range plan {
		if !ok {
			continue
		}
		if _, _, err := resolve(tx, def, i, applicantID, unitID); err != nil {
			if fleet.ErrorCode(err) != fleet.EConflict {
				return err
			}
			problems = append(problems, fleet.ErrorMessage(err))
		}
	}
	if len(problems) > 0 {
		return fleet.Errorf(fleet.EConflict, "%s", strings.Join(problems, "; "))
	}
	return nil
}
