package approval

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
)

// Sources of a task: why the user approves the step.
const (
	srcRule     = "rule"     // the step's approvers
	srcFallback = "fallback" // no one else was eligible
	srcTransfer = "transfer" // an approver handed their part over
	srcEscalate = "escalate" // the deadline passed; the fallback approver took over
)

// decisionTransferred marks a task whose user handed it to someone else.
const decisionTransferred = "transferred"

// errStale says that another transaction changed the instance since it was read: the optimistic
// lock lost. Act reads again and retries.
var errStale = errors.New("approval: instance changed meanwhile")

// run is an instance loaded for an action, inside a transaction.
type run struct {
	row    *instanceRow
	def    *Definition
	fields map[string]any
	plan   []bool    // which steps apply to the fields
	tasks  []taskRow // of the current step entry (round)
}

// step returns the current step's definition, or nil unless pending.
func (r *run) step() *StepDef {
	if r.row.Status != StatusPending || r.row.StepIndex < 0 || r.row.StepIndex >= len(r.def.Steps) {
		return nil
	}
	return &r.def.Steps[r.row.StepIndex]
}

// pendingTask returns the user's undecided task in the current step, or nil.
func (r *run) pendingTask(userID int64) *taskRow {
	if r.row.Status != StatusPending {
		return nil
	}
	for i := range r.tasks {
		if t := &r.tasks[i]; t.UserID == userID && t.Decision == "" {
			return t
		}
	}
	return nil
}

// roundTask returns the user's task in the current step, decided or not, or nil.
func (r *run) roundTask(userID int64) *taskRow {
	for i := range r.tasks {
		if r.tasks[i].UserID == userID && r.tasks[i].Decision != decisionTransferred {
			return &r.tasks[i]
		}
	}
	return nil
}

// waiting returns the users whose decision the current step still waits for.
func (r *run) waiting() []int64 {
	var out []int64
	if r.row.Status != StatusPending {
		return out
	}
	for _, t := range r.tasks {
		if t.Decision == "" {
			out = append(out, t.UserID)
		}
	}
	return out
}

// stepDone reports whether the step's votes decide it, after task t approved.
func stepDone(mode string, tasks []taskRow, t *taskRow) bool {
	if t.Source == srcEscalate {
		return true // the fallback approver took the step over
	}
	n, yes := 0, 0
	for _, x := range tasks {
		if x.Decision == decisionTransferred {
			continue
		}
		n++
		if x.Decision == ActApprove {
			yes++
		}
	}
	switch mode {
	case ModeAll:
		return yes == n
	case ModeMajority:
		return yes*2 > n
	}
	return yes >= 1
}

// definition returns a stored version of a definition; versions never change, so they are cached.
func (s *Service) definition(tx *gorm.DB, key string, version int) (*Definition, error) {
	ck := fmt.Sprintf("%s/%d", key, version)
	if d, ok := s.defs.Load(ck); ok {
		return d.(*Definition), nil
	}
	row, err := definitionRowVersion(tx, key, version)
	if err != nil {
		return nil, err
	}
	d, err := row.definition()
	if err != nil {
		return nil, err
	}
	s.defs.Store(ck, d)
	return d, nil
}

