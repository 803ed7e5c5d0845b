package jt808

import "errors"

// Errors, one per reason a frame or body is rejected. They are returned unwrapped.
var (
	// ErrTooShort: a frame shorter than its header and declared body, or a body shorter than
	// its message's layout.
	ErrTooShort = errors.New("jt808: too short")
	// ErrTooLong: a frame longer than MaxFrameLen, or a body longer than MaxBodyLen.
	ErrTooLong = errors.New("jt808: too long")
	// ErrLength: a frame longer than its header and declared body, or a count that disagrees
	// with the items that follow it.
	ErrLength = errors.New("jt808: length does not match the declared length")
	// ErrChecksum: the XOR of the frame does not match its check byte.
	ErrChecksum = errors.New("jt808: bad checksum")
	// ErrEscape: 0x7d followed by anything but 0x01 or 0x02, a trailing 0x7d, or a 0x7e inside
	// a frame.
	ErrEscape = errors.New("jt808: bad escape sequence")
	// ErrBCD: a BCD nibble above 9, or a phone number that is not 1–20 decimal digits.
	ErrBCD = errors.New("jt808: bad BCD digit")
	// ErrTime: a BCD time whose fields are out of range (month 13, 25 o'clock ...).
	ErrTime = errors.New("jt808: time out of range")
	// ErrVersion: a 2019 header whose protocol version byte is not ProtocolVersion2019.
	ErrVersion = errors.New("jt808: unsupported protocol version")
	// ErrSubpacket: a subpacket whose index is 0 or above its total.
	ErrSubpacket = errors.New("jt808: bad subpacket numbering")
	// ErrReassemblyFull: a Reassembler already holds its maximum of messages or bytes.
	ErrReassemblyFull = errors.New("jt808: too many pending subpackaged messages")
)
