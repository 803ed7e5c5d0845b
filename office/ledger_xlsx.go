package office

import (
	"bytes"
	"context"
	"fmt"

	"github.com/xuri/excelize/v2"

	"fleet/auth"
)

// LedgerQuery narrows the ledger workbook to a unit (0: the whole county).
type LedgerQuery struct {
	UnitID int64
}

// LedgerXLSX is the ledger as a workbook for reporting upward, and its file name: the ledger
// sheet (title, scope and date, two header rows, one row per room and occupant, totals), the
// buildings, the units' occupancy against their standards and the over-standard cases. Leaders
// get their own unit's. ImportLedger reads the first two sheets back.
func (s *Service) LedgerXLSX(ctx context.Context, a *auth.Actor, q LedgerQuery) ([]byte, string, error) {
	if err := a.Require(auth.PermOfficeRead); err != nil {
		return nil, "", err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, "", err
	}
	db := s.read(ctx)
	scope := "全县"
	if unit != 0 {
		if scope, err = unitName(db, unit); err != nil {
			return nil, "", err
		}
	}
	f, err := s.facts(db)
	if err != nil {
		return nil, "", err
	}
	rows, err := allBuildings(db)
	if err != nil {
		return nil, "", err
	}
	buildings := make(map[int64]*buildingRow, len(rows))
	for i := range rows {
		buildings[rows[i].ID] = &rows[i]
	}
	fig := compute(f)
	rooms := ledgerLines(f, fig, buildings, unit)
	if unit != 0 {
		kept := rows[:0]
		for _, b := range rows {
			for _, r := range rooms {
				if r.room.BuildingID == b.ID {
					kept = append(kept, b)
					break
				}
			}
		}
		rows = kept
	}
	stats := map[int64]buildingStat{}
	for _, r := range rooms {
		st := stats[r.room.BuildingID]
		st.rooms++
		st.dm2 += r.room.AreaDm2
		stats[r.room.BuildingID] = st
	}
	now := s.now()
	w := &ledgerBook{f: excelize.NewFile(), scope: scope, date: s.today(now)}
	defer w.f.Close()
	if err := w.write(rooms, rows, stats, fig, unit); err != nil {
		return nil, "", fmt.Errorf("office: ledger workbook: %w", err)
	}
	var buf bytes.Buffer
	if err := w.f.Write(&buf); err != nil {
		return nil, "", fmt.Errorf("office: ledger workbook: %w", err)
	}
	return buf.Bytes(), fmt.Sprintf("%s_%s_%s.xlsx", SheetLedger, scope, now.In(s.opt.Location).Format("20060102")), nil
}

type ledgerBook struct {
	f           *excelize.File
	scope, date string
	st          struct{ title, header, text, area, number, total, totalArea, right int }
}

func (w *ledgerBook) write(rooms []ledgerRoom, buildings []buildingRow, stats map[int64]buildingStat, fig *figures, unit int64) error {
	if err := w.f.SetSheetName("Sheet1", SheetLedger); err != nil {
		return err
	}
	if err := w.styles(); err != nil {
		return err
	}
	if err := w.ledgerSheet(rooms); err != nil {
		return err
	}
	if err := w.buildingSheet(buildings, stats); err != nil {
		return err
	}
	if err := w.unitSheet(fig, unit); err != nil {
		return err
	}
	return w.overSheet(fig, unit)
}

func (w *ledgerBook) styles() error {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	area := "0.00"
	middle := &excelize.Alignment{Vertical: "center", WrapText: true}
	specs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Bold: true}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		{Border: border, Alignment: middle},
		{Border: border, CustomNumFmt: &area, Alignment: middle},
		{Border: border, NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Bold: true}, Border: border, Alignment: middle},
		{Font: &excelize.Font{Bold: true}, Border: border, CustomNumFmt: &area},
		{Alignment: &excelize.Alignment{Horizontal: "right"}},
	}
	ids := make([]int, len(specs))
	for i, sp := range specs {
		id, err := w.f.NewStyle(sp)
		if err != nil {
			return err
		}
		ids[i] = id
	}
	w.st.title, w.st.header, w.st.text, w.st.area, w.st.number, w.st.total, w.st.totalArea, w.st.right =
		ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7]
	return nil
}

// cell names a cell by 1-based column and row.
func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (w *ledgerBook) set(sh string, col, row int, v any, style int) error {
	if err := w.f.SetCellValue(sh, cell(col, row), v); err != nil {
		return err
	}
	return w.f.SetCellStyle(sh, cell(col, row), cell(col, row), style)
}

