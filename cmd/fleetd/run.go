package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/auth"
	"fleet/bus"
	"fleet/canteen"
	"fleet/cmd/fleetsim/sim"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/energy"
	"fleet/office"
	"fleet/store"
	"fleet/tracking"
	"fleet/tracking/gateway"
	"fleet/web"
	"fleet/web/console"
)

// run owns the process: config → store → bus → services → listeners; it returns when ctx ends or
// SIGINT/SIGTERM arrives, after a graceful stop in reverse order.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args[1:], getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := store.Open(ctx, store.Config{URL: cfg.DB, Logger: log})
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	log.Info("database ready", slog.String("dialect", db.Dialect), slog.Int("migrations_applied", applied))
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return fmt.Errorf("data dir: %w", err)
	}

	b, err := bus.Open(ctx, cfg.Redis, log)
	if err != nil {
		return err
	}
	defer b.Close()
	busName := "in-process"
	if cfg.Redis != "" {
		busName = "redis"
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	authOpt := auth.Options{Logger: log, BcryptCost: bcryptCost(getenv)}
	var rdb *redis.Client
	if cfg.Redis != "" {
		// go-redis logs through a package-level logger; send its lines to ours.
		redis.SetLogger(&redisLog{log: log})
		ropt, err := redis.ParseURL(cfg.Redis)
		if err != nil {
			return fmt.Errorf("FLEET_REDIS: %w", err)
		}
		rdb = redis.NewClient(ropt)
		defer rdb.Close()
		authOpt.Redis = rdb // sessions shared by every instance
	}
	authSvc := auth.NewService(db, authOpt)
	fleetSvc := dispatch.NewService(db, authSvc)
	approvalSvc, err := approval.NewService(db, authSvc, b, approval.Options{Logger: log})
	if err != nil {
		return err
	}
	county, err := time.LoadLocation(cfg.TimeZone) // validated with the config
	if err != nil {
		return err
	}
	fleetSvc.SetLocation(county) // document dates (insurance, inspection, licence) run to midnight there
	// The task board is tracking's Tasks (the misuse detector and the live map ask it) and the
	// dispatch desk's: made first, it breaks the cycle tracking ← board → desk → tracking.
	board := dispatch.NewTaskBoard(db, log)
	trackSvc, err := tracking.NewService(db, b, tracking.Options{
		OfflineAfter: cfg.OfflineAfter, RetentionDays: cfg.RetentionDays, Redis: rdb, Registry: reg, Logger: log,
		Location: county, Tasks: board,
	})
	if err != nil {
		return err
	}
	// Stopped after HTTP and the gateway have drained: queued points are written first.
	defer trackSvc.Close()
	desk, err := dispatch.NewDesk(fleetSvc, approvalSvc, trackSvc, board, b, dispatch.DeskOptions{Logger: log, Location: county})
	if err != nil {
		return err
	}
	procSvc, err := procurement.NewService(db, approvalSvc, authSvc, procurement.Options{
		DataDir: cfg.DataDir, Location: county, Logger: log,
	})
	if err != nil {
		return err
	}
	officeSvc, err := office.NewService(db, approvalSvc, authSvc, office.Options{Location: county, Logger: log})
	if err != nil {
		return err
	}
	canteenSvc, err := canteen.NewService(db, authSvc, canteen.Options{Location: county, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return err
	}
	energySvc, err := energy.NewService(db, fleetSvc, authSvc, energy.Options{Location: county, Logger: log})
	if err != nil {
		return err
	}

	if pw, err := authSvc.EnsureAdmin(ctx, cfg.AdminPassword); err != nil {
		return fmt.Errorf("create admin: %w", err)
	} else if pw != "" && cfg.AdminPassword == "" {
		fmt.Fprintf(stdout, "Created user admin with password %s (shown once; change it after signing in)\n", pw)
	}
	if err := approvalSvc.EnsureDefaults(ctx); err != nil {
		return fmt.Errorf("approval definitions: %w", err)
	}
	if err := procSvc.EnsureDefaults(ctx); err != nil {
		return fmt.Errorf("vehicle standards: %w", err)
	}
	// After the engine's own defaults: the definition's second step names their county_leaders group.
	if err := office.EnsureDefaults(ctx, approvalSvc, authSvc); err != nil {
		return fmt.Errorf("office definitions: %w", err)
	}
	if cfg.Demo {
		res, err := demo.Seed(ctx, db, authSvc, fleetSvc, demo.Options{Tracking: trackSvc, Approval: approvalSvc, Canteen: canteenSvc, Energy: energySvc})
		if err != nil {
			return fmt.Errorf("seed demo: %w", err)
		}
		printLogins(stdout, res)
		hist, err := demo.SeedHistory(ctx, db, demo.HistoryOptions{Days: cfg.DemoHistoryDays, Location: county, Logger: log})
		if err != nil {
			return fmt.Errorf("seed demo history: %w", err)
		} else if hist.Created {
			fmt.Fprintln(stdout, hist)
		}
	}
	if err := desk.Start(ctx); err != nil {
		return fmt.Errorf("dispatch desk: %w", err)
	}
	if cfg.Demo && cfg.DemoEvery > 0 { // staff of the demo county keep asking for cars
		stopLive, err := demo.StartLive(ctx, desk, approvalSvc, authSvc, demo.LiveOptions{Every: cfg.DemoEvery, Location: county, Logger: log})
		if err != nil {
			return err
		}
		defer stopLive()
	}
	var gw *gateway.Server
	gwDone := make(chan error, 1)
	if cfg.JT808Addr != "" {
		gln, err := net.Listen("tcp", cfg.JT808Addr)
		if err != nil {
			return fmt.Errorf("listen %s: %w", cfg.JT808Addr, err)
		}
		gw = gateway.New(trackSvc, b, gateway.Config{IdleTimeout: cfg.JT808Idle, Logger: log, Registry: reg})
		go func() { gwDone <- gw.Serve(ctx, gln) }()
		log.Info("JT/T 808 gateway listening", slog.String("addr", gln.Addr().String()))
		fmt.Fprintf(stdout, "fleetd: JT/T 808 terminals on %s\n", gln.Addr())
		if cfg.Demo {
			// The demo county moves: simulated terminals of the demo vehicles report to us.
			simCtx, simStop := context.WithCancel(ctx)
			simDone := make(chan struct{})
			defer func() { simStop(); <-simDone }()
			go func() {
				defer close(simDone)
				port := gln.Addr().(*net.TCPAddr).Port
				_, err := sim.Run(simCtx, sim.Config{Server: fmt.Sprintf("127.0.0.1:%d", port), N: demoTerminals, Interval: 5 * time.Second,
					PhonePrefix: "139079", First: 50001, V2019Ratio: 0.5, Ramp: 10 * time.Second, Drain: -1, Progress: time.Hour}, io.Discard)
				if err != nil && ctx.Err() == nil {
					log.Warn("demo terminals stopped", slog.Any("error", err))
				}
			}()
		}
	}

	hub := web.NewHub(trackSvc, b, log)
	go func() {
		if err := hub.Run(ctx); err != nil {
			log.Error("live push stopped", slog.Any("error", err))
		}
	}()
	handler := web.NewServer(web.Deps{
		Hub: hub, Origins: cfg.Origins, Tiles: web.Tiles{URL: cfg.TileURL, CRS: cfg.TileCRS},
		Logger: log, Auth: authSvc, Approval: approvalSvc, Fleet: fleetSvc, Tracking: trackSvc, DB: db, Bus: b, BusName: busName, Registry: reg,
		Console: console.Handler(), MaxBody: cfg.MaxBody, TrustXFF: cfg.TrustProxy, Procurement: procSvc, Office: officeSvc, Dispatch: desk,
		Canteen: canteenSvc, Energy: energySvc,
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.HTTPAddr, err)
	}
	log.Info("fleetd listening", slog.String("http", ln.Addr().String()), slog.String("bus", busName))
	fmt.Fprintf(stdout, "fleetd: listening on http://%s\n", displayAddr(ln.Addr()))

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	go purgeLoop(ctx, authSvc, log)
	go approvalSvc.Start(ctx) // deadline reminders and escalation

	select {
	case err := <-serveErr:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	log.Info("stopping: draining HTTP requests and terminal sessions")
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownWait)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("http shutdown", slog.Any("error", err))
	}
	if gw != nil {
		gw.Close() // sessions finish the commit they wait on, then close; queued points are written by trackSvc.Close
	}
	log.Info("stopped")
	return nil
}

