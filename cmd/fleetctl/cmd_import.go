package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fleet/auth"
	"fleet/dispatch"
)

// maxFileBytes bounds an import file: a county's fleet is hundreds of rows, not millions.
const maxFileBytes = 32 << 20

// importKind is one kind of record fleetctl imports.
type importKind struct {
	what    string // "vehicles"
	one     string // "vehicle"
	columns []column
	// prepare reads the data rows of s: how many there are, their parsing problems, and the
	// service call that imports them.
	prepare func(s *sheet, l *layout, units unitSet) (total int, errs []dispatch.RowError, store storeFunc)
}

// storeFunc imports the prepared rows through svc, only those whose line keep allows when keep is
// not nil.
type storeFunc func(ctx context.Context, svc *dispatch.Service, opt dispatch.ImportOptions, keep func(line int) bool) (*dispatch.ImportResult, error)

var vehicleImport = importKind{"vehicles", "vehicle", vehicleColumns,
	func(s *sheet, l *layout, units unitSet) (int, []dispatch.RowError, storeFunc) {
		rows, errs := vehicleRows(s, l, units)
		return len(rows), errs, func(ctx context.Context, svc *dispatch.Service, opt dispatch.ImportOptions, keep func(int) bool) (*dispatch.ImportResult, error) {
			return svc.ImportVehicles(ctx, auth.System, kept(rows, keep), opt)
		}
	}}

var driverImport = importKind{"drivers", "driver", driverColumns,
	func(s *sheet, l *layout, units unitSet) (int, []dispatch.RowError, storeFunc) {
		rows, errs := driverRows(s, l, units)
		return len(rows), errs, func(ctx context.Context, svc *dispatch.Service, opt dispatch.ImportOptions, keep func(int) bool) (*dispatch.ImportResult, error) {
			return svc.ImportDrivers(ctx, auth.System, kept(rows, keep), opt)
		}
	}}

// kept returns the rows whose line keep allows; all of them when keep is nil.
func kept[T any](rows []dispatch.Row[T], keep func(line int) bool) []dispatch.Row[T] {
	if keep == nil {
		return rows
	}
	out := make([]dispatch.Row[T], 0, len(rows))
	for _, r := range rows {
		if keep(r.Line) {
			out = append(out, r)
		}
	}
	return out
}

func (c *cli) importVehicles(ctx context.Context, args []string) error {
	return c.importFile(ctx, args, vehicleImport)
}

func (c *cli) importDrivers(ctx context.Context, args []string) error {
	return c.importFile(ctx, args, driverImport)
}

// importFile imports a CSV or XLSX file: every row is checked first, and a file with bad rows
// imports nothing unless --skip-bad. The report lists each problem by the file's row number.
func (c *cli) importFile(ctx context.Context, args []string, kind importKind) error {
	fs := c.flags("import " + kind.what)
	skipBad := fs.Bool("skip-bad", false, "import the good rows of a file that has bad ones")
	dryRun := fs.Bool("dry-run", false, "check the file and report, writing nothing")
	pos, err := c.parse(fs, args, 1, "import "+kind.what+" FILE [--skip-bad] [--dry-run]")
	if err != nil {
		return err
	}
	path := pos[0]
	s, err := readSheet(path)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	l, err := mapHeader(s, kind.columns)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	a, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	units, err := loadUnits(ctx, a.auth)
	if err != nil {
		return err
	}
	total, parseErrs, store := kind.prepare(s, l, units)
	if total == 0 {
		return fmt.Errorf("%s: no data rows under the header", path)
	}

	r := &importRun{c: c, a: a, kind: kind, store: store, path: path, layout: l, total: total,
		skipBad: *skipBad, dryRun: *dryRun}
	res, problems, err := r.execute(ctx, parseErrs)
	if err != nil {
		return err
	}
	return r.report(res, problems)
}

// readSheet reads an import file by its extension.
func readSheet(path string) (*sheet, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if st.Size() > maxFileBytes {
		return nil, fmt.Errorf("file larger than %d MiB", maxFileBytes>>20)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return readCSV(f)
	case ".xlsx", ".xlsm":
		return readXLSX(f)
	case ".xls":
		return nil, errors.New("old .xls workbooks are not read: save it as .xlsx or CSV")
	}
	return nil, errors.New("unknown file type: want .csv or .xlsx")
}
