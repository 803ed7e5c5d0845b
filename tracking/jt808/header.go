package jt808

import "encoding/binary"

// Header lengths in bytes.
const (
	headerLen2013 = 12 // id 2, properties 2, phone BCD[6], serial 2
	headerLen2019 = 17 // id 2, properties 2, version 1, phone BCD[10], serial 2
	subpacketLen  = 4  // total packets 2, packet index 2
	maxHeaderLen  = headerLen2019 + subpacketLen
)

// Body-property bits (消息体属性).
const (
	propBodyLen    = 0x03ff // bits 0–9
	propEncryption = 0x1c00 // bits 10–12: 0 none, bit 10 RSA
	propSubpacket  = 1 << 13
	propVersion    = 1 << 14 // 2019 only
)

// ProtocolVersion2019 is the protocol version byte of JT/T 808-2019 headers, the only one
// defined ("初始版本为1").
const ProtocolVersion2019 = 1

// MaxBodyLen is the longest body one packet can carry: 10 bits of length.
const MaxBodyLen = propBodyLen

// Header is a message header (消息头) of either version.
type Header struct {
	// MsgID is the message ID (Msg* constants).
	MsgID uint16
	// BodyLen is the body length the header declares; AppendFrame takes it from the body.
	BodyLen int
	// Encrypted is bits 10–12 of the body properties: 0 plain, 1 RSA; the body is then not
	// readable by the Parse functions.
	Encrypted byte
	// Subpackaged is set when the message is one packet of a longer one; PkgTotal and PkgIndex
	// are then meaningful.
	Subpackaged bool
	// Version2019 is set for a 2019 header (bit 14, version byte, BCD[10] phone). A frame with
	// bit 14 set whose lengths only fit the 2013 layout decodes with Version2019 false.
	Version2019 bool
	// ProtocolVersion is the 2019 version byte; 0 in 2013 headers. AppendFrame writes
	// ProtocolVersion2019 when it is 0.
	ProtocolVersion byte
	// Phone identifies the terminal.
	Phone Phone
	// Serial is the sender's message serial number (流水号), wrapping at 65535.
	Serial uint16
	// PkgTotal and PkgIndex number the packets of a subpackaged message; PkgIndex starts at 1.
	PkgTotal, PkgIndex uint16
}

// Len returns the header's length in bytes on the wire, before escaping.
func (h *Header) Len() int { return headerLen(h.Version2019, h.Subpackaged) }

func headerLen(v2019, sub bool) int {
	n := headerLen2013
	if v2019 {
		n = headerLen2019
	}
	if sub {
		n += subpacketLen
	}
	return n
}

// decodeHeader reads a header whose layout the caller has chosen and whose length it has checked.
func decodeHeader(b []byte, v2019 bool) (Header, error) {
	props := binary.BigEndian.Uint16(b[2:])
	h := Header{
		MsgID:       binary.BigEndian.Uint16(b),
		BodyLen:     int(props & propBodyLen),
		Encrypted:   byte(props & propEncryption >> 10),
		Subpackaged: props&propSubpacket != 0,
		Version2019: v2019,
	}
	phoneAt, phoneLen := 4, 6
	if v2019 {
		h.ProtocolVersion = b[4]
		if h.ProtocolVersion != ProtocolVersion2019 {
			return Header{}, ErrVersion
		}
		phoneAt, phoneLen = 5, 10
	}
	var err error
	if h.Phone, err = decodePhone(b[phoneAt : phoneAt+phoneLen]); err != nil {
		return Header{}, err
	}
	at := phoneAt + phoneLen
	h.Serial = binary.BigEndian.Uint16(b[at:])
	if h.Subpackaged {
		h.PkgTotal = binary.BigEndian.Uint16(b[at+2:])
		h.PkgIndex = binary.BigEndian.Uint16(b[at+4:])
	}
	return h, nil
}

// putHeader writes h with a body of bodyLen bytes into dst, which holds maxHeaderLen bytes, and
// returns the header's length.
func putHeader(dst []byte, h *Header, bodyLen int) (int, error) {
	props := uint16(bodyLen) | uint16(h.Encrypted&7)<<10
	if h.Subpackaged {
		props |= propSubpacket
	}
	binary.BigEndian.PutUint16(dst, h.MsgID)
	phoneAt, phoneLen := 4, 6
	if h.Version2019 {
		props |= propVersion
		v := h.ProtocolVersion
		if v == 0 {
			v = ProtocolVersion2019
		}
		dst[4] = v
		phoneAt, phoneLen = 5, 10
	}
	binary.BigEndian.PutUint16(dst[2:], props)
	if err := putPhone(dst[phoneAt:phoneAt+phoneLen], h.Phone); err != nil {
		return 0, err
	}
	at := phoneAt + phoneLen
	binary.BigEndian.PutUint16(dst[at:], h.Serial)
	n := at + 2
	if h.Subpackaged {
		binary.BigEndian.PutUint16(dst[n:], h.PkgTotal)
		binary.BigEndian.PutUint16(dst[n+2:], h.PkgIndex)
		n += subpacketLen
	}
	return n, nil
}
