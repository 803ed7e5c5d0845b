package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fleet/auth"
	"fleet/dispatch"
	"fleet/store"
)

// testEnv is a temporary folder with its own SQLite database, in which the tests run fleetctl.
type testEnv struct {
	t   *testing.T
	dir string
	url string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	return &testEnv{t: t, dir: dir, url: "sqlite:" + filepath.Join(dir, "fleet.db")}
}

// run runs fleetctl with args and stdin, FLEET_DB pointing at the test database and cheap bcrypt.
func (e *testEnv) run(stdin string, args ...string) (stdout, stderr string, err error) {
	e.t.Helper()
	env := map[string]string{"FLEET_DB": e.url, "FLEET_BCRYPT_COST": "4"}
	var out, errOut bytes.Buffer
	err = run(context.Background(), append([]string{"fleetctl"}, args...), func(k string) string { return env[k] },
		strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// ok runs fleetctl and fails the test when it returns an error.
func (e *testEnv) ok(args ...string) string {
	e.t.Helper()
	out, errOut, err := e.run("", args...)
	if err != nil {
		e.t.Fatalf("fleetctl %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// file writes data to a file of the test folder and returns its path.
func (e *testEnv) file(name string, data []byte) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// services opens the test database for the test's own checks.
func (e *testEnv) services() (*auth.Service, *dispatch.Service) {
	e.t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: e.url})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	return a, dispatch.NewService(db, a)
}

// count returns the rows of a table.
func (e *testEnv) count(table string) int64 {
	e.t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: e.url})
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		e.t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// wantContains fails unless s contains every one of subs.
func wantContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q; got:\n%s", what, sub, s)
		}
	}
}
