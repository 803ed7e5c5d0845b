// Package jt808 decodes and encodes JT/T 808 (2011, 2013 and 2019) frames and the messages fleet
// uses, as a pure codec: it does no I/O, keeps no clock and logs nothing.
//
// Receiving: SplitFrames cuts a byte stream into escaped frames (it is a bufio.SplitFunc);
// DecodeFrame unescapes one into a reused buffer, checks its lengths and checksum and returns a
// Packet whose Body aliases that buffer; Reassembler joins subpackaged messages; the Parse
// functions read a body into a value. Sending: the Append functions build a body and AppendFrame
// wraps it in a header, a checksum, escaping and the 0x7e flags.
//
// Errors are the sentinel values in errors.go (ErrChecksum, ErrEscape, ErrTooShort ...), returned
// bare so a caller can count them by reason with errors.Is without allocating. A bad frame never
// affects the next one: no function keeps state between frames except Reassembler.
//
// Times on the wire are BCD in UTC+8 (the standard's only time zone); every time.Time this package
// returns or takes is an instant, returned in UTC.
package jt808
