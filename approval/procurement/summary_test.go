package procurement_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet"
	"fleet/approval"
	"fleet/approval/procurement"
	"fleet/dispatch"
	"fleet/store"
	"fleet/store/storetest"
)

func TestSummary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		// Before the period: not counted.
		f.clock.Set(time.Date(2025, 12, 31, 23, 30, 0, 0, shanghai))
		f.create("staffA", goods("跨年的纸", 1, 100))
		// In the first half of 2026.
		f.clock.Set(time.Date(2026, 2, 1, 9, 0, 0, 0, shanghai))
		v1 := f.create("staffA", electric()) // 165,000
		f.decideAll(v1, approval.ActApprove)
		v2 := f.create("staffB", petrol(dispatch.ClassGeneral, 190_000.5, 1.5))
		f.decideAll(v2, approval.ActReject)
		f.create("staffB", goods("打印机", 2, 1999.25))                                                      // 3,998.50
		f.create("staffA", procurement.Input{Kind: procurement.KindServices, Title: "车辆保险", Reason: "续保", // 12,000
			Items: []procurement.ItemInput{{Name: "交强险与商业险", Quantity: 4, UnitPrice: 3000}}})
		// After the period: not counted.
		f.clock.Set(time.Date(2026, 7, 1, 0, 0, 1, 0, shanghai))
		f.create("staffA", goods("下半年的纸", 1, 100))

		q := procurement.SummaryQuery{From: "2026-01-01", To: "2026-06-30"}
		if _, err := f.svc.Summary(ctx, f.as("staffA"), q); code(err) != fleet.EForbidden {
			t.Errorf("staff summary = %v, want forbidden", err)
		}
		sum, err := f.svc.Summary(ctx, f.as("auditor"), q)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Total.Count != 4 || sum.Total.Amount != 165_000+190_000.5+3_998.5+12_000 || sum.Period != "2026-01-01 至 2026-06-30" {
			t.Errorf("total %+v period %q", sum.Total, sum.Period)
		}
		byKey := func(ts []procurement.Tally) map[string]procurement.Tally {
			m := map[string]procurement.Tally{}
			for _, t := range ts {
				m[t.Key] = t
			}
			return m
		}
		if k := byKey(sum.ByKind); k["vehicle_addition"].Count != 2 || k["vehicle_addition"].Amount != 355_000.5 || k["goods"].Count != 1 || k["services"].Amount != 12_000 {
			t.Errorf("by kind %+v", sum.ByKind)
		}
		if s := byKey(sum.ByStatus); s["approved"].Count != 1 || s["rejected"].Count != 1 || s["pending"].Count != 2 {
			t.Errorf("by status %+v", sum.ByStatus)
		}
		if len(sum.ByUnit) != 2 {
			t.Errorf("by unit %+v, want two units", sum.ByUnit)
		}
		if _, err := f.svc.Summary(ctx, f.as("admin"), procurement.SummaryQuery{From: "2026-06-30", To: "2026-01-01"}); code(err) != fleet.EInvalid {
			t.Errorf("reversed period = %v, want invalid", err)
		}

		b, name, err := f.svc.SummaryXLSX(ctx, f.as("auditor"), q)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(name, ".xlsx") || !strings.Contains(name, "20260101-20260630") {
			t.Errorf("file name %q", name)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("the workbook does not open: %v", err)
		}
		defer x.Close()
		if sheets := x.GetSheetList(); len(sheets) != 2 || sheets[0] != procurement.SheetVehicles || sheets[1] != procurement.SheetTotals {
			t.Fatalf("sheets %v", sheets)
		}
		sh := procurement.SheetVehicles
		cell := func(ref string) string {
			v, err := x.GetCellValue(sh, ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if cell("A1") != procurement.SheetVehicles || !strings.Contains(cell("A2"), "2026-01-01 至 2026-06-30") || cell("A3") != "序号" || cell("K3") != "申请金额（元）" {
			t.Errorf("title rows: %q %q %q %q", cell("A1"), cell("A2"), cell("A3"), cell("K3"))
		}
		rows, _ := x.GetRows(sh)
		var totalRow int
		var sumK float64
		for i := 4; i <= len(rows); i++ {
			ref := "A" + strconv.Itoa(i)
			if cell(ref) == "合计" {
				totalRow = i
				break
			}
			k, err := strconv.ParseFloat(cell("K"+strconv.Itoa(i)), 64)
			if err != nil {
				t.Fatalf("row %d amount %q: %v", i, cell("K"+strconv.Itoa(i)), err)
			}
			sumK += k
		}
		if totalRow != 6 {
			t.Fatalf("totals on row %d, want 6 (two vehicle requests on rows 4 and 5)", totalRow)
		}
		total, _ := strconv.ParseFloat(cell("K6"), 64)
		if total != 355_000.5 || sumK != total || cell("C6") != "共 2 项" {
			t.Errorf("totals row: K6 %v (rows sum to %v), C6 %q; want 355000.5 and 共 2 项", total, sumK, cell("C6"))
		}
		if cell("B4") != "县财政局" || cell("D4") != "车辆新增" || cell("G4") != "纯电动" || cell("L4") != "已批准" || cell("M5") == "符合" {
			t.Errorf("first rows: %q %q %q %q, second row checks %q", cell("B4"), cell("D4"), cell("G4"), cell("L4"), cell("M5"))
		}
		// The tallies sheet totals every request of the period.
		all, _ := x.GetRows(procurement.SheetTotals)
		var found bool
		for _, r := range all {
			if len(r) >= 3 && r[0] == "合计" && r[1] == "4" {
				found = true
			}
		}
		if !found {
			t.Errorf("tallies sheet has no 合计 row of 4 requests: %v", all)
		}
	})
}
