package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"fleet"
	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/tracking"
)

// The demo county's past month: requests filed by the staff of its units, approved by their
// heads, assigned by the dispatcher, driven and ended by the drivers, rated by the applicants —
// each step through the platform's own services, as it would have happened, on a clock that
// walks through the month. The trips' tracks go through the tracking pipeline, whose detectors
// cut them into trips and stops, count the days and raise what they see: a few vehicles are
// caught driving with no task, at night, and out of the county.

// HistoryOptions tune SeedHistory; the zero value adds the people only.
type HistoryOptions struct {
	Days     int              // days of history before today (30: a month); 0: the people only
	PerDay   int              // requests on a working day, about; default 7
	Now      func() time.Time // the end of the history; default time.Now
	Location *time.Location   // the county's zone; default Asia/Shanghai
	Password string           // of the logins the history adds; default DefaultPassword
	Seed     uint64           // draws the month; the same seed, the same month (default 2026)
	Logger   *slog.Logger
}

// HistoryResult says what SeedHistory did.
type HistoryResult struct {
	Created  bool           // whether the month was played (not when the county had requests)
	Users    int            // logins created (applicants, heads, drivers)
	Requests map[string]int // requests by final status
	Tasks    int            // tasks assigned (a declined task and its successor count twice)
	Declined int            // tasks declined by their driver
	Rated    int
	Points   int // positions stored
	Misuses  int // drives with no task
	// Abandoned counts the steps the services refused (each ends its trip): 0 unless the plan
	// asks for something the rules forbid.
	Abandoned int
	Took      time.Duration
}

// String sums the history up for the start-up output.
func (r *HistoryResult) String() string {
	n := 0
	for _, c := range r.Requests {
		n += c
	}
	return fmt.Sprintf("Demo history: %d requests (%d completed, %d cancelled, %d rejected), %d tasks, %d positions, %d misuse drives; seeded in %.1f s",
		n, r.Requests[dispatch.ReqCompleted], r.Requests[dispatch.ReqCancelled], r.Requests[dispatch.ReqRejected], r.Tasks, r.Points,
		r.Misuses, r.Took.Seconds())
}

// SeedHistory makes sure the demo county's people exist — staff of its units who ask for cars,
// their unit heads, a login for every driver — and gives the county a month of history (Days),
// once: when it has no request yet. Seed must have run (the units, fleet, roster, geofences and
// approval definitions exist). The month runs on services of its own (on db) with a clock of
// their own; the caller's services find the result in the database.
func SeedHistory(ctx context.Context, db *store.DB, opt HistoryOptions) (*HistoryResult, error) {
	began := time.Now()
	opt = opt.withDefaults()
	res := &HistoryResult{Requests: map[string]int{}}
	end := opt.Now().UTC().Truncate(time.Second)
	start := midnight(end.In(opt.Location)).AddDate(0, 0, -opt.Days)
	c := &clock{t: start.UTC().AddDate(0, 0, -7)} // the people were there before the month
	// The history's logins share the published demo password, so the hashing cost, which
	// protects a secret one, buys nothing here but seconds at every first start.
	a := auth.NewService(db, auth.Options{BcryptCost: bcrypt.MinCost, Now: c.now, Logger: opt.Logger})
	fleetSvc := dispatch.NewService(db, a)
	ppl, err := seedPeople(ctx, a, fleetSvc, opt.Password, &res.Users)
	if err != nil {
		return res, fmt.Errorf("demo: history people: %w", err)
	}
	if opt.Days <= 0 {
		return res, nil
	}
	if played, err := hasRequests(ctx, db, a, fleetSvc); err != nil || played {
		return res, err
	}
	hdb, release, err := historyStore(ctx, db)
	if err != nil {
		return res, fmt.Errorf("demo: history: %w", err)
	}
	defer release()
	h, err := newHistory(ctx, hdb, opt, c)
	if err != nil {
		return res, fmt.Errorf("demo: history: %w", err)
	}
	defer h.close()
	h.res, h.people = res, ppl
	if err := h.run(ctx, start, end); err != nil {
		return res, fmt.Errorf("demo: history: %w", err)
	}
	res.Created = true
	res.Took = time.Since(began)
	return res, nil
}

