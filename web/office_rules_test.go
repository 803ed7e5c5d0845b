package web_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/store"
	"fleet/store/storetest"
)

// The standards as seeded: the county level of the 2014 standard (《党政机关办公用房建设标准》),
// not the 1999 table many pages still print (20/12/9/6 m²). The office manager edits them; a
// bad row is refused naming it, and nothing changes.
func TestOfficeStandards2014(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		manager, leader := e.login("office_manager"), e.login("leader")
		type standard struct {
			Kind   string   `json:"kind"`
			Code   string   `json:"code"`
			Name   string   `json:"name"`
			AreaM2 *float64 `json:"area_m2"`
			Ratio  *float64 `json:"ratio"`
			Source string   `json:"source"`
		}
		var set struct {
			Level     string     `json:"level"`
			Standards []standard `json:"standards"`
		}
		decodeInto(t, leader.expect("GET", "/api/office/standards", nil, 200), &set)
		got := map[string]string{}
		for _, s := range set.Standards {
			if s.Kind == "person" {
				got[s.Code] = fmt.Sprintf("%s %g", s.Name, *s.AreaM2)
				if !strings.Contains(s.Source, "2014") {
					t.Errorf("%s's source = %q, want the 2014 standard", s.Code, s.Source)
				}
			}
		}
		want := map[string]string{"county_chief": "县级正职 30", "county_deputy": "县级副职 24", "section_chief": "正科 18",
			"section_deputy": "副科 12", "clerk": "科级以下 9"}
		if set.Level != "county" || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("standards = %s %v, want county %v", set.Level, got, want)
		}

		before := manager.expect("GET", "/api/office/standards", nil, 200)
		rows := set.Standards
		bad := -1.0
		rows[0].AreaM2 = &bad
		out := manager.expect("PUT", "/api/office/standards", map[string]any{"standards": rows}, 400)
		if errorOf(t, out).Error.Fields["standards[0].area_m2"] == "" {
			t.Errorf("a negative standard = %s, want a problem with standards[0].area_m2", out)
		}
		if after := manager.expect("GET", "/api/office/standards", nil, 200); !bytes.Equal(before, after) {
			t.Errorf("a refused edit changed the standards: %s", after)
		}
		chief, deputy := 30.0, 26.0
		rows[0].AreaM2, rows[1].AreaM2 = &chief, &deputy
		if out := manager.expect("PUT", "/api/office/standards", map[string]any{"standards": rows}, 200); !strings.Contains(string(out), `"area_m2":26`) {
			t.Errorf("edited standards = %s", out)
		}
	})
}

