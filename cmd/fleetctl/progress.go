package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a bar on stderr from an import's Progress callbacks; the bar is made on the first
// call, when the total is known.
type progress struct {
	w    io.Writer
	desc string
	bar  *progressbar.ProgressBar
}

func newProgress(w io.Writer, desc string) *progress { return &progress{w: w, desc: desc} }

// update is a dispatch.ImportOptions.Progress.
func (p *progress) update(done, total int) {
	if total <= 0 {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.desc),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetPredictTime(false),
		)
	}
	p.bar.Set(done)
}

// stop ends the bar's line when it reached the end, and clears it when it did not (a rejected
// import stops halfway; its report says why).
func (p *progress) stop() {
	switch {
	case p.bar == nil:
	case p.bar.IsFinished():
		fmt.Fprintln(p.w)
	default:
		p.bar.Clear()
		p.bar.Exit()
	}
}
