package tracking

import (
	"context"
	"fmt"
	"time"

	"fleet"
	"fleet/auth"
)

// EventFilter narrows ListEvents.
type EventFilter struct {
	fleet.Page
	VehicleID int64
	Type      string
	From, To  time.Time // zero: open
}

// maxEventSpan bounds one events query.
const maxEventSpan = 366 * 24 * time.Hour

// ListEvents returns events matching f, newest first, and the total count.
func (s *Service) ListEvents(ctx context.Context, a *auth.Actor, f EventFilter) ([]Event, int64, error) {
	if err := a.Require(auth.PermEventsRead); err != nil {
		return nil, 0, err
	}
	p := fleet.Problems{}
	if f.Type != "" && !oneOf(f.Type, EventTypes) {
		p.Add("type", "unknown event type")
	}
	if !f.From.IsZero() && !f.To.IsZero() {
		if !f.To.After(f.From) {
			p.Add("to", "must be after from")
		} else if f.To.Sub(f.From) > maxEventSpan {
			p.Add("to", "a query covers at most a year")
		}
	}
	if err := p.Err(); err != nil {
		return nil, 0, err
	}
	f.Page = f.Page.Normalize()
	q := s.db.WithContext(ctx).Model(&Event{})
	if f.VehicleID != 0 {
		q = q.Where("vehicle_id = ?", f.VehicleID)
	}
	if f.Type != "" {
		q = q.Where("type = ?", f.Type)
	}
	if !f.From.IsZero() {
		q = q.Where("started_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("started_at < ?", f.To.UTC())
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("tracking: count events: %w", err)
	}
	out := []Event{}
	if err := q.Order("started_at DESC, id DESC").Limit(f.Limit).Offset(f.Offset).Find(&out).Error; err != nil {
		return nil, 0, fmt.Errorf("tracking: events: %w", err)
	}
	return out, total, nil
}

// AckInput acknowledges an event, with an optional note (what the dispatcher found out).
type AckInput struct {
	Note string `json:"note"`
}

// AckEvent marks the event acknowledged by the actor and keeps the note.
func (s *Service) AckEvent(ctx context.Context, a *auth.Actor, id int64, in AckInput) (*Event, error) {
	if err := a.Require(auth.PermEventsWrite); err != nil {
		return nil, err
	}
	p := fleet.Problems{}
	in.Note = p.Text("note", in.Note, false, 1000)
	if err := p.Err(); err != nil {
		return nil, err
	}
	now := s.opt.Now()
	upd := map[string]any{"ack_at": now, "note": in.Note, "updated_at": now}
	if a.UserID != 0 {
		upd["ack_by"] = a.UserID
	}
	res := s.db.WithContext(ctx).Model(&Event{}).Where("id = ?", id).Updates(upd)
	if res.Error != nil {
		return nil, fmt.Errorf("tracking: ack event: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, fleet.Errorf(fleet.ENotFound, "event not found")
	}
	var e Event
	if err := s.db.WithContext(ctx).Take(&e, id).Error; err != nil {
		return nil, fmt.Errorf("tracking: event: %w", err)
	}
	s.publishEvent(ctx, &e)
	return &e, nil
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
