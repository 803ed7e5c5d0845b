package jt808

import "encoding/binary"

// Batch types of 0x0704.
const (
	BatchNormal    = 0 // 正常位置批量汇报
	BatchBlindZone = 1 // 盲区补报: stored while out of coverage, sent late
)

// Batch is the body of 0x0704, a batch of location reports.
type Batch struct {
	Type      byte // BatchNormal or BatchBlindZone
	Locations []Location
	// Skipped counts items whose framing was sound but whose location did not parse (too short
	// or a bad time); SkipErr is the first such error. The other items are kept: the terminal
	// will not send them again once answered.
	Skipped int
	SkipErr error
}

// ParseBatch reads a 0x0704 body, [count WORD][type BYTE] then count × [length WORD][0x0200 body],
// into b, reusing b.Locations' storage. A body that ends inside an item or before count items is
// ErrTooShort; bytes after count items are ErrLength.
func ParseBatch(body []byte, b *Batch) error {
	if len(body) < 3 {
		return ErrTooShort
	}
	count := int(binary.BigEndian.Uint16(body))
	locs := b.Locations[:0]
	*b = Batch{Type: body[2]}
	rest := body[3:]
	for i := 0; i < count; i++ {
		if len(rest) < 2 {
			b.Locations = locs
			return ErrTooShort
		}
		n := int(binary.BigEndian.Uint16(rest))
		if len(rest)-2 < n {
			b.Locations = locs
			return ErrTooShort
		}
		item := rest[2 : 2+n]
		rest = rest[2+n:]
		if len(item) < locationFixedLen { // also bounds len(locs) by the body
			b.skip(ErrTooShort)
			continue
		}
		if len(locs) < cap(locs) {
			locs = locs[:len(locs)+1]
		} else {
			locs = append(locs, Location{})
		}
		if err := ParseLocation(item, &locs[len(locs)-1]); err != nil {
			locs = locs[:len(locs)-1]
			b.skip(err)
		}
	}
	b.Locations = locs
	if len(rest) > 0 {
		return ErrLength
	}
	return nil
}

func (b *Batch) skip(err error) {
	if b.Skipped == 0 {
		b.SkipErr = err
	}
	b.Skipped++
}

// AppendBatch appends a 0x0704 body holding b.Type and b.Locations.
func AppendBatch(dst []byte, b *Batch) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(b.Locations)))
	dst = append(dst, b.Type)
	for i := range b.Locations {
		at := len(dst)
		dst = append(dst, 0, 0)
		dst = AppendLocation(dst, &b.Locations[i])
		binary.BigEndian.PutUint16(dst[at:], uint16(len(dst)-at-2))
	}
	return dst
}
