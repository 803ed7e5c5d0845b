package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// Attacks on signing in: session fixation, token reuse after logout (on every instance), login
// brute force (per account and per address, across instances, without an oracle or user
// enumeration), the session cookie's attributes, and cross-origin form posts. The authorisation
// matrix already checks the CSRF header on a few cookie writes and a bearer token after logout
// on one instance; these go further.

// After UserLimit (5) failures an account is locked for everyone, on every instance, whatever
// the password; a 429 with Retry-After and a JSON body; an unknown username is locked alike;
// other accounts and addresses go on; the lock ends with its time.
func TestLoginBruteForcePerAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b, clk := twoInstances(t, db, nil, 4)
		var wrong, ghost []attempt
		for i := 0; i < 5; i++ {
			inst := []*env{a, b}[i%2] // the failures add up across instances
			wrong = append(wrong, loginAt(t, inst, "u_leader", fmt.Sprintf("guess-%d", i), "10.0.0.1", nil))
			ghost = append(ghost, loginAt(t, inst, "no_such_user", fmt.Sprintf("guess-%d", i), "10.0.0.3", nil))
		}
		for i := range wrong {
			wantStatus(t, "wrong password", wrong[i], 401)
			if wrong[i] != ghost[i] {
				t.Errorf("failure %d: known user %+v, unknown user %+v: want the same answer", i+1, wrong[i], ghost[i])
			}
		}
		// Locked: the right password from another address on the other instance is refused, and
		// says nothing a wrong one would not.
		right := loginAt(t, b, "u_leader", pw, "10.0.0.2", nil)
		wantStatus(t, "right password while locked", right, 429)
		if secs, err := strconv.Atoi(right.retryAfter); err != nil || secs < 60 || secs > 15*60 {
			t.Errorf("Retry-After = %q, want the lock's remaining seconds (up to 900)", right.retryAfter)
		}
		if right.code != "rate_limited" || right.msg == "" || right.setCookie {
			t.Errorf("429 = %+v, want a JSON rate_limited error and no cookie", right)
		}
		if w := loginAt(t, a, "u_leader", "guess-9", "10.0.0.2", nil); w != right {
			t.Errorf("wrong password while locked = %+v, right one = %+v: an oracle", w, right)
		}
		if g := loginAt(t, a, "no_such_user", "guess-9", "10.0.0.2", nil); g != right {
			t.Errorf("unknown user while locked = %+v, known = %+v: enumeration", g, right)
		}
		// Others are not blocked: another account from the guessing address, on both instances.
		wantStatus(t, "another account from the same address", loginAt(t, a, "u_staff", pw, "10.0.0.1", nil), 200)
		wantStatus(t, "another account on the other instance", loginAt(t, b, "u_dispatcher", pw, "10.0.0.1", nil), 200)
		// The lock ends by itself.
		clk.Add(14 * time.Minute)
		wantStatus(t, "a minute before the lock ends", loginAt(t, a, "u_leader", pw, "10.0.0.2", nil), 429)
		clk.Add(time.Minute + time.Second)
		wantStatus(t, "after the lock", loginAt(t, b, "u_leader", pw, "10.0.0.2", nil), 200)
	})
}

// One address guessing many accounts is locked after IPLimit (20) failures on any instance,
// for every account; other addresses are not.
func TestLoginBruteForcePerAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b, clk := twoInstances(t, db, nil, 4)
		for i := 0; i < 20; i++ {
			user := []string{"u_staff", "u_leader", "u_driver", "nobody"}[i%4] + fmt.Sprint(i%3) // 4 failures each at most
			wantStatus(t, "spray", loginAt(t, []*env{a, b}[i%2], user, "Passw0rd!", "192.0.2.7", nil), 401)
		}
		got := loginAt(t, a, "u_admin", pw, "192.0.2.7", nil)
		wantStatus(t, "right password from the locked address", got, 429)
		if got.retryAfter == "" {
			t.Errorf("429 without Retry-After: %+v", got)
		}
		wantStatus(t, "the same account from another address", loginAt(t, b, "u_admin", pw, "192.0.2.8", nil), 200)
		clk.Add(15*time.Minute + time.Second)
		wantStatus(t, "the address after the lock", loginAt(t, b, "u_admin", pw, "192.0.2.7", nil), 200)
	})
}

