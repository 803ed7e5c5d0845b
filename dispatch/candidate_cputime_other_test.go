//go:build !linux

package dispatch

import "time"

// threadCPU is not measured here; the benchmark then reports 0 CPU ms.
func threadCPU() time.Duration { return 0 }
