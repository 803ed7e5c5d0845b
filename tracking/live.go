package tracking

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// LiveVehicle is a vehicle's latest known position and whether it is online.
type LiveVehicle struct {
	VehicleID int64     `json:"vehicle_id"`
	Plate     string    `json:"plate"`
	Lat       float64   `json:"lat"`
	Lng       float64   `json:"lng"`
	SpeedKmh  float64   `json:"speed_kmh"`
	Course    int       `json:"course"`
	ACC       bool      `json:"acc"`
	Alarm     uint32    `json:"alarm"`
	FixedAt   time.Time `json:"fixed_at"`
	SeenAt    time.Time `json:"seen_at"` // the last message of any kind
	Online    bool      `json:"online"`
	State     string    `json:"state"`             // one of the Vehicle* states
	TaskID    int64     `json:"task_id,omitempty"` // the dispatch task under way
}

// What the map shows of a vehicle, in this order of precedence: a raised alarm, no link, a
// dispatch task under way, moving (with no task: what a dispatcher must notice), standing.
const (
	VehicleAlarm   = "alarm"
	VehicleOffline = "offline"
	VehicleOnTask  = "on_task"
	VehicleMoving  = "moving"
	VehicleIdle    = "idle"
)

// Live holds the latest position of every vehicle in memory, and mirrors it to a Redis hash when
// Redis is set so that every instance answers for every vehicle.
type Live struct {
	mu           sync.RWMutex
	last         map[int64]*liveEntry
	dirty        map[int64]bool
	offlineAfter time.Duration
	rdb          *redis.Client
	key          string
	log          *slog.Logger
	readLog      rateLog // failed reads of the Redis hash
	mirrorLog    rateLog // failed writes to it
}

type liveEntry struct {
	p    Point
	seen time.Time
	// what checkOnline last reported, once it has judged the vehicle
	reportedOnline, judged bool
}

// mirrored is the Redis form of an entry.
type mirrored struct {
	Lat      float64   `json:"lat"`
	Lng      float64   `json:"lng"`
	SpeedKmh float64   `json:"spd"`
	Course   int       `json:"crs"`
	ACC      bool      `json:"acc"`
	Alarm    uint32    `json:"alm"`
	FixedAt  time.Time `json:"fix"`
	SeenAt   time.Time `json:"seen"`
}

// NewLive returns live state; rdb may be nil (one instance, memory only).
func NewLive(offlineAfter time.Duration, rdb *redis.Client, prefix string, log *slog.Logger) *Live {
	if offlineAfter <= 0 {
		offlineAfter = 5 * time.Minute
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Live{last: map[int64]*liveEntry{}, dirty: map[int64]bool{}, offlineAfter: offlineAfter, rdb: rdb, key: prefix + "live", log: log}
}

// Last returns the vehicle's latest point.
func (l *Live) Last(vehicleID int64) (Point, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	e, ok := l.last[vehicleID]
	if !ok {
		return Point{}, false
	}
	return e.p, true
}

// update moves the live position to p when p is newer than what is known, and reports whether
// it did; an older point (late, blind-zone) never moves the vehicle backwards.
func (l *Live) update(p *Point, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.last[p.VehicleID]
	if !ok {
		e = &liveEntry{}
		l.last[p.VehicleID] = e
	}
	if now.After(e.seen) {
		e.seen = now
	}
	l.dirty[p.VehicleID] = true
	if ok && !p.FixedAt.After(e.p.FixedAt) {
		return false
	}
	e.p = *p
	return true
}

// Touch records that the vehicle's device spoke (a heartbeat keeps it online).
func (l *Live) Touch(vehicleID int64, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.last[vehicleID]
	if !ok {
		e = &liveEntry{}
		l.last[vehicleID] = e
	}
	e.seen = now
	l.dirty[vehicleID] = true
}

// Snapshot returns every vehicle with a known position, by vehicle id; with Redis it reads the
// shared hash, so points ingested on other instances are included. While Redis cannot be read it
// answers from this instance's own state (its terminals' vehicles, and what it knew before).
func (l *Live) Snapshot(ctx context.Context, now time.Time) ([]LiveVehicle, error) {
	var out []LiveVehicle
	var all map[string]string
	var err error
	if l.rdb != nil {
		if all, err = l.rdb.HGetAll(ctx, l.key).Result(); err != nil {
			l.readLog.warn(l.log, "live state: read from redis failed; answering from this instance's own", err)
		}
	}
	if l.rdb != nil && err == nil {
		out = make([]LiveVehicle, 0, len(all))
		for k, v := range all {
			id, err := strconv.ParseInt(k, 10, 64)
			var m mirrored
			if err != nil || json.Unmarshal([]byte(v), &m) != nil || m.FixedAt.IsZero() {
				continue
			}
			out = append(out, l.view(id, Point{Lat: m.Lat, Lng: m.Lng, SpeedKmh: m.SpeedKmh, Course: m.Course, ACC: m.ACC, Alarm: m.Alarm, FixedAt: m.FixedAt}, m.SeenAt, now))
		}
	} else {
		l.mu.RLock()
		out = make([]LiveVehicle, 0, len(l.last))
		for id, e := range l.last {
			if !e.p.FixedAt.IsZero() {
				out = append(out, l.view(id, e.p, e.seen, now))
			}
		}
		l.mu.RUnlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].VehicleID < out[j].VehicleID })
	return out, nil
}

func (l *Live) view(id int64, p Point, seen, now time.Time) LiveVehicle {
	v := LiveVehicle{VehicleID: id, Lat: p.Lat, Lng: p.Lng, SpeedKmh: p.SpeedKmh, Course: p.Course, ACC: p.ACC,
		Alarm: p.Alarm, FixedAt: p.FixedAt, SeenAt: seen, Online: now.Sub(seen) < l.offlineAfter}
	switch {
	case p.Alarm != 0:
		v.State = VehicleAlarm
	case !v.Online:
		v.State = VehicleOffline
	case p.SpeedKmh > 5:
		v.State = VehicleMoving
	default:
		v.State = VehicleIdle
	}
	return v
}

// mirror writes the changed entries to Redis every interval until ctx ends; a failed write
// keeps the entries dirty for the next round.
func (l *Live) mirror(ctx context.Context, every time.Duration) {
	if l.rdb == nil {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			l.flushMirror(context.Background())
			return
		case <-t.C:
			l.flushMirror(ctx)
		}
	}
}

func (l *Live) flushMirror(ctx context.Context) {
	l.mu.Lock()
	if len(l.dirty) == 0 {
		l.mu.Unlock()
		return
	}
	fields := make([]any, 0, 2*len(l.dirty))
	for id := range l.dirty {
		e := l.last[id]
		b, _ := json.Marshal(mirrored{Lat: e.p.Lat, Lng: e.p.Lng, SpeedKmh: e.p.SpeedKmh, Course: e.p.Course, ACC: e.p.ACC, Alarm: e.p.Alarm, FixedAt: e.p.FixedAt, SeenAt: e.seen})
		fields = append(fields, strconv.FormatInt(id, 10), b)
	}
	dirty := l.dirty
	l.dirty = map[int64]bool{}
	l.mu.Unlock()
	if err := l.rdb.HSet(ctx, l.key, fields...).Err(); err != nil {
		l.mirrorLog.warn(l.log, "live state: mirror to redis failed", err)
		l.mu.Lock()
		for id := range dirty {
			l.dirty[id] = true
		}
		l.mu.Unlock()
	}
}
