package jt808

import "encoding/binary"

// Plate colours (JT/T 415-2006 5.4.12).
const (
	PlateNone   = 0 // no plate: Plate holds the VIN
	PlateBlue   = 1
	PlateYellow = 2
	PlateBlack  = 3
	PlateWhite  = 4
	PlateOther  = 9
)

// Register is the body of 0x0100, terminal registration.
type Register struct {
	// Province and City are the GB/T 2260 area code split in 2 + 4 digits; 0 = unset.
	Province, City uint16
	Maker          string // manufacturer ID: BYTE[5], 2019 BYTE[11]
	Model          string // terminal model: BYTE[20] (2011 BYTE[8]), 2019 BYTE[30]
	TerminalID     string // BYTE[7], 2019 BYTE[30]
	PlateColor     byte   // Plate* constants
	Plate          string // plate number (VIN when PlateColor is PlateNone), GBK on the wire
}

// Fixed-part widths of the three layouts: maker, model, terminal ID.
var registerLayouts = [3][3]int{
	{5, 8, 7},    // 2011
	{5, 20, 7},   // 2013
	{11, 30, 30}, // 2019
}

func registerFixedLen(l [3]int) int { return 4 + l[0] + l[1] + l[2] + 1 }

// ParseRegister reads a 0x0100 body. The 2011 and 2013 headers look the same; a non-2019 body
// shorter than the 2013 layout's fixed part (37 bytes) is read with the 2011 layout.
func ParseRegister(body []byte, version2019 bool) (Register, error) {
	layout := registerLayouts[1]
	switch {
	case version2019:
		layout = registerLayouts[2]
	case len(body) < registerFixedLen(registerLayouts[1]):
		layout = registerLayouts[0]
	}
	if len(body) < registerFixedLen(layout) {
		return Register{}, ErrTooShort
	}
	r := Register{
		Province: binary.BigEndian.Uint16(body),
		City:     binary.BigEndian.Uint16(body[2:]),
	}
	b := body[4:]
	field := func(n int) string {
		s := fixedString(b[:n])
		b = b[n:]
		return s
	}
	r.Maker = field(layout[0])
	r.Model = field(layout[1])
	r.TerminalID = field(layout[2])
	r.PlateColor = b[0]
	r.Plate = fixedString(b[1:])
	return r, nil
}

// AppendRegister appends a 0x0100 body in the 2013 or 2019 layout; text fields longer than their
// width are cut.
func AppendRegister(dst []byte, r Register, version2019 bool) []byte {
	layout := registerLayouts[1]
	if version2019 {
		layout = registerLayouts[2]
	}
	dst = binary.BigEndian.AppendUint16(dst, r.Province)
	dst = binary.BigEndian.AppendUint16(dst, r.City)
	dst = appendFixed(dst, r.Maker, layout[0])
	dst = appendFixed(dst, r.Model, layout[1])
	dst = appendFixed(dst, r.TerminalID, layout[2])
	dst = append(dst, r.PlateColor)
	return appendGBK(dst, r.Plate)
}
