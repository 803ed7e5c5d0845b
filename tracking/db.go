package tracking

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"fleet"
	"fleet/store"
)

// loadLive fills the live state at start-up: from the shared Redis hash when set, otherwise from
// the newest stored point of every vehicle, so a restart does not blank the map.
func (s *Service) loadLive(ctx context.Context) error {
	if s.opt.Redis != nil {
		all, err := s.opt.Redis.HGetAll(ctx, s.live.key).Result()
		if err != nil {
			return fmt.Errorf("tracking: load live state from redis: %w", err)
		}
		for k, v := range all {
			id, err := strconv.ParseInt(k, 10, 64)
			var m mirrored
			if err != nil || json.Unmarshal([]byte(v), &m) != nil {
				continue
			}
			s.live.last[id] = &liveEntry{p: Point{VehicleID: id, Lat: m.Lat, Lng: m.Lng, SpeedKmh: m.SpeedKmh, Course: m.Course,
				ACC: m.ACC, Alarm: m.Alarm, FixedAt: m.FixedAt, Positioned: true}, seen: m.SeenAt}
		}
		return nil
	}
	var rows []struct {
		VehicleID int64
		FixedAt   time.Time
		Lat, Lng  float64
		SpeedKmh  float64
		Course    int
		ACC       bool
		Alarm     uint32
		Status    uint32
	}
	err := s.db.WithContext(ctx).Raw(`SELECT p.vehicle_id, p.fixed_at, p.lat, p.lng, p.speed_kmh, p.course, p.acc, p.alarm, p.status
		FROM positions p JOIN (SELECT vehicle_id, MAX(fixed_at) AS m FROM positions GROUP BY vehicle_id) x
		ON p.vehicle_id = x.vehicle_id AND p.fixed_at = x.m`).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("tracking: load live state: %w", err)
	}
	for _, r := range rows {
		// Seen unknown since the restart: the vehicle shows offline until it reports.
		s.live.last[r.VehicleID] = &liveEntry{p: Point{VehicleID: r.VehicleID, FixedAt: r.FixedAt.UTC(), Lat: r.Lat, Lng: r.Lng,
			SpeedKmh: r.SpeedKmh, Course: r.Course, ACC: r.ACC, Alarm: r.Alarm, Status: r.Status, Positioned: true}}
	}
	return nil
}

// TrackPoint is one stored point of a track.
type TrackPoint struct {
	Lat      float64   `json:"lat"`
	Lng      float64   `json:"lng"`
	SpeedKmh float64   `json:"speed_kmh"`
	Course   int       `json:"course"`
	Altitude int       `json:"altitude"`
	ACC      bool      `json:"acc"`
	Alarm    uint32    `json:"alarm"`
	FixedAt  time.Time `json:"fixed_at"`
}

// maxTrackPoints bounds one track answer (a day at a 10 s interval is 8,640 points).
const maxTrackPoints = 50000

func (s *Service) track(ctx context.Context, vehicleID int64, from, to time.Time) ([]TrackPoint, error) {
	pts := []TrackPoint{}
	err := s.db.WithContext(ctx).Raw(`SELECT lat, lng, speed_kmh, course, altitude, acc, alarm, fixed_at FROM positions
		WHERE vehicle_id = ? AND fixed_at >= ? AND fixed_at < ? ORDER BY fixed_at LIMIT ?`,
		vehicleID, dbTime(from), dbTime(to), maxTrackPoints).Scan(&pts).Error
	if err != nil {
		return nil, fmt.Errorf("tracking: track: %w", err)
	}
	for i := range pts {
		pts[i].FixedAt = pts[i].FixedAt.UTC()
	}
	return pts, nil
}

// dbTime is t as the text both dialects compare fixed_at with.
func dbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000") }

// vehicleExists reports whether the vehicle is on record.
func (s *Service) vehicleExists(ctx context.Context, id int64) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("vehicles").Where("id = ?", id).Count(&n).Error
	return n > 0, err
}

// plateCache maps vehicle ids to plates and classes, and classes to speed limits, refreshed at
// most every 30 s.
type plateCache struct {
	s       *Service
	mu      sync.Mutex
	plates  map[int64]string
	classes map[int64]string
	limits  map[string]float64
	at      time.Time
}

func newPlateCache(s *Service) *plateCache { return &plateCache{s: s} }

// DefaultSpeedLimit applies to classes without a row in speed_limits, in km/h.
const DefaultSpeedLimit = 100

func (c *plateCache) refresh(ctx context.Context) error {
	if c.plates != nil && time.Since(c.at) < 30*time.Second {
		return nil
	}
	var rows []struct {
		ID    int64
		Plate string
		Class string
	}
	if err := c.s.db.WithContext(ctx).Table("vehicles").Select("id, plate, class").Scan(&rows).Error; err != nil {
		return fmt.Errorf("tracking: vehicles: %w", err)
	}
	var limits []struct {
		Class    string
		LimitKmh float64
	}
	if err := c.s.db.WithContext(ctx).Table("speed_limits").Scan(&limits).Error; err != nil {
		return fmt.Errorf("tracking: speed limits: %w", err)
	}
	c.plates, c.classes = make(map[int64]string, len(rows)), make(map[int64]string, len(rows))
	for _, r := range rows {
		c.plates[r.ID], c.classes[r.ID] = r.Plate, r.Class
	}
	c.limits = make(map[string]float64, len(limits))
	for _, l := range limits {
		c.limits[l.Class] = l.LimitKmh
	}
	c.at = time.Now()
	return nil
}

