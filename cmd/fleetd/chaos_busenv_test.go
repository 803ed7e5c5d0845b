package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"fleet/cmd/fleetsim/sim"
	"fleet/store"
	"fleet/tracking"
)

// The chaos tests' knobs: scripts/chaos.sh sets FLEET_CHAOS_OUTAGE=30s and
// FLEET_CHAOS_TERMINALS=1000 for the long form; the defaults keep `make test` under a minute.
const (
	busChaosDefaultOutage    = 5 * time.Second
	busChaosDefaultTerminals = 200
)

func busChaosOutage(t *testing.T) time.Duration {
	t.Helper()
	v := os.Getenv("FLEET_CHAOS_OUTAGE")
	if v == "" {
		return busChaosDefaultOutage
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("FLEET_CHAOS_OUTAGE=%q: want a positive duration such as 30s", v)
	}
	return d
}

func busChaosTerminals(t *testing.T) int {
	t.Helper()
	v := os.Getenv("FLEET_CHAOS_TERMINALS")
	if v == "" {
		return busChaosDefaultTerminals
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 2 || n > 100000 {
		t.Fatalf("FLEET_CHAOS_TERMINALS=%q: want a whole number from 2", v)
	}
	return n
}

// busChaosRedis is a redis-server of the test's own, which it kills and starts again on the
// same port.
type busChaosRedis struct {
	port string
	url  string
	cmd  *exec.Cmd
}

// busChaosStartRedis runs redis-server on a free port until the test ends; without the binary
// the test is skipped, or fails under CI=true.
func busChaosStartRedis(t *testing.T) *busChaosRedis {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no redis-server on PATH: under CI=true the Redis chaos test must run")
		}
		t.Skip("no redis-server on PATH (scripts/testenv.sh deps installs it)")
	}
	addr := freeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	r := &busChaosRedis{port: port, url: "redis://" + addr + "/0"}
	r.start(t)
	t.Cleanup(func() { r.stop(t) })
	return r
}

func (r *busChaosRedis) start(t *testing.T) {
	t.Helper()
	r.cmd = exec.Command("redis-server", "--port", r.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	chaosWaitFor(t, 30*time.Second, "redis-server answers", func() bool {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+r.port, time.Second)
		if err != nil {
			return false
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		fmt.Fprint(c, "PING\r\n")
		buf := make([]byte, 16)
		n, _ := c.Read(buf)
		return strings.HasPrefix(string(buf[:n]), "+PONG")
	})
}

// stop kills redis-server (SIGKILL: nothing is said to the clients).
func (r *busChaosRedis) stop(t *testing.T) {
	t.Helper()
	if r.cmd == nil {
		return
	}
	_ = r.cmd.Process.Kill()
	_ = r.cmd.Wait()
	r.cmd = nil
}

// busChaosVehicles adds a vehicle bound to the phone of each terminal of cfg, on the database
// at url (migrated by a fleetd already running on it), and returns the vehicle id by terminal.
func busChaosVehicles(t *testing.T, url string, cfg sim.Config) []int64 {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{URL: url})
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	defer db.Close()
	now := time.Now().UTC()
	for from := 0; from < cfg.N; from += 200 {
		var q strings.Builder
		q.WriteString("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES ")
		var args []any
		for i := from; i < min(from+200, cfg.N); i++ {
			if i > from {
				q.WriteString(",")
			}
			q.WriteString("(?, 'general', 5, 'gasoline', ?, 1, 'available', ?, ?)")
			args = append(args, fmt.Sprintf("赣KC%05d", cfg.First+i), tracking.NormalizePhone(cfg.Phone(i)), now, now)
		}
		if err := db.Exec(q.String(), args...).Error; err != nil {
			t.Fatalf("add vehicles: %v", err)
		}
	}
	ids := make([]int64, cfg.N)
	for i := range ids {
		if err := db.Raw("SELECT id FROM vehicles WHERE terminal_phone = ?", tracking.NormalizePhone(cfg.Phone(i))).Scan(&ids[i]).Error; err != nil || ids[i] == 0 {
			t.Fatalf("vehicle of %s: id %d, %v", cfg.Phone(i), ids[i], err)
		}
	}
	return ids
}

