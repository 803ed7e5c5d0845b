package approval

import (
	"fmt"
	"time"

	"fleet"
)

// Instance is one request going through a definition's steps.
type Instance struct {
	ID                int64          `json:"id"`
	Definition        string         `json:"definition"`
	DefinitionVersion int            `json:"definition_version"`
	Subject           string         `json:"subject"`
	RefType           string         `json:"ref_type"`
	RefID             int64          `json:"ref_id"`
	ApplicantID       int64          `json:"applicant_id"`
	Applicant         string         `json:"applicant"` // the applicant's name
	UnitID            int64          `json:"unit_id"`
	Status            string         `json:"status"` // pending|approved|rejected|returned|withdrawn
	Step              *Step          `json:"step"`   // the current step; null unless pending
	Fields            map[string]any `json:"fields"`
	History           []Action       `json:"history"` // oldest first
	CanAct            bool           `json:"can_act"` // the caller may decide on the current step
	Version           int            `json:"version"` // optimistic lock: every state change adds one
	CreatedAt         time.Time      `json:"created_at"`
	UpdatedAt         time.Time      `json:"updated_at"`
	FinishedAt        *time.Time     `json:"finished_at"`
}

// Step is the current step of a pending instance.
type Step struct {
	Index      int        `json:"index"` // 0-based index into the definition's steps
	Name       string     `json:"name"`
	Mode       string     `json:"mode"` // any|all|majority
	Approvers  []Approver `json:"approvers"`
	StartedAt  time.Time  `json:"started_at"`
	DeadlineAt *time.Time `json:"deadline_at"`
}

// Approver is one user who may decide a step, with their decision so far.
type Approver struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Decision string `json:"decision"` // "" (not yet), approve, reject, return, transferred
	Source   string `json:"source"`   // rule, fallback (no one else was eligible), transfer, escalate
}

// Action is one line of the append-only trail.
type Action struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	UserID    *int64    `json:"user_id"` // null for the system (deadline sweep)
	User      string    `json:"user"`
	Action    string    `json:"action"` // submit, resubmit, approve, reject, return, withdraw, transfer, comment, remind, escalate
	Comment   string    `json:"comment"`
	StepIndex *int      `json:"step_index"` // null when no step was current
	StepName  string    `json:"step_name"`
	ToUserID  *int64    `json:"to_user_id"` // transfer, escalate
	To        string    `json:"to,omitempty"`
}

// Actions a user may take (ActionInput.Action), and the system's own trail entries.
const (
	ActSubmit   = "submit"
	ActResubmit = "resubmit"
	ActApprove  = "approve"
	ActReject   = "reject"
	ActReturn   = "return"
	ActWithdraw = "withdraw"
	ActTransfer = "transfer"
	ActComment  = "comment"
	ActRemind   = "remind"
	ActEscalate = "escalate"
)

// ActionInput is what POST /api/approvals/{id}/actions takes.
type ActionInput struct {
	Action   string `json:"action"`
	Comment  string `json:"comment"`
	ToUserID int64  `json:"to_user_id"` // transfer: who takes over the caller's part
	To       string `json:"to"`         // return: "applicant" (default) or "previous" (one step back)
}

// Return targets.
const (
	ToApplicant = "applicant"
	ToPrevious  = "previous"
)

// maxComment is the longest comment, in characters.
const maxComment = 1000

// validate trims the input and names its problems.
func (in *ActionInput) validate() error {
	p := fleet.Problems{}
	in.Comment = p.Text("comment", in.Comment, in.Action == ActComment, maxComment)
	switch in.Action {
	case ActApprove, ActReject, ActWithdraw, ActComment, ActRemind:
	case ActReturn:
		if in.To == "" {
			in.To = ToApplicant
		}
		if in.To != ToApplicant && in.To != ToPrevious {
			p.Add("to", "must be applicant or previous")
		}
	case ActTransfer:
		if in.ToUserID <= 0 {
			p.Add("to_user_id", "required: the user who takes over")
		}
	case "":
		p.Add("action", "required")
	default:
		p.Add("action", "must be one of approve, reject, return, withdraw, transfer, comment, remind")
	}
	if in.Action != ActReturn && in.To != "" {
		p.Add("to", "only with return")
	}
	if in.Action != ActTransfer && in.ToUserID != 0 {
		p.Add("to_user_id", "only with transfer")
	}
	return p.Err()
}

// SubmitInput starts an instance.
type SubmitInput struct {
	Definition string         // key: "procurement", "vehicle_use", ...
	Subject    string         // shown in inboxes, e.g. "更新购置 赣K12345 (¥168,000)"
	RefType    string         // owning record type: "procurement", "vehicle_request"
	RefID      int64          // owning record id
	Fields     map[string]any // values the definition's conditions read: amount, kind, ...
}

// Limits of a submission's fields.
const (
	maxFields     = 50
	maxFieldsJSON = 16 << 10
)

func (in *SubmitInput) validate() error {
	p := fleet.Problems{}
	in.Definition = p.Text("definition", in.Definition, true, 64)
	in.Subject = p.Text("subject", in.Subject, true, 200)
	in.RefType = p.Text("ref_type", in.RefType, true, 32)
	if in.RefID < 0 {
		p.Add("ref_id", "must not be negative")
	}
	checkFields(p, in.Fields)
	return p.Err()
}

// checkFields bounds the fields map: how many, and each a number, a string or true/false.
func checkFields(p fleet.Problems, fields map[string]any) {
	if len(fields) > maxFields {
		p.Add("fields", fmt.Sprintf("at most %d fields", maxFields))
		return
	}
	for k, v := range fields {
		if !identRE.MatchString(k) {
			p.Add("fields", fmt.Sprintf("field name %q: letters, digits and _ only", k))
			continue
		}
		if _, err := valueOf(v); err != nil {
			p.Add("fields."+k, err.Error())
		}
	}
}

// Summary is an instance as inboxes and notices show it.
type Summary struct {
	ID          int64      `json:"id"`
	Definition  string     `json:"definition"`
	Subject     string     `json:"subject"`
	RefType     string     `json:"ref_type"`
	RefID       int64      `json:"ref_id"`
	Status      string     `json:"status"`
	Step        string     `json:"step"`       // the current step's name; "" unless pending
	StepIndex   *int       `json:"step_index"` // null unless pending
	ApplicantID int64      `json:"applicant_id"`
	Applicant   string     `json:"applicant"`
	UnitID      int64      `json:"unit_id"`
	DeadlineAt  *time.Time `json:"deadline_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}
