package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking/jt808"
)

// TestMain lets a test run this binary as a real fleetd process (FLEETD_CHILD=1), so that it
// can be killed with SIGKILL.
func TestMain(m *testing.M) {
	if os.Getenv("FLEETD_CHILD") == "1" {
		if err := run(context.Background(), []string{"fleetd"}, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "fleetd:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is fleetd running in its own process.
type child struct {
	cmd  *exec.Cmd
	base string
	out  *syncBuffer
}

func startChild(t *testing.T, env map[string]string) *child {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "FLEETD_CHILD=1", "FLEET_HTTP_ADDR="+addr, "FLEET_JT808_ADDR=off", "FLEET_BCRYPT_COST=4", "FLEET_LOG_LEVEL=warn")
	// Later entries win: env may turn the gateway on.
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &child{cmd: cmd, base: "http://" + addr, out: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = c.out, c.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(c.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("child fleetd not ready:\n%s", c.out.String())
	return nil
}

func postJSON(client *http.Client, url, token string, body any) (int, []byte) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	return res.StatusCode, buf.Bytes()
}

// kill -9 of fleetd while devices report: every point that any device saw acknowledged (HTTP 200)
// is in the database after a restart.
func TestKill9LosesNoAcknowledgedPoint(t *testing.T) {
	for _, tc := range []struct{ dialect, transport string }{
		{store.SQLite, "http"}, {store.MySQL, "http"}, {store.SQLite, "jt808"}, {store.MySQL, "jt808"},
	} {
		dialect := tc.dialect
		t.Run(tc.dialect+"/"+tc.transport, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "fleet.db")
			if dialect == store.MySQL {
				url = storetest.URL(t, store.MySQL)
			}
			env := map[string]string{"FLEET_DB": url, "FLEET_ADMIN_PASSWORD": "admin-secret-1", "FLEET_DATA_DIR": t.TempDir()}
			if tc.transport == "jt808" {
				env["FLEET_JT808_ADDR"] = freeAddr(t)
			}
			c := startChild(t, env)
			token, status := login(t, c.base, "admin", "admin-secret-1")
			if status != 200 {
				t.Fatalf("login = %d", status)
			}
			const devices = 16
			type device struct {
				id            int64
				phone, secret string
			}
			devs := make([]device, devices)
			for i := range devs {
				phone := fmt.Sprintf("1390000%04d", i)
				code, body := postJSON(http.DefaultClient, c.base+"/api/vehicles", token, map[string]any{
					"plate": fmt.Sprintf("赣K9%04d", i), "class": "general", "seats": 5, "energy": "gasoline", "terminal_phone": phone})
				if code != 201 {
					t.Fatalf("create vehicle = %d %s", code, body)
				}
				var v struct{ ID int64 }
				json.Unmarshal(body, &v)
				devs[i].id = v.ID
				_, body = postJSON(http.DefaultClient, fmt.Sprintf("%s/api/vehicles/%d/device-token", c.base, devs[i].id), token, nil)
				var cred struct{ Device, Token string }
				json.Unmarshal(body, &cred)
				if cred.Token == "" {
					t.Fatalf("device token: %s", body)
				}
				devs[i].phone, devs[i].secret = cred.Device, cred.Token
			}

			base := time.Now().UTC().Add(-3 * time.Hour).Truncate(time.Second)
			acked := make([][]time.Time, devices)
			var wg sync.WaitGroup
			stop := make(chan struct{})
			client := &http.Client{Timeout: 5 * time.Second}
			for i := range devs {
				wg.Add(1)
				if tc.transport == "jt808" {
					go func(i int) {
						defer wg.Done()
						acked[i] = reportJT808(t, env["FLEET_JT808_ADDR"], devs[i].phone, base, stop)
					}(i)
					continue
				}
				go func(i int) {
					defer wg.Done()
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						fix := base.Add(time.Duration(n) * time.Second)
						code, _ := postJSON(client, c.base+"/api/ingest/positions", "", map[string]any{
							"device": devs[i].phone, "token": devs[i].secret,
							"positions": []map[string]any{{"lat": 27.8 + float64(n%100)*1e-5, "lng": 114.4, "fixed_at": fix, "speed_kmh": 30}},
						})
						if code == 0 {
							return // the server is gone
						}
						if code == 200 {
							acked[i] = append(acked[i], fix)
						}
					}
				}(i)
			}
			time.Sleep(1500 * time.Millisecond)
			c.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
			c.cmd.Wait()
			close(stop)
			wg.Wait()

			total := 0
			for _, a := range acked {
				total += len(a)
			}
			if total < 100 {
				t.Fatalf("only %d points acknowledged before the kill; the load did not run", total)
			}
			c2 := startChild(t, env)
			token, _ = login(t, c2.base, "admin", "admin-secret-1")
			lost := 0
			for i, d := range devs {
				var track struct {
					Points []struct {
						FixedAt time.Time `json:"fixed_at"`
					} `json:"points"`
				}
				from := base.Add(-time.Minute).Format(time.RFC3339)
				to := base.Add(24 * time.Hour).Format(time.RFC3339)
				if code := getJSON(t, fmt.Sprintf("%s/api/vehicles/%d/track?from=%s&to=%s", c2.base, d.id, from, to), token, &track); code != 200 {
					t.Fatalf("track = %d", code)
				}
				stored := map[time.Time]bool{}
				for _, p := range track.Points {
					stored[p.FixedAt.UTC()] = true
				}
				for _, fix := range acked[i] {
					if !stored[fix] {
						lost++
					}
				}
			}
			t.Logf("%s: %d points acknowledged before kill -9, %d lost", dialect, total, lost)
			if lost != 0 {
				t.Fatalf("%d acknowledged points lost after kill -9", lost)
			}
			if strings.Contains(c2.out.String(), "panic") {
				t.Fatalf("restart log has a panic:\n%s", c2.out.String())
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// reportJT808 is one terminal: it registers, authenticates and sends a location a second of fix
// time apart, each after the previous one's 0x8001, until stop or the connection dies. It returns
// the fix times the platform acknowledged.
func reportJT808(t *testing.T, addr, phone string, base time.Time, stop chan struct{}) []time.Time {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Errorf("dial gateway: %v", err)
		return nil
	}
	defer conn.Close()
	p, _ := jt808.ParsePhone("0" + phone)
	var sc *bufio.Scanner
	scan := func() { // a new scanner after a timeout: a Scanner stops at its first error
		sc = bufio.NewScanner(conn)
		sc.Buffer(make([]byte, 4096), jt808.MaxFrameLen+2)
		sc.Split(jt808.SplitFrames)
	}
	scan()
	var serial uint16
	send := func(id uint16, body []byte) bool {
		serial++
		f, _ := jt808.AppendFrame(nil, jt808.Header{MsgID: id, Phone: p, Serial: serial}, body)
		_, err := conn.Write(f)
		return err == nil
	}
	read := func() (jt808.Packet, bool) {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if !sc.Scan() {
			scan()
			return jt808.Packet{}, false
		}
		pk, err := jt808.DecodeFrame(nil, sc.Bytes())
		return pk, err == nil
	}
	// Register, as a terminal does, again if the answer is not a registration (the platform
	// answers 0x8001 result 1 when it could not look the terminal up in time).
	var r jt808.RegisterResponse
	for try := 1; ; try++ {
		send(jt808.MsgRegister, jt808.AppendRegister(nil, jt808.Register{Plate: "赣K00000"}, false))
		pk, ok := read()
		if !ok {
			select {
			case <-stop: // killed before this terminal got its answer (a loaded box): nothing acked
				return nil
			case <-time.After(2 * time.Second):
			}
		}
		if !ok && try < 3 {
			continue // a terminal re-sends its registration when no answer comes
		}
		if !ok {
			t.Errorf("register %s: no answer to %d registrations", phone, try)
			return nil
		}
		if pk.MsgID == jt808.MsgRegisterResponse {
			var err error
			if r, err = jt808.ParseRegisterResponse(pk.Body); err != nil || r.Result != 0 {
				t.Errorf("register %s: %+v %v", phone, r, err)
				return nil
			}
			break
		}
		if try == 3 {
			t.Errorf("register %s: answered 0x%04x three times", phone, pk.MsgID)
			return nil
		}
	}
	send(jt808.MsgAuth, jt808.AppendAuth(nil, jt808.Auth{Code: r.AuthCode}, false))
	if _, ok := read(); !ok {
		return nil
	}
	var acked []time.Time
	for n := 0; ; n++ {
		select {
		case <-stop:
			return acked
		default:
		}
		fix := base.Add(time.Duration(n) * time.Second)
		loc := jt808.Location{Status: jt808.StatusACC | jt808.StatusPositioned, Lat: 27.8 + float64(n%100)*1e-5, Lng: 114.4, SpeedKmh: 30, Time: fix}
		if !send(jt808.MsgLocation, jt808.AppendLocation(nil, &loc)) {
			return acked
		}
		want := serial
		for {
			pk, ok := read()
			if !ok {
				return acked // the server is gone: this point was never acknowledged
			}
			if pk.MsgID != jt808.MsgPlatformResponse {
				continue
			}
			if g, err := jt808.ParseGeneralResponse(pk.Body); err == nil && g.Serial == want && g.Result == 0 {
				acked = append(acked, fix)
				break
			}
		}
	}
}