// busChaosSimConfig returns n terminals reporting every second to server, phones from first.
func busChaosSimConfig(server string, n, first int) sim.Config {
	cfg := sim.DefaultConfig()
	cfg.Server, cfg.N, cfg.First, cfg.PhonePrefix = server, n, first, "1380"
	cfg.Interval, cfg.Ramp, cfg.Heartbeat = time.Second, 3*time.Second, 10*time.Second
	cfg.AlarmRatio, cfg.Seed, cfg.Progress = 0, 7, time.Hour
	cfg.AckTimeout, cfg.Drain = 10*time.Second, 90*time.Second
	return cfg
}

// busChaosSim runs cfg until stop is called, which waits for the drain and returns the summary.
func busChaosSim(t *testing.T, cfg sim.Config) (stop func() sim.Summary) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan sim.Summary, 1)
	go func() {
		sum, err := sim.Run(ctx, cfg, nil)
		if err != nil {
			t.Errorf("fleetsim: %v", err)
		}
		done <- sum
	}()
	var once sync.Once
	var sum sim.Summary
	stop = func() sim.Summary {
		once.Do(func() { cancel(); sum = <-done })
		return sum
	}
	t.Cleanup(func() { stop() })
	return stop
}

// busChaosFix is one vehicle position a console was pushed.
type busChaosFix struct {
	fix time.Time // the point's fix time
	at  time.Time // when the console read it
}

// busChaosConsole is a dispatcher's map console: a websocket following positions, recording
// every vehicle position it is pushed.
type busChaosConsole struct {
	conn *websocket.Conn
	mu   sync.Mutex
	seen map[int64][]busChaosFix
	err  error // why the connection ended, nil while it is up
}

func busChaosOpenConsole(t *testing.T, base, token string) *busChaosConsole {
	t.Helper()
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws?token="+token, nil)
	if err != nil {
		t.Fatalf("websocket on %s: %v", base, err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions"}}); err != nil {
		t.Fatal(err)
	}
	c := &busChaosConsole{conn: conn, seen: map[int64][]busChaosFix{}}
	go c.read()
	return c
}

func (c *busChaosConsole) read() {
	for {
		var f struct {
			Type  string
			Items []struct {
				VehicleID int64     `json:"vehicle_id"`
				FixedAt   time.Time `json:"fixed_at"`
			}
		}
		_, b, err := c.conn.ReadMessage()
		if err == nil {
			err = json.Unmarshal(b, &f)
		}
		now := time.Now()
		c.mu.Lock()
		if err != nil {
			c.err = err
			c.mu.Unlock()
			return
		}
		if f.Type == "positions" {
			for _, it := range f.Items {
				c.seen[it.VehicleID] = append(c.seen[it.VehicleID], busChaosFix{it.FixedAt, now})
			}
		}
		c.mu.Unlock()
	}
}

// closed returns why the connection ended, or nil.
func (c *busChaosConsole) closed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// since counts the positions of vehicles read after t, and how many vehicles they belong to.
func (c *busChaosConsole) since(t time.Time, vehicles []int64) (points, distinct int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range vehicles {
		n := 0
		for _, f := range c.seen[v] {
			if f.at.After(t) {
				n++
			}
		}
		points += n
		if n > 0 {
			distinct++
		}
	}
	return points, distinct
}

// fixes returns a copy of what the console was pushed, by vehicle.
func (c *busChaosConsole) fixes() map[int64][]busChaosFix {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[int64][]busChaosFix, len(c.seen))
	for v, fs := range c.seen {
		out[v] = append([]busChaosFix(nil), fs...)
	}
	return out
}

// busChaosNoPanic fails the test when a fleetd's output shows a panic or a data race.
func busChaosNoPanic(t *testing.T, name string, c *child) {
	t.Helper()
	out := c.out.String()
	for _, bad := range []string{"panic:", "fatal error:", "DATA RACE"} {
		if strings.Contains(out, bad) {
			t.Errorf("fleetd %s printed %q:\n%s", name, bad, out)
		}
	}
}
