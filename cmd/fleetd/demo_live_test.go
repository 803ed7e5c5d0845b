package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fleet/demo"
)

// Demo mode: the first start seeds the county's past (FLEET_DEMO_HISTORY_DAYS) and says so; the
// staff's live requests (FLEET_DEMO_REQUEST_EVERY) reach the dispatcher's queue while it runs; a
// restart seeds no second history.
func TestRunDemoHistoryAndLiveRequests(t *testing.T) {
	env := map[string]string{"FLEET_DB": "sqlite:" + filepath.Join(t.TempDir(), "fleet.db"), "FLEET_DEMO": "true",
		"FLEET_DEMO_HISTORY_DAYS": "7", "FLEET_DEMO_REQUEST_EVERY": "1s"}
	f := startFleetd(t, env)
	if out := f.out.String(); !strings.Contains(out, "Demo history:") {
		t.Fatalf("stdout does not report the history:\n%s", out)
	}
	token, status := login(t, f.base, "demo_dispatcher", demo.DefaultPassword)
	if status != 200 {
		t.Fatalf("dispatcher login = %d", status)
	}
	var done struct{ Total int }
	if code := getJSON(t, f.base+"/api/requests?status=completed", token, &done); code != 200 || done.Total < 10 {
		t.Fatalf("completed requests = %d (status %d), want the week's history", done.Total, code)
	}
	type queue struct {
		Pending  []struct{ ID int64 } `json:"pending"`
		Approved []struct{ ID int64 } `json:"approved"`
	}
	var q queue
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && len(q.Pending)+len(q.Approved) == 0 {
		time.Sleep(200 * time.Millisecond)
		getJSON(t, f.base+"/api/dispatch/queue", token, &q)
	}
	if len(q.Pending)+len(q.Approved) == 0 {
		t.Fatal("no live request reached the dispatcher's queue in 30 s")
	}
	f.stop(t)

	env["FLEET_DEMO_REQUEST_EVERY"] = "0"
	f = startFleetd(t, env)
	if out := f.out.String(); strings.Contains(out, "Demo history:") {
		t.Errorf("the restart seeded the history again:\n%s", out)
	}
	token, _ = login(t, f.base, "demo_dispatcher", demo.DefaultPassword)
	var again struct{ Total int }
	getJSON(t, f.base+"/api/requests?status=completed", token, &again)
	if again.Total != done.Total {
		t.Errorf("completed requests after restart = %d, want %d", again.Total, done.Total)
	}
}

// A demo setting out of range stops fleetd before it starts, naming the variable.
func TestDemoConfigErrors(t *testing.T) {
	tests := map[string]map[string]string{
		"negative history":  {"FLEET_DEMO_HISTORY_DAYS": "-1"},
		"history too long":  {"FLEET_DEMO_HISTORY_DAYS": "400"},
		"requests too fast": {"FLEET_DEMO_REQUEST_EVERY": "500ms"},
		"negative interval": {"FLEET_DEMO_REQUEST_EVERY": "-1m"},
	}
	for name, env := range tests {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), []string{"fleetd"}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
			for k := range env {
				if err == nil || !strings.Contains(err.Error(), k) {
					t.Fatalf("run = %v, want an error naming %s", err, k)
				}
			}
		})
	}
}
