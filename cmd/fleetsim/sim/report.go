package sim

import (
	"time"

	"fleet/tracking/jt808"
)

// maxAhead bounds how far a terminal's fix clock may run ahead of the wall clock. Fix times are
// whole seconds and a vehicle's points are keyed by them, so a terminal reporting more often than
// once a second gives each report the next second; past this lead it skips reports instead.
const maxAhead = 2 * time.Minute

// tick does what is due for the terminal at now: make a report, send what is unsent, re-send
// what waited too long for its ack, or send a heartbeat. It returns when it next has work and
// false once the terminal is done.
func (t *terminal) tick(now time.Time) (time.Time, bool) {
	s := t.sim
	st := &s.st
	t.mu.Lock()
	if t.stopped {
		t.mu.Unlock()
		return time.Time{}, false
	}
	generating := !s.cfg.Idle && s.generating.Load()
	if generating && !now.Before(t.nextReport) {
		t.report(now)
		t.nextReport = t.nextReport.Add(s.cfg.Interval)
		if t.nextReport.Before(now) { // fell behind: no burst to catch up
			t.nextReport = now.Add(s.cfg.Interval)
		}
	}
	// Not reporting (idle, or the drain): look again after an ack timeout at the latest, for
	// re-sends of what a new connection sent.
	next := now.Add(s.cfg.AckTimeout)
	if generating {
		next = t.nextReport
	}
	c := t.conn
	frames := t.tbuf[:0]
	dropLink := false
	if c != nil {
		timeout := max(s.cfg.AckTimeout, 3*t.latency)
		var loc jt808.Location
		for i := 0; i < len(t.pend); {
			p := &t.pend[i]
			if p.gen == 0 { // new since the connection came up: send it
				t.serial++
				p.gen, p.serial, p.msgID, p.tries, p.firstAt, p.lastAt = t.gen, t.serial, jt808.MsgLocation, 0, now, now
				if !p.sent {
					p.sent = true
					st.sent.Add(1)
					if s.cfg.OnSend != nil {
						t.tfix = append(t.tfix, p.at)
					}
				}
				p.location(&loc)
				t.tbody = jt808.AppendLocation(t.tbody[:0], &loc)
				frames, _ = jt808.AppendFrame(frames, t.header(jt808.MsgLocation, p.serial), t.tbody)
				next = earliest(next, now.Add(timeout))
				i++
				continue
			}
			// A frame in flight: the points from i to j.
			j := i + 1
			for j < len(t.pend) && t.pend[j].gen == p.gen && t.pend[j].serial == p.serial && t.pend[j].msgID == p.msgID {
				j++
			}
			// JT/T 808's retransmission: the n-th re-send waits T×(n+1).
			deadline := p.lastAt.Add(timeout * time.Duration(p.tries+1))
			switch {
			case now.Before(deadline):
				next = earliest(next, deadline)
			case int(p.tries) >= s.cfg.MaxRetries:
				dropLink = true // no answer to any re-send: the link is dead, whatever TCP thinks
			default:
				frames = t.resend(frames, i, j, now)
				st.resent.Add(int64(j - i))
				next = earliest(next, now.Add(timeout*time.Duration(p.tries+1)))
			}
			i = j
		}
		if len(frames) == 0 && now.Sub(t.lastWrite) >= s.cfg.Heartbeat {
			t.serial++
			frames, _ = jt808.AppendFrame(frames, t.header(jt808.MsgHeartbeat, t.serial), nil)
			st.heartbeats.Add(1)
		}
		if len(frames) > 0 {
			t.lastWrite = now
		}
		next = earliest(next, t.lastWrite.Add(s.cfg.Heartbeat))
	}
	t.mu.Unlock()
	if len(frames) > 0 {
		if err := t.write(c, frames); err != nil {
			c.Close() // the reader notices and dials again
		} else if len(t.tfix) > 0 {
			at := time.Now()
			for _, fix := range t.tfix {
				s.cfg.OnSend(t.idx, fix, at)
			}
		}
	}
	t.tbuf, t.tfix = frames[:0], t.tfix[:0]
	if dropLink {
		st.timeouts.Add(1)
		c.Close()
	}
	return next, true
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// resend appends the frame of the points pend[i:j] again, with its serial.
func (t *terminal) resend(frames []byte, i, j int, now time.Time) []byte {
	p := &t.pend[i]
	for k := i; k < j; k++ {
		t.pend[k].tries++
		t.pend[k].lastAt = now
	}
	if p.msgID == jt808.MsgLocation {
		var loc jt808.Location
		p.location(&loc)
		t.tbody = jt808.AppendLocation(t.tbody[:0], &loc)
	} else {
		b := jt808.Batch{Type: jt808.BatchBlindZone, Locations: make([]jt808.Location, j-i)}
		for k := i; k < j; k++ {
			t.pend[k].location(&b.Locations[k-i])
		}
		t.tbody = jt808.AppendBatch(t.tbody[:0], &b)
	}
	frames, _ = jt808.AppendFrame(frames, t.header(p.msgID, p.serial), t.tbody)
	return frames
}

// report moves the vehicle on to the next fix and keeps the new point until it is acknowledged.
func (t *terminal) report(now time.Time) {
	s := t.sim
	st := &s.st
	sec := now.Unix()
	if t.fix != 0 {
		sec = max(sec, t.fix+1)
		if time.Unix(sec, 0).Sub(now) > maxAhead {
			return
		}
		t.mot.advance(int(min(sec-t.fix, 3600)), t.rng)
	}
	t.fix = sec
	p := t.point(sec)
	if t.rng.Float64() < s.cfg.AlarmRatio {
		if t.rng.IntN(4) == 0 {
			p.alarm |= jt808.AlarmSOS
		} else {
			p.alarm |= jt808.AlarmOverspeed
		}
	}
	if len(t.pend) >= s.cfg.MaxPending { // a real terminal's store is finite too: drop the oldest
		copy(t.pend, t.pend[1:])
		t.pend = t.pend[:len(t.pend)-1]
		st.dropped.Add(1)
		st.outstanding.Add(-1)
	}
	t.pend = append(t.pend, p)
	st.generated.Add(1)
	st.outstanding.Add(1)
}

// point is the vehicle's state at fix second sec, unsent.
func (t *terminal) point(sec int64) pending {
	m := &t.mot
	lat, lng, course := m.position()
	status := uint32(jt808.StatusPositioned | jt808.StatusGPS | jt808.StatusBeiDou)
	if m.acc() {
		status |= jt808.StatusACC
	}
	if t.v2019 && m.kmh > 0 {
		status |= jt808.StatusDriving
	}
	return pending{at: sec, lat: lat, lng: lng, mileage: m.odo, status: status, speed: float32(m.kmh),
		course: course, alt: int16(m.alt), sats: uint8(9 + t.rng.IntN(12))}
}

// lastPoint is the latest point made, for a location query; the current position before any.
func (t *terminal) lastPoint() pending {
	if n := len(t.pend); n > 0 {
		return t.pend[n-1]
	}
	sec := t.fix
	if sec == 0 {
		sec = time.Now().Unix()
	}
	return t.point(sec)
}