// The 2017 management rules over HTTP: a second office for a concurrent post must be smaller
// than the standard and is not added to the person's area; the office of someone who retires
// or transfers is due back within a month, flagged once overdue and closed when recovered;
// people who left without a departure on record are named; a unit's own ledger is reconciled
// with the center's.
func TestOffice2017Rules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newOfficeEnv(t, db)
		w := newOfficeWorld(t, e)
		m := w.manager
		room := func(number string, area float64) int64 {
			return officeID(t, m.expect("POST", "/api/office/rooms", map[string]any{"building_id": w.building, "floor": 2, "number": number, "area_m2": area, "use": "office"}, 201))
		}
		big, small := room("201", 20), room("202", 12)

		// 兼职: 20 m² is not smaller than the chief's 18; 12 m² is, and needs the post.
		out := m.expect("POST", "/api/office/assignments", map[string]any{"room_id": big, "user_id": w.chief, "concurrent": true, "post": "县国资办主任"}, 400)
		if errorOf(t, out).Error.Fields["concurrent"] == "" {
			t.Errorf("a concurrent office of 20 m² for 18 m² = %s, want a problem with concurrent", out)
		}
		out = m.expect("POST", "/api/office/assignments", map[string]any{"room_id": small, "user_id": w.chief, "concurrent": true}, 400)
		if errorOf(t, out).Error.Fields["post"] == "" {
			t.Errorf("a concurrent office without the post = %s, want a problem with post", out)
		}
		m.expect("POST", "/api/office/assignments", map[string]any{"room_id": small, "user_id": w.chief, "concurrent": true, "post": "县国资办主任"}, 201)
		var over struct {
			Items []struct {
				UserID       int64   `json:"user_id"`
				ActualM2     float64 `json:"actual_m2"`
				ExcessM2     float64 `json:"excess_m2"`
				ConcurrentM2 float64 `json:"concurrent_m2"`
			} `json:"items"`
		}
		decodeInto(t, m.expect("GET", "/api/office/overstandard", nil, 200), &over)
		for _, it := range over.Items {
			if it.UserID == w.chief && (it.ActualM2 != 24 || it.ExcessM2 != 6 || it.ConcurrentM2 != 12) {
				t.Errorf("the chief = %+v, want actual 24, excess 6 and a 12 m² concurrent office apart", it)
			}
		}

		// 调离、退休: due back a month after leaving; overdue once that has passed.
		type departure struct {
			ID          int64    `json:"id"`
			UserID      int64    `json:"user_id"`
			LeftOn      string   `json:"left_on"`
			Deadline    string   `json:"deadline"`
			Rooms       []string `json:"rooms"`
			Overdue     bool     `json:"overdue"`
			RecoveredAt *string  `json:"recovered_at"`
		}
		var d departure
		decodeInto(t, m.expect("POST", "/api/office/departures", map[string]any{"user_id": w.clerk1, "kind": "retire", "left_on": countyDay(-40)}, 201), &d)
		left, _ := time.Parse(time.DateOnly, d.LeftOn)
		if d.Deadline != left.AddDate(0, 1, 0).Format(time.DateOnly) || !d.Overdue || fmt.Sprint(d.Rooms) != "[县行政中心 302]" {
			t.Errorf("a retirement 40 days ago = %+v, want due a month after, overdue, room 302", d)
		}
		var recent departure
		decodeInto(t, m.expect("POST", "/api/office/departures", map[string]any{"user_id": w.clerk2, "kind": "transfer"}, 201), &recent)
		if recent.Overdue || recent.LeftOn != countyDay(0) {
			t.Errorf("a transfer today = %+v, want not overdue", recent)
		}
		m.expect("POST", "/api/office/departures", map[string]any{"user_id": w.clerk1, "kind": "retire"}, 409)
		var late struct{ Items []departure }
		decodeInto(t, w.leader.expect("GET", "/api/office/departures?overdue=1", nil, 200), &late)
		if len(late.Items) != 1 || late.Items[0].UserID != w.clerk1 {
			t.Errorf("overdue departures = %+v, want the retired clerk", late.Items)
		}
		var seats struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		decodeInto(t, m.expect("GET", fmt.Sprintf("/api/office/assignments?user_id=%d&active=1", w.clerk1), nil, 200), &seats)
		m.expect("POST", fmt.Sprintf("/api/office/assignments/%d/end", seats.Items[0].ID), map[string]any{"reason": "退休收回"}, 200)
		decodeInto(t, m.expect("GET", "/api/office/departures?overdue=1", nil, 200), &late)
		if len(late.Items) != 0 {
			t.Errorf("overdue after the room came back = %+v", late.Items)
		}

		// Someone disabled while holding an office, with no departure recorded, is named.
		m.expect("POST", "/api/office/assignments", map[string]any{"room_id": big, "user_id": w.newcomer}, 201)
		w.admin.expect("POST", fmt.Sprintf("/api/users/%d/disable", w.newcomer), nil, 200)
		var deps struct {
			Unrecorded []struct {
				UserID int64    `json:"user_id"`
				Why    string   `json:"why"`
				Rooms  []string `json:"rooms"`
			} `json:"unrecorded"`
		}
		decodeInto(t, w.leader.expect("GET", "/api/office/departures", nil, 200), &deps)
		if len(deps.Unrecorded) != 1 || deps.Unrecorded[0].UserID != w.newcomer || deps.Unrecorded[0].Why != "disabled" {
			t.Errorf("unrecorded = %+v, want the disabled newcomer", deps.Unrecorded)
		}

		// The unit's own ledger, with one room's area written differently, against the center's.
		xlsx := m.expect("GET", fmt.Sprintf("/api/office/ledger.xlsx?unit_id=%d", w.finance), nil, 200)
		res, out := w.leader.uploadXLSX("/api/office/ledger/reconcile", withArea(t, xlsx, "301", 26))
		var rec struct {
			Matched     int `json:"matched"`
			Differences []struct {
				Kind, Room, Unit, Center string
			} `json:"differences"`
		}
		decodeInto(t, out, &rec)
		if res.StatusCode != 200 || len(rec.Differences) != 1 || rec.Differences[0].Kind != "area" || rec.Differences[0].Room != "县行政中心 301" ||
			rec.Differences[0].Unit != "26.00 m²" || rec.Differences[0].Center != "24.00 m²" || rec.Matched < 3 {
			t.Errorf("reconcile = %d %s, want one area difference on 301", res.StatusCode, out)
		}
	})
}

// withArea changes the usable area of room number in a ledger workbook.
func withArea(t *testing.T, b []byte, number string, area float64) []byte {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	sheet := x.GetSheetList()[0]
	rows, _ := x.GetRows(sheet)
	numCol, areaCol := -1, -1
	for i, row := range rows {
		for j, c := range row {
			switch c {
			case "房间号":
				numCol = j
			case "使用面积（m²）":
				areaCol = j
			}
		}
		if numCol >= 0 && areaCol >= 0 && numCol < len(row) && row[numCol] == number {
			cell, _ := excelize.CoordinatesToCellName(areaCol+1, i+1)
			x.SetCellValue(sheet, cell, area)
			var buf bytes.Buffer
			x.Write(&buf)
			return buf.Bytes()
		}
	}
	t.Fatalf("no room %s in the workbook", number)
	return nil
}
