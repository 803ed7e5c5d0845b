package jt808

import (
	"slices"
	"time"
)

// Reassembler defaults, used when a field is 0.
const (
	DefaultMaxPending        = 8
	DefaultMaxPendingBytes   = 256 << 10
	DefaultReassemblyTimeout = time.Minute
)

// partOverhead is what each stored packet costs against MaxBytes besides its body, so that a flood
// of empty packets is bounded too.
const partOverhead = 32

// Reassembler joins the packets of subpackaged messages (分包) from one terminal connection. It is
// a pure value: time comes in as now, and it is not safe for concurrent use. Packets of one
// message are matched by phone, message ID, packet total and the serial of packet 1 (each packet
// of a message takes the next serial, so packet i has serial first+i−1). The zero value is ready
// to use with the defaults.
type Reassembler struct {
	// MaxPending bounds the messages being reassembled at once.
	MaxPending int
	// MaxBytes bounds the bytes held across them, counting partOverhead per packet.
	MaxBytes int
	// Timeout drops a message this long after its first packet arrived.
	Timeout time.Duration

	pending []*partial
	bytes   int
}

type partialKey struct {
	phone        Phone
	msgID, total uint16
	first        uint16 // serial of packet 1
}

type partial struct {
	key     partialKey
	started time.Time
	seen    []uint64 // bitmap of indexes received
	parts   []part
	size    int // bytes charged against MaxBytes
	bodyLen int
}

type part struct {
	index uint16
	body  []byte
}

// Add takes one packet. A packet that is not subpackaged (or is packet 1 of 1) is returned at
// once: body is p.Body (aliasing it) and complete is true. Otherwise its body is copied, and when
// it is the last one missing, the message's whole body is returned (newly allocated) with complete
// true. A repeated packet is ignored. Errors: ErrSubpacket for an index of 0 or above the total;
// ErrReassemblyFull when starting a message would pass MaxPending, or a packet would pass
// MaxBytes (the packet is dropped; its message stays pending until it times out). Add first
// drops messages that have timed out at now.
func (r *Reassembler) Add(p Packet, now time.Time) (body []byte, complete bool, err error) {
	if !p.Subpackaged || p.PkgTotal == 1 && p.PkgIndex == 1 {
		return p.Body, true, nil
	}
	if p.PkgIndex == 0 || p.PkgIndex > p.PkgTotal {
		return nil, false, ErrSubpacket
	}
	r.Expire(now)
	key := partialKey{phone: p.Phone, msgID: p.MsgID, total: p.PkgTotal, first: p.Serial - (p.PkgIndex - 1)}
	i := slices.IndexFunc(r.pending, func(m *partial) bool { return m.key == key })
	var m *partial
	if i >= 0 {
		m = r.pending[i]
		if m.seen[(p.PkgIndex-1)/64]&(1<<((p.PkgIndex-1)%64)) != 0 {
			return nil, false, nil
		}
	} else {
		if len(r.pending) >= orDefault(r.MaxPending, DefaultMaxPending) {
			return nil, false, ErrReassemblyFull
		}
		m = &partial{key: key, started: now}
		m.size = 8 * ((int(p.PkgTotal) + 63) / 64)
		if r.bytes+m.size > orDefault(r.MaxBytes, DefaultMaxPendingBytes) {
			return nil, false, ErrReassemblyFull
		}
		m.seen = make([]uint64, (int(p.PkgTotal)+63)/64)
		r.bytes += m.size
		r.pending = append(r.pending, m)
	}
	cost := len(p.Body) + partOverhead
	if r.bytes+cost > orDefault(r.MaxBytes, DefaultMaxPendingBytes) {
		return nil, false, ErrReassemblyFull
	}
	r.bytes += cost
	m.size += cost
	m.bodyLen += len(p.Body)
	m.seen[(p.PkgIndex-1)/64] |= 1 << ((p.PkgIndex - 1) % 64)
	m.parts = append(m.parts, part{index: p.PkgIndex, body: append([]byte(nil), p.Body...)})
	if len(m.parts) < int(p.PkgTotal) {
		return nil, false, nil
	}
	r.remove(m)
	slices.SortFunc(m.parts, func(a, b part) int { return int(a.index) - int(b.index) })
	body = make([]byte, 0, m.bodyLen)
	for _, pt := range m.parts {
		body = append(body, pt.body...)
	}
	return body, true, nil
}

// Expire drops the messages whose first packet arrived Timeout or more before now, and returns
// how many it dropped.
func (r *Reassembler) Expire(now time.Time) int {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultReassemblyTimeout
	}
	n := 0
	for i := 0; i < len(r.pending); {
		if m := r.pending[i]; now.Sub(m.started) >= timeout {
			r.remove(m)
			n++
			continue
		}
		i++
	}
	return n
}

// Pending returns the number of messages being reassembled and the bytes they hold.
func (r *Reassembler) Pending() (messages, bytes int) { return len(r.pending), r.bytes }

func (r *Reassembler) remove(m *partial) {
	i := slices.Index(r.pending, m)
	r.pending = slices.Delete(r.pending, i, i+1)
	r.bytes -= m.size
}

func orDefault(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
