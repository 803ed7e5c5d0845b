package jt808

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// decodeGBK returns the GBK (STRING) bytes b as UTF-8; invalid sequences become U+FFFD.
func decodeGBK(b []byte) string {
	if isASCII(b) {
		return string(b)
	}
	s, err := simplifiedchinese.GBK.NewDecoder().Bytes(b)
	if err != nil { // not reached: the decoder replaces what it cannot read
		return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
	}
	return string(s)
}

// appendGBK appends s encoded in GBK; a character GBK lacks becomes '?'.
func appendGBK(dst []byte, s string) []byte {
	if isASCII([]byte(s)) {
		return append(dst, s...)
	}
	enc := simplifiedchinese.GBK.NewEncoder()
	var r [utf8.UTFMax]byte
	for _, c := range s {
		if c < utf8.RuneSelf {
			dst = append(dst, byte(c))
			continue
		}
		b, err := enc.Bytes(r[:utf8.EncodeRune(r[:], c)])
		if err != nil {
			dst = append(dst, '?')
			continue
		}
		dst = append(dst, b...)
	}
	return dst
}

// truncateGBK cuts the GBK bytes b to at most n bytes without splitting a two-byte character
// (lead byte 0x81–0xfe).
func truncateGBK(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	i := 0
	for i < len(b) {
		w := 1
		if b[i] >= 0x81 && b[i] <= 0xfe {
			w = 2
		}
		if i+w > n {
			break
		}
		i += w
	}
	return b[:i]
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// fixedString reads a BYTE[n] text field padded with 0x00 (and, from some vendors, spaces).
func fixedString(b []byte) string {
	return decodeGBK(bytes.Trim(b, "\x00 "))
}

// appendFixed appends s in GBK as a BYTE[n] field: cut to n bytes or padded with 0x00.
func appendFixed(dst []byte, s string, n int) []byte {
	start := len(dst)
	dst = appendGBK(dst, s)
	dst = append(dst[:start], truncateGBK(dst[start:], n)...)
	for len(dst)-start < n {
		dst = append(dst, 0)
	}
	return dst
}
