package bus

import (
	"encoding/binary"
	"errors"
)

// The wire form of a message on Redis is
//
//	version (1 byte, = 1) | uvarint len(origin) | origin | payload
//
// so a payload is any bytes, copied once, and the origin costs a few bytes.
const envelopeVersion = 1

var errEnvelope = errors.New("bus: malformed envelope")

// encodeEnvelope returns the wire form of data published by origin.
func encodeEnvelope(origin string, data []byte) []byte {
	b := make([]byte, 0, 1+binary.MaxVarintLen64+len(origin)+len(data))
	b = append(b, envelopeVersion)
	b = binary.AppendUvarint(b, uint64(len(origin)))
	b = append(b, origin...)
	return append(b, data...)
}

// decodeEnvelope splits a wire message into its origin and payload. origin shares memory with
// wire; data is a fresh copy.
func decodeEnvelope(wire string) (origin string, data []byte, err error) {
	if len(wire) == 0 || wire[0] != envelopeVersion {
		return "", nil, errEnvelope
	}
	n, size := uvarint(wire[1:])
	if size <= 0 || n > uint64(len(wire)-1-size) {
		return "", nil, errEnvelope
	}
	start := 1 + size
	end := start + int(n)
	return wire[start:end], []byte(wire[end:]), nil
}

// uvarint is binary.Uvarint over a string, to avoid copying the wire message.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				return 0, -(i + 1) // overflow
			}
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	return 0, 0
}
