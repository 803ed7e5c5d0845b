// Package sim simulates JT/T 808 terminals driving round the demo county: each registers,
// authenticates, reports its location every interval and re-sends what the platform does not
// acknowledge, as real terminals do. cmd/fleetsim runs it as a load generator; fleetd's demo
// mode runs a few dozen against itself.
package sim

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fleet/tracking/jt808"
)

// Config says what to simulate. Zero durations and counts take DefaultConfig's values, except
// Ramp (0: connect all at once) and Duration (0: until ctx ends); the ratios are used as given.
type Config struct {
	Server string // host:port of the JT/T 808 gateway
	N      int    // terminals
	// Interval is the time between two location reports of a terminal. Fix times are whole
	// seconds and must differ, so below 1 s the fix clock runs ahead of the wall clock (see maxAhead).
	Interval time.Duration
	Duration time.Duration // how long terminals report; 0: until ctx ends
	// PhonePrefix and First make the phones: terminal i has PhonePrefix followed by First+i,
	// zero-padded to 11 digits in all (139079 and 50001 give 13907950001, 13907950002 ...).
	PhonePrefix string
	First       int
	V2019Ratio  float64       // share of terminals with 2019 headers, 0–1
	Ramp        time.Duration // connect the terminals evenly over this long
	AlarmRatio  float64       // chance that a report carries the SOS or overspeed alarm bit
	Heartbeat   time.Duration // a heartbeat (0x0002) after this long without sending
	// AckTimeout is how long a report waits for its 0x8001 before it is re-sent (the longer of
	// it and 3× the terminal's smoothed ack latency; the n-th re-send waits n+1 times that).
	AckTimeout time.Duration
	MaxRetries int           // re-sends without an answer before the terminal drops the link and reconnects
	MaxPending int           // unacknowledged points a terminal keeps; the oldest go first
	Drain      time.Duration // after Duration or ctx, how long to wait for outstanding acks; <0: not at all
	Idle       bool          // connect, authenticate and heartbeat, but send no locations
	Seed       uint64        // routes and driving; 0: random
	Progress   time.Duration // between progress lines
	// OnSend, when set, is called after a location report is first written to the connection
	// (not for re-sends, nor for blind-zone batches after a reconnect), with the terminal's
	// index, the report's fix time in Unix seconds and when the write returned: the start of
	// an end-to-end latency measured downstream, such as the live push's. It runs on the
	// sending workers, so it must be quick and safe for concurrent use; the calls of one
	// terminal never overlap.
	OnSend func(terminal int, fix int64, at time.Time)
}

