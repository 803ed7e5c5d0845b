package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
	"fleet/web"
)

// env is a running API on a fresh database with one user per role in one unit.
type env struct {
	t        testing.TB // a fuzz target's *testing.F too
	srv      *httptest.Server
	auth     *auth.Service
	unitID   int64
	users    map[string]*auth.User
	tracking *tracking.Service
}

const pw = "correct-horse"

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	a := auth.NewService(db, auth.Options{BcryptCost: 4, Throttle: auth.ThrottleConfig{SlowStep: time.Millisecond}})
	f := dispatch.NewService(db, a)
	ctx := context.Background()
	unit, err := a.CreateUnit(ctx, auth.System, auth.UnitInput{Name: "县机关事务管理中心"})
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, auth: a, unitID: unit.ID, users: map[string]*auth.User{}}
	for _, role := range auth.Roles {
		u, err := a.CreateUser(ctx, auth.System, auth.UserInput{Username: "u_" + role, Password: pw, Name: role, Role: role, UnitID: unit.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.users[role] = u
	}
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	tr, err := tracking.NewService(db, b, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	e.tracking = tr
	hub := web.NewHub(tr, b, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go hub.Run(ctx)
	t.Cleanup(cancel)
	e.srv = httptest.NewServer(web.NewServer(web.Deps{Auth: a, Fleet: f, Tracking: tr, DB: db, MaxBody: 4096, Hub: hub}))
	t.Cleanup(e.srv.Close)
	return e
}

// client is a browser-like client with a cookie jar, or a bearer-token client.
type client struct {
	e      *env
	http   *http.Client
	bearer string
	csrf   string
}

func (e *env) anon() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar}}
}

// login signs in with the cookie jar and keeps the CSRF token.
func (e *env) login(role string) *client {
	c := e.anon()
	res, body := c.do("POST", "/api/login", map[string]string{"username": "u_" + role, "password": pw})
	if res.StatusCode != 200 {
		e.t.Fatalf("login %s: %d %s", role, res.StatusCode, body)
	}
	var l struct {
		Token     string `json:"token"`
		CSRFToken string `json:"csrf_token"`
	}
	json.Unmarshal(body, &l)
	c.csrf = l.CSRFToken
	return c
}

// bearer signs in and uses only the token, as the mobile pages and scripts do.
func (e *env) bearerClient(role string) *client {
	c := e.login(role)
	jar, _ := cookiejar.New(nil)
	res, body := c.do("POST", "/api/login", map[string]string{"username": "u_" + role, "password": pw})
	if res.StatusCode != 200 {
		e.t.Fatalf("login: %d", res.StatusCode)
	}
	var l struct{ Token string }
	json.Unmarshal(body, &l)
	return &client{e: e, http: &http.Client{Jar: jar}, bearer: l.Token}
}

func (c *client) do(method, path string, body any) (*http.Response, []byte) {
	c.e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd = bytes.NewReader(buf)
	}
	req, _ := http.NewRequest(method, c.e.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

type apiError struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func (c *client) expect(method, path string, body any, status int) []byte {
	c.e.t.Helper()
	res, out := c.do(method, path, body)
	if res.StatusCode != status {
		c.e.t.Fatalf("%s %s = %d %s, want %d", method, path, res.StatusCode, out, status)
	}
	return out
}

func errorOf(t *testing.T, body []byte) apiError {
	t.Helper()
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code == "" {
		t.Fatalf("body %s is not a JSON error", body)
	}
	return e
}

func TestLoginCookieAndBearer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		c := e.anon()
		res, body := c.do("POST", "/api/login", map[string]string{"username": "u_dispatcher", "password": pw})
		if res.StatusCode != 200 {
			t.Fatalf("login = %d %s", res.StatusCode, body)
		}
		var cookie *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "fleet_session" {
				cookie = ck
			}
		}
		if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie = %+v, want HttpOnly SameSite=Lax", cookie)
		}
		var l struct {
			Token string `json:"token"`
			User  struct {
				Username string `json:"username"`
				Role     string `json:"role"`
				UnitID   int64  `json:"unit_id"`
				ID       int64  `json:"id"`
			} `json:"user"`
		}
		json.Unmarshal(body, &l)
		if l.Token == "" || l.User.Role != "dispatcher" || l.User.UnitID != e.unitID || l.User.ID == 0 {
			t.Fatalf("login body = %s", body)
		}
		// The cookie works for reads; the token works on its own.
		c.expect("GET", "/api/me", nil, 200)
		b := &client{e: e, http: http.DefaultClient, bearer: l.Token}
		me := b.expect("GET", "/api/me", nil, 200)
		if !strings.Contains(string(me), `"username":"u_dispatcher"`) {
			t.Fatalf("me = %s", me)
		}
		// Wrong password: 401 with a message.
		res, body = e.anon().do("POST", "/api/login", map[string]string{"username": "u_dispatcher", "password": "nope-nope"})
		if res.StatusCode != 401 || errorOf(t, body).Error.Message == "" {
			t.Fatalf("wrong password = %d %s", res.StatusCode, body)
		}
		// Logout revokes the token.
		b.csrf = ""
		b.expect("POST", "/api/logout", nil, 204)
		b.expect("GET", "/api/me", nil, 401)
	})
}

