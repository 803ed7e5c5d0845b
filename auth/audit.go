package auth

import (
	"context"
	"fleet"
	"log/slog"
	"time"
)

// AuditEntry is one line of the security audit log (logins, failed logins, user and role changes).
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	ActorID   *int64    `json:"actor_id"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"`
	Target    string    `json:"target"`
	Detail    string    `json:"detail"`
	IP        string    `json:"ip"`
}

type auditEntry = AuditEntry

// Record writes an audit entry for the actor of ctx. Other packages call it for their own
// security-relevant changes (vehicles, terminals, settings).
func (s *Service) Record(ctx context.Context, action, target, detail string) {
	e := AuditEntry{At: s.now(), Action: action, Target: target, Detail: detail}
	if a := ActorFrom(ctx); a != nil {
		e.ActorID, e.ActorName, e.IP = &a.UserID, a.Username, a.IP
	}
	s.record(ctx, e)
}

// record writes e; a failure is logged, not returned, so that the action it describes still
// answers the user (the action itself already succeeded or failed on its own).
func (s *Service) record(ctx context.Context, e AuditEntry) {
	e.ActorName = truncate(e.ActorName, 100)
	e.Target = truncate(e.Target, 191)
	e.IP = truncate(e.IP, 64)
	if err := s.insertAudit(ctx, &e); err != nil {
		s.opt.Logger.ErrorContext(ctx, "audit write failed", slog.String("action", e.Action), slog.Any("error", err))
	}
}

// ListAudit returns audit entries, newest first.
func (s *Service) ListAudit(ctx context.Context, a *Actor, page fleet.Page) ([]AuditEntry, int64, error) {
	if err := a.Require(PermAuditRead); err != nil {
		return nil, 0, err
	}
	return s.listAudit(ctx, page.Normalize())
}
