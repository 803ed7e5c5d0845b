// Package wsload measures fleetd's live push: websocket clients subscribed to every position,
// each delivery timed from the moment the simulated terminal wrote the report (Sent, wired to
// sim.Config.OnSend in the same process), so latency is exact although fix times are whole
// seconds.
package wsload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"fleet/cmd/fleetsim/latency"
)

// Config says what clients to run and what to measure.
type Config struct {
	// Bases are fleetd's HTTP addresses ("http://127.0.0.1:8080"); client i connects to
	// Bases[i % len(Bases)]. Vehicles are listed through the first.
	Bases    []string
	Clients  int
	Username string // a user who may follow positions; one login per base serves every client
	Password string
	// Phones[i] is terminal i's phone (sim.Config.Phone(i)): a delivered item is matched to its
	// terminal through the vehicle's terminal phone. Empty when no terminals run.
	Phones []string
	// Warmup is how long after Start the measured window begins (terminals logging in, the
	// backlog clearing); Window how long it lasts (0: until Stop).
	Warmup time.Duration
	Window time.Duration
	// BehindAfter is the p99 latency over the window above which a client counts as falling
	// behind (as does one the server dropped).
	BehindAfter time.Duration
	Progress    time.Duration // between progress lines
}

// DefaultConfig returns 200 clients of user admin, a 1 s falling-behind bound and progress
// every 5 s.
func DefaultConfig() Config {
	return Config{Clients: 200, Username: "admin", BehindAfter: time.Second, Progress: 5 * time.Second}
}

// Validate reports every problem of c.
func (c Config) Validate() error {
	var errs []error
	if len(c.Bases) == 0 {
		errs = append(errs, errors.New("no fleetd base address"))
	}
	for _, b := range c.Bases {
		if _, err := wsURL(b, ""); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Clients < 1 {
		errs = append(errs, fmt.Errorf("clients must be at least 1, got %d", c.Clients))
	}
	if c.Username == "" || c.Password == "" {
		errs = append(errs, errors.New("a username and password are needed to sign in"))
	}
	if c.Warmup < 0 || c.Window < 0 || c.BehindAfter <= 0 || c.Progress <= 0 {
		errs = append(errs, errors.New("warm-up and window must not be negative, the behind bound and progress period must be positive"))
	}
	return errors.Join(errs...)
}

// Load is a running set of clients.
type Load struct {
	cfg      Config
	terms    map[int64]int32 // vehicle id → terminal index
	sends    sends
	first    latency.Hist // the first delivery of each report, to whichever client
	clients  []*client
	start    time.Time // every client had subscribed
	stopping atomic.Bool
	readers  sync.WaitGroup
	log      io.Writer

	mu              sync.Mutex
	from, mid, to   *mark // the measured window and its middle
	timers          []*time.Timer
	stopProgress    chan struct{}
	progressDone    chan struct{}
	connectErrors   int
	connectProblems []string
	snapshotItems   int
}

// Start signs in, maps vehicles to terminals, connects cfg.Clients clients, subscribes each to
// positions and returns once every one has its snapshot (or failed to connect: those are
// counted; an error only when none connected). The clients read until Stop. Progress lines go
// to progress, which may be nil.
func Start(ctx context.Context, cfg Config, progress io.Writer) (*Load, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("wsload: %w", err)
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	urls, tokens := make([]string, len(cfg.Bases)), make([]string, len(cfg.Bases))
	for i, base := range cfg.Bases {
		var err error
		if tokens[i], err = Login(ctx, hc, base, cfg.Username, cfg.Password); err != nil {
			return nil, err
		}
		if urls[i], err = wsURL(base, tokens[i]); err != nil {
			return nil, err
		}
	}
	l := &Load{cfg: cfg, terms: map[int64]int32{}, sends: newSends(len(cfg.Phones)), log: progress}
	if len(cfg.Phones) > 0 {
		phones, err := vehiclePhones(ctx, hc, cfg.Bases[0], tokens[0])
		if err != nil {
			return nil, err
		}
		byPhone := make(map[string]int32, len(cfg.Phones))
		for i, p := range cfg.Phones {
			byPhone[strings.TrimLeft(p, "0")] = int32(i)
		}
		for id, p := range phones {
			if t, ok := byPhone[p]; ok {
				l.terms[id] = t
			}
		}
		if len(l.terms) == 0 {
			return nil, fmt.Errorf("wsload: none of the %d vehicles at %s has a terminal phone of the run", len(phones), cfg.Bases[0])
		}
	}

	// Connect 16 at a time: fast, without a burst of handshakes fleetd would queue.
	l.clients = make([]*client, cfg.Clients)
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range min(16, cfg.Clients) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= cfg.Clients || ctx.Err() != nil {
					return
				}
				c, err := l.connect(ctx, i, urls[i%len(urls)])
				l.mu.Lock()
				if err != nil {
					l.connectErrors++
					if len(l.connectProblems) < 5 {
						l.connectProblems = append(l.connectProblems, err.Error())
					}
				} else {
					l.clients[i] = c
				}
				l.mu.Unlock()
			}
		})
	}
	wg.Wait()
	live := l.clients[:0]
	for _, c := range l.clients {
		if c != nil {
			live = append(live, c)
		}
	}
	l.clients = live
	if len(live) == 0 {
		l.Stop()
		return nil, fmt.Errorf("wsload: no client connected: %s", strings.Join(l.connectProblems, "; "))
	}

	l.start = time.Now()
	l.at(cfg.Warmup, &l.from)
	if cfg.Window > 0 {
		l.at(cfg.Warmup+cfg.Window/2, &l.mid)
		l.at(cfg.Warmup+cfg.Window, &l.to)
	}
	l.stopProgress, l.progressDone = make(chan struct{}), make(chan struct{})
	go l.progress()
	return l, nil
}

