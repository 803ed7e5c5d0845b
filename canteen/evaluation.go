package canteen

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// The quarterly anti-food-waste evaluation (反食品浪费评估) a county agency with a canteen runs
// from 2024 on: a checklist answered, a score, the quarter's waste figures, a conclusion and
// the measures taken. One per quarter; due within EvaluationGraceDays after the quarter ends.

// EvaluationChecklist is the checklist offered for a new evaluation, after the Anti-Food Waste
// Law (《反食品浪费法》, 2021) and the rules on thrift in Party and government organs.
var EvaluationChecklist = []string{
	"建立并落实反食品浪费工作制度，明确责任人",
	"按就餐预约人数和历史数据精准备餐、按需采购",
	"食材科学储存，无过期变质造成的浪费",
	"提供小份菜、半份菜，引导按需取餐",
	"张贴“光盘行动”等提示标识，开展反食品浪费宣传",
	"餐厨垃圾分类收集、每餐称重并记录",
	"对浪费行为及时提醒劝导",
	"上季度评估发现的问题已整改",
}

// EvaluationGraceDays is how long after its quarter an evaluation is due.
const EvaluationGraceDays = 15

// firstEvaluationYear is the year the quarterly evaluation started.
const firstEvaluationYear = 2024

// CheckItem is one answered line of a checklist.
type CheckItem struct {
	Item string `json:"item"`
	OK   bool   `json:"ok"`
	Note string `json:"note"`
}

// Evaluation is one quarter's evaluation with the quarter's figures.
type Evaluation struct {
	ID          int64       `json:"id"`
	Year        int         `json:"year"`
	Quarter     int         `json:"quarter"`
	Items       []CheckItem `json:"items"`
	Score       int         `json:"score"` // share of the checklist met, 0–100
	Diners      int64       `json:"diners"`
	WasteKg     float64     `json:"waste_kg"`
	GPerDiner   float64     `json:"g_per_diner"`
	TargetG     int         `json:"target_g"`
	Conclusion  string      `json:"conclusion"`
	Measures    string      `json:"measures"`
	Evaluator   string      `json:"evaluator"`
	EvaluatedOn string      `json:"evaluated_on"`
	UpdatedAt   time.Time   `json:"updated_at"`
}

// EvaluationInput records a quarter's evaluation.
type EvaluationInput struct {
	Year        int         `json:"year"`
	Quarter     int         `json:"quarter"`
	Items       []CheckItem `json:"items"`
	Conclusion  string      `json:"conclusion"`
	Measures    string      `json:"measures"`
	Evaluator   string      `json:"evaluator"`
	EvaluatedOn string      `json:"evaluated_on"`
}

// Evaluations lists the evaluations, newest first, with the one due (if missing).
type Evaluations struct {
	Items     []Evaluation `json:"items"`
	Due       *DueQuarter  `json:"due"` // the last ended quarter, when not evaluated
	Checklist []string     `json:"checklist"`
}

// DueQuarter is a quarter whose evaluation is missing.
type DueQuarter struct {
	Year    int    `json:"year"`
	Quarter int    `json:"quarter"`
	DueOn   string `json:"due_on"`
	Overdue bool   `json:"overdue"`
}

func (in *EvaluationInput) check(today string) error {
	p := fleet.Problems{}
	if in.Year < firstEvaluationYear || in.Year > 2200 {
		p.Add("year", fmt.Sprintf("must be %d or later", firstEvaluationYear))
	}
	if in.Quarter < 1 || in.Quarter > 4 {
		p.Add("quarter", "must be 1 to 4")
	}
	if from, _ := quarterDays(in.Year, in.Quarter); p.Err() == nil && from > today {
		p.Add("quarter", "has not started yet")
	}
	checkItems(p, in.Items)
	in.Conclusion = p.Text("conclusion", in.Conclusion, true, 2000)
	in.Measures = p.Text("measures", in.Measures, false, 2000)
	in.Evaluator = p.Text("evaluator", in.Evaluator, true, 100)
	if d := checkDate(p, "evaluated_on", &in.EvaluatedOn, true); !d.IsZero() && in.EvaluatedOn > today {
		p.Add("evaluated_on", "must not be in the future")
	}
	return p.Err()
}

// checkItems validates an answered checklist in place.
func checkItems(p fleet.Problems, items []CheckItem) {
	if len(items) == 0 {
		p.Add("items", "required: answer the checklist")
	}
	if len(items) > 50 {
		p.Add("items", "at most 50 lines")
	}
	for i := range items {
		items[i].Item = p.Text(fmt.Sprintf("items[%d].item", i), items[i].Item, true, 200)
		items[i].Note = p.Text(fmt.Sprintf("items[%d].note", i), items[i].Note, false, 500)
	}
}

