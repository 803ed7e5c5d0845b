package jt808

import "encoding/binary"

// Results of a general response (0x0001 and 0x8001).
const (
	ResultOK          = 0 // 成功/确认
	ResultFailure     = 1 // 失败
	ResultBadMessage  = 2 // 消息有误
	ResultUnsupported = 3 // 不支持
	ResultAlarmAck    = 4 // 报警处理确认, 0x8001 only
)

// GeneralResponse is the body of 0x0001 (terminal general response) and 0x8001 (platform
// general response): it answers one message of the other side.
type GeneralResponse struct {
	Serial uint16 // serial of the message answered
	MsgID  uint16 // ID of the message answered
	Result byte   // Result* constants
}

const generalResponseLen = 5

// ParseGeneralResponse reads a 0x0001 or 0x8001 body. Bytes after the fifth are ignored.
func ParseGeneralResponse(body []byte) (GeneralResponse, error) {
	if len(body) < generalResponseLen {
		return GeneralResponse{}, ErrTooShort
	}
	return GeneralResponse{
		Serial: binary.BigEndian.Uint16(body),
		MsgID:  binary.BigEndian.Uint16(body[2:]),
		Result: body[4],
	}, nil
}

// AppendGeneralResponse appends a 0x0001 or 0x8001 body.
func AppendGeneralResponse(dst []byte, r GeneralResponse) []byte {
	dst = binary.BigEndian.AppendUint16(dst, r.Serial)
	dst = binary.BigEndian.AppendUint16(dst, r.MsgID)
	return append(dst, r.Result)
}
