package sim

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"fleet/tracking/jt808"
)

// terminal is one simulated JT/T 808 terminal. Its reading goroutine (run) owns the connection:
// it dials, registers, authenticates, reads acknowledgements and answers platform commands, and
// dials again when the link drops. Sending reports is the wheel's work (tick, in report.go).
type terminal struct {
	sim   *sim
	idx   int // in the run, from 0: Config.Phone's i
	phone jt808.Phone
	v2019 bool

	wmu sync.Mutex // one write on the connection at a time

	mu         sync.Mutex // guards what follows, shared by the reader and tick
	conn       net.Conn   // the authenticated connection; nil while there is none
	gen        uint32     // number of the current connection, from 1
	serial     uint16     // the terminal's message serial
	authCode   string
	registered bool // registered at least once
	rng        *rand.Rand
	mot        motion
	pend       []pending // oldest first
	fix        int64     // Unix second of the last fix made
	nextReport time.Time
	lastWrite  time.Time
	latency    time.Duration // smoothed ack latency
	scheduled  bool          // in the wheel
	stopped    bool

	dueTick int64 // the wheel's

	// tick's own buffers (the wheel never runs one terminal's tick twice at once)
	tbuf, tbody []byte
	tfix        []int64 // fix times of the reports in tbuf sent for the first time, for Config.OnSend
}

func newTerminal(s *sim, idx int, phone jt808.Phone, v2019 bool, r *route, seed uint64) *terminal {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	return &terminal{sim: s, idx: idx, phone: phone, v2019: v2019, rng: rng, mot: newMotion(r, rng)}
}

// errRefused ends a terminal whose registration the platform refused.
var errRefused = errors.New("registration refused")

// run keeps the terminal connected until ctx ends or its registration is refused.
func (t *terminal) run(ctx context.Context) {
	st := &t.sim.st
	backoff := time.Second
	for ctx.Err() == nil {
		d := net.Dialer{Timeout: 10 * time.Second}
		c, err := d.DialContext(ctx, "tcp", t.sim.cfg.Server)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			st.dialErrors.Add(1)
		} else {
			stop := context.AfterFunc(ctx, func() { c.Close() })
			err = t.session(c)
			stop()
			c.Close()
			if errors.Is(err, errRefused) {
				t.stop()
				return
			}
			if err == nil { // a session that got going resets the back-off
				backoff = time.Second
			}
		}
		if ctx.Err() != nil {
			return
		}
		st.reconnects.Add(1)
		// Real terminals wait a little before dialling again; jitter keeps 10,000 of them from
		// coming back in one burst.
		wait := backoff/2 + rand.N(backoff)
		backoff = min(2*backoff, 30*time.Second)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// stop ends a refused terminal: the wheel drops it and its points are given up.
func (t *terminal) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stopped = true
	n := int64(len(t.pend))
	t.pend = nil
	t.sim.st.outstanding.Add(-n)
	t.sim.st.dropped.Add(n)
}

// session logs in on c and reads until the link drops; nil when it was up, errRefused when the
// platform refused the registration.
func (t *terminal) session(c net.Conn) error {
	st := &t.sim.st
	fr := newFrameReader()
	var out []byte
	if err := t.login(c, &fr, &out); err != nil {
		if !errors.Is(err, errRefused) && !t.sim.closing.Load() {
			st.ioErrors.Add(1)
		}
		return err
	}
	gen := t.online(c, &out)
	st.connect()
	defer func() {
		t.offline(c)
		st.connected.Add(-1)
	}()
	idle := t.sim.readTimeout
	for {
		c.SetReadDeadline(time.Now().Add(idle))
		p, err := fr.packet(c, st)
		if err != nil {
			if !t.sim.closing.Load() {
				st.ioErrors.Add(1)
			}
			return nil
		}
		if err := t.handle(c, gen, p, &out); err != nil {
			st.ioErrors.Add(1)
			return nil
		}
	}
}

// request writes one message with the next serial.
func (t *terminal) request(c net.Conn, out *[]byte, msgID uint16, body []byte) (uint16, error) {
	t.mu.Lock()
	t.serial++
	serial := t.serial
	t.mu.Unlock()
	var err error
	*out, err = jt808.AppendFrame((*out)[:0], t.header(msgID, serial), body)
	if err != nil {
		return 0, err
	}
	return serial, t.write(c, *out)
}

func (t *terminal) header(msgID, serial uint16) jt808.Header {
	return jt808.Header{MsgID: msgID, Phone: t.phone, Serial: serial, Version2019: t.v2019}
}

// write sends b whole, or fails within the write timeout.
func (t *terminal) write(c net.Conn, b []byte) error {
	t.wmu.Lock()
	defer t.wmu.Unlock()
	c.SetWriteDeadline(time.Now().Add(10 * time.Second))
	_, err := c.Write(b)
	return err
}

// online makes c the terminal's connection after a login: what was never acknowledged goes at
// once as 0x0704 blind-zone batches, and the first login puts the terminal in the wheel.
func (t *terminal) online(c net.Conn, out *[]byte) uint32 {
	st := &t.sim.st
	now := time.Now()
	t.mu.Lock()
	if t.gen == 0 {
		st.authenticated.Add(1)
	}
	t.gen++
	t.conn = c
	gen := t.gen
	frames := (*out)[:0]
	var batch jt808.Batch
	for i := 0; i < len(t.pend); {
		j := min(i+batchSize, len(t.pend))
		t.serial++
		batch.Type = jt808.BatchBlindZone
		batch.Locations = batch.Locations[:0]
		for k := i; k < j; k++ {
			p := &t.pend[k]
			p.gen, p.serial, p.msgID, p.tries, p.firstAt, p.lastAt = gen, t.serial, jt808.MsgBatch, 0, now, now
			if !p.sent {
				p.sent = true
				st.sent.Add(1)
			}
			batch.Locations = append(batch.Locations, jt808.Location{})
			p.location(&batch.Locations[len(batch.Locations)-1])
		}
		st.blind.Add(int64(j - i))
		frames, _ = jt808.AppendFrame(frames, t.header(jt808.MsgBatch, t.serial), jt808.AppendBatch(nil, &batch))
		i = j
	}
	if len(frames) > 0 {
		t.lastWrite = now
	}
	schedule := !t.scheduled
	if schedule {
		t.scheduled = true
		t.lastWrite = now
		// Spread the first reports over one interval, so that terminals report evenly whatever the ramp.
		t.nextReport = now.Add(rand.N(t.sim.cfg.Interval))
	}
	t.mu.Unlock()
	*out = frames
	if len(frames) > 0 {
		if err := t.write(c, frames); err != nil {
			c.Close() // the reader sees it and dials again
		}
	}
	if schedule {
		t.sim.wheel.add(t, t.nextReport)
	}
	return gen
}

// offline forgets the lost connection c: its frames in flight will go as blind-zone batches on
// the next one.
func (t *terminal) offline(c net.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.conn != c {
		return
	}
	t.conn = nil
	for i := range t.pend {
		t.pend[i].gen = 0
	}
}