// DefaultConfig returns fleetsim's defaults: 10 terminals on 127.0.0.1:6808 reporting every
// 10 s, half of them with 2019 headers, phones 13907950001 up (the demo county's vehicles).
func DefaultConfig() Config {
	return Config{
		Server: "127.0.0.1:6808", N: 10, Interval: 10 * time.Second, PhonePrefix: "139079", First: 50001,
		V2019Ratio: 0.5, Ramp: 5 * time.Second, AlarmRatio: 0.001, Heartbeat: 30 * time.Second,
		AckTimeout: 5 * time.Second, MaxRetries: 3, MaxPending: 1000, Drain: 10 * time.Second, Progress: 5 * time.Second,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Server == "" {
		c.Server = d.Server
	}
	if c.N == 0 {
		c.N = d.N
	}
	if c.Interval == 0 {
		c.Interval = d.Interval
	}
	if c.PhonePrefix == "" && c.First == 0 {
		c.PhonePrefix, c.First = d.PhonePrefix, d.First
	}
	if c.Heartbeat == 0 {
		c.Heartbeat = d.Heartbeat
	}
	if c.AckTimeout == 0 {
		c.AckTimeout = d.AckTimeout
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = d.MaxRetries
	}
	if c.MaxPending == 0 {
		c.MaxPending = d.MaxPending
	}
	if c.Drain == 0 {
		c.Drain = d.Drain
	}
	if c.Progress == 0 {
		c.Progress = d.Progress
	}
	return c
}

// Validate reports every problem of c (after defaults).
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.N < 1 {
		bad("n must be at least 1, got %d", c.N)
	}
	if c.Interval <= 0 {
		bad("interval must be positive")
	}
	if c.Duration < 0 || c.Ramp < 0 {
		bad("duration and ramp must not be negative")
	}
	if c.V2019Ratio < 0 || c.V2019Ratio > 1 || c.AlarmRatio < 0 || c.AlarmRatio > 1 {
		bad("v2019-ratio and alarm-ratio must be between 0 and 1")
	}
	if c.Heartbeat <= 0 || c.AckTimeout <= 0 || c.Progress <= 0 {
		bad("heartbeat, ack timeout and progress period must be positive")
	}
	if c.MaxRetries < 0 || c.MaxRetries > 100 || c.MaxPending < 1 {
		bad("max retries must be 0–100 and max pending at least 1")
	}
	if strings.Trim(c.PhonePrefix, "0123456789") != "" || c.First < 0 {
		bad("phone prefix must be digits and first not negative, got %q and %d", c.PhonePrefix, c.First)
	} else if c.N >= 1 {
		// 2013 headers hold 12 digits.
		if last := c.Phone(c.N - 1); len(strings.TrimLeft(last, "0")) > 12 {
			bad("phone %s of the last terminal has more than 12 digits, too many for a 2013 header", last)
		}
	}
	return errors.Join(errs...)
}

// Phone returns the phone number of terminal i (from 0).
func (c Config) Phone(i int) string {
	num := strconv.Itoa(c.First + i)
	if w := 11 - len(c.PhonePrefix); len(num) < w {
		num = strings.Repeat("0", w-len(num)) + num
	}
	return c.PhonePrefix + num
}

// sim is one run: what the terminals share.
type sim struct {
	cfg         Config
	st          stats
	wheel       *wheel
	generating  atomic.Bool // reports are being made; false in the drain
	closing     atomic.Bool // connections are being closed at the end
	readTimeout time.Duration

	mu      sync.Mutex
	refused []string
	log     io.Writer
}

// refuse records a terminal whose registration the platform refused.
func (s *sim) refuse(phone string, result byte) {
	n := s.st.refused.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.refused) < 10 {
		s.refused = append(s.refused, phone)
	}
	if s.log == nil {
		return
	}
	why := map[byte]string{jt808.RegisterVehicleTaken: "vehicle already registered", jt808.RegisterNoVehicle: "no such vehicle",
		jt808.RegisterTerminalTaken: "terminal already registered", jt808.RegisterNoTerminal: "no such terminal"}[result]
	switch {
	case n <= 10:
		fmt.Fprintf(s.log, "fleetsim: terminal %s refused: 0x8100 result %d (%s); it stops\n", phone, result, why)
	case n == 11:
		fmt.Fprintf(s.log, "fleetsim: more terminals refused; the summary counts them\n")
	}
}

