package main

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
)

// busChaosRow is a stored position, as the net cut test reads it back.
type busChaosRow struct {
	VehicleID  int64
	FixedAt    time.Time
	ReceivedAt time.Time
	Blind      bool
}

// A network cut between fleetd and its terminals: every connection dropped and new ones refused
// for the outage. The terminals reconnect and send what they kept as blind-zone batches; every
// point is stored once, in fix-time order, the live position never moves backwards and the
// console is never pushed a blind-zone point as a live position.
func TestChaosNetCut(t *testing.T) {
	outage, n := busChaosOutage(t), busChaosTerminals(t)
	url := storetest.URL(t, store.MySQL)
	gateway := freeAddr(t)
	fleetd := startChild(t, map[string]string{"FLEET_DB": url, "FLEET_JT808_ADDR": gateway,
		"FLEET_ADMIN_PASSWORD": "admin-secret-1", "FLEET_DATA_DIR": t.TempDir()})
	proxy := busChaosStartProxy(t, gateway)
	cfg := busChaosSimConfig(proxy.addr(), n, 0)
	vehicles := busChaosVehicles(t, url, cfg)
	token, status := login(t, fleetd.base, "admin", "admin-secret-1")
	if status != 200 {
		t.Fatalf("login = %d", status)
	}
	console := busChaosOpenConsole(t, fleetd.base, token)
	stop := busChaosSim(t, cfg)
	warm := chaosWaitFor(t, 120*time.Second, "every terminal connected and on the map", func() bool {
		_, seen := console.since(time.Time{}, vehicles)
		return proxy.active() == n && seen == n
	})
	t.Logf("%d terminals connected and on the map after %s; cutting the network for %s", n, warm.Round(time.Millisecond), outage)

	proxy.cutAll()
	cutAt := time.Now()
	time.Sleep(outage) // the outage itself
	proxy.heal()
	healAt := time.Now()
	back := chaosWaitFor(t, outage+120*time.Second, "every terminal reconnected", func() bool { return proxy.active() == n })
	t.Logf("every terminal reconnected %s after the network came back", back.Round(time.Millisecond))
	time.Sleep(3 * time.Second) // a few live reports after the blind-zone batches
	sum := stop()
	t.Logf("terminals: %+v", sum)
	if sum.Reconnects < int64(n) || sum.Blind == 0 {
		t.Errorf("reconnects %d, blind-zone points %d: want every terminal to reconnect and send a batch", sum.Reconnects, sum.Blind)
	}
	if sum.Sent == 0 || sum.Sent != sum.Acked || sum.Pending != 0 || sum.Dropped != 0 {
		t.Errorf("sent %d, acked %d, pending %d, dropped %d: want every point acknowledged, none dropped", sum.Sent, sum.Acked, sum.Pending, sum.Dropped)
	}
	rows := busChaosPositions(t, url)
	if int64(len(rows)) != sum.Acked {
		t.Errorf("stored %d positions, terminals saw %d acknowledged: want each point stored once", len(rows), sum.Acked)
	}
	busChaosCheckBlind(t, rows, vehicles, cutAt, healAt)
	busChaosCheckLive(t, fleetd.base, token, rows)
	busChaosCheckPushed(t, console, rows)
	busChaosNoPanic(t, "", fleetd)
}

// busChaosPositions reads every stored position, by vehicle and fix time.
func busChaosPositions(t *testing.T, url string) []busChaosRow {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []busChaosRow
	if err := db.Raw("SELECT vehicle_id, fixed_at, received_at, blind FROM positions ORDER BY vehicle_id, fixed_at").Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}

