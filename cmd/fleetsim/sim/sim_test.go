package sim

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/tracking/gateway"
)

// env is a real gateway on a TCP port of 127.0.0.1, on a database whose vehicles are bound to
// the phones of the first terminals of cfg.
type env struct {
	t     *testing.T
	db    *store.DB
	bus   bus.Bus
	track *tracking.Service
	addr  string
	stop  func() // closes the current gateway
}

func newEnv(t *testing.T, cfg Config, vehicles int) *env {
	t.Helper()
	db := storetest.SQLite(t)
	now := time.Now().UTC()
	for i := range vehicles {
		if err := db.Exec("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES (?, 'general', 5, 'gasoline', ?, 1, 'available', ?, ?)",
			fmt.Sprintf("赣KS%04d", i), tracking.NormalizePhone(cfg.Phone(i)), now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	e := &env{t: t, db: db, bus: bus.NewInProcess(bus.Options{})}
	var err error
	if e.track, err = tracking.NewService(db, e.bus, tracking.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.stop(); e.track.Close(); e.bus.Close() })
	e.start("127.0.0.1:0")
	return e
}

// start serves a new gateway on addr.
func (e *env) start(addr string) {
	e.t.Helper()
	var cfg gateway.Config
	if testing.Verbose() {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	gw := gateway.New(e.track, e.bus, cfg)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		e.t.Fatal(err)
	}
	e.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { gw.Serve(ctx, ln); close(done) }()
	e.stop = func() { cancel(); <-done }
}

func (e *env) count(query string, args ...any) int64 {
	e.t.Helper()
	var n int64
	if err := e.db.Raw(query, args...).Scan(&n).Error; err != nil {
		e.t.Fatal(err)
	}
	return n
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

func testConfig(t *testing.T, n int) Config {
	cfg := DefaultConfig()
	cfg.N, cfg.Interval, cfg.Duration, cfg.Ramp = n, 200*time.Millisecond, 3*time.Second, 500*time.Millisecond
	cfg.AlarmRatio, cfg.Seed, cfg.Progress = 0.05, 1, time.Second
	return cfg
}

func TestTerminalsReportAndEveryAckIsStored(t *testing.T) {
	cfg := testConfig(t, 22)
	e := newEnv(t, cfg, 20) // the last two terminals have no vehicle
	cfg.Server = e.addr
	sum, err := Run(context.Background(), cfg, testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", sum)
	if sum.Registered != 20 || sum.Authenticated != 20 {
		t.Errorf("registered %d, authenticated %d, want 20 and 20", sum.Registered, sum.Authenticated)
	}
	if sum.Refused != 2 || len(sum.RefusedPhones) != 2 || sum.RefusedPhones[0] != cfg.Phone(20) && sum.RefusedPhones[0] != cfg.Phone(21) {
		t.Errorf("refused %d %v, want 2: %s and %s", sum.Refused, sum.RefusedPhones, cfg.Phone(20), cfg.Phone(21))
	}
	// Every terminal reports about 5 times a second for 3 s, less its share of the ramp.
	if sum.Sent < 20*5 || sum.Sent != sum.Acked || sum.Pending != 0 || sum.Dropped != 0 {
		t.Errorf("sent %d, acked %d, pending %d, dropped %d: want sent = acked ≥ 100, nothing pending or dropped",
			sum.Sent, sum.Acked, sum.Pending, sum.Dropped)
	}
	if sum.Errors != 0 {
		t.Errorf("errors = %d, want 0", sum.Errors)
	}
	if sum.AckSamples == 0 || sum.AckP99ms <= 0 || sum.AckP50ms > sum.AckP99ms {
		t.Errorf("ack latency p50 %v p99 %v over %d samples", sum.AckP50ms, sum.AckP99ms, sum.AckSamples)
	}
	// Fix times of a terminal differ, so each acknowledged point is one row.
	if rows := e.count("SELECT COUNT(*) FROM positions"); rows != sum.Acked {
		t.Errorf("stored %d positions, acknowledged %d: want equal", rows, sum.Acked)
	}
	var box struct{ MinLat, MaxLat, MinLng, MaxLng float64 }
	e.db.Raw("SELECT MIN(lat) AS min_lat, MAX(lat) AS max_lat, MIN(lng) AS min_lng, MAX(lng) AS max_lng FROM positions").Scan(&box)
	if box.MinLat < countyLat-countySpan || box.MaxLat > countyLat+countySpan || box.MinLng < countyLng-countySpan || box.MaxLng > countyLng+countySpan {
		t.Errorf("positions span %+v, outside the county box", box)
	}
	if v := e.count("SELECT COUNT(DISTINCT protocol_version) FROM terminals"); v != 2 || sum.V2019 != 11 {
		t.Errorf("%d protocol versions registered, %d terminals with 2019 headers: want both versions, 11 of 22 with 2019", v, sum.V2019)
	}
	if n := e.count("SELECT COUNT(DISTINCT vehicle_id) FROM positions"); n != 20 {
		t.Errorf("positions of %d vehicles, want 20", n)
	}
	if n := e.count("SELECT COUNT(*) FROM positions WHERE speed_kmh > 0"); n == 0 {
		t.Error("no vehicle moved")
	}
}

func TestLostConnectionsResendAsBlindZoneBatches(t *testing.T) {
	cfg := testConfig(t, 20)
	cfg.Duration = 4 * time.Second
	e := newEnv(t, cfg, 20)
	cfg.Server = e.addr
	type result struct {
		sum Summary
		err error
	}
	done := make(chan result, 1)
	go func() {
		sum, err := Run(context.Background(), cfg, testWriter{t})
		done <- result{sum, err}
	}()
	time.Sleep(1500 * time.Millisecond)
	// Every connection drops; the terminals keep driving and keep their points meanwhile.
	e.stop()
	time.Sleep(700 * time.Millisecond)
	e.start(e.addr)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	sum := r.sum
	t.Logf("%+v", sum)
	if sum.Reconnects < 20 || sum.Blind == 0 {
		t.Errorf("reconnects %d, blind-zone points %d: want every terminal to reconnect and send a batch", sum.Reconnects, sum.Blind)
	}
	if sum.Sent == 0 || sum.Sent != sum.Acked || sum.Pending != 0 {
		t.Errorf("sent %d, acked %d, pending %d: want every point acknowledged", sum.Sent, sum.Acked, sum.Pending)
	}
	if n := e.count("SELECT COUNT(*) FROM positions WHERE blind = 1"); n == 0 {
		t.Error("no blind-zone points stored")
	}
	if rows := e.count("SELECT COUNT(*) FROM positions"); rows != sum.Acked {
		t.Errorf("stored %d positions, acknowledged %d: want equal", rows, sum.Acked)
	}
}

// OnSend sees every report once, when it is first written: each terminal's fix times rise, and
// every acknowledged point was announced before its ack.
func TestOnSendSeesEveryFirstWrite(t *testing.T) {
	cfg := testConfig(t, 6)
	cfg.Interval, cfg.Duration = time.Second, 3*time.Second
	e := newEnv(t, cfg, 6)
	cfg.Server = e.addr
	var mu sync.Mutex
	last := make([]int64, cfg.N)
	calls, bad := 0, 0
	begin := time.Now()
	cfg.OnSend = func(term int, fix int64, at time.Time) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if fix <= last[term] || at.Before(begin) || at.Unix() < fix-1 {
			bad++
		}
		last[term] = fix
	}
	sum, err := Run(context.Background(), cfg, testWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	if int64(calls) != sum.Sent || calls < 6 {
		t.Errorf("OnSend called %d times, %d points sent: want one call per point, at least 6", calls, sum.Sent)
	}
	if bad != 0 {
		t.Errorf("%d calls out of order or with a fix time after the write", bad)
	}
	for i, fix := range last {
		if fix == 0 {
			t.Errorf("terminal %d: no report announced", i)
		}
	}
}
