package jt808

import (
	"bufio"
	"bytes"
	"testing"
)

// benchLocationFrame is an escaped 0x0200 frame with mileage and fuel items: SmallChi's README
// example (S14), whose serial and fuel value each need an escape.
func benchLocationFrame(b *testing.B) []byte { return frame(b, "S14").wire }

func reportFrames(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkDecodeLocationFrame is the gateway's hot path: DecodeFrame into a reused buffer, then
// ParseLocation into a reused Location.
func BenchmarkDecodeLocationFrame(b *testing.B) {
	wire := benchLocationFrame(b)
	dst := make([]byte, 0, MaxFrameLen)
	var l Location
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := DecodeFrame(dst, wire)
		if err != nil {
			b.Fatal(err)
		}
		if err := ParseLocation(p.Body, &l); err != nil {
			b.Fatal(err)
		}
	}
	reportFrames(b)
}

// BenchmarkSplitFrames cuts a stream of 1000 location frames with a bufio.Scanner.
func BenchmarkSplitFrames(b *testing.B) {
	stream := bytes.Repeat(benchLocationFrame(b), 1000)
	buf := make([]byte, 64<<10)
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	frames := 0
	for b.Loop() {
		sc := bufio.NewScanner(bytes.NewReader(stream))
		sc.Buffer(buf, len(buf))
		sc.Split(SplitFrames)
		for sc.Scan() {
			frames++
		}
	}
	b.ReportMetric(float64(frames)/b.Elapsed().Seconds(), "frames/s")
}

// BenchmarkAppendGeneralResponse builds the 0x8001 reply every uplink gets, into a reused buffer.
func BenchmarkAppendGeneralResponse(b *testing.B) {
	h := Header{MsgID: MsgPlatformResponse, Phone: mustPhone(b, "013578888888"), Serial: 0x7e}
	body := make([]byte, 0, 8)
	out := make([]byte, 0, 64)
	b.ReportAllocs()
	for b.Loop() {
		body = AppendGeneralResponse(body[:0], GeneralResponse{Serial: 182, MsgID: MsgLocation})
		var err error
		if out, err = AppendFrame(out[:0], h, body); err != nil {
			b.Fatal(err)
		}
	}
	reportFrames(b)
}

// BenchmarkDecodeBatchFrame decodes Traccar's eight-point blind-zone batch (T17).
func BenchmarkDecodeBatchFrame(b *testing.B) {
	wire := frame(b, "T17").wire
	dst := make([]byte, 0, MaxFrameLen)
	var batch Batch
	b.SetBytes(int64(len(wire)))
	b.ReportAllocs()
	for b.Loop() {
		p, err := DecodeFrame(dst, wire)
		if err != nil {
			b.Fatal(err)
		}
		if err := ParseBatch(p.Body, &batch); err != nil {
			b.Fatal(err)
		}
	}
	reportFrames(b)
}
