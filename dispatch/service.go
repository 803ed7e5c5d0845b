package dispatch

import (
	"context"
	"time"

	"fleet/auth"
	"fleet/store"
)

// Service keeps the fleet's records.
type Service struct {
	db    *store.DB
	audit *auth.Service
	now   func() time.Time
}

// NewService returns a Service on db that writes its changes to audit's log.
func NewService(db *store.DB, audit *auth.Service) *Service {
	return &Service{db: db, audit: audit, now: func() time.Time { return time.Now().UTC() }}
}

// record writes an audit line for the actor of ctx (vehicle and driver changes are kept too:
// terminal bindings decide whose positions are whose).
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}