// load reads an instance with its definition, plan and current tasks.
func (s *Service) load(tx *gorm.DB, id int64) (*run, error) {
	row, err := findInstance(tx, id)
	if err != nil {
		return nil, err
	}
	def, err := s.definition(tx, row.DefinitionKey, row.DefinitionVersion)
	if err != nil {
		return nil, err
	}
	fields, err := decodeFields(row.Fields)
	if err != nil {
		return nil, fmt.Errorf("approval: instance %d fields: %w", id, err)
	}
	plan, err := def.plan(fields)
	if err != nil {
		return nil, fmt.Errorf("approval: instance %d plan: %w", id, err)
	}
	r := &run{row: row, def: def, fields: fields, plan: plan}
	if row.Status == StatusPending {
		if r.tasks, err = roundTasks(tx, id, row.Round); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func encodeFields(f map[string]any) (string, error) {
	if f == nil {
		f = map[string]any{}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return "", fleet.Invalid(map[string]string{"fields": "must be plain values"})
	}
	if len(b) > maxFieldsJSON {
		return "", fleet.Invalid(map[string]string{"fields": fmt.Sprintf("larger than %d bytes", maxFieldsJSON)})
	}
	return string(b), nil
}

func decodeFields(s string) (map[string]any, error) {
	out := map[string]any{}
	if s == "" {
		return out, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	return out, dec.Decode(&out)
}

// change is what one action does to an instance besides its row: tasks decided and added, trail
// lines, and who to tell.
type change struct {
	claim    bool // the row changed: write it under the optimistic lock
	decide   []taskDecision
	newTasks []taskRow
	actions  []actionRow
	notes    []Notice
	status   bool // the status changed: run the hooks
}

type taskDecision struct {
	id       int64
	decision string
}

// enter puts the instance on step idx: a new round with its approvers as tasks; the deadline,
// escalation and reminder start over.
func enter(tx *gorm.DB, r *run, idx int, now time.Time, ch *change) ([]int64, error) {
	ids, src, err := resolve(tx, r.def, idx, r.row.ApplicantID, r.row.UnitID)
	if err != nil {
		return nil, err
	}
	row := r.row
	row.Status, row.StepIndex, row.Round = StatusPending, idx, row.Round+1
	row.StepStartedAt, row.Escalated, row.RemindedAt, row.FinishedAt = &now, false, nil, nil
	row.DeadlineAt = nil
	if h := r.def.Steps[idx].DeadlineHours; h > 0 {
		d := now.Add(time.Duration(h) * time.Hour)
		row.DeadlineAt = &d
	}
	r.tasks = nil
	for _, id := range ids {
		t := taskRow{InstanceID: row.ID, Round: row.Round, StepIndex: idx, UserID: id, Source: src, CreatedAt: now}
		ch.newTasks = append(ch.newTasks, t)
		r.tasks = append(r.tasks, t)
	}
	return ids, nil
}

// finish ends the instance with status.
func finish(r *run, status string, now time.Time) {
	r.row.Status, r.row.StepIndex, r.row.DeadlineAt, r.row.FinishedAt = status, -1, nil, &now
	r.tasks = nil
}

// apply writes ch: the row under the optimistic lock first (so a losing transaction writes
// nothing), then tasks and the trail, then the hooks.
func (s *Service) apply(ctx context.Context, tx *gorm.DB, r *run, ch *change, now time.Time) error {
	if ch.claim {
		old := r.row.Version
		r.row.Version, r.row.UpdatedAt = old+1, now
		ok, err := claimInstance(tx, r.row, old)
		if err != nil {
			return err
		}
		if !ok {
			return errStale
		}
	}
	for _, d := range ch.decide {
		if err := decideTask(tx, d.id, d.decision, now); err != nil {
			return err
		}
	}
	if err := insertTasks(tx, ch.newTasks); err != nil {
		return err
	}
	for i := range ch.actions {
		ch.actions[i].InstanceID = r.row.ID
		if err := insertAction(tx, &ch.actions[i]); err != nil {
			return err
		}
	}
	if ch.status {
		in, err := s.view(tx, nil, r)
		if err != nil {
			return err
		}
		return s.runHooks(ctx, tx, in)
	}
	return nil
}

// trail returns a trail line by the user about the current step (or none).
func trail(r *run, userID int64, action, comment string, now time.Time) actionRow {
	a := actionRow{At: now, Action: action, Comment: comment}
	if userID != 0 {
		a.UserID = &userID
	}
	if st := r.step(); st != nil {
		idx := r.row.StepIndex
		a.StepIndex, a.StepName = &idx, st.Name
	}
	return a
}
