package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/web"
)

// hostileRun is one database's sweep: the running API, its database and the clients by role.
type hostileRun struct {
	e       *env
	db      *store.DB
	fx      *hostileFixture
	clients map[string]*client
	state   *dbState
	last    string // the state after the previous request
	sent    int
	queried int
}

func (h *hostileRun) as(role string) *client {
	if c, ok := h.clients[role]; ok {
		return c
	}
	c := h.e.bearerClient(role)
	h.clients[role] = c
	return c
}

// TestHostileInput puts hostile values (hostileStrings, hostileNumbers) in place of each string
// and number of a valid body of every JSON route (hostileCases; the first item of a list stands
// for the rest), on SQLite and MariaDB (each value's only says where it runs): never a 5xx; a
// 4xx answers a JSON error naming the field and changes nothing in the database; a 2xx keeps
// the text exactly as sent (invalid UTF-8 as U+FFFD), as the entity reads back. Then hostile
// query parameters on every GET route: never a 5xx.
func TestHostileInput(t *testing.T) {
	t.Run("every JSON route has a case", checkHostileRows)
	// The two databases run side by side: MariaDB's time is mostly round trips.
	t.Run("sqlite", func(t *testing.T) { t.Parallel(); sweepAll(t, storetest.SQLite(t)) })
	t.Run("mysql", func(t *testing.T) { t.Parallel(); sweepAll(t, storetest.MySQL(t)) })
}

// sweepAll runs every case, then the query parameters, on one database.
func sweepAll(t *testing.T, db *store.DB) {
	e, other := newMatrixEnv(t, db)
	h := &hostileRun{e: e, db: db, clients: map[string]*client{}}
	for _, role := range auth.Roles {
		h.as(role)
	}
	h.fx = newHostileFixture(t, e, other, h.as)
	h.fx.w = newOfficeWorld(t, e)
	quietSessions(t, db)
	h.state = newDBState(t, db)
	for _, c := range hostileCases {
		if c.body == nil {
			continue
		}
		t.Run(c.route, func(t *testing.T) { h.sweep(t, c) })
	}
	t.Run("query parameters", func(t *testing.T) { h.queries(t) })
	t.Logf("%s: %d requests with a body, %d with a query", db.Dialect, h.sent, h.queried)
}

// checkHostileRows: every POST, PUT and PATCH route of web.Routes() has exactly one row.
func checkHostileRows(t *testing.T) {
	rows := map[string]bool{}
	for _, c := range hostileCases {
		if rows[c.route] {
			t.Errorf("%s: two rows in hostileCases", c.route)
		}
		rows[c.route] = true
		if c.body == nil && c.why == "" {
			t.Errorf("%s: a row with no body must say why", c.route)
		}
	}
	live := map[string]bool{}
	for _, r := range web.Routes() {
		method, _, _ := strings.Cut(r.Pattern, " ")
		if method != "POST" && method != "PUT" && method != "PATCH" {
			continue
		}
		live[r.Pattern] = true
		if !rows[r.Pattern] {
			t.Errorf("%s: no row in hostileCases gives it a valid body for the hostile-input sweep", r.Pattern)
		}
	}
	for r := range rows {
		if !live[r] {
			t.Errorf("%s: a row in hostileCases for a route web.Routes() no longer has", r)
		}
	}
}

// sweep sends the case's valid body once (it must pass), then each hostile value in each leaf.
func (h *hostileRun) sweep(t *testing.T, c hostileCase) {
	h.fx.t = t
	path, body := c.body(h.fx, h.next())
	method, _, _ := strings.Cut(c.route, " ")
	if !c.transition {
		res, out := h.send(c.role, method, path, body)
		if res >= 300 {
			t.Fatalf("the valid body: %s %s = %d %.300s", method, path, res, out)
		}
	}
	h.last = h.state.look(t)
	statuses := map[int]int{}
	for _, l := range leaves(normal(t, body), nil) {
		if l.deep() {
			continue
		}
		values := hostileNumbers
		if _, ok := l.v.(string); ok {
			values = hostileStrings
		}
		for _, v := range values {
			if v.only != "" && v.only != h.db.Dialect {
				continue
			}
			path, body := c.body(h.fx, h.next())
			if h.fx.made { // the fixture wrote for this body: look again
				h.last, h.fx.made = h.state.look(t), false
			}
			raw := substitute(t, body, l, v.raw)
			status, out := h.send(c.role, method, path, raw)
			statuses[reached(status, out, l)]++
			after := h.state.look(t)
			h.judge(t, c, l, v, path, status, out, changed(h.last, after))
			h.last = after
		}
	}
	unreached(t, c, statuses)
}

// unreached fails a case most of whose hostile bodies were refused for the state of the
// records (409) or a missing one (404): the sweep did not reach the validation.
func unreached(t *testing.T, c hostileCase, statuses map[int]int) {
	total := 0
	for _, n := range statuses {
		total += n
	}
	if !c.transition && 2*(statuses[409]+statuses[404]) > total {
		t.Errorf("%s: answers %v: most bodies never reached the validation; fix the case's body", c.route, statuses)
	}
}

// reached counts a 409 naming the leaf (a duplicate of a unique text) as a 400: the value was
// looked at.
func reached(status int, out []byte, l leaf) int {
	var e apiError
	if status == 409 && json.Unmarshal(out, &e) == nil && e.Error.Fields[l.key()] != "" {
		return 400
	}
	return status
}

