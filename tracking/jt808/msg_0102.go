package jt808

import "bytes"

// Auth is the body of 0x0102, terminal authentication.
type Auth struct {
	// Code is the auth code from 0x8100, bytes kept as sent.
	Code string
	// IMEI (BYTE[15]) and SoftwareVersion (BYTE[20], 0x00-padded) exist in 2019 only.
	IMEI            string
	SoftwareVersion string
}

const (
	imeiLen            = 15
	softwareVersionLen = 20
)

// ParseAuth reads a 0x0102 body. 2013: the body is the code. 2019: [code length BYTE][code]
// [IMEI BYTE[15]][software version BYTE[20]]; a version written as [length BYTE][version] (as
// emqx documents it) is also read.
func ParseAuth(body []byte, version2019 bool) (Auth, error) {
	if !version2019 {
		return Auth{Code: string(bytes.TrimRight(body, "\x00"))}, nil
	}
	if len(body) < 1 {
		return Auth{}, ErrTooShort
	}
	n := int(body[0])
	if len(body) < 1+n+imeiLen {
		return Auth{}, ErrTooShort
	}
	a := Auth{
		Code: string(body[1 : 1+n]),
		IMEI: string(bytes.Trim(body[1+n:1+n+imeiLen], "\x00 ")),
	}
	rest := body[1+n+imeiLen:]
	if len(rest) != softwareVersionLen && len(rest) > 0 && int(rest[0]) == len(rest)-1 {
		rest = rest[1:]
	}
	a.SoftwareVersion = fixedString(rest)
	return a, nil
}

// AppendAuth appends a 0x0102 body; in 2019 the code is cut to 255 bytes and the IMEI and
// version are cut or 0x00-padded to their widths.
func AppendAuth(dst []byte, a Auth, version2019 bool) []byte {
	if !version2019 {
		return append(dst, a.Code...)
	}
	code := a.Code
	if len(code) > 255 {
		code = code[:255]
	}
	dst = append(dst, byte(len(code)))
	dst = append(dst, code...)
	dst = appendFixed(dst, a.IMEI, imeiLen)
	return appendFixed(dst, a.SoftwareVersion, softwareVersionLen)
}
