package tracking

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"fleet/bus"
	"fleet/store"
)

// TopicPositions is the bus topic of accepted points that moved a vehicle's live position.
const TopicPositions = "positions"

// Options tune the tracking service; the zero value gets the defaults of the issue.
type Options struct {
	OfflineAfter  time.Duration // silence after which a vehicle is offline; default 5 min
	MaxFuture     time.Duration // how far a fix time may lie ahead of the clock; default 10 min
	MaxSpeedKmh   float64       // implied speed from the previous point above which a point is rejected; default 220
	BatchRows     int           // rows per commit at most; default 2000
	BatchDelay    time.Duration // how long a commit may wait to fill up; default 0 (commit what is queued)
	Writers       int           // concurrent committing workers; default 1 on SQLite, 4 on MySQL
	RetentionDays int           // positions older than this are dropped (MySQL: by partition); 0 keeps all
	Redis         *redis.Client // live state mirror, when several instances run
	RedisPrefix   string
	Registry      prometheus.Registerer
	Logger        *slog.Logger
	Now           func() time.Time
}

// Service is the position pipeline, live state and track store.
type Service struct {
	db      *store.DB
	sqlDB   *sql.DB
	bus     bus.Bus
	opt     Options
	live    *Live
	w       *writer
	m       *metrics
	plates  *plateCache
	cancel  context.CancelFunc
	stopped chan struct{}
}

// NewService returns the tracking service and starts its writer; call Close to flush and stop.
func NewService(db *store.DB, b bus.Bus, opt Options) (*Service, error) {
	if opt.MaxFuture <= 0 {
		opt.MaxFuture = 10 * time.Minute
	}
	if opt.MaxSpeedKmh == 0 {
		opt.MaxSpeedKmh = 220
	}
	if opt.BatchRows <= 0 {
		opt.BatchRows = 2000
	}
	if opt.Writers <= 0 {
		opt.Writers = 1
		if db.Dialect == store.MySQL {
			opt.Writers = 4
		}
	}
	if opt.Now == nil {
		opt.Now = func() time.Time { return time.Now().UTC() }
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.RedisPrefix == "" {
		opt.RedisPrefix = "fleet:"
	}
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, err
	}
	s := &Service{db: db, sqlDB: sqlDB, bus: b, opt: opt, m: newMetrics(opt.Registry), stopped: make(chan struct{})}
	s.live = NewLive(opt.OfflineAfter, opt.Redis, opt.RedisPrefix, opt.Logger)
	s.plates = newPlateCache(s)
	s.w = &writer{db: sqlDB, dialect: db.Dialect, queue: make(chan *writeReq, 4096), maxRows: opt.BatchRows,
		workers: opt.Writers, maxDelay: opt.BatchDelay, now: opt.Now, observe: s.m.observeWrite}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	if err := s.loadLive(ctx); err != nil {
		cancel()
		return nil, err
	}
	s.w.start()
	go func() {
		defer close(s.stopped)
		s.live.mirror(ctx, 200*time.Millisecond)
	}()
	go s.maintain(ctx, 6*time.Hour)
	return s, nil
}

// Close stops taking points, writes what is queued and stops the live mirror.
func (s *Service) Close() {
	s.w.stop()
	s.cancel()
	<-s.stopped
}

// Live returns the live state.
func (s *Service) Live() *Live { return s.live }