// hasRequests reports whether the county has a vehicle request already.
func hasRequests(ctx context.Context, db *store.DB, a *auth.Service, fleetSvc *dispatch.Service) (bool, error) {
	ap, err := approval.NewService(db, a, nil, approval.Options{})
	if err != nil {
		return false, err
	}
	desk, err := dispatch.NewDesk(fleetSvc, ap, nil, dispatch.NewTaskBoard(db, nil), nil, dispatch.DeskOptions{})
	if err != nil {
		return false, err
	}
	_, total, err := desk.ListRequests(ctx, auth.System, dispatch.RequestFilter{Page: fleet.Page{Limit: 1}})
	if err != nil {
		return false, fmt.Errorf("demo: history: %w", err)
	}
	return total > 0, nil
}

func (o HistoryOptions) withDefaults() HistoryOptions {
	if o.PerDay <= 0 {
		o.PerDay = 7
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = countyZone()
	}
	if o.Password == "" {
		o.Password = DefaultPassword
	}
	if o.Seed == 0 {
		o.Seed = 2026
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// clock is the history's time: the services read it, the history moves it.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// history holds the services the month goes through and what it has done so far.
type history struct {
	opt        HistoryOptions
	clock      *clock
	rng        *rand.Rand
	auth       *auth.Service
	fleet      *dispatch.Service
	approvals  *approval.Service
	track      *tracking.Service
	desk       *dispatch.Desk
	bus        *bus.InProcess
	cancel     context.CancelFunc
	dispatcher *auth.Actor
	people     *people
	vehicles   map[int64]*fleetCar
	checklist  []string
	events     eventQueue
	res        *HistoryResult
}

// newHistory starts the history's own services on db, on the clock c.
func newHistory(ctx context.Context, db *store.DB, opt HistoryOptions, c *clock) (*history, error) {
	h := &history{opt: opt, clock: c, rng: rand.New(rand.NewPCG(opt.Seed, 7))}
	h.auth = auth.NewService(db, auth.Options{BcryptCost: bcrypt.MinCost, Now: c.now, Logger: opt.Logger})
	h.fleet = dispatch.NewService(db, h.auth)
	h.fleet.SetLocation(opt.Location)
	h.bus = bus.NewInProcess(bus.Options{})
	var err error
	if h.approvals, err = approval.NewService(db, h.auth, nil, approval.Options{Now: c.now, Logger: opt.Logger}); err != nil {
		return nil, err
	}
	board := dispatch.NewTaskBoard(db, opt.Logger)
	// Errors only: the desk warns of every task text a parked terminal has not heard yet.
	quiet := slog.New(minLevel{opt.Logger.Handler(), slog.LevelError})
	// Online and offline are news of the present: a terminal silent between two trips of last
	// month is not.
	h.track, err = tracking.NewService(db, h.bus, tracking.Options{Now: c.now, Location: opt.Location, Tasks: board, Logger: quiet,
		OfflineAfter: 365 * 24 * time.Hour})
	if err != nil {
		h.bus.Close()
		return nil, err
	}
	h.desk, err = dispatch.NewDesk(h.fleet, h.approvals, h.track, board, nil, dispatch.DeskOptions{Now: c.now, Logger: quiet,
		Location: opt.Location, SnapshotTTL: 30 * time.Minute})
	if err == nil {
		var dctx context.Context
		dctx, h.cancel = context.WithCancel(ctx)
		err = h.desk.Start(dctx)
	}
	if err != nil {
		h.close()
		return nil, err
	}
	return h, nil
}

func (h *history) close() {
	if h.cancel != nil {
		h.cancel()
	}
	h.track.Close()
	h.bus.Close()
}

// run lays out the month and plays it.
func (h *history) run(ctx context.Context, start, end time.Time) error {
	if err := h.prepare(ctx, start); err != nil {
		return err
	}
	pl := &planner{rng: h.rng, loc: h.opt.Location}
	for _, t := range pl.plan(start, end, h.opt.PerDay) {
		h.schedule(t.filed, t, stepFile)
	}
	h.scheduleMisuse(start, end)
	return h.play(ctx, end)
}

// minLevel is a slog handler that drops records below a level.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (m minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= m.min && m.Handler.Enabled(ctx, l)
}

func (m minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{m.Handler.WithAttrs(as), m.min}
}
func (m minLevel) WithGroup(n string) slog.Handler { return minLevel{m.Handler.WithGroup(n), m.min} }

// refused reports whether err is a service's refusal (a 4xx), not a failure.
func refused(err error) bool {
	var fe *fleet.Error
	return errors.As(err, &fe) && fe.Code != fleet.EInternal && fe.Code != fleet.EUnavailable
}