// demoTerminals is how many demo vehicles drive around in demo mode (the demo county has 40).
const demoTerminals = 30

// purgeLoop removes expired sessions every 10 minutes.
func purgeLoop(ctx context.Context, a *auth.Service, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := a.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purge sessions", slog.Any("error", err))
		} else if n > 0 {
			log.Info("purged expired sessions", slog.Int64("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// bcryptCost reads FLEET_BCRYPT_COST, meant for tests only; 0 means the default.
func bcryptCost(getenv func(string) string) int {
	var n int
	fmt.Sscan(getenv("FLEET_BCRYPT_COST"), &n)
	if n < 4 || n > 14 {
		return 0
	}
	return n
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func printLogins(w io.Writer, res *demo.Result) {
	fmt.Fprintln(w, "Demo county ready. Demo logins (demo data only):")
	for _, l := range res.Logins {
		fmt.Fprintf(w, "  %-16s %-22s password %-18s %s\n", l.Role, l.Username, l.Password, l.Unit)
	}
	if len(res.Approvers) > 0 {
		fmt.Fprintln(w, "Approvers in the approval groups:")
		for _, l := range res.Approvers {
			fmt.Fprintf(w, "  %-16s %-22s password %-18s %s\n", l.Role, l.Username, l.Password, l.Unit)
		}
	}
}

// redisLog hands go-redis's log lines to slog, at most one a second: while Redis is away go-redis
// logs every failed dial, dozens a second.
type redisLog struct {
	log  *slog.Logger
	last atomic.Int64 // Unix nanoseconds of the last line
}

func (l *redisLog) Printf(ctx context.Context, format string, v ...any) {
	now, last := time.Now().UnixNano(), l.last.Load()
	if now-last < int64(time.Second) || !l.last.CompareAndSwap(last, now) {
		return
	}
	l.log.WarnContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}
