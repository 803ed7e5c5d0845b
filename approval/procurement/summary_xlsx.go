package procurement

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/auth"
)

// Sheet names of the summary workbook.
const (
	SheetVehicles = "公务用车更新购置申请汇总表" // one row per vehicle request, for reporting upward
	SheetTotals   = "分类汇总"          // every request of the period by unit, kind and status
)

// vehicleColumns are the header of the vehicle sheet; the amount is column K.
var vehicleColumns = []struct {
	title string
	width float64
}{
	{"序号", 6}, {"申请单位", 18}, {"申请事项", 28}, {"类型", 10}, {"车辆类别", 14}, {"车型", 10}, {"能源类型", 12},
	{"排气量（升）", 10}, {"车辆价格（元）", 14}, {"被更新车辆", 12}, {"申请金额（元）", 14}, {"审批状态", 10},
	{"标准核对", 40}, {"申请日期", 12},
}

// SummaryXLSX is the summary as a workbook and its file name: the vehicle sheet (title, period,
// header, one row per vehicle request, totals) and the tallies of every request.
func (s *Service) SummaryXLSX(ctx context.Context, a *auth.Actor, q SummaryQuery) ([]byte, string, error) {
	sum, err := s.Summary(ctx, a, q)
	if err != nil {
		return nil, "", err
	}
	b, err := summaryWorkbook(sum, s.opt.Location)
	if err != nil {
		return nil, "", fmt.Errorf("procurement: summary workbook: %w", err)
	}
	name := fmt.Sprintf("%s_%s.xlsx", SheetVehicles, strings.ReplaceAll(strings.ReplaceAll(sum.Period, "-", ""), " 至 ", "-"))
	return b, name, nil
}

func summaryWorkbook(sum *Summary, loc *time.Location) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetVehicles); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	if err := vehicleSheet(f, st, sum, loc); err != nil {
		return nil, err
	}
	if err := totalsSheet(f, st, sum); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type styles struct{ title, header, text, money, number, total, totalMoney, litres, right int }

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	money, litres := "#,##0.00", "0.0"
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Border: border, CustomNumFmt: &money},
		{Border: border, NumFmt: 1},
		{Font: &excelize.Font{Bold: true}, Border: border},
		{Font: &excelize.Font{Bold: true}, Border: border, CustomNumFmt: &money},
		{Border: border, CustomNumFmt: &litres},
		{Alignment: &excelize.Alignment{Horizontal: "right"}},
	}
	ids := make([]int, len(specs))
	for i, sp := range specs {
		id, err := f.NewStyle(sp)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return &styles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]}, nil
}

