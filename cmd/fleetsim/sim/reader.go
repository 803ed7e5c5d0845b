package sim

import (
	"errors"
	"net"

	"fleet/tracking/jt808"
)

// frameReader cuts a connection's bytes into frames with jt808.SplitFrames over its own buffer,
// calling it until it asks for more data: unlike bufio.Scanner it never waits for bytes it does
// not need (a skipped empty frame, 7e 7e, is followed at once by the frame after it).
type frameReader struct {
	buf  []byte
	r, w int    // unread bytes are buf[r:w]
	dec  []byte // DecodeFrame's buffer
}

func newFrameReader() frameReader {
	return frameReader{buf: make([]byte, 256), dec: make([]byte, 0, 128)}
}

var errFrameTooLong = errors.New("fleetsim: frame longer than the buffer")

// next returns the next frame's escaped bytes; they alias the buffer until the next call.
func (fr *frameReader) next(c net.Conn) ([]byte, error) {
	for {
		for fr.r < fr.w {
			adv, tok, _ := jt808.SplitFrames(fr.buf[fr.r:fr.w], false)
			if adv == 0 {
				break
			}
			fr.r += adv
			if tok != nil {
				return tok, nil
			}
		}
		if fr.r > 0 {
			fr.w = copy(fr.buf, fr.buf[fr.r:fr.w])
			fr.r = 0
		}
		if fr.w == len(fr.buf) {
			if len(fr.buf) >= jt808.MaxFrameLen+2 {
				return nil, errFrameTooLong // SplitFrames yields oversized frames before this
			}
			nb := make([]byte, min(2*len(fr.buf), jt808.MaxFrameLen+2))
			copy(nb, fr.buf[:fr.w])
			fr.buf = nb
		}
		n, err := c.Read(fr.buf[fr.w:])
		fr.w += n
		if err != nil && n == 0 {
			return nil, err
		}
	}
}

// packet reads and decodes the next frame; a frame that does not decode is counted and skipped.
func (fr *frameReader) packet(c net.Conn, st *stats) (jt808.Packet, error) {
	for {
		tok, err := fr.next(c)
		if err != nil {
			return jt808.Packet{}, err
		}
		if cap(fr.dec) < len(tok) {
			fr.dec = make([]byte, 0, len(tok))
		}
		p, err := jt808.DecodeFrame(fr.dec[:0], tok)
		if err != nil {
			st.badFrames.Add(1)
			continue
		}
		return p, nil
	}
}
