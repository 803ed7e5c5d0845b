package approval

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"
)

// Notice is the message on TopicApprovals: which users should hear of an approval, and what.
// The web hub hands Approval to those users' websocket clients that follow "approvals".
type Notice struct {
	Users    []int64    `json:"users"`
	Approval NoticeBody `json:"approval"`
}

// NoticeBody is the approval summary a notice carries.
type NoticeBody struct {
	ID        int64  `json:"id"`
	Subject   string `json:"subject"`
	Status    string `json:"status"`
	Step      string `json:"step"`       // the current step's name; "" unless pending
	StepIndex *int   `json:"step_index"` // null unless pending
	Event     string `json:"event"`      // pending, decided, returned, reminded
}

// Events of a notice.
const (
	EventPending  = "pending"  // a step became the user's to decide
	EventDecided  = "decided"  // someone decided (to the applicant; to approvers whose part became moot)
	EventReturned = "returned" // the request came back to the applicant for revision
	EventReminded = "reminded" // the applicant or the deadline reminds the approvers
)

// notice builds a notice about r's current state.
func notice(r *run, event string, users []int64) Notice {
	b := NoticeBody{ID: r.row.ID, Subject: r.row.Subject, Status: r.row.Status, Event: event}
	if st := r.step(); st != nil {
		idx := r.row.StepIndex
		b.Step, b.StepIndex = st.Name, &idx
	}
	return Notice{Users: dedupe(users), Approval: b}
}

// without returns ids less drop.
func without(ids []int64, drop ...int64) []int64 {
	var out []int64
next:
	for _, id := range ids {
		for _, d := range drop {
			if id == d {
				continue next
			}
		}
		out = append(out, id)
	}
	return out
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	out := []int64{}
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// publish sends the notices on the bus; a lost notice costs a refresh, never a decision.
func (s *Service) publish(ctx context.Context, notes []Notice) {
	if s.bus == nil {
		return
	}
	for _, n := range notes {
		if len(n.Users) == 0 {
			continue
		}
		b, err := json.Marshal(n)
		if err != nil {
			continue
		}
		if err := s.bus.Publish(context.WithoutCancel(ctx), TopicApprovals, b); err != nil {
			s.opt.Logger.Warn("approval: publish notice", slog.Int64("approval_id", n.Approval.ID), slog.Any("error", err))
		}
	}
}

// publishAfterCommit publishes the notices of a change made in the caller's transaction once it
// has committed: when the instance is seen at version (or later) from outside that transaction.
// If it never shows up (the caller rolled back) within Options.NotifyWait, the notices are dropped.
// SQLite gives a rolled-back id to the next row: sameInstance tells them apart.
func (s *Service) publishAfterCommit(row *instanceRow, notes []Notice) {
	if s.bus == nil || len(notes) == 0 {
		return
	}
	want := *row
	row = &want
	go func() {
		deadline := time.Now().Add(s.opt.NotifyWait)
		wait := 20 * time.Millisecond
		for time.Now().Before(deadline) {
			time.Sleep(wait)
			if wait < time.Second {
				wait *= 2
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			got, err := committedInstance(s.db.WithContext(ctx), row.ID)
			cancel()
			if err != nil {
				return // the database is gone (shutting down)
			}
			if got != nil && sameInstance(got, row) && got.Version >= row.Version {
				s.publish(context.Background(), notes)
				return
			}
		}
	}()
}

// sameInstance reports whether the stored row b is the instance a (and not another request that
// took its id after a rollback): same applicant, owner record, subject and creation time.
func sameInstance(a, b *instanceRow) bool {
	return a.ApplicantID == b.ApplicantID && a.RefType == b.RefType && a.RefID == b.RefID &&
		a.Subject == b.Subject && a.CreatedAt.Equal(b.CreatedAt)
}