// cell names a cell by 1-based column and row.
func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func vehicleSheet(f *excelize.File, st *styles, sum *Summary, loc *time.Location) error {
	sh := SheetVehicles
	last := len(vehicleColumns)
	set := func(col, row int, v any, style int) error {
		if err := f.SetCellValue(sh, cell(col, row), v); err != nil {
			return err
		}
		return f.SetCellStyle(sh, cell(col, row), cell(col, row), style)
	}
	// Row 1 the title, row 2 the period and the date made, row 3 the header.
	if err := f.MergeCell(sh, cell(1, 1), cell(last, 1)); err != nil {
		return err
	}
	if err := set(1, 1, SheetVehicles, st.title); err != nil {
		return err
	}
	f.SetRowHeight(sh, 1, 30)
	f.MergeCell(sh, cell(1, 2), cell(7, 2))
	f.SetCellValue(sh, cell(1, 2), "统计期间："+sum.Period)
	f.MergeCell(sh, cell(8, 2), cell(last, 2))
	f.SetCellValue(sh, cell(8, 2), "制表日期："+sum.generated.Format(time.DateOnly))
	f.SetCellStyle(sh, cell(8, 2), cell(8, 2), st.right)
	for i, c := range vehicleColumns {
		if err := set(i+1, 3, c.title, st.header); err != nil {
			return err
		}
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetColWidth(sh, col, col, c.width)
	}
	row, n := 4, 0
	var totalFen int64
	for i := range sum.Requests {
		r := &sum.Requests[i]
		v := r.Vehicle
		if v == nil {
			continue
		}
		n++
		totalFen += yuanToFen(r.Amount)
		var displacement any = "—"
		if v.DisplacementL != nil {
			displacement = *v.DisplacementL
		}
		replaces := "—"
		if v.ReplacesPlate != "" {
			replaces = v.ReplacesPlate
		}
		values := []any{n, r.Unit, r.Title, kindNames[r.Kind], classNames[v.Class], bodyNames[v.Body], energyNames[v.Energy],
			displacement, v.Price, replaces, r.Amount, statusNames[r.Status], checksText(r.Checks), r.SubmittedAt.In(loc).Format(time.DateOnly)}
		for j, val := range values {
			style := st.text
			switch j {
			case 8, 10:
				style = st.money
			case 7:
				if v.DisplacementL != nil {
					style = st.litres
				}
			case 0:
				style = st.number
			}
			if err := set(j+1, row, val, style); err != nil {
				return err
			}
		}
		row++
	}
	// The totals row: the count under 申请事项, the amount under 申请金额.
	for col := 1; col <= last; col++ {
		if err := set(col, row, "", st.total); err != nil {
			return err
		}
	}
	set(1, row, "合计", st.total)
	set(3, row, fmt.Sprintf("共 %d 项", n), st.total)
	if err := set(11, row, fenToYuan(totalFen), st.totalMoney); err != nil {
		return err
	}
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"})
}

// checksText is the checks of a request in one cell: 符合 or the failing rules.
func checksText(checks []Check) string {
	var bad []string
	for _, c := range checks {
		if !c.OK {
			bad = append(bad, c.Name)
		}
	}
	switch {
	case len(checks) == 0:
		return "—"
	case len(bad) == 0:
		return "符合"
	}
	return fmt.Sprintf("%d 项不符合：%s", len(bad), strings.Join(bad, "、"))
}

func totalsSheet(f *excelize.File, st *styles, sum *Summary) error {
	sh := SheetTotals
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	f.SetColWidth(sh, "A", "A", 24)
	f.SetColWidth(sh, "B", "C", 14)
	f.MergeCell(sh, "A1", "C1")
	f.SetCellValue(sh, "A1", "采购申请分类汇总（"+sum.Period+"）")
	f.SetCellStyle(sh, "A1", "A1", st.title)
	row := 3
	block := func(title string, tallies []Tally) error {
		for i, h := range []string{title, "件数", "金额（元）"} {
			if err := f.SetCellValue(sh, cell(i+1, row), h); err != nil {
				return err
			}
			f.SetCellStyle(sh, cell(i+1, row), cell(i+1, row), st.header)
		}
		row++
		for _, t := range tallies {
			f.SetCellValue(sh, cell(1, row), t.Name)
			f.SetCellValue(sh, cell(2, row), t.Count)
			f.SetCellValue(sh, cell(3, row), t.Amount)
			f.SetCellStyle(sh, cell(1, row), cell(2, row), st.text)
			f.SetCellStyle(sh, cell(3, row), cell(3, row), st.money)
			row++
		}
		f.SetCellValue(sh, cell(1, row), "合计")
		f.SetCellValue(sh, cell(2, row), sum.Total.Count)
		f.SetCellValue(sh, cell(3, row), sum.Total.Amount)
		f.SetCellStyle(sh, cell(1, row), cell(2, row), st.total)
		f.SetCellStyle(sh, cell(3, row), cell(3, row), st.totalMoney)
		row += 2
		return nil
	}
	if err := block("申请单位", sum.ByUnit); err != nil {
		return err
	}
	if err := block("申请类型", sum.ByKind); err != nil {
		return err
	}
	return block("审批状态", sum.ByStatus)
}
