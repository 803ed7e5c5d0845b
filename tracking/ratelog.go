package tracking

import (
	"log/slog"
	"sync/atomic"
	"time"
)

// rateLogEvery is the least time between two lines of one rateLog.
const rateLogEvery = 10 * time.Second

// rateLog logs a recurring failure at most once per rateLogEvery, with how many happened
// meanwhile: while Redis is away every ingest fails to publish and every mirror round fails, and
// a line each flooded the log with hundreds a second.
type rateLog struct {
	failed atomic.Uint64 // since the last line
	last   atomic.Int64  // Unix nanoseconds of the last line
}

func (l *rateLog) warn(log *slog.Logger, msg string, err error) {
	l.failed.Add(1)
	now := time.Now().UnixNano()
	last := l.last.Load()
	if last != 0 && now-last < int64(rateLogEvery) || !l.last.CompareAndSwap(last, now) {
		return
	}
	log.Warn(msg, slog.Any("error", err), slog.Uint64("failures", l.failed.Swap(0)))
}
