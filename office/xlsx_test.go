package office_test

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fleet"
	"fleet/office"
	"fleet/store"
	"fleet/store/storetest"
)

// ledgerState is the ledger as comparable text: buildings, rooms, active assignments.
func ledgerState(t *testing.T, f *fx) []string {
	t.Helper()
	var out []string
	bs, _, err := f.svc.ListBuildings(f.ctx, f.manager(), fleet.Page{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bs {
		out = append(out, fmt.Sprintf("building %s|%s|%d|%.2f|%.2f|%s|%d", b.Name, b.Address, b.Floors, b.TotalAreaM2, b.UsableAreaM2, b.Ownership, b.Rooms))
	}
	rooms, _, err := f.svc.ListRooms(f.ctx, f.manager(), office.RoomQuery{Page: fleet.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rooms {
		out = append(out, fmt.Sprintf("room %s|%d|%s|%.2f|%s|vacant=%v|unit=%s|whole=%v", r.Building, r.Floor, r.Number, r.AreaM2, r.Use, r.Vacant, r.UnitName, r.UnitAssignmentID != nil))
		for _, o := range r.Occupants {
			out = append(out, fmt.Sprintf("  %s|%s|%s|%s|%v|%s", o.Username, o.Name, o.Rank, o.Post, o.Concurrent, o.UnitName))
		}
	}
	over, _ := f.svc.OverStandardList(f.ctx, f.manager(), office.FigureQuery{})
	for _, p := range over.Items {
		out = append(out, fmt.Sprintf("over %s %.2f %.2f %.2f", p.Username, p.StandardM2, p.ActualM2, p.ExcessM2))
	}
	sort.Strings(out)
	return out
}

// sampleLedger fills a ledger with every kind of row: shared rooms, a unit's whole room with
// people, an idle room, service and equipment rooms, a concurrent office, a vacant room, and a
// building known only from the buildings sheet.
func sampleLedger(t *testing.T, f *fx) {
	b := f.building("县行政中心", 2000, 6)
	old, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: "老干部活动中心", Address: "城关镇文化路8号", Floors: 2, Ownership: "leased"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateBuilding(f.ctx, f.manager(), office.BuildingInput{Name: "待用楼", Address: "工业园", TotalAreaM2: 900}); err != nil {
		t.Fatal(err)
	}
	r := func(bid int64, fl int, n string, a float64, use string) int64 { return f.room(bid, fl, n, a, use).ID }
	f.seat(r(b.ID, 3, "301", 24, office.UseOffice), "chief")
	shared := r(b.ID, 3, "302", 20, office.UseOffice)
	f.seat(shared, "clerk1")
	f.seat(shared, "clerk2")
	whole := r(b.ID, 3, "303", 30.5, office.UseOffice)
	f.give(whole, finance)
	f.seat(whole, "deputy")
	f.give(r(b.ID, 3, "304", 15, office.UseOffice), finance)
	f.give(r(b.ID, 1, "101", 60, office.UseService), education)
	f.give(r(b.ID, -1, "B01", 35, office.UseEquipment), center)
	r(b.ID, 4, "401", 18, office.UseOffice) // vacant
	if _, err := f.svc.Assign(f.ctx, f.manager(), office.AssignmentInput{RoomID: r(old.ID, 1, "1-01", 10, office.UseOffice),
		UserID: f.id("chief"), Concurrent: true, Post: "县老干部活动中心主任"}); err != nil {
		t.Fatal(err)
	}
	f.seat(r(old.ID, 2, "2-01", 12, office.UseOffice), "edu_clerk")
	f.give(r(old.ID, 1, "1-02", 40, office.UseAncillary), education)
}

func TestLedgerXLSXRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFx(t, db)
		sampleLedger(t, f)
		want := ledgerState(t, f)

		b, name, err := f.svc.LedgerXLSX(f.ctx, f.manager(), office.LedgerQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, office.SheetLedger+"_全县_") || !strings.HasSuffix(name, ".xlsx") {
			t.Errorf("name = %q", name)
		}
		checkLayout(t, b)

		// A fresh database with the same units and users takes the file and has the same ledger.
		var fresh *store.DB
		if db.Dialect == store.SQLite {
			fresh = storetest.SQLite(t)
		} else {
			fresh = storetest.MySQL(t)
		}
		g := newFx(t, fresh)
		res, err := g.svc.ImportLedger(g.ctx, g.manager(), bytes.NewReader(b), office.ImportOptions{})
		if err != nil {
			t.Fatalf("import: %v %+v", err, res)
		}
		if res.Imported != 12 || res.Buildings != 3 || res.Rooms != 10 || res.Assignments != 11 || len(res.Errors) != 0 {
			t.Errorf("result = %+v", res)
		}
		if got := ledgerState(t, g); !reflect.DeepEqual(got, want) {
			t.Errorf("imported ledger differs\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
		}
		hist, _, _ := g.svc.History(g.ctx, g.manager(), office.HistoryQuery{Subject: "assignment"})
		if len(hist) != 11 || hist[0].Action != "import" || hist[0].Actor != "吴主任" {
			t.Errorf("import history = %d lines, first %+v", len(hist), hist[0])
		}

		// The same file again: every person row is a duplicate; nothing changes.
		before := g.counts()
		res, err = g.svc.ImportLedger(g.ctx, g.manager(), bytes.NewReader(b), office.ImportOptions{})
		if !errors.Is(err, office.ErrImportRejected) || len(res.Errors) == 0 || res.Imported != 0 {
			t.Fatalf("re-import = %+v, %v; want rejected with errors", res, err)
		}
		if after := g.counts(); !reflect.DeepEqual(before, after) {
			t.Errorf("rows before %v, after %v", before, after)
		}

		// A leader's export holds their own unit only.
		lb, _, err := f.svc.LedgerXLSX(f.ctx, f.as["edu_leader"], office.LedgerQuery{})
		if err != nil {
			t.Fatal(err)
		}
		x, _ := excelize.OpenReader(bytes.NewReader(lb))
		rows, _ := x.GetRows(office.SheetLedger)
		x.Close()
		text := fmt.Sprint(rows)
		if strings.Contains(text, "张科长") || !strings.Contains(text, "周一") || !strings.Contains(text, "统计范围："+education) {
			t.Errorf("leader's ledger = %v", rows)
		}
		_, _, err = f.svc.LedgerXLSX(f.ctx, f.as["edu_leader"], office.LedgerQuery{UnitID: f.units[finance]})
		wantCode(t, err, fleet.EForbidden)
	})
}

// checkLayout checks the upward-reporting layout: title, two header rows, one row per room and
// occupant with the room's cells merged, totals.
func checkLayout(t *testing.T, b []byte) {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !reflect.DeepEqual(got, []string{office.SheetLedger, office.SheetBuildings, office.SheetUnits, office.SheetOver}) {
		t.Errorf("sheets = %v", got)
	}
	cells := map[string]string{"A1": office.SheetLedger, "A3": "序号", "B3": "房屋信息", "B4": "建筑物名称", "E4": "房间号",
		"H3": "使用情况", "I4": "使用人", "N4": "人均使用面积（m²）", "O4": "核定标准（m²）", "P4": "超标面积（m²）"}
	for c, want := range cells {
		if got, _ := x.GetCellValue(office.SheetLedger, c); got != want {
			t.Errorf("%s = %q, want %q", c, got, want)
		}
	}
	rows, _ := x.GetRows(office.SheetLedger)
	last := rows[len(rows)-1]
	if last[0] != "合计" || last[4] != "10 间" || last[8] != "6 人" {
		t.Errorf("totals row = %v", last)
	}
	merged, _ := x.GetMergeCells(office.SheetLedger)
	var roomMerges int
	for _, m := range merged {
		if strings.HasPrefix(m.GetStartAxis(), "E") && m.GetStartAxis() != "E3" {
			roomMerges++
		}
	}
	if roomMerges != 2 { // 302 (two clerks) and 303 (the unit and its deputy)
		t.Errorf("room number merged over %d rooms, want 2", roomMerges)
	}
	// The section chief's row: 24 m², standard 18, excess 6.
	found := false
	for _, r := range rows {
		if len(r) > 15 && r[8] == "张科长" && r[4] == "301" {
			found = r[13] == "24.00" && r[14] == "18.00" && r[15] == "6.00"
		}
	}
	if !found {
		t.Errorf("no row of 张科长 in 301 with 24.00/18.00/6.00: %v", rows)
	}
}

func TestImportReportsEveryBadRow(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		x := excelize.NewFile()
		sh := "Sheet1"
		rows := [][]any{
			{"某单位办公用房台账"},
			{"建筑物名称", "地址", "楼层", "房间号", "使用面积", "用途", "使用单位", "使用人", "职级", "兼职"},
			{"县行政中心", "人民路1号", 3, "301", 24, "办公室用房", finance, "张科长", "正科", ""}, // 3: good
			{"县行政中心", "人民路1号", 3, "302", -1, "办公室用房", finance, "", "", ""},      // 4: area
			{"县行政中心", "人民路1号", 3, "303", 20, "会客室", finance, "", "", ""},        // 5: use
			{"县行政中心", "人民路1号", 3, "304", 20, "办公室用房", "县不存在局", "", "", ""},      // 6: unit
			{"县行政中心", "人民路1号", 3, "305", 20, "办公室用房", finance, "无名氏", "", ""},   // 7: no such person
			{"县行政中心", "人民路1号", 3, "306", 20, "办公室用房", finance, "李一", "正科", ""},  // 8: rank differs
			{"县行政中心", "人民路1号", 3, "307", 20, "办公室用房", finance, "李二", "处级", ""},  // 9: rank unknown
			{"县行政中心", "人民路1号", 3, "301", 24, "办公室用房", finance, "张科长", "", ""},   // 10: twice in 301
			{"县行政中心", "人民路1号", 3, "308", 20, "办公室用房", education, "周一", "", ""},  // 11: good
			{"县行政中心", "人民路1号", "三", "309", 20, "办公室用房", "", "", "", ""},         // 12: floor
			{"县行政中心", "人民路1号", 4, "401", 18, "办公室用房", "", "", "", ""},           // 13: good, vacant
			{"合计"},
			{"县行政中心", "人民路1号", 4, "402", 18, "办公室用房", "", "", "", ""}, // after the totals: not read
		}
		for i, r := range rows {
			x.SetSheetRow(sh, fmt.Sprintf("A%d", i+1), &r)
		}
		var buf bytes.Buffer
		x.Write(&buf)
		x.Close()

		before := f.counts()
		res, err := f.svc.ImportLedger(f.ctx, f.manager(), bytes.NewReader(buf.Bytes()), office.ImportOptions{})
		if !errors.Is(err, office.ErrImportRejected) {
			t.Fatalf("err = %v, want rejected", err)
		}
		want := map[int]string{4: "area_m2", 5: "use", 6: "unit", 7: "name", 8: "rank", 9: "rank", 10: "", 12: "floor"}
		got := map[int]string{}
		for _, e := range res.Errors {
			got[e.Line] = e.Field
			if e.Reason == "" || e.Sheet != sh {
				t.Errorf("error %+v lacks a reason or sheet", e)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("errors by line = %v, want %v\n%+v", got, want, res.Errors)
		}
		if after := f.counts(); !reflect.DeepEqual(before, after) {
			t.Errorf("a rejected import changed rows: before %v, after %v", before, after)
		}

		// Skip-bad stores the good rows only.
		res, err = f.svc.ImportLedger(f.ctx, f.manager(), bytes.NewReader(buf.Bytes()), office.ImportOptions{SkipBad: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Imported != 3 || res.Skipped != 8 || res.Rooms != 3 || res.Assignments != 2 || res.Buildings != 1 {
			t.Errorf("skip-bad result = %+v", res)
		}
		rooms, total, _ := f.svc.ListRooms(f.ctx, f.manager(), office.RoomQuery{})
		if total != 3 {
			t.Errorf("rooms = %+v", rooms)
		}

		// Not a workbook at all.
		_, err = f.svc.ImportLedger(f.ctx, f.manager(), strings.NewReader("plate,class\n"), office.ImportOptions{})
		wantCode(t, err, fleet.EInvalid)
		_, err = f.svc.ImportLedger(f.ctx, f.as["fin_leader"], bytes.NewReader(buf.Bytes()), office.ImportOptions{})
		wantCode(t, err, fleet.EForbidden)

		// Reconciling a unit's own ledger with the center's: what differs, room by room.
		rec, err := f.svc.Reconcile(f.ctx, f.as["fin_leader"], 0, bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		// The center holds 301 (张科长) for the unit; the file lists him twice there, and rooms
		// the center does not know as the unit's; its unreadable rows are left out.
		kinds := map[string]int{}
		for _, d := range rec.Differences {
			kinds[d.Kind]++
		}
		if rec.UnitID != f.units[finance] || rec.Matched != 0 || kinds["occupants"] != 1 || kinds["only_in_unit"] != 4 || len(rec.Errors) != 3 {
			t.Errorf("reconciliation = %+v", rec)
		}
	})
}
