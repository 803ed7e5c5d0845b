package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"fleet/store/storetest"
	"fleet/tracking"
)

func (e *env) wsURL(token string) string {
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/ws"
	if token != "" {
		u += "?token=" + token
	}
	return u
}

func (e *env) token(role string) string {
	return e.bearerClient(role).bearer
}

type wsMsg struct {
	Type     string                 `json:"type"`
	Message  string                 `json:"message"`
	Vehicles []tracking.LiveVehicle `json:"vehicles"`
	Items    []tracking.LiveVehicle `json:"items"`
	Event    *tracking.Event        `json:"event"`
}

func readWS(t *testing.T, c *websocket.Conn, within time.Duration) wsMsg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(within))
	var m wsMsg
	if err := c.ReadJSON(&m); err != nil {
		t.Fatalf("no websocket message within %v: %v", within, err)
	}
	return m
}

func TestWebsocketAuthAndOrigin(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	_, res, err := websocket.DefaultDialer.Dial(e.wsURL(""), nil)
	if err == nil || res == nil || res.StatusCode != 401 {
		t.Fatalf("anonymous upgrade: %v %v, want 401", err, res)
	}
	h := http.Header{"Origin": {"https://evil.example"}}
	_, res, err = websocket.DefaultDialer.Dial(e.wsURL(e.token("dispatcher")), h)
	if err == nil || res == nil || res.StatusCode != 403 {
		t.Fatalf("cross-origin upgrade: %v %v, want 403", err, res)
	}
}

// A dispatcher subscribes, gets the snapshot, then the coalesced positions of a moving vehicle
// and its alarm event; bad messages get an error and, repeated, a close.
func TestWebsocketSnapshotPositionsEvents(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.login("admin")
	out := admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K40001", "class": "general", "seats": 5, "energy": "gasoline"}, 201)
	var v struct{ ID int64 }
	json.Unmarshal(out, &v)
	ctx := context.Background()
	base := time.Now().UTC().Add(-time.Minute).Truncate(time.Second)
	e.tracking.Ingest(ctx, []tracking.Point{{VehicleID: v.ID, FixedAt: base, Lat: 27.8, Lng: 114.4, Positioned: true, Source: tracking.SourceJT808}})

	c, _, err := websocket.DefaultDialer.Dial(e.wsURL(e.token("dispatcher")), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions", "events"}})
	snap := readWS(t, c, 2*time.Second)
	if snap.Type != "snapshot" || len(snap.Vehicles) != 1 || snap.Vehicles[0].Plate != "赣K40001" {
		t.Fatalf("snapshot = %+v", snap)
	}
	// Five points in a burst: the client sees the newest one (coalesced), within 2 s.
	start := time.Now()
	for i := 1; i <= 5; i++ {
		p := tracking.Point{VehicleID: v.ID, FixedAt: base.Add(time.Duration(i) * time.Second), Lat: 27.8 + float64(i)*1e-4, Lng: 114.4, SpeedKmh: 30, Positioned: true, Source: tracking.SourceJT808}
		if i == 5 {
			p.Alarm = 1
		}
		e.tracking.Ingest(ctx, []tracking.Point{p})
	}
	var last tracking.LiveVehicle
	gotEvent := false
	for last.Lat != 27.8005 || !gotEvent {
		m := readWS(t, c, 2*time.Second)
		switch m.Type {
		case "positions":
			seen := map[int64]bool{}
			for _, it := range m.Items {
				if seen[it.VehicleID] {
					t.Fatalf("a frame carries vehicle %d twice: %+v", it.VehicleID, m.Items)
				}
				seen[it.VehicleID] = true
				last = it
			}
		case "event":
			gotEvent = m.Event != nil && m.Event.Type == tracking.EventAlarm && m.Event.VehicleID == v.ID
		}
	}
	if time.Since(start) > 2*time.Second || last.Plate != "赣K40001" || last.State != "alarm" || !last.Online {
		t.Fatalf("last position %+v after %v", last, time.Since(start))
	}

	// A box that is not a box, then garbage: error messages; five bad ones close the socket.
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions"}, "bbox": []float64{115, 28, 114, 27}})
	if m := readWS(t, c, 2*time.Second); m.Type != "error" || !strings.Contains(m.Message, "bbox") {
		t.Fatalf("bad bbox answered %+v", m)
	}
	for i := 0; i < 5; i++ {
		c.WriteMessage(websocket.TextMessage, []byte("{nope"))
	}
	c.SetReadDeadline(time.Now().Add(3 * time.Second))
	for {
		if _, _, err := c.ReadMessage(); err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.ClosePolicyViolation) && !strings.Contains(err.Error(), "1008") {
				t.Fatalf("closed with %v, want policy violation", err)
			}
			break
		}
	}
}

func TestWebsocketTopicsByRole(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c, _, err := websocket.DefaultDialer.Dial(e.wsURL(e.token("staff")), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions"}})
	if m := readWS(t, c, 2*time.Second); m.Type != "error" || !strings.Contains(m.Message, "positions") {
		t.Fatalf("staff subscribing to positions got %+v, want an error", m)
	}
}
