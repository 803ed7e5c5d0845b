package tracking_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"fleet"
	"fleet/auth"
	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

var (
	fenceDispatcher = &auth.Actor{UserID: 1, Role: auth.RoleDispatcher}
	fenceAuditor    = &auth.Actor{UserID: 2, Role: auth.RoleAuditor}
	fenceStaff      = &auth.Actor{UserID: 3, Role: auth.RoleStaff}
)

// near is the point north and east metres from 27.8° N, 114.4° E.
func nearSeat(north, east float64) (lat, lng float64) {
	const m = 6371007.180918475 * math.Pi / 180
	return 27.8 + north/m, 114.4 + east/(m*math.Cos(27.8*math.Pi/180))
}

func nearSeatLatLng(north, east float64) *tracking.LatLng {
	lat, lng := nearSeat(north, east)
	return &tracking.LatLng{Lat: lat, Lng: lng}
}

// ring is a polygon of north/east offsets in metres.
func fenceRing(ne ...[2]float64) [][]float64 {
	out := make([][]float64, len(ne))
	for i, p := range ne {
		lat, lng := nearSeat(p[0], p[1])
		out[i] = []float64{lat, lng}
	}
	return out
}

// loadFences loads the service's fences as NewService will, following changes until the test ends.
func loadFences(t *testing.T, svc *tracking.Service) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := svc.LoadGeofences(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustFence(t *testing.T, svc *tracking.Service, in tracking.GeofenceInput) *tracking.Geofence {
	t.Helper()
	g, err := svc.CreateGeofence(context.Background(), fenceDispatcher, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.Name, err)
	}
	return g
}

func kmh(v float64) *float64 { return &v }

