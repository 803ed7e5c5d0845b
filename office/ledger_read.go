package office

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"fleet"
)

// Reading a ledger workbook: the ledger sheet (by name, else the first sheet) and the buildings
// sheet when there is one. Columns are found by their header text, so a unit's own ledger with
// the columns in another order, or some missing, still reads; merged cells count on every row
// they cover.

// fileLine is one row of a ledger sheet.
type fileLine struct {
	line       int
	building   string
	address    string
	floor      int
	number     string
	areaM2     float64
	use        string
	unit       string
	name       string
	username   string
	rank       string
	post       string
	concurrent bool
	note       string
}

// fileBuilding is one row of a buildings sheet.
type fileBuilding struct {
	line int
	in   BuildingInput
}

// ledgerFile is a ledger workbook as read, with the problems of its rows.
type ledgerFile struct {
	sheet     string // the ledger sheet's name
	lines     []fileLine
	buildings []fileBuilding
	errors    []RowError
	bad       map[string]map[int]bool // sheet → lines with a problem
}

func (f *ledgerFile) fail(sheet string, line int, field, reason string) {
	f.errors = append(f.errors, RowError{Sheet: sheet, Line: line, Field: field, Reason: reason})
	if f.bad[sheet] == nil {
		f.bad[sheet] = map[int]bool{}
	}
	f.bad[sheet][line] = true
}

// headerAliases are other header texts of a column found in units' own ledgers.
var headerAliases = map[string][]string{
	colBuilding: {"建筑名称", "楼宇名称", "办公楼"},
	colAddress:  {"坐落", "地址"},
	colFloor:    {"所在楼层", "楼层"},
	colNumber:   {"房间号", "房号", "房间编号"},
	colArea:     {"使用面积", "面积（m²）", "面积(m²)", "面积"},
	colUse:      {"用途", "房屋用途", "使用功能"},
	colUnit:     {"使用单位", "单位"},
	colName:     {"使用人", "姓名"},
	colUsername: {"账号", "用户名"},
	colRank:     {"职级", "级别"},
	colPost:     {"职务"},
	colNote:     {"备注"},
}

// maxLedgerRows bounds a ledger workbook.
const maxLedgerRows = 20000

// ledgerUnzipLimit bounds a ledger workbook unpacked (20,000 rows take about 10 MiB). A ZIP bomb
// is refused from its directory, before anything is unpacked; and with the per-part limit equal
// to it, excelize unpacks nothing to temporary files (which it leaves behind when opening fails).
const ledgerUnzipLimit = 64 << 20

func readLedger(r io.Reader) (*ledgerFile, error) {
	x, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: ledgerUnzipLimit, UnzipXMLSizeLimit: ledgerUnzipLimit})
	if err != nil {
		return nil, fleet.Invalid(map[string]string{"file": "not a readable XLSX workbook (or larger than 64 MiB unpacked)"})
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, fleet.Invalid(map[string]string{"file": "the workbook has no sheet"})
	}
	ledger := sheets[0]
	hasBuildings := false
	for _, sh := range sheets {
		switch sh {
		case SheetLedger:
			ledger = sh
		case SheetBuildings:
			hasBuildings = true
		}
	}
	out := &ledgerFile{sheet: ledger, bad: map[string]map[int]bool{}}
	grid, err := sheetGrid(x, ledger)
	if err != nil {
		return nil, err
	}
	if err := out.readLines(ledger, grid); err != nil {
		return nil, err
	}
	if hasBuildings {
		grid, err := sheetGrid(x, SheetBuildings)
		if err != nil {
			return nil, err
		}
		out.readBuildings(grid)
	}
	return out, nil
}

// sheetGrid reads a sheet's raw values, each merged range's value copied to all its cells.
func sheetGrid(x *excelize.File, sheet string) ([][]string, error) {
	rows, err := x.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fleet.Invalid(map[string]string{"file": "unreadable sheet " + sheet})
	}
	if len(rows) > maxLedgerRows {
		return nil, fleet.Invalid(map[string]string{"file": fmt.Sprintf("more than %d rows", maxLedgerRows)})
	}
	merges, err := x.GetMergeCells(sheet, true)
	if err != nil {
		return nil, fleet.Invalid(map[string]string{"file": "unreadable sheet " + sheet})
	}
	at := func(r, c int) string {
		if r < len(rows) && c < len(rows[r]) {
			return rows[r][c]
		}
		return ""
	}
	for _, m := range merges {
		c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
		if err1 != nil || err2 != nil || r2 > len(rows) || c2 > 200 {
			continue
		}
		v := at(r1-1, c1-1)
		for r := r1 - 1; r < r2; r++ {
			for len(rows[r]) < c2 {
				rows[r] = append(rows[r], "")
			}
			for c := c1 - 1; c < c2; c++ {
				rows[r][c] = v
			}
		}
	}
	return rows, nil
}

// findHeader returns the row holding all of the wanted header texts, and the columns of every
// known key found in it.
func findHeader(grid [][]string, must string, titles map[string][]string) (int, map[string]int) {
	for i, row := range grid {
		found := false
		for _, c := range row {
			if strings.TrimSpace(c) == must {
				found = true
			}
		}
		if !found {
			continue
		}
		cols := map[string]int{}
		for j, c := range row {
			c = strings.TrimSpace(c)
			for key, names := range titles {
				if _, done := cols[key]; done {
					continue
				}
				for _, n := range names {
					if c == n {
						cols[key] = j
					}
				}
			}
		}
		return i, cols
	}
	return -1, nil
}

