package approval

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
)

// sweepBatch is how many overdue instances one sweep handles at most.
const sweepBatch = 100

// Start sweeps for passed deadlines now and every Options.CheckEvery until ctx ends.
func (s *Service) Start(ctx context.Context) {
	t := time.NewTicker(s.opt.CheckEvery)
	defer t.Stop()
	for {
		if n, err := s.CheckDeadlines(ctx); err != nil && ctx.Err() == nil {
			s.opt.Logger.Warn("approval: deadline sweep", slog.Any("error", err))
		} else if n > 0 {
			s.opt.Logger.Info("approval: deadlines passed", slog.Int("instances", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// CheckDeadlines handles every pending step whose deadline has passed: its approvers are reminded
// and, when the step has a usable fallback approver, the fallback joins the step and may decide it
// alone (trail "escalate"). Several fleetd instances may sweep at once: the optimistic lock lets
// one of them handle each step. It returns how many steps it handled.
func (s *Service) CheckDeadlines(ctx context.Context) (int, error) {
	now := s.now()
	ids, err := overdue(s.db.WithContext(ctx), now, sweepBatch)
	if err != nil {
		return 0, err
	}
	handled := 0
	for _, id := range ids {
		var notes []Notice
		err := s.tx(ctx, func(tx *gorm.DB) error {
			var err error
			notes, err = s.escalate(ctx, tx, id, now)
			return err
		})
		switch {
		case errors.Is(err, errStale):
			continue // another instance (or an approver) got there first
		case err != nil:
			return handled, err
		}
		if notes != nil {
			handled++
			s.publish(ctx, notes)
		}
	}
	return handled, nil
}

// escalate handles one overdue step; nil notes when there was nothing to do.
func (s *Service) escalate(ctx context.Context, tx *gorm.DB, id int64, now time.Time) ([]Notice, error) {
	r, err := s.load(tx, id)
	if err != nil {
		return nil, err
	}
	st := r.step()
	if st == nil || r.row.Escalated || r.row.DeadlineAt == nil || r.row.DeadlineAt.After(now) {
		return nil, nil
	}
	ch := &change{claim: true}
	waiting := r.waiting()
	r.row.Escalated = true
	fb, ok, err := fallbackUser(tx, *st, r.row.ApplicantID)
	if err != nil {
		return nil, err
	}
	if ok && r.pendingTask(fb) == nil {
		line := trail(r, 0, ActEscalate, "deadline passed: the fallback approver may decide the step", now)
		line.ToUserID = &fb
		ch.actions = append(ch.actions, line)
		nt := taskRow{InstanceID: r.row.ID, Round: r.row.Round, StepIndex: r.row.StepIndex, UserID: fb, Source: srcEscalate, CreatedAt: now}
		ch.newTasks = append(ch.newTasks, nt)
		r.tasks = append(r.tasks, nt)
		ch.notes = append(ch.notes, notice(r, EventPending, []int64{fb}))
	} else {
		ch.actions = append(ch.actions, trail(r, 0, ActRemind, "deadline passed", now))
	}
	ch.notes = append(ch.notes, notice(r, EventReminded, waiting))
	if err := s.apply(ctx, tx, r, ch, now); err != nil {
		return nil, err
	}
	return ch.notes, nil
}
