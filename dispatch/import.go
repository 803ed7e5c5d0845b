package dispatch

import (
	"context"
	"errors"
	"sort"
	"strconv"

	"fleet"
	"fleet/auth"
)

// Row is one input row of an import, with its line in the source file (for the error report).
type Row[T any] struct {
	Line  int
	Input T
}

// RowError is one problem of an import: which line, which field, why.
type RowError struct {
	Line   int    `json:"line"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// ImportOptions tune an import.
type ImportOptions struct {
	SkipBad  bool                  // import the good rows of a file with errors
	Progress func(done, total int) // called as rows are checked and stored
}

// ImportResult says what an import did.
type ImportResult struct {
	Imported int        `json:"imported"`
	Skipped  int        `json:"skipped"`
	Errors   []RowError `json:"errors"`
}

// ErrImportRejected is returned (with a result listing the errors) when a file has bad rows and
// SkipBad is not set: nothing was imported.
var ErrImportRejected = errors.New("dispatch: import rejected: the file has bad rows; nothing was imported")

// ImportVehicles checks every row (fields, duplicates in the file and in the database) and stores
// the good ones in one transaction, or none when any row is bad and SkipBad is not set.
func (s *Service) ImportVehicles(ctx context.Context, a *auth.Actor, rows []Row[VehicleInput], opt ImportOptions) (*ImportResult, error) {
	if err := a.Require(auth.PermVehiclesWrite); err != nil {
		return nil, err
	}
	res := &ImportResult{Errors: []RowError{}}
	plates, phones, err := s.vehicleKeys(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.unitIDs(ctx)
	if err != nil {
		return nil, err
	}
	seenPlate, seenPhone := map[string]int{}, map[string]int{}
	good := make([]Row[VehicleInput], 0, len(rows))
	for i, r := range rows {
		bad := rowErrors(r.Line, r.Input.validate())
		if u := r.Input.UnitID; len(bad) == 0 && u != nil && !units[*u] {
			bad = append(bad, RowError{r.Line, "unit_id", "no such unit"})
		}
		if len(bad) == 0 {
			if plates[r.Input.Plate] {
				bad = append(bad, RowError{r.Line, "plate", "already registered"})
			} else if l, dup := seenPlate[r.Input.Plate]; dup {
				bad = append(bad, RowError{r.Line, "plate", "duplicate of line " + itoa(l)})
			}
			if p := r.Input.TerminalPhone; p != "" {
				if phones[p] {
					bad = append(bad, RowError{r.Line, "terminal_phone", "already bound to another vehicle"})
				} else if l, dup := seenPhone[p]; dup {
					bad = append(bad, RowError{r.Line, "terminal_phone", "duplicate of line " + itoa(l)})
				}
			}
		}
		if len(bad) == 0 {
			seenPlate[r.Input.Plate] = r.Line
			if r.Input.TerminalPhone != "" {
				seenPhone[r.Input.TerminalPhone] = r.Line
			}
			good = append(good, r)
		}
		res.Errors = append(res.Errors, bad...)
		progress(opt, i+1, len(rows)*2)
	}
	if len(res.Errors) > 0 && !opt.SkipBad {
		return res, ErrImportRejected
	}
	res.Skipped = len(rows) - len(good)
	now := s.now()
	err = s.insertVehicles(ctx, good, now, func(done int) { progress(opt, len(rows)+done, len(rows)*2) })
	if err != nil {
		return res, err
	}
	res.Imported = len(good)
	progress(opt, len(rows)*2, len(rows)*2)
	s.changed(ctx)
	s.record(ctx, a, "vehicle_import", "vehicles", "imported "+itoa(res.Imported)+", skipped "+itoa(res.Skipped))
	return res, nil
}

// ImportDrivers is ImportVehicles for drivers (the phone must be new).
func (s *Service) ImportDrivers(ctx context.Context, a *auth.Actor, rows []Row[DriverInput], opt ImportOptions) (*ImportResult, error) {
	if err := a.Require(auth.PermDriversWrite); err != nil {
		return nil, err
	}
	res := &ImportResult{Errors: []RowError{}}
	phones, err := s.driverPhones(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.unitIDs(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	good := make([]Row[DriverInput], 0, len(rows))
	for i, r := range rows {
		bad := rowErrors(r.Line, r.Input.validate())
		if u := r.Input.UnitID; len(bad) == 0 && u != nil && !units[*u] {
			bad = append(bad, RowError{r.Line, "unit_id", "no such unit"})
		}
		if len(bad) == 0 {
			if phones[r.Input.Phone] {
				bad = append(bad, RowError{r.Line, "phone", "already registered"})
			} else if l, dup := seen[r.Input.Phone]; dup {
				bad = append(bad, RowError{r.Line, "phone", "duplicate of line " + itoa(l)})
			}
		}
		if len(bad) == 0 {
			seen[r.Input.Phone] = r.Line
			good = append(good, r)
		}
		res.Errors = append(res.Errors, bad...)
		progress(opt, i+1, len(rows)*2)
	}
	if len(res.Errors) > 0 && !opt.SkipBad {
		return res, ErrImportRejected
	}
	res.Skipped = len(rows) - len(good)
	err = s.insertDrivers(ctx, good, s.now(), func(done int) { progress(opt, len(rows)+done, len(rows)*2) })
	if err != nil {
		return res, err
	}
	res.Imported = len(good)
	progress(opt, len(rows)*2, len(rows)*2)
	s.changed(ctx)
	s.record(ctx, a, "driver_import", "drivers", "imported "+itoa(res.Imported)+", skipped "+itoa(res.Skipped))
	return res, nil
}

// rowErrors turns a validation error into row errors, sorted by field.
func rowErrors(line int, err error) []RowError {
	if err == nil {
		return nil
	}
	var fe *fleet.Error
	if !errors.As(err, &fe) || len(fe.Fields) == 0 {
		return []RowError{{line, "", fleet.ErrorMessage(err)}}
	}
	out := make([]RowError, 0, len(fe.Fields))
	for f, why := range fe.Fields {
		out = append(out, RowError{line, f, why})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

func progress(opt ImportOptions, done, total int) {
	if opt.Progress != nil {
		opt.Progress(done, total)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
