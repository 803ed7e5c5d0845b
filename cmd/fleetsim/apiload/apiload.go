// Package apiload sends fleetd steady API traffic, the reads of the map console, the dispatch
// desk and the other modules' pages, at a fixed rate (open loop: a request is timed from when it
// was due, so a slow server cannot slow the load down and hide its own latency), and reports
// the latency over the whole run and minute by minute.
package apiload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fleet/cmd/fleetsim/latency"
	"fleet/cmd/fleetsim/wsload"
)

// Config says where to send requests, as whom and how often.
type Config struct {
	Bases    []string // fleetd HTTP addresses; requests go to them in turn
	Username string   // a user who may read every path (admin)
	Password string
	Rate     float64 // requests a second, over all paths
	Workers  int     // requests in flight at most; a due request waits for a free worker
	// Paths are the GET requests, picked in turn; "{vehicle}" is replaced by a random vehicle
	// id and "{since}" by ten minutes ago (RFC 3339).
	Paths    []string
	Progress time.Duration
}

// DefaultPaths is a dispatcher's and a manager's working day: the live map, a vehicle's track
// and day, the queue, requests, approvals, events, statistics and the other modules' lists.
var DefaultPaths = []string{
	"/api/me",
	"/api/live",
	"/api/vehicles?limit=50",
	"/api/vehicles/{vehicle}",
	"/api/vehicles/{vehicle}/track?from={since}",
	"/api/vehicles/{vehicle}/today",
	"/api/events?limit=50",
	"/api/dispatch/queue",
	"/api/requests?limit=50",
	"/api/approvals/counts",
	"/api/dispatch/stats",
	"/api/fleet/reminders",
	"/api/drivers?limit=50",
	"/api/canteen/menu",
	"/api/office/rooms?limit=50",
	"/api/energy/meters",
}

// DefaultConfig is 20 requests a second over DefaultPaths by 16 workers, as admin.
func DefaultConfig() Config {
	return Config{Username: "admin", Rate: 20, Workers: 16, Paths: DefaultPaths, Progress: 5 * time.Second}
}

// Validate reports every problem of c.
func (c Config) Validate() error {
	var errs []error
	if len(c.Bases) == 0 {
		errs = append(errs, errors.New("apiload: no fleetd base address"))
	}
	for _, b := range c.Bases {
		if u, err := url.Parse(b); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("apiload: base %q is not an http(s)://host:port address", b))
		}
	}
	if c.Username == "" || c.Password == "" {
		errs = append(errs, errors.New("apiload: a username and password are needed to sign in"))
	}
	if c.Rate <= 0 || c.Rate > 10000 {
		errs = append(errs, fmt.Errorf("apiload: rate must be in (0, 10000] a second, got %v", c.Rate))
	}
	if c.Workers < 1 || len(c.Paths) == 0 || c.Progress <= 0 {
		errs = append(errs, errors.New("apiload: workers, paths and the progress period must be positive"))
	}
	return errors.Join(errs...)
}

// Load is traffic under way.
type Load struct {
	cfg      Config
	hc       *http.Client
	tokens   []string // per base
	vehicles []int64
	paths    []pathStats
	all      latency.Hist
	errors   atomic.Uint64
	late     atomic.Uint64 // due requests that found every worker busy
	start    time.Time
	stop     context.CancelFunc
	done     chan struct{}
	mu       sync.Mutex
	minutes  []Minute
	lastErr  atomic.Value // string
}

type pathStats struct {
	path   string
	hist   latency.Hist
	errors atomic.Uint64
}

// Minute is one minute of the run.
type Minute struct {
	At       time.Time `json:"at"`
	Requests uint64    `json:"requests"`
	Errors   uint64    `json:"errors"`
	P50Ms    float64   `json:"p50_ms"`
	P99Ms    float64   `json:"p99_ms"`
	MaxMs    float64   `json:"max_ms"`
}

// Start signs in at every base, checks each path answers 200 once, then sends requests until
// Stop.
func Start(ctx context.Context, cfg Config, stderr io.Writer) (*Load, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	l := &Load{cfg: cfg, done: make(chan struct{}), paths: make([]pathStats, len(cfg.Paths)),
		hc: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Workers}}}
	for i, p := range cfg.Paths {
		l.paths[i].path = p
	}
	for _, b := range cfg.Bases {
		tok, err := wsload.Login(ctx, l.hc, b, cfg.Username, cfg.Password)
		if err != nil {
			return nil, err
		}
		l.tokens = append(l.tokens, tok)
	}
	var err error
	if l.vehicles, err = l.vehicleIDs(ctx); err != nil {
		return nil, err
	}
	for i := range l.paths {
		if code, body, err := l.get(ctx, 0, l.paths[i].path); err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("apiload: first GET %s: %d %v %.200s", l.paths[i].path, code, err, body)
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	l.stop, l.start = cancel, time.Now()
	go l.run(runCtx, stderr)
	return l, nil
}