// busChaosCheckBlind checks that every vehicle sent blind-zone points, that every point fixed
// while the network was cut is one, and that a vehicle's blind-zone points were stored in
// fix-time order (received_at never goes back as fixed_at goes forward).
func busChaosCheckBlind(t *testing.T, rows []busChaosRow, vehicles []int64, cutAt, healAt time.Time) {
	t.Helper()
	blind := map[int64]int{}
	last := map[int64]busChaosRow{}
	var outOfOrder, liveInCut, sentBefore int
	for _, r := range rows {
		if !r.Blind {
			// A point fixed during the cut is stored as a live report only when it reached
			// fleetd before the cut (the fix clock of a terminal may run a little ahead of the
			// wall clock, and a loaded writer commits it up to a second or so later): once cut,
			// the terminal keeps it for a batch. A fix time is a whole second, hence the 1 s.
			if r.FixedAt.After(cutAt) && r.FixedAt.Before(healAt.Add(-time.Second)) {
				if r.ReceivedAt.After(healAt) {
					liveInCut++
				} else {
					sentBefore++
				}
			}
			continue
		}
		blind[r.VehicleID]++
		if prev, ok := last[r.VehicleID]; ok && r.ReceivedAt.Before(prev.ReceivedAt) {
			outOfOrder++
			if outOfOrder <= 5 {
				t.Errorf("vehicle %d: blind point fixed %s stored at %s, before the older one fixed %s (stored %s)",
					r.VehicleID, r.FixedAt, r.ReceivedAt, prev.FixedAt, prev.ReceivedAt)
			}
		}
		last[r.VehicleID] = r
	}
	low, high, total := -1, 0, 0
	for _, v := range vehicles {
		c := blind[v]
		total += c
		if low < 0 || c < low {
			low = c
		}
		high = max(high, c)
	}
	t.Logf("blind-zone points stored: %d, per vehicle %d to %d; stored out of fix-time order: %d; fixed in the cut but sent live before it: %d",
		total, low, high, outOfOrder, sentBefore)
	if low <= 0 {
		t.Errorf("a vehicle stored no blind-zone point: want every terminal's cut to be sent as a batch")
	}
	if liveInCut > 0 {
		t.Errorf("%d points fixed during the cut were stored as live reports after it, want them all blind-zone", liveInCut)
	}
}

// busChaosCheckLive checks that each vehicle's live position is its newest stored fix: no
// blind-zone point moved it backwards.
func busChaosCheckLive(t *testing.T, base, token string, rows []busChaosRow) {
	t.Helper()
	newest := map[int64]time.Time{}
	for _, r := range rows {
		if r.FixedAt.After(newest[r.VehicleID]) {
			newest[r.VehicleID] = r.FixedAt
		}
	}
	code, body := busChaosGet(t, base+"/api/live", token)
	var live struct {
		Vehicles []struct {
			VehicleID int64     `json:"vehicle_id"`
			FixedAt   time.Time `json:"fixed_at"`
		}
	}
	if err := json.Unmarshal(body, &live); code != 200 || err != nil {
		t.Fatalf("GET /api/live = %d %s", code, body)
	}
	behind := 0
	for _, v := range live.Vehicles {
		if want := newest[v.VehicleID]; !v.FixedAt.Equal(want) {
			behind++
			if behind <= 5 {
				t.Errorf("vehicle %d: live position fixed %s, want its newest stored fix %s", v.VehicleID, v.FixedAt, want)
			}
		}
	}
	if len(live.Vehicles) != len(newest) {
		t.Errorf("live map has %d vehicles, %d have stored positions", len(live.Vehicles), len(newest))
	}
}

// busChaosCheckPushed checks that the console was never pushed a blind-zone point, and that each
// vehicle's pushed positions only move forward in fix time.
func busChaosCheckPushed(t *testing.T, console *busChaosConsole, rows []busChaosRow) {
	t.Helper()
	type key struct {
		v   int64
		fix int64
	}
	blind := map[key]bool{}
	for _, r := range rows {
		if r.Blind {
			blind[key{r.VehicleID, r.FixedAt.UnixMilli()}] = true
		}
	}
	var pushed, stale, backwards int
	for v, fs := range console.fixes() {
		for i, f := range fs {
			pushed++
			if blind[key{v, f.fix.UnixMilli()}] {
				stale++
			}
			if i > 0 && !f.fix.After(fs[i-1].fix) {
				backwards++
			}
		}
	}
	t.Logf("console was pushed %d positions: %d blind-zone, %d not newer than the one before", pushed, stale, backwards)
	if stale > 0 || backwards > 0 {
		t.Errorf("console got %d blind-zone points and %d positions older than one already shown, want none", stale, backwards)
	}
	if err := console.closed(); err != nil {
		t.Errorf("console disconnected: %v", err)
	}
}
