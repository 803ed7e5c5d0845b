package web_test

import (
	"encoding/json"
	"testing"

	"fleet/store"
	"fleet/store/storetest"
)

// GET /api/office/people is the console's person picker: every active user with their rank and
// whether they have an office; the office manager lists everyone, a leader their own unit.
func TestOfficePeople(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		admin, manager, leader, staff := e.login("admin"), e.login("office_manager"), e.login("leader"), e.login("staff")
		chief := officeID(t, admin.expect("POST", "/api/users", map[string]any{"username": "chief", "password": pw, "role": "staff",
			"unit_id": e.unitID, "name": "张科长", "rank": "section_chief"}, 201))
		b := officeID(t, manager.expect("POST", "/api/office/buildings", map[string]any{"name": "主楼"}, 201))
		r := officeID(t, manager.expect("POST", "/api/office/rooms", map[string]any{"building_id": b, "floor": 1, "number": "101", "area_m2": 18, "use": "office"}, 201))
		manager.expect("POST", "/api/office/assignments", map[string]any{"room_id": r, "user_id": chief}, 201)

		type person struct {
			ID        int64  `json:"id"`
			Name      string `json:"name"`
			UnitID    int64  `json:"unit_id"`
			UnitName  string `json:"unit_name"`
			Rank      string `json:"rank"`
			HasOffice bool   `json:"has_office"`
		}
		list := func(c interface {
			expect(string, string, any, int) []byte
		}, query string) (items []person, total int64) {
			var out struct {
				Items []person `json:"items"`
				Total int64    `json:"total"`
			}
			if err := json.Unmarshal(c.expect("GET", "/api/office/people"+query, nil, 200), &out); err != nil {
				t.Fatal(err)
			}
			return out.Items, out.Total
		}

		all, total := list(manager, "")
		if int64(len(all)) != total || total < 3 {
			t.Fatalf("people = %d of %d, want every active user", len(all), total)
		}
		found := false
		for _, p := range all {
			if p.ID == chief {
				found = true
				if p.Rank != "section_chief" || !p.HasOffice || p.UnitName != "县财政局" {
					t.Errorf("the chief = %+v, want rank section_chief, an office, 县财政局", p)
				}
			}
		}
		if !found {
			t.Errorf("the chief is not among %+v", all)
		}
		if got, _ := list(manager, "?q=张科"); len(got) != 1 || got[0].ID != chief {
			t.Errorf("?q=张科 = %+v, want the chief", got)
		}

		// A leader sees their own unit's people only.
		mine, _ := list(leader, "")
		for _, p := range mine {
			if p.UnitID != e.unitID {
				t.Errorf("the leader sees %+v of another unit", p)
			}
		}
		leader.expect("GET", "/api/office/people?unit_id=999", nil, 403)

		// Staff do not use the office module.
		staff.expect("GET", "/api/office/people", nil, 403)
	})
}
