package gateway

import (
	"bufio"
	"context"
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"fleet/tracking/jt808"
)

// session is one terminal connection: this goroutine reads and handles frames in order, a second
// one writes what is queued for the terminal.
type session struct {
	srv       *Server
	conn      net.Conn
	out       chan []byte // encoded frames for the writer
	done      chan struct{}
	closeOnce sync.Once
	serial    atomic.Uint32 // our outgoing serial, per connection

	// Set once authenticated; read by downlink senders on other goroutines.
	authed    atomic.Bool
	phone     string // without leading zeros
	wirePhone jt808.Phone
	v2019     bool
	vehicleID int64

	reasm   jt808.Reassembler
	buf     []byte // unescape buffer, reused
	wbuf    []byte // frame-building buffer, reused by the reader goroutine
	loc     jt808.Location
	bad     int // consecutive undecodable frames
	pointsB []trackingPoint
	batchB  jt808.Batch
}

func newSession(s *Server, c net.Conn) *session {
	return &session{srv: s, conn: c, out: make(chan []byte, 64), done: make(chan struct{})}
}

// close ends the session once; the reader and writer notice.
func (ss *session) close() {
	ss.closeOnce.Do(func() {
		close(ss.done)
		ss.conn.Close()
	})
}

func (ss *session) run(ctx context.Context) {
	defer ss.close()
	go ss.writer()
	// The scanner is the only read buffer: it starts small (most frames are under 100 bytes) and
	// grows to the largest frame seen, so 10,000 idle terminals cost little memory.
	sc := bufio.NewScanner(ss.conn)
	sc.Buffer(make([]byte, 0, 512), jt808.MaxFrameLen+2)
	sc.Split(jt808.SplitFrames)
	for {
		// The deadline covers a whole frame, not a byte: a terminal that trickles bytes
		// (slowloris) is cut off like a silent one.
		ss.conn.SetReadDeadline(time.Now().Add(ss.srv.cfg.IdleTimeout))
		if !sc.Scan() {
			if err := sc.Err(); err != nil && !errors.Is(err, net.ErrClosed) {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					ss.srv.m.idleClosed.Inc()
				}
			}
			return
		}
		if err := ss.frame(ctx, sc.Bytes()); err != nil {
			return
		}
		select {
		case <-ss.done:
			return
		default:
		}
	}
}

// writer sends queued frames with a deadline; a terminal that does not read is disconnected.
func (ss *session) writer() {
	for {
		select {
		case <-ss.done:
			return
		case b := <-ss.out:
			ss.conn.SetWriteDeadline(time.Now().Add(ss.srv.cfg.WriteTimeout))
			_, err := ss.conn.Write(b)
			putFrame(b)
			if err != nil {
				ss.close()
				return
			}
		}
	}
}

// send queues a frame for the terminal; when the queue is full the terminal is not reading its
// answers and the connection is closed rather than letting it grow.
func (ss *session) send(h jt808.Header, body []byte) (uint16, bool) {
	return ss.sendAs(ss.nextSerial(), h, body)
}

// nextSerial takes the connection's next outgoing serial.
func (ss *session) nextSerial() uint16 { return uint16(ss.serial.Add(1)) }

// sendAs is send with a serial taken beforehand (a command is recorded with its serial before
// it goes out, so that the terminal's answer always finds it).
func (ss *session) sendAs(serial uint16, h jt808.Header, body []byte) (uint16, bool) {
	h.Serial = serial
	h.Phone = ss.replyPhone(h.Phone)
	h.Version2019 = ss.v2019
	frame, err := jt808.AppendFrame(getFrame(), h, body)
	if err != nil {
		ss.srv.log.Warn("jt808 encode", slog.Any("error", err))
		return 0, false
	}
	select {
	case ss.out <- frame:
		ss.srv.m.sent.Inc()
		return serial, true
	case <-ss.done:
		return 0, false
	default:
		ss.srv.m.slowClosed.Inc()
		ss.close()
		return 0, false
	}
}

func (ss *session) replyPhone(p jt808.Phone) jt808.Phone {
	if p.Len() == 0 {
		return ss.wirePhone
	}
	return p
}

// framePool recycles the buffers of outgoing frames (mostly 0x8001 acks) between the goroutine
// that builds them and the writer that sends them.
var framePool = sync.Pool{New: func() any { b := make([]byte, 0, 64); return &b }}

func getFrame() []byte { return (*framePool.Get().(*[]byte))[:0] }

func putFrame(b []byte) {
	if cap(b) > 4096 {
		return
	}
	framePool.Put(&b)
}
