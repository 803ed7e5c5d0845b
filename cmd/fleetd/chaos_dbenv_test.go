package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fleet/store"
)

// dbChaosMariaDB is a MariaDB server of the test's own, started by scripts/testenv.sh in a
// private run directory on free ports, so that the test can really stop it (SIGKILL, as a crash
// or an OOM kill does) and start it again on the same datadir and port without touching the
// shared test server.
type dbChaosMariaDB struct {
	t    *testing.T
	dir  string
	port int
	env  []string
}

// dbChaosStartMariaDB starts the private server. A machine without mariadbd skips the test,
// except under CI=true, where it fails.
func dbChaosStartMariaDB(t *testing.T) *dbChaosMariaDB {
	t.Helper()
	if !dbChaosHaveMariaDB() {
		if os.Getenv("CI") == "true" {
			t.Fatal("mariadbd not found: under CI=true the database fault tests must run (scripts/testenv.sh deps installs it)")
		}
		t.Skip("mariadbd not found")
	}
	// A short directory: the server's unix socket path must stay under 108 bytes.
	dir, err := os.MkdirTemp("", "fleet-chaos-")
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(dir) // testenv.sh makes it, with its marker, and removes it on stop
	m := &dbChaosMariaDB{t: t, dir: dir, port: dbChaosFreePort(t)}
	m.env = append(os.Environ(), "FLEET_TESTENV_DIR="+dir, "FLEET_TESTENV_MYSQL_PORT="+strconv.Itoa(m.port),
		"FLEET_TESTENV_REDIS_PORT="+strconv.Itoa(dbChaosFreePort(t)), "FLEET_TESTENV_TIMEOUT=120")
	t.Cleanup(func() { m.testenv("stop") })
	m.Start()
	return m
}

func dbChaosHaveMariaDB() bool {
	for _, name := range []string{"mariadbd", "mysqld"} {
		if _, err := exec.LookPath(name); err == nil {
			return true
		}
		for _, dir := range []string{"/usr/sbin", "/usr/local/sbin", "/sbin"} {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				return true
			}
		}
	}
	return false
}

func dbChaosFreePort(t *testing.T) int {
	addr := freeAddr(t)
	p, _ := strconv.Atoi(addr[strings.LastIndexByte(addr, ':')+1:])
	return p
}

func (m *dbChaosMariaDB) testenv(cmd string) error {
	c := exec.Command("../../scripts/testenv.sh", cmd)
	c.Env = m.env
	out, err := c.CombinedOutput()
	if err != nil {
		return fmt.Errorf("testenv.sh %s: %v\n%s", cmd, err, out)
	}
	return nil
}

// Start starts the server (again, on the same datadir and port) and waits until it answers. The
// test server runs with the redo log flushed once a second for speed; a crash would then lose
// the last second's commits, which fleetd has acknowledged, so durability is set as in
// production: the log is flushed at every commit.
func (m *dbChaosMariaDB) Start() {
	m.t.Helper()
	if err := m.testenv("start"); err != nil {
		m.t.Fatal(err)
	}
	db := m.open("mysql")
	defer db.Close()
	if err := db.Exec("SET GLOBAL innodb_flush_log_at_trx_commit = 1").Error; err != nil {
		m.t.Fatalf("make MariaDB durable: %v", err)
	}
}

// Kill stops the server with SIGKILL and waits until it is gone and its port is closed.
func (m *dbChaosMariaDB) Kill() {
	m.t.Helper()
	b, err := os.ReadFile(filepath.Join(m.dir, "mariadb", "mariadb.pid"))
	if err != nil {
		m.t.Fatalf("MariaDB pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		m.t.Fatalf("MariaDB pid %q: %v", b, err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		m.t.Fatalf("kill MariaDB: %v", err)
	}
	chaosWaitFor(m.t, 60*time.Second, "MariaDB to die", func() bool {
		return !dbChaosRunning(pid) && !dbChaosPortOpen(m.port)
	})
}

// dbChaosRunning reports whether pid is a live process (not gone, not a zombie).
func dbChaosRunning(pid int) bool {
	f, err := os.Open(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	if i := strings.LastIndexByte(line, ')'); i >= 0 && i+2 < len(line) {
		return line[i+2] != 'Z' && line[i+2] != 'X'
	}
	return true
}

func dbChaosPortOpen(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 2*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// URL is the fleet user's URL of database name on this server.
func (m *dbChaosMariaDB) URL(name string) string {
	return fmt.Sprintf("mysql://fleet:fleet@127.0.0.1:%d/%s", m.port, name)
}

func (m *dbChaosMariaDB) open(name string) *store.DB {
	m.t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: m.URL(name)})
	if err != nil {
		m.t.Fatalf("open %s: %v", name, err)
	}
	return db
}

// CreateDB creates an empty database and returns its URL.
func (m *dbChaosMariaDB) CreateDB(name string) string {
	m.t.Helper()
	db := m.open("mysql")
	defer db.Close()
	if err := db.Exec("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").Error; err != nil {
		m.t.Fatal(err)
	}
	return m.URL(name)
}

// chaosWaitFor polls cond every 100 ms until it holds, failing the test after timeout (the
// fault tests of the database, of Redis and of the network use it).
func chaosWaitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > timeout {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

// dbChaosGet fetches url and returns its status and body (0 when it could not be fetched).
func dbChaosGet(url string) (int, string) {
	c := http.Client{Timeout: 10 * time.Second}
	res, err := c.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	var sb strings.Builder
	bufio.NewReader(res.Body).WriteTo(&sb)
	return res.StatusCode, sb.String()
}

// dbChaosMetric reads one unlabelled sample of fleetd's /metrics (a counter, or a histogram's
// _count), -1 when it cannot.
func dbChaosMetric(base, name string) float64 {
	code, body := dbChaosGet(base + "/metrics")
	if code != 200 {
		return -1
	}
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}

// dbChaosEnvDuration and dbChaosEnvInt read the scale of a run from the environment.
func dbChaosEnvDuration(t *testing.T, name string, def time.Duration) time.Duration {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		t.Fatalf("%s=%q: want a positive duration such as 30s", name, v)
	}
	return d
}

func dbChaosEnvInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		t.Fatalf("%s=%q: want a positive number", name, v)
	}
	return n
}

// dbChaosLog is an io.Writer onto the test's log, for the simulator's progress lines. It falls
// silent when the test ends, so that a simulator left draining after a failure cannot log into
// a finished test.
type dbChaosLog struct {
	t    *testing.T
	mu   sync.Mutex
	done bool
}

func dbChaosNewLog(t *testing.T) *dbChaosLog {
	w := &dbChaosLog{t: t}
	t.Cleanup(func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.done = true
	})
	return w
}

func (w *dbChaosLog) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(b), "\n"))
	}
	return len(b), nil
}

// dbChaosLogTail logs the last n lines of a process's output, to see why a test failed.
func dbChaosLogTail(t *testing.T, name, out string, n int) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	t.Logf("last %d lines of %s's log:\n%s", min(n, len(lines)), name, strings.Join(lines[max(0, len(lines)-n):], "\n"))
}

// dbChaosLogMetrics logs fleetd's metrics whose names start with prefix.
func dbChaosLogMetrics(t *testing.T, base, prefix string) {
	_, body := dbChaosGet(base + "/metrics")
	var keep []string
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, prefix) && !strings.Contains(line, "_bucket") {
			keep = append(keep, line)
		}
	}
	t.Logf("chaos db outage: fleetd metrics at the end:\n%s", strings.Join(keep, "\n"))
}
