//go:build !unix

package lap_test

import "time"

// cpuTime is not measured here; the benchmarks then report 0 CPU ms.
func cpuTime() time.Duration { return 0 }
