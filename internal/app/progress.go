package app

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress draws a one-line counter on a terminal (and stays quiet when the
// output is not one, e.g. in scripts and CI logs).
type progress struct {
	w     io.Writer
	unit  string
	start time.Time
	tty   bool
	mu    sync.Mutex
	last  time.Time
	n     int
}

func newProgress(w io.Writer, unit string) *progress {
	p := &progress{w: w, unit: unit, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

func (p *progress) set(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n = n
	if !p.tty || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	secs := time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r%12d %s  %8.0f %s/s  %6.1f s", n, p.unit, float64(n)/secs, p.unit, secs)
}

func (p *progress) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func (p *progress) done() {
	if p.tty {
		p.clear()
	}
}
