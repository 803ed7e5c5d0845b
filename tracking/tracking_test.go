package tracking_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"fleet"
	"fleet/auth"
	"fleet/bus"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

var t0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

// fixture: a database with two vehicles bound to terminals, a bus and the service.
type fixture struct {
	db  *store.DB
	bus bus.Bus
	svc *tracking.Service
	v1  int64
	v2  int64
	mu  sync.Mutex // guards now: the service's background maintenance reads the clock too
	now time.Time
}

func (f *fixture) clock() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
}

func newFixture(t *testing.T, db *store.DB, rdb *redis.Client, prefix string) *fixture {
	t.Helper()
	f := &fixture{db: db, bus: bus.NewInProcess(bus.Options{}), now: t0.Add(time.Hour)}
	t.Cleanup(func() { f.bus.Close() })
	if db.Migrator().HasTable("vehicles") {
		var n int64
		db.Table("vehicles").Count(&n)
		if n == 0 {
			now := time.Now().UTC()
			db.Exec("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES ('赣K00001','general',5,'gasoline','13907950001',1,'available',?,?)", now, now)
			db.Exec("INSERT INTO vehicles (plate, class, seats, energy, terminal_phone, pooled, status, created_at, updated_at) VALUES ('赣K00002','general',5,'gasoline','13907950002',1,'available',?,?)", now, now)
		}
	}
	db.Raw("SELECT id FROM vehicles WHERE plate = '赣K00001'").Scan(&f.v1)
	db.Raw("SELECT id FROM vehicles WHERE plate = '赣K00002'").Scan(&f.v2)
	svc, err := tracking.NewService(db, f.bus, tracking.Options{Now: f.clock, Redis: rdb, RedisPrefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	f.svc = svc
	t.Cleanup(svc.Close)
	return f
}

func pt(vehicle int64, min int, lat, lng float64) tracking.Point {
	return tracking.Point{VehicleID: vehicle, FixedAt: t0.Add(time.Duration(min) * time.Minute), Lat: lat, Lng: lng,
		SpeedKmh: 40, Course: 90, Positioned: true, Source: tracking.SourceJT808}
}

func count(t *testing.T, db *store.DB, vehicle int64) int64 {
	var n int64
	db.Raw("SELECT COUNT(*) FROM positions WHERE vehicle_id = ?", vehicle).Scan(&n)
	return n
}

func TestIngestStoresOnceAndRejectsBadPoints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		sub, _ := f.bus.Subscribe(ctx, tracking.TopicPositions)
		defer sub.Close()

		good := []tracking.Point{pt(f.v1, 0, 27.80, 114.40), pt(f.v1, 1, 27.801, 114.401)}
		out, err := f.svc.Ingest(ctx, good)
		if err != nil || !out[0].Stored || !out[1].Stored {
			t.Fatalf("ingest = %+v, %v", out, err)
		}
		// A terminal that missed its ack sends the same points again: stored once.
		if _, err := f.svc.Ingest(ctx, good); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, f.v1); n != 2 {
			t.Fatalf("stored %d points, want 2", n)
		}

		bad := map[string]tracking.Point{
			tracking.ReasonNotPositioned: func() tracking.Point { p := pt(f.v1, 2, 27.8, 114.4); p.Positioned = false; return p }(),
			tracking.ReasonZero:          pt(f.v1, 3, 0, 0),
			tracking.ReasonOutOfRange:    pt(f.v1, 4, 95, 114.4),
			tracking.ReasonFuture:        pt(f.v1, 60*3, 27.8, 114.4),
			tracking.ReasonTooOld: func() tracking.Point {
				p := pt(f.v1, 0, 27.8, 114.4)
				p.FixedAt = time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)
				return p
			}(),
			tracking.ReasonSpeed: pt(f.v1, 5, 28.8, 114.4), // 111 km in 4 min
		}
		high := pt(f.v1, 6, 27.8, 114.4)
		high.Altitude = 1 << 40 // a phone's JSON said 1e12 m: no INT column holds it
		for reason, p := range bad {
			out, err := f.svc.Ingest(ctx, []tracking.Point{p})
			if err != nil || out[0].Stored || out[0].Reason != reason {
				t.Errorf("%s: outcome %+v, %v", reason, out, err)
			}
		}
		for reason, p := range map[string]tracking.Point{tracking.ReasonOutOfRange: high} {
			out, err := f.svc.Ingest(ctx, []tracking.Point{p})
			if err != nil || out[0].Stored || out[0].Reason != reason {
				t.Errorf("%s: outcome %+v, %v", reason, out, err)
			}
		}
		if n := count(t, db, f.v1); n != 2 {
			t.Fatalf("stored %d points after bad ones, want 2", n)
		}
		// The first ingest published both points as live; the re-send published them as late
		// (they move nothing); the bad ones published nothing.
		for _, wantLate := range []bool{false, true} {
			select {
			case m := <-sub.C():
				var got []tracking.LivePoint
				json.Unmarshal(m.Data, &got)
				if len(got) != 2 || got[0].Late != wantLate || got[1].Late != wantLate {
					t.Fatalf("published %s, want 2 points with late=%v", m.Data, wantLate)
				}
			case <-time.After(time.Second):
				t.Fatal("nothing published")
			}
		}
		select {
		case m := <-sub.C():
			t.Fatalf("unexpected publication %s", m.Data)
		case <-time.After(50 * time.Millisecond):
		}
	})
}

