package sim

import (
	"testing"
	"time"

	"fleet/tracking/jt808"
)

// The ack timeout follows the round trip of frames answered at their first send only (Karn's
// rule): the ack of a frame re-sent through an outage says nothing of the round trip.
func TestAckOfResentFrameIsNoRoundTrip(t *testing.T) {
	now := time.Now()
	for _, tc := range []struct {
		name  string
		tries uint8
		sent  time.Duration // before the ack
		want  time.Duration // the terminal's round trip afterwards
	}{
		{"first send", 0, 200 * time.Millisecond, 200 * time.Millisecond},
		{"re-sent through a 40 s outage", 2, 40 * time.Second, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			term := &terminal{sim: &sim{cfg: DefaultConfig()}, gen: 1}
			term.pend = []pending{{gen: 1, serial: 7, msgID: jt808.MsgLocation, tries: tc.tries, firstAt: now.Add(-tc.sent)}}
			term.sim.st.outstanding.Add(1)
			term.ack(1, jt808.GeneralResponse{Serial: 7, MsgID: jt808.MsgLocation, Result: jt808.ResultOK}, now)
			if len(term.pend) != 0 || term.sim.st.acked.Load() != 1 {
				t.Fatalf("pending %d, acked %d: want the point settled", len(term.pend), term.sim.st.acked.Load())
			}
			if term.latency != tc.want {
				t.Errorf("round trip = %v, want %v", term.latency, tc.want)
			}
		})
	}
}
