package main

import (
	"errors"
	"io"

	"github.com/xuri/excelize/v2"
)

// readXLSX reads the first sheet of an Excel workbook. Cells are read raw, without their number
// format: a date cell gives its serial day number (see parseDate), a phone number its digits
// rather than 1.39E+10.
func readXLSX(r io.Reader) (*sheet, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) == 0 {
		return nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.GetRows(names[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	s := &sheet{}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	for i, cells := range rows {
		if i == 0 {
			s.header = cells
			continue
		}
		s.rows = append(s.rows, sheetRow{line: i + 1, cells: cells})
	}
	return s, nil
}