// run schedules requests at the rate and hands them to the workers.
func (l *Load) run(ctx context.Context, stderr io.Writer) {
	defer close(l.done)
	due := make(chan job, l.cfg.Workers*4)
	var wg sync.WaitGroup
	for range l.cfg.Workers {
		wg.Go(func() {
			for j := range due {
				l.send(ctx, j)
			}
		})
	}
	period := time.Duration(float64(time.Second) / l.cfg.Rate)
	tick := time.NewTicker(period)
	progress := time.NewTicker(l.cfg.Progress)
	minute := time.NewTicker(time.Minute)
	defer func() { tick.Stop(); progress.Stop(); minute.Stop(); close(due); wg.Wait() }()
	var prevMinute, prevProgress latency.Snapshot
	var prevErrors uint64
	var n int
	for {
		select {
		case <-ctx.Done():
			return
		case at := <-tick.C:
			j := job{at: at, path: n % len(l.paths), base: n % len(l.tokens)}
			n++
			select {
			case due <- j:
			default:
				l.late.Add(1)
				select {
				case due <- j:
				case <-ctx.Done():
					return
				}
			}
		case at := <-minute.C:
			l.closeMinute(at, &prevMinute, &prevErrors)
		case <-progress.C:
			var s latency.Snapshot
			l.all.Snapshot(&s)
			w := s.Sub(&prevProgress)
			prevProgress = s
			fmt.Fprintf(stderr, "apiload: %.0f req/s p50 %v p99 %v errors %d late %d\n",
				float64(w.Total())/l.cfg.Progress.Seconds(), w.Quantile(0.5), w.Quantile(0.99), l.errors.Load(), l.late.Load())
		}
	}
}

type job struct {
	at   time.Time
	path int
	base int
}

func (l *Load) send(ctx context.Context, j job) {
	code, body, err := l.get(ctx, j.base, l.paths[j.path].path)
	if ctx.Err() != nil {
		return // cut off by Stop: neither a latency nor an error
	}
	d := time.Since(j.at)
	l.all.Record(d)
	l.paths[j.path].hist.Record(d)
	if err != nil || code != http.StatusOK {
		l.errors.Add(1)
		l.paths[j.path].errors.Add(1)
		l.lastErr.Store(fmt.Sprintf("GET %s: %d %v %.200s", l.paths[j.path].path, code, err, body))
	}
}

func (l *Load) closeMinute(at time.Time, prev *latency.Snapshot, prevErrors *uint64) {
	var s latency.Snapshot
	l.all.Snapshot(&s)
	w := s.Sub(prev)
	errs := l.errors.Load()
	*prev = s
	m := Minute{At: at.UTC().Truncate(time.Second), Requests: w.Total(), Errors: errs - *prevErrors,
		P50Ms: ms(w.Quantile(0.5)), P99Ms: ms(w.Quantile(0.99)), MaxMs: ms(w.Max())}
	*prevErrors = errs
	l.mu.Lock()
	l.minutes = append(l.minutes, m)
	l.mu.Unlock()
}

// get sends one GET to base i with the placeholders of path filled in.
func (l *Load) get(ctx context.Context, i int, path string) (int, []byte, error) {
	if strings.Contains(path, "{vehicle}") {
		path = strings.ReplaceAll(path, "{vehicle}", fmt.Sprint(l.vehicles[rand.IntN(len(l.vehicles))]))
	}
	if strings.Contains(path, "{since}") {
		path = strings.ReplaceAll(path, "{since}", url.QueryEscape(time.Now().Add(-10*time.Minute).UTC().Format(time.RFC3339)))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, l.cfg.Bases[i]+path, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+l.tokens[i])
	res, err := l.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	return res.StatusCode, body, err
}

func (l *Load) vehicleIDs(ctx context.Context) ([]int64, error) {
	code, body, err := l.get(ctx, 0, "/api/vehicles?limit=500")
	if err != nil || code != http.StatusOK {
		return nil, fmt.Errorf("apiload: list vehicles: %d %v %.200s", code, err, body)
	}
	var page struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		return nil, fmt.Errorf("apiload: list vehicles: %w", err)
	}
	if len(page.Items) == 0 {
		return nil, errors.New("apiload: fleetd has no vehicle")
	}
	ids := make([]int64, len(page.Items))
	for i, v := range page.Items {
		ids[i] = v.ID
	}
	return ids, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
