package wsload

import (
	"bytes"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"fleet/cmd/fleetsim/latency"
)

// client is one websocket connection subscribed to all positions. Its goroutine reads without
// pause, so any lag measured is the server's (or the shared cores'), never a reader's backlog.
type client struct {
	l    *Load
	base int // index in Config.Bases
	conn *websocket.Conn
	last []int64 // per terminal, the newest fix time received (Unix seconds); 0 before any
	buf  bytes.Buffer

	// Counters since the connection: only this client's goroutine writes them, marks read them.
	lat       latency.Hist // deliveries of reports whose send time is known
	items     atomic.Int64 // vehicle items in positions frames
	frames    atomic.Int64 // positions frames
	bytes     atomic.Int64 // payload bytes of every message
	skipped   atomic.Int64 // reports sent but never received: the client got an older and then a newer one
	dups      atomic.Int64 // items no newer than what the client already had
	unmatched atomic.Int64 // items whose send time is not known (sent before the run, or long ago)
	unknown   atomic.Int64 // items of vehicles bound to no terminal of the run

	subscribed chan struct{} // closed at the snapshot
	ended      chan struct{} // closed when the connection ends
	dropped    atomic.Bool   // the connection ended before Stop
	once       sync.Once
	mu         sync.Mutex
	err        string // why it ended, or what the server refused
}

// read reads messages until the connection ends.
func (c *client) read() {
	defer close(c.ended)
	for {
		_, r, err := c.conn.NextReader()
		if err == nil {
			c.buf.Reset()
			_, err = c.buf.ReadFrom(r)
		}
		if err != nil {
			if !c.l.stopping.Load() {
				c.dropped.Store(true)
				c.fail(err.Error())
			}
			return
		}
		recv := time.Now()
		msg := c.buf.Bytes()
		c.bytes.Add(int64(len(msg)))
		switch frameType(msg) {
		case "positions":
			c.frames.Add(1)
			c.positions(msg, recv.UnixNano())
		case "snapshot":
			eachItem(msg, func(id, fix int64) {
				if t, ok := c.l.terms[id]; ok {
					c.last[t] = max(c.last[t], fix)
				}
			})
			c.once.Do(func() { close(c.subscribed) })
		case "error":
			var m struct{ Message string }
			json.Unmarshal(msg, &m)
			c.fail("server: " + m.Message)
		}
	}
}

// positions takes the items of one frame received at recv (Unix nanoseconds).
func (c *client) positions(msg []byte, recv int64) {
	var items, skipped, dups, unmatched, unknown int64
	l := c.l
	err := eachItem(msg, func(id, fix int64) {
		items++
		t, ok := l.terms[id]
		if !ok {
			unknown++
			return
		}
		last := c.last[t]
		if fix <= last {
			dups++
			return
		}
		if last != 0 {
			skipped += int64(l.sends.between(int(t), last, fix))
		}
		c.last[t] = fix
		at, ok := l.sends.at(int(t), fix)
		if !ok {
			unmatched++
			return
		}
		d := time.Duration(recv - at)
		c.lat.Record(d)
		if l.sends.firstDelivery(int(t), fix) {
			l.first.Record(d)
		}
	})
	if err != nil {
		c.fail(err.Error())
	}
	c.items.Add(items)
	c.skipped.Add(skipped)
	c.dups.Add(dups)
	c.unmatched.Add(unmatched)
	c.unknown.Add(unknown)
}

func (c *client) fail(why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == "" {
		c.err = why
	}
}

func (c *client) reason() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}
