//go:build unix

package lap_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used: on a machine shared with other work, the
// benchmarks report it beside the wall time, which the others' load inflates.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
