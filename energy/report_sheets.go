package energy

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// monthSheet writes the report sheet in the layout of the upward report: title, period, the
// completeness line, two header rows (groups over the columns), one row per unit, the total, the
// notes and the signature line.
func (w *book) monthSheet(r *MonthReport, today string) error {
	sh := SheetMonth
	cols := 2 + len(monthColumns)
	loc, _ := time.LoadLocation(r.TimeZone)
	if loc == nil {
		loc = time.UTC
	}
	month := monthName(r.From.In(loc))
	if err := w.title(sh, "公共机构能源资源消费统计月报表", cols, 1); err != nil {
		return err
	}
	check := "完整：每块在用计量表均有月初、月末读数"
	if !r.Completeness.Complete {
		check = fmt.Sprintf("不完整：%d 块计量表缺少读数（见“%s”表）", len(r.Completeness.Missing), SheetCompleteness)
	}
	if r.Completeness.Flagged > 0 {
		check += fmt.Sprintf("；%d 条读数待审核，未计入", r.Completeness.Flagged)
	}
	lines := []string{
		fmt.Sprintf("统计期：%s（%s 至 %s，%s）", month, r.From.In(loc).Format("2006-01-02 15:04"), r.To.In(loc).Format("2006-01-02 15:04"), r.TimeZone),
		"读数完整性：" + check,
	}
	for i, l := range lines {
		if err := w.f.MergeCell(sh, cell(1, 2+i), cell(cols, 2+i)); err != nil {
			return err
		}
		if err := w.set(sh, 1, 2+i, l, "plain"); err != nil {
			return err
		}
	}
	if err := w.monthHeader(sh, 4); err != nil {
		return err
	}
	row := 6
	for i := range r.Units {
		if err := w.unitRow(sh, row, fmt.Sprint(i+1), &r.Units[i], "n"); err != nil {
			return err
		}
		row++
	}
	if err := w.unitRow(sh, row, "", &r.County, "b"); err != nil {
		return err
	}
	if err := w.f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 5, TopLeftCell: "C6", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	return w.notes(sh, r, row+2, cols, today)
}

func (w *book) monthHeader(sh string, row int) error {
	heads := []string{"序号", "单位名称"}
	for i, h := range heads {
		if err := w.f.MergeCell(sh, cell(i+1, row), cell(i+1, row+1)); err != nil {
			return err
		}
		if err := w.set(sh, i+1, row, h, "header"); err != nil {
			return err
		}
		if err := w.set(sh, i+1, row+1, "", "header"); err != nil {
			return err
		}
	}
	if err := w.f.SetColWidth(sh, "A", "A", 6); err != nil {
		return err
	}
	if err := w.f.SetColWidth(sh, "B", "B", 26); err != nil {
		return err
	}
	for i := 0; i < len(monthColumns); {
		c := monthColumns[i]
		j := i
		for j+1 < len(monthColumns) && c.group != "" && monthColumns[j+1].group == c.group {
			j++
		}
		first, last := 3+i, 3+j
		if c.group == "" {
			if err := w.f.MergeCell(sh, cell(first, row), cell(first, row+1)); err != nil {
				return err
			}
			if err := w.set(sh, first, row, c.name, "header"); err != nil {
				return err
			}
			if err := w.set(sh, first, row+1, "", "header"); err != nil {
				return err
			}
		} else {
			if err := w.f.MergeCell(sh, cell(first, row), cell(last, row)); err != nil {
				return err
			}
			for k := i; k <= j; k++ {
				if err := w.set(sh, 3+k, row, c.group, "header"); err != nil {
					return err
				}
				if err := w.set(sh, 3+k, row+1, monthColumns[k].name, "header"); err != nil {
					return err
				}
			}
		}
		for k := first; k <= last; k++ {
			name, _ := excelize.ColumnNumberToName(k)
			if err := w.f.SetColWidth(sh, name, name, 13); err != nil {
				return err
			}
		}
		i = j + 1
	}
	return w.f.SetRowHeight(sh, row+1, 42)
}

func (w *book) unitRow(sh string, row int, seq string, u *UnitFigure, style string) error {
	name := u.UnitName
	if seq == "" {
		name = "合计"
	}
	if err := w.set(sh, 1, row, seq, style+"@"); err != nil {
		return err
	}
	if err := w.set(sh, 2, row, name, style+"@"); err != nil {
		return err
	}
	for i, c := range monthColumns {
		v := c.value(u)
		format := c.format
		if _, text := v.(string); text {
			format = "@"
		}
		if err := w.set(sh, 3+i, row, v, style+format); err != nil {
			return err
		}
	}
	return nil
}

