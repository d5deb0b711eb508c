package logparse

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// JournalRunner starts a journal reader. Follow runs it with the arguments
// of journalctl; tests replace it.
type JournalRunner interface {
	// Run starts journalctl with args and returns its standard output.
	// Closing the reader, or ending ctx, stops the process; Close returns
	// the process's error other than being stopped.
	Run(ctx context.Context, args []string) (io.ReadCloser, error)
}

// ExecJournal runs the journalctl binary at Path ("journalctl" from PATH
// when empty).
type ExecJournal struct{ Path string }

// Run implements JournalRunner with os/exec: it starts the binary with args
// and returns its standard output. Its error is the failure to start it,
// as "journalctl: %w"; failures of the running process come from Close.
func (j ExecJournal) Run(ctx context.Context, args []string) (io.ReadCloser, error) {
	path := j.Path
	if path == "" {
		path = "journalctl"
	}
	cmd := exec.CommandContext(ctx, path, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("journalctl: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("journalctl: %w", err)
	}
	return &procReader{ReadCloser: out, cmd: cmd, stderr: &stderr}, nil
}

type procReader struct {
	io.ReadCloser
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

// Close stops journalctl. An exit of its own with a failure status is
// returned with its standard error; being stopped (killed, or a broken pipe)
// is not an error.
func (p *procReader) Close() error {
	p.ReadCloser.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(200 * time.Millisecond):
		p.cmd.Process.Kill()
		<-done
		return nil
	}
	var ee *exec.ExitError
	if err == nil || (errors.As(err, &ee) && !ee.Exited()) {
		return nil
	}
	if msg := strings.TrimSpace(p.stderr.String()); msg != "" {
		return fmt.Errorf("journalctl: %w: %s", err, msg)
	}
	return fmt.Errorf("journalctl: %w", err)
}

// FollowOptions tunes Follow.
type FollowOptions struct {
	Options
	// CursorFile, when set, makes following resumable: the journal cursor
	// after the last complete attempt is stored there (mode 0600, written
	// atomically) and, when the file exists, reading resumes after it.
	CursorFile string
	// Quiet is how long the journal must be silent before an ended attempt
	// is reported without waiting for trailing lines; 0 means 2 s.
	Quiet time.Duration
	// SituationHold is how long a situation (scans refused with none
	// completing, a radio left blocked, a device gone, an authentication
	// loop: the verdicts diagnose gives a window of log with no attempt in
	// it) must hold, by the wall clock, before Follow reports it; 0 means
	// 30 s. A refused scan is retried within seconds by wpa_supplicant
	// and NetworkManager, and a retry that completes lifts it: reporting
	// at once would report every transient refusal.
	SituationHold time.Duration
	// now is the clock; nil means time.Now (tests replace it).
	now func() time.Time
}

// defaultSituationHold is FollowOptions.SituationHold's default.
const defaultSituationHold = 30 * time.Second

// situationWatch is Follow's memory of the situation between attempts:
// the class it saw, since when (first seen by the wall clock, not the
// log's timestamps, which a resumed cursor makes old), and whether it was
// reported. A situation is reported once when it has held for the hold
// time, and again only after it changed (another class, or none between).
type situationWatch struct {
	class    diagnostics.Class
	since    time.Time
	reported bool
}

// linkLost: the events show the station's link or connection gone at their
// end (the last report of it says so): a disconnection, the device leaving
// activated, wpa_supplicant falling back to disconnected, inactive,
// scanning or interface_disabled. A rekey (completed -> 4way_handshake ->
// completed) or a roam (completed -> authenticating -> ... -> completed)
// is no loss, and a later completed or activated state lifts one: the
// join they followed stands, with its background-scan exemption.
func linkLost(evs []diagnostics.Event) bool {
	lost := false
	for _, e := range evs {
		switch {
		case e.Kind == diagnostics.KindDisconnect && e.Code > 0,
			e.Kind == diagnostics.KindDeviceState && (e.State == "deactivating" || e.State == "disconnected" || e.State == "unavailable" || e.State == "failed"),
			e.Kind == diagnostics.KindSupplicantState && (e.State == "disconnected" || e.State == "inactive" || e.State == "scanning" || e.State == "interface_disabled"):
			lost = true
		case e.Kind == diagnostics.KindSupplicantState && e.State == "completed",
			e.Kind == diagnostics.KindDeviceState && e.State == "activated",
			e.Kind == diagnostics.KindJoined:
			lost = false
		}
	}
	return lost
}

// check classifies the events outside any attempt at now and returns the
// situation to report, if one has held for hold and was not reported yet.
// A joined station's scan refusals are not reported: background scans of
// a connected station are refused and deferred routinely, and the join
// stands until an attempt says otherwise.
func (w *situationWatch) check(sp *splitter, now time.Time, hold time.Duration) (result, bool) {
	res, ok := sp.situation()
	if ok && sp.lastJoined && res.Attempt.Class == diagnostics.ScanBusy && !linkLost(res.Attempt.Events) {
		ok = false
	}
	if !ok {
		*w = situationWatch{}
		return result{}, false
	}
	if res.Attempt.Class != w.class {
		*w = situationWatch{class: res.Attempt.Class, since: now}
	}
	if w.reported || now.Sub(w.since) < hold {
		return result{}, false
	}
	w.reported = true
	return res, true
}

// journalArgs returns the journalctl arguments Follow uses: JSON output,
// following, only the programs whose lines are recognised, and either
// --after-cursor or no history.
func journalArgs(cursor string) []string {
	args := []string{"-o", "json", "--follow", "--no-pager"}
	if cursor != "" {
		args = append(args, "--after-cursor="+cursor)
	} else {
		args = append(args, "--lines=0")
	}
	return append(args, "SYSLOG_IDENTIFIER=NetworkManager", "+", "SYSLOG_IDENTIFIER=wpa_supplicant", "+",
		"_TRANSPORT=kernel", "+", "SYSLOG_IDENTIFIER=iwd")
}

// Follow tails the live journal through run and calls emit with a report
// (Mode "diagnose", one attempt) for every join attempt as it ends, and for
// every situation between attempts once it has held for
// FollowOptions.SituationHold (scope "situation": scans refused with none
// completing, a blocked radio, a missing device, a loop). It
// returns when ctx ends (with a nil error: stopping is the normal way out),
// when journalctl exits (its error, or io.ErrUnexpectedEOF when it ended
// without one), or when emit fails (emit's error). Errors are *Error with
// Op "follow".
func Follow(ctx context.Context, run JournalRunner, opts FollowOptions, emit func(*diagnostics.Report) error) error {
	o := opts.Options.withDefaults()
	quiet := opts.Quiet
	if quiet <= 0 {
		quiet = 2 * time.Second
	}
	hold := opts.SituationHold
	if hold <= 0 {
		hold = defaultSituationHold
	}
	now := opts.now
	if now == nil {
		now = time.Now
	}
	cursor := ""
	if opts.CursorFile != "" {
		b, err := os.ReadFile(opts.CursorFile)
		switch {
		case err == nil:
			cursor = strings.TrimSpace(string(b))
		case !errors.Is(err, os.ErrNotExist):
			return &Error{Op: "follow", Err: fmt.Errorf("cursor file: %w", err)}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	out, err := run.Run(ctx, journalArgs(cursor))
	if err != nil {
		return &Error{Op: "follow", Err: err}
	}
	stored := cursor
	var s *stream
	s = newStream(o, func(a result) error {
		return emit(buildReport(o, s, []result{a}))
	})
	s.decided = true // a live journal is in order
	s.sp.follow = true
	s.wantCursor = true
	saveCursor := func() error {
		if opts.CursorFile == "" || s.lastCursor == "" || s.lastCursor == stored || !s.sp.idle() {
			return nil
		}
		if err := diagnostics.WriteFileAtomic(opts.CursorFile, []byte(s.lastCursor+"\n")); err != nil {
			return err
		}
		stored = s.lastCursor
		return nil
	}

	// Lines are read in a goroutine so that quiet periods can close ended
	// attempts; the reader owns the bufio state, the loop owns the stream.
	type item struct {
		line []byte
		err  error
	}
	lines := make(chan item, 64)
	go func() {
		defer close(lines)
		pr := &lineReader{r: out, max: o.MaxLineBytes}
		for {
			b, err := pr.next()
			select {
			case lines <- item{b, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	timer := time.NewTimer(quiet)
	defer timer.Stop()
	// Situations are judged when the journal is quiet and, while it is
	// busy, at most once per quiet period.
	var watch situationWatch
	var lastCheck time.Time
	checkSituation := func() error {
		t := now()
		lastCheck = t
		if res, ok := watch.check(&s.sp, t, hold); ok {
			return emit(buildReport(o, s, []result{res}))
		}
		return nil
	}
	fail := func(err error) error {
		out.Close()
		return &Error{Op: "follow", Line: s.lines, Err: err}
	}
	for {
		select {
		case <-ctx.Done():
			out.Close()
			if err := saveCursor(); err != nil {
				return &Error{Op: "follow", Err: err}
			}
			return nil
		case <-timer.C:
			if err := s.sp.expire(); err != nil {
				return fail(err)
			}
			if err := checkSituation(); err != nil {
				return fail(err)
			}
			if err := saveCursor(); err != nil {
				return fail(err)
			}
			timer.Reset(quiet)
		case it, ok := <-lines:
			if !ok {
				continue
			}
			if it.err != nil {
				if ctx.Err() != nil {
					continue
				}
				cerr := out.Close()
				if err := s.sp.flush(); err != nil {
					return &Error{Op: "follow", Err: err}
				}
				saveCursor()
				if it.err == io.EOF {
					if cerr != nil {
						return &Error{Op: "follow", Err: cerr}
					}
					return &Error{Op: "follow", Err: fmt.Errorf("journalctl ended: %w", io.ErrUnexpectedEOF)}
				}
				return &Error{Op: "follow", Err: it.err}
			}
			s.lines++
			if it.line == nil {
				s.longLines++
				continue
			}
			if err := s.line(it.line); err != nil {
				return fail(err)
			}
			if now().Sub(lastCheck) >= quiet {
				if err := checkSituation(); err != nil {
					return fail(err)
				}
			}
			if err := saveCursor(); err != nil {
				return fail(err)
			}
			if !timer.Stop() {
				select {
				case <-timer.C:
				default:
				}
			}
			timer.Reset(quiet)
		}
	}
}

// lineReader returns lines of at most max bytes; a longer line is returned
// as nil (skipped).
type lineReader struct {
	r    io.Reader
	buf  []byte
	max  int
	eof  bool
	skip bool
}

func (l *lineReader) next() ([]byte, error) {
	for {
		if i := bytes.IndexByte(l.buf, '\n'); i >= 0 {
			line := append([]byte(nil), l.buf[:i]...)
			l.buf = l.buf[:copy(l.buf, l.buf[i+1:])]
			if l.skip {
				l.skip = false
				return nil, nil
			}
			return line, nil
		}
		if l.eof {
			if len(l.buf) > 0 {
				line := l.buf
				l.buf = nil
				return line, nil
			}
			return nil, io.EOF
		}
		if len(l.buf) > l.max {
			l.skip = true
			l.buf = l.buf[:0]
		}
		if cap(l.buf)-len(l.buf) < 4096 {
			nb := make([]byte, len(l.buf), 2*cap(l.buf)+8192)
			copy(nb, l.buf)
			l.buf = nb
		}
		n, err := l.r.Read(l.buf[len(l.buf):cap(l.buf)])
		l.buf = l.buf[:len(l.buf)+n]
		if err == io.EOF {
			l.eof = true
		} else if err != nil {
			return nil, err
		}
	}
}