// Guesses sent at once must not get past the limit: at most UserLimit of them are checked, the
// rest are refused with 429, none fails with a 5xx.
func TestLoginBruteForceInParallel(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b, _ := twoInstances(t, db, nil, 4)
		const n = 30
		got := make([]attempt, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = loginAt(t, []*env{a, b}[i%2], "u_leader", fmt.Sprintf("guess-%d", i), fmt.Sprintf("10.7.0.%d", i), nil)
			}()
		}
		wg.Wait()
		count := map[int]int{}
		for _, g := range got {
			count[g.status]++
		}
		if count[401] > 5 || count[401]+count[429] != n {
			t.Errorf("%d parallel guesses answered %v, want at most 5 checked (401) and the rest 429", n, count)
		}
		wantStatus(t, "right password after the burst", loginAt(t, a, "u_leader", pw, "10.7.1.1", nil), 429)
	})
}

// A wrong password for a known user takes as long as one for an unknown user (the unknown one
// is checked against a dummy hash), so timing does not tell which usernames exist. Real bcrypt
// cost, medians of interleaved samples, and a wide margin: without the dummy hash the unknown
// user answers in well under a tenth of the time.
func TestLoginTimingDoesNotEnumerateUsers(t *testing.T) {
	a, _, clk := twoInstances(t, storetest.SQLite(t), nil, 10)
	timeOf := func(user string) time.Duration {
		start := time.Now()
		wantStatus(t, "wrong password", loginAt(t, a, user, "wrong-password", "10.8.0.1", nil), 401)
		return time.Since(start)
	}
	var known, unknown []time.Duration
	for i := 0; i < 7; i++ {
		clk.Add(16 * time.Minute) // every sample is a first failure: no lock, no slow-down
		known = append(known, timeOf("u_staff"))
		unknown = append(unknown, timeOf(fmt.Sprintf("ghost%d", i)))
	}
	med := func(d []time.Duration) time.Duration {
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		return d[len(d)/2]
	}
	k, u := med(known), med(unknown)
	if u < k/2 || k < u/2 {
		t.Errorf("median wrong-password answer: known user %v, unknown user %v: timing tells them apart", k, u)
	}
}

// A session id chosen by an attacker, or one obtained before sign-in, never becomes the signed-in
// session: every sign-in issues a fresh token and CSRF token, whatever the request carries.
func TestSessionFixation(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB, rdb *redis.Client) {
		a, b, _ := twoInstances(t, db, rdb, 4)
		t.Run("a made-up session id", func(t *testing.T) {
			victim := a.anon()
			plant(t, victim, "attacker-chosen-session-id-0000000000000000000")
			victim.expect("GET", "/api/me", nil, 401)
			res, l := browserLogin(t, victim, "u_leader")
			ck := sessionCookie(res)
			if ck == nil || ck.Value != l.Token || ck.Value == "attacker-chosen-session-id-0000000000000000000" {
				t.Fatalf("login cookie = %+v, want the fresh token of the answer", ck)
			}
			if got := whoIs(t, b, "attacker-chosen-session-id-0000000000000000000"); got != "" {
				t.Errorf("the planted id signs in as %q after the victim's login", got)
			}
			victim.expect("GET", "/api/me", nil, 200)
		})
		t.Run("the attacker's own session", func(t *testing.T) {
			attacker := a.anon()
			_, mine := browserLogin(t, attacker, "u_staff")
			victim := b.anon()
			plant(t, victim, mine.Token)
			res, l := browserLogin(t, victim, "u_leader")
			if l.Token == mine.Token || sessionCookie(res) == nil || sessionCookie(res).Value == mine.Token {
				t.Fatalf("the victim's login kept the planted session")
			}
			if got := whoIs(t, a, mine.Token); got != "u_staff" {
				t.Errorf("the planted session now signs in as %q, want still u_staff (never the victim)", got)
			}
			if got := whoIs(t, a, l.Token); got != "u_leader" {
				t.Errorf("the victim's new session = %q", got)
			}
		})
		t.Run("a bearer token sent to login", func(t *testing.T) {
			first := loginAt(t, a, "u_driver", pw, "10.0.0.1", nil)
			again := loginAt(t, b, "u_driver", pw, "10.0.0.1", http.Header{"Authorization": {"Bearer " + first.token}})
			if first.token == "" || again.token == first.token || len(again.token) < 43 {
				t.Errorf("tokens %q then %q: want a fresh one of 256 bits each time", first.token, again.token)
			}
		})
		t.Run("CSRF tokens belong to one session", func(t *testing.T) {
			c := a.anon()
			_, one := browserLogin(t, c, "u_admin")
			_, two := browserLogin(t, c, "u_admin")
			if one.CSRFToken == two.CSRFToken || one.Token == two.Token {
				t.Fatalf("two sign-ins share a token or CSRF token")
			}
			c.csrf = one.CSRFToken // the first session's CSRF token with the second session's cookie
			c.expect("POST", "/api/units", map[string]any{"name": "县审计局"}, 403)
		})
	})
}

