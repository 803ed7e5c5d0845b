package office

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// Statuses and results of a safety patrol (安全巡检).
const (
	PatrolScheduled = "scheduled"
	PatrolDone      = "done"
	ResultPass      = "pass"
	ResultIssues    = "issues"
)

// DefaultChecklist is the checklist of a patrol scheduled without one.
var DefaultChecklist = []string{
	"消防通道、安全出口畅通，应急照明和疏散指示完好",
	"灭火器在有效期内、压力正常，消火栓完好",
	"电梯运行正常，年检合格证在有效期内",
	"配电室、弱电间整洁，无私拉乱接电线",
	"给排水设施无渗漏",
	"空调设备运行正常",
	"门窗、锁具完好，下班后关闭",
	"监控设施运行正常",
}

// Patrol is a scheduled safety patrol of a building with its checklist, result and the
// follow-ups of what failed. Overdue: scheduled for a day that has passed and not done.
type Patrol struct {
	ID            int64        `json:"id"`
	BuildingID    int64        `json:"building_id"`
	BuildingName  string       `json:"building_name"`
	ScheduledOn   string       `json:"scheduled_on"`
	Status        string       `json:"status"` // scheduled, done
	Inspector     string       `json:"inspector"`
	Result        string       `json:"result"` // pass, issues; "" until done
	DoneAt        *time.Time   `json:"done_at"`
	Note          string       `json:"note"`
	Items         []PatrolItem `json:"items"`
	Overdue       bool         `json:"overdue"`
	OpenFollowUps int          `json:"open_follow_ups"`
}

// PatrolItem is one line of a patrol's checklist.
type PatrolItem struct {
	ID               int64      `json:"id"`
	Line             int        `json:"line"`
	Item             string     `json:"item"`
	OK               *bool      `json:"ok"` // null until the patrol is done
	Note             string     `json:"note"`
	FollowUp         string     `json:"follow_up"` // what must be done about a failed item
	FollowUpDeadline string     `json:"follow_up_deadline"`
	FollowUpDoneAt   *time.Time `json:"follow_up_done_at"`
	FollowUpNote     string     `json:"follow_up_note"`
	FollowUpOverdue  bool       `json:"follow_up_overdue"`
}

// PatrolInput schedules a patrol; an empty checklist takes DefaultChecklist.
type PatrolInput struct {
	BuildingID  int64    `json:"building_id"`
	ScheduledOn string   `json:"scheduled_on"`
	Checklist   []string `json:"checklist"`
}

// PatrolResultInput records a patrol: every checklist line answered; a failed line needs a
// follow-up and its deadline.
type PatrolResultInput struct {
	Inspector string             `json:"inspector"`
	Note      string             `json:"note"`
	Items     []PatrolItemResult `json:"items"`
}

// PatrolItemResult answers one checklist line.
type PatrolItemResult struct {
	Line     int    `json:"line"`
	OK       bool   `json:"ok"`
	Note     string `json:"note"`
	FollowUp string `json:"follow_up"`
	Deadline string `json:"deadline"`
}

