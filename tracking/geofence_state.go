package tracking

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"fleet/bus"
)

// TopicGeofences is the bus topic on which an instance says it changed a geofence
// ({"id":…}); the others reload theirs.
const TopicGeofences = "geofences"

// fencePoll is how often an instance also checks the table for changes, in case a bus message
// was lost (Redis pub/sub delivers at most once).
const fencePoll = time.Minute

// fenceRetry is how long the detectors wait before trying again to load fences that failed.
const fenceRetry = 10 * time.Second

// fenceHolder is an instance's geofences: an immutable index swapped whole on every change,
// read by the detectors without a lock.
type fenceHolder struct {
	idx atomic.Pointer[fenceIndex]

	mu       sync.Mutex // serialises loads and swaps
	version  string     // fencesVersion at the last load
	failedAt time.Time  // last failed load, to retry no more than every fenceRetry

	nightMu sync.Mutex
	nights  map[int64]int // vehicle → the night (yyyymmdd of its evening) it was reported parked away
}

// fenceState returns the service's geofences (empty until loaded).
func (s *Service) fenceState() *fenceHolder { return s.fences }

// LoadGeofences reads every geofence and indexes it, makes the overspeed detector honour their
// speed limits, and from then on follows the changes other instances make (bus messages, and a
// poll of the table every minute) until ctx ends. NewService calls it with the service's
// context; without it the fences are loaded at their first use and followed only on this
// instance.
func (s *Service) LoadGeofences(ctx context.Context) error {
	h := s.fenceState()
	if err := s.reloadFences(ctx, h); err != nil {
		return err
	}
	if s.fenceLimit == nil {
		s.fenceLimit = s.fenceSpeedLimit
	}
	go s.followFences(ctx, h, fencePoll)
	return nil
}

// loadedFences returns the fence index, loading it on first use.
func (s *Service) loadedFences(ctx context.Context) (*fenceIndex, error) {
	h := s.fenceState()
	if ix := h.idx.Load(); ix != nil {
		return ix, nil
	}
	if err := s.reloadFences(ctx, h); err != nil {
		return nil, err
	}
	return h.idx.Load(), nil
}

// fencesForDetect is loadedFences for the detectors: a failed load is logged and retried after
// fenceRetry, and meanwhile the point is judged against no fence.
func (s *Service) fencesForDetect(ctx context.Context) *fenceIndex {
	h := s.fenceState()
	if ix := h.idx.Load(); ix != nil {
		return ix
	}
	h.mu.Lock()
	wait := time.Since(h.failedAt) < fenceRetry
	h.mu.Unlock()
	if wait {
		return nil
	}
	if err := s.reloadFences(ctx, h); err != nil {
		s.opt.Logger.Error("load geofences", slog.Any("error", err))
		return nil
	}
	return h.idx.Load()
}

// reloadFences reads every fence and swaps in a new index; fences whose shape did not change
// keep their cells. Fences stored without their cells (or with a different count: written by an
// older cover) get them rewritten, so geofence_cells stays a faithful copy for SQL readers.
func (s *Service) reloadFences(ctx context.Context, h *fenceHolder) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	version, err := s.fencesVersion(ctx)
	if err == nil && version == h.version && h.idx.Load() != nil {
		return nil
	}
	var rows []geofenceRow
	if err == nil {
		rows, err = s.allGeofences(ctx)
	}
	var stored map[int64]int
	if err == nil {
		stored, err = s.storedCellCounts(ctx)
	}
	if err != nil {
		h.failedAt = time.Now()
		return err
	}
	old := h.idx.Load()
	fences := make([]*fence, 0, len(rows))
	for i := range rows {
		r := &rows[i]
		var prev *fence
		if old != nil {
			prev = old.byID[r.ID]
		}
		f, err := buildFence(r.ID, r.input(), prev)
		if err != nil {
			s.opt.Logger.Error("geofence skipped", slog.Int64("id", r.ID), slog.Any("error", err))
			continue
		}
		if (prev == nil || prev.geoKey != f.geoKey) && stored[r.ID] != len(f.cells) {
			if err := s.replaceCells(ctx, r.ID, f.cells); err != nil {
				s.opt.Logger.Warn("geofence cells not stored", slog.Int64("id", r.ID), slog.Any("error", err))
			}
		}
		fences = append(fences, f)
	}
	h.idx.Store(newFenceIndex(fences))
	h.version = version
	return nil
}

// fenceChanged puts a new or changed fence in this instance's index (or removes one) and tells
// the other instances.
func (s *Service) fenceChanged(ctx context.Context, put *fence, remove int64) {
	h := s.fenceState()
	h.mu.Lock()
	var fences []*fence
	if old := h.idx.Load(); old != nil {
		fences = make([]*fence, 0, len(old.byID)+1)
		for id, f := range old.byID {
			if id != remove && (put == nil || id != put.id) {
				fences = append(fences, f)
			}
		}
	}
	if put != nil {
		fences = append(fences, put)
		remove = put.id
	}
	sort.Slice(fences, func(i, j int) bool { return fences[i].id < fences[j].id })
	h.idx.Store(newFenceIndex(fences))
	h.version = "" // the table changed: the next poll reloads (keeping the cells)
	h.mu.Unlock()
	if s.bus != nil {
		b, _ := json.Marshal(map[string]int64{"id": remove})
		if err := s.bus.Publish(ctx, TopicGeofences, b); err != nil {
			s.opt.Logger.Warn("publish geofence change", slog.Any("error", err))
		}
	}
}

// followFences reloads the fences when another instance announces a change, and every poll
// in case an announcement was lost, until ctx ends.
func (s *Service) followFences(ctx context.Context, h *fenceHolder, poll time.Duration) {
	var msgs <-chan bus.Message
	if s.bus != nil {
		sub, err := s.bus.Subscribe(ctx, TopicGeofences)
		if err != nil {
			s.opt.Logger.Warn("subscribe to geofence changes", slog.Any("error", err))
		} else {
			defer sub.Close()
			msgs = sub.C()
		}
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-msgs:
			// Our own announcements come back too: reloading costs one query, the cells are kept.
			if !ok {
				msgs = nil
				continue
			}
		case <-t.C:
		}
		if err := s.reloadFences(ctx, h); err != nil && ctx.Err() == nil {
			s.opt.Logger.Warn("reload geofences", slog.Any("error", err))
		}
	}
}
