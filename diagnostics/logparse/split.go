package logparse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

const (
	maxAttemptEvents = 512    // events kept per attempt (first and last ones)
	keepHead         = 32     // events kept from an attempt's start when it overflows
	maxOrphans       = 256    // events kept outside attempts
	maxReversed      = 50_000 // events held for reversed input when it cannot be spilled
	detectEvents     = 24     // timestamped events looked at to detect reverse order
	trailerWindow    = 3 * time.Second
	orphanWindow     = 2 * time.Minute
)

// stream reads lines, parses them, detects reverse order and feeds a
// splitter.
type stream struct {
	opts  Options
	lp    lineParser
	sp    splitter
	err   error
	lines int

	errLine          int
	longLines        int
	decided          bool
	reversed         bool
	look             []parsed // events held until the order is decided
	truncatedReverse int
	// spill holds reversed input's events beyond one chunk (see
	// spillChunk); spillIndex locates each chunk in it, newest first.
	spill      *os.File
	spillIndex []spillChunk
	spillErr   bool
	// untrusted counts journal entries that parsed as events but were not
	// written by the programs they name; untrustedEx describes the first.
	untrusted   int
	untrustedEx string
	lastCursor  string
	wantCursor  bool
	// formats counts the events each format gave, in the order the
	// formats were first met.
	formats []formatCount
}

type formatCount struct {
	rec *recognizer
	n   int
}

func (s *stream) recognised(r *recognizer) {
	for i := range s.formats {
		if s.formats[i].rec.name == r.name {
			s.formats[i].n++
			return
		}
	}
	s.formats = append(s.formats, formatCount{rec: r, n: 1})
}

func newStream(opts Options, emit func(result) error) *stream {
	return &stream{opts: opts, lp: newLineParser(opts.Year), sp: splitter{emit: emit}}
}

// reversedChunk is how many events of a reversed input are held in memory
// before they are spilled; a variable so tests can make chunks small.
var reversedChunk = 4096

// spillChunk is one spilled chunk's place in the spill file.
type spillChunk struct{ off, n int64 }

// spillRec is a parsed event as spilled (gob needs exported fields).
type spillRec struct {
	Ev   diagnostics.Event
	Role role
}

