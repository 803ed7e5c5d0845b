package jt808

import "encoding/binary"

// maxRawLen is the longest unescaped frame: header, body and checksum.
const maxRawLen = maxHeaderLen + MaxBodyLen + 1

// Packet is one decoded frame: its header and its body.
type Packet struct {
	Header
	// Body aliases the buffer the frame was decoded in: copy it to keep it past the buffer's
	// next use.
	Body []byte
}

// Decode reads an unescaped frame (header, body and checksum, without the 0x7e flags). It checks
// that the frame's length is exactly its header plus its declared body plus the checksum, and that
// the checksum matches.
//
// Two device quirks are accepted because lengths settle them: a frame with the 2019 flag (bit 14)
// whose length fits only the 2013 layout is a 2013 frame; and a frame exactly one byte short whose
// XOR is 0x7e lost its checksum 0x7e, sent unescaped and so read as the closing flag.
func Decode(b []byte) (Packet, error) {
	if len(b) < headerLen2013 { // a heartbeat whose 0x7e checksum was lost is 12 bytes
		return Packet{}, ErrTooShort
	}
	if len(b) > maxRawLen {
		return Packet{}, ErrTooLong
	}
	props := binary.BigEndian.Uint16(b[2:])
	bodyLen := int(props & propBodyLen)
	sub := props&propSubpacket != 0
	v2019 := props&propVersion != 0
	hl := headerLen(v2019, sub)
	fit := fits(b, hl, bodyLen)
	if fit == noFit && v2019 {
		if hl13 := headerLen(false, sub); fits(b, hl13, bodyLen) != noFit {
			v2019, hl, fit = false, hl13, fits(b, hl13, bodyLen)
		}
	}
	switch fit {
	case noFit:
		if len(b) <= hl+bodyLen {
			return Packet{}, ErrTooShort
		}
		return Packet{}, ErrLength
	case withChecksum:
		if xorBytes(b) != 0 {
			return Packet{}, ErrChecksum
		}
	}
	h, err := decodeHeader(b, v2019)
	if err != nil {
		return Packet{}, err
	}
	return Packet{Header: h, Body: b[hl : hl+bodyLen : hl+bodyLen]}, nil
}

type fit int

const (
	noFit        fit = iota
	withChecksum     // header, body, checksum
	checksumLost     // header, body; the checksum was an unescaped 0x7e
)

func fits(b []byte, hl, bodyLen int) fit {
	switch len(b) {
	case hl + bodyLen + 1:
		return withChecksum
	case hl + bodyLen:
		if xorBytes(b) == flagByte {
			return checksumLost
		}
	}
	return noFit
}

// DecodeFrame unescapes one frame into dst's storage (reused from its start; give it a capacity
// of MaxFrameLen and it never grows) and decodes it with Decode. escaped is a token from
// SplitFrames; leading and trailing 0x7e flags are also accepted. The Packet's Body aliases dst.
//
// A frame ending in a lone 0x7d is accepted when that byte is a valid checksum: a device sent its
// checksum 0x7d unescaped. Otherwise a trailing 0x7d is ErrEscape.
func DecodeFrame(dst, escaped []byte) (Packet, error) {
	if len(escaped) > 0 && escaped[0] == flagByte {
		escaped = escaped[1:]
	}
	if n := len(escaped); n > 0 && escaped[n-1] == flagByte {
		escaped = escaped[:n-1]
	}
	if len(escaped) > MaxFrameLen {
		return Packet{}, ErrTooLong
	}
	raw, err := Unescape(dst[:0], escaped)
	if err == nil {
		return Decode(raw)
	}
	if n := len(escaped); n > 0 && escaped[n-1] == escapeByte {
		if raw, err := Unescape(dst[:0], escaped[:n-1]); err == nil {
			if p, err := Decode(append(raw, escapeByte)); err == nil {
				return p, nil
			}
		}
	}
	return Packet{}, err
}

// AppendFrame appends a whole frame to dst: 0x7e, then header, body and checksum escaped, then
// 0x7e. The header's body length and properties are computed from body, h.Version2019 and
// h.Subpackaged (h.BodyLen is ignored). It splits nothing: a body over MaxBodyLen is ErrTooLong,
// and so is a phone with more significant digits than the header holds (12 in 2013, 20 in 2019).
func AppendFrame(dst []byte, h Header, body []byte) ([]byte, error) {
	if len(body) > MaxBodyLen {
		return dst, ErrTooLong
	}
	var hb [maxHeaderLen]byte
	n, err := putHeader(hb[:], &h, len(body))
	if err != nil {
		return dst, err
	}
	dst = append(dst, flagByte)
	dst, x := appendEscapedXOR(dst, hb[:n], 0)
	dst, x = appendEscapedXOR(dst, body, x)
	dst, _ = appendEscapedXOR(dst, []byte{x}, 0)
	return append(dst, flagByte), nil
}