func score(items []CheckItem) int {
	ok := 0
	for _, it := range items {
		if it.OK {
			ok++
		}
	}
	return int(math.Round(100 * float64(ok) / float64(len(items))))
}

// RecordEvaluation records a quarter's evaluation; a second one of the quarter is refused.
func (s *Service) RecordEvaluation(ctx context.Context, a *auth.Actor, in EvaluationInput) (*Evaluation, error) {
	return s.saveEvaluation(ctx, a, 0, in)
}

// UpdateEvaluation corrects an evaluation (its quarter stays).
func (s *Service) UpdateEvaluation(ctx context.Context, a *auth.Actor, id int64, in EvaluationInput) (*Evaluation, error) {
	return s.saveEvaluation(ctx, a, id, in)
}

func (s *Service) saveEvaluation(ctx context.Context, a *auth.Actor, id int64, in EvaluationInput) (*Evaluation, error) {
	if err := a.Require(auth.PermCanteenManage); err != nil {
		return nil, err
	}
	now := s.now()
	if err := in.check(s.today(now)); err != nil {
		return nil, err
	}
	items, _ := json.Marshal(in.Items)
	var row evaluationRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if id != 0 {
			if err := take(tx, &row, id, true, "evaluation"); err != nil {
				return err
			}
			if row.Year != in.Year || row.Quarter != in.Quarter {
				return fleet.Invalid(map[string]string{"quarter": "an evaluation keeps its quarter"})
			}
		} else {
			row = evaluationRow{Year: in.Year, Quarter: in.Quarter, CreatedBy: ptr(a.UserID), CreatedAt: now}
		}
		set, err := loadSettings(tx)
		if err != nil {
			return err
		}
		from, to := quarterDays(in.Year, in.Quarter)
		waste, err := wasteBetween(tx, from, to)
		if err != nil {
			return err
		}
		row.Diners, row.WasteG = 0, 0
		for _, w := range waste {
			row.Diners += int64(w.Diners)
			row.WasteG += w.PlateG + w.KitchenG
		}
		row.Items, row.Score, row.TargetG = string(items), score(in.Items), set.WasteTargetG
		row.Conclusion, row.Measures, row.Evaluator, row.EvaluatedOn, row.UpdatedAt = in.Conclusion, in.Measures, in.Evaluator, in.EvaluatedOn, now
		if err := save(tx, &row); err != nil {
			if fleet.ErrorCode(err) == fleet.EConflict {
				return &fleet.Error{Code: fleet.EConflict, Message: fmt.Sprintf("%d Q%d is evaluated already: correct that evaluation instead", in.Year, in.Quarter),
					Fields: map[string]string{"quarter": "evaluated already"}}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := row.view()
	return &out, nil
}

// ListEvaluations returns the evaluations, newest first, and the quarter due if missing.
func (s *Service) ListEvaluations(ctx context.Context, a *auth.Actor) (*Evaluations, error) {
	if err := a.Require(auth.PermCanteenRecords); err != nil {
		return nil, err
	}
	rows, err := listEvaluations(s.read(ctx))
	if err != nil {
		return nil, err
	}
	out := &Evaluations{Items: make([]Evaluation, len(rows)), Checklist: EvaluationChecklist}
	done := map[[2]int]bool{}
	for i, r := range rows {
		out.Items[i] = r.view()
		done[[2]int{r.Year, r.Quarter}] = true
	}
	today := s.today(s.now())
	y, q := quarterOf(today)
	if q--; q == 0 {
		y, q = y-1, 4
	}
	if y >= firstEvaluationYear && !done[[2]int{y, q}] {
		_, last := quarterDays(y, q)
		due := addDays(last, EvaluationGraceDays)
		out.Due = &DueQuarter{Year: y, Quarter: q, DueOn: due, Overdue: today > due}
	}
	return out, nil
}

func (r *evaluationRow) view() Evaluation {
	e := Evaluation{ID: r.ID, Year: r.Year, Quarter: r.Quarter, Items: []CheckItem{}, Score: r.Score, Diners: r.Diners, WasteKg: round2(gToKg(r.WasteG)),
		TargetG: r.TargetG, Conclusion: r.Conclusion, Measures: r.Measures, Evaluator: r.Evaluator, EvaluatedOn: r.EvaluatedOn, UpdatedAt: r.UpdatedAt.UTC()}
	json.Unmarshal([]byte(r.Items), &e.Items)
	if r.Diners > 0 {
		e.GPerDiner = round1(float64(r.WasteG) / float64(r.Diners))
	}
	return e
}
