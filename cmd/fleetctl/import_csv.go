package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// readCSV reads a CSV file: UTF-8 with or without a byte-order mark, or GBK as the Chinese editions
// of Excel save "CSV (逗号分隔)". Commas separate fields; a header line with tabs or semicolons and
// no comma switches to that separator.
func readCSV(r io.Reader) (*sheet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	data, err = decodeText(data)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // rows may be short: Excel leaves off empty trailing cells
	cr.LazyQuotes = true
	cr.Comma = separator(data)
	s := &sheet{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		// The record's line in the file is its row number, as an editor or Excel shows it (the csv
		// reader skips blank lines, so counting records would not be).
		line, _ := cr.FieldPos(0)
		if s.header == nil {
			s.header = rec
			continue
		}
		s.rows = append(s.rows, sheetRow{line: line, cells: rec})
	}
	return s, nil
}

// utf8BOM starts the UTF-8 files of Excel's "CSV UTF-8" and of Windows Notepad.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText returns data as UTF-8 without a byte-order mark. Text that is not valid UTF-8 is taken
// for GBK, the encoding of Chinese Windows (a GBK file is almost never valid UTF-8 by chance).
func decodeText(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, utf8BOM) {
		data = data[len(utf8BOM):]
	}
	if utf8.Valid(data) {
		return data, nil
	}
	out, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("the file is neither UTF-8 nor GBK text: %w", err)
	}
	return out, nil
}

// separator picks the field separator from the header line.
func separator(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	if bytes.IndexByte(line, ',') < 0 {
		if bytes.IndexByte(line, '\t') >= 0 {
			return '\t'
		}
		if bytes.IndexByte(line, ';') >= 0 {
			return ';'
		}
	}
	return ','
}