func (f *ledgerFile) readLines(sheet string, grid [][]string) error {
	titles := map[string][]string{}
	for _, c := range ledgerColumns {
		titles[c.key] = append([]string{c.title}, headerAliases[c.key]...)
	}
	head, cols := findHeader(grid, "房间号", titles)
	if head < 0 {
		head, cols = findHeader(grid, "房号", titles)
	}
	if head < 0 {
		return fleet.Invalid(map[string]string{"file": "no header row with 房间号 in sheet " + sheet})
	}
	var missing []string
	for _, k := range []string{colBuilding, colNumber, colArea, colUse} {
		if _, ok := cols[k]; !ok {
			missing = append(missing, titles[k][0])
		}
	}
	if len(missing) > 0 {
		return fleet.Invalid(map[string]string{"file": "the ledger sheet lacks the columns " + strings.Join(missing, "、")})
	}
	for i := head + 1; i < len(grid); i++ {
		row := grid[i]
		get := func(key string) string {
			if j, ok := cols[key]; ok && j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		if isTotals(row) {
			break
		}
		if blank(row) {
			continue
		}
		n := i + 1
		l := fileLine{line: n, building: get(colBuilding), address: get(colAddress), number: get(colNumber), unit: get(colUnit),
			name: get(colName), username: get(colUsername), rank: get(colRank), post: get(colPost), note: get(colNote)}
		if l.building == "" {
			f.fail(sheet, n, colBuilding, "required")
		}
		if l.number == "" {
			f.fail(sheet, n, colNumber, "required")
		}
		if v := get(colFloor); v != "" {
			fl, err := strconv.ParseFloat(v, 64)
			if err != nil || fl != math.Trunc(fl) || fl == 0 || fl < -10 || fl > 200 {
				f.fail(sheet, n, colFloor, "must be a floor number: 1 to 200, or -1 to -10 below ground")
			} else {
				l.floor = int(fl)
			}
		} else {
			f.fail(sheet, n, colFloor, "required")
		}
		if a, err := strconv.ParseFloat(get(colArea), 64); err != nil || math.IsNaN(a) {
			f.fail(sheet, n, colArea, "must be a number of m²")
		} else if a = round2(a); a <= 0 || a > maxAreaM2 {
			f.fail(sheet, n, colArea, "must be more than 0 m²")
		} else {
			l.areaM2 = a
		}
		if l.use = useCode(get(colUse)); l.use == "" {
			f.fail(sheet, n, colUse, useProblem(get(colUse)))
		}
		switch strings.ToLower(get(colConcurrent)) {
		case "", "否", "false", "0", "no":
		case "是", "true", "1", "yes", "兼职":
			l.concurrent = true
		default:
			f.fail(sheet, n, colConcurrent, "must be 是 or empty")
		}
		if (l.name != "" || l.username != "") && l.unit == "" {
			f.fail(sheet, n, colUnit, "required with a person")
		}
		f.lines = append(f.lines, l)
	}
	return nil
}

func (f *ledgerFile) readBuildings(grid [][]string) {
	titles := map[string][]string{"name": {"建筑物名称", "建筑名称"}, "address": {"地址"}, "floors": {"层数"},
		"total": {"建筑面积（m²）", "建筑面积"}, "usable": {"使用面积（m²）", "使用面积"}, "ownership": {"产权"}, "note": {"备注"}}
	head, cols := findHeader(grid, "建筑物名称", titles)
	if head < 0 {
		return
	}
	for i := head + 1; i < len(grid); i++ {
		row := grid[i]
		if isTotals(row) {
			break
		}
		if blank(row) {
			continue
		}
		get := func(key string) string {
			if j, ok := cols[key]; ok && j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		n := i + 1
		b := fileBuilding{line: n, in: BuildingInput{Name: get("name"), Address: get("address"), Note: get("note"), Reason: "导入台账"}}
		num := func(key string, dst *float64) {
			if v := get(key); v != "" {
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					f.fail(SheetBuildings, n, key, "must be a number")
					return
				}
				*dst = x
			}
		}
		var floors float64
		num("floors", &floors)
		b.in.Floors = int(floors)
		num("total", &b.in.TotalAreaM2)
		num("usable", &b.in.UsableAreaM2)
		own := get("ownership")
		for code, name := range ownerships {
			if own == name || own == code {
				b.in.Ownership = code
			}
		}
		if own != "" && b.in.Ownership == "" {
			f.fail(SheetBuildings, n, "ownership", "must be 自有, 租用, 借用 or 其他")
		}
		f.buildings = append(f.buildings, b)
	}
}

func useCode(v string) string {
	switch strings.TrimSpace(v) {
	case UseOffice, "办公室用房", "办公室", "办公用房":
		return UseOffice
	case UseService, "服务用房", "公共服务用房":
		return UseService
	case UseEquipment, "设备用房":
		return UseEquipment
	case UseAncillary, "附属用房":
		return UseAncillary
	}
	return ""
}

// useProblem explains a use the ledger does not know; vacancy is told apart, since units' own
// ledgers often write 空置 in the use column.
func useProblem(v string) string {
	switch v {
	case "空置", "vacant":
		return v + " is a state, not a use: give the room's use (办公室用房, 服务用房, 设备用房 or 附属用房) and leave 使用单位 empty for a vacant room"
	}
	return "must be 办公室用房, 服务用房, 设备用房 or 附属用房 (or office, service, equipment, ancillary)"
}

func isTotals(row []string) bool {
	for _, c := range row {
		if c = strings.TrimSpace(c); c != "" {
			return c == "合计" || c == "总计"
		}
	}
	return false
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
