package jt808

// Flag bits of 0x8300 (文本信息标志位).
const (
	TextUrgent      = 1 << 0 // 2013: urgent. In 2019 bits 0–1 are a field: TextKind*
	TextDisplay     = 1 << 2 // show on the terminal's display
	TextTTS         = 1 << 3 // read out by TTS
	TextAdScreen    = 1 << 4 // 2013: show on the advertising screen (reserved in 2019)
	TextCANFault    = 1 << 5 // 0: navigation information, 1: CAN fault code
	TextKindMask    = 3      // 2019: bits 0–1
	TextKindService = 1      // 2019: 01 service
	TextKindUrgent  = 2      // 2019: 10 urgent
	TextKindNotice  = 3      // 2019: 11 notice
)

// Text types of 0x8300 in 2019.
const (
	TextTypeNotice  = 1 // 通知
	TextTypeService = 2 // 服务
)

// Text is the body of 0x8300, a text message to the terminal.
type Text struct {
	Flags    byte   // Text* flag bits
	TextType byte   // 2019 only: TextTypeNotice or TextTypeService
	Text     string // GBK on the wire
}

// ParseText reads a 0x8300 body: [flags BYTE][text], 2019 [flags BYTE][type BYTE][text].
func ParseText(body []byte, version2019 bool) (Text, error) {
	n := 1
	if version2019 {
		n = 2
	}
	if len(body) < n {
		return Text{}, ErrTooShort
	}
	t := Text{Flags: body[0], Text: decodeGBK(body[n:])}
	if version2019 {
		t.TextType = body[1]
	}
	return t, nil
}

// AppendText appends a 0x8300 body. The text is cut, on a character boundary, so that the body
// fits one packet (MaxBodyLen): 1022 bytes of GBK in 2013, 1021 in 2019.
func AppendText(dst []byte, t Text, version2019 bool) []byte {
	dst = append(dst, t.Flags)
	if version2019 {
		dst = append(dst, t.TextType)
	}
	start := len(dst)
	room := MaxBodyLen - 1
	if version2019 {
		room--
	}
	dst = appendGBK(dst, t.Text)
	return append(dst[:start], truncateGBK(dst[start:], room)...)
}
