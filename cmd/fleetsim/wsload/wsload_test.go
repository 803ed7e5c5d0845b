package wsload

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeFleetd answers what wsload asks of fleetd: a login, the vehicles and /ws, where every
// client gets a snapshot and then whatever the test pushes.
type fakeFleetd struct {
	*httptest.Server
	mu    sync.Mutex
	conns []*websocket.Conn
}

func newFakeFleetd(t *testing.T) *fakeFleetd {
	f := &fakeFleetd{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"token":"tok","csrf_token":"x"}`)
	})
	mux.HandleFunc("GET /api/vehicles", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		// Vehicle 41 is terminal 0's (leading zeros do not matter), 42 terminal 1's, 43 nobody's.
		fmt.Fprint(w, `{"items":[{"id":41,"terminal_phone":"13907950001"},{"id":42,"terminal_phone":"013907950002"},{"id":43,"terminal_phone":"13800000000"}],"total":3}`)
	})
	up := websocket.Upgrader{}
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("token") != "tok" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		if _, msg, err := c.ReadMessage(); err != nil || string(msg) != `{"type":"subscribe","topics":["positions"]}` {
			c.Close()
			return
		}
		c.WriteMessage(websocket.TextMessage, []byte(`{"type":"snapshot","vehicles":[{"vehicle_id":41,"plate":"A","fixed_at":"2026-11-27T08:00:00Z"}]}`))
		f.mu.Lock()
		f.conns = append(f.conns, c)
		f.mu.Unlock()
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// push sends one positions frame to every client, or to client only when it is ≥ 0.
func (f *fakeFleetd) push(t *testing.T, client int, items ...string) {
	t.Helper()
	msg := `{"items":[`
	for i, it := range items {
		if i > 0 {
			msg += ","
		}
		msg += it
	}
	msg += `],"type":"positions"}`
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, c := range f.conns {
		if client < 0 || i == client {
			c.WriteMessage(websocket.TextMessage, []byte(msg))
		}
	}
}

func item(id int64, fix time.Time) string {
	return fmt.Sprintf(`{"vehicle_id":%d,"plate":"x","lat":1,"lng":2,"fixed_at":%q,"online":true}`, id, fix.UTC().Format(time.RFC3339))
}

func TestDeliveriesAreTimedFromTheirSend(t *testing.T) {
	f := newFakeFleetd(t)
	cfg := DefaultConfig()
	cfg.Bases, cfg.Clients, cfg.Password = []string{f.URL, f.URL}, 3, "secret"
	cfg.Phones = []string{"13907950001", "13907950002"}
	cfg.BehindAfter = 500 * time.Millisecond
	l, err := Start(context.Background(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	fix := time.Date(2026, 11, 27, 8, 0, 5, 0, time.UTC)
	// Terminal 0 sends three reports; the clients get the first and the third (the second is
	// skipped), 50 ms after each was sent.
	for i := range 3 {
		l.Sent(0, fix.Add(time.Duration(5*i)*time.Second).Unix(), time.Now())
		time.Sleep(50 * time.Millisecond)
		if i != 1 {
			f.push(t, -1, item(41, fix.Add(time.Duration(5*i)*time.Second)))
		}
	}
	// Terminal 1's report reaches client 0 only, 700 ms late: that client is behind. A point of
	// a vehicle without a terminal and a repeat of an old one count apart.
	l.Sent(1, fix.Unix(), time.Now())
	time.Sleep(700 * time.Millisecond)
	f.push(t, 0, item(42, fix), item(43, fix), item(41, fix))
	// The server drops client 2.
	f.mu.Lock()
	f.conns[2].Close()
	f.mu.Unlock()
	time.Sleep(100 * time.Millisecond)
	s := l.Stop()
	t.Logf("%+v", s)

	if s.Subscribed != 3 || s.Dropped != 1 || s.Behind != 2 {
		t.Errorf("subscribed %d, dropped %d, behind %d: want 3, 1, 2", s.Subscribed, s.Dropped, s.Behind)
	}
	if s.Delivered != 2*3+3 || s.Measured != 2*3+1 {
		t.Errorf("delivered %d, measured %d: want 9 items, 7 with a send time", s.Delivered, s.Measured)
	}
	if s.Skipped != 3 || s.Unknown != 1 || s.Duplicates != 1 {
		t.Errorf("skipped %d, unknown %d, duplicates %d: want 3 (one per client), 1, 1", s.Skipped, s.Unknown, s.Duplicates)
	}
	if s.P50ms < 50 || s.P50ms > 150 || s.Maxms < 680 || s.FirstP50ms < 50 || s.FirstP50ms > 150 {
		t.Errorf("latency p50 %.1fms max %.1fms first p50 %.1fms: want about 50, 700, 50", s.P50ms, s.Maxms, s.FirstP50ms)
	}
	if len(s.Bases) != 2 || s.Bases[0].Clients != 2 || s.Bases[1].Clients != 1 || s.Bases[0].Delivered+s.Bases[1].Delivered != 9 {
		t.Errorf("bases %+v: want 2 clients on the first, 1 on the second, 9 deliveries in all", s.Bases)
	}
	if s.BytesPerClientPerS <= 0 || s.WindowS <= 0 {
		t.Errorf("bytes/s %v over %vs", s.BytesPerClientPerS, s.WindowS)
	}
}

func TestStartFailsWithoutAnyClient(t *testing.T) {
	f := newFakeFleetd(t)
	cfg := DefaultConfig()
	cfg.Bases, cfg.Clients, cfg.Password = []string{f.URL}, 2, "secret"
	cfg.Phones = []string{"13700000001"} // no vehicle has it
	if _, err := Start(context.Background(), cfg, nil); err == nil {
		t.Error("Start with no vehicle of the run: no error")
	}
	cfg.Phones = nil
	cfg.Bases = []string{"ftp://nowhere"}
	if _, err := Start(context.Background(), cfg, nil); err == nil {
		t.Error("Start with a bad base: no error")
	}
}
