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
	loc   *time.Location // the county's zone: rosters and reminders count days in it; see SetLocation

	// onChange hears of every committed change of vehicles, drivers, the roster and vehicle
	// records (the dispatch desk drops its fleet snapshot); nil without a desk.
	onChange func(context.Context)
}

// NewService returns a Service on db that writes its changes to audit's log.
func NewService(db *store.DB, audit *auth.Service) *Service {
	return &Service{db: db, audit: audit, now: func() time.Time { return time.Now().UTC() }, loc: beijing}
}

// record writes an audit line for the actor of ctx (vehicle and driver changes are kept too:
// terminal bindings decide whose positions are whose).
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.audit != nil {
		s.audit.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}

// changed tells the desk, if any, that the fleet records changed.
func (s *Service) changed(ctx context.Context) {
	if s.onChange != nil {
		s.onChange(ctx)
	}
}

// SetLocation sets the county's time zone (default Asia/Shanghai's UTC+8); call it before use.
func (s *Service) SetLocation(loc *time.Location) {
	if loc != nil {
		s.loc = loc
	}
}
