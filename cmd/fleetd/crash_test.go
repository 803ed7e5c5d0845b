package main

import (
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
	for _, dialect := range []string{store.SQLite, store.MySQL} {
		t.Run(dialect, func(t *testing.T) {
			url := "sqlite:" + filepath.Join(t.TempDir(), "fleet.db")
			if dialect == store.MySQL {
				url = storetest.URL(t, store.MySQL)
			}
			env := map[string]string{"FLEET_DB": url, "FLEET_ADMIN_PASSWORD": "admin-secret-1", "FLEET_DATA_DIR": t.TempDir()}
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
