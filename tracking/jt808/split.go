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
	if len(data) == 0 {
		return 0, nil, nil
	}
	if data[0] != flagByte {
		i := bytes.IndexByte(data, flagByte)
		if i < 0 {
			return len(data), nil, nil
		}
		return i, nil, nil
	}
	end := bytes.IndexByte(data[1:], flagByte)
	switch {
	case end == 0: // 7e 7e: an empty frame, or a closing and an opening flag
		return 1, nil, nil
	case end > MaxFrameLen || (end < 0 && len(data)-1 > MaxFrameLen):
		// Skip the token and let the next call skip the rest up to a flag.
		return MaxFrameLen + 2, data[1 : MaxFrameLen+2], nil
	case end > 0:
		return 1 + end, data[1 : 1+end], nil
	case atEOF:
		if len(data) == 1 {
			return 1, nil, nil
		}
		return len(data), data[1:], nil
	default:
		return 0, nil, nil // need more data
	}
}
