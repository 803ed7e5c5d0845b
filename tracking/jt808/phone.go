package jt808

// Phone is a terminal's phone number (终端手机号) as the decimal digits of its BCD field: 12 in
// 2011/2013 headers, 20 in 2019 ones, leading zeros kept. It is a comparable value, so it can key
// a map without allocating; String gives the digits.
type Phone struct {
	n      uint8
	digits [20]byte // ASCII '0'–'9'
}

// ParsePhone returns the Phone of s, which must be 0–20 decimal digits; otherwise ErrBCD.
func ParsePhone(s string) (Phone, error) {
	var p Phone
	if len(s) > len(p.digits) {
		return Phone{}, ErrBCD
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return Phone{}, ErrBCD
		}
		p.digits[i] = s[i]
	}
	p.n = uint8(len(s))
	return p, nil
}

// String returns the digits, leading zeros kept.
func (p Phone) String() string { return string(p.digits[:p.n]) }

// Len returns the number of digits.
func (p Phone) Len() int { return int(p.n) }

// TrimZeros returns p without its leading zeros, so that the same terminal has the same value in
// 2013 (12 digits) and 2019 (20 digits) headers; the key Traccar uses for a device.
func (p Phone) TrimZeros() Phone {
	i := 0
	for i < int(p.n) && p.digits[i] == '0' {
		i++
	}
	var q Phone
	q.n = p.n - uint8(i)
	copy(q.digits[:], p.digits[i:p.n])
	return q
}

// decodePhone reads a BCD phone field.
func decodePhone(bcd []byte) (Phone, error) {
	var p Phone
	for i, b := range bcd {
		hi, lo := b>>4, b&0x0f
		if hi > 9 || lo > 9 {
			return Phone{}, ErrBCD
		}
		p.digits[2*i] = '0' + hi
		p.digits[2*i+1] = '0' + lo
	}
	p.n = uint8(2 * len(bcd))
	return p, nil
}

// putPhone writes p into the BCD field dst, left-padded with zeros; ErrTooLong if p's significant
// digits do not fit.
func putPhone(dst []byte, p Phone) error {
	t := p.TrimZeros()
	width := 2 * len(dst)
	if int(t.n) > width {
		return ErrTooLong
	}
	var d [20]byte
	for i := range d[:width] {
		d[i] = '0'
	}
	copy(d[width-int(t.n):width], t.digits[:t.n])
	for i := range dst {
		dst[i] = (d[2*i]-'0')<<4 | (d[2*i+1] - '0')
	}
	return nil
}