func TestLateAndBlindPointsNeverMoveTheLivePosition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		f.svc.Ingest(ctx, []tracking.Point{pt(f.v2, 10, 27.82, 114.42)})
		late := pt(f.v2, 5, 27.81, 114.41)
		blind := pt(f.v2, 6, 27.811, 114.411)
		blind.Blind = true
		out, err := f.svc.Ingest(ctx, []tracking.Point{late, blind})
		if err != nil || !out[0].Stored || !out[1].Stored {
			t.Fatalf("late points = %+v, %v; want stored", out, err)
		}
		last, _ := f.svc.Live().Last(f.v2)
		if last.Lat != 27.82 {
			t.Fatalf("live lat = %v, want 27.82 (the newest fix)", last.Lat)
		}
		pts, err := f.svc.Track(ctx, auth.System, f.v2, t0, t0.Add(time.Hour))
		if err != nil || len(pts) != 3 {
			t.Fatalf("track = %d points, %v; want 3", len(pts), err)
		}
		for i := 1; i < len(pts); i++ {
			if !pts[i].FixedAt.After(pts[i-1].FixedAt) {
				t.Fatalf("track not oldest first: %v then %v", pts[i-1].FixedAt, pts[i].FixedAt)
			}
		}
		if pts[0].FixedAt != t0.Add(5*time.Minute) || pts[0].Lat != 27.81 {
			t.Fatalf("first point = %+v", pts[0])
		}
		live, err := f.svc.LiveVehicles(ctx, auth.System)
		if err != nil || len(live) != 1 || live[0].Plate != "赣K00002" || !live[0].Online || live[0].State != "moving" {
			t.Fatalf("live = %+v, %v", live, err)
		}
		f.advance(6 * time.Minute)
		live, _ = f.svc.LiveVehicles(ctx, auth.System)
		if live[0].Online || live[0].State != "offline" {
			t.Fatalf("after 6 silent minutes live = %+v, want offline", live[0])
		}
	})
}

func TestConcurrentIngestStoresEverything(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		var wg sync.WaitGroup
		for g := 0; g < 20; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					p := pt(f.v1, 0, 27.8+float64(g)*1e-4, 114.4)
					p.FixedAt = t0.Add(time.Duration(g*25+i) * time.Second)
					if _, err := f.svc.Ingest(ctx, []tracking.Point{p}); err != nil {
						t.Error(err)
					}
				}
			}(g)
		}
		wg.Wait()
		if n := count(t, db, f.v1); n != 500 {
			t.Fatalf("stored %d, want 500", n)
		}
	})
}

func TestRegisterAndAuthenticate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		_, _, err := f.svc.Register(ctx, "013999999999", tracking.Registration{ProtocolVersion: 2013})
		if fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("unknown phone = %v, want not_found", err)
		}
		id, code, err := f.svc.Register(ctx, "013907950001", tracking.Registration{ProtocolVersion: 2013, Plate: "赣K00001"})
		if err != nil || id != f.v1 || code == "" {
			t.Fatalf("register = %d %q %v", id, code, err)
		}
		// A 2019 terminal pads the same number to 20 digits; the code is kept across re-registration.
		_, code2, _ := f.svc.Register(ctx, "00000000013907950001", tracking.Registration{ProtocolVersion: 2019})
		if code2 != code {
			t.Fatalf("re-registration changed the code: %q → %q", code, code2)
		}
		if _, err := f.svc.Authenticate(ctx, "13907950001", "wrong"); fleet.ErrorCode(err) != fleet.EUnauthorized {
			t.Fatalf("wrong code = %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, "13907950002", code); fleet.ErrorCode(err) != fleet.EUnauthorized {
			t.Fatalf("unregistered terminal = %v", err)
		}
		// A new service (a restart) still knows the code.
		svc2, err := tracking.NewService(db, f.bus, tracking.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer svc2.Close()
		if got, err := svc2.Authenticate(ctx, "013907950001", code); err != nil || got != f.v1 {
			t.Fatalf("authenticate after restart = %d, %v", got, err)
		}
	})
}

func TestDeviceIngestAndOsmAnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db, nil, "")
		cred, err := f.svc.IssueDeviceToken(ctx, auth.System, f.v2)
		if err != nil {
			t.Fatal(err)
		}
		lat, lng := 27.8, 114.4
		res, err := f.svc.IngestDevice(ctx, tracking.DeviceBatch{Device: cred.Device, Token: cred.Token,
			Positions: []tracking.DevicePosition{{Lat: &lat, Lng: &lng, FixedAt: t0}, {Lat: &lat, Lng: &lng, FixedAt: t0.Add(time.Hour * 5)}}}, tracking.SourceHTTP)
		if err != nil || res.Stored != 1 || len(res.Rejected) != 1 || res.Rejected[0].Reason != tracking.ReasonFuture {
			t.Fatalf("device ingest = %+v, %v", res, err)
		}
		_, err = f.svc.IngestDevice(ctx, tracking.DeviceBatch{Device: cred.Device, Token: "forged",
			Positions: []tracking.DevicePosition{{Lat: &lat, Lng: &lng, FixedAt: t0.Add(time.Minute)}}}, tracking.SourceHTTP)
		if fleet.ErrorCode(err) != fleet.EUnauthorized {
			t.Fatalf("forged token = %v", err)
		}
		params := map[string]string{"id": cred.Device, "token": cred.Token, "lat": "27.81", "lon": "114.41",
			"timestamp": fmt.Sprint(t0.Add(2 * time.Minute).Unix()), "speed": "10", "bearing": "370", "altitude": "52.4"}
		b, err := tracking.OsmAnd(func(k string) string { return params[k] })
		if err != nil {
			t.Fatal(err)
		}
		if res, err := f.svc.IngestDevice(ctx, b, tracking.SourceOsmAnd); err != nil || res.Stored != 1 {
			t.Fatalf("osmand = %+v, %v", res, err)
		}
		last, _ := f.svc.Live().Last(f.v2)
		if last.Course != 10 || last.SpeedKmh < 18.5 || last.SpeedKmh > 18.6 || last.Altitude != 52 {
			t.Fatalf("osmand point = %+v (speed knots → km/h, bearing mod 360)", last)
		}
		params["lat"] = "north"
		if _, err := tracking.OsmAnd(func(k string) string { return params[k] }); fleet.ErrorCode(err) != fleet.EInvalid {
			t.Fatalf("bad lat = %v", err)
		}
	})
}

// Two instances on one Redis: a point ingested on A is in B's live view.
func TestLiveStateSharedThroughRedis(t *testing.T) {
	url := os.Getenv("FLEET_TEST_REDIS")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("FLEET_TEST_REDIS is not set: under CI=true this test must run")
		}
		t.Skip("FLEET_TEST_REDIS not set")
	}
	opt, _ := redis.ParseURL(url)
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := fmt.Sprintf("fleettest%d:", time.Now().UnixNano())
	db := storetest.SQLite(t)
	a := newFixture(t, db, rdb, prefix)
	b := newFixture(t, db, rdb, prefix)
	ctx := context.Background()
	if _, err := a.svc.Ingest(ctx, []tracking.Point{pt(a.v1, 0, 27.83, 114.43)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		live, err := b.svc.LiveVehicles(ctx, auth.System)
		if err == nil && len(live) == 1 && live[0].Lat == 27.83 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("instance B never saw instance A's point")
}

func TestPublishedPointsAreValidJSON(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, storetest.SQLite(t), nil, "")
	sub, _ := f.bus.Subscribe(ctx, tracking.TopicPositions)
	defer sub.Close()
	p := pt(f.v1, 0, 27.8123456, 114.4654321)
	p.Alarm, p.ACC = 1, true
	f.svc.Ingest(ctx, []tracking.Point{p})
	m := <-sub.C()
	var got []tracking.LivePoint
	if err := json.Unmarshal(m.Data, &got); err != nil {
		t.Fatalf("published %s: %v", m.Data, err)
	}
	want := tracking.LivePoint{VehicleID: f.v1, Lat: 27.8123456, Lng: 114.4654321, SpeedKmh: 40, Course: 90, ACC: true, Alarm: 1, FixedAt: p.FixedAt}
	if len(got) != 1 || got[0] != want {
		t.Fatalf("published %+v, want %+v", got, want)
	}
}