func cellCount(t *testing.T, db *store.DB, id int64) int64 {
	t.Helper()
	var n int64
	if err := db.Table("geofence_cells").Where("geofence_id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestGeofenceCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		ctx := context.Background()

		motorPool := mustFence(t, f.svc, tracking.GeofenceInput{Name: " 县机关事务管理中心车库 ", Kind: tracking.FenceParking,
			Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 80, VehicleID: &f.v1})
		school := mustFence(t, f.svc, tracking.GeofenceInput{Name: "县一中周边", Kind: tracking.FenceArea, Shape: tracking.ShapePolygon,
			Polygon:       fenceRing([2]float64{1000, 1000}, [2]float64{1000, 1600}, [2]float64{1500, 1600}, [2]float64{1500, 1000}, [2]float64{1000, 1000}),
			SpeedLimitKmh: kmh(30)})
		if motorPool.ID == 0 || motorPool.Name != "县机关事务管理中心车库" || motorPool.Center == nil || *motorPool.RadiusM != 80 ||
			motorPool.Polygon != nil || *motorPool.VehicleID != f.v1 {
			t.Fatalf("created circle = %+v", motorPool)
		}
		if len(school.Polygon) != 4 || school.Center != nil || school.RadiusM != nil || *school.SpeedLimitKmh != 30 {
			t.Fatalf("created polygon = %+v, want 4 points (the closing one dropped)", school)
		}
		if cellCount(t, db, motorPool.ID) == 0 || cellCount(t, db, school.ID) == 0 {
			t.Fatal("geofence_cells has no cells for the new fences")
		}

		// Auditors and dispatchers read; staff do not; auditors write nothing.
		got, err := f.svc.GetGeofence(ctx, fenceAuditor, school.ID)
		if err != nil || got.Name != "县一中周边" || len(got.Polygon) != 4 {
			t.Fatalf("get = %+v, %v", got, err)
		}
		if _, _, err := f.svc.ListGeofences(ctx, fenceStaff, tracking.GeofenceFilter{}); fleet.ErrorCode(err) != fleet.EForbidden {
			t.Fatalf("staff list: %v, want forbidden", err)
		}
		if _, err := f.svc.CreateGeofence(ctx, fenceAuditor, tracking.GeofenceInput{}); fleet.ErrorCode(err) != fleet.EForbidden {
			t.Fatalf("auditor create: %v, want forbidden", err)
		}
		items, total, err := f.svc.ListGeofences(ctx, fenceAuditor, tracking.GeofenceFilter{})
		if err != nil || total != 2 || len(items) != 2 || items[0].ID != motorPool.ID {
			t.Fatalf("list = %d %+v, %v", total, items, err)
		}
		items, total, _ = f.svc.ListGeofences(ctx, fenceDispatcher, tracking.GeofenceFilter{Kind: tracking.FenceParking})
		if total != 1 || items[0].ID != motorPool.ID {
			t.Fatalf("list of parking = %d %+v", total, items)
		}
		items, total, _ = f.svc.ListGeofences(ctx, fenceDispatcher, tracking.GeofenceFilter{Page: fleet.Page{Query: "一中"}})
		if total != 1 || items[0].ID != school.ID {
			t.Fatalf("list q=一中 = %d %+v", total, items)
		}

		// A rename keeps the cells; a new shape replaces them.
		before := cellCount(t, db, school.ID)
		upd, err := f.svc.UpdateGeofence(ctx, fenceDispatcher, school.ID, tracking.GeofenceInput{Name: "县第一中学周边", Kind: tracking.FenceArea,
			Shape: tracking.ShapePolygon, Polygon: fenceRing([2]float64{1000, 1000}, [2]float64{1000, 1600}, [2]float64{1500, 1600}, [2]float64{1500, 1000}),
			SpeedLimitKmh: kmh(25)})
		if err != nil || upd.Name != "县第一中学周边" || *upd.SpeedLimitKmh != 25 || !upd.CreatedAt.Equal(school.CreatedAt) {
			t.Fatalf("update = %+v, %v", upd, err)
		}
		if n := cellCount(t, db, school.ID); n != before {
			t.Fatalf("cells after a rename = %d, want %d", n, before)
		}
		upd, err = f.svc.UpdateGeofence(ctx, fenceDispatcher, school.ID, tracking.GeofenceInput{Name: "县第一中学周边", Kind: tracking.FenceArea,
			Shape: tracking.ShapeCircle, Center: nearSeatLatLng(1250, 1300), RadiusM: 3000})
		if err != nil || upd.Shape != tracking.ShapeCircle || upd.Polygon != nil || upd.SpeedLimitKmh != nil {
			t.Fatalf("update to a circle = %+v, %v", upd, err)
		}
		if n := cellCount(t, db, school.ID); n <= before {
			t.Fatalf("cells of a 3 km circle = %d, want more than the small square's %d", n, before)
		}
		if _, err := f.svc.UpdateGeofence(ctx, fenceDispatcher, 99999, tracking.GeofenceInput{Name: "x", Kind: tracking.FenceArea,
			Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 10}); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("update of a missing fence: %v, want not found", err)
		}

		if err := f.svc.DeleteGeofence(ctx, fenceDispatcher, school.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.GetGeofence(ctx, fenceDispatcher, school.ID); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("get after delete: %v, want not found", err)
		}
		if err := f.svc.DeleteGeofence(ctx, fenceDispatcher, school.ID); fleet.ErrorCode(err) != fleet.ENotFound {
			t.Fatalf("second delete: %v, want not found", err)
		}
		if n := cellCount(t, db, school.ID); n != 0 {
			t.Fatalf("cells after delete = %d, want 0", n)
		}
	})
}

