package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch/nearby"
	"fleet/store"
	"fleet/tracking"
)

// Names under which requests meet the approval engine.
const (
	RequestDefinition = approval.DefVehicleUse // the applicant's unit head approves
	RequestRefType    = "vehicle_request"
)

// DeskOptions tune the desk; the zero value gets the defaults.
type DeskOptions struct {
	Now      func() time.Time // injectable clock; default time.Now
	Logger   *slog.Logger
	Location *time.Location // the county's calendar (days, months); default Asia/Shanghai
	// SnapshotTTL is how long the vehicles and drivers read for ranking are reused; default 10 s.
	// A stale snapshot can only cost a 409 at assignment, which checks the stored rows.
	SnapshotTTL time.Duration
}

// Desk is the dispatch desk: vehicle-use requests and their approval, candidate ranking,
// assignment (one vehicle and one driver per task, never double-booked), trip merging, the
// drivers' task actions and the dispatch settings. It works on the fleet records of Service, the
// approval engine, the tracker (live positions, county boundary, trips, texts to terminals) and
// the bus (topic tasks).
type Desk struct {
	db        *store.DB
	fleet     *Service
	approvals *approval.Service
	track     *tracking.Service // nil: no positions, no county boundary, no terminal texts
	bus       bus.Bus           // nil: no notices
	board     *TaskBoard
	opt       DeskOptions

	settings atomic.Pointer[Settings]

	// Where vehicles are, for the candidate search: live holds each vehicle's live position (its
	// parking point until it reports), parked its parking point (its live position when it has
	// none). A task departing on a later day starts from parked.
	live, parked *nearby.Index
	posMu        sync.Mutex
	reported     map[int64]time.Time // vehicles with a live position: when it was fixed

	snapMu sync.Mutex
	snap   *fleetSnapshot

	statsMu sync.Mutex
	stats   *monthStats
}

// NewDesk returns the dispatch desk. board is the task board given to tracking as its Tasks
// (NewTaskBoard); track and b may be nil in tools and tests. It registers the approval hook of
// vehicle requests. Call Run to follow positions, tasks and settings.
func NewDesk(fleet *Service, approvals *approval.Service, track *tracking.Service, board *TaskBoard, b bus.Bus, opt DeskOptions) (*Desk, error) {
	if fleet == nil || approvals == nil || board == nil {
		return nil, errors.New("dispatch: the desk needs the fleet records, the approval engine and a task board")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Location == nil {
		opt.Location = fleet.loc
	}
	if opt.SnapshotTTL <= 0 {
		opt.SnapshotTTL = 10 * time.Second
	}
	d := &Desk{db: fleet.db, fleet: fleet, approvals: approvals, track: track, bus: b, board: board, opt: opt,
		live: nearby.New(), parked: nearby.New(), reported: map[int64]time.Time{}}
	board.now = opt.Now
	def := DefaultSettings()
	d.settings.Store(&def)
	approvals.OnFinish(RequestRefType, d.onApproval)
	fleet.onChange = d.fleetChanged
	return d, nil
}

// Start loads the settings and the vehicles' positions, then follows the bus (positions, tasks,
// settings) and refreshes the board every minute until ctx ends. It returns once loaded; the
// following runs in the background.
func (d *Desk) Start(ctx context.Context) error {
	if err := d.loadSettings(ctx); err != nil {
		return err
	}
	if err := d.board.Load(ctx); err != nil {
		return err
	}
	if _, err := d.snapshot(ctx); err != nil {
		return err
	}
	if d.track != nil {
		// The live state itself, not LiveVehicles: that would prime the tracker's plate cache
		// before the vehicles the live map will show exist.
		vs, err := d.track.Live().Snapshot(ctx, d.opt.Now())
		if err != nil {
			return fmt.Errorf("dispatch: live positions: %w", err)
		}
		for _, v := range vs {
			d.setPosition(v.VehicleID, v.Lat, v.Lng, v.FixedAt)
		}
	}
	if d.bus == nil {
		return nil
	}
	sub, err := d.bus.Subscribe(ctx, tracking.TopicPositions, TopicTasks, approval.TopicApprovals)
	if err != nil {
		return fmt.Errorf("dispatch: subscribe: %w", err)
	}
	go d.follow(ctx, sub)
	return nil
}

// follow applies the bus's messages until ctx ends.
func (d *Desk) follow(ctx context.Context, sub *bus.Subscription) {
	defer sub.Close()
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := d.board.Load(ctx); err != nil && ctx.Err() == nil {
				d.opt.Logger.Warn("dispatch: reload tasks", slog.Any("error", err))
			}
		case m, ok := <-sub.C():
			if !ok {
				return
			}
			switch m.Topic {
			case tracking.TopicPositions:
				d.positions(m.Data)
			case TopicTasks:
				d.taskMessage(ctx, m)
			case approval.TopicApprovals:
				d.approvalMessage(ctx, m)
			}
		}
	}
}

// now is the desk's clock in UTC, to the millisecond (what MySQL's DATETIME(3) keeps).
func (d *Desk) now() time.Time { return d.opt.Now().UTC().Truncate(time.Millisecond) }

// currentSettings returns the dispatch settings in force.
func (d *Desk) currentSettings() Settings { return *d.settings.Load() }

// record writes an audit line.
func (d *Desk) record(ctx context.Context, a *auth.Actor, action, target, detail string) {
	d.fleet.record(ctx, a, action, target, detail)
}

func requestTarget(id int64) string { return fmt.Sprintf("vehicle_request:%d", id) }
func taskTarget(id int64) string    { return fmt.Sprintf("dispatch_task:%d", id) }
