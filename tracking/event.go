package tracking

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"
)

// TopicEvents is the bus topic of raised and closed events (an Event as JSON).
const TopicEvents = "events"

// Event types.
const (
	EventAlarm           = "alarm"
	EventOverspeed       = "overspeed"
	EventGeofenceEnter   = "geofence_enter"
	EventGeofenceExit    = "geofence_exit"
	EventOnline          = "online"
	EventOffline         = "offline"
	EventMisuseNoTask    = "misuse_no_task"
	EventMisuseOffHours  = "misuse_off_hours"
	EventMisuseOutArea   = "misuse_out_of_area"
	EventMisuseOvernight = "misuse_overnight_parking"
)

// EventTypes lists every event type.
var EventTypes = []string{EventAlarm, EventOverspeed, EventGeofenceEnter, EventGeofenceExit, EventOnline, EventOffline,
	EventMisuseNoTask, EventMisuseOffHours, EventMisuseOutArea, EventMisuseOvernight}

// Event is something the county learns from the points: an alarm, an overspeed episode, a fence
// crossed, a misuse. Episodes have an end; instants (enter, exit, online) end when they start.
type Event struct {
	ID        int64           `json:"id"`
	VehicleID int64           `json:"vehicle_id"`
	Type      string          `json:"type"`
	StartedAt time.Time       `json:"started_at"`
	EndedAt   *time.Time      `json:"ended_at"`
	Lat       float64         `json:"lat"`
	Lng       float64         `json:"lng"`
	Detail    json.RawMessage `json:"detail" gorm:"type:text;serializer:json"`
	AckBy     *int64          `json:"ack_by"`
	AckAt     *time.Time      `json:"ack_at"`
	Note      string          `json:"note"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

func (Event) TableName() string { return "events" }

// raise stores a new event and publishes it; an instant event is closed at once. It returns the
// event's id (0 when it could not be stored: logged, never fatal to the pipeline).
func (s *Service) raise(ctx context.Context, typ string, p *Point, instant bool, detail any) int64 {
	e := Event{VehicleID: p.VehicleID, Type: typ, StartedAt: p.FixedAt, Lat: p.Lat, Lng: p.Lng, CreatedAt: s.opt.Now(), UpdatedAt: s.opt.Now()}
	if instant {
		at := p.FixedAt
		e.EndedAt = &at
	}
	if detail != nil {
		e.Detail, _ = json.Marshal(detail)
	}
	if err := s.db.WithContext(ctx).Create(&e).Error; err != nil {
		s.opt.Logger.Error("store event", slog.String("type", typ), slog.Any("error", err))
		return 0
	}
	s.publishEvent(ctx, &e)
	return e.ID
}

// end closes an open event at the point's time, with its final detail when given.
func (s *Service) end(ctx context.Context, id int64, p *Point, detail any) {
	if id == 0 {
		return
	}
	at := p.FixedAt
	upd := map[string]any{"ended_at": at, "updated_at": s.opt.Now()}
	if detail != nil {
		b, _ := json.Marshal(detail)
		upd["detail"] = string(b)
	}
	if err := s.db.WithContext(ctx).Model(&Event{}).Where("id = ?", id).Updates(upd).Error; err != nil {
		s.opt.Logger.Error("close event", slog.Int64("id", id), slog.Any("error", err))
		return
	}
	var e Event
	if err := s.db.WithContext(ctx).Take(&e, id).Error; err == nil {
		s.publishEvent(ctx, &e)
	}
}

func (s *Service) publishEvent(ctx context.Context, e *Event) {
	if s.bus == nil {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	if err := s.bus.Publish(ctx, TopicEvents, b); err != nil {
		s.opt.Logger.Warn("publish event", slog.Any("error", fmt.Errorf("%s: %w", e.Type, err)))
	}
}
