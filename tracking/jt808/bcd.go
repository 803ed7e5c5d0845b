package jt808

import "time"

// wireZone is the standard's time zone: BCD times are UTC+8 ("GMT+8 ... 本标准中之后涉及的时间均采用此时区").
const wireZone = 8 * time.Hour

// bcdByte returns the two-digit value of one BCD byte.
func bcdByte(b byte) (int, bool) {
	hi, lo := b>>4, b&0x0f
	if hi > 9 || lo > 9 {
		return 0, false
	}
	return int(hi)*10 + int(lo), true
}

// parseBCDTime reads BCD[6] YYMMDDhhmmss in UTC+8 (years 2000–2099) and returns the instant in
// UTC. All six bytes zero, which devices send before their first fix, give the zero time.
func parseBCDTime(b []byte) (time.Time, error) {
	var f [6]int
	zero := true
	for i := range f {
		v, ok := bcdByte(b[i])
		if !ok {
			return time.Time{}, ErrBCD
		}
		f[i] = v
		zero = zero && v == 0
	}
	if zero {
		return time.Time{}, nil
	}
	year, month, day := 2000+f[0], f[1], f[2]
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || f[3] > 23 || f[4] > 59 || f[5] > 59 {
		return time.Time{}, ErrTime
	}
	t := time.Date(year, time.Month(month), day, f[3], f[4], f[5], 0, time.UTC)
	return t.Add(-wireZone), nil
}

// appendBCDTime appends t as BCD[6] YYMMDDhhmmss in UTC+8; the zero time as six zero bytes.
func appendBCDTime(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(dst, 0, 0, 0, 0, 0, 0)
	}
	t = t.UTC().Add(wireZone)
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	for _, v := range [6]int{y % 100, int(m), d, hh, mm, ss} {
		dst = append(dst, byte(v/10)<<4|byte(v%10))
	}
	return dst
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
