package jt808

import "bytes"

// MaxFrameLen is the most escaped bytes a frame can hold between its flags: a 2019 subpackaged
// header (21), a full body (MaxBodyLen) and the checksum, every byte doubled by escaping, plus 10
// bytes of slack. A token longer than this is an oversized frame (see SplitFrames).
const MaxFrameLen = 2*(maxHeaderLen+MaxBodyLen+1) + 10

// SplitFrames is a bufio.SplitFunc that yields each frame's escaped bytes between 0x7e flags,
// without the flags. It handles frames that share a flag (7e F1 7e F2 7e) and frames with a flag
// each (7e F1 7e 7e F2 7e), and skips empty frames and bytes before a stream's first 0x7e.
//
// It never returns an error, so a scanner using it keeps going after garbage. A frame longer than
// MaxFrameLen is yielded as a token of exactly MaxFrameLen+1 bytes (DecodeFrame rejects it with
// ErrTooLong, or the caller can test len(token) > MaxFrameLen) and the rest of it, up to the next
// 0x7e, is skipped. The scanner's buffer must hold MaxFrameLen+2 bytes, which bufio.Scanner's
// default maximum does. At EOF an unterminated last frame is yielded as it is.
//
// SplitFrames keeps no state: it leaves each closing flag in the input as the next frame's opening
// one, so input that does not start with 0x7e is always either a stream's first bytes or the tail
// of an oversized frame, and is skipped.
func SplitFrames(data []byte, atEOF bool) (advance int, token []byte, err error) {
	// Skip within one call: a bufio.Scanner at EOF stops at the first call that returns no token.
	skip := 0
	for {
		rest := data[skip:]
		if len(rest) == 0 {
			return skip, nil, nil
		}
		if rest[0] != flagByte { // a stream's first bytes, or an oversized frame's tail
			i := bytes.IndexByte(rest, flagByte)
			if i < 0 {
				return len(data), nil, nil
			}
			skip += i
			continue
		}
		end := bytes.IndexByte(rest[1:], flagByte)
		switch {
		case end == 0: // 7e 7e: an empty frame, or a closing and an opening flag
			skip++
		case end > MaxFrameLen || (end < 0 && len(rest)-1 > MaxFrameLen):
			// Yield MaxFrameLen+1 bytes; the next call skips the rest up to a flag.
			return skip + MaxFrameLen + 2, rest[1 : MaxFrameLen+2], nil
		case end > 0:
			return skip + 1 + end, rest[1 : 1+end], nil
		case !atEOF:
			return skip, nil, nil // need more data
		case len(rest) == 1:
			return len(data), nil, nil
		default: // unterminated last frame
			return len(data), rest[1:], nil
		}
	}
}
