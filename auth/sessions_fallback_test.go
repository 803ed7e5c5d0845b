package auth_test

import (
	"context"
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet"
	"fleet/auth"
	"fleet/store/storetest"
)

// cuttableRedis is a client of FLEET_TEST_REDIS whose connections can be made to fail, as if
// Redis went away.
type cuttableRedis struct {
	mu    sync.Mutex
	down  bool
	conns []net.Conn
}

func (c *cuttableRedis) client(t *testing.T) *redis.Client {
	url := os.Getenv("FLEET_TEST_REDIS")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("FLEET_TEST_REDIS is not set: under CI=true the Redis session tests must run")
		}
		t.Skip("FLEET_TEST_REDIS not set")
	}
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	opt.MaxRetries = -1
	opt.Dialer = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.down {
			return nil, errors.New("redis is down (test)")
		}
		conn, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.conns = append(c.conns, conn)
		}
		return conn, err
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func (c *cuttableRedis) set(down bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down = down
	if down {
		for _, conn := range c.conns {
			conn.Close()
		}
		c.conns = nil
	}
}

// While Redis is away a session it confirmed within the grace still signs its user in; a session
// Redis said was gone, a logged-out one and one confirmed too long ago do not.
func TestSessionsOutliveARedisOutage(t *testing.T) {
	ctx := context.Background()
	var cut cuttableRedis
	f := newFixtureWith(t, storetest.SQLite(t), cut.client(t))
	f.user(t, "disp", auth.RoleDispatcher)
	login := func() string {
		l, err := f.svc.Login(ctx, auth.LoginInput{Username: "disp", Password: "correct-horse"})
		if err != nil {
			t.Fatalf("login: %v", err)
		}
		return l.Token
	}
	kept, loggedOut, stale := login(), login(), login()
	a, err := f.svc.Authenticate(ctx, loggedOut)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, a); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(9 * time.Minute)
	if _, err := f.svc.Authenticate(ctx, kept); err != nil { // confirmed 9 min after stale
		t.Fatal(err)
	}
	f.now = f.now.Add(2 * time.Minute)

	cut.set(true)
	if a, err := f.svc.Authenticate(ctx, kept); err != nil || a.Username != "disp" {
		t.Fatalf("session confirmed 2 min ago, Redis down: got %v %v, want disp signed in", a, err)
	}
	if _, err := f.svc.Authenticate(ctx, loggedOut); err == nil {
		t.Fatal("logged-out session, Redis down: signed in, want refused")
	}
	if _, err := f.svc.Authenticate(ctx, stale); err == nil {
		t.Fatal("session confirmed 11 min ago, Redis down: signed in, want refused after the 10 min grace")
	}
	if _, err := f.svc.Authenticate(ctx, "never-issued"); err == nil {
		t.Fatal("unknown token, Redis down: signed in, want refused")
	}

	cut.set(false)
	if _, err := f.svc.Authenticate(ctx, stale); err != nil {
		t.Fatalf("session after Redis came back: %v", err)
	}
	_, err = f.svc.Authenticate(ctx, loggedOut)
	wantCode(t, err, fleet.EUnauthorized)
}
