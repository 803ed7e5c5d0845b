package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"fleet/store"
	"fleet/store/storetest"
)

// A phone reports over HTTP (JSON and OsmAnd); the dispatcher sees it live and in the track.
func TestIngestLiveAndTrack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		admin := e.login("admin")
		out := admin.expect("POST", "/api/vehicles", map[string]any{"plate": "赣K20001", "class": "general", "seats": 5, "energy": "electric", "terminal_phone": "13800000001"}, 201)
		var v struct{ ID int64 }
		json.Unmarshal(out, &v)
		out = admin.expect("POST", fmt.Sprintf("/api/vehicles/%d/device-token", v.ID), nil, 200)
		var cred struct{ Device, Token string }
		json.Unmarshal(out, &cred)
		if cred.Device != "13800000001" || cred.Token == "" {
			t.Fatalf("credentials = %s", out)
		}
		e.login("dispatcher").expect("POST", fmt.Sprintf("/api/vehicles/%d/device-token", v.ID), nil, 403)

		device := e.anon()
		now := time.Now().UTC().Truncate(time.Second)
		batch := map[string]any{"device": cred.Device, "token": cred.Token, "positions": []map[string]any{
			{"lat": 27.8, "lng": 114.4, "fixed_at": now.Add(-2 * time.Minute), "speed_kmh": 30, "course": 45},
			{"lat": 27.801, "lng": 114.401, "fixed_at": now.Add(-time.Minute), "speed_kmh": 35, "course": 46},
			{"lat": 0, "lng": 0, "fixed_at": now, "speed_kmh": 0},
		}}
		out = device.expect("POST", "/api/ingest/positions", batch, 200)
		if !strings.Contains(string(out), `"stored":2`) || !strings.Contains(string(out), "zero_coordinates") {
			t.Fatalf("ingest = %s", out)
		}
		batch["token"] = "forged"
		device.expect("POST", "/api/ingest/positions", batch, 401)
		device.expect("POST", "/api/ingest/positions", `{"device":"1","token":"x","positions":"many"}`, 400)

		q := url.Values{"id": {cred.Device}, "token": {cred.Token}, "lat": {"27.802"}, "lon": {"114.402"},
			"timestamp": {fmt.Sprint(now.Unix())}, "speed": {"20"}, "bearing": {"47"}}
		device.expect("GET", "/api/osmand?"+q.Encode(), nil, 200)
		q.Set("token", "")
		device.expect("GET", "/api/osmand?"+q.Encode(), nil, 401)

		disp := e.login("dispatcher")
		out = disp.expect("GET", "/api/live", nil, 200)
		var live struct {
			Vehicles []struct {
				VehicleID int64   `json:"vehicle_id"`
				Plate     string  `json:"plate"`
				Lat       float64 `json:"lat"`
				Online    bool    `json:"online"`
				FixedAt   string  `json:"fixed_at"`
			} `json:"vehicles"`
		}
		json.Unmarshal(out, &live)
		if len(live.Vehicles) != 1 || live.Vehicles[0].Plate != "赣K20001" || live.Vehicles[0].Lat != 27.802 || !live.Vehicles[0].Online {
			t.Fatalf("live = %s", out)
		}
		from := url.QueryEscape(now.Add(-time.Hour).Format(time.RFC3339))
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/track?from=%s", v.ID, from), nil, 200)
		var track struct {
			Points []struct {
				Lat     float64 `json:"lat"`
				FixedAt string  `json:"fixed_at"`
			} `json:"points"`
		}
		json.Unmarshal(out, &track)
		if len(track.Points) != 3 || track.Points[0].Lat != 27.8 || track.Points[2].Lat != 27.802 {
			t.Fatalf("track = %s", out)
		}
		disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/track?from=yesterday", v.ID), nil, 400)
		disp.expect("GET", "/api/vehicles/99999/track", nil, 404)
		e.login("staff").expect("GET", "/api/live", nil, 403)
		e.login("auditor").expect("GET", "/api/live", nil, 200)

		// The map's detail and density layer.
		out = disp.expect("GET", fmt.Sprintf("/api/vehicles/%d/today", v.ID), nil, 200)
		var today struct {
			VehicleID int64           `json:"vehicle_id"`
			Day       string          `json:"day"`
			Task      json.RawMessage `json:"task"`
		}
		json.Unmarshal(out, &today)
		if today.VehicleID != v.ID || len(today.Day) != 10 || string(today.Task) != "null" {
			t.Fatalf("today = %s", out)
		}
		disp.expect("GET", "/api/vehicles/99999/today", nil, 404)
		e.login("staff").expect("GET", fmt.Sprintf("/api/vehicles/%d/today", v.ID), nil, 403)
		out = disp.expect("GET", "/api/live/density?res=8", nil, 200)
		var dens struct {
			Res   int `json:"res"`
			Cells []struct {
				Cell     string       `json:"cell"`
				Count    int          `json:"count"`
				Boundary [][2]float64 `json:"boundary"`
			} `json:"cells"`
		}
		json.Unmarshal(out, &dens)
		if dens.Res != 8 || len(dens.Cells) != 1 || dens.Cells[0].Count != 1 || len(dens.Cells[0].Boundary) != 6 {
			t.Fatalf("density = %s", out)
		}
		if e := errorOf(t, disp.expect("GET", "/api/live/density?res=12", nil, 400)); e.Error.Fields["res"] == "" {
			t.Fatalf("res=12: %+v", e)
		}
	})
}