// notes writes how the figures were made and the signature line under the table.
func (w *book) notes(sh string, r *MonthReport, row, cols int, today string) error {
	var coef []string
	for _, c := range r.Coefficients {
		coef = append(coef, fmt.Sprintf("%s %g %s", kindNames[c.Kind], c.Value, c.UOM))
	}
	notes := []string{
		"说明：1. 综合能耗按折标准煤系数（当量值）折算：" + strings.Join(coef, "，") + "；来源见“" + SheetCoefficients + "”表。水、光伏发电量不计入综合能耗。",
		fmt.Sprintf("2. 月用量为计量表月初与月末读数之差（乘倍率），读数不在月界时按前后两次读数的时间比例线性插值；待审核读数不计入。公务用车按出车回场登记的加油量（汽油 %g kg/L、柴油 %g kg/L 折算）和充电量计入车辆所属单位，平台车辆计入机关事务管理中心。",
			r.Densities.Gasoline, r.Densities.Diesel),
		"3. 人均综合能耗含公务用车能耗；单位建筑面积能耗不含公务用车能耗。",
		fmt.Sprintf("单位负责人：            统计负责人：            填表人：            联系电话：            报出日期：%s", today),
	}
	for i, n := range notes {
		if err := w.f.MergeCell(sh, cell(1, row+i), cell(cols, row+i)); err != nil {
			return err
		}
		if err := w.set(sh, 1, row+i, n, "plain"); err != nil {
			return err
		}
		if err := w.f.SetRowHeight(sh, row+i, 30); err != nil {
			return err
		}
	}
	return nil
}

func (w *book) coefficientSheet(r *MonthReport) error {
	sh := SheetCoefficients
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	var rows [][]any
	for _, c := range r.Coefficients {
		rows = append(rows, []any{kindNames[c.Kind], "折标准煤系数", c.Value, c.UOM, c.Source})
	}
	for _, k := range Kinds {
		if f, ok := r.CO2Factors[k]; ok {
			rows = append(rows, []any{kindNames[k], "二氧化碳排放因子", f, "kgCO2/" + BaseUOM[k], "见“二氧化碳排放因子”设置"})
		}
	}
	rows = append(rows, []any{"汽油", "密度", r.Densities.Gasoline, "kg/L", "能耗设置"}, []any{"柴油", "密度", r.Densities.Diesel, "kg/L", "能耗设置"})
	if err := w.title(sh, "折标准煤系数、排放因子和密度", 5, 1); err != nil {
		return err
	}
	return w.table(sh, 3, []string{"能源品种", "系数", "数值", "单位", "来源"}, []float64{12, 18, 12, 14, 90},
		[]string{"", "", "0.0000", "", ""}, rows)
}

func (w *book) completenessSheet(r *MonthReport) error {
	sh := SheetCompleteness
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	loc, _ := time.LoadLocation(r.TimeZone)
	if loc == nil {
		loc = time.UTC
	}
	sides := map[string]string{MissingStart: "月初读数", MissingEnd: "月末读数", MissingBoth: "月初和月末读数"}
	var rows [][]any
	for _, m := range r.Completeness.Missing {
		rows = append(rows, []any{m.UnitName, m.MeterName, kindNames[m.Kind], m.BuildingName, sides[m.Side], at(m.LastAt, loc), m.Flagged})
	}
	head := fmt.Sprintf("抄表完整性：在用计量表 %d 块，缺读数 %d 块，待审核读数 %d 条", r.Completeness.Meters, len(r.Completeness.Missing), r.Completeness.Flagged)
	if err := w.title(sh, head, 7, 1); err != nil {
		return err
	}
	return w.table(sh, 3, []string{"单位", "计量表", "种类", "楼宇", "缺少", "最近读数", "待审核读数"}, []float64{22, 22, 10, 18, 16, 18, 12},
		[]string{"", "", "", "", "", "", "0"}, rows)
}

func (w *book) vehicleSheet(r *MonthReport) error {
	sh := SheetVehicles
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	var rows [][]any
	for _, v := range r.Vehicles {
		rows = append(rows, []any{v.Plate, v.UnitName, vehicleEnergies[v.Energy], v.Trips, v.FuelL, v.FuelKg, v.ChargeKwh, v.TCE})
	}
	if err := w.title(sh, "公务用车加油、充电（按回场登记）", 8, 1); err != nil {
		return err
	}
	return w.table(sh, 3, []string{"车牌", "计入单位", "能源类型", "出车次数", "加油（L）", "折合（kg）", "充电（kWh）", "折标准煤（tce）"},
		[]float64{14, 22, 14, 10, 12, 12, 12, 14}, []string{"", "", "", "0", "0.00", "0.000", "0.00", "0.0000"}, rows)
}

func (w *book) buildingSheet(r *MonthReport) error {
	sh := SheetBuildings
	if _, err := w.f.NewSheet(sh); err != nil {
		return err
	}
	var rows [][]any
	for _, b := range r.Buildings {
		per := any("—")
		if b.PerM2Kgce != nil {
			per = *b.PerM2Kgce
		}
		rows = append(rows, []any{b.Name, b.AreaM2, b.TCE, per})
	}
	if err := w.title(sh, "楼宇能耗（楼宇计量表，不含公务用车）", 4, 1); err != nil {
		return err
	}
	return w.table(sh, 3, []string{"楼宇", "建筑面积（m²）", "综合能耗（tce）", "单位建筑面积能耗（kgce/m²）"}, []float64{24, 16, 16, 24},
		[]string{"", "0.00", "0.0000", "0.000"}, rows)
}