// at takes a mark into *m d after the start.
func (l *Load) at(d time.Duration, m **mark) {
	l.timers = append(l.timers, time.AfterFunc(d, func() {
		mk := l.mark()
		l.mu.Lock()
		*m = mk
		l.mu.Unlock()
	}))
}

// connect dials url as client i, subscribes to positions and waits for the snapshot.
func (l *Load) connect(ctx context.Context, i int, url string) (*client, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second, ReadBufferSize: 32 << 10, WriteBufferSize: 1 << 10}
	conn, res, err := d.DialContext(ctx, url, nil)
	if err != nil {
		if res != nil {
			return nil, fmt.Errorf("client %d: %w (%s)", i, err, res.Status)
		}
		return nil, fmt.Errorf("client %d: %w", i, err)
	}
	c := &client{l: l, base: i % len(l.cfg.Bases), conn: conn, last: make([]int64, len(l.cfg.Phones)),
		subscribed: make(chan struct{}), ended: make(chan struct{})}
	conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"subscribe","topics":["positions"]}`)); err != nil {
		conn.Close()
		return nil, fmt.Errorf("client %d: subscribe: %w", i, err)
	}
	l.readers.Go(c.read)
	wait := time.NewTimer(30 * time.Second)
	defer wait.Stop()
	select {
	case <-c.subscribed:
		return c, nil
	case <-c.ended:
		return nil, fmt.Errorf("client %d: connection ended before the snapshot: %s", i, c.reason())
	case <-wait.C:
	case <-ctx.Done():
	}
	conn.Close()
	<-c.ended
	return nil, fmt.Errorf("client %d: no snapshot within 30 s: %s", i, c.reason())
}

// Sent records that terminal term wrote its report of fix (Unix seconds) at at: the hook for
// sim.Config.OnSend. It allocates nothing and takes no lock.
func (l *Load) Sent(term int, fix int64, at time.Time) {
	if term >= 0 && term < len(l.sends) {
		l.sends.put(term, fix, at)
	}
}

// Clients returns how many clients are connected now.
func (l *Load) Clients() int {
	n := 0
	for _, c := range l.clients {
		if !c.dropped.Load() {
			n++
		}
	}
	return n
}

// Stop ends the window if it is still open, closes every client and returns the summary.
func (l *Load) Stop() Summary {
	for _, t := range l.timers {
		t.Stop()
	}
	end := l.mark()
	l.stopping.Store(true)
	if l.stopProgress != nil {
		close(l.stopProgress)
		<-l.progressDone
	}
	for _, c := range l.clients {
		c.conn.Close()
	}
	l.readers.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.to == nil {
		l.to = end
	}
	return l.summary()
}