func TestGeofenceValidation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		ctx := context.Background()
		square := fenceRing([2]float64{0, 0}, [2]float64{0, 100}, [2]float64{100, 100}, [2]float64{100, 0})
		circle := func(mod func(in *tracking.GeofenceInput)) tracking.GeofenceInput {
			in := tracking.GeofenceInput{Name: "车库", Kind: tracking.FenceParking, Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 80}
			mod(&in)
			return in
		}
		poly := func(pts [][]float64) tracking.GeofenceInput {
			return tracking.GeofenceInput{Name: "区域", Kind: tracking.FenceArea, Shape: tracking.ShapePolygon, Polygon: pts}
		}
		missing := int64(987654)
		tests := []struct {
			name  string
			in    tracking.GeofenceInput
			field string // the field the error names
			says  string // in its message
		}{
			{"empty name", circle(func(in *tracking.GeofenceInput) { in.Name = "  " }), "name", "required"},
			{"name too long", circle(func(in *tracking.GeofenceInput) { in.Name = strings.Repeat("车", 101) }), "name", "too long"},
			{"unknown kind", circle(func(in *tracking.GeofenceInput) { in.Kind = "school" }), "kind", "unknown kind"},
			{"no kind", circle(func(in *tracking.GeofenceInput) { in.Kind = "" }), "kind", "required"},
			{"unknown shape", circle(func(in *tracking.GeofenceInput) { in.Shape = "square" }), "shape", "circle or polygon"},
			{"circle without centre", circle(func(in *tracking.GeofenceInput) { in.Center = nil }), "center", "required"},
			{"latitude out of range", circle(func(in *tracking.GeofenceInput) { in.Center.Lat = 91 }), "center", "latitude"},
			{"longitude out of range", circle(func(in *tracking.GeofenceInput) { in.Center.Lng = -180.5 }), "center", "longitude"},
			{"radius zero", circle(func(in *tracking.GeofenceInput) { in.RadiusM = 0 }), "radius_m", "more than 0"},
			{"radius negative", circle(func(in *tracking.GeofenceInput) { in.RadiusM = -5 }), "radius_m", "more than 0"},
			{"radius above 100 km", circle(func(in *tracking.GeofenceInput) { in.RadiusM = 100_001 }), "radius_m", "100 km"},
			{"speed limit too low", circle(func(in *tracking.GeofenceInput) { in.SpeedLimitKmh = kmh(0) }), "speed_limit_kmh", "between"},
			{"speed limit too high", circle(func(in *tracking.GeofenceInput) { in.SpeedLimitKmh = kmh(400) }), "speed_limit_kmh", "between"},
			{"vehicle that does not exist", circle(func(in *tracking.GeofenceInput) { in.VehicleID = &missing }), "vehicle_id", "no vehicle"},
			{"vehicle on an area", circle(func(in *tracking.GeofenceInput) { in.Kind = tracking.FenceArea; in.VehicleID = &f.v1 }), "vehicle_id", "parking"},
			{"polygon points on a circle", circle(func(in *tracking.GeofenceInput) { in.Polygon = square }), "polygon", "only for shape polygon"},
			{"polygon of 2 points", poly(square[:2]), "polygon", "at least 3"},
			{"polygon of 3 points, one repeated", poly([][]float64{square[0], square[1], square[1], square[0]}), "polygon", "at least 3"},
			{"polygon point out of range", poly([][]float64{square[0], square[1], {27.8, 190}}), "polygon", "longitude"},
			{"polygon point not a pair", poly([][]float64{square[0], square[1], {27.8}}), "polygon", "[lat, lng]"},
			{"self-intersecting polygon (a bow tie)", poly([][]float64{square[0], square[2], square[1], square[3]}), "polygon", "intersect itself"},
			{"polygon in a line", poly(fenceRing([2]float64{0, 0}, [2]float64{0, 100}, [2]float64{0, 200})), "polygon", "no area"},
			{"polygon with a centre", func() tracking.GeofenceInput { in := poly(square); in.Center = nearSeatLatLng(0, 0); return in }(), "center", "only for shape circle"},
			{"polygon larger than a prefecture", poly(fenceRing([2]float64{0, 0}, [2]float64{0, 300_000}, [2]float64{300_000, 300_000}, [2]float64{300_000, 0})), "polygon", "km²"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.svc.CreateGeofence(ctx, fenceDispatcher, tc.in)
				var fe *fleet.Error
				if !errors.As(err, &fe) || fe.Code != fleet.EInvalid {
					t.Fatalf("error = %v, want invalid", err)
				}
				if msg, ok := fe.Fields[tc.field]; !ok || !strings.Contains(msg, tc.says) {
					t.Fatalf("fields = %v, want %s: …%s…", fe.Fields, tc.field, tc.says)
				}
			})
		}
		if _, total, _ := f.svc.ListGeofences(ctx, fenceDispatcher, tracking.GeofenceFilter{}); total != 0 {
			t.Fatalf("%d fences stored by invalid requests", total)
		}
	})
}

