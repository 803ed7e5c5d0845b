package wsload

import (
	"encoding/json"
	"testing"
	"time"

	"fleet/tracking"
)

// The scanner reads what the hub really sends: the frames are made the way web/ws_client.go
// makes them, from tracking.LiveVehicle.
func TestScanReadsTheHubsFrames(t *testing.T) {
	fix1 := time.Date(2026, 11, 27, 8, 0, 1, 0, time.UTC)
	fix2 := time.Date(2026, 11, 27, 8, 0, 7, 0, time.FixedZone("CST", 8*3600)) // not UTC: the slow path
	items := []tracking.LiveVehicle{
		{VehicleID: 7, Plate: `赣K"A0001`, Lat: 27.8, Lng: 114.4, FixedAt: fix1, SeenAt: fix1.Add(time.Second), Online: true, State: "moving"},
		{VehicleID: 12345, Plate: "赣KA0002", FixedAt: fix2, State: "idle"},
	}
	for _, typ := range []string{"positions", "snapshot"} {
		key := map[string]string{"positions": "items", "snapshot": "vehicles"}[typ]
		msg, err := json.Marshal(map[string]any{"type": typ, key: items})
		if err != nil {
			t.Fatal(err)
		}
		if got := frameType(msg); got != typ {
			t.Errorf("frameType = %q, want %q", got, typ)
		}
		var ids, fixes []int64
		if err := eachItem(msg, func(id, fix int64) { ids, fixes = append(ids, id), append(fixes, fix) }); err != nil {
			t.Fatal(err)
		}
		if len(ids) != 2 || ids[0] != 7 || ids[1] != 12345 || fixes[0] != fix1.Unix() || fixes[1] != fix2.Unix() {
			t.Errorf("%s: got ids %v fixes %v, want [7 12345] [%d %d]", typ, ids, fixes, fix1.Unix(), fix2.Unix())
		}
	}
	if got := frameType([]byte(`{"type":"error","message":"x"}`)); got != "error" {
		t.Errorf("frameType of an error = %q", got)
	}
	for _, bad := range []string{`{"items":[{"vehicle_id":x,"fixed_at":"2026-11-27T08:00:00Z"}]}`, `{"items":[{"vehicle_id":1}]}`,
		`{"items":[{"vehicle_id":1,"fixed_at":"2026-13-27T08:00:00Z"}]}`} {
		if err := eachItem([]byte(bad), func(int64, int64) {}); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestScanAllocatesNothing(t *testing.T) {
	msg, _ := json.Marshal(map[string]any{"type": "positions", "items": []tracking.LiveVehicle{
		{VehicleID: 1, FixedAt: time.Unix(1_795_000_000, 0).UTC()}, {VehicleID: 2, FixedAt: time.Unix(1_795_000_001, 0).UTC()}}})
	var sum int64
	if n := testing.AllocsPerRun(100, func() {
		eachItem(msg, func(id, fix int64) { sum += id + fix })
	}); n != 0 {
		t.Errorf("eachItem: %v allocations per frame, want 0", n)
	}
}

func TestSendsKeepRecentReports(t *testing.T) {
	s := newSends(2)
	base := time.Unix(1_795_000_000, 0)
	for i := range int64(20) {
		s.put(1, 1000+5*i, base.Add(time.Duration(i)*time.Second))
	}
	if _, ok := s.at(1, 1000); ok {
		t.Error("the oldest of 20 reports is still kept in a ring of 16")
	}
	if at, ok := s.at(1, 1095); !ok || at != base.Add(19*time.Second).UnixNano() {
		t.Errorf("at(1095) = %d %v, want the last write", at, ok)
	}
	if _, ok := s.at(0, 1095); ok {
		t.Error("terminal 0 has a report of terminal 1")
	}
	if n := s.between(1, 1080, 1095); n != 2 {
		t.Errorf("between(1080, 1095) = %d, want 2 (1085 and 1090)", n)
	}
	if !s.firstDelivery(1, 1090) || s.firstDelivery(1, 1090) || s.firstDelivery(1, 1085) || !s.firstDelivery(1, 1095) {
		t.Error("firstDelivery: want true once per report, false for older ones")
	}
}
