package web_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"fleet/store"
	"fleet/store/storetest"
)

// Geofences through the API: dispatchers and admins write, auditors read, staff see nothing.
// Needs the /api/geofences routes of web/routes.go.
func TestGeofencesAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		disp, audit := e.login("dispatcher"), e.login("auditor")

		circle := map[string]any{"name": "县机关事务管理中心车库", "kind": "parking", "shape": "circle",
			"center": map[string]any{"lat": 27.8012, "lng": 114.4031}, "radius_m": 80}
		out := disp.expect("POST", "/api/geofences", circle, 201)
		var c struct {
			ID      int64 `json:"id"`
			Shape   string
			Center  *struct{ Lat, Lng float64 }
			RadiusM *float64 `json:"radius_m"`
			Polygon [][]float64
		}
		if err := json.Unmarshal(out, &c); err != nil || c.ID == 0 || c.Shape != "circle" || c.Center == nil || c.Center.Lat != 27.8012 ||
			c.RadiusM == nil || *c.RadiusM != 80 || c.Polygon != nil {
			t.Fatalf("created circle = %s", out)
		}
		for _, key := range []string{`"id"`, `"name"`, `"kind"`, `"shape"`, `"center"`, `"radius_m"`, `"polygon"`, `"speed_limit_kmh"`, `"vehicle_id"`} {
			if !containsKey(out, key) {
				t.Fatalf("created circle %s lacks %s", out, key)
			}
		}

		school := map[string]any{"name": "县一中周边", "kind": "area", "shape": "polygon", "speed_limit_kmh": 30,
			"polygon": [][]float64{{27.81, 114.41}, {27.81, 114.42}, {27.815, 114.42}, {27.815, 114.41}}}
		out = e.login("admin").expect("POST", "/api/geofences", school, 201)
		var p struct {
			ID      int64 `json:"id"`
			Polygon [][]float64
		}
		json.Unmarshal(out, &p)
		if p.ID == 0 || len(p.Polygon) != 4 || p.Polygon[2][0] != 27.815 {
			t.Fatalf("created polygon = %s", out)
		}

		// Validation names the field.
		bad := map[string]any{"name": "x", "kind": "area", "shape": "circle", "center": map[string]any{"lat": 27.8, "lng": 114.4}, "radius_m": 0}
		if f := errorOf(t, disp.expect("POST", "/api/geofences", bad, 400)).Error.Fields; f["radius_m"] == "" {
			t.Fatalf("radius 0: fields %v, want radius_m", f)
		}
		bow := map[string]any{"name": "x", "kind": "area", "shape": "polygon", "polygon": [][]float64{{27.8, 114.4}, {27.81, 114.41}, {27.8, 114.41}, {27.81, 114.4}}}
		if f := errorOf(t, disp.expect("POST", "/api/geofences", bow, 400)).Error.Fields; f["polygon"] == "" {
			t.Fatalf("bow tie: fields %v, want polygon", f)
		}
		disp.expect("POST", "/api/geofences", `{"name":"x","colour":"red"}`, 400)

		// Guards: staff neither read nor write; auditors read only.
		e.login("staff").expect("GET", "/api/geofences", nil, 403)
		audit.expect("POST", "/api/geofences", circle, 403)
		audit.expect("DELETE", fmt.Sprintf("/api/geofences/%d", c.ID), nil, 403)
		e.anon().expect("GET", "/api/geofences", nil, 401)

		var list struct {
			Items []struct {
				ID   int64  `json:"id"`
				Kind string `json:"kind"`
			} `json:"items"`
			Total int64 `json:"total"`
		}
		json.Unmarshal(audit.expect("GET", "/api/geofences", nil, 200), &list)
		if list.Total != 2 || len(list.Items) != 2 {
			t.Fatalf("list = %+v, want 2", list)
		}
		json.Unmarshal(audit.expect("GET", "/api/geofences?kind=parking", nil, 200), &list)
		if list.Total != 1 || list.Items[0].ID != c.ID {
			t.Fatalf("list of parking = %+v", list)
		}
		audit.expect("GET", "/api/geofences?kind=moat", nil, 400)

		audit.expect("GET", fmt.Sprintf("/api/geofences/%d", p.ID), nil, 200)
		school["name"], school["speed_limit_kmh"] = "县第一中学周边", 25
		out = disp.expect("PUT", fmt.Sprintf("/api/geofences/%d", p.ID), school, 200)
		if !containsKey(out, `"speed_limit_kmh":25`) || !containsKey(out, `"name":"县第一中学周边"`) {
			t.Fatalf("updated = %s", out)
		}
		disp.expect("DELETE", fmt.Sprintf("/api/geofences/%d", p.ID), nil, 204)
		disp.expect("GET", fmt.Sprintf("/api/geofences/%d", p.ID), nil, 404)
		disp.expect("PUT", fmt.Sprintf("/api/geofences/%d", p.ID), school, 404)
	})
}

func containsKey(body []byte, s string) bool {
	return json.Valid(body) && strings.Contains(string(body), s)
}
