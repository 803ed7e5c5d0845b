package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
	"fleet/tracking"
)

// A vehicle drives, parks, drives again: the dispatcher sees its trips, stops and day figures.
func TestTripsAndDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		out := e.login("admin").expect("POST", "/api/vehicles", map[string]any{"plate": "赣K30001", "class": "general", "seats": 5, "energy": "gasoline", "terminal_phone": "13800000031"}, 201)
		var v struct{ ID int64 }
		json.Unmarshal(out, &v)

		// 5 min at 50 km/h, 6 min parked, then on the road again (in progress).
		start := time.Now().UTC().Add(-30 * time.Minute).Truncate(time.Second)
		lat := 27.8
		var pts []tracking.Point
		add := func(n int, kmh float64) {
			for i := 0; i < n; i++ {
				lat += kmh / 3.6 * 10 / 111195
				pts = append(pts, tracking.Point{VehicleID: v.ID, FixedAt: start.Add(time.Duration(len(pts)) * 10 * time.Second),
					Lat: lat, Lng: 114.4, SpeedKmh: kmh, Positioned: true, Source: tracking.SourceJT808})
			}
		}
		add(1, 0)
		add(30, 50)
		add(36, 0)
		add(30, 50)
		for i := range pts {
			if _, err := e.tracking.Ingest(context.Background(), pts[i:i+1]); err != nil {
				t.Fatal(err)
			}
		}

		disp := e.login("dispatcher")
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/trips", v.ID), nil, 200)
		var l struct {
			Trips []struct {
				StartAt    time.Time `json:"start_at"`
				EndAt      time.Time `json:"end_at"`
				DistanceKm float64   `json:"distance_km"`
				DurationS  int       `json:"duration_s"`
				DrivingS   int       `json:"driving_s"`
				MaxSpeed   float64   `json:"max_speed_kmh"`
				AvgSpeed   float64   `json:"avg_speed_kmh"`
				OdometerKm *float64  `json:"odometer_km"`
				Start      struct{ Lat, Lng float64 }
				End        struct{ Lat, Lng float64 }
				Open       bool `json:"open"`
			} `json:"trips"`
			Stops []struct {
				StartAt   time.Time `json:"start_at"`
				EndAt     time.Time `json:"end_at"`
				DurationS int       `json:"duration_s"`
				Lat       float64   `json:"lat"`
				Lng       float64   `json:"lng"`
			} `json:"stops"`
		}
		json.Unmarshal(out, &l)
		if len(l.Trips) != 2 || l.Trips[0].Open || !l.Trips[1].Open || l.Trips[0].MaxSpeed != 50 || l.Trips[0].DistanceKm < 4 ||
			l.Trips[0].DurationS != 300 || l.Trips[0].Start.Lat == 0 || l.Trips[0].End.Lat <= l.Trips[0].Start.Lat {
			t.Fatalf("trips = %s, want a closed trip and one in progress", out)
		}
		if len(l.Stops) != 1 || !l.Stops[0].StartAt.Equal(l.Trips[0].EndAt) || !l.Stops[0].EndAt.Equal(l.Trips[1].StartAt) {
			t.Fatalf("stops = %s, want the stop between the trips", out)
		}
		e.login("auditor").expect("GET", fmt.Sprintf("/api/vehicles/%d/trips", v.ID), nil, 200)
		e.login("staff").expect("GET", fmt.Sprintf("/api/vehicles/%d/trips", v.ID), nil, 403)
		disp.expect("GET", "/api/vehicles/99999/trips", nil, 404)

		// The day of the closed trip (the county's day) counts it.
		day := l.Trips[0].StartAt.In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/days?from=%s&to=%s", v.ID, day, day), nil, 200)
		var days struct {
			Days []struct {
				VehicleID  int64   `json:"vehicle_id"`
				DistanceKm float64 `json:"distance_km"`
				DrivingS   int     `json:"driving_s"`
				Trips      int     `json:"trips"`
			} `json:"days"`
		}
		json.Unmarshal(out, &days)
		if len(days.Days) != 1 || days.Days[0].Trips != 1 || days.Days[0].DistanceKm != l.Trips[0].DistanceKm || days.Days[0].DrivingS != l.Trips[0].DrivingS {
			t.Fatalf("days = %s, want the closed trip's figures", out)
		}
		out = disp.expect("GET", "/api/fleet/days?day="+day, nil, 200)
		var fleetDays struct {
			Days []struct {
				VehicleID int64  `json:"vehicle_id"`
				Plate     string `json:"plate"`
				Trips     int    `json:"trips"`
			} `json:"days"`
		}
		json.Unmarshal(out, &fleetDays)
		if len(fleetDays.Days) != 1 || fleetDays.Days[0].Plate != "赣K30001" || fleetDays.Days[0].Trips != 1 {
			t.Fatalf("fleet days = %s", out)
		}
		e.login("driver").expect("GET", "/api/fleet/days", nil, 403)

		// The track, raw and simplified: a straight road keeps its ends and its stop.
		from := url.QueryEscape(start.Add(-time.Minute).Format(time.RFC3339))
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/track?from=%s", v.ID, from), nil, 200)
		var track struct{ Points []struct{ Lat float64 } }
		json.Unmarshal(out, &track)
		if len(track.Points) != len(pts) {
			t.Fatalf("raw track = %d points, want %d", len(track.Points), len(pts))
		}
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/track?from=%s&tolerance_m=10", v.ID, from), nil, 200)
		json.Unmarshal(out, &track)
		if len(track.Points) < 4 || len(track.Points) > 6 {
			t.Fatalf("simplified track = %s, want the ends and the stop's", out)
		}
	})
}

