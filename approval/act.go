package approval

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// maxStaleRetries is how often Act reads the instance again after losing the optimistic lock to
// a concurrent action; the second reading usually finds the action moot (409) or still valid.
const maxStaleRetries = 8

// remindEvery is how often the applicant may remind the approvers of one step.
const remindEvery = time.Hour

// Act applies one action of the actor to an instance and returns the instance as it is now:
// approve, reject (ends it), return (to the applicant, or with To "previous" one step back),
// withdraw (the applicant, before the first decision, or a returned request), transfer (an
// approver hands their part to ToUserID), comment (anyone who sees it), remind (the applicant, at
// most once an hour per step). 403 for someone who may not act; 409 when the step has moved on
// or the instance is finished.
func (s *Service) Act(ctx context.Context, a *auth.Actor, id int64, in ActionInput) (*Instance, error) {
	if err := a.Require(auth.PermApprovalsAct); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var (
		notes []Notice
		err   error
	)
	for attempt := 0; ; attempt++ {
		notes = nil
		err = s.tx(ctx, func(tx *gorm.DB) error {
			r, err := s.load(tx, id)
			if err != nil {
				return err
			}
			if ok, err := canSee(tx, a, r.row); err != nil {
				return err
			} else if !ok {
				return fleet.Errorf(fleet.EForbidden, "you are not an approver of this request")
			}
			now := s.now()
			ch, err := s.decide(tx, a, r, in, now)
			if err != nil {
				return err
			}
			if err := s.apply(ctx, tx, r, ch, now); err != nil {
				return err
			}
			notes = ch.notes
			return nil
		})
		if !errors.Is(err, errStale) || attempt >= maxStaleRetries {
			break
		}
	}
	if errors.Is(err, errStale) {
		return nil, s.staleErr(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	s.publish(ctx, notes)
	return s.Get(ctx, a, id)
}

// decide checks the action against the instance's state and returns what it changes.
func (s *Service) decide(tx *gorm.DB, a *auth.Actor, r *run, in ActionInput, now time.Time) (*change, error) {
	switch in.Action {
	case ActComment:
		return &change{actions: []actionRow{trail(r, a.UserID, ActComment, in.Comment, now)}}, nil
	case ActRemind:
		return remind(tx, a, r, in, now)
	case ActWithdraw:
		return withdraw(a, r, in, now)
	}
	t, err := actorTask(tx, a, r)
	if err != nil {
		return nil, err
	}
	switch in.Action {
	case ActApprove:
		return approve(tx, a, r, t, in, now)
	case ActReject:
		return reject(a, r, t, in, now)
	case ActReturn:
		return giveBack(tx, a, r, t, in, now)
	case ActTransfer:
		return transfer(tx, a, r, t, in, now)
	}
	return nil, fleet.Invalid(map[string]string{"action": "unknown action"})
}

// actorTask returns the actor's undecided part of the current step, or why there is none.
func actorTask(tx *gorm.DB, a *auth.Actor, r *run) (*taskRow, error) {
	if r.row.Status != StatusPending {
		return nil, finishedErr(r.row.Status)
	}
	if a.UserID != 0 && a.UserID == r.row.ApplicantID {
		return nil, fleet.Errorf(fleet.EForbidden, "nobody approves their own request")
	}
	if t := r.pendingTask(a.UserID); t != nil {
		return t, nil
	}
	if t := r.roundTask(a.UserID); t != nil {
		return nil, fleet.Errorf(fleet.EConflict, "you have already decided this step (%s)", t.Decision)
	}
	for _, t := range r.tasks {
		if t.UserID == a.UserID && t.Decision == decisionTransferred {
			return nil, fleet.Errorf(fleet.EConflict, "you handed your part of this step to someone else")
		}
	}
	if a.UserID != 0 {
		was, err := hasTask(tx, r.row.ID, a.UserID)
		if err != nil {
			return nil, err
		}
		if was {
			return nil, fleet.Errorf(fleet.EConflict, "the approval has moved on: it is now at step %d (%s)", r.row.StepIndex+1, r.step().Name)
		}
	}
	return nil, fleet.Errorf(fleet.EForbidden, "you are not an approver of step %d (%s)", r.row.StepIndex+1, r.step().Name)
}

func finishedErr(status string) error {
	if status == StatusReturned {
		return fleet.Errorf(fleet.EConflict, "the request was returned to the applicant for revision")
	}
	return fleet.Errorf(fleet.EConflict, "the approval is already %s", status)
}

// staleErr describes the instance as it is after concurrent actions kept winning.
func (s *Service) staleErr(ctx context.Context, id int64) error {
	r, err := s.load(s.db.WithContext(ctx), id)
	if err != nil {
		return err
	}
	if st := r.step(); st != nil {
		return fleet.Errorf(fleet.EConflict, "the approval changed meanwhile: it is now at step %d (%s); reload it", r.row.StepIndex+1, st.Name)
	}
	return fleet.Errorf(fleet.EConflict, "the approval changed meanwhile: it is now %s; reload it", r.row.Status)
}

// approve records the actor's approval; when the step's mode is satisfied the instance moves to
// the next step that applies, or is approved after the last.
func approve(tx *gorm.DB, a *auth.Actor, r *run, t *taskRow, in ActionInput, now time.Time) (*change, error) {
	ch := &change{claim: true}
	ch.actions = append(ch.actions, trail(r, a.UserID, ActApprove, in.Comment, now))
	ch.decide = append(ch.decide, taskDecision{t.ID, ActApprove})
	t.Decision = ActApprove
	r.row.Decided = true
	applicant := []int64{r.row.ApplicantID}
	if !stepDone(r.step().Mode, r.tasks, t) {
		ch.notes = append(ch.notes, notice(r, EventDecided, applicant))
		return ch, nil
	}
	moot := without(r.waiting(), a.UserID)
	next := nextStep(r.plan, r.row.StepIndex)
	if next < 0 {
		finish(r, StatusApproved, now)
		ch.status = true
		ch.notes = append(ch.notes, notice(r, EventDecided, append(applicant, moot...)))
		return ch, nil
	}
	approvers, err := enter(tx, r, next, now, ch)
	if err != nil {
		return nil, err
	}
	ch.notes = append(ch.notes, notice(r, EventPending, approvers), notice(r, EventDecided, append(applicant, without(moot, approvers...)...)))
	return ch, nil
}

// reject ends the instance, whatever the mode.
func reject(a *auth.Actor, r *run, t *taskRow, in ActionInput, now time.Time) (*change, error) {
	ch := &change{claim: true, status: true}
	ch.actions = append(ch.actions, trail(r, a.UserID, ActReject, in.Comment, now))
	ch.decide = append(ch.decide, taskDecision{t.ID, ActReject})
	moot := without(r.waiting(), a.UserID)
	r.row.Decided = true
	finish(r, StatusRejected, now)
	ch.notes = append(ch.notes, notice(r, EventDecided, append([]int64{r.row.ApplicantID}, moot...)))
	return ch, nil
}

// giveBack returns the request to the applicant for revision, or one step back.
func giveBack(tx *gorm.DB, a *auth.Actor, r *run, t *taskRow, in ActionInput, now time.Time) (*change, error) {
	ch := &change{claim: true}
	line := trail(r, a.UserID, ActReturn, in.Comment, now)
	line.To = in.To
	ch.actions = append(ch.actions, line)
	ch.decide = append(ch.decide, taskDecision{t.ID, ActReturn})
	moot := without(r.waiting(), a.UserID)
	r.row.Decided = true
	applicant := r.row.ApplicantID
	if in.To == ToPrevious {
		prev := prevStep(r.plan, r.row.StepIndex)
		if prev < 0 {
			return nil, fleet.Invalid(map[string]string{"to": "this is the first step: return the request to the applicant instead"})
		}
		approvers, err := enter(tx, r, prev, now, ch)
		if err != nil {
			return nil, err
		}
		ch.notes = append(ch.notes, notice(r, EventPending, approvers), notice(r, EventDecided, append([]int64{applicant}, without(moot, approvers...)...)))
		return ch, nil
	}
	r.row.Status, r.row.StepIndex, r.row.DeadlineAt = StatusReturned, -1, nil
	r.tasks = nil
	ch.status = true
	ch.notes = append(ch.notes, notice(r, EventReturned, []int64{applicant}), notice(r, EventDecided, moot))
	return ch, nil
}

// transfer hands the actor's part of the step to another user, who is not the applicant.
func transfer(tx *gorm.DB, a *auth.Actor, r *run, t *taskRow, in ActionInput, now time.Time) (*change, error) {
	to := in.ToUserID
	switch {
	case to == r.row.ApplicantID:
		return nil, fleet.Invalid(map[string]string{"to_user_id": "the applicant cannot approve their own request"})
	case to == a.UserID:
		return nil, fleet.Invalid(map[string]string{"to_user_id": "that is you"})
	}
	users, err := usersByID(tx, []int64{to})
	if err != nil {
		return nil, err
	}
	u, ok := users[to]
	switch {
	case !ok:
		return nil, fleet.Invalid(map[string]string{"to_user_id": "no such user"})
	case u.Disabled:
		return nil, fleet.Invalid(map[string]string{"to_user_id": "the user is disabled"})
	case !auth.Can(u.Role, auth.PermApprovalsAct):
		return nil, fleet.Invalid(map[string]string{"to_user_id": "the user's role may not approve"})
	case r.pendingTask(to) != nil:
		return nil, &fleet.Error{Code: fleet.EConflict, Message: u.Name + " is already an approver of this step",
			Fields: map[string]string{"to_user_id": "already an approver of this step"}}
	}
	ch := &change{claim: true}
	line := trail(r, a.UserID, ActTransfer, in.Comment, now)
	line.ToUserID = &to
	ch.actions = append(ch.actions, line)
	ch.decide = append(ch.decide, taskDecision{t.ID, decisionTransferred})
	t.Decision = decisionTransferred
	src := srcTransfer
	if t.Source == srcEscalate {
		src = srcEscalate // the one who took the step over hands that over too
	}
	nt := taskRow{InstanceID: r.row.ID, Round: r.row.Round, StepIndex: r.row.StepIndex, UserID: to, Source: src, CreatedAt: now}
	ch.newTasks = append(ch.newTasks, nt)
	r.tasks = append(r.tasks, nt)
	ch.notes = append(ch.notes, notice(r, EventPending, []int64{to}))
	return ch, nil
}

// withdraw lets the applicant take back a request no one has decided on yet, or one returned to
// them.
func withdraw(a *auth.Actor, r *run, in ActionInput, now time.Time) (*change, error) {
	if a.UserID == 0 || a.UserID != r.row.ApplicantID {
		return nil, fleet.Errorf(fleet.EForbidden, "only the applicant withdraws a request")
	}
	switch {
	case r.row.Status == StatusPending && r.row.Decided:
		return nil, fleet.Errorf(fleet.EConflict, "an approver has decided on the request already; it can no longer be withdrawn")
	case r.row.Status != StatusPending && r.row.Status != StatusReturned:
		return nil, finishedErr(r.row.Status)
	}
	ch := &change{claim: true, status: true}
	ch.actions = append(ch.actions, trail(r, a.UserID, ActWithdraw, in.Comment, now))
	moot := r.waiting()
	finish(r, StatusWithdrawn, now)
	ch.notes = append(ch.notes, notice(r, EventDecided, moot))
	return ch, nil
}

// remind tells the current step's approvers again; the applicant may do so once an hour per step.
func remind(tx *gorm.DB, a *auth.Actor, r *run, in ActionInput, now time.Time) (*change, error) {
	if a.UserID == 0 || a.UserID != r.row.ApplicantID {
		return nil, fleet.Errorf(fleet.EForbidden, "only the applicant reminds the approvers")
	}
	if r.row.Status != StatusPending {
		return nil, finishedErr(r.row.Status)
	}
	since := now.Add(-remindEvery)
	if last := r.row.RemindedAt; last != nil && last.After(since) {
		wait := last.Add(remindEvery).Sub(now)
		secs := int(wait.Seconds()) + 1
		return nil, &fleet.Error{Code: fleet.ERateLimited, RetryAfter: secs,
			Message: fmt.Sprintf("you reminded the approvers of this step less than an hour ago; try again in %d minutes", (secs+59)/60)}
	}
	ok, err := claimReminder(tx, r.row.ID, r.row.Round, now, since)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errStale // a concurrent action changed the step or reminded first: read again
	}
	r.row.RemindedAt = &now
	ch := &change{actions: []actionRow{trail(r, a.UserID, ActRemind, in.Comment, now)}}
	ch.notes = append(ch.notes, notice(r, EventReminded, r.waiting()))
	return ch, nil
}
