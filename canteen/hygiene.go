package canteen

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Kitchen hygiene checks: the kitchen is cleaned and checked every week against a checklist;
// a week without a check is overdue.

// HygieneIntervalDays is how often the kitchen is checked.
const HygieneIntervalDays = 7

// HygieneChecklist is the checklist offered for a new check.
var HygieneChecklist = []string{
	"加工操作区地面、墙面、台面清洁，无油污积水",
	"排水沟、隔油池已清理，无异味",
	"排烟罩、油烟管道已清洗",
	"冷藏冷冻设备已除霜清洁，温度正常（冷藏0–8℃）",
	"餐用具清洗消毒，保洁柜清洁",
	"防鼠、防蝇、防虫设施完好，无虫害痕迹",
	"垃圾桶加盖，餐厨垃圾及时清运",
	"留样冰箱专用、上锁，留样记录完整",
	"从业人员健康证有效，工作衣帽整洁",
}

// Results of a hygiene check.
const (
	HygienePass   = "pass"
	HygieneIssues = "issues"
)

// HygieneCheck is one recorded check.
type HygieneCheck struct {
	ID        int64       `json:"id"`
	CheckedOn string      `json:"checked_on"`
	Inspector string      `json:"inspector"`
	Items     []CheckItem `json:"items"`
	Result    string      `json:"result"`
	Failed    int         `json:"failed"`
	Note      string      `json:"note"`
	CreatedAt time.Time   `json:"created_at"`
}

// HygieneInput records a check; every line answered, a failed one with a note.
type HygieneInput struct {
	CheckedOn string      `json:"checked_on"`
	Inspector string      `json:"inspector"`
	Items     []CheckItem `json:"items"`
	Note      string      `json:"note"`
}

// HygieneStatus says when the kitchen was last checked and when the next check is due.
type HygieneStatus struct {
	LastOn  string `json:"last_on"` // "" when never
	DueOn   string `json:"due_on"`
	Overdue bool   `json:"overdue"`
}

// RecordHygieneCheck records a kitchen hygiene check.
func (s *Service) RecordHygieneCheck(ctx context.Context, a *auth.Actor, in HygieneInput) (*HygieneCheck, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	p := fleet.Problems{}
	if d := checkDate(p, "checked_on", &in.CheckedOn, true); !d.IsZero() && in.CheckedOn > s.today(now) {
		p.Add("checked_on", "must not be in the future")
	}
	in.Inspector = p.Text("inspector", in.Inspector, true, 100)
	in.Note = p.Text("note", in.Note, false, 1000)
	checkItems(p, in.Items)
	result := HygienePass
	for i, it := range in.Items {
		if !it.OK {
			result = HygieneIssues
			if it.Note == "" {
				p.Add(fmt.Sprintf("items[%d].note", i), "required: what was wrong and what was done")
			}
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	items, _ := json.Marshal(in.Items)
	row := &hygieneRow{CheckedOn: in.CheckedOn, Inspector: in.Inspector, Items: string(items), Result: result, Note: in.Note,
		RecordedBy: ptr(a.UserID), CreatedAt: now}
	if err := insert(s.read(ctx), row); err != nil {
		return nil, err
	}
	out := row.view()
	return &out, nil
}

// ListHygieneChecks returns the checks, newest first.
func (s *Service) ListHygieneChecks(ctx context.Context, a *auth.Actor, q fleet.Page) ([]HygieneCheck, int64, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, 0, err
	}
	rows, total, err := listHygiene(s.read(ctx), q.Normalize())
	if err != nil {
		return nil, 0, err
	}
	out := make([]HygieneCheck, len(rows))
	for i := range rows {
		out[i] = rows[i].view()
	}
	return out, total, nil
}

// hygieneStatus is the state of the weekly check on today.
func hygieneStatus(db *gorm.DB, today string) (HygieneStatus, error) {
	last, err := lastHygiene(db)
	if err != nil {
		return HygieneStatus{}, err
	}
	if last == "" {
		return HygieneStatus{DueOn: today, Overdue: true}, nil
	}
	due := addDays(last, HygieneIntervalDays)
	return HygieneStatus{LastOn: last, DueOn: due, Overdue: today > due}, nil
}

func (r *hygieneRow) view() HygieneCheck {
	v := HygieneCheck{ID: r.ID, CheckedOn: r.CheckedOn, Inspector: r.Inspector, Items: []CheckItem{}, Result: r.Result, Note: r.Note, CreatedAt: r.CreatedAt.UTC()}
	json.Unmarshal([]byte(r.Items), &v.Items)
	for _, it := range v.Items {
		if !it.OK {
			v.Failed++
		}
	}
	return v
}
