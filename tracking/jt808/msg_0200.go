package jt808

import (
	"encoding/binary"
	"math"
	"time"
)

// Location is the body of 0x0200, a location report; it is also the core of 0x0201 and of each
// item of 0x0704.
type Location struct {
	Alarm  uint32 // alarm flags, Alarm* bits
	Status uint32 // status flags, Status* bits
	// Lat and Lng are degrees (WGS-84 per the standard; many Chinese devices send GCJ-02),
	// 1e-6 degree on the wire. South latitude and west longitude are negative: the parser applies
	// status bits 2 and 3, and AppendLocation sets those bits from the signs (math.Signbit, so a
	// -0 keeps its hemisphere).
	Lat, Lng float64
	Altitude int     // metres; read as a signed WORD so that below-sea-level sites stay negative
	SpeedKmh float64 // km/h, 0.1 km/h on the wire
	Course   uint16  // degrees 0–359, 0 = north, clockwise
	// Time is the fix time; BCD in UTC+8 on the wire, returned in UTC. Zero when the device sent
	// all zeros. See FixWeekRollover.
	Time  time.Time
	Items Items // additional information items (附加信息)
}

const locationFixedLen = 28

// ParseLocation reads a 0x0200 body into l, reusing l.Items.Unknown's storage. Additional items
// never make it fail (see Items); a body shorter than 28 bytes is ErrTooShort, a bad time ErrBCD
// or ErrTime.
func ParseLocation(body []byte, l *Location) error {
	if len(body) < locationFixedLen {
		return ErrTooShort
	}
	t, err := parseBCDTime(body[22:28])
	if err != nil {
		return err
	}
	l.Alarm = binary.BigEndian.Uint32(body)
	l.Status = binary.BigEndian.Uint32(body[4:])
	l.Lat = float64(binary.BigEndian.Uint32(body[8:])) / 1e6
	l.Lng = float64(binary.BigEndian.Uint32(body[12:])) / 1e6
	if l.Status&StatusSouth != 0 {
		l.Lat = -l.Lat
	}
	if l.Status&StatusWest != 0 {
		l.Lng = -l.Lng
	}
	l.Altitude = int(int16(binary.BigEndian.Uint16(body[16:])))
	l.SpeedKmh = float64(binary.BigEndian.Uint16(body[18:])) / 10
	l.Course = binary.BigEndian.Uint16(body[20:])
	l.Time = t
	parseItems(body[locationFixedLen:], &l.Items)
	return nil
}

// AppendLocation appends a 0x0200 body. Values beyond a field's range are clamped: degrees to
// 0–4294.967295, altitude to a signed WORD, speed to 0–6553.5 km/h.
func AppendLocation(dst []byte, l *Location) []byte {
	status := l.Status &^ (StatusSouth | StatusWest)
	if math.Signbit(l.Lat) {
		status |= StatusSouth
	}
	if math.Signbit(l.Lng) {
		status |= StatusWest
	}
	dst = binary.BigEndian.AppendUint32(dst, l.Alarm)
	dst = binary.BigEndian.AppendUint32(dst, status)
	dst = binary.BigEndian.AppendUint32(dst, uint32(scaled(math.Abs(l.Lat), 1e6, math.MaxUint32)))
	dst = binary.BigEndian.AppendUint32(dst, uint32(scaled(math.Abs(l.Lng), 1e6, math.MaxUint32)))
	alt := min(max(l.Altitude, math.MinInt16), math.MaxInt16)
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(alt)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(scaled(l.SpeedKmh, 10, math.MaxUint16)))
	dst = binary.BigEndian.AppendUint16(dst, l.Course)
	dst = appendBCDTime(dst, l.Time)
	return appendItems(dst, &l.Items)
}

// scaled returns round(v*unit) clamped to 0..limit; NaN gives 0.
func scaled(v, unit float64, limit uint64) uint64 {
	f := math.Round(v * unit)
	if !(f > 0) {
		return 0
	}
	if f >= float64(limit) {
		return limit
	}
	return uint64(f)
}
