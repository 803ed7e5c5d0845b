package procurement

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"fleet"
	"fleet/auth"
)

// maxSummaryRows bounds a summary: a county files a few hundred requests a year.
const maxSummaryRows = 10_000

// SummaryQuery asks for the summary of a period. From and To are dates (2026-01-01, To included)
// or RFC 3339 times (To excluded); both empty: the current half-year, the period reported upward.
type SummaryQuery struct {
	From, To string
	Kind     string // a kind, "vehicle" for both vehicle kinds, "" for all
	Status   string
	UnitID   int64
}

// Summary is the requests of a period by unit, kind and status, with counts and amounts.
type Summary struct {
	From     time.Time     `json:"from"` // the period is [from, to)
	To       time.Time     `json:"to"`
	Period   string        `json:"period"` // as the report prints it: 2026-01-01 至 2026-06-30
	Total    Tally         `json:"total"`
	ByUnit   []Tally       `json:"by_unit"`
	ByKind   []Tally       `json:"by_kind"`
	ByStatus []Tally       `json:"by_status"`
	Requests []Procurement `json:"requests"` // oldest first, without items and attachments

	generated time.Time
}

// Tally is a count and an amount (yuan) of one group.
type Tally struct {
	Key    string  `json:"key,omitempty"` // the unit id, kind or status
	Name   string  `json:"name,omitempty"`
	Count  int     `json:"count"`
	Amount float64 `json:"amount"`

	fen int64
}

// Summary returns the summary of a period (admin and auditors).
func (s *Service) Summary(ctx context.Context, a *auth.Actor, q SummaryQuery) (*Summary, error) {
	if err := a.Require(auth.PermProcurementsAll); err != nil {
		return nil, err
	}
	from, to, err := s.period(q.From, q.To, true)
	if err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	checkKindStatus(p, q.Kind, q.Status)
	if err := p.Err(); err != nil {
		return nil, err
	}
	rows, err := s.summaryRows(ctx, filter{From: from, To: to, Kind: q.Kind, Status: q.Status, UnitID: q.UnitID}, maxSummaryRows+1)
	if err != nil {
		return nil, err
	}
	if len(rows) > maxSummaryRows {
		return nil, fleet.Invalid(map[string]string{"from": fmt.Sprintf("more than %d requests in the period; choose a shorter one", maxSummaryRows)})
	}
	sum := summarize(rows, from, to, s.opt.Location)
	sum.generated = s.now().In(s.opt.Location)
	return sum, nil
}

// summarize groups the requests of [from, to).
func summarize(rows []Procurement, from, to time.Time, loc *time.Location) *Summary {
	sum := &Summary{From: from, To: to, Period: periodText(from, to, loc), Requests: rows,
		ByUnit: []Tally{}, ByKind: []Tally{}, ByStatus: []Tally{}}
	units, kinds, statuses := map[string]*Tally{}, map[string]*Tally{}, map[string]*Tally{}
	add := func(m map[string]*Tally, key, name string, fen int64) {
		t := m[key]
		if t == nil {
			t = &Tally{Key: key, Name: name}
			m[key] = t
		}
		t.Count++
		t.fen += fen
	}
	for i := range rows {
		r := &rows[i]
		fen := yuanToFen(r.Amount)
		sum.Total.Count++
		sum.Total.fen += fen
		add(units, fmt.Sprint(r.UnitID), r.Unit, fen)
		add(kinds, r.Kind, kindNames[r.Kind], fen)
		add(statuses, r.Status, statusNames[r.Status], fen)
	}
	sum.Total.Amount = fenToYuan(sum.Total.fen)
	flatten := func(m map[string]*Tally, order []string) []Tally {
		out := make([]Tally, 0, len(m))
		for _, t := range m {
			t.Amount = fenToYuan(t.fen)
			out = append(out, *t)
		}
		rank := func(k string) int {
			for i, o := range order {
				if o == k {
					return i
				}
			}
			return len(order)
		}
		sort.Slice(out, func(i, j int) bool {
			if ri, rj := rank(out[i].Key), rank(out[j].Key); ri != rj {
				return ri < rj
			}
			return out[i].Name < out[j].Name
		})
		return out
	}
	sum.ByUnit = flatten(units, nil)
	sum.ByKind = flatten(kinds, Kinds)
	sum.ByStatus = flatten(statuses, Statuses)
	return sum
}

// period reads from and to: dates in the county (to included) or RFC 3339 times (to excluded).
// With halfYear and both empty, the current half-year; otherwise an empty end is open (zero).
func (s *Service) period(fromText, toText string, halfYear bool) (from, to time.Time, err error) {
	loc := s.opt.Location
	p := fleet.Problems{}
	parse := func(field, v string, end bool) time.Time {
		v = strings.TrimSpace(v)
		if v == "" {
			return time.Time{}
		}
		if d, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
			if end {
				d = d.AddDate(0, 0, 1)
			}
			return d
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			p.Add(field, "must be a date (2026-01-01) or an RFC 3339 time")
		}
		return t
	}
	from, to = parse("from", fromText, false), parse("to", toText, true)
	if err := p.Err(); err != nil {
		return from, to, err
	}
	if halfYear && from.IsZero() && to.IsZero() {
		now := s.now().In(loc)
		month := time.January
		if now.Month() >= time.July {
			month = time.July
		}
		from = time.Date(now.Year(), month, 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 6, 0)
	}
	if !from.IsZero() && !to.IsZero() && !to.After(from) {
		return from, to, fleet.Invalid(map[string]string{"to": "must be after from"})
	}
	if halfYear && (from.IsZero() || to.IsZero()) {
		return from, to, fleet.Invalid(map[string]string{"from": "give both from and to, or neither (the current half-year)"})
	}
	return from, to, nil
}

// periodText prints [from, to) as the report does, with the last day included.
func periodText(from, to time.Time, loc *time.Location) string {
	last := to.In(loc).Add(-time.Nanosecond)
	return from.In(loc).Format(time.DateOnly) + " 至 " + last.Format(time.DateOnly)
}

func checkKindStatus(p fleet.Problems, kind, status string) {
	if kind != "" && kind != "vehicle" && !oneOf(kind, Kinds) {
		p.Add("kind", "must be one of vehicle_renewal, vehicle_addition, goods, services or vehicle")
	}
	if status != "" && !oneOf(status, Statuses) {
		p.Add("status", "must be one of pending, approved, rejected, returned, withdrawn")
	}
}
