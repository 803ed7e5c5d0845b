package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"fleet/cmd/fleetsim/sim"
	"fleet/store"
	"fleet/tracking"
)

// MariaDB dies (SIGKILL) under 1,000 reporting terminals with a console open, and comes back
// after FLEET_CHAOS_OUTAGE: while it is down no terminal gets an ack (so each keeps its points),
// fleetd stays up and /readyz says 503 naming the database; once it is back every point the
// terminals made is stored exactly once and the console gets positions again.
func TestChaosDBOutage(t *testing.T) {
	outage := dbChaosEnvDuration(t, "FLEET_CHAOS_OUTAGE", 5*time.Second)
	n := dbChaosEnvInt(t, "FLEET_CHAOS_TERMINALS", 1000)
	my := dbChaosStartMariaDB(t)
	url := my.CreateDB("fleet_chaos")
	gw := freeAddr(t)
	f := startFleetd(t, map[string]string{"FLEET_DB": url, "FLEET_JT808_ADDR": gw, "FLEET_ADMIN_PASSWORD": "admin-secret-1"})
	db := my.open("fleet_chaos")
	defer db.Close()

	cfg := sim.DefaultConfig()
	cfg.Server, cfg.N, cfg.Interval, cfg.Ramp, cfg.Seed = gw, n, 2*time.Second, 5*time.Second, 1
	cfg.AckTimeout, cfg.Drain, cfg.Progress, cfg.AlarmRatio = 3*time.Second, 3*time.Minute, 5*time.Second, 0
	dbChaosBindVehicles(t, db, cfg)
	token, code := login(t, f.base, "admin", "admin-secret-1")
	if code != 200 {
		t.Fatalf("login = %d", code)
	}
	console := dbChaosOpenConsole(t, f.base, token)

	ctx, stopSim := context.WithCancel(context.Background())
	defer stopSim()
	type result struct {
		sum sim.Summary
		err error
	}
	done := make(chan result, 1)
	progress := dbChaosNewLog(t)
	go func() {
		sum, err := sim.Run(ctx, cfg, progress)
		done <- result{sum, err}
	}()
	// Every terminal reporting, a few points each acknowledged.
	chaosWaitFor(t, 3*time.Minute, "every terminal to report", func() bool {
		return dbChaosMetric(f.base, dbChaosAcks) >= float64(3*n)
	})

	my.Kill()
	down := dbChaosWatchOutage(t, f, console, outage)
	my.Start()
	back := chaosWaitFor(t, 2*time.Minute, "/readyz 200 after MariaDB came back", func() bool {
		code, _ := dbChaosGet(f.base + "/readyz")
		return code == 200
	})
	framesBack := console.frames.Load()
	// Reporting goes on until the console has seen positions again and the terminals have had
	// time to re-send what waited (their back-off reaches 4 ack timeouts).
	chaosWaitFor(t, 2*time.Minute, "console positions after the outage", func() bool {
		return console.frames.Load() > framesBack
	})
	time.Sleep(5 * cfg.AckTimeout)
	stopSim()
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	sum := r.sum

	stored, distinct, vehicles := dbChaosCountPositions(t, db)
	t.Logf("chaos db outage: terminals %d, outage %s (MariaDB SIGKILL to restart), readyz 200 %.1fs after restart",
		n, down.length.Round(100*time.Millisecond), back.Seconds())
	t.Logf("chaos db outage: made %d, sent %d, acked %d, resent %d, blind %d, reconnects %d, dropped %d, pending %d; stored %d rows (%d distinct vehicle+fix), %d vehicles",
		sum.Generated, sum.Sent, sum.Acked, sum.Resent, sum.Blind, sum.Reconnects, sum.Dropped, sum.Pending, stored, distinct, vehicles)
	t.Logf("chaos db outage: acks while down %.0f (after %.0f acks of earlier commits, the last %.1fs after the kill), unanswered while down %.0f, readyz while down %d %s",
		down.acks, down.inFlight, down.settled.Seconds(), down.unacked, down.readyCode, down.readyBody)
	t.Logf("chaos db outage: console frames before %d, while down %d, after %d; console reconnects %d",
		down.framesBefore, down.framesDuring, console.frames.Load()-framesBack, console.reconnects.Load())

	if down.acks != 0 {
		t.Errorf("%.0f acks while MariaDB was down, want none: the terminals would drop points never stored", down.acks)
	}
	if down.unacked == 0 {
		t.Error("no message left unanswered while MariaDB was down: the outage did not bite")
	}
	if down.healthFailures != 0 {
		t.Errorf("/healthz failed %d times while MariaDB was down, want fleetd up throughout", down.healthFailures)
	}
	dbChaosCheckReadyBody(t, down.readyCode, down.readyBody)
	if sum.Pending != 0 || sum.Dropped != 0 || sum.Acked != sum.Generated {
		t.Errorf("made %d, acked %d, pending %d, dropped %d: want every point acknowledged in the end",
			sum.Generated, sum.Acked, sum.Pending, sum.Dropped)
	}
	if stored != sum.Acked {
		t.Errorf("stored %d positions, terminals had %d acknowledged: want equal (fewer: lost; more: stored unacknowledged)", stored, sum.Acked)
	}
	if distinct != stored {
		t.Errorf("%d rows but %d distinct (vehicle, fix time): duplicates stored", stored, distinct)
	}
	if vehicles != int64(n) {
		t.Errorf("positions of %d vehicles, want %d", vehicles, n)
	}
	if sum.Resent == 0 {
		t.Error("no point re-sent: the terminals never noticed the outage")
	}
	if out := f.out.String(); strings.Contains(out, "panic") {
		t.Errorf("fleetd log has a panic:\n%s", out)
	}
	dbChaosLogMetrics(t, f.base, "fleet_jt808_")
	if t.Failed() {
		dbChaosLogTail(t, "fleetd", f.out.String(), 40)
	}
}

