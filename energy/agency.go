package energy

import (
	"fmt"
	"strings"
	"time"

	"fleet"
)

// Statuses of a saving-type agency (节约型机关) drive.
const (
	AgencyEnrolled  = "enrolled"   // 已申报创建
	AgencyEvaluated = "evaluated"  // every checklist item scored
	AgencyCertified = "certified"  // 已达标
	AgencyNotPassed = "not_passed" // 未达标
)

// Criterion is an item of the evaluation checklist with its full score.
type Criterion struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	MaxScore float64 `json:"max_score"`
	Position int     `json:"position"`
	Source   string  `json:"source"`
}

// Score is an agency's score on one checklist item (null: not scored yet).
type Score struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	MaxScore float64  `json:"max_score"`
	Score    *float64 `json:"score"`
	Note     string   `json:"note"`
}

// Agency is a unit enrolled in the saving-type agency drive.
type Agency struct {
	ID          int64     `json:"id"`
	UnitID      int64     `json:"unit_id"`
	UnitName    string    `json:"unit_name"`
	EnrolledOn  string    `json:"enrolled_on"`
	Status      string    `json:"status"`
	Score       *float64  `json:"score"` // the checklist's total so far
	EvaluatedOn string    `json:"evaluated_on"`
	DecidedOn   string    `json:"decided_on"`
	Note        string    `json:"note"`
	Scores      []Score   `json:"scores"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// AgencyInput enrols a unit; enrolled_on defaults to today.
type AgencyInput struct {
	UnitID     int64  `json:"unit_id"`
	EnrolledOn string `json:"enrolled_on"`
	Note       string `json:"note"`
}

func (in *AgencyInput) validate(today string) error {
	p := fleet.Problems{}
	if in.UnitID <= 0 {
		p.Add("unit_id", "required")
	}
	if strings.TrimSpace(in.EnrolledOn) == "" {
		in.EnrolledOn = today
	}
	checkDate(p, "enrolled_on", &in.EnrolledOn, true)
	in.Note = p.Text("note", in.Note, false, 2000)
	return p.Err()
}

// ScoreInput scores one checklist item.
type ScoreInput struct {
	Code  string  `json:"code"`
	Score float64 `json:"score"`
	Note  string  `json:"note"`
}

// ScoresInput scores an agency on checklist items (the others keep their scores).
type ScoresInput struct {
	EvaluatedOn string       `json:"evaluated_on"` // default today
	Scores      []ScoreInput `json:"scores"`
}

func (in *ScoresInput) validate(today string, criteria map[string]Criterion) error {
	p := fleet.Problems{}
	if strings.TrimSpace(in.EvaluatedOn) == "" {
		in.EvaluatedOn = today
	}
	checkDate(p, "evaluated_on", &in.EvaluatedOn, true)
	if len(in.Scores) == 0 {
		p.Add("scores", "required: [{code, score}]")
	}
	seen := map[string]bool{}
	for i := range in.Scores {
		sc := &in.Scores[i]
		f := fmt.Sprintf("scores[%d]", i)
		c, ok := criteria[sc.Code]
		switch {
		case !ok:
			p.Add(f+".code", "no such checklist item")
		case seen[sc.Code]:
			p.Add(f+".code", "scored twice")
		case sc.Score < 0 || sc.Score > c.MaxScore:
			p.Add(f+".score", fmt.Sprintf("must be from 0 to %g", c.MaxScore))
		}
		seen[sc.Code] = true
		sc.Note = p.Text(f+".note", sc.Note, false, 500)
	}
	return p.Err()
}

// DecisionInput certifies an evaluated agency, records that it did not pass, or reopens it
// (status enrolled) for a new evaluation.
type DecisionInput struct {
	Status    string `json:"status"` // certified, not_passed, enrolled
	DecidedOn string `json:"decided_on"`
	Note      string `json:"note"`
}

func (in *DecisionInput) validate(today string) error {
	p := fleet.Problems{}
	switch in.Status {
	case AgencyCertified, AgencyNotPassed, AgencyEnrolled:
	default:
		p.Add("status", "must be certified, not_passed or enrolled (reopen)")
	}
	if strings.TrimSpace(in.DecidedOn) == "" {
		in.DecidedOn = today
	}
	checkDate(p, "decided_on", &in.DecidedOn, true)
	in.Note = p.Text("note", in.Note, false, 2000)
	return p.Err()
}

// AgencySummary is the county's share of agencies certified against the plan's target.
type AgencySummary struct {
	Agencies  int          `json:"agencies"` // agencies at county level and above (the denominator)
	Enrolled  int          `json:"enrolled"` // enrolled, in any status
	Evaluated int          `json:"evaluated"`
	Certified int          `json:"certified"`
	Share     float64      `json:"share"` // certified ÷ agencies
	Year      int          `json:"year"`
	Target    AgencyTarget `json:"target"` // the share due by the end of Target.Year
	Met       bool         `json:"met"`
	PassScore float64      `json:"pass_score"`
}

// checkDate trims a YYYY-MM-DD date in place and records its problem.
func checkDate(p fleet.Problems, field string, s *string, required bool) {
	*s = strings.TrimSpace(*s)
	if *s == "" {
		if required {
			p.Add(field, "required: a date as YYYY-MM-DD")
		}
		return
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil || t.Year() < 2000 || t.Year() > 2100 {
		p.Add(field, "must be a date as YYYY-MM-DD")
	}
}
