package dispatch

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fleet/store"
	"fleet/tracking"
)

// TopicTasks is the bus topic of task changes (a TaskNotice as JSON): every instance's board
// refreshes the task from the store, and the web hub hands it to the driver and the dispatchers.
const TopicTasks = "tasks"

// keepRecent is how long after its window a finished task stays on the board: long enough for
// the driving limits of the day and the vehicles' last positions of the day.
const keepRecent = 36 * time.Hour

// TaskBoard keeps the open and recent tasks in memory, by vehicle and by driver. It is the
// tracking.Tasks of the platform: the misuse detector and the live map ask it for every point
// and every frame, so it answers from memory; the desk updates it on every change, and every
// instance refreshes it from the bus (topic tasks) and reloads it every minute.
type TaskBoard struct {
	db  *store.DB
	log *slog.Logger
	now func() time.Time

	mu        sync.RWMutex
	byID      map[int64]*slot
	byVehicle map[int64][]*slot // copy on write: a slice handed out is never changed
	byDriver  map[int64][]*slot
}

// slot is what the board keeps of a task.
type slot struct {
	id, requestID, vehicleID, driverID int64
	status                             string
	depart, ret                        time.Time // the planned window
	departedAt, returnedAt             *time.Time
	lat, lng                           float64 // where the task starts and ends (the origin)
	plannedKm                          float64
	title, driver                      string
	outOfArea                          bool
	blocks                             []driveBlock // tracked driving, once returned
}

// busyUntil is when the task frees its vehicle and driver: its planned return, or later while
// a departed trip runs late.
func (s *slot) busyUntil(now time.Time) time.Time {
	if s.status == TaskDeparted && now.After(s.ret) {
		return now
	}
	return s.ret
}

// NewTaskBoard returns an empty board on db; Load fills it (NewDesk's Start does).
func NewTaskBoard(db *store.DB, log *slog.Logger) *TaskBoard {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	b := &TaskBoard{db: db, log: log, now: time.Now}
	b.reset(nil)
	return b
}

func (b *TaskBoard) reset(slots []*slot) {
	byID := make(map[int64]*slot, len(slots))
	byVehicle, byDriver := map[int64][]*slot{}, map[int64][]*slot{}
	for _, s := range slots {
		byID[s.id] = s
		byVehicle[s.vehicleID] = append(byVehicle[s.vehicleID], s)
		byDriver[s.driverID] = append(byDriver[s.driverID], s)
	}
	b.mu.Lock()
	b.byID, b.byVehicle, b.byDriver = byID, byVehicle, byDriver
	b.mu.Unlock()
}

// Load replaces the board with the open tasks and those that ended lately, from the store.
func (b *TaskBoard) Load(ctx context.Context) error {
	if b.db == nil {
		return nil
	}
	slots, err := boardSlots(ctx, b.db.WithContext(ctx), b.now().UTC().Add(-keepRecent), 0)
	if err != nil {
		return err
	}
	b.reset(slots)
	return nil
}

// refresh reads one task from the store and puts it on the board (or takes it off).
func (b *TaskBoard) refresh(ctx context.Context, id int64) error {
	slots, err := boardSlots(ctx, b.db.WithContext(ctx), b.now().UTC().Add(-keepRecent), id)
	if err != nil {
		return err
	}
	if len(slots) == 0 {
		b.drop(id)
		return nil
	}
	b.put(slots[0])
	return nil
}

// put adds or replaces a task.
func (b *TaskBoard) put(s *slot) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropLocked(s.id)
	b.byID[s.id] = s
	b.byVehicle[s.vehicleID] = appendCopy(b.byVehicle[s.vehicleID], s)
	b.byDriver[s.driverID] = appendCopy(b.byDriver[s.driverID], s)
}

// drop takes a task off the board.
func (b *TaskBoard) drop(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dropLocked(id)
}

func (b *TaskBoard) dropLocked(id int64) {
	old, ok := b.byID[id]
	if !ok {
		return
	}
	delete(b.byID, id)
	b.byVehicle[old.vehicleID] = without(b.byVehicle[old.vehicleID], id)
	if len(b.byVehicle[old.vehicleID]) == 0 {
		delete(b.byVehicle, old.vehicleID)
	}
	b.byDriver[old.driverID] = without(b.byDriver[old.driverID], id)
	if len(b.byDriver[old.driverID]) == 0 {
		delete(b.byDriver, old.driverID)
	}
}

func appendCopy(list []*slot, s *slot) []*slot {
	out := make([]*slot, len(list), len(list)+1)
	copy(out, list)
	return append(out, s)
}

func without(list []*slot, id int64) []*slot {
	out := make([]*slot, 0, len(list))
	for _, s := range list {
		if s.id != id {
			out = append(out, s)
		}
	}
	return out
}

// vehicleSlots returns the vehicle's tasks on the board; the slice must not be changed.
func (b *TaskBoard) vehicleSlots(id int64) []*slot {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.byVehicle[id]
}

// driverSlots returns the driver's tasks on the board; the slice must not be changed.
func (b *TaskBoard) driverSlots(id int64) []*slot {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.byDriver[id]
}

// ActiveTask implements tracking.Tasks: the vehicle's task under way at the time — departed and
// not returned, completed with the time between its departure and return (a point that arrives
// late, from a phone that lost signal on the trip), or assigned or accepted with the time inside
// its window.
func (b *TaskBoard) ActiveTask(_ context.Context, vehicleID int64, at time.Time) (tracking.Task, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	var best *slot
	for _, s := range b.byVehicle[vehicleID] {
		switch {
		case s.status == TaskDeparted:
			if s.departedAt != nil && at.Before(*s.departedAt) {
				continue
			}
		case s.status == TaskCompleted:
			if s.departedAt == nil || s.returnedAt == nil || at.Before(*s.departedAt) || at.After(*s.returnedAt) {
				continue
			}
		case s.status == TaskAssigned || s.status == TaskAccepted:
			if at.Before(s.depart) || !at.Before(s.ret) {
				continue
			}
		default:
			continue
		}
		if best == nil || s.status == TaskDeparted && best.status != TaskDeparted || s.status == TaskCompleted && best.status != TaskDeparted {
			best = s
		}
	}
	if best == nil {
		return tracking.Task{}, false
	}
	return tracking.Task{ID: best.id, Title: best.title, DriverID: best.driverID, Driver: best.driver, OutOfArea: best.outOfArea}, true
}

// Len returns how many tasks the board holds.
func (b *TaskBoard) Len() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.byID)
}

// overlaps reports whether a slot books [from, to) widened by buffer on both sides at now.
func (s *slot) overlaps(from, to time.Time, buffer time.Duration, now time.Time) bool {
	if !taskOpen(s.status) {
		return false
	}
	return s.depart.Before(to.Add(buffer)) && s.busyUntil(now).After(from.Add(-buffer))
}
