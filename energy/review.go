package energy

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"fleet"
	"fleet/auth"
)

// ReadingQuery filters the reading list; From and To (RFC 3339) bound the instants [from, to).
type ReadingQuery struct {
	fleet.Page
	MeterID int64
	UnitID  int64
	Status  string // ok, flagged, rejected; "" every status
	From    string
	To      string

	from, to *time.Time
}

func (q *ReadingQuery) validate() error {
	p := fleet.Problems{}
	switch q.Status {
	case "", ReadingOK, ReadingFlagged, ReadingRejected:
	default:
		p.Add("status", "must be ok, flagged or rejected")
	}
	for _, b := range []struct {
		field string
		s     string
		dst   **time.Time
	}{{"from", q.From, &q.from}, {"to", q.To, &q.to}} {
		if s := strings.TrimSpace(b.s); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				p.Add(b.field, "must be a time as RFC 3339")
				continue
			}
			*b.dst = ptr(t.UTC())
		}
	}
	return p.Err()
}

// ListReadings lists readings newest first, with their meter's name (leaders: their unit's).
func (s *Service) ListReadings(ctx context.Context, a *auth.Actor, q ReadingQuery) ([]Reading, int64, error) {
	if err := a.Require(auth.PermEnergyRead); err != nil {
		return nil, 0, err
	}
	if err := q.validate(); err != nil {
		return nil, 0, err
	}
	unit, err := scopeUnit(a, q.UnitID)
	if err != nil {
		return nil, 0, err
	}
	q.UnitID = unit
	rows, total, err := readingRows(s.read(ctx), q)
	if err != nil {
		return nil, 0, err
	}
	names, err := meterNames(s.read(ctx), rows)
	if err != nil {
		return nil, 0, err
	}
	out := make([]Reading, len(rows))
	for i := range rows {
		out[i] = rows[i].reading()
		out[i].MeterName = names[rows[i].MeterID]
	}
	return out, total, nil
}

// ReviewInput is the energy manager's note on accepting or rejecting a reading.
type ReviewInput struct {
	Note string `json:"note"`
}

// AcceptReading accepts a flagged reading after review: it counts from now on. A reading that
// is still out of order with the accepted readings around it is refused (409): reject the one
// that is wrong, or record a meter replacement when the register was reset.
func (s *Service) AcceptReading(ctx context.Context, a *auth.Actor, id int64, in ReviewInput) (*Reading, error) {
	return s.review(ctx, a, id, in, false, func(tx *gorm.DB, r *readingRow) error {
		if r.Status != ReadingFlagged {
			return fleet.Errorf(fleet.EConflict, "reading %d is %s: only a flagged reading is accepted", r.ID, r.Status)
		}
		prev, err := okBefore(tx, r.MeterID, r.At)
		if err != nil {
			return err
		}
		next, err := okAfter(tx, r.MeterID, r.At.Add(time.Second))
		if err != nil {
			return err
		}
		var pp, np *point
		if prev != nil {
			pp = prev.point()
		}
		if next != nil {
			np = next.point()
		}
		if flag, note := judge(r.At, r.Value, pp, np, 0, false, 0); flag == FlagBackwards {
			return fleet.Errorf(fleet.EConflict, "reading %d is still %s: reject the wrong reading first, or record a meter replacement if the register was reset", r.ID, note)
		}
		r.Status = ReadingOK
		return nil
	})
}

// RejectReading rejects a reading (flagged or accepted) with a reason: it is kept for the
// record and never counts; a reading of the same meter and time may then be sent again. A
// meter's installation or removal reading belongs to its replacement and stays (409).
func (s *Service) RejectReading(ctx context.Context, a *auth.Actor, id int64, in ReviewInput) (*Reading, error) {
	return s.review(ctx, a, id, in, true, func(_ *gorm.DB, r *readingRow) error {
		switch {
		case r.Status == ReadingRejected:
			return fleet.Errorf(fleet.EConflict, "reading %d is rejected already", r.ID)
		case r.Source == SourceInstall || r.Source == SourceRemoval:
			return fleet.Errorf(fleet.EConflict, "reading %d is the meter's %s reading: it stays with the meter's record", r.ID, r.Source)
		}
		r.Status = ReadingRejected
		return nil
	})
}

func (s *Service) review(ctx context.Context, a *auth.Actor, id int64, in ReviewInput, noteRequired bool,
	decide func(tx *gorm.DB, r *readingRow) error) (*Reading, error) {
	if err := a.Require(auth.PermEnergyWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, noteRequired, 255)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var r readingRow
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := take(tx, &r, id, true, "reading"); err != nil {
			return err
		}
		var m meterRow
		if err := take(tx, &m, r.MeterID, true, "meter"); err != nil {
			return err
		}
		if err := decide(tx, &r); err != nil {
			return err
		}
		now := s.now()
		r.ReviewedBy, r.ReviewedAt, r.ReviewNote = &a.UserID, &now, in.Note
		return save(tx, &r)
	})
	if err != nil {
		return nil, err
	}
	s.record(ctx, a, "energy_reading_"+r.Status, fmt.Sprintf("energy_reading:%d", id), in.Note)
	out := r.reading()
	return &out, nil
}
