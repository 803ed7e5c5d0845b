package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/crypto/bcrypt"

	"fleet/store"
)

// Options tune the service; the zero value gets sane defaults.
type Options struct {
	SessionTTL time.Duration    // how long a session lives; default 12 h
	BcryptCost int              // default bcrypt.DefaultCost
	Throttle   ThrottleConfig   // failed-login limits
	Now        func() time.Time // injectable clock
	Logger     *slog.Logger
	// Redis, when set, holds the sessions (shared by every instance) instead of the database.
	Redis       *redis.Client
	RedisPrefix string // key prefix, default "fleet:"
}

// Service manages units, users, sessions and the audit log.
type Service struct {
	db        *store.DB
	opt       Options
	sessions  sessionStore
	dummyHash string // compared against when the user does not exist, so timing tells nothing
}

// NewService returns a Service on db.
func NewService(db *store.DB, opt Options) *Service {
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	if opt.BcryptCost == 0 {
		opt.BcryptCost = bcrypt.DefaultCost
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	opt.Throttle = opt.Throttle.withDefaults()
	h, _ := hashPassword("not-a-real-password", opt.BcryptCost)
	s := &Service{db: db, opt: opt, sessions: dbSessions{db}, dummyHash: h}
	if opt.Redis != nil {
		if opt.RedisPrefix == "" {
			opt.RedisPrefix = "fleet:"
		}
		s.sessions = newFallbackSessions(redisSessions{rdb: opt.Redis, prefix: opt.RedisPrefix}, s.now)
	}
	return s
}

func (s *Service) now() time.Time { return s.opt.Now().UTC() }

// Ping checks the database, for readiness.
func (s *Service) Ping(ctx context.Context) error { return s.db.Ping(ctx) }
