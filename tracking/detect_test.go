package tracking_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// drive ingests points of one vehicle every step seconds from start, each made by mk(i).
func drive(t *testing.T, f *fixture, n int, start time.Time, step time.Duration, mk func(i int, p *tracking.Point)) {
	t.Helper()
	for i := 0; i < n; i++ {
		p := pt(f.v1, 0, 27.8+float64(i)*1e-4, 114.4)
		p.FixedAt = start.Add(time.Duration(i) * step)
		mk(i, &p)
		if out, err := f.svc.Ingest(context.Background(), []tracking.Point{p}); err != nil || !out[0].Stored {
			t.Fatalf("point %d: %+v %v", i, out, err)
		}
	}
}

func events(t *testing.T, f *fixture, typ string) []tracking.Event {
	t.Helper()
	evs, _, err := f.svc.ListEvents(context.Background(), auth.System, tracking.EventFilter{VehicleID: f.v1, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// newDetectFixture has a clock far enough ahead that the test's fix times are in the past.
func newDetectFixture(t *testing.T, db *store.DB) *fixture {
	f := newFixture(t, db, nil, "")
	f.advance(30 * 24 * time.Hour)
	return f
}

func TestAlarmEventsOpenAndClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		// SOS on at points 2-3, power cut (bit 8) on from point 3.
		drive(t, f, 6, t0, 10*time.Second, func(i int, p *tracking.Point) {
			if i == 2 || i == 3 {
				p.Alarm |= 1
			}
			if i >= 3 {
				p.Alarm |= 1 << 8
			}
		})
		evs := events(t, f, tracking.EventAlarm)
		if len(evs) != 2 {
			t.Fatalf("alarm events = %d, want 2", len(evs))
		}
		byName := map[string]tracking.Event{}
		for _, e := range evs {
			var d struct{ Alarm string }
			json.Unmarshal(e.Detail, &d)
			byName[d.Alarm] = e
		}
		sos, power := byName["sos"], byName["power_cut"]
		if sos.EndedAt == nil || !sos.StartedAt.Equal(t0.Add(20*time.Second)) || !sos.EndedAt.Equal(t0.Add(40*time.Second)) {
			t.Fatalf("sos = %+v, want 20 s → 40 s", sos)
		}
		if power.EndedAt != nil {
			t.Fatalf("power cut closed at %v, want still open", power.EndedAt)
		}
	})
}

func TestOverspeedOneEventPerEpisode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		// 10 s apart: 60, then 110-130 for 50 s, back to 60; then a 20 s burst at 120 (too short).
		speeds := []float64{60, 110, 120, 130, 115, 112, 105, 60, 60, 120, 125, 60}
		drive(t, f, len(speeds), t0, 10*time.Second, func(i int, p *tracking.Point) { p.SpeedKmh = speeds[i] })
		evs := events(t, f, tracking.EventOverspeed)
		if len(evs) != 1 {
			t.Fatalf("overspeed events = %d, want 1", len(evs))
		}
		e := evs[0]
		var d struct {
			Peak  float64 `json:"peak_kmh"`
			Limit float64 `json:"limit_kmh"`
		}
		json.Unmarshal(e.Detail, &d)
		if !e.StartedAt.Equal(t0.Add(10*time.Second)) || e.EndedAt == nil || !e.EndedAt.Equal(t0.Add(70*time.Second)) || d.Peak != 130 || d.Limit != 100 {
			t.Fatalf("overspeed = %+v detail %+v", e, d)
		}
	})
}

func TestMisuseNoTaskAndOffHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		ctx := context.Background()
		// 2026-11-28 is a Saturday; t0 is 09:00 in Shanghai. Driving 8 minutes, then parked.
		sat := time.Date(2026, 11, 28, 1, 0, 0, 0, time.UTC)
		drive(t, f, 12, sat, time.Minute, func(i int, p *tracking.Point) {
			p.ACC = i < 9
			if i >= 9 {
				p.SpeedKmh = 0
			}
		})
		noTask, off := events(t, f, tracking.EventMisuseNoTask), events(t, f, tracking.EventMisuseOffHours)
		if len(noTask) != 1 || len(off) != 1 {
			t.Fatalf("misuse events: no task %d, off hours %d; want 1 each", len(noTask), len(off))
		}
		if !noTask[0].StartedAt.Equal(sat) || noTask[0].EndedAt == nil || !noTask[0].EndedAt.Equal(sat.Add(9*time.Minute)) {
			t.Fatalf("no-task episode = %v → %v", noTask[0].StartedAt, noTask[0].EndedAt)
		}
		// A make-up working day (调休上班) on Sunday 2026-11-29: driving then is in working hours.
		db.Exec("INSERT INTO calendar_days (day, working, name) VALUES (?, ?, ?)", time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), true, "调休上班")
		time.Sleep(10 * time.Millisecond)
		f2 := newDetectFixture(t, db) // a fresh service reads the calendar anew
		sun := time.Date(2026, 11, 29, 2, 0, 0, 0, time.UTC)
		drive(t, f2, 8, sun, time.Minute, func(i int, p *tracking.Point) { p.ACC = true })
		if off := events(t, f2, tracking.EventMisuseOffHours); len(off) != 1 {
			t.Fatalf("off-hours events after the make-up day = %d, want still 1 (Saturday's)", len(off))
		}
		// A dispatched trip on a Saturday evening (2026-12-05 21:00 in the county) is no misuse of
		// either kind: the task was approved.
		f3 := newDetectFixture(t, db)
		svc, err := tracking.NewService(db, f3.bus, tracking.Options{Now: f3.clock, Tasks: onTask{f3.v1}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(svc.Close)
		f3.svc = svc
		before := len(events(t, f3, tracking.EventMisuseNoTask)) + len(events(t, f3, tracking.EventMisuseOffHours))
		drive(t, f3, 8, time.Date(2026, 12, 5, 13, 0, 0, 0, time.UTC), time.Minute, func(i int, p *tracking.Point) { p.ACC = true })
		if after := len(events(t, f3, tracking.EventMisuseNoTask)) + len(events(t, f3, tracking.EventMisuseOffHours)); after != before {
			t.Fatalf("a dispatched trip at night raised %d misuse events", after-before)
		}
		// The day's figures count the misuses.
		var n int
		db.Raw("SELECT misuses FROM vehicle_days WHERE vehicle_id = ?", f.v1).Scan(&n)
		if n < 2 {
			t.Fatalf("vehicle_days.misuses = %d, want the two Saturday episodes", n)
		}
		_ = ctx
	})
}

func TestOnlineOfflineEvents(t *testing.T) {
	f := newDetectFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	drive(t, f, 1, f.clock().Add(-time.Minute), time.Second, func(int, *tracking.Point) {})
	f.svc.CheckOnline(ctx) // first judgement: online, not news
	if n := len(events(t, f, tracking.EventOnline)); n != 0 {
		t.Fatalf("online events at first sight = %d, want 0", n)
	}
	f.advance(6 * time.Minute)
	f.svc.CheckOnline(ctx)
	f.svc.CheckOnline(ctx) // once only
	if n := len(events(t, f, tracking.EventOffline)); n != 1 {
		t.Fatalf("offline events = %d, want 1", n)
	}
	f.svc.Touch(f.v1)
	f.svc.CheckOnline(ctx)
	if n := len(events(t, f, tracking.EventOnline)); n != 1 {
		t.Fatalf("online events after the vehicle spoke again = %d, want 1", n)
	}
}

func TestAckEvent(t *testing.T) {
	f := newDetectFixture(t, storetest.SQLite(t))
	ctx := context.Background()
	drive(t, f, 2, t0, 10*time.Second, func(i int, p *tracking.Point) { p.Alarm = 1 })
	e := events(t, f, tracking.EventAlarm)[0]
	got, err := f.svc.AckEvent(ctx, auth.System, e.ID, tracking.AckInput{Note: "司机误触报警按钮"})
	if err != nil || got.AckAt == nil || got.Note != "司机误触报警按钮" {
		t.Fatalf("ack = %+v, %v", got, err)
	}
	if _, err := f.svc.AckEvent(ctx, &auth.Actor{Role: auth.RoleAuditor}, e.ID, tracking.AckInput{}); err == nil {
		t.Fatal("an auditor acknowledged an event")
	}
	if _, _, err := f.svc.ListEvents(ctx, auth.System, tracking.EventFilter{Type: "nonsense"}); err == nil {
		t.Fatal("unknown type accepted")
	}
}
