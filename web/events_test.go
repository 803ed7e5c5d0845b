package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fleet/store/storetest"
	"fleet/tracking"
)

// An SOS from a vehicle shows up in the events list; a dispatcher acknowledges it with a note;
// the auditor reads it and cannot acknowledge.
func TestEventsListAndAck(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.login("admin")
	out := admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K30001", "class": "general", "seats": 5, "energy": "gasoline"}, 201)
	var v struct{ ID int64 }
	json.Unmarshal(out, &v)
	now := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	for i, alarm := range []uint32{1, 1, 0} {
		p := tracking.Point{VehicleID: v.ID, FixedAt: now.Add(time.Duration(i) * 10 * time.Second), Lat: 27.8, Lng: 114.4, Positioned: true, Alarm: alarm, Source: tracking.SourceJT808}
		if _, err := e.tracking.Ingest(context.Background(), []tracking.Point{p}); err != nil {
			t.Fatal(err)
		}
	}
	disp := e.login("dispatcher")
	out = disp.expect("GET", fmt.Sprintf("/api/events?vehicle=%d&type=alarm", v.ID), nil, 200)
	var list struct {
		Items []struct {
			ID      int64           `json:"id"`
			Type    string          `json:"type"`
			EndedAt *time.Time      `json:"ended_at"`
			Detail  json.RawMessage `json:"detail"`
		} `json:"items"`
		Total int `json:"total"`
	}
	json.Unmarshal(out, &list)
	if list.Total != 1 || list.Items[0].EndedAt == nil || !strings.Contains(string(list.Items[0].Detail), "sos") {
		t.Fatalf("events = %s", out)
	}
	id := list.Items[0].ID
	out = disp.expect("POST", fmt.Sprintf("/api/events/%d/ack", id), map[string]string{"note": "已电话核实：误触"}, 200)
	if !strings.Contains(string(out), "已电话核实") || !strings.Contains(string(out), `"ack_at":"`) {
		t.Fatalf("ack = %s", out)
	}
	e.login("auditor").expect("GET", "/api/events", nil, 200)
	e.login("auditor").expect("POST", fmt.Sprintf("/api/events/%d/ack", id), map[string]string{"note": "x"}, 403)
	e.login("staff").expect("GET", "/api/events", nil, 403)
	disp.expect("GET", "/api/events?type=teleport", nil, 400)
	disp.expect("GET", "/api/events?from=2026-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", nil, 400)
	disp.expect("POST", "/api/events/999999/ack", map[string]string{}, 404)
}