func TestTripsBadInput(t *testing.T) {
	e := newEnv(t, storetest.SQLite(t))
	out := e.login("admin").expect("POST", "/api/vehicles", map[string]any{"plate": "赣K30002", "class": "general", "seats": 5, "energy": "gasoline"}, 201)
	var v struct{ ID int64 }
	json.Unmarshal(out, &v)
	disp := e.login("dispatcher")
	vehicle := fmt.Sprintf("/api/vehicles/%d", v.ID)
	tests := []struct {
		name, path, field string
	}{
		{"trips: from after to", vehicle + "/trips?from=2026-11-27T10:00:00Z&to=2026-11-27T09:00:00Z", "to"},
		{"trips: from equals to", vehicle + "/trips?from=2026-11-27T10:00:00Z&to=2026-11-27T10:00:00Z", "to"},
		{"trips: over a year", vehicle + "/trips?from=2025-11-01T00:00:00Z&to=2026-11-27T00:00:00Z", "to"},
		{"trips: bad from", vehicle + "/trips?from=yesterday", "from"},
		{"trips: bad to", vehicle + "/trips?to=2026-11-27", "to"},
		{"days: bad date", vehicle + "/days?from=2026-13-01", "from"},
		{"days: bad to", vehicle + "/days?to=27/11/2026", "to"},
		{"days: from after to", vehicle + "/days?from=2026-11-27&to=2026-11-01", "to"},
		{"days: over a year", vehicle + "/days?from=2024-01-01&to=2026-01-01", "to"},
		{"fleet days: bad day", "/api/fleet/days?day=2026-11-31", "day"},
		{"track: tolerance not a number", vehicle + "/track?tolerance_m=fine", "tolerance_m"},
		{"track: tolerance over 1000", vehicle + "/track?tolerance_m=5000", "tolerance_m"},
		{"track: negative tolerance", vehicle + "/track?tolerance_m=-1", "tolerance_m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ae := errorOf(t, disp.expect("GET", tt.path, nil, 400))
			if ae.Error.Fields[tt.field] == "" {
				t.Fatalf("fields = %v, want %s named", ae.Error.Fields, tt.field)
			}
		})
	}
	disp.expect("GET", vehicle+"/days", nil, 200)
	disp.expect("GET", vehicle+"/track?tolerance_m=0", nil, 200)
	disp.expect("GET", "/api/fleet/days", nil, 200)
}