// heading writes the title (row 1) and the scope and date (row 2) over last columns.
func (w *ledgerBook) heading(sh, title string, last int) error {
	if err := w.f.MergeCell(sh, cell(1, 1), cell(last, 1)); err != nil {
		return err
	}
	if err := w.set(sh, 1, 1, title, w.st.title); err != nil {
		return err
	}
	w.f.SetRowHeight(sh, 1, 30)
	half := last / 2
	w.f.MergeCell(sh, cell(1, 2), cell(half, 2))
	w.f.SetCellValue(sh, cell(1, 2), "统计范围："+w.scope)
	w.f.MergeCell(sh, cell(half+1, 2), cell(last, 2))
	w.f.SetCellValue(sh, cell(half+1, 2), "制表日期："+w.date)
	return w.f.SetCellStyle(sh, cell(half+1, 2), cell(half+1, 2), w.st.right)
}

// ledgerSheet writes the ledger: rows 3 and 4 the header (groups over columns), from row 5 one
// row per line, the room's columns merged over its lines, then the totals.
func (w *ledgerBook) ledgerSheet(rooms []ledgerRoom) error {
	sh := SheetLedger
	last := len(ledgerColumns)
	if err := w.heading(sh, SheetLedger, last); err != nil {
		return err
	}
	for i := 0; i < last; {
		c := ledgerColumns[i]
		col := i + 1
		name, _ := excelize.ColumnNumberToName(col)
		w.f.SetColWidth(sh, name, name, c.width)
		if c.group == "" {
			w.f.MergeCell(sh, cell(col, 3), cell(col, 4))
			if err := w.set(sh, col, 3, c.title, w.st.header); err != nil {
				return err
			}
			w.f.SetCellStyle(sh, cell(col, 4), cell(col, 4), w.st.header)
			i++
			continue
		}
		j := i
		for j < last && ledgerColumns[j].group == c.group {
			cj := ledgerColumns[j]
			n, _ := excelize.ColumnNumberToName(j + 1)
			w.f.SetColWidth(sh, n, n, cj.width)
			if err := w.set(sh, j+1, 4, cj.title, w.st.header); err != nil {
				return err
			}
			j++
		}
		w.f.MergeCell(sh, cell(col, 3), cell(j, 3))
		if err := w.set(sh, col, 3, c.group, w.st.header); err != nil {
			return err
		}
		w.f.SetCellStyle(sh, cell(col, 3), cell(j, 3), w.st.header)
		i = j
	}
	w.f.SetRowHeight(sh, 4, 30)
	row := 5
	var areaDm2 int64
	var people int
	var share, std, excess float64
	for n, lr := range rooms {
		first := row
		r, b := lr.room, lr.lines[0].building
		areaDm2 += r.AreaDm2
		for _, l := range lr.lines {
			vals := map[string]any{colSeq: n + 1, colBuilding: b.Name, colAddress: b.Address, colFloor: r.Floor, colNumber: r.Number,
				colArea: toM2(r.AreaDm2), colUse: useNames[r.Use], colUnit: l.unit, colNote: l.note}
			if l.person != nil {
				people++
				share += l.shareM2
				vals[colName], vals[colUsername], vals[colRank], vals[colPost] = l.person.Name, l.person.Username, l.rankName, l.post
				vals[colShare] = l.shareM2
				if l.concurrent {
					vals[colConcurrent] = "是"
				}
				if l.stdM2 != nil {
					vals[colStandard], vals[colExcess] = *l.stdM2, *l.excessM2
					std += *l.stdM2
					excess += *l.excessM2
				}
			}
			for i, c := range ledgerColumns {
				style := w.st.text
				switch c.key {
				case colArea, colShare, colStandard, colExcess:
					style = w.st.area
				case colSeq, colFloor:
					style = w.st.number
				}
				v, ok := vals[c.key]
				if !ok {
					v = ""
				}
				if err := w.set(sh, i+1, row, v, style); err != nil {
					return err
				}
			}
			row++
		}
		if row-first > 1 {
			// The room's columns once, over its lines.
			for i, c := range ledgerColumns {
				switch c.key {
				case colSeq, colBuilding, colAddress, colFloor, colNumber, colArea, colUse:
					if err := w.f.MergeCell(sh, cell(i+1, first), cell(i+1, row-1)); err != nil {
						return err
					}
				}
			}
		}
	}
	totals := map[string]any{colSeq: "合计", colNumber: fmt.Sprintf("%d 间", len(rooms)), colArea: toM2(areaDm2),
		colName: fmt.Sprintf("%d 人", people), colShare: round2(share), colStandard: round2(std), colExcess: round2(excess)}
	for i, c := range ledgerColumns {
		style := w.st.total
		if _, ok := totals[c.key].(float64); ok {
			style = w.st.totalArea
		}
		v, ok := totals[c.key]
		if !ok {
			v = ""
		}
		if err := w.set(sh, i+1, row, v, style); err != nil {
			return err
		}
	}
	w.f.MergeCell(sh, cell(1, row), cell(3, row))
	return w.f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
}
