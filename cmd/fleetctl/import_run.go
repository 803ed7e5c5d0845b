package main

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"fleet/dispatch"
)

// importRun is one import of a file: its rows prepared, the service calls, the report.
type importRun struct {
	c      *cli
	a      *app
	kind   importKind
	store  storeFunc
	path   string
	layout *layout
	total  int // data rows

	skipBad bool
	dryRun  bool
}

// execute has the service check and import the rows and returns what it did and every row's
// problems, the parsing ones (parseErrs) included.
func (r *importRun) execute(ctx context.Context, parseErrs []dispatch.RowError) (*dispatch.ImportResult, []dispatch.RowError, error) {
	if len(parseErrs) == 0 {
		// The service checks every row and imports them, or rehearses that for a dry run.
		res, err := r.call(ctx, r.dryRun, nil)
		if err != nil {
			return nil, nil, err
		}
		return res, res.Errors, nil
	}
	// Some cells did not parse. The service checks the rows' other fields in a rehearsal; then, with
	// --skip-bad, the rows without any problem are imported.
	check, err := r.call(ctx, true, nil)
	if err != nil {
		return nil, nil, err
	}
	problems := mergeErrors(parseErrs, check.Errors)
	if !r.skipBad || r.dryRun {
		return check, problems, nil
	}
	bad := badLines(problems)
	res, err := r.call(ctx, false, func(line int) bool { return !bad[line] })
	if err != nil {
		return nil, nil, err
	}
	return res, mergeErrors(problems, res.Errors), nil
}

// call imports the rows keep allows, or only rehearses that (in a transaction rolled back) when
// rehearse is set, drawing a progress bar. A rejected import is no error here: its result lists
// the problems.
func (r *importRun) call(ctx context.Context, rehearse bool, keep func(line int) bool) (*dispatch.ImportResult, error) {
	bar := newProgress(r.c.stderr, "importing "+r.kind.what)
	if rehearse {
		bar.desc = "checking " + r.kind.what
	}
	// A rehearsal goes on past bad rows, so that the good ones meet the database's checks too.
	opt := dispatch.ImportOptions{SkipBad: r.skipBad || keep != nil || rehearse, Progress: bar.update}
	var res *dispatch.ImportResult
	fn := func(svc *dispatch.Service) error {
		var err error
		res, err = r.store(ctx, svc, opt, keep)
		return err
	}
	var err error
	if rehearse {
		err = r.a.rehearse(ctx, fn)
	} else {
		err = fn(r.a.fleet)
	}
	bar.stop()
	if err != nil && !errors.Is(err, dispatch.ErrImportRejected) {
		return nil, describe(err)
	}
	if res == nil {
		res = &dispatch.ImportResult{}
	}
	return res, nil
}

// report prints the problems as a table and a summary line on stdout; a file with problems is an
// error unless --skip-bad.
func (r *importRun) report(res *dispatch.ImportResult, problems []dispatch.RowError) error {
	out := r.c.stdout
	if len(problems) > 0 {
		t := newTable("ROW", "FIELD", "REASON")
		for _, e := range problems {
			t.add(strconv.Itoa(e.Line), r.layout.label(e.Field), e.Reason)
		}
		if err := t.write(out); err != nil {
			return err
		}
	}
	bad, what, one := len(badLines(problems)), r.kind.what, r.kind.one
	switch {
	case bad > 0 && !r.skipBad:
		prefix := ""
		if r.dryRun {
			prefix = "dry run: "
		}
		fmt.Fprintf(out, "%s%d of %s have errors; nothing imported (fix them, or run again with --skip-bad to import the %s)\n",
			prefix, bad, plural(r.total, "row"), plural(r.total-bad, "good row"))
		return fmt.Errorf("import %s: %d of %s in %s have errors; nothing imported", what, bad, plural(r.total, "row"), r.path)
	case r.dryRun:
		fmt.Fprintf(out, "dry run: %s would be imported, %s skipped; nothing was written\n", plural(r.total-bad, one), plural(bad, "row"))
	case bad > 0:
		fmt.Fprintf(out, "imported %s from %s; skipped %d of %s with errors\n", plural(res.Imported, one), r.path, bad, plural(r.total, "row"))
	default:
		fmt.Fprintf(out, "imported %s from %s\n", plural(res.Imported, one), r.path)
	}
	return nil
}

// mergeErrors puts the parsing problems and the service's together, by row. The service's word
// on a field that did not parse (left empty: "required") is dropped, as is any repeat.
func mergeErrors(parsed, checked []dispatch.RowError) []dispatch.RowError {
	type key struct {
		line  int
		field string
	}
	field := func(f string) string {
		if f == "unit_id" {
			return "unit"
		}
		return f
	}
	seen := map[key]bool{}
	out := make([]dispatch.RowError, 0, len(parsed)+len(checked))
	for _, e := range append(append([]dispatch.RowError{}, parsed...), checked...) {
		k := key{e.Line, field(e.Field)}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

// badLines returns the rows with at least one problem.
func badLines(errs []dispatch.RowError) map[int]bool {
	lines := map[int]bool{}
	for _, e := range errs {
		lines[e.Line] = true
	}
	return lines
}

// plural says "1 row" or "2 rows".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