// fenceEvent is an enter or exit as the tests compare them.
type fenceEvent struct {
	typ  string
	id   int64
	name string
	at   time.Time
}

// fenceEvents returns the vehicle's geofence events, oldest first.
func fenceEvents(t *testing.T, f *fixture) []fenceEvent {
	t.Helper()
	var out []fenceEvent
	for _, typ := range []string{tracking.EventGeofenceEnter, tracking.EventGeofenceExit} {
		for _, e := range events(t, f, typ) {
			var d struct {
				ID   int64  `json:"geofence_id"`
				Name string `json:"name"`
				Kind string `json:"kind"`
			}
			json.Unmarshal(e.Detail, &d)
			if e.EndedAt == nil || !e.EndedAt.Equal(e.StartedAt) || d.Kind == "" {
				t.Fatalf("event %+v: want an instant with the fence's kind", e)
			}
			out = append(out, fenceEvent{e.Type, d.ID, d.Name, e.StartedAt})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}

// visit drives the vehicle one minute apart through the offsets (north, east metres).
func visitFences(t *testing.T, f *fixture, start time.Time, ne [][2]float64) {
	t.Helper()
	drive(t, f, len(ne), start, time.Minute, func(i int, p *tracking.Point) { p.Lat, p.Lng = nearSeat(ne[i][0], ne[i][1]) })
}

func TestGeofenceEnterExit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		// A 200 m circle round (0, 0), and an L of 2 km arms to its east: x from 1000 to 5000 m
		// east, y from 0 to 4000 m north, without the notch x > 2000, y > 1000.
		circ := mustFence(t, f.svc, tracking.GeofenceInput{Name: "圆", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 200})
		ell := mustFence(t, f.svc, tracking.GeofenceInput{Name: "L", Kind: tracking.FenceArea, Shape: tracking.ShapePolygon,
			Polygon: fenceRing([2]float64{0, 1000}, [2]float64{0, 5000}, [2]float64{1000, 5000}, [2]float64{1000, 2000}, [2]float64{4000, 2000}, [2]float64{4000, 1000})})
		visitFences(t, f, t0, [][2]float64{
			{0, -300},      // 0 outside both (first point: quiet)
			{0, -199},      // 1 1 m inside the circle: enter circle
			{0, 199.5},     // 2 still inside
			{0, 200.5},     // 3 50 cm outside: exit circle
			{500, 999.9},   // 4 10 cm west of the L: outside
			{500, 1000.1},  // 5 10 cm inside the L: enter L
			{999.9, 2500},  // 6 10 cm south of the notch, in the L
			{1000.1, 2500}, // 7 in the notch: exit L
			{2500, 1999.9}, // 8 the north arm, 10 cm in: enter L
			{2500, 2000.1}, // 9 the notch again, 10 cm out: exit L
			{3000, 3000},   // 10 deep in the notch
		})
		got := fenceEvents(t, f)
		at := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Minute) }
		want := []fenceEvent{
			{tracking.EventGeofenceEnter, circ.ID, "圆", at(1)},
			{tracking.EventGeofenceExit, circ.ID, "圆", at(3)},
			{tracking.EventGeofenceEnter, ell.ID, "L", at(5)},
			{tracking.EventGeofenceExit, ell.ID, "L", at(7)},
			{tracking.EventGeofenceEnter, ell.ID, "L", at(8)},
			{tracking.EventGeofenceExit, ell.ID, "L", at(9)},
		}
		if len(got) != len(want) {
			t.Fatalf("events = %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i].typ != want[i].typ || got[i].id != want[i].id || got[i].name != want[i].name || !got[i].at.Equal(want[i].at) {
				t.Fatalf("event %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

// After a restart the first point learns the fences the vehicle is in without raising "enter";
// the next crossing raises as usual. A deleted fence is forgotten without an exit.
func TestGeofenceRestartIsQuiet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		yard := mustFence(t, f.svc, tracking.GeofenceInput{Name: "车库", Kind: tracking.FenceParking, Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 80})
		other := mustFence(t, f.svc, tracking.GeofenceInput{Name: "大院", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 500})
		visitFences(t, f, t0, [][2]float64{{0, 0}, {0, 10}})
		if got := fenceEvents(t, f); len(got) != 0 {
			t.Fatalf("events of a vehicle that started inside = %+v, want none", got)
		}

		f2 := newDetectFixture(t, db) // the same database, a new process
		loadFences(t, f2.svc)
		visitFences(t, f2, t0.Add(time.Hour), [][2]float64{{0, 20}})
		if got := fenceEvents(t, f2); len(got) != 0 {
			t.Fatalf("events after a restart inside = %+v, want none", got)
		}
		if err := f2.svc.DeleteGeofence(context.Background(), fenceDispatcher, other.ID); err != nil {
			t.Fatal(err)
		}
		visitFences(t, f2, t0.Add(2*time.Hour), [][2]float64{{0, 30}, {0, 300}})
		got := fenceEvents(t, f2)
		if len(got) != 1 || got[0].typ != tracking.EventGeofenceExit || got[0].id != yard.ID {
			t.Fatalf("events = %+v, want one exit of the yard (none of the deleted fence)", got)
		}
	})
}

