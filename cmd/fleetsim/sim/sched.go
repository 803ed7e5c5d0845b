package sim

import (
	"sync"
	"time"
)

// wheel is the one scheduler of every terminal's sending: a hashed timing wheel of 10 ms slots.
// A terminal sits in the slot of its next due time (a report, a re-send, a heartbeat) and is
// handed to a small pool of workers when the slot comes round, so 10,000 terminals need neither
// a timer nor a sending goroutine each.
type wheel struct {
	tick  time.Duration
	start time.Time
	mu    sync.Mutex
	slots [][]*terminal
	cur   int64 // the next tick to run; everything due before it is handed out
	spare []*terminal
	work  chan *terminal
}

const wheelSlots = 4096 // 41 s of 10 ms slots; later due times wait for their round

func newWheel(start time.Time, workers int) *wheel {
	return &wheel{tick: 10 * time.Millisecond, start: start, slots: make([][]*terminal, wheelSlots),
		work: make(chan *terminal, 4*workers)}
}

// add schedules t at due (at the next tick when due has passed).
func (w *wheel) add(t *terminal, due time.Time) {
	n := int64(due.Sub(w.start) / w.tick)
	w.mu.Lock()
	n = max(n, w.cur)
	t.dueTick = n
	i := n % wheelSlots
	w.slots[i] = append(w.slots[i], t)
	w.mu.Unlock()
}

// run turns the wheel until stop closes, handing due terminals to work.
func (w *wheel) run(stop <-chan struct{}) {
	tk := time.NewTicker(w.tick)
	defer tk.Stop()
	for {
		select {
		case <-stop:
			return
		case now := <-tk.C:
			target := int64(now.Sub(w.start) / w.tick)
			for {
				w.mu.Lock()
				if w.cur > target {
					w.mu.Unlock()
					break
				}
				tickNo := w.cur
				i := tickNo % wheelSlots
				due := w.slots[i]
				w.slots[i] = w.spare[:0]
				w.cur++
				// Terminals of a later round go back; the slot is someone else's now.
				keep := 0
				for _, t := range due {
					if t.dueTick > tickNo {
						w.slots[i] = append(w.slots[i], t)
					} else {
						due[keep] = t
						keep++
					}
				}
				w.mu.Unlock()
				for _, t := range due[:keep] {
					select {
					case w.work <- t:
					case <-stop:
						return
					}
				}
				clear(due)
				w.spare = due[:0]
			}
		}
	}
}