// Logout ends the session on the server: the cookie's value replayed, or used as a bearer token,
// is refused on every instance; the answer clears the cookie.
func TestLogoutEndsTheSessionEverywhere(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB, rdb *redis.Client) {
		a, b, _ := twoInstances(t, db, rdb, 4)
		c := a.anon()
		_, l := browserLogin(t, c, "u_dispatcher")
		if got := whoIs(t, b, l.Token); got != "u_dispatcher" {
			t.Fatalf("the session on the other instance = %q", got)
		}
		res, _ := c.do("POST", "/api/logout", nil)
		if ck := sessionCookie(res); res.StatusCode != 204 || ck == nil || ck.MaxAge >= 0 || ck.Value != "" {
			t.Fatalf("logout = %d, cookie %+v: want 204 clearing the cookie", res.StatusCode, ck)
		}
		for name, e := range map[string]*env{"this instance": a, "the other instance": b} {
			if got := whoIs(t, e, l.Token); got != "" {
				t.Errorf("the token after logout signs in as %q on %s", got, name)
			}
			replay := e.anon()
			plant(t, replay, l.Token)
			replay.csrf = l.CSRFToken
			replay.expect("GET", "/api/me", nil, 401)
			replay.expect("POST", "/api/logout", nil, 401)
		}
	})
}

// Changing one's password ends one's other sessions on every instance; the old password is dead.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *store.DB, rdb *redis.Client) {
		a, b, _ := twoInstances(t, db, rdb, 4)
		phone, desk := a.anon(), b.anon()
		_, p := browserLogin(t, phone, "u_leader")
		browserLogin(t, desk, "u_leader")
		out := desk.expect("PUT", "/api/me/password", map[string]string{"current_password": "guess", "password": "new-password-1"}, 400)
		if errorOf(t, out).Error.Fields["current_password"] == "" {
			t.Errorf("wrong current password: %s, want current_password named", out)
		}
		phone.expect("GET", "/api/me", nil, 200) // a refused change ends nothing
		desk.expect("PUT", "/api/me/password", map[string]string{"current_password": pw, "password": "new-password-1"}, 204)
		desk.expect("GET", "/api/me", nil, 200)
		for _, e := range []*env{a, b} {
			if got := whoIs(t, e, p.Token); got != "" {
				t.Errorf("the other session after the password change signs in as %q", got)
			}
		}
		wantStatus(t, "the old password", loginAt(t, a, "u_leader", pw, "10.0.0.5", nil), 401)
		wantStatus(t, "the new password", loginAt(t, b, "u_leader", "new-password-1", "10.0.0.5", nil), 200)
	})
}

// A borrowed session cannot guess the password through the password change faster than the
// sign-in page allows: wrong current passwords count as failed sign-ins of the account.
func TestPasswordChangeGuessesAreThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		a, b, clk := twoInstances(t, db, nil, 4)
		thief := a.anon()
		browserLogin(t, thief, "u_leader")
		for i := 0; i < 5; i++ {
			thief.expect("PUT", "/api/me/password", map[string]string{"current_password": fmt.Sprint("guess-", i), "password": "stolen-password-1"}, 400)
		}
		res, out := thief.do("PUT", "/api/me/password", map[string]string{"current_password": pw, "password": "stolen-password-1"})
		if res.StatusCode != 429 || res.Header.Get("Retry-After") == "" || errorOf(t, out).Error.Code != "rate_limited" {
			t.Fatalf("the right current password after 5 wrong ones = %d %s, want 429 with Retry-After", res.StatusCode, out)
		}
		wantStatus(t, "signing in to the account meanwhile", loginAt(t, b, "u_leader", pw, "10.0.0.6", nil), 429)
		clk.Add(15*time.Minute + time.Second)
		thief.expect("GET", "/api/me", nil, 200) // the lock refused guesses; it ended no session
		wantStatus(t, "the old password still works", loginAt(t, b, "u_leader", pw, "10.0.0.6", nil), 200)
	})
}

