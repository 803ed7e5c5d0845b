package gateway

import (
	"context"
	"encoding/json"
	"log/slog"

	"fleet/bus"
	"fleet/tracking"
	"fleet/tracking/jt808"
)

// downlinks sends the commands published on the bus to the terminals this instance holds; the
// others are held by other instances, which send them.
func (s *Server) downlinks(ctx context.Context, sub *bus.Subscription) {
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-sub.C():
			if !ok {
				return
			}
			var d tracking.Downlink
			if err := json.Unmarshal(m.Data, &d); err != nil {
				s.log.Warn("jt808: bad downlink message", slog.Any("error", err))
				continue
			}
			sess := s.session(tracking.NormalizePhone(d.Phone))
			if sess == nil {
				continue
			}
			s.sendCommand(ctx, sess, d)
		}
	}
}

func (s *Server) sendCommand(ctx context.Context, sess *session, d tracking.Downlink) {
	var body []byte
	switch d.MsgID {
	case jt808.MsgText:
		// Flag bits: 0x08 terminal TTS reads it aloud, 0x04 terminal display.
		body = jt808.AppendText(nil, jt808.Text{Flags: 0x0c, Text: d.Text}, sess.v2019)
	case jt808.MsgLocationQuery:
	default:
		s.log.Warn("jt808: unknown downlink message", slog.Int("msg_id", d.MsgID))
		return
	}
	serial := sess.nextSerial()
	if err := s.track.CommandSent(ctx, d.CommandID, serial); err != nil {
		s.log.Warn("jt808: record command sent", slog.Any("error", err))
		return
	}
	if _, ok := sess.sendAs(serial, jt808.Header{MsgID: uint16(d.MsgID)}, body); ok {
		s.m.commands.Inc()
	}
}
