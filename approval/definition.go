package approval

import (
	"fmt"
	"regexp"
	"time"

	"fleet"
	"fleet/auth"
)

// Definition is one version of a process: a sequence of steps. Editing a definition stores a new
// version; an instance keeps the version it started with.
type Definition struct {
	Key       string    `json:"key"`
	Name      string    `json:"name"`
	Version   int       `json:"version"` // set by the server
	Steps     []StepDef `json:"steps"`
	CreatedAt time.Time `json:"created_at"` // of this version; set by the server
	CreatedBy *int64    `json:"created_by"` // set by the server
}

// StepDef is one step of a definition.
type StepDef struct {
	Name      string       `json:"name"`
	Approvers ApproverSpec `json:"approvers"`
	Mode      string       `json:"mode"` // any (或签), all (会签), majority
	// Condition decides from the request's fields whether the step applies ("" always); see
	// ParseCondition.
	Condition     string `json:"condition"`
	DeadlineHours int    `json:"deadline_hours"` // 0: none; when it passes, a reminder and escalation
	// FallbackUserID approves when no one else is eligible, and takes over when the deadline passes.
	FallbackUserID int64 `json:"fallback_user_id"`
}

// ApproverSpec says who approves a step.
type ApproverSpec struct {
	Type   string `json:"type"`              // user, role, unit_head, group
	UserID int64  `json:"user_id,omitempty"` // type user
	Role   string `json:"role,omitempty"`    // type role: every enabled user of the role
	Group  string `json:"group,omitempty"`   // type group: the group's key
}

// Approver types.
const (
	ApproverUser     = "user"
	ApproverRole     = "role"
	ApproverUnitHead = "unit_head" // the leader users of the applicant's unit
	ApproverGroup    = "group"
)

// Modes of a step.
const (
	ModeAny      = "any"      // one approval decides (或签)
	ModeAll      = "all"      // every approver approves (会签)
	ModeMajority = "majority" // more than half approve
)

// Bounds of a definition.
const (
	maxSteps         = 20
	maxDeadlineHours = 24 * 90
)

var keyRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,63}$`)

// validate trims the definition and names its problems by JSON path ("steps[1].approvers.role").
// It also returns the user ids and group keys it refers to, which the caller checks exist.
func (d *Definition) validate() (users []int64, groups []string, err error) {
	p := fleet.Problems{}
	d.Name = p.Text("name", d.Name, true, 100)
	if !keyRE.MatchString(d.Key) {
		p.Add("key", "2 to 64 lower-case letters, digits or _, starting with a letter")
	}
	if len(d.Steps) == 0 {
		p.Add("steps", "at least one step")
	}
	if len(d.Steps) > maxSteps {
		p.Add("steps", fmt.Sprintf("at most %d steps", maxSteps))
	}
	for i := range d.Steps {
		st := &d.Steps[i]
		at := fmt.Sprintf("steps[%d].", i)
		st.Name = p.Text(at+"name", st.Name, true, 100)
		ap := &st.Approvers
		switch ap.Type {
		case ApproverUser:
			if ap.UserID <= 0 {
				p.Add(at+"approvers.user_id", "required for type user")
			} else {
				users = append(users, ap.UserID)
			}
		case ApproverRole:
			if !auth.ValidRole(ap.Role) {
				p.Add(at+"approvers.role", "unknown role")
			}
		case ApproverGroup:
			if !keyRE.MatchString(ap.Group) {
				p.Add(at+"approvers.group", "required for type group: a group's key")
			} else {
				groups = append(groups, ap.Group)
			}
		case ApproverUnitHead:
		case "":
			p.Add(at+"approvers.type", "required: user, role, unit_head or group")
		default:
			p.Add(at+"approvers.type", "must be user, role, unit_head or group")
		}
		if ap.UserID != 0 && ap.Type != ApproverUser {
			p.Add(at+"approvers.user_id", "only with type user")
		}
		if ap.Role != "" && ap.Type != ApproverRole {
			p.Add(at+"approvers.role", "only with type role")
		}
		if ap.Group != "" && ap.Type != ApproverGroup {
			p.Add(at+"approvers.group", "only with type group")
		}
		switch st.Mode {
		case ModeAny, ModeAll, ModeMajority:
		case "":
			p.Add(at+"mode", "required: any, all or majority")
		default:
			p.Add(at+"mode", "must be any, all or majority")
		}
		if len(st.Condition) > MaxConditionLen {
			p.Add(at+"condition", fmt.Sprintf("longer than %d bytes", MaxConditionLen))
		} else if _, err := ParseCondition(st.Condition); err != nil {
			p.Add(at+"condition", err.Error())
		}
		if st.DeadlineHours < 0 || st.DeadlineHours > maxDeadlineHours {
			p.Add(at+"deadline_hours", fmt.Sprintf("must be from 0 (none) to %d", maxDeadlineHours))
		}
		if st.FallbackUserID < 0 {
			p.Add(at+"fallback_user_id", "must be a user id, or 0 for none")
		} else if st.FallbackUserID > 0 {
			users = append(users, st.FallbackUserID)
		}
	}
	return users, groups, p.Err()
}

// plan reports which steps apply to fields, in order.
func (d *Definition) plan(fields map[string]any) ([]bool, error) {
	out := make([]bool, len(d.Steps))
	for i, st := range d.Steps {
		c, err := ParseCondition(st.Condition)
		if err != nil {
			return nil, fmt.Errorf("step %d (%s): %w", i+1, st.Name, err)
		}
		ok, err := c.Eval(fields)
		if err != nil {
			return nil, fleet.Invalid(map[string]string{"fields": fmt.Sprintf("step %d (%s) condition: %v", i+1, st.Name, err)})
		}
		out[i] = ok
	}
	return out, nil
}

// nextStep returns the first applicable step after index from, or -1.
func nextStep(plan []bool, from int) int {
	for i := from + 1; i < len(plan); i++ {
		if plan[i] {
			return i
		}
	}
	return -1
}

// prevStep returns the last applicable step before index from, or -1.
func prevStep(plan []bool, from int) int {
	for i := from - 1; i >= 0 && i < len(plan); i-- {
		if plan[i] {
			return i
		}
	}
	return -1
}