// dbChaosOutage is what the test saw while the database was down.
type dbChaosOutage struct {
	length                     time.Duration
	inFlight                   float64       // acks of commits made before the kill, sent after it
	settled                    time.Duration // after the kill, when the last of them went
	acks, unacked              float64       // fleetd's acks and unanswered messages from then on
	healthFailures             int
	readyCode                  int
	readyBody                  string
	framesBefore, framesDuring int64
}

const (
	dbChaosAcks    = "fleet_jt808_ack_seconds_count"
	dbChaosUnacked = "fleet_jt808_unacknowledged_total"
)

// dbChaosWatchOutage keeps the database down for d (at least 2 s after the acks settle) while
// polling fleetd: /healthz must answer, /readyz is recorded, and the gateway's ack and unanswered
// counters are compared over the outage. A commit that beat the kill may still be acknowledged
// after it, late on a loaded machine, so the window starts when the ack counter has held still
// for 2 s; one that never holds still is counted as acks while down.
func dbChaosWatchOutage(t *testing.T, f *fleetd, console *dbChaosConsole, d time.Duration) dbChaosOutage {
	t.Helper()
	start := time.Now()
	o := dbChaosOutage{}
	atKill := dbChaosMetric(f.base, dbChaosAcks)
	last, still := atKill, time.Now()
	for time.Since(still) < 2*time.Second && time.Since(start) < 20*time.Second {
		time.Sleep(250 * time.Millisecond)
		if a := dbChaosMetric(f.base, dbChaosAcks); a != last {
			last, still = a, time.Now()
		}
	}
	o.inFlight, o.settled = last-atKill, still.Sub(start)
	a0, u0 := last, dbChaosMetric(f.base, dbChaosUnacked)
	o.framesBefore = console.frames.Load()
	from := time.Now()
	for time.Since(start) < d || time.Since(from) < 2*time.Second {
		if code, _ := dbChaosGet(f.base + "/healthz"); code != 200 {
			o.healthFailures++
		}
		if code, body := dbChaosGet(f.base + "/readyz"); o.readyCode == 0 || code != 503 {
			o.readyCode, o.readyBody = code, strings.TrimSpace(body)
		}
		time.Sleep(250 * time.Millisecond)
	}
	o.acks = dbChaosMetric(f.base, dbChaosAcks) - a0
	o.unacked = dbChaosMetric(f.base, dbChaosUnacked) - u0
	o.framesDuring = console.frames.Load() - o.framesBefore
	o.length = time.Since(start)
	return o
}

