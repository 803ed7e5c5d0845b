package backup_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/demo"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/backup"
	"fleet/store/storetest"
	"fleet/tracking"
)

var seedDay = time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)

// seedDemo seeds the demo county as fleetctl seed demo does.
func seedDemo(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	a := auth.NewService(db, auth.Options{BcryptCost: 4})
	f := dispatch.NewService(db, a)
	b := bus.NewInProcess(bus.Options{})
	t.Cleanup(func() { b.Close() })
	track, err := tracking.NewService(db, b, tracking.Options{NoDetectors: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(track.Close)
	appr, err := approval.NewService(db, a, b, approval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, db, a, f, demo.Options{Now: func() time.Time { return seedDay }, Tracking: track, Approval: appr}); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
}

// emptyDB opens a new, empty (unmigrated) database of the dialect.
func emptyDB(t *testing.T, dialect string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{URL: storetest.URL(t, dialect)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sums returns the checksums of every table of db.
func sums(t *testing.T, db *store.DB) []backup.TableSum {
	t.Helper()
	s, err := backup.Checksums(context.Background(), db)
	if err != nil {
		t.Fatalf("checksums: %v", err)
	}
	return s
}

// sameContent fails unless the two databases hold the same tables with the same rows.
func sameContent(t *testing.T, want, got []backup.TableSum) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("restored %d tables, want %d", len(got), len(want))
	}
	index := map[string]backup.TableSum{}
	for _, s := range got {
		index[s.Table] = s
	}
	for _, w := range want {
		g, ok := index[w.Table]
		switch {
		case !ok:
			t.Errorf("table %s missing from the restore", w.Table)
		case g.Rows != w.Rows:
			t.Errorf("table %s: %d rows restored, want %d", w.Table, g.Rows, w.Rows)
		case g.Sum != w.Sum:
			t.Errorf("table %s: checksum %s, want %s (same %d rows, different content)", w.Table, g.Sum[:12], w.Sum[:12], w.Rows)
		}
	}
}

// totalRows adds up the rows of every table.
func totalRows(s []backup.TableSum) (n int64) {
	for _, t := range s {
		n += t.Rows
	}
	return n
}

// wantError fails unless err says each of subs.
func wantError(t *testing.T, what string, err error, subs ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error, want one saying %q", what, subs)
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("%s: error %q lacks %q", what, err, s)
		}
	}
}
