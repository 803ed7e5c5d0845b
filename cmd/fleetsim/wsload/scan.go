package wsload

import (
	"bytes"
	"errors"
	"strconv"
	"time"
)

// The server's messages are read by scanning for the few fields needed rather than decoding
// them: 200 clients receive some 400,000 items a second, and the benchmark must not spend the
// cores it shares with fleetd on encoding/json.
var (
	keyType      = []byte(`"type":"`)
	keyVehicleID = []byte(`"vehicle_id":`)
	keyFixedAt   = []byte(`"fixed_at":"`)
)

// frameType returns the "type" of a server message ("snapshot", "positions", "event", "error").
// The items hold no "type" field, so the last one found is the message's whatever its key order.
func frameType(msg []byte) string {
	i := bytes.LastIndex(msg, keyType)
	if i < 0 {
		return ""
	}
	rest := msg[i+len(keyType):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 {
		return ""
	}
	return string(rest[:j])
}

var errBadItem = errors.New("wsload: vehicle item without a readable vehicle_id or fixed_at")

// eachItem calls fn with the vehicle id and the fix time (Unix seconds) of every vehicle in msg,
// in order. Each vehicle object names vehicle_id before fixed_at, as tracking.LiveVehicle does.
func eachItem(msg []byte, fn func(vehicleID, fix int64)) error {
	for {
		i := bytes.Index(msg, keyVehicleID)
		if i < 0 {
			return nil
		}
		msg = msg[i+len(keyVehicleID):]
		end := 0
		for end < len(msg) && msg[end] >= '0' && msg[end] <= '9' {
			end++
		}
		id, err := strconv.ParseInt(string(msg[:end]), 10, 64) // no allocation: the conversion stays on the stack
		if err != nil {
			return errBadItem
		}
		i = bytes.Index(msg, keyFixedAt)
		if i < 0 {
			return errBadItem
		}
		msg = msg[i+len(keyFixedAt):]
		end = bytes.IndexByte(msg, '"')
		if end < 0 {
			return errBadItem
		}
		fix, ok := unixSeconds(msg[:end])
		if !ok {
			return errBadItem
		}
		fn(id, fix)
		msg = msg[end:]
	}
}

// unixSeconds parses an RFC 3339 time: the UTC form "2026-11-27T08:00:00Z" that the server
// writes by hand, anything else through time.Parse.
func unixSeconds(b []byte) (int64, bool) {
	if len(b) == 20 && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == 'Z' {
		n := func(i, w int) int {
			v := 0
			for _, c := range b[i : i+w] {
				if c < '0' || c > '9' {
					return -1
				}
				v = 10*v + int(c-'0')
			}
			return v
		}
		y, mo, d, h, mi, s := n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2), n(17, 2)
		if y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 61 {
			return time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Unix(), true
		}
		return 0, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return 0, false
	}
	return t.Unix(), true
}
