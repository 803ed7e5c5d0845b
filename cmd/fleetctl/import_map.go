package main

import (
	"fmt"
	"strings"
)

// sheet is an import file's cells: the header row (row 1) and the data rows below it.
type sheet struct {
	header   []string
	rows     []sheetRow
	date1904 bool // an Excel workbook counting days from 1904 (old Mac Excel)
}

// sheetRow is one data row with its row number in the file (the header is row 1).
type sheetRow struct {
	line  int
	cells []string
}

// blank reports whether every cell of the row is empty (Excel keeps formatted empty rows).
func (r sheetRow) blank() bool {
	for _, c := range r.cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// column is one field an import file may have: its English header, which is also the field name
// in the error report, and the other headers people type for it.
type column struct {
	key      string
	aliases  []string
	required bool
}

var vehicleColumns = []column{
	{"plate", []string{"车牌号", "车牌", "车牌号码", "号牌号码"}, true},
	{"class", []string{"车辆类型", "车辆类别", "用车类别", "类型"}, true},
	{"seats", []string{"座位数", "核定座位数", "座位", "核定载客"}, true},
	{"energy", []string{"能源类型", "燃料类型", "能源"}, true},
	{"terminal_phone", []string{"终端号", "终端手机号", "终端电话", "终端sim卡号", "终端号码"}, false},
	{"pooled", []string{"是否平台车辆", "平台车辆"}, false},
	{"unit", []string{"所属单位", "使用单位", "单位"}, false},
	{"status", []string{"状态", "车辆状态"}, false},
	{"insurance_expiry", []string{"保险到期", "保险到期日", "保险有效期至", "交强险到期"}, false},
	{"inspection_due", []string{"年检到期", "年检到期日", "年检有效期至", "检验有效期至"}, false},
	{"range_km", []string{"续航里程", "续航"}, false},
	{"parking", []string{"停放点", "停放地点", "停车点"}, false},
}

var driverColumns = []column{
	{"name", []string{"姓名", "驾驶员", "驾驶员姓名"}, true},
	{"phone", []string{"手机号", "手机号码", "联系电话", "电话"}, true},
	{"license_class", []string{"准驾车型", "licence_class", "驾照类型"}, true},
	{"license_expiry", []string{"驾驶证有效期", "驾驶证有效期至", "有效期至", "有效期", "licence_expiry"}, false},
	{"unit", []string{"所属单位", "单位"}, false},
	{"status", []string{"状态", "在岗状态"}, false},
}

// layout says which column of a file holds which field, and how the file spells its header.
type layout struct {
	index  map[string]int
	header map[string]string
}

// get returns the trimmed cell of field key in row r, "" when the file has no such column.
func (l *layout) get(r sheetRow, key string) string {
	i, ok := l.index[key]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// label names a field in the error report as the file's header does (车牌号), so that a clerk finds
// the column; the service's unit_id is the file's unit column.
func (l *layout) label(field string) string {
	if field == "unit_id" {
		field = "unit"
	}
	if h, ok := l.header[field]; ok {
		return h
	}
	return field
}

// mapHeader matches the header row against cols. Unknown, repeated or missing columns are an error
// for the whole file, naming them; so are cells under a column without a header.
func mapHeader(s *sheet, cols []column) (*layout, error) {
	if len(s.header) == 0 {
		return nil, fmt.Errorf("the file is empty: row 1 must name the columns")
	}
	byName := map[string]string{}
	for _, c := range cols {
		byName[headerKey(c.key)] = c.key
		for _, a := range c.aliases {
			byName[headerKey(a)] = c.key
		}
	}
	l := &layout{index: map[string]int{}, header: map[string]string{}}
	var unknown, repeated []string
	for i, h := range s.header {
		h = strings.TrimSpace(h)
		if h == "" {
			if err := emptyColumn(s, i); err != nil {
				return nil, err
			}
			continue
		}
		key, ok := byName[headerKey(h)]
		switch {
		case !ok:
			unknown = append(unknown, fmt.Sprintf("%q", h))
		case l.header[key] != "":
			repeated = append(repeated, fmt.Sprintf("%q and %q", l.header[key], h))
		default:
			l.index[key], l.header[key] = i, h
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown column(s) %s; the columns are: %s", strings.Join(unknown, ", "), describeColumns(cols))
	}
	if len(repeated) > 0 {
		return nil, fmt.Errorf("columns %s name the same field", strings.Join(repeated, ", "))
	}
	var missing []string
	for _, c := range cols {
		if _, ok := l.index[c.key]; c.required && !ok {
			missing = append(missing, c.key+" ("+c.aliases[0]+")")
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing column(s): %s", strings.Join(missing, ", "))
	}
	return l, nil
}

// emptyColumn refuses a column with data but no header, which would otherwise be dropped unseen.
func emptyColumn(s *sheet, i int) error {
	for _, r := range s.rows {
		if i < len(r.cells) && strings.TrimSpace(r.cells[i]) != "" {
			return fmt.Errorf("column %d has no header but row %d has %q in it", i+1, r.line, r.cells[i])
		}
	}
	return nil
}

// headerKey is how headers are compared: case, spaces, underscores, dashes, the asterisks that
// mark required columns in templates and a trailing note in brackets, as in 座位数（座）, do not count.
func headerKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	for _, open := range []string{"(", "（", "["} {
		if i := strings.Index(h, open); i > 0 {
			h = h[:i]
		}
	}
	return strings.NewReplacer(" ", "", "\u3000", "", "_", "", "-", "", "*", "", "＊", "").Replace(h)
}

// describeColumns lists the columns an import accepts, for the unknown-column error.
func describeColumns(cols []column) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c.key + " (" + strings.Join(c.aliases, "/") + ")"
	}
	return strings.Join(parts, ", ")
}
