package main

import (
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// table prints rows in aligned columns. Widths are display widths, so that Chinese text (two
// columns a character in a terminal) lines up, which text/tabwriter does not do.
type table struct {
	header []string
	rows   [][]string
}

func newTable(header ...string) *table { return &table{header: header} }

// add appends a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the header and rows, two spaces between columns.
func (t *table) write(w io.Writer) error {
	widths := make([]int, len(t.header))
	all := append([][]string{t.header}, t.rows...)
	for _, r := range all {
		for i, cell := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], uniseg.StringWidth(cell))
			}
		}
	}
	var b strings.Builder
	for _, r := range all {
		for i, cell := range r {
			if i >= len(widths) {
				break
			}
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
