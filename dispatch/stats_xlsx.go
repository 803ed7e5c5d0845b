package dispatch

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"fleet/auth"
)

// Sheets of the statistics workbook: the summary, one per grouping, and every trip.
const (
	SheetSummary = "汇总"
	SheetTrips   = "出车明细"
)

// groupingSheets names the sheet and the first column of each grouping.
var groupingSheets = map[string][2]string{
	ByMonth:   {"按月", "月份"},
	ByDay:     {"按日", "日期"},
	ByVehicle: {"按车辆", "车牌"},
	ByDriver:  {"按驾驶员", "驾驶员"},
	ByUnit:    {"按用车单位", "用车单位"},
}

// tallyColumns head a grouping sheet after its first column.
var tallyColumns = []string{"出车批次", "其中合并出行", "用车申请", "GPS里程（公里）", "里程表里程（公里）", "行驶时长（小时）",
	"出车时长（小时）", "加油（升）", "充电（千瓦时）", "无轨迹批次", "里程差异批次", "利用率"}

// StatsXLSX is the statistics of a period as a workbook (a sheet per grouping and the trips)
// and its file name.
func (d *Desk) StatsXLSX(ctx context.Context, a *auth.Actor, q StatsQuery) ([]byte, string, error) {
	if _, err := checkBy(q.By); err != nil {
		return nil, "", err
	}
	b, err := d.statsBuilder(ctx, a, q)
	if err != nil {
		return nil, "", err
	}
	data, err := b.workbook(d.now().In(d.opt.Location))
	if err != nil {
		return nil, "", fmt.Errorf("dispatch: statistics workbook: %w", err)
	}
	name := fmt.Sprintf("出车统计_%s-%s.xlsx", b.f.from.In(b.loc).Format("20060102"), lastDay(b.f.to, b.loc).Format("20060102"))
	return data, name, nil
}

type sheetStyles struct{ title, header, text, number, total, share, count, totalCount int }

func newSheetStyles(f *excelize.File) (*sheetStyles, error) {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	num, pct := "#,##0.0#", "0.0%"
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		{Border: border, CustomNumFmt: &num},
		{Font: &excelize.Font{Bold: true}, Border: border, CustomNumFmt: &num},
		{Border: border, CustomNumFmt: &pct},
		{Border: border, NumFmt: 3},
		{Font: &excelize.Font{Bold: true}, Border: border, NumFmt: 3},
	}
	ids := make([]int, len(specs))
	for i, sp := range specs {
		id, err := f.NewStyle(sp)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return &sheetStyles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7]}, nil
}

func (b *statsBuilder) workbook(made time.Time) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return nil, err
	}
	st, err := newSheetStyles(f)
	if err != nil {
		return nil, err
	}
	if err := b.summarySheet(f, st, b.stats(ByMonth), made); err != nil {
		return nil, err
	}
	for _, by := range Groupings {
		if err := b.groupSheet(f, st, b.stats(by)); err != nil {
			return nil, err
		}
	}
	if err := b.tripSheet(f, st); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// stream writes a new sheet row by row (excelize's stream writer: a sheet of 20,000 trips
// costs a fraction of setting each cell).
type stream struct {
	sw  *excelize.StreamWriter
	row int
}

// newStream adds the sheet with its column widths (from column 1) and frozen panes.
func newStream(f *excelize.File, name string, widths []float64, panes *excelize.Panes) (*stream, error) {
	if _, err := f.NewSheet(name); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	if panes != nil {
		if err := sw.SetPanes(panes); err != nil {
			return nil, err
		}
	}
	return &stream{sw: sw}, nil
}

// add writes the next row: each value with the style of its column (the last style for the
// columns beyond the list).
func (s *stream) add(values []any, styles ...int) error {
	s.row++
	cells := make([]any, len(values))
	for i, v := range values {
		cells[i] = excelize.Cell{StyleID: styles[min(i, len(styles)-1)], Value: v}
	}
	c, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(c, cells)
}

func (b *statsBuilder) summarySheet(f *excelize.File, st *sheetStyles, s *Stats, made time.Time) error {
	sh := SheetSummary
	f.SetColWidth(sh, "A", "A", 24)
	f.SetColWidth(sh, "B", "B", 80)
	lines := [][2]any{
		{"统计期间", s.Period},
		{"制表日期", made.Format(time.DateOnly)},
		{"汇总", s.Summary.Zh},
		{"Summary", s.Summary.En},
		{"出车批次", "一次出车（一车一驾驶员从出发到返回）计一批次；合并出行服务多个用车申请，仍计一批次。"},
		{"里程和时长", "公里和小时取GPS轨迹；里程表里程列于其旁。无轨迹的批次计入批次，不计入公里和小时。"},
		{"里程差异", fmt.Sprintf("里程表里程与GPS里程之差超过GPS里程的%s且不少于%g公里的出车标记为差异。", percent(s.Threshold.Share), s.Threshold.MinKm)},
		{"利用率", fmt.Sprintf("车辆在工作时间（工作日，节假日除外、调休上班日计入）内执行任务（出发至返回）的时长占工作时间的比例；本期工作时间每车%g小时。", s.WorkingH)},
		{"用车单位", "按用车申请人的单位统计；合并出行计入其服务的每个单位，各单位合计可能大于总数。"},
	}
	if err := f.SetCellValue(sh, "A1", "公务用车出车统计"); err != nil {
		return err
	}
	f.SetCellStyle(sh, "A1", "A1", st.title)
	for i, l := range lines {
		a, _ := excelize.CoordinatesToCellName(1, i+3)
		bb, _ := excelize.CoordinatesToCellName(2, i+3)
		f.SetCellValue(sh, a, l[0])
		f.SetCellValue(sh, bb, l[1])
		f.SetCellStyle(sh, a, bb, st.text)
	}
	return nil
}