// A fence's own speed limit lowers the class's 100 km/h while the vehicle is inside it.
func TestGeofenceSpeedLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newDetectFixture(t, db)
		loadFences(t, f.svc)
		mustFence(t, f.svc, tracking.GeofenceInput{Name: "学校", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle,
			Center: nearSeatLatLng(0, 0), RadiusM: 300, SpeedLimitKmh: kmh(30)})
		mustFence(t, f.svc, tracking.GeofenceInput{Name: "城区", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle,
			Center: nearSeatLatLng(0, 0), RadiusM: 5000, SpeedLimitKmh: kmh(60)})
		// 50 km/h for a minute inside both fences (limit 30), then 50 km/h outside the school (limit 60).
		drive(t, f, 12, t0, 10*time.Second, func(i int, p *tracking.Point) {
			p.SpeedKmh = 50
			if i < 7 {
				p.Lat, p.Lng = nearSeat(float64(i)*20, 0)
			} else {
				p.Lat, p.Lng = nearSeat(400+float64(i)*20, 0)
			}
		})
		evs := events(t, f, tracking.EventOverspeed)
		if len(evs) != 1 {
			t.Fatalf("overspeed events = %d, want 1", len(evs))
		}
		var d struct {
			Limit float64 `json:"limit_kmh"`
		}
		json.Unmarshal(evs[0].Detail, &d)
		if d.Limit != 30 || !evs[0].StartedAt.Equal(t0) || evs[0].EndedAt == nil || !evs[0].EndedAt.Equal(t0.Add(70*time.Second)) {
			t.Fatalf("overspeed = %+v limit %v, want 30 km/h from t0 to the school's edge", evs[0], d.Limit)
		}
	})
}

// A fence made on one instance reaches another through the bus.
func TestGeofenceChangeReachesOtherInstances(t *testing.T) {
	db := storetest.SQLite(t)
	a := newDetectFixture(t, db)
	loadFences(t, a.svc)
	b, err := tracking.NewService(db, a.bus, tracking.Options{Now: a.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	loadFences(t, b)
	bf := &fixture{db: db, bus: a.bus, svc: b, v1: a.v1, v2: a.v2}
	visitFences(t, bf, t0, [][2]float64{{0, -1000}})
	mustFence(t, a.svc, tracking.GeofenceInput{Name: "新区", Kind: tracking.FenceArea, Shape: tracking.ShapeCircle, Center: nearSeatLatLng(0, 0), RadiusM: 500})
	// B hears of it soon; until then its points inside raise nothing.
	deadline := time.Now().Add(5 * time.Second)
	for i := 1; len(fenceEvents(t, bf)) == 0; i++ {
		if time.Now().After(deadline) {
			t.Fatal("instance B never saw the fence made on A")
		}
		visitFences(t, bf, t0.Add(time.Duration(2*i)*time.Minute), [][2]float64{{0, -1000}, {0, float64(i)}})
		time.Sleep(20 * time.Millisecond)
	}
}