func (c *plateCache) get(ctx context.Context) (map[int64]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.refresh(ctx); err != nil {
		return nil, err
	}
	return c.plates, nil
}

// getWith is get, reloaded first when it does not know one of ids (a vehicle added since, maybe
// through another instance) and was not loaded in the last second.
func (c *plateCache) getWith(ctx context.Context, ids func(yield func(int64) bool)) (map[int64]string, error) {
	plates, err := c.get(ctx)
	if err != nil {
		return nil, err
	}
	for id := range ids {
		if _, ok := plates[id]; ok {
			continue
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if time.Since(c.at) > time.Second {
			c.at = time.Time{}
			if err := c.refresh(ctx); err != nil {
				return nil, err
			}
		}
		return c.plates, nil
	}
	return plates, nil
}

// classLimit is the speed limit of the vehicle's class, in km/h.
func (s *Service) classLimit(ctx context.Context, vehicleID int64) float64 {
	c := s.plates
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refresh(ctx) != nil {
		return DefaultSpeedLimit
	}
	if l, ok := c.limits[c.classes[vehicleID]]; ok && l > 0 {
		return l
	}
	return DefaultSpeedLimit
}

// terminalRow is a terminal bound to a vehicle, with the auth code it was given.
type terminalRow struct {
	Phone           string `gorm:"primaryKey"`
	VehicleID       int64
	AuthCode        string
	ProtocolVersion int
	Maker           string
	Model           string
	TerminalID      string
	PlateColor      int
	Plate           string
	RegisteredAt    time.Time
	AuthenticatedAt *time.Time
	LastSeenAt      *time.Time
}

func (terminalRow) TableName() string { return "terminals" }

// vehicleByPhone returns the vehicle whose terminal phone is phone (normalized).
func (s *Service) vehicleByPhone(ctx context.Context, phone string) (int64, error) {
	var ids []int64
	if err := s.db.WithContext(ctx).Table("vehicles").Where("terminal_phone = ?", phone).Limit(1).Pluck("id", &ids).Error; err != nil {
		return 0, fmt.Errorf("tracking: vehicle by terminal: %w", err)
	}
	if len(ids) == 0 {
		return 0, fleet.Errorf(fleet.ENotFound, "no vehicle has terminal %s", phone)
	}
	return ids[0], nil
}

func (s *Service) terminal(ctx context.Context, phone string) (*terminalRow, error) {
	var r terminalRow
	err := s.db.WithContext(ctx).Where("phone = ?", phone).Take(&r).Error
	if store.IsNotFound(err) {
		return nil, fleet.Errorf(fleet.ENotFound, "terminal %s has not registered", phone)
	}
	if err != nil {
		return nil, fmt.Errorf("tracking: terminal: %w", err)
	}
	return &r, nil
}

func (s *Service) saveTerminal(ctx context.Context, r *terminalRow) error {
	if err := s.db.WithContext(ctx).Save(r).Error; err != nil {
		return fmt.Errorf("tracking: save terminal: %w", err)
	}
	return nil
}

// authSeen collects the terminals that authenticated, written to the terminals table now and
// then in one statement rather than one commit per login.
type authSeen struct {
	mu     sync.Mutex
	phones map[string]time.Time
}

func (a *authSeen) mark(phone string, at time.Time) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.phones == nil {
		a.phones = map[string]time.Time{}
	}
	a.phones[phone] = at
}

// flushSeen writes the pending authentication times every interval until ctx ends.
func (s *Service) flushSeen(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			s.writeSeen(context.Background())
			return
		case <-t.C:
			s.writeSeen(ctx)
		}
	}
}

func (s *Service) writeSeen(ctx context.Context) {
	s.seen.mu.Lock()
	pending := s.seen.phones
	s.seen.phones = nil
	s.seen.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	// One UPDATE per distinct second, usually one or two per round.
	byTime := map[time.Time][]string{}
	for p, at := range pending {
		at = at.Truncate(time.Second)
		byTime[at] = append(byTime[at], p)
	}
	for at, phones := range byTime {
		for i := 0; i < len(phones); i += 500 {
			chunk := phones[i:min(i+500, len(phones))]
			err := s.db.WithContext(ctx).Model(&terminalRow{}).Where("phone IN ?", chunk).
				Updates(map[string]any{"authenticated_at": at, "last_seen_at": at}).Error
			if err != nil {
				s.opt.Logger.Warn("record terminal logins", slog.Any("error", err))
			}
		}
	}
}

func (s *Service) vehiclePhone(ctx context.Context, id int64) (string, error) {
	var rows []struct{ TerminalPhone *string }
	if err := s.db.WithContext(ctx).Table("vehicles").Select("terminal_phone").Where("id = ?", id).Scan(&rows).Error; err != nil {
		return "", fmt.Errorf("tracking: vehicle: %w", err)
	}
	if len(rows) == 0 {
		return "", fleet.Errorf(fleet.ENotFound, "vehicle not found")
	}
	if rows[0].TerminalPhone == nil {
		return "", nil
	}
	return *rows[0].TerminalPhone, nil
}