func (h *hostileRun) next() int { h.sent++; return h.sent }

// send makes one request and returns its status and body; a transport failure (the server died
// or cut the connection) is a failure of the sweep.
func (h *hostileRun) send(role, method, path string, body any) (int, []byte) {
	res, out := h.as(role).do(method, path, body)
	return res.StatusCode, out
}

// judge checks one answer to a hostile body.
func (h *hostileRun) judge(t *testing.T, c hostileCase, l leaf, v hostileValue, path string, status int, out []byte, changes string) {
	t.Helper()
	what := fmt.Sprintf("%s with %s = %s", path, l, v.name)
	switch {
	case status >= 500:
		t.Errorf("%s: %d %.300s, want no 5xx", what, status, out)
	case status >= 400:
		var e apiError
		if err := json.Unmarshal(out, &e); err != nil || e.Error.Code == "" {
			t.Errorf("%s: %d %.300s, want a JSON error", what, status, out)
		} else if status == 400 && !namesField(e.Error.Fields, l, v) {
			t.Errorf("%s: 400 %.300s, want the error to name %s", what, out, l.key())
		}
		if changes != "" {
			t.Errorf("%s: %d, and it changed %s", what, status, changes)
		}
	case v.wrong:
		t.Errorf("%s: %d %.300s, want a 400 for the wrong type", what, status, out)
	case v.want != "" && !writeOnly[l.key()] && !slices.Contains(c.unread, l.key()) && !slices.Contains(c.unread, "*"):
		h.readBack(t, c, what, path, out, v.want)
	}
}

// writeOnly are the fields an answer never shows, so a 2xx cannot be read back.
var writeOnly = map[string]bool{"password": true}

// namesField: the error's fields name the leaf's key, its top-level key, or a path through
// them; a value of the right type may also be refused against another field (an area larger
// than the total), and then that field is named.
func namesField(fields map[string]string, l leaf, v hostileValue) bool {
	for k := range fields {
		if k == l.key() || k == l.top() || strings.Contains(k, l.key()) || strings.HasPrefix(k, l.top()) || !v.wrong {
			return true
		}
	}
	return false
}

// readBack reads the entity after a 2xx (the case's read path, else the answer itself) and
// wants the text exactly as the server decoded it.
func (h *hostileRun) readBack(t *testing.T, c hostileCase, what, path string, out []byte, want string) {
	t.Helper()
	got := out
	if c.read != nil {
		rp := c.read(path, out)
		status, body := h.send(c.role, "GET", rp, nil)
		if status != 200 {
			t.Errorf("%s: accepted, but GET %s = %d %.200s", what, rp, status, body)
			return
		}
		got = body
	}
	if !holdsText(got, want) && !holdsText(got, strings.ReplaceAll(want, "\r\n", "\n")) { // a text area's line ends may be made LF
		t.Errorf("%s: accepted, but the read-back %.300s does not hold %s", what, got, shorten(want))
	}
}

// holdsText reports whether a string in the JSON body is want, or has it inside.
func holdsText(body []byte, want string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	found := false
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			found = found || strings.Contains(v, want)
		}
	}
	walk(v)
	return found
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return strconv.Quote(string([]rune(s)[:40])) + fmt.Sprintf("… (%d characters)", utf8.RuneCountInString(s))
	}
	return strconv.Quote(s)
}

// hostileParams are the query parameters the list, search and report routes read.
var hostileParams = []string{"q", "limit", "offset", "status", "unit_id", "vehicle_id", "driver_id", "user_id", "from", "to",
	"month", "year", "date", "day", "kind", "building_id", "meal_id", "week", "type", "vehicle", "role", "version", "source", "point", "dish_id"}

// queries sends hostile values (URL-encoded, raw bytes kept) as query parameters of every GET
// route: never a 5xx, and a 4xx is a JSON error. Each route gets q, limit and offset and four
// of the other parameters in turn, each with the next value, so that across the routes every
// parameter meets many values.
func (h *hostileRun) queries(t *testing.T) {
	var values []string
	for _, v := range append(slices.Clone(hostileStrings), hostileNumbers...) {
		if v.huge || v.wrong {
			continue
		}
		s := v.raw
		if u, err := strconv.Unquote(s); err == nil {
			s = u
		} else if strings.HasPrefix(s, `"`) {
			s = strings.Trim(s, `"`) // raw invalid UTF-8: Unquote refuses it
		}
		values = append(values, url.QueryEscape(s))
	}
	values = append(values, url.QueryEscape(strings.Repeat("长", 2000)))
	n, r0 := 0, 0
	for _, r := range web.Routes() {
		method, pattern, ok := strings.Cut(r.Pattern, " ")
		if !ok || method != "GET" || pattern == "/ws" {
			continue
		}
		path := h.fx.path(pattern)
		others := len(hostileParams) - 3
		for i, p := range hostileParams {
			if i >= 3 && ((i-3-r0)%others+others)%others >= 4 { // q, limit, offset, and four others from r0
				continue
			}
			full := path + "?" + p + "=" + values[n%len(values)]
			n++
			h.queried++
			status, out := h.send(h.fx.reader(pattern), "GET", full, nil)
			if status >= 500 {
				t.Errorf("GET %.200s = %d %.300s, want no 5xx", full, status, out)
			}
			if status >= 400 && !json.Valid(out) {
				t.Errorf("GET %.200s = %d %.300s, want a JSON error", full, status, out)
			}
		}
		r0 += 4
	}
}
