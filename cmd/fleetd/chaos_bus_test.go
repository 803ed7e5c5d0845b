package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fleet/cmd/fleetsim/sim"
	"fleet/store"
	"fleet/store/storetest"
)

// busChaosInstance is one fleetd of a pair sharing a MariaDB database and a Redis, with its
// terminals and a console of its own.
type busChaosInstance struct {
	name     string
	fleetd   *child
	gateway  string
	vehicles []int64 // the vehicles whose terminals report to this instance
	console  *busChaosConsole
}

// Redis stopped with two instances: each goes on serving its own clients (readiness degraded,
// API answering, consoles connected and pushed the positions of the instance's own terminals),
// and the positions cross between the instances again once Redis is back, with no restart.
func TestChaosBusRedisOutage(t *testing.T) {
	outage, n := busChaosOutage(t), busChaosTerminals(t)
	redis := busChaosStartRedis(t)
	url := storetest.URL(t, store.MySQL)
	pair := []*busChaosInstance{{name: "A"}, {name: "B"}}
	for _, in := range pair {
		in.gateway = freeAddr(t)
		in.fleetd = startChild(t, map[string]string{"FLEET_DB": url, "FLEET_REDIS": redis.url, "FLEET_JT808_ADDR": in.gateway,
			"FLEET_ADMIN_PASSWORD": "admin-secret-1", "FLEET_DATA_DIR": t.TempDir()})
	}
	token, status := login(t, pair[0].fleetd.base, "admin", "admin-secret-1")
	if status != 200 {
		t.Fatalf("login = %d", status)
	}
	var sims []func() sim.Summary
	for i, in := range pair {
		cfg := busChaosSimConfig(in.gateway, n/2, i*n/2)
		in.vehicles = busChaosVehicles(t, url, cfg)
		in.console = busChaosOpenConsole(t, in.fleetd.base, token)
		sims = append(sims, busChaosSim(t, cfg))
	}
	a, b := pair[0], pair[1]
	crossing := func(after time.Time) bool {
		_, ab := b.console.since(after, a.vehicles)
		_, ba := a.console.since(after, b.vehicles)
		return ab > 0 && ba > 0
	}
	warm := chaosWaitFor(t, 90*time.Second, "positions cross between the instances", func() bool { return crossing(time.Time{}) })
	t.Logf("%d terminals (%d per instance), outage %s; positions crossed after %s", n, n/2, outage, warm.Round(time.Millisecond))

	redis.stop(t)
	down := time.Now()
	busChaosDuringOutage(t, pair, token, down, outage)
	localFrom := down.Add(min(outage/2, 3*time.Second)) // what was in flight has arrived by then
	for _, in := range pair {
		pts, vs := in.console.since(localFrom, in.vehicles)
		t.Logf("outage: console on %s pushed %d positions of %d of its own %d vehicles", in.name, pts, vs, len(in.vehicles))
		if pts == 0 {
			t.Errorf("console on %s got no position of its own instance's terminals while Redis was down", in.name)
		}
		if err := in.console.closed(); err != nil {
			t.Errorf("console on %s disconnected while Redis was down: %v", in.name, err)
		}
	}
	_, ab := b.console.since(localFrom, a.vehicles)
	t.Logf("outage: %d vehicles of A reached B's console (want 0: nothing crosses without Redis)", ab)

	redis.start(t)
	up := time.Now()
	resumed := chaosWaitFor(t, 90*time.Second, "positions cross again after Redis restarted", func() bool { return crossing(up) })
	t.Logf("positions crossed both ways %s after Redis restarted", resumed.Round(time.Millisecond))
	chaosWaitFor(t, 30*time.Second, "readyz ready again on both", func() bool {
		return busChaosReady(t, a.fleetd.base).Status == "ready" && busChaosReady(t, b.fleetd.base).Status == "ready"
	})
	for i, stop := range sims {
		t.Logf("terminals on %s: %+v", pair[i].name, stop())
	}
	for _, in := range pair {
		busChaosNoPanic(t, in.name, in.fleetd)
		// A few lines a second at most: not one per point ingested or per failed dial.
		lines, most := strings.Count(in.fleetd.out.String(), "\n"), 40+4*int(outage.Seconds())
		t.Logf("fleetd %s logged %d lines", in.name, lines)
		if lines > most {
			t.Errorf("fleetd %s logged %d lines through a %s outage, want at most %d:\n%s", in.name, lines, outage, most, in.fleetd.out.String())
		}
	}
}

// busChaosDuringOutage checks, for the length of the outage, that both instances stay up, ready
// but degraded with the reason named, and answer the API.
func busChaosDuringOutage(t *testing.T, pair []*busChaosInstance, token string, down time.Time, outage time.Duration) {
	t.Helper()
	checked := map[string]string{}
	for time.Since(down) < outage {
		for _, in := range pair {
			r := busChaosReady(t, in.fleetd.base)
			redis := r.Checks["redis"]
			if r.code != 200 || r.Status != "degraded" || !strings.HasPrefix(redis, "unreachable") || r.Checks["db"] != "ok" {
				// Right after the kill the bus may not have noticed yet.
				if time.Since(down) > 3*time.Second {
					t.Fatalf("readyz on %s with Redis down = %d %+v, want 200 degraded, redis unreachable, db ok", in.name, r.code, r)
				}
				continue
			}
			checked[in.name] = redis
			code, body := busChaosGet(t, in.fleetd.base+"/api/vehicles?limit=5", token)
			if code != 200 {
				t.Fatalf("GET /api/vehicles on %s with Redis down = %d %s, want 200", in.name, code, body)
			}
			if code, body := busChaosGet(t, in.fleetd.base+"/api/live", token); code != 200 {
				t.Fatalf("GET /api/live on %s with Redis down = %d %s, want 200", in.name, code, body)
			}
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, in := range pair {
		if checked[in.name] == "" {
			t.Fatalf("readyz on %s never said degraded during the outage", in.name)
		}
		t.Logf("outage: readyz on %s: 200 degraded, redis %q", in.name, checked[in.name])
	}
}

type busChaosReadiness struct {
	code   int
	Status string            `json:"status"`
	Checks map[string]string `json:"checks"`
}

func busChaosReady(t *testing.T, base string) busChaosReadiness {
	t.Helper()
	var r busChaosReadiness
	code, body := busChaosGet(t, base+"/readyz", "")
	r.code = code
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("readyz on %s = %d %s: %v", base, code, body, err)
	}
	return r
}

// busChaosGet GETs url within 10 s; a fleetd that does not answer fails the test.
func busChaosGet(t *testing.T, url, token string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}
