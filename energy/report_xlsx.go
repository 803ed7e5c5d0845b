package energy

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/auth"
)

// Sheet names of the monthly report workbook.
const (
	SheetMonth        = "能耗统计月报"
	SheetCoefficients = "折标系数"
	SheetCompleteness = "抄表完整性"
	SheetVehicles     = "公务用车"
	SheetBuildings    = "楼宇"
)

// monthColumns are the report's columns after 序号 and 单位名称: the header's second row, the group
// it sits under in the first row, and the figure of a unit.
var monthColumns = []struct {
	group, name string
	format      string
	value       func(u *UnitFigure) any
}{
	{"", "用能人数（人）", "0", func(u *UnitFigure) any { return u.Headcount }},
	{"", "建筑面积（m²）", "0.00", func(u *UnitFigure) any { return u.AreaM2 }},
	{"能源资源消费实物量", "电力（kWh）", "0.00", kindAmount(KindElectricity)},
	{"能源资源消费实物量", "水（m³）", "0.00", kindAmount(KindWater)},
	{"能源资源消费实物量", "天然气（m³）", "0.00", kindAmount(KindNaturalGas)},
	{"能源资源消费实物量", "热力（GJ）", "0.000", kindAmount(KindHeat)},
	{"能源资源消费实物量", "汽油（kg）", "0.00", kindAmount(KindGasoline)},
	{"能源资源消费实物量", "柴油（kg）", "0.00", kindAmount(KindDiesel)},
	{"能源资源消费实物量", "光伏发电量（kWh）", "0.00", kindAmount(KindPV)},
	{"综合能耗", "合计（tce）", "0.0000", func(u *UnitFigure) any { return u.TCE }},
	{"综合能耗", "其中：公务用车（tce）", "0.0000", func(u *UnitFigure) any { return u.VehicleTCE }},
	{"", "二氧化碳排放（t）", "0.000", func(u *UnitFigure) any { return round(u.CO2Kg/1000, 3) }},
	{"指标", "人均综合能耗（kgce/人）", "0.00", optional(func(u *UnitFigure) *float64 { return u.PerCapitaKgce })},
	{"指标", "单位建筑面积能耗（kgce/m²）", "0.000", optional(func(u *UnitFigure) *float64 { return u.PerM2Kgce })},
	{"指标", "人均用水（m³/人）", "0.000", optional(func(u *UnitFigure) *float64 { return u.WaterPerCapitaM3 })},
	{"同比", "上年同期（tce）", "0.0000", optional(func(u *UnitFigure) *float64 { return u.LastYearTCE })},
	{"同比", "增减（%）", "0.00", optional(func(u *UnitFigure) *float64 { return u.YoYPct })},
	{"", "读数完整", "@", func(u *UnitFigure) any { return yesNo(u.Complete) }},
}

func kindAmount(kind string) func(u *UnitFigure) any {
	return func(u *UnitFigure) any {
		if k := u.ByKind[kind]; k != nil {
			return k.Amount
		}
		return 0.0
	}
}

func optional(get func(u *UnitFigure) *float64) func(u *UnitFigure) any {
	return func(u *UnitFigure) any {
		if v := get(u); v != nil {
			return *v
		}
		return "—"
	}
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// MonthXLSX is the monthly report as a workbook for reporting upward, and its file name: the
// report sheet (title, period and completeness, two header rows, one row per unit, the total,
// the notes and the signature line), the coefficients used, the completeness check, the fleet's
// vehicles and the buildings.
func (s *Service) MonthXLSX(ctx context.Context, a *auth.Actor, q ReportQuery) ([]byte, string, error) {
	r, err := s.MonthReport(ctx, a, q)
	if err != nil {
		return nil, "", err
	}
	w := &book{f: excelize.NewFile()}
	defer w.f.Close()
	if err := w.write(r, s.today(s.now())); err != nil {
		return nil, "", fmt.Errorf("energy: report workbook: %w", err)
	}
	var buf bytes.Buffer
	if err := w.f.Write(&buf); err != nil {
		return nil, "", fmt.Errorf("energy: report workbook: %w", err)
	}
	return buf.Bytes(), fmt.Sprintf("%s_%s.xlsx", SheetMonth, r.Month), nil
}

type book struct {
	f      *excelize.File
	styles map[string]int
}

func (w *book) write(r *MonthReport, today string) error {
	if err := w.f.SetSheetName("Sheet1", SheetMonth); err != nil {
		return err
	}
	if err := w.makeStyles(); err != nil {
		return err
	}
	for _, step := range []func() error{
		func() error { return w.monthSheet(r, today) },
		func() error { return w.coefficientSheet(r) },
		func() error { return w.completenessSheet(r) },
		func() error { return w.vehicleSheet(r) },
		func() error { return w.buildingSheet(r) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (w *book) makeStyles() error {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	middle := &excelize.Alignment{Vertical: "center", WrapText: true}
	w.styles = map[string]int{}
	specs := map[string]*excelize.Style{
		"title":  {Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		"header": {Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E2EFDA"}}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		"text":   {Border: border, Alignment: middle},
		"bold":   {Font: &excelize.Font{Bold: true}, Border: border, Alignment: middle},
		"plain":  {Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}},
	}
	for _, format := range []string{"0", "0.00", "0.000", "0.0000", "@"} {
		fm := format
		specs["n"+format] = &excelize.Style{Border: border, CustomNumFmt: &fm, Alignment: middle}
		specs["b"+format] = &excelize.Style{Border: border, CustomNumFmt: &fm, Alignment: middle, Font: &excelize.Font{Bold: true}}
	}
	for name, sp := range specs {
		id, err := w.f.NewStyle(sp)
		if err != nil {
			return err
		}
		w.styles[name] = id
	}
	return nil
}

// cell names a cell by 1-based column and row.
func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (w *book) set(sh string, col, row int, v any, style string) error {
	if err := w.f.SetCellValue(sh, cell(col, row), v); err != nil {
		return err
	}
	return w.f.SetCellStyle(sh, cell(col, row), cell(col, row), w.styles[style])
}

func (w *book) title(sh, text string, cols, row int) error {
	if err := w.f.MergeCell(sh, cell(1, row), cell(cols, row)); err != nil {
		return err
	}
	return w.set(sh, 1, row, text, "title")
}

// table writes a header row and rows under it, with widths and each column's number format
// ("" for text).
func (w *book) table(sh string, row int, header []string, widths []float64, formats []string, rows [][]any) error {
	for i, h := range header {
		if err := w.set(sh, i+1, row, h, "header"); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := w.f.SetColWidth(sh, col, col, widths[i]); err != nil {
			return err
		}
	}
	for r, vals := range rows {
		for c, v := range vals {
			style := "text"
			if formats[c] != "" {
				if _, text := v.(string); !text {
					style = "n" + formats[c]
				}
			}
			if err := w.set(sh, c+1, row+1+r, v, style); err != nil {
				return err
			}
		}
	}
	return nil
}

// vehicleEnergies are the fleet's energy types in the report's words.
var vehicleEnergies = map[string]string{"gasoline": "汽油", "diesel": "柴油", "electric": "纯电动", "hybrid": "油电混合", "plugin_hybrid": "插电式混合动力"}

func at(t *time.Time, loc *time.Location) string {
	if t == nil {
		return "无"
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
