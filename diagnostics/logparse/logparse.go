// Package logparse turns captured logs into the same verdicts a live join
// gives. It reads journal exports (journalctl -o json), journalctl and syslog
// text, NetworkManager, wpa_supplicant, kernel (mac80211), nmcli and iwd
// output, mixed in any combination, maps every line it recognises to a
// diagnostics.Event, splits the events into join attempts and classifies each
// attempt with diagnostics.Classify: one taxonomy and one set of rules for live
// joins and logs alike.
//
// Reading is streaming: input is read line by line with a bounded line
// length, lines are pre-filtered with a few substring checks before any
// decoding, and only the events of the attempts still open are kept, so memory
// stays flat whatever the input size.
package logparse

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// ErrBinary is wrapped by the error Diagnose returns when the input is not
// text (a compressed archive, an executable, a binary journal file).
var ErrBinary = errors.New("input is binary, not a log")

// Error is the error type every exported function of this package returns.
// Op names the operation ("diagnose", "follow"), Line the 1-based input line
// at which it failed (0 when not tied to a line), and Err the cause:
// ErrBinary for binary input, context.Canceled or context.DeadlineExceeded
// when the context ended, or the reader's or journal runner's error.
type Error struct {
	Op   string
	Line int
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.Op, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Op, e.Err)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Defaults for Options.
const (
	DefaultMaxLineBytes = 1 << 20
	// DefaultMaxAttempts is how many attempts a report keeps; older ones
	// are dropped (and counted in the report's hints).
	DefaultMaxAttempts = 200
)

// Options tunes Diagnose. The zero value is ready to use.
type Options struct {
	// ToolVersion and Host are copied into the report; an empty Host is
	// taken from the first log line that names one.
	ToolVersion string
	Host        string
	// Year is used for timestamps that have none (syslog "Nov 14 22:13:20");
	// 0 means the year of the first full timestamp in the input, else the
	// current year. Times without a zone are taken as UTC.
	Year int
	// MaxLineBytes bounds a line; longer lines are skipped whole and counted
	// in the report's hints. 0 means DefaultMaxLineBytes.
	MaxLineBytes int
	// MaxAttempts bounds the attempts kept in the report. 0 means
	// DefaultMaxAttempts.
	MaxAttempts int
}

