package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// clock is a time the test moves, shared by the instances.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// twoInstances are two API servers on one database (and one Redis when rdb is set), as fleetd
// runs side by side, behind a trusted proxy (so a test chooses the client address with
// X-Forwarded-For), with one clock. Users u_<role> exist with password pw.
func twoInstances(t *testing.T, db *store.DB, rdb *redis.Client, cost int) (a, b *env, clk *clock) {
	t.Helper()
	clk = &clock{now: time.Now().UTC()}
	prefix := fmt.Sprintf("fleetattack%d:", time.Now().UnixNano())
	var envs [2]*env
	for i := range envs {
		svc := auth.NewService(db, auth.Options{BcryptCost: cost, Now: clk.Now, Redis: rdb, RedisPrefix: prefix,
			Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
		e := &env{t: t, auth: svc, users: map[string]*auth.User{}}
		e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: svc, Fleet: dispatch.NewService(db, svc), DB: db, MaxBody: 1 << 20, TrustXFF: true}))
		t.Cleanup(e.srv.Close)
		envs[i] = e
	}
	ctx := context.Background()
	unit, err := envs[0].auth.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县机关事务管理中心"})
	must(t, err)
	for _, role := range auth.Roles {
		u, err := envs[0].auth.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: role, UnitID: unit.ID})
		must(t, err)
		envs[0].users[role], envs[1].users[role] = u, u
	}
	envs[0].unitID, envs[1].unitID = unit.ID, unit.ID
	return envs[0], envs[1], clk
}

// eachStore runs fn on SQLite, MariaDB, and with sessions in Redis when FLEET_TEST_REDIS is set.
func eachStore(t *testing.T, fn func(t *testing.T, db *store.DB, rdb *redis.Client)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, db, nil) })
	t.Run("redis", func(t *testing.T) {
		u := os.Getenv("FLEET_TEST_REDIS")
		if u == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("FLEET_TEST_REDIS is not set: under CI=true the Redis session tests must run")
			}
			t.Skip("FLEET_TEST_REDIS not set")
		}
		opt, err := redis.ParseURL(u)
		must(t, err)
		rdb := redis.NewClient(opt)
		t.Cleanup(func() { rdb.Close() })
		fn(t, storetest.SQLite(t), rdb)
	})
}

// attempt is one sign-in's answer, what a guesser can compare.
type attempt struct {
	status     int
	retryAfter string
	code, msg  string
	setCookie  bool
	token      string
}

// loginAt posts credentials to e as the client at ip, with extra headers.
func loginAt(t *testing.T, e *env, username, password, ip string, hdr http.Header) attempt {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	for k, v := range hdr {
		req.Header[k] = v
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	var v struct {
		Token string `json:"token"`
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("login answer %d %q is not JSON", res.StatusCode, out)
	}
	return attempt{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After"), code: v.Error.Code, msg: v.Error.Message,
		setCookie: res.Header.Get("Set-Cookie") != "", token: v.Token}
}

func wantStatus(t *testing.T, what string, got attempt, status int) {
	t.Helper()
	if got.status != status {
		t.Fatalf("%s = %+v, want %d", what, got, status)
	}
}

// sessionCookie is the fleet_session cookie a response sets, or nil.
func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "fleet_session" {
			return c
		}
	}
	return nil
}

// browserLogin signs in with the client's cookie jar (and any cookie it already holds).
func browserLogin(t *testing.T, c *client, user string) (*http.Response, loginAnswer) {
	t.Helper()
	res, out := c.do("POST", "/api/login", map[string]string{"username": user, "password": pw})
	if res.StatusCode != 200 {
		t.Fatalf("login %s = %d %s", user, res.StatusCode, out)
	}
	var l loginAnswer
	decodeInto(t, out, &l)
	c.csrf = l.CSRFToken
	return res, l
}

type loginAnswer struct {
	Token     string `json:"token"`
	CSRFToken string `json:"csrf_token"`
	User      struct {
		Username string `json:"username"`
	} `json:"user"`
}

// plant puts a session cookie of the attacker's choosing into c's jar for e.
func plant(t *testing.T, c *client, value string) {
	u, _ := url.Parse(c.e.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "fleet_session", Value: value, Path: "/"}})
}

// whoIs is the username a token signs in as, or "" when it is refused.
func whoIs(t *testing.T, e *env, token string) string {
	t.Helper()
	b := &client{e: e, http: http.DefaultClient, bearer: token}
	res, out := b.do("GET", "/api/me", nil)
	if res.StatusCode == 401 {
		return ""
	}
	var me struct {
		User struct {
			Username string `json:"username"`
		} `json:"user"`
	}
	decodeInto(t, out, &me)
	return me.User.Username
}

func loginOver(t *testing.T, c *http.Client, base string, hdr http.Header) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/api/login", strings.NewReader(`{"username":"u_staff","password":"`+pw+`"}`))
	for k, v := range hdr {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	must(t, err)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("login over %s = %d", base, res.StatusCode)
	}
	return res
}