func TestCSRFOnCookieWrites(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	admin := e.login("admin")
	unit := map[string]any{"name": "县财政局"}
	token := admin.csrf
	admin.csrf = ""
	out := admin.expect("POST", "/api/units", unit, 403)
	if !strings.Contains(string(out), "CSRF") {
		t.Fatalf("body = %s, want it to name CSRF", out)
	}
	admin.csrf = "forged"
	admin.expect("POST", "/api/units", unit, 403)
	admin.csrf = token
	admin.expect("POST", "/api/units", unit, 201)
	// A bearer client needs no CSRF token: no browser sends its header by itself.
	b := e.bearerClient("admin")
	b.expect("POST", "/api/units", map[string]any{"name": "县审计局"}, 201)
}

func TestBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		tests := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"malformed JSON", `{"username":`, 400, ""},
			{"not an object", `[1,2]`, 400, ""},
			{"two objects", `{"username":"a"}{"username":"b"}`, 400, ""},
			{"empty body", ``, 400, ""},
			{"unknown field", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": e.unitID, "name": "x", "admin": true}, 400, "admin"},
			{"wrong type", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": "one", "name": "x"}, 400, "unit_id"},
			{"unknown role", map[string]any{"username": "x1", "password": pw, "role": "root", "unit_id": e.unitID, "name": "x"}, 400, "role"},
			{"empty name", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": e.unitID, "name": ""}, 400, "name"},
			{"overlong name", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": e.unitID, "name": strings.Repeat("长", 101)}, 400, "name"},
			{"short password", map[string]any{"username": "x1", "password": "abc", "role": "staff", "unit_id": e.unitID, "name": "x"}, 400, "password"},
			{"SQL in username", map[string]any{"username": "' OR 1=1 --", "password": pw, "role": "staff", "unit_id": e.unitID, "name": "x"}, 400, "username"},
			{"duplicate username", map[string]any{"username": "u_staff", "password": pw, "role": "staff", "unit_id": e.unitID, "name": "x"}, 409, "username"},
			{"oversized body", map[string]any{"username": "x1", "password": pw, "role": "staff", "unit_id": e.unitID, "name": strings.Repeat("x", 5000)}, 413, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				out := admin.expect("POST", "/api/users", tt.body, tt.status)
				ae := errorOf(t, out)
				if tt.field != "" && ae.Error.Fields[tt.field] == "" {
					t.Fatalf("fields = %v, want %s named", ae.Error.Fields, tt.field)
				}
			})
		}
		// Nothing was stored; the server still serves; metacharacters in text are kept as typed.
		out := admin.expect("GET", "/api/users", nil, 200)
		var l struct{ Total int }
		json.Unmarshal(out, &l)
		if l.Total != len(auth.Roles) {
			t.Fatalf("users = %d after bad input, want %d", l.Total, len(auth.Roles))
		}
		name := `x'); DROP TABLE users; -- "<script>`
		out = admin.expect("POST", "/api/users", map[string]any{"username": "sqlname", "password": pw, "role": "staff", "unit_id": e.unitID, "name": name}, 201)
		var u struct{ ID int64 }
		json.Unmarshal(out, &u)
		got := admin.expect("GET", fmt.Sprintf("/api/users/%d", u.ID), nil, 200)
		var gu struct{ Name string }
		json.Unmarshal(got, &gu)
		if gu.Name != name {
			t.Fatalf("stored name = %q, want %q", gu.Name, name)
		}
		admin.expect("GET", "/api/users/abc", nil, 404)
		admin.expect("GET", "/api/users/99999", nil, 404)
		admin.expect("GET", "/api/users?limit=-1", nil, 400)
		admin.expect("GET", "/api/nothing-here", nil, 404)
	})
}

func TestDisabledUserIsOutAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		staff := e.login("staff")
		staff.expect("GET", "/api/me", nil, 200)
		admin.expect("POST", fmt.Sprintf("/api/users/%d/disable", e.users["staff"].ID), nil, 200)
		staff.expect("GET", "/api/me", nil, 401)
		res, body := e.anon().do("POST", "/api/login", map[string]string{"username": "u_staff", "password": pw})
		if res.StatusCode != 401 {
			t.Fatalf("disabled login = %d %s", res.StatusCode, body)
		}
	})
}

func TestLoginBruteForceGets429(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.anon()
	for i := 0; i < 5; i++ {
		c.expect("POST", "/api/login", map[string]string{"username": "u_leader", "password": "guess-" + fmt.Sprint(i)}, 401)
	}
	res, body := c.do("POST", "/api/login", map[string]string{"username": "u_leader", "password": pw})
	if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after 5 failures = %d %s (Retry-After %q), want 429", res.StatusCode, body, res.Header.Get("Retry-After"))
	}
}

func TestRoleGuards(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	vehicle := map[string]any{"plate": "赣K12345", "class": "general", "seats": 5, "energy": "gasoline", "terminal_phone": "013912345678"}
	e.anon().expect("GET", "/api/vehicles", nil, 401)
	e.login("staff").expect("GET", "/api/vehicles", nil, 403)
	e.login("dispatcher").expect("POST", "/api/vehicles", vehicle, 403)
	e.login("auditor").expect("POST", "/api/vehicles", vehicle, 403)
	e.login("auditor").expect("GET", "/api/users", nil, 200)
	e.login("auditor").expect("GET", "/api/audit", nil, 200)
	e.login("dispatcher").expect("GET", "/api/audit", nil, 403)
	out := e.login("admin").expect("POST", "/api/vehicles", vehicle, 201)
	if !strings.Contains(string(out), `"terminal_phone":"13912345678"`) {
		t.Fatalf("vehicle = %s, want the terminal phone without leading zeros", out)
	}
	// The same terminal in 2019 padding (20 digits) is the same terminal.
	vehicle["plate"], vehicle["terminal_phone"] = "赣K12346", "00000000013912345678"
	e.login("admin").expect("POST", "/api/vehicles", vehicle, 409)
	e.login("dispatcher").expect("GET", "/api/vehicles", nil, 200)
}

// Every non-public route refuses an anonymous caller: a route added without a guard fails here.
func TestEveryGuardedRouteRefusesAnonymous(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	for _, r := range web.Routes() {
		method, path, ok := strings.Cut(r.Pattern, " ")
		if !ok {
			continue
		}
		path = strings.ReplaceAll(path, "{id}", "1")
		if r.Perm == "" {
			continue
		}
		res, body := e.anon().do(method, path, nil)
		if res.StatusCode != 401 {
			t.Errorf("%s anonymous = %d %s, want 401", r.Pattern, res.StatusCode, body)
		}
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	c := e.anon()
	c.expect("GET", "/healthz", nil, 200)
	out := c.expect("GET", "/readyz", nil, 200)
	if !strings.Contains(string(out), `"db":"ok"`) {
		t.Fatalf("readyz = %s", out)
	}
	c.expect("GET", "/api/vehicles", nil, 401)
	out = c.expect("GET", "/metrics", nil, 200)
	for _, want := range []string{`fleet_http_request_duration_seconds_bucket{code="401",method="GET",route="GET /api/vehicles"`, "go_goroutines"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	res, _ := c.do("GET", "/healthz", nil)
	if res.Header.Get("X-Request-ID") == "" {
		t.Error("no X-Request-ID on responses")
	}
}

func TestReadyzSaysWhyWhenDBIsDown(t *testing.T) {
	db := storetest.SQLite(t)
	e := newEnv(t, db)
	db.Close()
	res, out := e.anon().do("GET", "/readyz", nil)
	if res.StatusCode != 503 || !strings.Contains(string(out), `"db":"unreachable`) {
		t.Fatalf("readyz with the db closed = %d %s", res.StatusCode, out)
	}
}

func TestMetaCarriesTileSettings(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	out := e.login("dispatcher").expect("GET", "/api/meta", nil, 200)
	if !strings.Contains(string(out), `"map":{"tile_url":"","tile_crs":"wgs84"}`) {
		t.Fatalf("meta = %s", out)
	}
}