// dbChaosCheckReadyBody: /readyz answers 503 with a JSON body whose db check says why.
func dbChaosCheckReadyBody(t *testing.T, code int, body string) {
	t.Helper()
	var ready struct {
		Status string            `json:"status"`
		Checks map[string]string `json:"checks"`
	}
	if err := json.Unmarshal([]byte(body), &ready); err != nil || code != 503 {
		t.Errorf("/readyz while MariaDB was down = %d %s, want 503 with a JSON body", code, body)
		return
	}
	if ready.Status != "unavailable" || !strings.HasPrefix(ready.Checks["db"], "unreachable") {
		t.Errorf("/readyz while MariaDB was down: %s, want status unavailable and the db check unreachable with its cause", body)
	}
}

// dbChaosBindVehicles inserts a vehicle bound to the phone of each of cfg's terminals.
func dbChaosBindVehicles(t *testing.T, db *store.DB, cfg sim.Config) {
	t.Helper()
	now := time.Now().UTC()
	for first := 0; first < cfg.N; first += 500 {
		var sb strings.Builder
		args := []any{}
		sb.WriteString("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES ")
		for i := first; i < min(first+500, cfg.N); i++ {
			if i > first {
				sb.WriteByte(',')
			}
			sb.WriteString("(?, 'general', 5, 'gasoline', ?, 1, 'available', ?, ?)")
			args = append(args, fmt.Sprintf("赣KC%04d", i), tracking.NormalizePhone(cfg.Phone(i)), now, now)
		}
		if err := db.Exec(sb.String(), args...).Error; err != nil {
			t.Fatalf("insert vehicles: %v", err)
		}
	}
}

// dbChaosCountPositions returns the rows of positions, the distinct (vehicle, fix time) pairs
// among them and the vehicles they belong to. The primary key is (vehicle_id, fixed_at), so a
// re-sent point cannot make a second row; the count of distinct pairs checks it.
func dbChaosCountPositions(t *testing.T, db *store.DB) (rows, distinct, vehicles int64) {
	t.Helper()
	var c struct{ Rows, Distinct, Vehicles int64 }
	if err := db.Raw("SELECT COUNT(*) AS `rows`, COUNT(DISTINCT vehicle_id, fixed_at) AS `distinct`, COUNT(DISTINCT vehicle_id) AS vehicles FROM positions").
		Scan(&c).Error; err != nil {
		t.Fatal(err)
	}
	return c.Rows, c.Distinct, c.Vehicles
}

// dbChaosConsole is a console's live map: a websocket subscribed to positions that reconnects,
// as the console does, when the connection drops.
type dbChaosConsole struct {
	frames     atomic.Int64 // positions frames received
	reconnects atomic.Int64
}

func dbChaosOpenConsole(t *testing.T, base, token string) *dbChaosConsole {
	t.Helper()
	c := &dbChaosConsole{}
	url := "ws" + strings.TrimPrefix(base, "http") + "/ws?token=" + token
	conn, err := c.dial(url)
	if err != nil {
		t.Fatalf("console websocket: %v", err)
	}
	var (
		mu     sync.Mutex
		closed bool
	)
	stop := func() {
		mu.Lock()
		defer mu.Unlock()
		closed = true
		if conn != nil {
			conn.Close()
		}
	}
	t.Cleanup(stop)
	go func() {
		for {
			c.read(conn)
			mu.Lock()
			if closed {
				mu.Unlock()
				return
			}
			mu.Unlock()
			time.Sleep(time.Second)
			next, err := c.dial(url)
			if err != nil {
				continue // keep the old, dead conn: the next read fails at once and we retry
			}
			c.reconnects.Add(1)
			mu.Lock()
			conn = next
			if closed {
				conn.Close()
			}
			mu.Unlock()
		}
	}()
	return c
}

func (c *dbChaosConsole) dial(url string) (*websocket.Conn, error) {
	d := websocket.Dialer{HandshakeTimeout: 10 * time.Second}
	conn, _, err := d.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	if err := conn.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions"}}); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// read counts positions frames until the connection fails.
func (c *dbChaosConsole) read(conn *websocket.Conn) {
	for {
		var m struct {
			Type string `json:"type"`
		}
		if err := conn.ReadJSON(&m); err != nil {
			return
		}
		if m.Type == "positions" {
			c.frames.Add(1)
		}
	}
}
