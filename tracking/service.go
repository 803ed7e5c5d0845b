package tracking

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
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

	// Detectors.
	NoDetectors  bool           // store and publish only (benchmarks, tools)
	OverspeedFor time.Duration  // how long above the limit makes an overspeed; default 30 s
	MisuseAfter  time.Duration  // how long moving without a task (or off hours) makes misuse; default 5 min
	WorkStart    int            // working day start, minutes after midnight; default 8:00
	WorkEnd      int            // working day end; default 18:00
	Location     *time.Location // the county's time zone; default Asia/Shanghai
	Tasks        Tasks          // active dispatch tasks; default NoTasks
	Trips        TripOptions    // trip and stop detection; zero: Traccar's defaults (trip.go)
}

// Service is the position pipeline, live state and track store.
type Service struct {
	db         *store.DB
	sqlDB      *sql.DB
	bus        bus.Bus
	opt        Options
	live       *Live
	w          *writer
	m          *metrics
	plates     *plateCache
	states     states
	extra      []step                                     // detectors added by other files (geofences)
	fenceLimit func(st *vstate, p *Point) (float64, bool) // a geofence's own speed limit, when inside one
	tasks      Tasks
	calendar   calendar
	seen       authSeen     // logins not yet written to the terminals table
	fences     *fenceHolder // geofences and their H3 index
	trips      tripStates   // live trip builders by vehicle (trip_detect.go)
	cancel     context.CancelFunc
	stopped    chan struct{}
	bg         sync.WaitGroup // background writers that flush on stop
	pubLog     rateLog        // failed publishes of positions
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
	if opt.OverspeedFor <= 0 {
		opt.OverspeedFor = 30 * time.Second
	}
	if opt.MisuseAfter <= 0 {
		opt.MisuseAfter = 5 * time.Minute
	}
	if opt.WorkStart == 0 && opt.WorkEnd == 0 {
		opt.WorkStart, opt.WorkEnd = 8*60, 18*60
	}
	if opt.Location == nil {
		loc, err := time.LoadLocation("Asia/Shanghai")
		if err != nil {
			loc = time.FixedZone("CST", 8*3600)
		}
		opt.Location = loc
	}
	if opt.Tasks == nil {
		opt.Tasks = NoTasks{}
	}
	sqlDB, err := db.DB.DB()
	if err != nil {
		return nil, err
	}
	s := &Service{db: db, sqlDB: sqlDB, bus: b, opt: opt, m: newMetrics(opt.Registry), stopped: make(chan struct{}), tasks: opt.Tasks,
		fences: &fenceHolder{nights: map[int64]int{}}}
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
	s.fenceLimit = s.fenceSpeedLimit
	if err := s.LoadGeofences(ctx); err != nil {
		cancel()
		return nil, err
	}
	s.w.start()
	go func() {
		defer close(s.stopped)
		s.live.mirror(ctx, 200*time.Millisecond)
	}()
	go s.maintain(ctx, 6*time.Hour)
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		s.flushSeen(ctx, 5*time.Second)
	}()
	if !opt.NoDetectors {
		go s.watchOnline(ctx, 15*time.Second)
	}
	return s, nil
}

// Close stops taking points, writes what is queued and stops the live mirror.
func (s *Service) Close() {
	s.w.stop()
	s.cancel()
	<-s.stopped
	s.bg.Wait()
}

// Live returns the live state.
func (s *Service) Live() *Live { return s.live }