// SchedulePatrol schedules a safety patrol of a building.
func (s *Service) SchedulePatrol(ctx context.Context, a *auth.Actor, in PatrolInput) (*Patrol, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	if in.BuildingID <= 0 {
		p.Add("building_id", "required")
	}
	checkDate(p, "scheduled_on", &in.ScheduledOn, true)
	if len(in.Checklist) == 0 {
		in.Checklist = DefaultChecklist
	}
	if len(in.Checklist) > 100 {
		p.Add("checklist", "at most 100 items")
	}
	for i := range in.Checklist {
		in.Checklist[i] = p.Text(fmt.Sprintf("checklist[%d]", i), in.Checklist[i], true, 200)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var id int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var b buildingRow
		if err := take(tx, &b, in.BuildingID, false, "building"); err != nil {
			if fleet.ErrorCode(err) == fleet.ENotFound {
				return fleet.Invalid(map[string]string{"building_id": "no such building"})
			}
			return err
		}
		row := &patrolRow{BuildingID: b.ID, ScheduledOn: in.ScheduledOn, Status: PatrolScheduled, CreatedBy: ptr(a.UserID), CreatedAt: now, UpdatedAt: now}
		items := make([]patrolItemRow, len(in.Checklist))
		for i, it := range in.Checklist {
			items[i] = patrolItemRow{Line: i + 1, Item: it}
		}
		if err := insertPatrol(tx, row, items); err != nil {
			return err
		}
		id = row.ID
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.getPatrol(s.read(ctx), id)
}

// RecordPatrol records a scheduled patrol's result.
func (s *Service) RecordPatrol(ctx context.Context, a *auth.Actor, id int64, in PatrolResultInput) (*Patrol, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Inspector = p.Text("inspector", in.Inspector, true, 100)
	in.Note = p.Text("note", in.Note, false, 2000)
	for i := range in.Items {
		it := &in.Items[i]
		at := fmt.Sprintf("items[%d].", i)
		it.Note = p.Text(at+"note", it.Note, false, 1000)
		it.FollowUp = p.Text(at+"follow_up", it.FollowUp, !it.OK, 1000)
		checkDate(p, at+"deadline", &it.Deadline, !it.OK)
		if it.OK && (it.FollowUp != "" || it.Deadline != "") {
			p.Add(at+"follow_up", "only for a failed item")
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row patrolRow
		if err := take(tx, &row, id, true, "patrol"); err != nil {
			return err
		}
		if row.Status != PatrolScheduled {
			return fleet.Errorf(fleet.EConflict, "the patrol is recorded already")
		}
		items, err := patrolItems(tx, id)
		if err != nil {
			return err
		}
		answers := map[int]PatrolItemResult{}
		for i, r := range in.Items {
			if _, dup := answers[r.Line]; dup {
				return fleet.Invalid(map[string]string{fmt.Sprintf("items[%d].line", i): "answered twice"})
			}
			answers[r.Line] = r
		}
		p := fleet.Problems{}
		result := ResultPass
		for i := range items {
			it := &items[i]
			ans, ok := answers[it.Line]
			if !ok {
				p.Add("items", fmt.Sprintf("line %d (%s) is not answered", it.Line, it.Item))
				continue
			}
			delete(answers, it.Line)
			okv := ans.OK
			it.OK, it.Note, it.FollowUp, it.FollowUpDueOn = &okv, ans.Note, ans.FollowUp, ans.Deadline
			if !ans.OK {
				result = ResultIssues
			}
		}
		for line := range answers {
			p.Add("items", fmt.Sprintf("the checklist has no line %d", line))
		}
		if err := p.Err(); err != nil {
			return err
		}
		for i := range items {
			if err := save(tx, &items[i]); err != nil {
				return err
			}
		}
		row.Status, row.Inspector, row.Result, row.Note, row.DoneAt, row.UpdatedAt = PatrolDone, in.Inspector, result, in.Note, &now, now
		return save(tx, &row)
	})
	if err != nil {
		return nil, err
	}
	return s.getPatrol(s.read(ctx), id)
}

// CloseFollowUp records that a failed item's follow-up was done.
func (s *Service) CloseFollowUp(ctx context.Context, a *auth.Actor, itemID int64, in NoteInput) (*Patrol, error) {
	if err := a.Require(auth.PermOfficeWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, true, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var patrol int64
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var it patrolItemRow
		if err := take(tx, &it, itemID, true, "patrol item"); err != nil {
			return err
		}
		if it.FollowUp == "" {
			return fleet.Errorf(fleet.EConflict, "the item has no follow-up")
		}
		if it.FollowUpDoneAt != nil {
			return fleet.Errorf(fleet.EConflict, "the follow-up is done already")
		}
		it.FollowUpDoneAt, it.FollowUpNote = &now, in.Note
		patrol = it.PatrolID
		return save(tx, &it)
	})
	if err != nil {
		return nil, err
	}
	return s.getPatrol(s.read(ctx), patrol)
}

// PatrolQuery narrows ListPatrols.
type PatrolQuery struct {
	fleet.Page
	BuildingID int64
	Status     string
	Overdue    bool // patrols past their day and not done, or with an overdue follow-up
}

// ListPatrols returns patrols, latest day first (the center only: patrols are building-wide).
func (s *Service) ListPatrols(ctx context.Context, a *auth.Actor, q PatrolQuery) ([]Patrol, int64, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, 0, err
	}
	if err := requireAllUnits(a); err != nil {
		return nil, 0, err
	}
	q.Page = q.Page.Normalize()
	db := s.read(ctx)
	rows, total, err := listPatrols(db, q, s.today(s.now()))
	if err != nil {
		return nil, 0, err
	}
	out, err := s.patrolViews(db, rows)
	return out, total, err
}

// GetPatrol returns one patrol (the center only).
func (s *Service) GetPatrol(ctx context.Context, a *auth.Actor, id int64) (*Patrol, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, err
	}
	if err := requireAllUnits(a); err != nil {
		return nil, err
	}
	return s.getPatrol(s.read(ctx), id)
}

func (s *Service) getPatrol(db *gorm.DB, id int64) (*Patrol, error) {
	var row patrolRow
	if err := take(db, &row, id, false, "patrol"); err != nil {
		return nil, err
	}
	out, err := s.patrolViews(db, []patrolRow{row})
	if err != nil {
		return nil, err
	}
	return &out[0], nil
}

func (s *Service) patrolViews(db *gorm.DB, rows []patrolRow) ([]Patrol, error) {
	names, err := buildingNames(db)
	if err != nil {
		return nil, err
	}
	today := s.today(s.now())
	out := make([]Patrol, len(rows))
	for i, r := range rows {
		items, err := patrolItems(db, r.ID)
		if err != nil {
			return nil, err
		}
		v := Patrol{ID: r.ID, BuildingID: r.BuildingID, BuildingName: names[r.BuildingID], ScheduledOn: r.ScheduledOn, Status: r.Status,
			Inspector: r.Inspector, Result: r.Result, DoneAt: utc(r.DoneAt), Note: r.Note, Items: make([]PatrolItem, len(items)),
			Overdue: r.Status == PatrolScheduled && today > r.ScheduledOn}
		for j, it := range items {
			pi := PatrolItem{ID: it.ID, Line: it.Line, Item: it.Item, OK: it.OK, Note: it.Note, FollowUp: it.FollowUp,
				FollowUpDeadline: it.FollowUpDueOn, FollowUpDoneAt: utc(it.FollowUpDoneAt), FollowUpNote: it.FollowUpNote}
			if it.FollowUp != "" && it.FollowUpDoneAt == nil {
				v.OpenFollowUps++
				pi.FollowUpOverdue = today > it.FollowUpDueOn
				if pi.FollowUpOverdue {
					v.Overdue = true
				}
			}
			v.Items[j] = pi
		}
		out[i] = v
	}
	return out, nil
}