// Run simulates cfg.N terminals against cfg.Server until cfg.Duration has passed or ctx ends,
// then waits up to cfg.Drain for outstanding acknowledgements, disconnects and returns the
// summary. Progress lines (and refused terminals) go to progress, which may be nil.
func Run(ctx context.Context, cfg Config, progress io.Writer) (Summary, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Summary{}, fmt.Errorf("fleetsim: %w", err)
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	start := time.Now()
	workers := 4 * runtime.GOMAXPROCS(0)
	s := &sim{cfg: cfg, log: progress, wheel: newWheel(start, workers)}
	s.readTimeout = 2*max(cfg.Heartbeat, cfg.Interval) + cfg.AckTimeout
	s.generating.Store(true)

	// Terminals share routes: one per terminal up to 64.
	rng := rand.New(rand.NewPCG(seed, 1))
	routes := make([]*route, min(cfg.N, 64))
	for i := range routes {
		routes[i] = newRoute(rng)
	}
	terms := make([]*terminal, cfg.N)
	for i := range terms {
		phone, err := jt808.ParsePhone(cfg.Phone(i))
		if err != nil {
			return Summary{}, fmt.Errorf("fleetsim: phone %q: %w", cfg.Phone(i), err)
		}
		// 2019 terminals spread evenly: terminal i is 2019 when the running share falls short.
		v2019 := float64(i+1)*cfg.V2019Ratio-float64(s.st.v2019.Load()) >= 0.5
		if v2019 {
			s.st.v2019.Add(1)
		}
		h := fnv.New64a()
		h.Write([]byte(phone.String()))
		terms[i] = newTerminal(s, i, phone, v2019, routes[i%len(routes)], h.Sum64()^seed)
	}

	stopWheel := make(chan struct{})
	var wheelDone, workersDone sync.WaitGroup
	wheelDone.Go(func() { s.wheel.run(stopWheel) })
	for range workers {
		workersDone.Go(func() {
			for t := range s.wheel.work {
				if next, ok := t.tick(time.Now()); ok {
					s.wheel.add(t, next)
				}
			}
		})
	}
	stopProgress := make(chan struct{})
	peak := make(chan float64, 1)
	go func() { peak <- s.st.progress(progress, cfg.N, start, cfg.Progress, stopProgress) }()

	// Connections outlive ctx by the drain; connCtx ends them.
	connCtx, closeConns := context.WithCancel(context.WithoutCancel(ctx))
	defer closeConns()
	var readers sync.WaitGroup
	readers.Go(func() {
		for i, t := range terms { // the ramp: terminal i starts at i/N of it
			if d := time.Until(start.Add(cfg.Ramp * time.Duration(i) / time.Duration(cfg.N))); d > 0 {
				select {
				case <-time.After(d):
				case <-ctx.Done():
					return
				case <-connCtx.Done():
					return
				}
			}
			if !s.generating.Load() {
				return
			}
			readers.Go(func() { t.run(connCtx) })
		}
	})

	var end <-chan time.Time
	if cfg.Duration > 0 {
		tm := time.NewTimer(cfg.Duration)
		defer tm.Stop()
		end = tm.C
	}
	// The steady state starts one interval after every terminal has logged in (or been refused)
	// and the platform has caught up: no more points outstanding than terminals.
	check := time.NewTicker(50 * time.Millisecond)
	defer check.Stop()
	var steady *mark
	var steadyAt time.Time
wait:
	for {
		select {
		case <-ctx.Done():
			break wait
		case <-end:
			break wait
		case now := <-check.C:
			switch {
			case steady != nil:
			case steadyAt.IsZero():
				if s.st.authenticated.Load()+s.st.refused.Load() >= int64(cfg.N) && s.st.outstanding.Load() <= int64(cfg.N) {
					steadyAt = now.Add(cfg.Interval)
				}
			case !now.Before(steadyAt):
				steady = s.st.mark()
			}
		}
	}
	s.generating.Store(false)
	genEnd := s.st.mark()
	if cfg.Drain > 0 {
		deadline := time.Now().Add(cfg.Drain)
		for s.st.outstanding.Load() > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
	connected := s.st.connected.Load()
	elapsed := time.Since(start)
	s.closing.Store(true)
	closeConns()
	readers.Wait()
	close(stopWheel)
	wheelDone.Wait()
	close(s.wheel.work) // the workers finish what they were handed
	workersDone.Wait()
	close(stopProgress)

	sum := s.st.summary(cfg.N, elapsed, <-peak)
	if steady != nil {
		sum.steady(steady, genEnd, s.st.mark())
	}
	sum.Connected = connected
	s.mu.Lock()
	sum.RefusedPhones = append([]string(nil), s.refused...)
	s.mu.Unlock()
	return sum, nil
}