// The session cookie: HttpOnly, SameSite=Lax, the whole site, the session's lifetime; Secure
// when the request came over TLS (directly or through a trusted proxy); cleared alike.
func TestSessionCookieAttributes(t *testing.T) {
	a, _, _ := twoInstances(t, storetest.SQLite(t), nil, 4)
	tls := httptest.NewTLSServer(a.srv.Config.Handler)
	t.Cleanup(tls.Close)
	for _, tt := range []struct {
		name   string
		url    string
		hdr    http.Header
		client *http.Client
		secure bool
	}{
		{"plain HTTP", a.srv.URL, nil, http.DefaultClient, false},
		{"TLS", tls.URL, nil, tls.Client(), true},
		{"TLS at the proxy", a.srv.URL, http.Header{"X-Forwarded-Proto": {"https"}}, http.DefaultClient, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in := loginOver(t, tt.client, tt.url, tt.hdr)
			ck := sessionCookie(in)
			if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure != tt.secure {
				t.Fatalf("session cookie = %+v, want HttpOnly SameSite=Lax Path=/ Secure=%v", ck, tt.secure)
			}
			if left := time.Until(ck.Expires); left < 11*time.Hour || left > 13*time.Hour {
				t.Errorf("cookie expires in %v, want the session's 12 h", left)
			}
			req, _ := http.NewRequest("POST", tt.url+"/api/logout", nil)
			req.Header = tt.hdr.Clone()
			if req.Header == nil {
				req.Header = http.Header{}
			}
			req.Header.Set("Authorization", "Bearer "+ck.Value)
			out, err := tt.client.Do(req)
			must(t, err)
			out.Body.Close()
			gone := sessionCookie(out)
			if gone == nil || gone.MaxAge >= 0 || !gone.HttpOnly || gone.SameSite != http.SameSiteLaxMode || gone.Secure != tt.secure {
				t.Errorf("logout cookie = %+v, want it cleared with the same attributes", gone)
			}
		})
	}
}

// A page on another site can make the browser post a form (urlencoded, multipart or text/plain)
// with the session cookie, but cannot add the X-CSRF-Token header: every state-changing route
// refuses it before doing anything. And it cannot sign the victim in to its own account: login
// takes only JSON, which a form cannot send.
func TestCrossOriginFormPostsAreRefused(t *testing.T) {
	e, _ := newMatrixEnv(t, storetest.SQLite(t))
	victim := e.login("admin")
	kinds := []struct{ contentType, body string }{
		{"application/x-www-form-urlencoded", "name=x&status=approved"},
		{"multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n%PDF-\r\n--b--\r\n"},
		{"text/plain", `{"name":"x","pad":"=1"}`},
	}
	n := 0
	for _, r := range web.Routes() {
		method, path, ok := strings.Cut(r.Pattern, " ")
		if !ok || slices.Contains([]string{"GET", "HEAD", "OPTIONS"}, method) || r.Perm == "" || r.Perm == web.PermDevice {
			continue
		}
		n++
		path = pathParam.ReplaceAllString(path, "1")
		k := kinds[n%len(kinds)]
		req, _ := http.NewRequest(method, e.srv.URL+path, strings.NewReader(k.body))
		req.Header.Set("Content-Type", k.contentType)
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Referer", "https://evil.example/page.html")
		res, err := victim.http.Do(req) // the jar adds the session cookie, as the browser would
		must(t, err)
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 403 || !strings.Contains(string(out), "CSRF") {
			t.Errorf("%s from another site (%s) = %d %.200s, want 403 for the missing CSRF token", r.Pattern, k.contentType, res.StatusCode, out)
		}
	}
	if n < 100 {
		t.Fatalf("only %d state-changing routes checked", n)
	}
	victim.expect("GET", "/api/me", nil, 200) // the session survived the forged logout
	for _, k := range kinds {
		c := e.anon()
		body := `{"username":"u_staff","password":"` + pw + `"}`
		if k.contentType == "application/x-www-form-urlencoded" {
			body = "username=u_staff&password=" + pw
		}
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/login", strings.NewReader(body))
		req.Header.Set("Content-Type", k.contentType)
		req.Header.Set("Origin", "https://evil.example")
		res, err := c.http.Do(req)
		must(t, err)
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 400 || sessionCookie(res) != nil {
			t.Errorf("login form post (%s) from another site = %d %s, want 400 and no cookie", k.contentType, res.StatusCode, out)
		}
	}
}
