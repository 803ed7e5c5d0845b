package jt808

import "encoding/binary"

// LocationReply is the body of 0x0201, the answer to a location query (0x8201).
type LocationReply struct {
	Serial   uint16 // serial of the 0x8201 answered
	Location Location
}

// ParseLocationReply reads a 0x0201 body, [serial WORD][0x0200 body], into r.
func ParseLocationReply(body []byte, r *LocationReply) error {
	if len(body) < 2 {
		return ErrTooShort
	}
	r.Serial = binary.BigEndian.Uint16(body)
	return ParseLocation(body[2:], &r.Location)
}

// AppendLocationReply appends a 0x0201 body.
func AppendLocationReply(dst []byte, r *LocationReply) []byte {
	dst = binary.BigEndian.AppendUint16(dst, r.Serial)
	return AppendLocation(dst, &r.Location)
}
