package energy_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"fleet/energy"
)

// The monthly workbook holds the report sheet in the upward layout (title, period, completeness,
// two header rows, a row per unit, the total, notes and signatures) and the sheets behind it.
func TestMonthXLSX(t *testing.T) {
	each(t, func(t *testing.T, f *fx) {
		marchCounty(f)
		b, name, err := f.svc.MonthXLSX(f.ctx, f.manager(), energy.ReportQuery{Month: "2026-03"})
		if err != nil {
			t.Fatal(err)
		}
		if name != "能耗统计月报_2026-03.xlsx" {
			t.Errorf("file name = %q", name)
		}
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		want := []string{energy.SheetMonth, energy.SheetCoefficients, energy.SheetCompleteness, energy.SheetVehicles, energy.SheetBuildings}
		if got := x.GetSheetList(); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("sheets = %v, want %v", got, want)
		}
		rows, err := x.GetRows(energy.SheetMonth)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(rows[0][0], "能源资源消费统计月报表") || !strings.Contains(rows[1][0], "2026年3月") {
			t.Errorf("title rows = %q / %q", rows[0][0], rows[1][0])
		}
		if !strings.Contains(rows[2][0], "不完整") || !strings.Contains(rows[2][0], "1 块") {
			t.Errorf("completeness line = %q, want 不完整 with 1 meter", rows[2][0])
		}
		if rows[3][4] != "能源资源消费实物量" || rows[4][4] != "电力（kWh）" || rows[3][11] != "综合能耗" || rows[4][11] != "合计（tce）" {
			t.Errorf("header rows = %q / %q", rows[3], rows[4])
		}
		var a, total []string
		for _, r := range rows[5:] {
			if len(r) > 1 && r[1] == unitA {
				a = r
			}
			if len(r) > 1 && r[1] == "合计" {
				total = r
			}
		}
		if a == nil || total == nil {
			t.Fatalf("no row of %s or the total in %q", unitA, rows)
		}
		if a[2] != "10" || a[3] != "1000.00" || a[4] != "1140.00" || a[11] != "0.1828" || a[12] != "0.0427" || a[19] != "是" {
			t.Errorf("%s row = %q", unitA, a)
		}
		if total[11] != "2.2607" {
			t.Errorf("total tce = %q, want 2.2607", total[11])
		}
		last := rows[len(rows)-1][0]
		if !strings.Contains(last, "单位负责人") || !strings.Contains(last, "填表人") {
			t.Errorf("last row = %q, want the signature line", last)
		}
		miss, _ := x.GetRows(energy.SheetCompleteness)
		if len(miss) < 4 || miss[3][1] != "教育局新装电表" || miss[3][4] != "月初和月末读数" {
			t.Errorf("completeness sheet = %q", miss)
		}
		coef, _ := x.GetRows(energy.SheetCoefficients)
		if len(coef) < 4 || coef[3][0] != "电力" || coef[3][2] != "0.1229" || !strings.Contains(coef[3][4], "GB/T 2589") {
			t.Errorf("coefficient sheet = %q", coef)
		}
		veh, _ := x.GetRows(energy.SheetVehicles)
		if len(veh) < 4 || veh[3][0] != "赣K10001" || veh[3][2] != "汽油" || veh[3][4] != "40.00" || veh[3][5] != "29.000" {
			t.Errorf("vehicle sheet = %q", veh)
		}
	})
}
