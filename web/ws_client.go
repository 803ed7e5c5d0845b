package web

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"fleet/auth"
)

// Websocket limits.
const (
	wsWriteWait    = 10 * time.Second       // one write
	wsPongWait     = 60 * time.Second       // a client silent this long (no pong) is gone
	wsPingEvery    = 25 * time.Second       // < wsPongWait
	wsFlushEvery   = 250 * time.Millisecond // positions are coalesced per client this long
	wsMaxMessage   = 4096                   // bytes of one client message
	wsQueue        = 64                     // frames waiting for the writer before the client is dropped
	wsMaxBadInputs = 5                      // malformed client messages before the connection is closed
)

const (
	topicPositions = "positions"
	topicEvents    = "events"
	topicTasks     = "tasks"
	topicApprovals = "approvals"
)

// topicPerm is what a role needs for a topic. Tasks and approvals are open to every role: the
// dispatch issue sends a driver only their own tasks, and the hub hands an approval notice only to
// the users it names (Hub.approval).
var topicPerm = map[string]auth.Permission{
	topicPositions: auth.PermLiveRead,
	topicEvents:    auth.PermEventsRead,
	topicTasks:     auth.PermAny,
	topicApprovals: auth.PermAny,
}

// What a client keeps between flushes: a frame buffer and pending map up to these sizes are
// reused; larger ones (a burst, a whole-county subscription) are let go after the flush.
const (
	wsKeepFrame   = 64 << 10
	wsKeepPending = 1024
)

// client is one websocket connection: a read pump (this goroutine) and a write pump.
type client struct {
	hub   *Hub
	conn  *websocket.Conn
	actor *auth.Actor
	send  chan []byte
	done  chan struct{}
	once  sync.Once

	mu      sync.Mutex
	topics  map[string]bool
	bbox    *[4]float64      // minLng, minLat, maxLng, maxLat
	pending map[int64][]byte // vehicle → its newest position, encoded once by the hub
	frame   []byte           // the positions frame, reused by the write pump
}

// subscribeMsg is the client's message.
type subscribeMsg struct {
	Type   string    `json:"type"`
	Topics []string  `json:"topics"`
	BBox   []float64 `json:"bbox"`
}

func (c *client) close() {
	c.once.Do(func() {
		close(c.done)
		c.conn.Close()
	})
}

func (c *client) wants(topic string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.topics[topic]
}

// offer merges a vehicle's newest position (item, its JSON) into the pending frame if the
// client follows it.
func (c *client) offer(vehicleID int64, lat, lng float64, item []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.topics[topicPositions] || !inBox(c.bbox, lat, lng) {
		return
	}
	c.pending[vehicleID] = item
}

// queue hands a frame to the writer; a client whose queue is full cannot keep up and is dropped.
func (c *client) queue(msg []byte) {
	select {
	case c.send <- msg:
	case <-c.done:
	default:
		c.close()
	}
}

func (c *client) errorMsg(text string) {
	b, _ := json.Marshal(map[string]string{"type": "error", "message": text})
	c.queue(b)
}

func inBox(b *[4]float64, lat, lng float64) bool {
	return b == nil || (lng >= b[0] && lat >= b[1] && lng <= b[2] && lat <= b[3])
}

// readPump reads subscriptions until the connection ends.
func (c *client) readPump(ctx context.Context) {
	defer c.close()
	c.conn.SetReadLimit(wsMaxMessage)
	c.conn.SetReadDeadline(time.Now().Add(wsPongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(wsPongWait)) })
	bad := 0
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return // closed, timed out, or a message over the read limit
		}
		if problem := c.handle(ctx, data); problem != "" {
			c.errorMsg(problem)
			if bad++; bad >= wsMaxBadInputs {
				c.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "too many bad messages"), time.Now().Add(time.Second))
				return
			}
		}
	}
}

// handle applies one client message and returns what was wrong with it, or "".
func (c *client) handle(ctx context.Context, data []byte) string {
	topics, box, problem := parseSubscribe(data, c.actor)
	if problem != "" {
		return problem
	}
	c.mu.Lock()
	c.topics, c.bbox = topics, box
	c.pending = map[int64][]byte{}
	c.mu.Unlock()
	if topics[topicPositions] {
		vs, err := c.hub.track.LiveVehicles(ctx, c.actor)
		if err != nil {
			return "snapshot unavailable"
		}
		in := vs[:0]
		for _, v := range vs {
			if inBox(box, v.Lat, v.Lng) {
				in = append(in, v)
			}
		}
		b, _ := json.Marshal(map[string]any{"type": "snapshot", "vehicles": in})
		c.queue(b)
	}
	return ""
}

// parseSubscribe reads a subscribe message: the topics the actor may follow and the optional bbox
// (nil: everywhere), or what was wrong with it.
func parseSubscribe(data []byte, actor *auth.Actor) (topics map[string]bool, box *[4]float64, problem string) {
	var m subscribeMsg
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, nil, "malformed message: send JSON"
	}
	if m.Type != "subscribe" {
		return nil, nil, "unknown message type; send {\"type\":\"subscribe\",...}"
	}
	if len(m.Topics) == 0 || len(m.Topics) > 4 {
		return nil, nil, "topics: name 1 to 4 of positions, events, tasks, approvals"
	}
	topics = map[string]bool{}
	for _, t := range m.Topics {
		perm, ok := topicPerm[t]
		if !ok {
			return nil, nil, "unknown topic " + t
		}
		if !actor.Can(perm) {
			return nil, nil, "your role may not follow " + t
		}
		topics[t] = true
	}
	if m.BBox != nil {
		if len(m.BBox) != 4 || m.BBox[0] > m.BBox[2] || m.BBox[1] > m.BBox[3] ||
			m.BBox[0] < -180 || m.BBox[2] > 180 || m.BBox[1] < -90 || m.BBox[3] > 90 {
			return nil, nil, "bbox: must be [minLng,minLat,maxLng,maxLat] with min ≤ max"
		}
		box = &[4]float64{m.BBox[0], m.BBox[1], m.BBox[2], m.BBox[3]}
	}
	return topics, box, ""
}

// writePump writes queued frames, the coalesced positions every wsFlushEvery, and pings.
func (c *client) writePump() {
	flush := time.NewTicker(wsFlushEvery)
	ping := time.NewTicker(wsPingEvery)
	defer func() {
		flush.Stop()
		ping.Stop()
		c.close()
	}()
	write := func(msg []byte) bool {
		c.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
		return c.conn.WriteMessage(websocket.TextMessage, msg) == nil
	}
	for {
		select {
		case <-c.done:
			return
		case msg := <-c.send:
			if !write(msg) {
				return
			}
		case <-flush.C:
			c.mu.Lock()
			if len(c.pending) == 0 {
				c.mu.Unlock()
				continue
			}
			// The items are joined as the hub encoded them: no encoding per client.
			b := append(c.frame[:0], `{"type":"positions","items":[`...)
			first := true
			for _, item := range c.pending {
				if !first {
					b = append(b, ',')
				}
				b = append(b, item...)
				first = false
			}
			b = append(b, "]}"...)
			if len(c.pending) > wsKeepPending {
				c.pending = make(map[int64][]byte) // do not hold a burst's buckets for ever
			} else {
				clear(c.pending)
			}
			c.mu.Unlock()
			c.frame = nil
			if cap(b) <= wsKeepFrame {
				c.frame = b
			}
			if !write(b) { // WriteMessage copies b into the connection before it returns
				return
			}
		case <-ping.C:
			c.conn.SetWriteDeadline(time.Now().Add(wsWriteWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}
