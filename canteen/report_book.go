package canteen

import (
	"github.com/xuri/excelize/v2"
)

// book writes the simple tables of the monthly workbook: a title row, a header row, the rows and
// an optional total row, with frozen headers and column widths.
type book struct {
	f                          *excelize.File
	title, header, text, total int
	first                      bool
}

// col is a column of a sheet: its header and width in characters.
type col struct {
	title string
	width float64
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, first: true}
	border := []excelize.Border{{Type: "left", Color: "999999", Style: 1}, {Type: "right", Color: "999999", Style: 1},
		{Type: "top", Color: "999999", Style: 1}, {Type: "bottom", Color: "999999", Style: 1}}
	var err error
	if b.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}); err != nil {
		return nil, err
	}
	if b.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Color: []string{"E8EEF5"}, Pattern: 1},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	if b.text, err = f.NewStyle(&excelize.Style{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	if b.total, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border}); err != nil {
		return nil, err
	}
	return b, nil
}

// sheet writes one table; total may be nil.
func (b *book) sheet(name, title string, cols []col, rows [][]any, total []any) error {
	if b.first {
		if err := b.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
		b.first = false
	} else if _, err := b.f.NewSheet(name); err != nil {
		return err
	}
	if err := b.cell(name, 1, 1, title, b.title); err != nil {
		return err
	}
	for i, c := range cols {
		n, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(name, n, n, c.width); err != nil {
			return err
		}
		if err := b.cell(name, i+1, 2, c.title, b.header); err != nil {
			return err
		}
	}
	for r, row := range rows {
		for i, v := range row {
			if err := b.cell(name, i+1, r+3, v, b.text); err != nil {
				return err
			}
		}
	}
	for i, v := range total {
		if err := b.cell(name, i+1, len(rows)+3, v, b.total); err != nil {
			return err
		}
	}
	return b.f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"})
}

func (b *book) cell(sheet string, col, row int, v any, style int) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	if err := b.f.SetCellValue(sheet, ref, v); err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, ref, ref, style)
}
