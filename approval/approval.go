// Package approval is the one sign-off engine of the platform: versioned process definitions,
// running instances with their steps and votes, actions, the append-only trail and deadlines.
package approval

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"gorm.io/gorm"

	"fleet/auth"
	"fleet/bus"
	"fleet/store"
)

// TopicApprovals is the bus topic of approval notices (a Notice as JSON).
const TopicApprovals = "approvals"

// Statuses of an instance.
const (
	StatusPending   = "pending"
	StatusApproved  = "approved"
	StatusRejected  = "rejected"
	StatusReturned  = "returned"
	StatusWithdrawn = "withdrawn"
)

// Options tune the service; the zero value gets the defaults.
type Options struct {
	Now        func() time.Time // injectable clock; default time.Now
	Logger     *slog.Logger
	CheckEvery time.Duration // how often Start sweeps for passed deadlines; default 1 min
	// NotifyWait bounds how long a notice of SubmitTx/ResubmitTx waits for the caller's
	// transaction to commit before it is dropped; default 2 min.
	NotifyWait time.Duration
}

// Hook runs inside an action's transaction when an instance of its ref type changes status.
type Hook func(ctx context.Context, tx *gorm.DB, in *Instance) error

// Service runs approval instances on their definitions.
type Service struct {
	db   *store.DB
	auth *auth.Service
	bus  bus.Bus
	opt  Options
	defs sync.Map // "key/version" → *Definition; a stored version never changes

	mu    sync.RWMutex
	hooks map[string][]Hook
}

// NewService returns a Service on db; a (for the audit log of definition and group changes) and
// b (for notices) may be nil in tools and tests.
func NewService(db *store.DB, a *auth.Service, b bus.Bus, opt Options) (*Service, error) {
	if db == nil {
		return nil, errors.New("approval: no database")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.CheckEvery <= 0 {
		opt.CheckEvery = time.Minute
	}
	if opt.NotifyWait <= 0 {
		opt.NotifyWait = 2 * time.Minute
	}
	return &Service{db: db, auth: a, bus: b, opt: opt, hooks: map[string][]Hook{}}, nil
}

// OnFinish registers fn to run INSIDE the action's transaction whenever an instance of refType
// changes status (approved, rejected, returned, withdrawn, and pending again on resubmit). An
// error from fn undoes the action. Register at start-up, before serving.
func (s *Service) OnFinish(refType string, fn func(ctx context.Context, tx *gorm.DB, in *Instance) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks[refType] = append(s.hooks[refType], fn)
}

// runHooks calls the hooks of the instance's ref type.
func (s *Service) runHooks(ctx context.Context, tx *gorm.DB, in *Instance) error {
	s.mu.RLock()
	hooks := s.hooks[in.RefType]
	s.mu.RUnlock()
	for _, h := range hooks {
		if err := h(ctx, tx, in); err != nil {
			return err
		}
	}
	return nil
}

// now is the service's clock, in UTC and to the millisecond (what MySQL's DATETIME(3) keeps).
func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Millisecond) }

// record writes an audit line for a definition or group change.
func (s *Service) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	if s.auth != nil {
		s.auth.Record(auth.WithActor(ctx, a), action, target, detail)
	}
}
