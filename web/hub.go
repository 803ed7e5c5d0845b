package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"

	"fleet/approval"
	"fleet/auth"
	"fleet/bus"
	"fleet/dispatch"
	"fleet/tracking"
)

// Hub pushes live positions, events, approval notices and tasks to websocket clients. It takes
// them from the bus, so a point ingested on another instance reaches this instance's clients too
// (through Redis).
type Hub struct {
	track *tracking.Service
	bus   bus.Bus
	log   *slog.Logger

	mu      sync.RWMutex
	clients map[*client]struct{}
}

// NewHub returns a hub; Run feeds it.
func NewHub(t *tracking.Service, b bus.Bus, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Hub{track: t, bus: b, log: log, clients: map[*client]struct{}{}}
}

// Run takes positions, events and approval notices from the bus and hands them to the clients
// until ctx ends.
func (h *Hub) Run(ctx context.Context) error {
	sub, err := h.bus.Subscribe(ctx, tracking.TopicPositions, tracking.TopicEvents, approval.TopicApprovals, dispatch.TopicTasks)
	if err != nil {
		return err
	}
	defer sub.Close()
	for {
		select {
		case <-ctx.Done():
			h.closeAll()
			return nil
		case m, ok := <-sub.C():
			if !ok {
				return nil
			}
			switch m.Topic {
			case tracking.TopicPositions:
				h.positions(ctx, m.Data)
			case tracking.TopicEvents:
				h.event(m.Data)
			case approval.TopicApprovals:
				h.approval(m.Data)
			case dispatch.TopicTasks:
				h.task(m.Data)
			}
		}
	}
}

// positions merges the points into each subscribed client's pending update: per vehicle only
// the newest is kept until the client's next frame, so a slow client never queues stale points.
func (h *Hub) positions(ctx context.Context, data []byte) {
	var pts []tracking.LivePoint
	if err := json.Unmarshal(data, &pts); err != nil {
		h.log.Warn("hub: bad positions message", slog.Any("error", err))
		return
	}
	plates, err := h.track.PlatesOf(ctx, pts)
	if err != nil {
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if len(h.clients) == 0 {
		return
	}
	for _, p := range pts {
		if p.Late {
			continue
		}
		v := h.track.View(ctx, p, plates[p.VehicleID])
		b, err := json.Marshal(v) // once per point, whatever the number of clients
		if err != nil {
			continue
		}
		for c := range h.clients {
			c.offer(v.VehicleID, v.Lat, v.Lng, b)
		}
	}
}

// event forwards an event to the clients subscribed to events.
func (h *Hub) event(data []byte) {
	msg, _ := json.Marshal(struct {
		Type  string          `json:"type"`
		Event json.RawMessage `json:"event"`
	}{"event", data})
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients {
		if c.wants(topicEvents) {
			c.queue(msg)
		}
	}
}

// approval hands an approval notice to the clients of the users it names that follow approvals:
// each user gets only their own.
func (h *Hub) approval(data []byte) {
	var n approval.Notice
	if err := json.Unmarshal(data, &n); err != nil {
		h.log.Warn("hub: bad approvals message", slog.Any("error", err))
		return
	}
	if len(n.Users) == 0 {
		return
	}
	users := make(map[int64]bool, len(n.Users))
	for _, id := range n.Users {
		users[id] = true
	}
	msg, _ := json.Marshal(struct {
		Type     string              `json:"type"`
		Approval approval.NoticeBody `json:"approval"`
	}{"approval", n.Approval})
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients {
		if users[c.actor.UserID] && c.wants(topicApprovals) {
			c.queue(msg)
		}
	}
}

// task hands a task notice to the clients following tasks of the users it names (the task's
// driver) and of the dispatchers and admins: a driver gets only their own tasks.
func (h *Hub) task(data []byte) {
	var n dispatch.TaskNotice
	if err := json.Unmarshal(data, &n); err != nil {
		h.log.Warn("hub: bad tasks message", slog.Any("error", err))
		return
	}
	users := make(map[int64]bool, len(n.Users))
	for _, id := range n.Users {
		users[id] = true
	}
	if n.Event == dispatch.EventRequests && len(n.Requests) > 0 {
		h.requests(users, n.Requests)
		return
	}
	if n.Task == nil {
		return // a settings or fleet change: nothing to show
	}
	msg, _ := json.Marshal(struct {
		Type  string         `json:"type"`
		Event string         `json:"event"`
		Task  *dispatch.Task `json:"task"`
	}{"task", n.Event, n.Task})
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients {
		if (users[c.actor.UserID] || c.actor.Can(auth.PermDispatch)) && c.wants(topicTasks) {
			c.queue(msg)
		}
	}
}

// requests hands a request notice ({"type":"request","requests":[{id,status}]}) to the clients
// following tasks of the requests' applicants, and of those who see the dispatch queue.
func (h *Hub) requests(users map[int64]bool, states []dispatch.RequestState) {
	msg, _ := json.Marshal(struct {
		Type     string                  `json:"type"`
		Requests []dispatch.RequestState `json:"requests"`
	}{"request", states})
	h.mu.RLock()
	defer h.mu.RUnlock()
	for c := range h.clients {
		if (users[c.actor.UserID] || c.actor.Can(auth.PermDispatchRead)) && c.wants(topicTasks) {
			c.queue(msg)
		}
	}
}

func (h *Hub) add(c *client) {
	h.mu.Lock()
	h.clients[c] = struct{}{}
	h.mu.Unlock()
}

func (h *Hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

func (h *Hub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		c.close()
	}
}

// Clients returns how many websocket clients are connected.
func (h *Hub) Clients() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.clients)
}
