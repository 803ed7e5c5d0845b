package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking/jt808"
)

// fleetd is a run() in the background of a test.
type fleetd struct {
	base   string
	cancel context.CancelFunc
	done   chan error
	out    *syncBuffer
}

// syncBuffer is a bytes.Buffer safe for the server's writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startFleetd runs fleetd with env on a free port and waits for /readyz.
func startFleetd(t *testing.T, env map[string]string) *fleetd {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{
		"FLEET_HTTP_ADDR": addr, "FLEET_JT808_ADDR": "off", "FLEET_DATA_DIR": t.TempDir(),
		"FLEET_BCRYPT_COST": "4", "FLEET_LOG_LEVEL": "warn",
		// A demo county's staff file requests every few minutes: not in the middle of a test's queue;
		// and its month of history costs seconds a start (TestRunDemoHistoryAndLiveRequests plays it).
		"FLEET_DEMO_REQUEST_EVERY": "0", "FLEET_DEMO_HISTORY_DAYS": "0",
	}
	for k, v := range env {
		vars[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	f := &fleetd{base: "http://" + addr, cancel: cancel, done: make(chan error, 1), out: &syncBuffer{}}
	errOut := &syncBuffer{}
	go func() {
		f.done <- run(ctx, []string{"fleetd"}, func(k string) string { return vars[k] }, strings.NewReader(""), f.out, errOut)
	}()
	t.Cleanup(func() { f.stop(t) })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-f.done:
			f.cancel = nil
			t.Fatalf("fleetd exited early: %v\n%s", err, errOut.String())
		default:
		}
		res, err := http.Get(f.base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return f
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("fleetd not ready in 60 s\n%s", errOut.String())
	return nil
}

// stop cancels run's context, as SIGTERM does, and waits for a clean return.
func (f *fleetd) stop(t *testing.T) {
	if f.cancel == nil {
		return
	}
	f.cancel()
	f.cancel = nil
	select {
	case err := <-f.done:
		if err != nil {
			t.Errorf("fleetd returned %v, want a clean stop", err)
		}
	case <-time.After(30 * time.Second):
		t.Error("fleetd did not stop within 30 s")
	}
}

func getJSON(t *testing.T, url, token string, v any) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if v != nil {
		json.Unmarshal(b, v)
	}
	return res.StatusCode
}

func login(t *testing.T, base, username, password string) (string, int) {
	t.Helper()
	body := fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)
	res, err := http.Post(base+"/api/login", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var l struct{ Token string }
	json.NewDecoder(res.Body).Decode(&l)
	return l.Token, res.StatusCode
}

// The embedded default: SQLite file created with its folder, admin created with the given
// password, the demo county seeded, and a restart on the same file keeps everything.
func TestRunOnSQLiteWithDemo(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FLEET_DB": "sqlite:" + dir + "/nested/fleet.db", "FLEET_DEMO": "true", "FLEET_ADMIN_PASSWORD": "admin-secret-1"}
	f := startFleetd(t, env)
	if _, err := os.Stat(dir + "/nested/fleet.db"); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
	out := f.out.String()
	if !strings.Contains(out, "demo_dispatcher") || !strings.Contains(out, "listening on http://") {
		t.Fatalf("stdout lacks the demo logins or the address:\n%s", out)
	}
	token, status := login(t, f.base, "admin", "admin-secret-1")
	if status != 200 {
		t.Fatalf("admin login = %d", status)
	}
	var vehicles struct{ Total int }
	if code := getJSON(t, f.base+"/api/vehicles", token, &vehicles); code != 200 || vehicles.Total != 40 {
		t.Fatalf("vehicles = %d (status %d), want 40", vehicles.Total, code)
	}
	// The center made for the first admin sits in the demo tree, not beside it.
	var units struct {
		Items []struct {
			Name     string `json:"name"`
			ParentID *int64 `json:"parent_id"`
		} `json:"items"`
	}
	getJSON(t, f.base+"/api/units", token, &units)
	for _, u := range units.Items {
		if u.Name == "县机关事务管理中心" && u.ParentID == nil {
			t.Error("县机关事务管理中心 is still a root unit after the demo seed")
		}
	}
	if code := getJSON(t, f.base+"/", "", nil); code != 200 {
		t.Fatalf("console = %d", code)
	}
	f.stop(t)

	// Restart on the same file: nothing seeded twice, the admin's password unchanged.
	f = startFleetd(t, env)
	token, status = login(t, f.base, "admin", "admin-secret-1")
	if status != 200 {
		t.Fatalf("admin login after restart = %d", status)
	}
	getJSON(t, f.base+"/api/vehicles", token, &vehicles)
	if vehicles.Total != 40 {
		t.Fatalf("vehicles after restart = %d, want 40", vehicles.Total)
	}
}

// The same binary on MariaDB and Redis, by setting FLEET_DB and FLEET_REDIS.
func TestRunOnMariaDBAndRedis(t *testing.T) {
	redisURL := os.Getenv("FLEET_TEST_REDIS")
	if redisURL == "" && os.Getenv("CI") != "true" {
		t.Skip("FLEET_TEST_REDIS not set")
	}
	if redisURL == "" {
		t.Fatal("FLEET_TEST_REDIS is not set: under CI=true this test must run")
	}
	url := storetest.URL(t, store.MySQL)
	f := startFleetd(t, map[string]string{"FLEET_DB": url, "FLEET_REDIS": redisURL, "FLEET_ADMIN_PASSWORD": "admin-secret-1"})
	var ready struct {
		Checks map[string]string `json:"checks"`
	}
	getJSON(t, f.base+"/readyz", "", &ready)
	if ready.Checks["db"] != "ok" || ready.Checks["redis"] != "ok" {
		t.Fatalf("readyz checks = %v, want db and redis ok", ready.Checks)
	}
	token, status := login(t, f.base, "admin", "admin-secret-1")
	if status != 200 {
		t.Fatalf("admin login on MariaDB = %d", status)
	}
	// A second instance on the same database and Redis starts and serves too, and a session
	// begun on the first works on the second (sessions live in Redis).
	gwAddr := freeAddr(t)
	g := startFleetd(t, map[string]string{"FLEET_DB": url, "FLEET_REDIS": redisURL, "FLEET_JT808_ADDR": gwAddr})
	if _, status := login(t, g.base, "admin", "admin-secret-1"); status != 200 {
		t.Fatalf("admin login on the second instance = %d", status)
	}
	if code := getJSON(t, g.base+"/api/me", token, nil); code != 200 {
		t.Fatalf("instance A's token on instance B = %d, want 200", code)
	}

	// A point ingested on A reaches a websocket client of B (through Redis).
	code, body := postJSON(http.DefaultClient, f.base+"/api/vehicles", token, map[string]any{
		"plate": "赣K50001", "class": "general", "seats": 5, "energy": "gasoline", "terminal_phone": "13950000001"})
	if code != 201 {
		t.Fatalf("create vehicle = %d %s", code, body)
	}
	var v struct{ ID int64 }
	json.Unmarshal(body, &v)
	_, body = postJSON(http.DefaultClient, fmt.Sprintf("%s/api/vehicles/%d/device-token", f.base, v.ID), token, nil)
	var cred struct{ Device, Token string }
	json.Unmarshal(body, &cred)
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(g.base, "http")+"/ws?token="+token, nil)
	if err != nil {
		t.Fatalf("websocket on B: %v", err)
	}
	defer ws.Close()
	ws.WriteJSON(map[string]any{"type": "subscribe", "topics": []string{"positions"}})
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	var snap struct{ Type string }
	if err := ws.ReadJSON(&snap); err != nil || snap.Type != "snapshot" {
		t.Fatalf("snapshot on B: %+v %v", snap, err)
	}
	fix := time.Now().UTC().Add(-10 * time.Second).Truncate(time.Second)
	code, body = postJSON(http.DefaultClient, f.base+"/api/ingest/positions", "", map[string]any{"device": cred.Device, "token": cred.Token,
		"positions": []map[string]any{{"lat": 27.81, "lng": 114.41, "fixed_at": fix, "speed_kmh": 20}}})
	if code != 200 {
		t.Fatalf("ingest on A = %d %s", code, body)
	}
	ws.SetReadDeadline(time.Now().Add(3 * time.Second))
	var frame struct {
		Type  string
		Items []struct {
			VehicleID int64   `json:"vehicle_id"`
			Plate     string  `json:"plate"`
			Lat       float64 `json:"lat"`
		}
	}
	if err := ws.ReadJSON(&frame); err != nil || frame.Type != "positions" || len(frame.Items) != 1 || frame.Items[0].Plate != "赣K50001" || frame.Items[0].Lat != 27.81 {
		t.Fatalf("B's client got %+v (%v), want A's point", frame, err)
	}

	// A dispatcher's text sent through A reaches the terminal held by B.
	term := dialTerminal(t, gwAddr, "013950000001")
	code, body = postJSON(http.DefaultClient, fmt.Sprintf("%s/api/vehicles/%d/commands", f.base, v.ID), token, map[string]any{"type": "text", "text": "请回电调度"})
	if code != 202 {
		t.Fatalf("command on A = %d %s", code, body)
	}
	pk := term.next(t, jt808.MsgText)
	txt, err := jt808.ParseText(pk.Body, false)
	if err != nil || txt.Text != "请回电调度" {
		t.Fatalf("terminal on B got %+v %v", txt, err)
	}
	req, _ := http.NewRequest("POST", g.base+"/api/logout", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 204 {
		t.Fatalf("logout on B = %v %v", res, err)
	}
	res.Body.Close()
	if code := getJSON(t, f.base+"/api/me", token, nil); code != 401 {
		t.Fatalf("token after logout on B, used on A = %d, want 401", code)
	}

	// A gone, B goes on serving.
	f.stop(t)
	token2, status := login(t, g.base, "admin", "admin-secret-1")
	if status != 200 || getJSON(t, g.base+"/api/me", token2, nil) != 200 {
		t.Fatalf("B after A stopped: login %d", status)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := map[string]map[string]string{
		"bad db":        {"FLEET_DB": "postgres://x"},
		"bad redis":     {"FLEET_REDIS": "localhost:6379"},
		"bad time zone": {"FLEET_TZ": "Mars/Olympus"},
		"bad log level": {"FLEET_LOG_LEVEL": "loud"},
	}
	for name, env := range tests {
		t.Run(name, func(t *testing.T) {
			err := run(context.Background(), []string{"fleetd"}, func(k string) string { return env[k] }, nil, io.Discard, io.Discard)
			if err == nil {
				t.Fatal("run accepted a bad configuration")
			}
		})
	}
}

// testTerminal is a registered, authenticated JT/T 808 terminal.
type testTerminal struct {
	conn net.Conn
	sc   *bufio.Scanner
}

func dialTerminal(t *testing.T, addr, phone string) *testTerminal {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	p, _ := jt808.ParsePhone(phone)
	tt := &testTerminal{conn: conn, sc: bufio.NewScanner(conn)}
	tt.sc.Buffer(make([]byte, 4096), jt808.MaxFrameLen+2)
	tt.sc.Split(jt808.SplitFrames)
	send := func(serial uint16, id uint16, body []byte) {
		f, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: id, Phone: p, Serial: serial}, body)
		conn.Write(f)
	}
	send(1, jt808.MsgRegister, jt808.AppendRegister(nil, jt808.Register{Plate: "赣K50001"}, false))
	r, err := jt808.ParseRegisterResponse(tt.next(t, jt808.MsgRegisterResponse).Body)
	if err != nil || r.Result != 0 {
		t.Fatalf("register: %+v %v", r, err)
	}
	send(2, jt808.MsgAuth, jt808.AppendAuth(nil, jt808.Auth{Code: r.AuthCode}, false))
	if g, _ := jt808.ParseGeneralResponse(tt.next(t, jt808.MsgPlatformResponse).Body); g.Result != 0 {
		t.Fatalf("auth result %d", g.Result)
	}
	return tt
}

// next returns the next frame with the message id, within 5 s.
func (tt *testTerminal) next(t *testing.T, id uint16) jt808.Packet {
	t.Helper()
	tt.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for tt.sc.Scan() {
		p, err := jt808.DecodeFrame(nil, tt.sc.Bytes())
		if err == nil && p.MsgID == id {
			return p
		}
	}
	t.Fatalf("no 0x%04x from the platform: %v", id, tt.sc.Err())
	return jt808.Packet{}
}
