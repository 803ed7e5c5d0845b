package jt808

import (
	"bytes"
	"encoding/binary"
)

const (
	flagByte   = 0x7e // frame delimiter
	escapeByte = 0x7d // 0x7d 0x01 = 0x7d, 0x7d 0x02 = 0x7e
)

// Unescape appends escaped with its escape sequences undone to dst and returns the result.
// escaped is a frame's bytes between its 0x7e flags. dst may be escaped[:0] to unescape in place.
// It returns ErrEscape on 0x7d followed by anything but 0x01 or 0x02, on a trailing 0x7d and on
// an inner 0x7e.
func Unescape(dst, escaped []byte) ([]byte, error) {
	for len(escaped) > 0 {
		i := bytes.IndexByte(escaped, escapeByte)
		chunk := escaped
		if i >= 0 {
			chunk = escaped[:i]
		}
		if bytes.IndexByte(chunk, flagByte) >= 0 {
			return dst, ErrEscape
		}
		dst = append(dst, chunk...)
		if i < 0 {
			break
		}
		if i+1 == len(escaped) {
			return dst, ErrEscape
		}
		switch escaped[i+1] {
		case 0x01:
			dst = append(dst, escapeByte)
		case 0x02:
			dst = append(dst, flagByte)
		default:
			return dst, ErrEscape
		}
		escaped = escaped[i+2:]
	}
	return dst, nil
}

// AppendEscaped appends raw to dst with every 0x7e written as 0x7d 0x02 and every 0x7d as
// 0x7d 0x01, and returns the result.
func AppendEscaped(dst, raw []byte) []byte {
	dst, _ = appendEscapedXOR(dst, raw, 0)
	return dst
}

// appendEscapedXOR is AppendEscaped that also folds raw into the running checksum x.
func appendEscapedXOR(dst, raw []byte, x byte) ([]byte, byte) {
	start := 0
	for i, b := range raw {
		x ^= b
		if b == flagByte || b == escapeByte {
			dst = append(dst, raw[start:i]...)
			dst = append(dst, escapeByte, b-0x7c) // 0x7e → 0x02, 0x7d → 0x01
			start = i + 1
		}
	}
	return append(dst, raw[start:]...), x
}

// xorBytes returns the XOR of all bytes of b: the JT/T 808 checksum of b, or 0 when b ends with
// its own valid checksum.
func xorBytes(b []byte) byte {
	var w uint64
	for len(b) >= 8 {
		w ^= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	w ^= w >> 32
	w ^= w >> 16
	w ^= w >> 8
	x := byte(w)
	for _, c := range b {
		x ^= c
	}
	return x
}