func (b *statsBuilder) groupSheet(f *excelize.File, st *sheetStyles, s *Stats) error {
	names := groupingSheets[s.By]
	widths := []float64{18}
	for range tallyColumns {
		widths = append(widths, 12)
	}
	out, err := newStream(f, names[0], widths, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"})
	if err != nil {
		return err
	}
	if err := out.add([]any{"公务用车出车统计（" + names[0] + "）　" + s.Period}, st.title); err != nil {
		return err
	}
	if err := out.add(append([]any{names[1]}, anySlice(tallyColumns)...), st.header); err != nil {
		return err
	}
	for i := range s.Rows {
		if err := out.add(tallyValues(&s.Rows[i], s.Rows[i].Name), tallyStyles(st, false, s.Rows[i].Utilisation != nil)...); err != nil {
			return err
		}
	}
	if err := out.add(tallyValues(&s.Total, "合计"), tallyStyles(st, true, s.Total.Utilisation != nil)...); err != nil {
		return err
	}
	return out.sw.Flush()
}

// tallyValues is a row of a grouping sheet: the name, then tallyColumns.
func tallyValues(t *Tally, name string) []any {
	var util any = "—"
	if t.Utilisation != nil {
		util = *t.Utilisation
	}
	return []any{name, t.Trips, t.Merged, t.Requests, t.GPSKm, t.OdometerKm, t.DriveH, t.TaskH, t.FuelL, t.ChargeKwh,
		t.Untracked, t.Flagged, util}
}

// tallyStyles are the styles of a row of tallyValues: counts whole, figures to a tenth or a
// hundredth, the utilisation as a percentage.
func tallyStyles(st *sheetStyles, total, share bool) []int {
	name, count, number, last := st.text, st.count, st.number, st.text
	if total {
		name, count, number, last = st.total, st.totalCount, st.total, st.total
	}
	if share {
		last = st.share
	}
	return []int{name, count, count, count, number, number, number, number, number, number, count, count, last}
}

// tripColumns head the trips sheet.
var tripColumns = []string{"序号", "出发时间", "返回时间", "车牌", "驾驶员", "用车单位", "事由", "合并出行", "GPS里程（公里）",
	"行驶时长（小时）", "里程表起（公里）", "里程表止（公里）", "里程表里程（公里）", "差异（公里）", "差异率", "加油（升）", "充电（千瓦时）", "里程差异"}

func (b *statsBuilder) tripSheet(f *excelize.File, st *sheetStyles) error {
	widths := []float64{7, 17, 17, 11, 10, 22, 22, 9}
	out, err := newStream(f, SheetTrips, widths, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err != nil {
		return err
	}
	if err := out.add(anySlice(tripColumns), st.header); err != nil {
		return err
	}
	styles := []int{st.count, st.text, st.text, st.text, st.text, st.text, st.text, st.text, st.number, st.number, st.number,
		st.number, st.number, st.number, st.share, st.number, st.number, st.text}
	for i := range b.trips {
		if err := out.add(b.tripValues(i), styles...); err != nil {
			return err
		}
	}
	return out.sw.Flush()
}

// tripValues is the row of the i-th trip.
func (b *statsBuilder) tripValues(i int) []any {
	t := &b.trips[i]
	units := make([]string, len(t.Units))
	for j, u := range t.Units {
		units[j] = u.Name
	}
	var gapKm, gapShare any = "—", "—"
	if t.Discrepancy != nil {
		gapKm = t.Discrepancy.Km
		if t.Discrepancy.Share != nil {
			gapShare = *t.Discrepancy.Share
		}
	}
	return []any{i + 1, t.DepartedAt.In(b.loc).Format("2006-01-02 15:04"), t.ReturnedAt.In(b.loc).Format("2006-01-02 15:04"),
		t.Plate, t.Driver, strings.Join(units, "、"), t.Purpose, yesNo(t.Merged), orDash(t.GPSKm), orDash(t.DriveH),
		orDash(t.OdometerStartKm), orDash(t.OdometerEndKm), orDash(t.OdometerKm), gapKm, gapShare, orDash(t.FuelL),
		orDash(t.ChargeKwh), yesNo(t.Flagged)}
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func orDash(v *float64) any {
	if v == nil {
		return "—"
	}
	return *v
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return ""
}
