package jt808

import (
	"bytes"
	"encoding/binary"
)

// Results of a registration (0x8100).
const (
	RegisterOK            = 0 // 成功
	RegisterVehicleTaken  = 1 // 车辆已被注册
	RegisterNoVehicle     = 2 // 数据库中无该车辆
	RegisterTerminalTaken = 3 // 终端已被注册
	RegisterNoTerminal    = 4 // 数据库中无该终端
)

// RegisterResponse is the body of 0x8100, the platform's answer to 0x0100.
type RegisterResponse struct {
	Serial uint16 // serial of the 0x0100 answered
	Result byte   // Register* constants
	// AuthCode is the code the terminal sends in 0x0102; only with RegisterOK. Its bytes are
	// kept as sent, not decoded: the terminal echoes them back.
	AuthCode string
}

// ParseRegisterResponse reads a 0x8100 body.
func ParseRegisterResponse(body []byte) (RegisterResponse, error) {
	if len(body) < 3 {
		return RegisterResponse{}, ErrTooShort
	}
	r := RegisterResponse{Serial: binary.BigEndian.Uint16(body), Result: body[2]}
	if r.Result == RegisterOK {
		r.AuthCode = string(bytes.TrimRight(body[3:], "\x00"))
	}
	return r, nil
}

// AppendRegisterResponse appends a 0x8100 body; the auth code only with RegisterOK.
func AppendRegisterResponse(dst []byte, r RegisterResponse) []byte {
	dst = binary.BigEndian.AppendUint16(dst, r.Serial)
	dst = append(dst, r.Result)
	if r.Result == RegisterOK {
		dst = append(dst, r.AuthCode...)
	}
	return dst
}
