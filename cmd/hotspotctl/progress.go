package main

import (
	"fmt"
	"io"

	"github.com/hotspotctl/hotspotctl/join"
)

// progress shows join phases on stderr: one rewritten status line on a
// terminal, plain lines otherwise, nothing when quiet.
type progress struct {
	w     io.Writer
	tty   bool
	quiet bool
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, tty: isTerminal(w), quiet: quiet}
}

func (p *progress) phase(ph join.Phase) {
	if p.quiet && !p.tty {
		return
	}
	line := fmt.Sprintf("[%5.1fs] %-11s %s", ph.Elapsed.Seconds(), ph.Name, ph.Message)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s", line)
		p.shown = true
		return
	}
	fmt.Fprintln(p.w, line)
}

// done ends the terminal status line; it is safe to call twice.
func (p *progress) done() {
	if p.tty && p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
