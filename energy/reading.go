package energy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"fleet"
)

// Statuses of a reading. A flagged reading is stored but held for review: the figures and the
// completeness check leave it out until the energy manager accepts it; a rejected one is kept
// for the record and never counts.
const (
	ReadingOK       = "ok"
	ReadingFlagged  = "flagged"
	ReadingRejected = "rejected"
)

// Why a reading was flagged.
const (
	FlagBackwards = "backwards" // below an earlier accepted reading, or above a later one
	FlagJump      = "jump"      // a rate far above the meter's recent mean
)

// Where a reading came from.
const (
	SourceManual  = "manual"  // typed in on the console
	SourceIngest  = "ingest"  // sent by the monitoring system
	SourceInstall = "install" // a meter's initial register, on creation or replacement
	SourceRemoval = "removal" // a meter's final register, on replacement or retirement
)

// Reading is a meter's cumulative register value at an instant (UTC, to the second).
type Reading struct {
	ID         int64      `json:"id"`
	MeterID    int64      `json:"meter_id"`
	MeterName  string     `json:"meter_name,omitempty"` // in lists
	At         time.Time  `json:"at"`
	Value      float64    `json:"value"`
	Status     string     `json:"status"`
	Flag       string     `json:"flag"`
	FlagNote   string     `json:"flag_note"`
	Source     string     `json:"source"`
	ReviewNote string     `json:"review_note"`
	ReviewedAt *time.Time `json:"reviewed_at"`
	CreatedAt  time.Time  `json:"created_at"`
}

// ReadingInput is one reading of a batch: meter_id (a whole number), at (RFC 3339) and value
// (a number, the register's cumulative value). The fields are kept raw so that a wrong type is
// reported with the item's index instead of failing the whole body.
type ReadingInput struct {
	MeterID json.RawMessage `json:"meter_id"`
	At      json.RawMessage `json:"at"`
	Value   json.RawMessage `json:"value"`
}

// ReadingBatch is the body of POST /api/energy/readings.
type ReadingBatch struct {
	Readings []ReadingInput `json:"readings"`
	// Source is "manual" for readings typed in on the console; default "ingest".
	Source string `json:"source"`
}

// BatchResult says what became of each reading of a batch.
type BatchResult struct {
	Stored     int         `json:"stored"`     // new readings accepted
	Flagged    int         `json:"flagged"`    // new readings held for review
	Duplicates int         `json:"duplicates"` // already stored with the same value: nothing done
	Items      []BatchItem `json:"items"`      // in the batch's order
}

// BatchItem is one reading's outcome: stored, flagged or duplicate.
type BatchItem struct {
	Index    int       `json:"index"`
	MeterID  int64     `json:"meter_id"`
	At       time.Time `json:"at"`
	ID       int64     `json:"id"` // the stored reading
	Result   string    `json:"result"`
	Flag     string    `json:"flag,omitempty"`
	FlagNote string    `json:"flag_note,omitempty"`
}

// maxBatch bounds a batch: a month of hourly readings of seven meters.
const maxBatch = 5000

// item is a parsed reading of a batch.
type item struct {
	index   int
	meterID int64
	at      time.Time
	value   float64
	out     *BatchItem
	dupOf   *item // the batch's earlier reading of the same meter and time
}

// parseBatch checks every reading of a batch, naming each problem by the reading's index and
// field, before anything is looked up or stored.
func parseBatch(b *ReadingBatch, now time.Time) ([]*item, error) {
	p := fleet.Problems{}
	switch b.Source = strings.TrimSpace(b.Source); b.Source {
	case "":
		b.Source = SourceIngest
	case SourceIngest, SourceManual:
	default:
		p.Add("source", "must be ingest or manual")
	}
	if len(b.Readings) == 0 {
		p.Add("readings", "required: a list of {meter_id, at, value}")
	}
	if len(b.Readings) > maxBatch {
		return nil, fleet.Invalid(map[string]string{"readings": fmt.Sprintf("at most %d readings per batch", maxBatch)})
	}
	items := make([]*item, len(b.Readings))
	for i, in := range b.Readings {
		it := &item{index: i}
		f := func(name string) string { return fmt.Sprintf("readings[%d].%s", i, name) }
		var problem string
		it.meterID, problem = rawMeterID(in.MeterID)
		addProblem(p, f("meter_id"), problem)
		it.at, problem = rawAt(in.At, now)
		addProblem(p, f("at"), problem)
		it.value, problem = rawValue(in.Value)
		addProblem(p, f("value"), problem)
		items[i] = it
	}
	return items, batchErr(fleet.EInvalid, p)
}

