package sim

import (
	"net"
	"time"

	"fleet/tracking/jt808"
)

// handle answers one message from the platform on connection gen.
func (t *terminal) handle(c net.Conn, gen uint32, p jt808.Packet, out *[]byte) error {
	st := &t.sim.st
	switch p.MsgID {
	case jt808.MsgPlatformResponse:
		r, err := jt808.ParseGeneralResponse(p.Body)
		if err != nil {
			st.badFrames.Add(1)
			return nil
		}
		switch r.MsgID {
		case jt808.MsgLocation, jt808.MsgBatch:
			if t.ack(gen, r, time.Now()) {
				c.Close() // refused as unauthenticated: log in again
			}
		case jt808.MsgHeartbeat:
			if r.Result != jt808.ResultOK {
				st.nacks.Add(1)
			}
		}
		return nil
	case jt808.MsgText:
		st.downlinks.Add(1)
		return t.reply(c, out, jt808.MsgTerminalResponse,
			jt808.AppendGeneralResponse(nil, jt808.GeneralResponse{Serial: p.Serial, MsgID: p.MsgID, Result: jt808.ResultOK}))
	case jt808.MsgLocationQuery:
		st.downlinks.Add(1)
		r := jt808.LocationReply{Serial: p.Serial}
		t.mu.Lock()
		last := t.lastPoint()
		t.mu.Unlock()
		last.location(&r.Location)
		return t.reply(c, out, jt808.MsgLocationReply, jt808.AppendLocationReply(nil, &r))
	case jt808.MsgRegisterResponse:
		return nil // a late answer to an earlier registration
	}
	if p.MsgID&0x8000 != 0 {
		// Any other platform command: a real terminal that lacks it answers "unsupported".
		st.downlinks.Add(1)
		return t.reply(c, out, jt808.MsgTerminalResponse,
			jt808.AppendGeneralResponse(nil, jt808.GeneralResponse{Serial: p.Serial, MsgID: p.MsgID, Result: jt808.ResultUnsupported}))
	}
	return nil
}

func (t *terminal) reply(c net.Conn, out *[]byte, msgID uint16, body []byte) error {
	_, err := t.request(c, out, msgID, body)
	return err
}

// ack settles the points a 0x8001 answers: the frames of connection gen with its serial and
// message ID. Result 0, or 4 (an alarm confirmed), acknowledges them; 1 means the platform
// does not consider the terminal authenticated (relogin reports true); 2 and 3 drop them.
func (t *terminal) ack(gen uint32, r jt808.GeneralResponse, now time.Time) (relogin bool) {
	st := &t.sim.st
	t.mu.Lock()
	defer t.mu.Unlock()
	if gen != t.gen {
		return false
	}
	var first time.Time
	n, resent := 0, false
	keep := t.pend[:0]
	for i := range t.pend {
		p := &t.pend[i]
		if p.gen == gen && p.serial == r.Serial && p.msgID == r.MsgID && r.Result != jt808.ResultFailure {
			if n == 0 {
				first = p.firstAt
			}
			resent = resent || p.tries > 0
			n++
			continue
		}
		keep = append(keep, *p)
	}
	t.pend = keep
	if n == 0 {
		// An answer to a frame already settled (a re-send's duplicate), or a failure.
		if r.Result == jt808.ResultFailure {
			st.nacks.Add(1)
			return true
		}
		return false
	}
	st.outstanding.Add(-int64(n))
	switch r.Result {
	case jt808.ResultOK, jt808.ResultAlarmAck:
		st.acked.Add(int64(n))
		d := now.Sub(first)
		st.lat.Record(d)
		// Karn's rule: the ack of a re-sent frame may answer any of its sends, so it is no
		// round trip. Taken as one, the wait through a database outage would stretch every
		// later ack timeout (3× this) to minutes, and the backlog would trickle in for ever.
		if resent {
			break
		}
		if t.latency == 0 {
			t.latency = d
		} else {
			t.latency += (d - t.latency) / 8
		}
	default:
		st.nacks.Add(1)
		st.dropped.Add(int64(n))
	}
	return false
}
