package jt808

import (
	"encoding/binary"
	"math"
)

// Additional-item IDs (附加信息 ID) that Items reads.
const (
	ItemMileage       = 0x01 // DWORD, 0.1 km
	ItemFuel          = 0x02 // WORD, 0.1 L
	ItemRecorderSpeed = 0x03 // WORD, 0.1 km/h, from the tachograph
	ItemExtSignal     = 0x25 // DWORD, extended vehicle signal status
	ItemIO            = 0x2a // WORD, IO status
	ItemSignal        = 0x30 // BYTE, wireless signal strength
	ItemSatellites    = 0x31 // BYTE, GNSS satellites in use
)

// Items are the additional information items of a location. Each item is read within its
// declared length: a known ID with an unexpected length is kept in Unknown, as is every other ID,
// so nothing is lost and no vendor's item can break the parse. Has* tell which items were present.
type Items struct {
	Mileage          float64 // km (odometer), 0.1 km on the wire
	HasMileage       bool
	Fuel             float64 // litres, 0.1 L on the wire
	HasFuel          bool
	RecorderSpeed    float64 // km/h, 0.1 km/h on the wire
	HasRecorderSpeed bool
	ExtSignal        uint32 // extended vehicle signals (lights, brake, reverse ...), bit field
	HasExtSignal     bool
	IO               uint16 // IO status (bit 0 deep sleep, bit 1 sleep)
	HasIO            bool
	Signal           byte // wireless network signal strength
	HasSignal        bool
	Satellites       byte // GNSS satellites in use
	HasSatellites    bool
	// Unknown holds the other items in wire order; len 0 when there are none. Values alias
	// the body.
	Unknown []RawItem
	// Trailing holds bytes after the last whole item that do not form one (an item whose
	// declared length runs past the body); nil normally. It aliases the body.
	Trailing []byte
}

// RawItem is an additional item kept as it was on the wire.
type RawItem struct {
	ID    byte
	Value []byte // at most 255 bytes; AppendLocation cuts longer values
}

// parseItems reads additional items into it, reusing it.Unknown's storage.
func parseItems(b []byte, it *Items) {
	*it = Items{Unknown: it.Unknown[:0]}
	for len(b) > 0 {
		if len(b) < 2 || len(b)-2 < int(b[1]) {
			it.Trailing = b
			return
		}
		id, v := b[0], b[2:2+int(b[1])]
		b = b[2+len(v):]
		switch {
		case id == ItemMileage && len(v) == 4:
			it.Mileage, it.HasMileage = float64(binary.BigEndian.Uint32(v))/10, true
		case id == ItemFuel && len(v) == 2:
			it.Fuel, it.HasFuel = float64(binary.BigEndian.Uint16(v))/10, true
		case id == ItemRecorderSpeed && len(v) == 2:
			it.RecorderSpeed, it.HasRecorderSpeed = float64(binary.BigEndian.Uint16(v))/10, true
		case id == ItemExtSignal && len(v) == 4:
			it.ExtSignal, it.HasExtSignal = binary.BigEndian.Uint32(v), true
		case id == ItemIO && len(v) == 2:
			it.IO, it.HasIO = binary.BigEndian.Uint16(v), true
		case id == ItemSignal && len(v) == 1:
			it.Signal, it.HasSignal = v[0], true
		case id == ItemSatellites && len(v) == 1:
			it.Satellites, it.HasSatellites = v[0], true
		default:
			it.Unknown = append(it.Unknown, RawItem{ID: id, Value: v})
		}
	}
}

// appendItems appends the present known items in ID order, then Unknown, then Trailing.
func appendItems(dst []byte, it *Items) []byte {
	if it.HasMileage {
		dst = append(dst, ItemMileage, 4)
		dst = binary.BigEndian.AppendUint32(dst, uint32(scaled(it.Mileage, 10, math.MaxUint32)))
	}
	if it.HasFuel {
		dst = append(dst, ItemFuel, 2)
		dst = binary.BigEndian.AppendUint16(dst, uint16(scaled(it.Fuel, 10, math.MaxUint16)))
	}
	if it.HasRecorderSpeed {
		dst = append(dst, ItemRecorderSpeed, 2)
		dst = binary.BigEndian.AppendUint16(dst, uint16(scaled(it.RecorderSpeed, 10, math.MaxUint16)))
	}
	if it.HasExtSignal {
		dst = append(dst, ItemExtSignal, 4)
		dst = binary.BigEndian.AppendUint32(dst, it.ExtSignal)
	}
	if it.HasIO {
		dst = append(dst, ItemIO, 2)
		dst = binary.BigEndian.AppendUint16(dst, it.IO)
	}
	if it.HasSignal {
		dst = append(dst, ItemSignal, 1, it.Signal)
	}
	if it.HasSatellites {
		dst = append(dst, ItemSatellites, 1, it.Satellites)
	}
	for _, u := range it.Unknown {
		v := u.Value
		if len(v) > 255 {
			v = v[:255]
		}
		dst = append(dst, u.ID, byte(len(v)))
		dst = append(dst, v...)
	}
	return append(dst, it.Trailing...)
}