func addProblem(p fleet.Problems, field, problem string) {
	if problem != "" {
		p.Add(field, problem)
	}
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || bytes.Equal(t, []byte("null"))
}

func rawMeterID(raw json.RawMessage) (int64, string) {
	if isNull(raw) {
		return 0, "required: the meter's id"
	}
	var n int64
	if err := json.Unmarshal(raw, &n); err != nil || n <= 0 {
		return 0, "must be a meter id (a whole number)"
	}
	return n, ""
}

func rawAt(raw json.RawMessage, now time.Time) (time.Time, string) {
	if isNull(raw) {
		return parseAt("", now)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return time.Time{}, "must be a time as RFC 3339 text, such as \"2026-03-01T08:00:00+08:00\""
	}
	return parseAt(strings.TrimSpace(s), now)
}

func rawValue(raw json.RawMessage) (float64, string) {
	if isNull(raw) {
		return 0, "required: the register's cumulative value"
	}
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return 0, "must be a number"
	}
	return v, checkValue(v)
}

// batchErr is nil without problems, else an error of code whose message names the first reading
// with a problem (by index) and the field map names them all.
func batchErr(code string, p fleet.Problems) error {
	if len(p) == 0 {
		return nil
	}
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := fieldIndex(keys[i]), fieldIndex(keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	msg := keys[0] + ": " + p[keys[0]]
	if n := len(keys) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more problems)", n)
	}
	return &fleet.Error{Code: code, Message: msg, Fields: p}
}

// fieldIndex is the i of "readings[i].x", -1 for other fields.
func fieldIndex(field string) int {
	var i int
	if _, err := fmt.Sscanf(field, "readings[%d]", &i); err != nil {
		return -1
	}
	return i
}

// point is an accepted register value of a meter.
type point struct {
	at time.Time
	v  float64
}

// same reports whether two register values are the same reading (JSON numbers read back
// from a DOUBLE column are exact; the tolerance only absorbs printing).
func same(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(a), math.Abs(b)) }

// meanWindow is how far back a meter's mean rate is taken, and minMeanSpan the least history
// that makes a mean worth judging against.
const (
	meanWindow  = 90 * 24 * time.Hour
	minMeanSpan = 7 * 24 * time.Hour
)

// judge decides whether a new reading at at with value v is accepted or flagged, given the
// accepted readings just before and after it (nil: none) and the meter's mean rate in register
// units per hour (ok false: too little history). A cumulative register never goes down, so a
// value below the one before or above the one after is flagged as backwards. A rise far above
// the mean (more than factor times it, over at least an hour so that a register's last digit
// does not count) is flagged as a jump. A flagged reading is stored, never silently dropped.
func judge(at time.Time, v float64, prev, next *point, mean float64, ok bool, factor float64) (flag, note string) {
	if prev != nil && v < prev.v && !same(v, prev.v) {
		return FlagBackwards, fmt.Sprintf("below the previous reading %g of %s", prev.v, prev.at.UTC().Format(time.RFC3339))
	}
	if next != nil && v > next.v && !same(v, next.v) {
		return FlagBackwards, fmt.Sprintf("above the later reading %g of %s", next.v, next.at.UTC().Format(time.RFC3339))
	}
	if prev == nil || !ok || mean <= 0 {
		return "", ""
	}
	hours := max(at.Sub(prev.at).Hours(), 1)
	if rate := (v - prev.v) / hours; rate > factor*mean {
		return FlagJump, fmt.Sprintf("%.4g per hour since %s, %.0f times the mean %.4g per hour of the 90 days before",
			rate, prev.at.UTC().Format(time.RFC3339), rate/mean, mean)
	}
	return "", ""
}

// meanRate is the register's mean rise per hour between old and last, when they span at least
// minMeanSpan.
func meanRate(old, last *point) (float64, bool) {
	if old == nil || last == nil {
		return 0, false
	}
	span := last.at.Sub(old.at)
	if span < minMeanSpan {
		return 0, false
	}
	return (last.v - old.v) / span.Hours(), true
}

func (r *readingRow) reading() Reading {
	return Reading{ID: r.ID, MeterID: r.MeterID, At: r.At.UTC(), Value: r.Value, Status: r.Status, Flag: r.Flag, FlagNote: r.FlagNote,
		Source: r.Source, ReviewNote: r.ReviewNote, ReviewedAt: utcPtr(r.ReviewedAt), CreatedAt: r.CreatedAt.UTC()}
}

func (r *readingRow) point() *point { return &point{at: r.At.UTC(), v: r.Value} }