func (o Options) withDefaults() Options {
	if o.MaxLineBytes <= 0 {
		o.MaxLineBytes = DefaultMaxLineBytes
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.Year == 0 {
		o.Year = -1 // resolved from the input, see lineParser
	}
	return o
}

// Diagnose reads a log from r to its end and returns a report with Mode
// "diagnose": one attempt per join attempt found, oldest first (input in
// reverse order, as from journalctl -r, is detected and put back in order),
// and the top-level class of the last failed attempt, or diagnostics.None
// with outcome "joined" when attempts were found and none failed, and
// outcome "not_shown" when none was found (the Detail says why; an attempt
// still running at the end of the input with nothing failed makes none). An attempt its requester withdrew (NetworkManager's
// user-requested deactivation) keeps its verdict, with a Detail that says
// so, but sets the top-level class only when no other attempt failed.
// Lines that are not recognised are ignored; the report's Hints say what
// was left out (over-long lines, old attempts) and how times were read.
//
// The error is an *Error. It wraps ErrBinary when the input is not text, the
// context's error when ctx ends first, and the reader's error when reading
// fails; the report is nil in every error case.
func Diagnose(ctx context.Context, r io.Reader, opts Options) (*diagnostics.Report, error) {
	opts = opts.withDefaults()
	var attempts []result
	dropped := 0
	s := newStream(opts, func(a result) error {
		attempts = append(attempts, a)
		if len(attempts) > opts.MaxAttempts {
			attempts = attempts[1:]
			dropped++
		}
		return nil
	})
	defer s.close()
	if err := s.run(ctx, r); err != nil {
		return nil, &Error{Op: "diagnose", Line: s.errLine, Err: err}
	}
	rep := buildReport(opts, s, attempts)
	if dropped > 0 {
		rep.Hints = append(rep.Hints, fmt.Sprintf("%d older attempts were left out of this report", dropped))
	}
	return rep, nil
}

// result is one classified join attempt with what the log said about where
// it happened.
type result struct {
	Attempt diagnostics.Attempt
	Iface   string
	SSID    string
	// Connection is the NetworkManager profile name, when logged.
	Connection string
	// Cancelled: the requester withdrew the activation before it ended.
	Cancelled bool
	// Situation: the verdict is for a window of log with no whole
	// attempt in it (diagnostics.ScopeSituation).
	Situation bool
}

func buildReport(opts Options, s *stream, results []result) *diagnostics.Report {
	rep := &diagnostics.Report{
		Schema:      diagnostics.SchemaV1,
		ToolVersion: opts.ToolVersion,
		Host:        opts.Host,
		Mode:        "diagnose",
		Hints:       []string{},
		Attempts:    make([]diagnostics.Attempt, 0, len(results)),
	}
	if rep.Host == "" {
		rep.Host = s.lp.host
	}
	for i, r := range results {
		a := r.Attempt
		a.Number = i + 1
		rep.Attempts = append(rep.Attempts, a)
	}
	var end time.Time
	if len(results) > 0 {
		rep.Started = results[0].Attempt.Started
		end = results[len(results)-1].Attempt.Ended
	}
	rep.Finish(end)
	// The top-level verdict is the last failed attempt's, not the last
	// attempt's: a log that ends with a success after failures still
	// explains the failures.
	pick := -1
	for _, withCancelled := range []bool{false, true} {
		for i := len(results) - 1; i >= 0 && pick < 0; i-- {
			if results[i].Attempt.Class != diagnostics.None && (withCancelled || !results[i].Cancelled) {
				pick = i
			}
		}
	}
	if pick < 0 && len(results) > 0 {
		pick = len(results) - 1
	}
	if pick >= 0 {
		r := results[pick]
		rep.Class, rep.Detail = r.Attempt.Class, r.Attempt.Detail
		rep.BSSID = r.Attempt.BSSID
		rep.Interface = r.Iface
		rep.SSID = r.SSID
		raw := []byte(r.SSID)
		if h, ok := strings.CutPrefix(r.SSID, "0x"); ok {
			if b, err := hex.DecodeString(h); err == nil {
				raw = b // PrintableSSID's form of a non-UTF-8 SSID
			}
		}
		if len(raw) <= 32 {
			rep.SSIDHex = diagnostics.SSIDHex(raw)
		}
		rep.Scope = diagnostics.ScopeAttempt
		if r.Situation {
			rep.Scope = diagnostics.ScopeSituation
		}
	} else if len(s.formats) == 0 {
		rep.Class = diagnostics.None
		rep.Detail = "no line of a log format diagnose knows was recognised; it reads " + formatTitles()
	} else {
		rep.Class, rep.Detail = diagnostics.None, "the log shows no join attempt and no failure"
		if s.sp.unfinished > 0 {
			// An attempt that began and was still running when the
			// log ended, with nothing failed: neither a join nor a
			// failure (outcome not_shown), not "unknown".
			rep.Detail = "a join attempt began and the log ends before it ended, with no failure logged"
		}
		switch {
		case s.sp.refused > 0:
			// A refusal with nothing after it is scan_busy: here a
			// scan completed after the last one, or a join went on.
			rep.Detail += fmt.Sprintf(" (%d scans refused as busy, then a scan completed)", s.sp.refused)
		case s.sp.deferred > 0:
			rep.Detail += fmt.Sprintf(" (%d scan requests deferred behind a scan already running)", s.sp.deferred)
		}
	}
	for _, f := range s.formats {
		rep.Formats = append(rep.Formats, diagnostics.Format{Name: f.rec.name, Events: f.n})
	}
	switch {
	case rep.Class != diagnostics.None:
		rep.Outcome = diagnostics.OutcomeFailed
	case len(results) == 0:
		// Class none with no attempt: nothing relevant, or only
		// look-alikes; no join was seen, so none is claimed.
		rep.Outcome = diagnostics.OutcomeNotShown
	default:
		rep.Outcome = diagnostics.OutcomeJoined
	}
	rep.Summary, rep.NextStep = diagnostics.Explain(rep)
	if s.reversed {
		rep.Hints = append(rep.Hints, "the input was in reverse order (journalctl -r); attempts are listed oldest first")
	}
	if s.truncatedReverse > 0 {
		rep.Hints = append(rep.Hints, fmt.Sprintf("the reversed input was too long: its %d oldest events were left out", s.truncatedReverse))
	}
	if s.untrusted > 0 {
		rep.Hints = append(rep.Hints, fmt.Sprintf("ignored %d journal entries not written by NetworkManager, wpa_supplicant, iwd or the kernel "+
			"(journald's trusted fields say otherwise, e.g. %s): any local user can write such entries (logger -t)", s.untrusted, s.untrustedEx))
	}
	if s.lp.zoneless && len(results) > 0 {
		rep.Hints = append(rep.Hints, "the log's timestamps have no time zone; they were read as UTC")
	}
	if s.longLines > 0 {
		rep.Hints = append(rep.Hints, fmt.Sprintf("%d lines longer than %d bytes were skipped", s.longLines, opts.MaxLineBytes))
	}
	return rep
}