// spillLook moves the held events of a reversed input to the spill file,
// so that memory stays bounded by one chunk whatever the input's length:
// reversed input (journalctl -r) can only be classified once its oldest
// event, the last one read, is in. The file is an unlinked temporary file
// (mode 0600, gone when closed) holding events whose messages are already
// redacted. It returns false when no spill file can be used; the caller
// then drops events beyond maxReversed and says so in the report.
func (s *stream) spillLook() bool {
	if s.spillErr {
		return false
	}
	if s.spill == nil {
		f, err := os.CreateTemp("", "hotspotctl-diagnose-*")
		if err != nil {
			s.spillErr = true
			return false
		}
		_ = os.Remove(f.Name()) // unlinked: nothing is left behind, even on a crash
		s.spill = f
	}
	off, err := s.spill.Seek(0, io.SeekEnd)
	if err != nil {
		s.spillErr = true
		return false
	}
	recs := make([]spillRec, len(s.look))
	for i, p := range s.look {
		recs[i] = spillRec{Ev: p.ev, Role: p.role}
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(recs); err != nil {
		s.spillErr = true
		return false
	}
	if _, err := s.spill.Write(buf.Bytes()); err != nil {
		s.spillErr = true
		return false
	}
	s.spillIndex = append(s.spillIndex, spillChunk{off: off, n: int64(buf.Len())})
	clear(s.look)
	s.look = s.look[:0]
	return true
}

// unspill reads back spilled chunk i.
func (s *stream) unspill(i int) ([]parsed, error) {
	c := s.spillIndex[i]
	var recs []spillRec
	if err := gob.NewDecoder(io.NewSectionReader(s.spill, c.off, c.n)).Decode(&recs); err != nil {
		return nil, fmt.Errorf("read back reversed input: %w", err)
	}
	out := make([]parsed, len(recs))
	for j, r := range recs {
		out[j] = parsed{ev: r.Ev, role: r.Role}
	}
	return out, nil
}

// close releases the spill file.
func (s *stream) close() {
	if s.spill != nil {
		s.spill.Close()
		s.spill = nil
	}
}

// binaryKind names the kind of a binary input from its first bytes, or
// returns "" for text.
func binaryKind(head []byte) string {
	magics := []struct {
		magic []byte
		name  string
	}{
		{[]byte{0x1f, 0x8b}, "gzip data"},
		{[]byte("\x7fELF"), "ELF executable"},
		{[]byte{0x28, 0xb5, 0x2f, 0xfd}, "zstd data"},
		{[]byte{0xfd, '7', 'z', 'X', 'Z', 0}, "xz data"},
		{[]byte("BZh"), "bzip2 data"},
		{[]byte("PK\x03\x04"), "zip archive"},
		{[]byte("LPKSHHRH"), "binary systemd journal file (read it with journalctl --file=... -o json)"},
		{[]byte("\x89PNG"), "PNG image"},
		{[]byte("%PDF"), "PDF document"},
		{[]byte{0xff, 0xfe}, "UTF-16 text (convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8)"},
		{[]byte{0xfe, 0xff}, "UTF-16 text (convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8)"},
	}
	for _, m := range magics {
		if bytes.HasPrefix(head, m.magic) {
			return m.name
		}
	}
	if len(head) == 0 {
		return ""
	}
	ctl := 0
	for _, c := range head {
		if c == 0 {
			return "NUL bytes in the first block"
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b && c != '\f' {
			ctl++
		}
	}
	if ctl*10 > len(head) {
		return "control bytes in the first block"
	}
	return ""
}

// run reads r to its end.
func (s *stream) run(ctx context.Context, r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("read: %w", err)
	}
	if why := binaryKind(head); why != "" {
		return fmt.Errorf("%w: %s", ErrBinary, why)
	}
	var long []byte
	skipping := false
	for {
		chunk, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			if !skipping {
				if len(long)+len(chunk) > s.opts.MaxLineBytes {
					skipping, long = true, long[:0]
				} else {
					long = append(long, chunk...)
				}
			}
			continue
		}
		if len(chunk) > 0 || len(long) > 0 {
			s.lines++
			switch {
			case skipping:
				s.longLines++
				skipping = false
			case len(long) > 0:
				long = append(long, chunk...)
				if len(long) > s.opts.MaxLineBytes+2 {
					s.longLines++
				} else if e := s.line(long); e != nil {
					return e
				}
				long = long[:0]
			case len(chunk) > s.opts.MaxLineBytes+2:
				s.longLines++
			default:
				if e := s.line(chunk); e != nil {
					return e
				}
			}
			if s.lines&1023 == 0 {
				if e := ctx.Err(); e != nil {
					s.errLine = s.lines
					return e
				}
			}
		}
		if err != nil {
			if err == io.EOF {
				break
			}
			s.errLine = s.lines
			return fmt.Errorf("read: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.finish()
}

// line handles one input line (s.lines is its number).
func (s *stream) line(b []byte) error {
	if s.wantCursor && len(b) > 0 && b[0] == '{' {
		if c := journalCursor(b); c != "" {
			s.lastCursor = c
		}
	}
	li, ok := s.lp.split(b)
	if !ok {
		return nil
	}
	p, rec, ok := parseLine(li.msg, li.prog, li.tag)
	if !ok {
		return nil
	}
	if li.untrusted != "" {
		// Anyone can write this entry: it is never evidence.
		if s.untrusted == 0 {
			s.untrustedEx = li.untrusted
		}
		s.untrusted++
		return nil
	}
	s.recognised(rec)
	if p.ev.Time.IsZero() {
		p.ev.Time = li.t // hotspotctl's own lines carry their event's time
	}
	if p.ev.Time.IsZero() {
		p.ev.Monotonic = li.mono
	}
	p.ev.Line = s.lines
	switch {
	case p.own:
		p.ev.Message = redact(p.ev.Message) // the live event's own message
	case li.json && li.prog != "" && li.unverified:
		p.ev.Message = redact(li.prog + " (unverified sender): " + li.msg)
	case li.json && li.prog != "":
		p.ev.Message = redact(li.prog + ": " + li.msg)
	default:
		p.ev.Message = redact(string(bytes.TrimRight(b, "\r\n")))
	}
	if li.prog == "kernel" && p.ev.Source == diagnostics.SourceSupplicant && p.ev.Kind != diagnostics.KindPskMismatch {
		p.ev.Source = diagnostics.SourceKernel
	}
	return s.event(p)
}

func (s *stream) event(p parsed) error {
	if s.decided {
		if s.reversed {
			if len(s.look) >= reversedChunk && !s.spillLook() && len(s.look) >= maxReversed {
				s.truncatedReverse++
				return nil
			}
			s.look = append(s.look, p)
			return nil
		}
		return s.sp.add(p)
	}
	s.look = append(s.look, p)
	stamped := 0
	for _, q := range s.look {
		if !q.ev.Time.IsZero() {
			stamped++
		}
	}
	if stamped >= detectEvents || len(s.look) >= 4*detectEvents {
		return s.decide()
	}
	return nil
}

// decide looks at the held events' times: mostly decreasing means
// journalctl -r.
func (s *stream) decide() error {
	s.decided = true
	inc, dec := 0, 0
	var prev time.Time
	for _, q := range s.look {
		t := q.ev.Time
		if t.IsZero() {
			continue
		}
		if !prev.IsZero() {
			switch {
			case t.After(prev):
				inc++
			case t.Before(prev):
				dec++
			}
		}
		prev = t
	}
	s.reversed = dec > inc && dec >= 2
	if s.reversed {
		return nil
	}
	look := s.look
	s.look = nil
	for _, q := range look {
		if err := s.sp.add(q); err != nil {
			return err
		}
	}
	return nil
}

// finish ends the input: events held for a reversed input are fed in time
// order, and the open attempt is closed.
func (s *stream) finish() error {
	if !s.decided {
		if err := s.decide(); err != nil {
			return err
		}
	}
	if s.reversed {
		// The oldest events are the ones still held; then the spilled
		// chunks, from the last written (older) to the first.
		look := s.look
		s.look = nil
		for c := len(s.spillIndex); c >= 0; c-- {
			if c < len(s.spillIndex) {
				var err error
				if look, err = s.unspill(c); err != nil {
					return err
				}
			}
			for i := len(look) - 1; i >= 0; i-- {
				if err := s.sp.add(look[i]); err != nil {
					return err
				}
			}
		}
	}
	return s.sp.flush()
}

// attempt is one attempt being collected.
type attempt struct {
	evs []diagnostics.Event
	// pre are the blocking states (radio, device, backend, permission)
	// logged outside any attempt shortly before this one began: what an
	// attempt that fails for no reason of its own ran into.
	pre         []diagnostics.Event
	dropped     int
	hasDevice   bool // NetworkManager's "Activation: starting connection" seen
	hasStart    bool
	done        bool // a terminal event was seen
	doneAt      time.Time
	doneMono    time.Duration // the terminal event's kernel stamp, for logs without wall-clock times
	failed      bool          // a failure since the last wpa_supplicant start
	conn        string
	implicitEnd bool
	own         bool // hotspotctl's own events (addOwn)
	// readyBefore are the interfaces whose kernel printed "link becomes
	// ready" before this attempt began (splitter.linkReady).
	readyBefore map[string]bool
}

// associatedOn: the attempt's station associated (mac80211's "associated",
// or a successful association response) and the attempt is iface's (its
// own interface, when known, is iface): another interface's link coming
// up says nothing of this attempt.
func (a *attempt) associatedOn(iface string) bool {
	if own, _ := place(a.evs); own != "" && iface != "" && own != iface {
		return false
	}
	for _, e := range a.evs {
		if (e.Kind == diagnostics.KindNote && e.Name == diagnostics.NoteAssociated) || (e.Kind == diagnostics.KindAssocStatus && e.Code == 0) {
			return true
		}
	}
	return false
}

// failedSinceStart: a failure event is among the attempt's events.
func (a *attempt) failedSinceStart() bool {
	for _, e := range a.evs {
		if failureEvent(e) {
			return true
		}
	}
	return false
}

func (a *attempt) append(e diagnostics.Event) {
	if len(a.evs) >= maxAttemptEvents {
		tail := maxAttemptEvents / 2
		cut := len(a.evs) - tail
		a.dropped += cut - keepHead
		a.evs = append(a.evs[:keepHead], a.evs[cut:]...)
	}
	a.evs = append(a.evs, e)
}

// splitter groups events into attempts and classifies each when it ends.
type splitter struct {
	emit    func(result) error
	nmSeen  bool // NetworkManager (or nmcli) lines seen: it drives attempts
	cur     *attempt
	orphans []diagnostics.Event
	// prevSupplicant is wpa_supplicant's last event per interface
	// (sameTrigger).
	prevSupplicant map[string]diagnostics.Event
	emitted        int // attempts emitted so far
	// linkReady are the interfaces whose kernel printed IPv6's "link
	// becomes ready": addrconf prints it once per interface, so a later
	// attempt's lack of it is no evidence (diagnostics.NoteLinkReadyEarlier).
	linkReady map[string]bool
	// lastJoined: the last attempt emitted was a success (Follow does
	// not call the background scans of a joined station scan_busy).
	lastJoined bool
	refused    int // scans refused (EBUSY) outside any attempt
	// atEnd: flush is closing the attempt still open at the end of the
	// input; unfinished counts such attempts that showed no failure,
	// which make no result (neither a join nor a failure).
	atEnd      bool
	unfinished int
	// follow: the splitter serves Follow, whose cursor moves past what
	// flush closes; an unfinished attempt is reported there (unknown),
	// never dropped.
	follow   bool
	deferred int // scan requests deferred behind a running scan, outside any attempt
}

// blockersBefore returns the events of orphans that report a blocking
// state (diagnostics' radio, device, backend and permission events) within
// orphanWindow before start.
func blockersBefore(orphans []diagnostics.Event, start diagnostics.Event) []diagnostics.Event {
	var out []diagnostics.Event
	for _, o := range orphans {
		switch o.Kind {
		case diagnostics.KindRadio, diagnostics.KindDevice, diagnostics.KindBackend, diagnostics.KindPermission:
		default:
			continue
		}
		if d, ok := diagnostics.SinceEvent(o, start); ok && d > orphanWindow {
			continue
		}
		out = append(out, o)
	}
	return out
}

// stillBlocking returns the blockers of pre that can explain an attempt
// with events evs: on its interface (or on none named), and not shown
// lifted by the attempt itself. wpa_supplicant answering in the attempt
// (any of its events) lifts a daemon that was down; the station getting
// past scanning (authenticating or further) lifts a radio or device
// block.
func stillBlocking(pre, evs []diagnostics.Event) []diagnostics.Event {
	if len(pre) == 0 {
		return nil
	}
	iface, _ := place(evs)
	supplicant, pastScan := false, false
	for _, e := range evs {
		if e.Source == diagnostics.SourceSupplicant || e.Kind == diagnostics.KindSupplicantState {
			supplicant = true
		}
		switch {
		case e.Kind == diagnostics.KindSupplicantState && pastScanStates[e.State],
			e.Kind == diagnostics.KindAuthStatus, e.Kind == diagnostics.KindAssocStatus,
			e.Kind == diagnostics.KindNote && (e.Name == diagnostics.NoteTryAuth || e.Name == diagnostics.NoteTryAssoc):
			pastScan = true
		}
	}
	var out []diagnostics.Event
	for _, b := range pre {
		if b.Iface != "" && iface != "" && b.Iface != iface {
			continue
		}
		if b.Kind == diagnostics.KindBackend && supplicant {
			continue
		}
		if (b.Kind == diagnostics.KindRadio || b.Kind == diagnostics.KindDevice) && pastScan {
			continue
		}
		out = append(out, b)
	}
	return out
}

// pastScanStates are wpa_supplicant's states from authenticating on: the
// station found a BSS and is joining it (Android's dormant, uninitialized
// and invalid are not among them).
var pastScanStates = map[string]bool{
	"authenticating": true, "associating": true, "associated": true, "4way_handshake": true,
	"group_handshake": true, "completed": true,
}

// otherNetdevsDropped returns evs without the radio and device events of
// another Wi-Fi network interface than the attempt's (wlan1's failure to
// come up, a disabled OpenWrt radio1, a systemd device timeout for wlan1 in
// an attempt on wlan0): the rules read the last event of each kind, and
// another interface's must not decide this attempt. Events that name an
// rfkill switch or a wiphy (phy0, ideapad_wlan), or a bus address, are kept:
// they may be this interface's.
func otherNetdevsDropped(evs []diagnostics.Event) []diagnostics.Event {
	iface, _ := place(evs)
	if iface == "" {
		return evs
	}
	var out []diagnostics.Event
	for i, e := range evs {
		other := (e.Kind == diagnostics.KindRadio || e.Kind == diagnostics.KindDevice) && e.Iface != "" && e.Iface != iface &&
			e.Source != diagnostics.SourceRfkill && reOtherNetdev.MatchString(e.Iface)
		if other && out == nil {
			out = append(make([]diagnostics.Event, 0, len(evs)), evs[:i]...)
		}
		if out != nil && !other {
			out = append(out, e)
		}
	}
	if out == nil {
		return evs
	}
	return out
}

// reOtherNetdev: Wi-Fi netdev names (as reWifiNetdev, plus OpenWrt's
// phy0-sta0 and its wifi-device names radio0).
var reOtherNetdev = regexp.MustCompile(`^(?:wl|mlan\d|ra\d|ath\d|phy\d+-|radio\d)`)

// blockingClass: the classes of a state that blocks every join.
func blockingClass(c diagnostics.Class) bool {
	switch c {
	case diagnostics.RadioOff, diagnostics.DeviceUnavailable, diagnostics.BackendUnavailable, diagnostics.PermissionDenied:
		return true
	}
	return false
}

// sameTrigger: e, a "Failed to initiate AP scan", reports the same failed
// scan trigger as prev, wpa_supplicant's event before it on the same
// interface: its deferral ("Reject scan trigger since one is already
// pending") or a driver's refusal, within 2 s.
func sameTrigger(prev, e diagnostics.Event) bool {
	if prev.Kind != diagnostics.KindScanBusy || prev.Source != diagnostics.SourceSupplicant || prev.Name == diagnostics.ScanInitFailed {
		return false
	}
	if prev.Iface != "" && e.Iface != "" && prev.Iface != e.Iface {
		return false
	}
	d, ok := diagnostics.SinceEvent(prev, e)
	return !ok || d <= 2*time.Second
}

func isStartRole(r role) bool {
	return r == roleStartRequest || r == roleStartDevice || r == roleStartWpa
}

// failureEvent is the classifier's notion of a failure, for splitting
// wpa_supplicant's retries.
func failureEvent(e diagnostics.Event) bool {
	switch e.Kind {
	case diagnostics.KindAuthStatus, diagnostics.KindAssocStatus:
		return e.Code != 0
	case diagnostics.KindPskMismatch, diagnostics.KindSAEFailure, diagnostics.KindAuthTimeout,
		diagnostics.KindAssocTimeout, diagnostics.KindDisconnect, diagnostics.KindPermission:
		return true
	case diagnostics.KindScanVerdict:
		return e.Name != "found"
	case diagnostics.KindDeviceState:
		return e.State == "failed"
	}
	return false
}

// idle reports whether no attempt is being collected.
func (sp *splitter) idle() bool { return sp.cur == nil }

func (sp *splitter) add(p parsed) error {
	if p.ev.Source == diagnostics.SourceKernel && p.ev.Kind == diagnostics.KindNote && p.ev.Name == diagnostics.NoteLinkReady && p.ev.Iface != "" {
		// Recorded after this event is placed: it is "earlier" only
		// for attempts that begin after it.
		defer func(iface string) {
			if sp.linkReady == nil {
				sp.linkReady = map[string]bool{}
			}
			sp.linkReady[iface] = true
		}(p.ev.Iface)
	}
	if p.own {
		return sp.addOwn(p)
	}
	if p.ev.Source == diagnostics.SourceSupplicant {
		if p.ev.Kind == diagnostics.KindScanBusy && p.ev.Name == diagnostics.ScanInitFailed && sameTrigger(sp.prevSupplicant[p.ev.Iface], p.ev) {
			// wpa_supplicant's "Failed to initiate AP scan" after the
			// refusal or deferral it logged for the same trigger, on
			// the same interface, whatever other programs logged
			// between: one failure, not two.
			p.ev.Kind = diagnostics.KindNote
		}
		if sp.prevSupplicant == nil {
			sp.prevSupplicant = map[string]diagnostics.Event{}
		}
		sp.prevSupplicant[p.ev.Iface] = p.ev
	}
	if sp.cur != nil && sp.cur.own {
		// Other programs' lines inside the burst of hotspotctl's own
		// (written at once when its attempt ended) are not its evidence.
		sp.orphans = append(sp.orphans, p.ev)
		return nil
	}
	e := p.ev
	r := p.role
	if e.Source == diagnostics.SourceNM || e.Source == diagnostics.SourceNmcli {
		sp.nmSeen = true
	}
	if r == roleEndIfOpen {
		r = roleNone
		if sp.cur != nil {
			r = roleTerminal
		}
	}
	var extra *diagnostics.Event
	if !sp.nmSeen {
		// wpa_supplicant alone drives the attempts.
		switch {
		case r == roleWpaNotFound:
			e.Kind, e.Name = diagnostics.KindScanVerdict, "absent"
			if sp.cur == nil {
				r = roleStartWpa
			} else {
				r = roleNone
			}
		case e.Kind == diagnostics.KindNote && e.Name == diagnostics.NoteLinkReady && sp.cur != nil && !sp.cur.failedSinceStart() &&
			sp.cur.associatedOn(e.Iface):
			// The kernel alone (dmesg): IPv6's "link becomes ready" after
			// an association is the port authorized, the handshake done
			// (diagnostics.NoteLinkReady); nothing later in a kernel log
			// says more of a join.
			r = roleTerminal
			j := diagnostics.Event{Time: e.Time, Monotonic: e.Monotonic, Source: diagnostics.SourceKernel, Kind: diagnostics.KindJoined,
				Iface: e.Iface, Line: e.Line, Message: "the kernel: the link became ready after association (handshake completed; DHCP not seen)"}
			extra = &j
		case e.Kind == diagnostics.KindSupplicantState && e.State == "completed" && sp.cur != nil:
			r = roleTerminal
			j := diagnostics.Event{Time: e.Time, Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindJoined,
				BSSID: e.BSSID, Iface: e.Iface, Line: e.Line,
				Message: "wpa_supplicant completed the connection (no NetworkManager lines: DHCP not seen)"}
			extra = &j
		}
	} else if r == roleStartWpa || r == roleWpaNotFound {
		r = roleNone
	}

	if c := sp.cur; c != nil && !c.done && e.Kind == diagnostics.KindBackend && e.Failed() &&
		(c.failed || diagnostics.AuthLoop(c.evs) != nil) {
		// The daemon went away after the attempt had failed on its own
		// account: wpa_supplicant run by hand and stopped after its tries
		// failed logs CTRL-EVENT-TERMINATING last (lab finding, probe
		// auth-loop). The attempt's verdict is its own failure; the exit
		// is what came after, and like anything after an attempt it is
		// not judged.
		if err := sp.close(); err != nil {
			return err
		}
		r = roleNone
	}
	if c := sp.cur; c != nil && e.Kind == diagnostics.KindRadio && e.Failed() && c.failed && failedOnItsOwn(c.evs) {
		// The radio went off after the attempt had failed for a cause
		// of its own (a refused key, an AP's refusal, no lease): the
		// user or the platform switching Wi-Fi off afterwards
		// (Android's setWifiEnabled, macOS's "Wi-Fi Power (en0): Off")
		// is what came next, not why it failed; radio_off would
		// otherwise win, as the radio rule comes first.
		if err := sp.close(); err != nil {
			return err
		}
		r = roleNone
	}
	if c := sp.cur; c != nil && c.done {
		within := e.Time.IsZero() || c.doneAt.IsZero() ||
			(e.Time.Sub(c.doneAt) <= trailerWindow && c.doneAt.Sub(e.Time) <= trailerWindow)
		if e.Time.IsZero() && c.doneAt.IsZero() && e.Monotonic > 0 && c.doneMono > 0 {
			// dmesg: the kernel's stamps measure the trailer instead.
			within = e.Monotonic-c.doneMono <= trailerWindow && c.doneMono-e.Monotonic <= trailerWindow
		}
		if isStartRole(r) || !within || e.Kind == diagnostics.KindJoined {
			if err := sp.close(); err != nil {
				return err
			}
		} else {
			c.append(e)
			return nil
		}
	}
	switch {
	case isStartRole(r):
		if c := sp.cur; c != nil {
			same := false
			switch r {
			case roleStartRequest:
				// NetworkManager logs the audit line of the request
				// after "Activation: starting connection".
				same = !c.failed
			case roleStartDevice:
				same = !c.hasDevice
			case roleStartWpa:
				same = !c.failed
			}
			if !same {
				c.implicitEnd = true
				if err := sp.close(); err != nil {
					return err
				}
			}
		}
		if sp.cur == nil {
			sp.cur = &attempt{pre: blockersBefore(sp.orphans, e), readyBefore: sp.readySnapshot()}
			sp.orphans = sp.orphans[:0]
		}
		c := sp.cur
		c.hasStart = true
		if r == roleStartDevice {
			c.hasDevice = true
		}
		if r == roleStartWpa {
			c.failed = false
		}
		if e.Kind == diagnostics.KindActivationStart && e.Name != "" {
			c.conn = e.Name
		}
		c.append(e)
		if failureEvent(e) {
			c.failed = true
		}
	case sp.cur != nil:
		c := sp.cur
		c.append(e)
		if failureEvent(e) {
			c.failed = true
		}
		if r == roleTerminal {
			c.done, c.doneAt, c.doneMono = true, e.Time, e.Monotonic
		}
	case r == roleTerminal || (!sp.nmSeen && failureEvent(e) && !(e.Kind == diagnostics.KindDisconnect && e.Code < 0)):
		// A terminal event without a start: the log begins mid-attempt.
		// Without NetworkManager, any failure is one (but a disconnection
		// we asked for): wpa_supplicant and the kernel retry on their
		// own, with no terminal state.
		c := &attempt{readyBefore: sp.readySnapshot()}
		for _, o := range sp.orphans {
			if e.Time.IsZero() || o.Time.IsZero() || e.Time.Sub(o.Time) <= orphanWindow {
				c.append(o)
			}
		}
		sp.orphans = sp.orphans[:0]
		c.append(e)
		if r == roleTerminal {
			c.done, c.doneAt, c.doneMono = true, e.Time, e.Monotonic
		} else {
			c.failed = true
		}
		sp.cur = c
	default:
		if e.Kind == diagnostics.KindScanBusy {
			if e.Name == diagnostics.ScanDeferred {
				sp.deferred++
			} else {
				sp.refused++
			}
		}
		if len(sp.orphans) >= maxOrphans {
			n := copy(sp.orphans, sp.orphans[maxOrphans/2:])
			sp.orphans = sp.orphans[:n]
		}
		sp.orphans = append(sp.orphans, e)
	}
	if extra != nil && sp.cur != nil {
		sp.cur.append(*extra)
		sp.cur.done, sp.cur.doneAt, sp.cur.doneMono = true, e.Time, e.Monotonic
	}
	return nil
}

// addOwn takes one of hotspotctl's own events: its begin line opens an
// attempt (closing any open one), its end line closes it, and every event
// between belongs to it, as it did in the live join.
func (sp *splitter) addOwn(p parsed) error {
	e := p.ev
	switch p.role {
	case roleStartRequest:
		if sp.cur != nil {
			sp.cur.implicitEnd = !sp.cur.done
			if err := sp.close(); err != nil {
				return err
			}
		}
		sp.cur = &attempt{hasStart: true, own: true}
		sp.orphans = sp.orphans[:0]
		return nil // the frame is not evidence
	case roleTerminal:
		if sp.cur != nil && sp.cur.own {
			sp.cur.done, sp.cur.doneAt, sp.cur.doneMono = true, e.Time, e.Monotonic
			return sp.close()
		}
		return nil
	}
	if sp.cur == nil || !sp.cur.own {
		// An event line without its begin line (the log was cut): it
		// opens an attempt of its own.
		if sp.cur != nil {
			if err := sp.close(); err != nil {
				return err
			}
		}
		sp.cur = &attempt{own: true}
	}
	sp.cur.append(e)
	return nil
}

// flush ends the input: the open attempt is closed, and when no attempt was
// found at all, the events outside any attempt are classified as a
// situation (diagnostics.ClassifySituation): scans refused for a minute, a
// radio left off, an authentication loop with neither its start nor its end
// in the excerpt. A window that shows no failure makes nothing. After an
// attempt, what follows it is not judged: a successful join followed by a
// shutdown's "unavailable" or by refused background scans is a success.
func (sp *splitter) flush() error {
	if sp.cur != nil {
		sp.atEnd = true
		return sp.close()
	}
	if sp.emitted > 0 || len(sp.orphans) == 0 {
		return nil
	}
	res, ok := situationOf(sp.orphans)
	sp.orphans = nil
	if !ok {
		return nil
	}
	sp.emitted++
	return sp.emit(res)
}

// situation classifies the events outside any attempt as a situation
// without consuming them, for Follow, which reports a state that holds
// while the journal goes on. ok is false while an attempt is open, when
// there are no such events, or when they show no failure.
func (sp *splitter) situation() (result, bool) {
	if sp.cur != nil || len(sp.orphans) == 0 {
		return result{}, false
	}
	return situationOf(sp.orphans)
}

// situationOf is the situation verdict of evs (diagnostics.ClassifySituation)
// as a result; ok is false when they show no failure.
func situationOf(evs []diagnostics.Event) (result, bool) {
	v := diagnostics.ClassifySituation(evs)
	if v.Class == diagnostics.None {
		return result{}, false
	}
	evs = append([]diagnostics.Event(nil), evs...)
	a := diagnostics.Attempt{Scope: diagnostics.ScopeSituation, Events: evs, Scans: []diagnostics.ScanRecord{}}
	a.SetVerdict(v)
	res := result{Situation: true}
	res.Iface, res.SSID = place(evs)
	for _, e := range evs {
		if !e.Time.IsZero() {
			if a.Started.IsZero() {
				a.Started = e.Time
			}
			a.Ended = e.Time
		}
		if e.BSSID != "" {
			a.BSSID = e.BSSID
		}
	}
	res.Attempt = a
	return res, true
}

// expire closes an attempt whose terminal event is older than the trailer
// window by the wall clock; follow mode calls it when the journal is quiet.
func (sp *splitter) expire() error {
	if sp.cur != nil && sp.cur.done {
		return sp.close()
	}
	return nil
}

func (sp *splitter) close() error {
	c := sp.cur
	sp.cur = nil
	if c == nil || len(c.evs) == 0 {
		return nil
	}
	evs := c.evs
	if len(c.readyBefore) > 0 {
		for _, e := range evs {
			if e.Source == diagnostics.SourceKernel && c.readyBefore[e.Iface] {
				note := diagnostics.Event{Time: e.Time, Monotonic: e.Monotonic, Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote,
					Name: diagnostics.NoteLinkReadyEarlier, Iface: e.Iface}
				evs = append([]diagnostics.Event{note}, evs...)
				break
			}
		}
	}
	// A request with nothing after it (the audit line of a wired
	// connection, an nmcli call whose output was not captured) is no
	// evidence of a join attempt; tries that loop are (a BSS that never
	// lets the station in, diagnostics.AuthLoop), and so are DHCP
	// discovers nobody answers (diagnostics.DHCPUnanswered: iwd's
	// "connecting" then ell's discovers, with the log ending before iwd
	// gives up).
	evidence := c.done || diagnostics.AuthLoop(evs) != nil || diagnostics.DHCPUnanswered(evs) != nil
	for _, e := range evs {
		if e.Kind != diagnostics.KindActivationStart && e.Kind != diagnostics.KindNote {
			evidence = true
			break
		}
	}
	if !evidence {
		return nil
	}
	// NetworkManager logs "Activation: successful" after the state change
	// to activated; when a log lost that line, the state change says it.
	hasJoined := false
	for _, e := range evs {
		if e.Kind == diagnostics.KindJoined {
			hasJoined = true
		}
	}
	if !hasJoined {
		for i := len(evs) - 1; i >= 0; i-- {
			e := evs[i]
			if failureEvent(e) {
				break
			}
			if e.Kind == diagnostics.KindDeviceState && e.State == "activated" {
				evs = append(evs, diagnostics.Event{Time: e.Time, Source: e.Source, Kind: diagnostics.KindJoined,
					Iface: e.Iface, Line: e.Line, Message: "device activated"})
				break
			}
		}
	}
	v := diagnostics.Classify(otherNetdevsDropped(evs))
	if pre := stillBlocking(c.pre, evs); v.Class == diagnostics.Unknown && len(pre) > 0 {
		// The attempt's own events explain nothing; a radio left
		// blocked, a missing device, a daemon down or a refusal by
		// policy logged just before it does (its own later reports,
		// if any, still decide: the rules read the last of each). The
		// attempt's events and times stay its own; the blocker is
		// evidence.
		all := append(append([]diagnostics.Event{}, pre...), evs...)
		if w := diagnostics.Classify(all); blockingClass(w.Class) {
			v = w
			v.Detail += " (logged before the attempt began)"
		}
	}
	// An activation that its requester withdrew (NetworkManager's
	// user-requested, new-activation or connection-removed deactivation)
	// with no failure a rule explains did not fail: it was cancelled,
	// typically by the requester's own deadline. Its verdict stays, but it
	// is marked and does not make the report's top-level class. (A
	// requester that gives up after a failure, as hotspotctl does, leaves a
	// verdict that stands.)
	cancelled := ""
	if v.Class == diagnostics.Unknown {
		for i := len(evs) - 1; i >= 0; i-- {
			e := evs[i]
			if e.Kind != diagnostics.KindDeviceState {
				continue
			}
			if e.State != "deactivating" && e.State != "disconnected" {
				break // the last state before the teardown, if any
			}
			if e.Code == diagnostics.ReasonUserRequested || e.Code == diagnostics.ReasonNewActivation || e.Code == 38 {
				cancelled = e.Name
			}
		}
	}
	if v.Class == diagnostics.Unknown && len(v.Evidence) == 0 {
		if c.implicitEnd {
			v.Detail = "a new activation began before this one ended, with no failure logged"
		} else if !c.done {
			if sp.atEnd && !sp.follow && cancelled == "" {
				// Still running when the input ended, nothing failed
				// and nobody withdrew it: neither a join nor a failure.
				sp.unfinished++
				return nil
			}
			v.Detail = "the log ends before the attempt ended, with no failure logged"
		}
	}
	if cancelled != "" {
		v.Detail = "cancelled by its requester (" + cancelled + ") before it ended; " + v.Detail
	}
	if c.dropped > 0 {
		v.Detail += fmt.Sprintf(" (%d events in the middle of this attempt were left out)", c.dropped)
	}
	a := diagnostics.Attempt{Events: evs, Scans: []diagnostics.ScanRecord{}}
	a.SetVerdict(v)
	res := result{Connection: c.conn, Cancelled: cancelled != ""}
	res.Iface, res.SSID = place(evs)
	for _, e := range evs {
		if !e.Time.IsZero() {
			if a.Started.IsZero() {
				a.Started = e.Time
			}
			a.Ended = e.Time
		}
		if e.BSSID != "" {
			a.BSSID = e.BSSID
		}
	}
	res.Attempt = a
	sp.emitted++
	sp.lastJoined = v.Class == diagnostics.None
	return sp.emit(res)
}

func isP2P(iface string) bool { return len(iface) > 4 && iface[:4] == "p2p-" }

// failedOnItsOwn reports whether evs already show a failure with a cause of
// the join's own (wrong_key, assoc_rejected, dhcp_failed, not_found,
// scan_busy), which a later change of the radio or the device cannot have
// caused.
func failedOnItsOwn(evs []diagnostics.Event) bool {
	switch diagnostics.Classify(evs).Class {
	case diagnostics.WrongKey, diagnostics.AssocRejected, diagnostics.DHCPFailed, diagnostics.NotFound, diagnostics.ScanBusy:
		return true
	}
	return false
}

// readySnapshot copies linkReady for an attempt that begins now.
func (sp *splitter) readySnapshot() map[string]bool {
	if len(sp.linkReady) == 0 {
		return nil
	}
	m := make(map[string]bool, len(sp.linkReady))
	for k := range sp.linkReady {
		m[k] = true
	}
	return m
}
