package bus

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// testRedisURL returns FLEET_TEST_REDIS. Without it the test is skipped, or fails under CI,
// which must run every test.
func testRedisURL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("FLEET_TEST_REDIS")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("FLEET_TEST_REDIS is not set: CI must run the Redis bus tests against a redis-server (e.g. FLEET_TEST_REDIS=redis://127.0.0.1:6379/0)")
		}
		t.Skip("FLEET_TEST_REDIS is not set: skipping the Redis bus tests (e.g. FLEET_TEST_REDIS=redis://127.0.0.1:6379/0)")
	}
	return url
}

// testPrefix returns a channel prefix of its own, so tests sharing a Redis never hear each other.
func testPrefix() string {
	return "fleet-test:" + rand.Text()[:10] + ":"
}

// newRedisForTest opens a bus on url, under a fresh prefix unless opts names one.
func newRedisForTest(t testing.TB, url string, opts Options) *Redis {
	t.Helper()
	if opts.Prefix == "" {
		opts.Prefix = testPrefix()
	}
	b, err := NewRedis(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("NewRedis: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestRedis(t *testing.T) {
	url := testRedisURL(t)
	runSuite(t, func(t *testing.T, opts Options) Bus { return newRedisForTest(t, url, opts) })
}

func TestRedisInstancesHearEachOther(t *testing.T) {
	url := testRedisURL(t)
	prefix := testPrefix()
	a := newRedisForTest(t, url, Options{Prefix: prefix})
	b := newRedisForTest(t, url, Options{Prefix: prefix})
	if a.InstanceID() == b.InstanceID() {
		t.Fatalf("both instances are %q, want distinct ids", a.InstanceID())
	}
	onA, onB := subscribe(t, a, "t"), subscribe(t, b, "t")
	for _, from := range []*Redis{a, b} {
		publish(t, from, "t", "from "+from.InstanceID())
		for name, s := range map[string]*Subscription{"A": onA, "B": onB} {
			m := recv(t, s)
			if string(m.Data) != "from "+from.InstanceID() || m.Origin != from.InstanceID() {
				t.Fatalf("subscriber on %s got %q from %q, want %q from %q",
					name, m.Data, m.Origin, "from "+from.InstanceID(), from.InstanceID())
			}
			expectNone(t, s)
		}
	}
}

func TestRedisPrefixSeparatesDeployments(t *testing.T) {
	url := testRedisURL(t)
	a := newRedisForTest(t, url, Options{})
	b := newRedisForTest(t, url, Options{})
	onB := subscribe(t, b, "t")
	publish(t, a, "t", "x")
	expectNone(t, onB)
}

func TestRedisResumesAfterClientKill(t *testing.T) {
	url := testRedisURL(t)
	prefix := testPrefix()
	b := newRedisForTest(t, url, Options{Prefix: prefix})
	other := newRedisForTest(t, url, Options{Prefix: prefix})
	s := subscribe(t, b, "t")
	killConnections(t, url, b.InstanceID())
	expectDeliveryResumes(t, other, s)
}

func TestRedisResumesAfterRestart(t *testing.T) {
	testRedisURL(t) // same gate as every Redis test
	server := startRedisServer(t)
	var logs lockedBuffer
	prefix := testPrefix()
	b := newRedisForTest(t, server.url, Options{Prefix: prefix, Timeout: time.Second, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	other := newRedisForTest(t, server.url, Options{Prefix: prefix, Timeout: time.Second})
	s := subscribe(t, b, "t")

	server.stop(t)
	start := time.Now()
	if err := b.Publish(context.Background(), "t", []byte("x")); err == nil {
		t.Fatal("Publish with Redis down: got no error, want one")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("Publish with Redis down took %s, want at most about the 1s timeout", d)
	}
	if err := b.Ping(context.Background()); err == nil {
		t.Fatal("Ping with Redis down: got no error, want one")
	}
	// The instance's own subscriptions still get what it publishes.
	if m := recv(t, s); string(m.Data) != "x" || m.Origin != b.InstanceID() {
		t.Fatalf("with Redis down got %q from %q, want the local %q", m.Data, m.Origin, "x")
	}

	server.start(t)
	expectDeliveryResumes(t, other, s)
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping after restart: %v", err)
	}
	for _, want := range []string{"connection lost", "connection restored"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// lockedBuffer is a log destination safe for the bus's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRedisSubscribeFailsWhileRedisIsDown(t *testing.T) {
	testRedisURL(t)
	server := startRedisServer(t)
	b := newRedisForTest(t, server.url, Options{Timeout: 500 * time.Millisecond})
	server.stop(t)
	if s, err := b.Subscribe(context.Background(), "t"); err == nil {
		s.Close()
		t.Fatal("Subscribe with Redis down: got no error, want one")
	}
	server.start(t)
	eventually(t, "subscribe after restart", func() bool {
		s, err := b.Subscribe(context.Background(), "t")
		if err == nil {
			s.Close()
		}
		return err == nil
	})
}

// expectDeliveryResumes publishes on b, another instance than s's, until s hears again: messages
// sent while the pubsub connection is being re-established are lost, as pub/sub promises no more.
func expectDeliveryResumes(t *testing.T, b Bus, s *Subscription) {
	t.Helper()
	deadline := time.Now().Add(3 * wait)
	for i := 0; ; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("delivery did not resume within %s", 3*wait)
		}
		_ = b.Publish(context.Background(), "t", []byte(strconv.Itoa(i)))
		select {
		case m, ok := <-s.C():
			if !ok {
				t.Fatal("subscription closed, want it to survive the reconnection")
			}
			if m.Origin != b.InstanceID() {
				t.Fatalf("got Origin %q, want %q", m.Origin, b.InstanceID())
			}
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// killConnections closes, on the server, every connection of the bus instance id.
func killConnections(t *testing.T, url, id string) {
	t.Helper()
	opts, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	admin := redis.NewClient(opts)
	defer admin.Close()
	ctx := context.Background()
	list, err := admin.ClientList(ctx).Result()
	if err != nil {
		t.Fatalf("CLIENT LIST: %v", err)
	}
	killed := 0
	for line := range strings.Lines(list) {
		fields := map[string]string{}
		for f := range strings.FieldsSeq(line) {
			k, v, _ := strings.Cut(f, "=")
			fields[k] = v
		}
		if fields["name"] != "fleet-bus:"+id {
			continue
		}
		if err := admin.ClientKillByFilter(ctx, "ID", fields["id"]).Err(); err != nil {
			t.Fatalf("CLIENT KILL ID %s: %v", fields["id"], err)
		}
		killed++
	}
	if killed == 0 {
		t.Fatalf("no connection named fleet-bus:%s in CLIENT LIST", id)
	}
}

// redisServer is a redis-server of the test's own, which it can stop and start again on the
// same port.
type redisServer struct {
	port string
	url  string
	cmd  *exec.Cmd
}

// startRedisServer runs redis-server on a free port until the test ends; without a
// redis-server binary it skips the test, or fails it under CI=true.
func startRedisServer(t *testing.T) *redisServer {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("no redis-server on PATH: under CI=true the Redis restart test must run")
		}
		t.Skip("no redis-server on PATH: cannot restart Redis under the test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	_ = l.Close()
	s := &redisServer{port: port, url: "redis://127.0.0.1:" + port + "/0"}
	s.start(t)
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *redisServer) start(t *testing.T) {
	t.Helper()
	s.cmd = exec.Command("redis-server", "--port", s.port, "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no")
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	opts, _ := redis.ParseURL(s.url)
	c := redis.NewClient(opts)
	defer c.Close()
	eventually(t, "redis-server answers PING", func() bool {
		return c.Ping(context.Background()).Err() == nil
	})
}

func (s *redisServer) stop(t *testing.T) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	var exit *exec.ExitError
	if err := s.cmd.Wait(); err != nil && !errors.As(err, &exit) {
		t.Fatalf("wait for redis-server: %v", err)
	}
	s.cmd = nil
}
