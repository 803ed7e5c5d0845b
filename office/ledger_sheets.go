package office

import (
	"sort"

	"github.com/xuri/excelize/v2"
)

// The ledger workbook's other sheets: the buildings, the units' figures, the over-standard cases.

// buildingColumns are the buildings sheet's columns.
var buildingColumns = []struct {
	title string
	width float64
}{
	{"序号", 6}, {"建筑物名称", 18}, {"地址", 26}, {"层数", 6}, {"建筑面积（m²）", 12}, {"使用面积（m²）", 12}, {"产权", 8},
	{"房间数", 8}, {"房间使用面积（m²）", 14}, {"备注", 20},
}

func (w *ledgerBook) buildingSheet(rows []buildingRow, stats map[int64]buildingStat) error {
	sh := SheetBuildings
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	last := len(buildingColumns)
	if err := w.heading(sh, "办公用房建筑物情况", last); err != nil {
		return err
	}
	for i, c := range buildingColumns {
		n, _ := excelize.ColumnNumberToName(i + 1)
		w.f.SetColWidth(sh, n, n, c.width)
		if err := w.set(sh, i+1, 3, c.title, w.st.header); err != nil {
			return err
		}
	}
	row := 4
	var total, usable, roomDm2 int64
	var rooms int
	for i, b := range rows {
		st := stats[b.ID]
		total, usable, rooms, roomDm2 = total+b.TotalAreaDm2, usable+b.UsableAreaDm2, rooms+st.rooms, roomDm2+st.dm2
		vals := []any{i + 1, b.Name, b.Address, b.Floors, toM2(b.TotalAreaDm2), toM2(b.UsableAreaDm2), ownerships[b.Ownership], st.rooms, toM2(st.dm2), b.Note}
		for j, v := range vals {
			style := w.st.text
			switch j {
			case 4, 5, 8:
				style = w.st.area
			case 0, 3, 7:
				style = w.st.number
			}
			if err := w.set(sh, j+1, row, v, style); err != nil {
				return err
			}
		}
		row++
	}
	vals := []any{"合计", "", "", "", toM2(total), toM2(usable), "", rooms, toM2(roomDm2), ""}
	for j, v := range vals {
		style := w.st.total
		if _, ok := v.(float64); ok {
			style = w.st.totalArea
		}
		if err := w.set(sh, j+1, row, v, style); err != nil {
			return err
		}
	}
	return nil
}

func (w *ledgerBook) unitSheet(fig *figures, unit int64) error {
	sh := SheetUnits
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	heads := []string{"序号", "单位", "人数", "办公室核定面积（m²）", "办公室实际面积（m²）", "超标面积（m²）", "闲置办公室（m²）",
		"服务用房核定（m²）", "服务用房实际（m²）", "设备用房核定（m²）", "设备用房实际（m²）", "附属用房（m²）", "合计（m²）", "超标人数"}
	if err := w.heading(sh, "各单位办公用房使用与核定情况", len(heads)); err != nil {
		return err
	}
	for i, h := range heads {
		n, _ := excelize.ColumnNumberToName(i + 1)
		w.f.SetColWidth(sh, n, n, 12)
		if err := w.set(sh, i+1, 3, h, w.st.header); err != nil {
			return err
		}
	}
	w.f.SetColWidth(sh, "B", "B", 18)
	var units []*UnitOccupancy
	for id, u := range fig.units {
		if unit == 0 || id == unit {
			units = append(units, u)
		}
	}
	sort.Slice(units, func(i, j int) bool { return units[i].UnitName < units[j].UnitName })
	row := 4
	for i, u := range units {
		vals := []any{i + 1, u.UnitName, u.People, u.StandardM2, u.ActualM2, u.ExcessM2, u.IdleM2, u.ServiceAllowanceM2, u.ServiceM2,
			u.EquipmentAllowanceM2, u.EquipmentM2, u.AncillaryM2, u.TotalM2, u.OverPeople}
		for j, v := range vals {
			style := w.st.area
			switch j {
			case 0, 2, 13:
				style = w.st.number
			case 1:
				style = w.st.text
			}
			if err := w.set(sh, j+1, row, v, style); err != nil {
				return err
			}
		}
		row++
	}
	return nil
}

func (w *ledgerBook) overSheet(fig *figures, unit int64) error {
	sh := SheetOver
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	heads := []string{"序号", "单位", "姓名", "职级", "使用房间", "核定标准（m²）", "实际使用（m²）", "超标面积（m²）", "兼职办公室（m²）"}
	if err := w.heading(sh, "超标准使用办公用房情况", len(heads)); err != nil {
		return err
	}
	for i, h := range heads {
		n, _ := excelize.ColumnNumberToName(i + 1)
		w.f.SetColWidth(sh, n, n, 14)
		if err := w.set(sh, i+1, 3, h, w.st.header); err != nil {
			return err
		}
	}
	var over []*PersonFigure
	for _, p := range fig.persons {
		if p.Over && (unit == 0 || p.UnitID == unit) {
			over = append(over, p)
		}
	}
	sort.Slice(over, func(i, j int) bool {
		if over[i].ExcessM2 != over[j].ExcessM2 {
			return over[i].ExcessM2 > over[j].ExcessM2
		}
		return over[i].UserID < over[j].UserID
	})
	row := 4
	for i, p := range over {
		rooms := ""
		for k, r := range p.Rooms {
			if k > 0 {
				rooms += "、"
			}
			rooms += r.Room
		}
		vals := []any{i + 1, p.UnitName, p.Name, p.RankName, rooms, p.StandardM2, p.ActualM2, p.ExcessM2, p.ConcurrentM2}
		for j, v := range vals {
			style := w.st.area
			switch j {
			case 0:
				style = w.st.number
			case 1, 2, 3, 4:
				style = w.st.text
			}
			if err := w.set(sh, j+1, row, v, style); err != nil {
				return err
			}
		}
		row++
	}
	return nil
}
