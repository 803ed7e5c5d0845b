package dispatch

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"fleet/auth"
	"fleet/bus"
	"fleet/tracking"
)

// Events of a task notice.
const (
	EventAssigned   = "assigned"
	EventAccepted   = "accepted"
	EventDeclined   = "declined"
	EventChecked    = "checked"
	EventDeparted   = "departed"
	EventReturned   = "returned"
	EventCancelled  = "cancelled"
	EventReassigned = "reassigned" // to the driver who lost the task
	EventUpdated    = "updated"    // a merged trip lost a request
	EventSettings   = "settings"   // the dispatch settings changed (no task)
)

// TaskNotice is the message on TopicTasks. Every instance's board refreshes Task.ID from the
// store; the web hub hands Task to the websocket clients of Users (the driver) and of the
// dispatchers that follow tasks.
type TaskNotice struct {
	Event    string         `json:"event"`
	Users    []int64        `json:"users"`
	Task     *Task          `json:"task,omitempty"`
	Requests []RequestState `json:"requests,omitempty"` // EventRequests
}

// publish sends a notice on the bus; a lost notice costs the next reload, never a booking.
func (d *Desk) publish(ctx context.Context, n TaskNotice) {
	if d.bus == nil {
		return
	}
	b, err := json.Marshal(n)
	if err != nil {
		return
	}
	if err := d.bus.Publish(context.WithoutCancel(ctx), TopicTasks, b); err != nil {
		d.opt.Logger.Warn("dispatch: publish task notice", slog.String("event", n.Event), slog.Any("error", err))
	}
}

// taskMessage applies a notice from the bus: another instance's change reaches this board.
func (d *Desk) taskMessage(ctx context.Context, m bus.Message) {
	var n TaskNotice
	if err := json.Unmarshal(m.Data, &n); err != nil {
		d.opt.Logger.Warn("dispatch: bad task notice", slog.Any("error", err))
		return
	}
	if n.Event == EventFleet {
		if m.Origin != d.bus.InstanceID() {
			d.dropSnapshot()
		}
		return
	}
	if n.Event == EventSettings {
		if m.Origin != d.bus.InstanceID() {
			if err := d.loadSettings(ctx); err != nil {
				d.opt.Logger.Warn("dispatch: reload settings", slog.Any("error", err))
			}
		}
		return
	}
	if n.Task == nil || m.Origin == d.bus.InstanceID() {
		return // this instance's board has it already
	}
	if err := d.board.refresh(ctx, n.Task.ID); err != nil {
		d.opt.Logger.Warn("dispatch: refresh task", slog.Int64("task_id", n.Task.ID), slog.Any("error", err))
	}
}

// changed runs after a committed change of tasks: the board takes them from the store, and a
// notice goes to the drivers (users), the dispatchers and the other instances.
func (d *Desk) changed(ctx context.Context, event string, taskIDs ...int64) {
	ctx = context.WithoutCancel(ctx)
	var requests []int64
	for _, id := range taskIDs {
		if err := d.board.refresh(ctx, id); err != nil {
			d.opt.Logger.Warn("dispatch: refresh task", slog.Int64("task_id", id), slog.Any("error", err))
			continue
		}
		if d.bus == nil {
			continue
		}
		db := d.db.WithContext(ctx)
		t, err := taskView(db, id)
		if err != nil {
			d.opt.Logger.Warn("dispatch: task notice", slog.Int64("task_id", id), slog.Any("error", err))
			continue
		}
		n := TaskNotice{Event: event, Task: t, Users: []int64{}}
		if user, err := userOfDriver(db, t.DriverID); err == nil && user != 0 {
			n.Users = append(n.Users, user)
		}
		if event == EventAssigned && t.Status == TaskReassigned {
			n.Event = EventReassigned
		}
		d.publish(ctx, n)
		requests = append(requests, t.RequestIDs...)
	}
	d.requestsChanged(ctx, requests...) // their applicants follow the trip
}

// sendTaskText sends the task to the vehicle's terminal as a JT/T 808 text (0x8300): best
// effort, logged when it cannot go or the terminal has not reported lately (it waits queued).
func (d *Desk) sendTaskText(ctx context.Context, a *auth.Actor, t *Task) {
	if d.track == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	text := taskText(t, d.opt.Location)
	log := d.opt.Logger.With(slog.Int64("task_id", t.ID), slog.Int64("vehicle_id", t.VehicleID))
	if _, err := d.track.SendCommand(ctx, a, t.VehicleID, tracking.CommandInput{Type: tracking.CommandText, Text: text}); err != nil {
		log.Info("dispatch: task text not sent to the terminal", slog.Any("error", err))
		return
	}
	d.posMu.Lock()
	fixed, ok := d.reported[t.VehicleID]
	d.posMu.Unlock()
	if !ok || d.opt.Now().Sub(fixed) > 5*time.Minute {
		log.Warn("dispatch: terminal offline; the task text waits until it reconnects")
	}
}

// taskText is the terminal's text of a task, at most 200 characters (SendCommand's limit).
func taskText(t *Task, loc *time.Location) string {
	dest := ""
	if len(t.Destinations) > 0 {
		dest = t.Destinations[0].Address
		if len(t.Destinations) > 1 {
			dest += fmt.Sprintf("等%d处", len(t.Destinations))
		}
	}
	s := fmt.Sprintf("派车任务#%d %s出发 驾驶员%s %s→%s 乘车%d人 联系人%s %s", t.ID, t.DepartAt.In(loc).Format("01-02 15:04"),
		t.Driver, t.Origin.Address, dest, t.Passengers, t.Applicant, t.ApplicantPhone)
	r := []rune(strings.TrimSpace(s))
	if len(r) > 200 {
		r = r[:200]
	}
	return string(r)
}
