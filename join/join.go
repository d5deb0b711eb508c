// Package join is hotspotctl's orchestrator: it validates a request, checks
// the radio and the device, scans on purpose until it knows whether the
// network is there, activates a NetworkManager profile while watching one
// ordered stream of NetworkManager, wpa_supplicant and nl80211 events,
// classifies every failed attempt, retries only what can succeed on retry,
// and returns a report for every join, successful or not.
package join

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/godbus/dbus/v5"
	"github.com/rs/zerolog"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// ErrInvalidInput is matched (errors.Is) by every *InputError.
var ErrInvalidInput = errors.New("invalid input")

// Error is returned by Join when the join did not succeed. Class is the
// final failure class; the report has the evidence.
type Error struct {
	Class  diagnostics.Class
	Detail string
	Err    error // the underlying error, if one caused the class
}

func (e *Error) Error() string {
	s := "join: " + string(e.Class)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Backend is what the orchestrator needs from NetworkManager. *nm.Client
// implements it; tests substitute fakes.
type Backend interface {
	Ping(ctx context.Context) error
	Radio(ctx context.Context) (enabled, hwEnabled bool, err error)
	Device(ctx context.Context, ifname string) (nm.Device, error)
	AccessPoints(ctx context.Context, dev nm.Device) ([]nm.AccessPoint, error)
	RequestScan(ctx context.Context, dev nm.Device, ssids [][]byte) (nm.ScanResult, error)
	Events(ctx context.Context, dev nm.Device) (<-chan diagnostics.Event, func(), error)
	Activate(ctx context.Context, req nm.ActivateRequest) (nm.Activation, error)
	Deactivate(ctx context.Context, active dbus.ObjectPath) error
	IP4(ctx context.Context, dev nm.Device) (string, error)
	// Commit, Discard and Restore finish an activation: see nm.Client and
	// settle (profiles.go) for when each is called.
	Commit(ctx context.Context, act nm.Activation) error
	Discard(ctx context.Context, act nm.Activation) error
	Restore(ctx context.Context, act nm.Activation) error
}

var _ Backend = (*nm.Client)(nil)

// Rfkill reports whether the Wi-Fi interface's radio is blocked. NetworkManager
// shows a soft block only as WirelessEnabled=false after its own rfkill
// poll, so hotspotctl reads the kernel's state directly.
type Rfkill interface {
	Blocked(ifname string) (soft, hard bool, err error)
}

// Clock is the time source; tests replace it.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real time source.
func SystemClock() Clock { return realClock{} }

type realClock struct{}

var _ Clock = realClock{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Request is one join. Passphrase is a secret: it is passed to NetworkManager
// and used to check that no report contains it, and nothing else.
type Request struct {
	SSID       []byte
	SSIDPrefix []byte
	Ifname     string
	Hidden     bool
	BSSID      string
	Security   string
	Passphrase string
	// Once makes the NetworkManager profile volatile: never written to disk
	// and deleted when it deactivates; the SSID's stored profiles stay.
	Once bool
	// Owner, when set, restricts the profile to that local user and keeps it
	// volatile: the policy for callers that are not root (README,
	// "Profiles and secrets").
	Owner string
	// Attempts bounds the number of activation attempts (default 3).
	Attempts int
	// Timeout is informational (the caller's context carries the deadline);
	// it is validated and recorded.
	Timeout time.Duration
	// ScansPerAttempt is how many fresh, successful scans must miss the
	// SSID before it is called absent (default 3).
	ScansPerAttempt int
	// ScanWindow is the least time those scans must span (default 15s).
	ScanWindow time.Duration
}

// Phase is a progress step, for live progress output.
type Phase struct {
	Name    string // "preflight", "scanning", "associating", "handshake", "dhcp", "joined", "retry", "failed"
	Message string
	Elapsed time.Duration
}

// Options configure a Joiner.
type Options struct {
	// Scanner does nl80211 scans; nil means NetworkManager's RequestScan only.
	Scanner scan.Scanner
	// Regulatory reads the radio's regulatory state, to explain a
	// not_found verdict; nil means the Scanner's, when it implements
	// scan.RegulatoryReader.
	Regulatory scan.RegulatoryReader
	Rfkill     Rfkill
	Clock      Clock
	Log        zerolog.Logger
	// Progress, if set, is called for each phase change, from the joining
	// goroutine.
	Progress    func(Phase)
	ToolVersion string
	Host        string
	// Backoff makes the retry delay policy; nil means an exponential backoff
	// starting at 1s, doubling to at most 10s, with 20% jitter.
	Backoff func() backoff.BackOff
	// Lock serializes joins on one interface; nil means no lock (tests, and
	// callers that serialize joins themselves). The CLI passes a FileLock.
	Lock InterfaceLock
	// LinkSettle is how long the link must stay up after NetworkManager's
	// activated before the join counts as joined; 0 means DefaultLinkSettle.
	LinkSettle time.Duration
}

// DefaultLinkSettle is the time the supplicant link must hold after
// NetworkManager reports activated. NetworkManager keeps a device activated
// through short wpa_supplicant disconnections (it waits for the supplicant to
// reconnect before failing the device), so activated alone does not prove a
// link: the lab saw activated with an address while wpa_supplicant was
// disconnected and an AP deauthenticated us twice. Two seconds covers several
// deauthentication rounds of such an AP and costs a successful join little.
const DefaultLinkSettle = 2 * time.Second

// InterfaceLock serializes joins on one interface, across processes.
type InterfaceLock interface {
	// Lock blocks until the lock for ifname is held or ctx ends, and returns
	// the function that releases it. When ctx ends first the error wraps
	// ctx.Err() (errors.Is context.DeadlineExceeded or context.Canceled);
	// any other error means the lock cannot be taken at all (no lock
	// directory, no permission) and the join goes on without it.
	Lock(ctx context.Context, ifname string) (unlock func(), err error)
}

// Joiner runs joins against one backend.
type Joiner struct {
	nm   Backend
	opts Options
}

// New returns a Joiner using backend b.
func New(b Backend, opts Options) *Joiner {
	if opts.Clock == nil {
		opts.Clock = realClock{}
	}
	if opts.Host == "" {
		opts.Host, _ = os.Hostname()
	}
	if opts.LinkSettle <= 0 {
		opts.LinkSettle = DefaultLinkSettle
	}
	if r, ok := opts.Scanner.(scan.RegulatoryReader); ok && opts.Regulatory == nil {
		opts.Regulatory = r
	}
	if opts.Backoff == nil {
		opts.Backoff = func() backoff.BackOff {
			b := backoff.NewExponentialBackOff()
			b.InitialInterval = time.Second
			b.Multiplier = 2
			b.MaxInterval = 10 * time.Second
			b.RandomizationFactor = 0.2
			b.MaxElapsedTime = 0
			b.Reset()
			return b
		}
	}
	return &Joiner{nm: b, opts: opts}
}

// Join runs the whole join under ctx, which must carry a deadline. It always
// returns a finished report (never nil). The error is nil when the join
// succeeded, an *InputError (errors.Is ErrInvalidInput) for a request that
// was rejected before anything was touched, and an *Error with the final
// class otherwise.
func (j *Joiner) Join(ctx context.Context, req Request) (*diagnostics.Report, error) {
	start := j.opts.Clock.Now()
	rep := &diagnostics.Report{
		Schema: diagnostics.SchemaV1, ToolVersion: j.opts.ToolVersion, Host: j.opts.Host, Mode: "join",
		Interface: req.Ifname, SSID: diagnostics.PrintableSSID(req.SSID), SSIDHex: diagnostics.SSIDHex(req.SSID),
		Started: start, Hints: []string{},
	}
	if len(req.SSID) == 0 && len(req.SSIDPrefix) > 0 {
		rep.SSID = ""
	}
	if err := req.Validate(); err != nil {
		now := j.opts.Clock.Now()
		ev := diagnostics.Event{Time: now, Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindInvalidInput, Message: err.Error()}
		v := diagnostics.Classify([]diagnostics.Event{ev})
		rep.Attempts = []diagnostics.Attempt{{Number: 1, Started: now, Ended: now,
			Events: []diagnostics.Event{ev}, Retry: &diagnostics.Retry{Reason: "invalid input is permanent"}}}
		rep.Attempts[0].SetVerdict(v)
		j.logEvents(1, &rep.Attempts[0], rep)
		rep.Finish(now)
		rep.Summary, rep.NextStep = diagnostics.Explain(rep)
		return rep, err
	}
	if req.Attempts == 0 {
		req.Attempts = 3
	}
	if req.ScansPerAttempt == 0 {
		req.ScansPerAttempt = defaultScansPerAttempt
	}
	if req.ScanWindow == 0 {
		req.ScanWindow = defaultScanWindow
	}
	if req.Security == "" {
		req.Security = SecurityAuto
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
		defer cancel()
	}

	bo := j.opts.Backoff()
	st := &joinState{}
	defer func() {
		if st.unlock != nil {
			st.unlock()
		}
	}()
	interruptedAfter := 0 // attempt whose retry wait a cancellation cut short
	for n := 1; ; n++ {
		a := j.attempt(ctx, &req, n, st, rep)
		rep.Attempts = append(rep.Attempts, a.Attempt)
		last := &rep.Attempts[len(rep.Attempts)-1]
		j.logEvents(n, last, rep)
		if a.Class == diagnostics.None {
			break
		}
		retry, delay, reason := j.decide(ctx, &req, n, last, st, bo)
		last.Retry = &diagnostics.Retry{Retry: retry, DelayMS: delay.Milliseconds(), Reason: reason}
		j.opts.Log.Info().Int("attempt", n).Str("class", string(a.Class)).Str("detail", a.Detail).
			Bool("retry", retry).Dur("delay", delay).Str("reason", reason).Msg("attempt failed")
		if !retry {
			break
		}
		j.progress(start, "retry", fmt.Sprintf("attempt %d failed (%s); retrying in %s", n, a.Class, delay.Round(100*time.Millisecond)))
		select {
		case <-j.opts.Clock.After(delay):
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			// A new attempt on an ended context could only fail at its
			// first call and invent a cause (backend_unavailable).
			last.Retry = &diagnostics.Retry{Reason: reason + "; the retry wait ended: " + ctxEnd(ctx)}
			if errors.Is(ctx.Err(), context.Canceled) {
				interruptedAfter = n
			}
			break
		}
	}
	if last := &rep.Attempts[len(rep.Attempts)-1]; last.Class != diagnostics.None {
		j.restorePrevious(ctx, st, last)
	}
	rep.Hints = dedupe(st.hints)
	rep.Finish(j.opts.Clock.Now())
	if interruptedAfter > 0 {
		a := rep.Attempts[interruptedAfter-1]
		rep.Class = diagnostics.Interrupted
		rep.Detail = fmt.Sprintf("interrupted while waiting to retry after attempt %d (%s: %s)", a.Number, a.Class, a.Detail)
	}
	// "timeout" means no more specific cause. When a retry ran into the
	// deadline after an attempt that had one (a DHCP failure, a rejection),
	// that cause is the answer.
	if rep.Class == diagnostics.Timeout {
		for i := len(rep.Attempts) - 2; i >= 0; i-- {
			if c := rep.Attempts[i].Class; c != diagnostics.Timeout && c != diagnostics.Unknown {
				rep.Class = c
				rep.Detail = rep.Attempts[i].Detail + " (the retry ran into the deadline)"
				break
			}
		}
	}
	rep.Summary, rep.NextStep = diagnostics.Explain(rep)
	if rep.Class == diagnostics.None {
		j.progress(start, "joined", "joined "+rep.SSID)
		return rep, nil
	}
	j.progress(start, "failed", string(rep.Class)+": "+rep.Detail)
	return rep, &Error{Class: rep.Class, Detail: rep.Detail}
}

// joinState carries what one attempt learns for the next ones.
type joinState struct {
	sawBackend  bool // NetworkManager answered at least once during this join
	sawManaged  bool // the device was managed at least once during this join
	dhcpRetried bool
	seenTarget  bool // a scan in this join saw the target
	// backendWaits counts retries spent waiting for NetworkManager to come
	// back; they do not count against Request.Attempts.
	backendWaits int
	unknownSeen  bool
	hints        []string
	// unlock releases the interface lock, held from the first attempt that
	// resolved the device until Join returns.
	unlock func()
	// previous is the first activation of this join that replaced another
	// connection on the device; restorePrevious brings that one back.
	previous *nm.Activation
}

// ctxEnd says why ctx ended: a cancellation (a signal, a cancelled request)
// is not a deadline.
func ctxEnd(ctx context.Context) string {
	if errors.Is(ctx.Err(), context.Canceled) {
		return "interrupted"
	}
	return "deadline reached"
}

type attemptResult struct {
	diagnostics.Attempt
}

// recorder collects one attempt's events in arrival order. The event stream
// goroutine and the scan code both append; the mutex keeps appends whole and
// ordered as they happen.
type recorder struct {
	mu     sync.Mutex
	events []diagnostics.Event
}

func (r *recorder) add(e diagnostics.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) snapshot() []diagnostics.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]diagnostics.Event(nil), r.events...)
}

func (j *Joiner) now() time.Time { return j.opts.Clock.Now() }

// logEvents writes an attempt's events to the debug log, one
// diagnostics.EventLine each, between a start and an end line: a captured
// debug log of hotspotctl (its stderr, or the service's journal) then gives
// `hotspotctl diagnose` the same evidence and, through the same classifier,
// the same verdict as the live join.
func (j *Joiner) logEvents(n int, a *diagnostics.Attempt, rep *diagnostics.Report) {
	if j.opts.Log.GetLevel() > zerolog.DebugLevel {
		return
	}
	start := diagnostics.Event{Time: a.Started, Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindActivationStart, Name: diagnostics.NoteAttemptBegin,
		SSID: rep.SSID, Iface: rep.Interface}
	j.opts.Log.Debug().Msg(diagnostics.EventLine(n, start))
	for _, e := range a.Events {
		j.opts.Log.Debug().Msg(diagnostics.EventLine(n, e))
	}
	end := diagnostics.Event{Time: a.Ended, Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote, Name: diagnostics.NoteAttemptEnd, State: string(a.Class)}
	j.opts.Log.Debug().Msg(diagnostics.EventLine(n, end))
}

func (j *Joiner) progress(start time.Time, name, msg string) {
	j.opts.Log.Debug().Str("phase", name).Msg(msg)
	if j.opts.Progress != nil {
		j.opts.Progress(Phase{Name: name, Message: msg, Elapsed: j.now().Sub(start)})
	}
}

func (j *Joiner) note(rec *recorder, kind diagnostics.Kind, ok *bool, name, msg string) {
	rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: kind, OK: ok, Name: name, Message: msg})
}

// attempt runs preflight, scan and activation once.
func (j *Joiner) attempt(ctx context.Context, req *Request, n int, st *joinState, rep *diagnostics.Report) attemptResult {
	rec := &recorder{}
	a := attemptResult{}
	a.Number = n
	a.Started = j.now()
	finish := func() attemptResult {
		evs := rec.snapshot()
		if ctx.Err() != nil && !hasKind(evs, diagnostics.KindJoined) {
			// context.Canceled is a signal or a cancelled request, never
			// the deadline: the two are different outcomes.
			if errors.Is(ctx.Err(), context.Canceled) {
				evs = append(evs, diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindInterrupted,
					Message: "join interrupted (cancelled)"})
			} else {
				evs = append(evs, diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindDeadline,
					Message: "join deadline reached"})
			}
		}
		v := diagnostics.Classify(evs)
		a.SetVerdict(v)
		a.Events = evs
		a.Ended = j.now()
		return a
	}
	start := rep.Started

	// Preflight. Each check is cheap and explains a failure before the
	// 25 s NetworkManager would otherwise spend finding it out.
	j.progress(start, "preflight", "checking NetworkManager, radio and device")
	if err := j.nm.Ping(ctx); err != nil {
		j.note(rec, diagnostics.KindBackend, diagnostics.Bool(false), "", err.Error())
		return finish()
	}
	if !st.sawBackend {
		st.sawBackend = true
	}
	enabled, hw, err := j.nm.Radio(ctx)
	if err != nil {
		j.backendErr(rec, err)
		return finish()
	}
	if j.opts.Rfkill != nil && req.Ifname != "" {
		if soft, hard, err := j.opts.Rfkill.Blocked(req.Ifname); err == nil && (soft || hard) {
			name := "soft-blocked"
			if hard {
				name = "hard-blocked"
			}
			rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceRfkill, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(false), Name: name,
				Message: "rfkill: Wi-Fi of " + req.Ifname + " is " + name})
			st.hints = append(st.hints, "unblock the radio: rfkill unblock wifi")
			return finish()
		}
	}
	if !hw {
		rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(false), Name: "hard-blocked",
			Message: "WirelessHardwareEnabled is false"})
		return finish()
	}
	if !enabled {
		rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(false), Name: "nm-disabled",
			Message: "WirelessEnabled is false"})
		st.hints = append(st.hints, "enable Wi-Fi: nmcli radio wifi on")
		return finish()
	}
	dev, err := j.nm.Device(ctx, req.Ifname)
	if err != nil {
		if errors.Is(err, nm.ErrAmbiguousDevice) {
			// Guessing would join on a radio the caller did not mean.
			j.note(rec, diagnostics.KindInvalidInput, nil, "", err.Error()+": choose one with --ifname")
			return finish()
		}
		if errors.Is(err, nm.ErrNoDevice) {
			j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "missing", err.Error())
			return finish()
		}
		j.backendErr(rec, err)
		return finish()
	}
	if req.Ifname == "" {
		req.Ifname = dev.Ifname
		rep.Interface = dev.Ifname
		if j.opts.Rfkill != nil {
			if soft, hard, err := j.opts.Rfkill.Blocked(dev.Ifname); err == nil && (soft || hard) {
				name := map[bool]string{true: "hard-blocked", false: "soft-blocked"}[hard]
				rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceRfkill, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(false), Name: name,
					Message: "rfkill: Wi-Fi of " + dev.Ifname + " is " + name})
				st.hints = append(st.hints, "unblock the radio: rfkill unblock wifi")
				return finish()
			}
		}
	}
	if !dev.Managed || dev.State == 10 {
		j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "unmanaged", dev.Ifname+" is not managed by NetworkManager")
		st.hints = append(st.hints, "let NetworkManager manage it: nmcli device set "+dev.Ifname+" managed yes")
		return finish()
	}
	st.sawManaged = true
	if dev.State == 20 { // unavailable: no supplicant, or rfkill NM has not reported yet
		j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "unavailable", dev.Ifname+" is unavailable in NetworkManager")
		return finish()
	}
	if !j.lockInterface(ctx, dev.Ifname, rec, st, start) {
		return finish()
	}

	// Subscribe before scanning or activating, so no signal that explains
	// the outcome can be missed.
	evs, stop, err := j.nm.Events(ctx, dev)
	if err != nil {
		j.backendErr(rec, err)
		return finish()
	}
	var wg sync.WaitGroup
	stateCh := make(chan diagnostics.Event, 64)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(stateCh)
		for e := range evs {
			rec.add(e)
			select {
			case stateCh <- e:
			default: // the waiter only needs the latest states; never block the stream
			}
		}
	}()
	defer func() { stop(); wg.Wait() }()

	// Scan on purpose until the network is seen, proven absent, or scans are
	// proven impossible.
	target, found := j.scanPhase(ctx, req, dev, rec, rep, st, &a.Attempt)
	if !found {
		res := finish()
		if res.Class == diagnostics.NotFound {
			evs, hints := j.regulatoryFindings(ctx, req.Ifname, req.Hidden)
			res.Events = append(res.Events, evs...)
			st.hints = append(st.hints, hints...)
		}
		return res
	}

	if target.viaKernel {
		j.syncNMList(ctx, req, dev, target, rec)
	}

	// Choose the security from what the AP advertises.
	sec, err := chooseSecurity(req, target)
	if err != nil {
		rec.add(diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindInvalidInput, Message: err.Error()})
		return finish()
	}
	ssid := req.SSID
	if len(ssid) == 0 {
		ssid = target.SSID
	}
	if len(target.SSID) > 0 {
		rep.SSID, rep.SSIDHex = diagnostics.PrintableSSID(ssid), diagnostics.SSIDHex(ssid)
	}
	a.BSSID = target.BSSID
	if target.FreqMHz > 0 {
		a.FreqMHz, a.Channel, a.Band = target.FreqMHz, target.Channel, scan.Band(target.FreqMHz)
	}
	j.progress(start, "associating", fmt.Sprintf("associating to %s on channel %d (%s)", orAny(target.BSSID), target.Channel, sec))
	j.note(rec, diagnostics.KindActivationStart, nil, sec, fmt.Sprintf("activating %q via %s, security %s", diagnostics.PrintableSSID(ssid), dev.Ifname, sec))
	// Device states buffered during the scan phase belong to whatever
	// NetworkManager did meanwhile (an autoconnect of another profile), never
	// to the activation about to start: they are in the recorder, but must
	// not reach the wait. (Only the path filter in waitActivation makes this
	// exact; the drain keeps the buffer from being full of them.)
	drainStates(stateCh)
	act, err := j.nm.Activate(ctx, nm.ActivateRequest{Device: dev, SSID: ssid, BSSID: req.BSSID, Security: sec,
		Passphrase: req.Passphrase, Hidden: req.Hidden, Volatile: req.Once, Owner: req.Owner})
	if err != nil {
		j.backendErr(rec, err)
		return finish()
	}
	j.waitActivation(ctx, dev, act, stateCh, rec, rep, start)
	res := finish()
	if res.Class != diagnostics.None && res.Class != diagnostics.BackendUnavailable {
		// Leave the device idle, not half-way through an activation we gave
		// up on: NetworkManager would otherwise keep retrying on its own.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
		_ = j.nm.Deactivate(dctx, act.Active)
		cancel()
	}
	j.settle(ctx, act, &res, st)
	return res
}

// drainStates discards what the state channel holds now, without blocking.
func drainStates(ch <-chan diagnostics.Event) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		default:
			return
		}
	}
}

// lockInterface takes the per-interface join lock once per join. It reports
// false when the attempt must end: the context ended while another join held
// the lock (a KindLock failure for the deadline, the interruption for a
// cancellation). A lock that cannot be taken at all (no permission for
// /run/hotspotctl) is noted and the join goes on unserialized.
func (j *Joiner) lockInterface(ctx context.Context, ifname string, rec *recorder, st *joinState, start time.Time) bool {
	if j.opts.Lock == nil || st.unlock != nil {
		return true
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		unlock func()
		err    error
	}
	got := make(chan result, 1)
	go func() {
		u, err := j.opts.Lock.Lock(lctx, ifname)
		got <- result{u, err}
	}()
	var r result
	select {
	case r = <-got:
	case <-j.opts.Clock.After(100 * time.Millisecond):
		j.progress(start, "preflight", "waiting for another hotspotctl join on "+ifname+" to finish")
		j.note(rec, diagnostics.KindLock, nil, "waiting", "another hotspotctl join holds the lock on "+ifname+"; waiting")
		r = <-got
	}
	switch {
	case r.err == nil:
		st.unlock = r.unlock
		return true
	case ctx.Err() != nil && errors.Is(r.err, ctx.Err()):
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			j.note(rec, diagnostics.KindLock, diagnostics.Bool(false), "held",
				"another hotspotctl join held the lock on "+ifname+" until this join's deadline; nothing was changed")
		}
		return false
	default:
		j.note(rec, diagnostics.KindNote, nil, "lock-unavailable",
			"join lock for "+ifname+" unavailable ("+r.err.Error()+"): concurrent joins on it are not serialized")
		return true
	}
}

// syncNMList makes sure NetworkManager's own scan list has the BSS the
// kernel just reported. NetworkManager matches a new connection only against
// its list, which wpa_supplicant fills from scan results; a list that lags
// behind (seen in the lab: a rescan and 4 s of waiting did not bring a
// beaconing AP back) makes NetworkManager fail with ssid-not-found although
// the AP is there. A directed RequestScan for the SSID refreshes it. This is
// best effort, bounded to two scans: the activation itself decides.
func (j *Joiner) syncNMList(ctx context.Context, req *Request, dev nm.Device, target candidate, rec *recorder) {
	listed := func() bool {
		aps, err := j.nm.AccessPoints(ctx, dev)
		if err != nil {
			return true // nothing to gain; let activation report the problem
		}
		for _, ap := range aps {
			if bytes.Equal(ap.SSID, target.SSID) {
				return true
			}
		}
		return false
	}
	for i := 0; i < 2 && ctx.Err() == nil && !listed(); i++ {
		sctx, cancel := context.WithTimeout(ctx, perScanTimeout)
		res, err := j.nm.RequestScan(sctx, dev, [][]byte{target.SSID})
		cancel()
		msg := fmt.Sprintf("NetworkManager's list lacked %q; directed rescan: %s", diagnostics.PrintableSSID(target.SSID), res.Record.Outcome)
		if err != nil {
			msg += " (" + err.Error() + ")"
		}
		j.note(rec, diagnostics.KindNote, nil, "nm-list-sync", msg)
	}
}

func hasKind(evs []diagnostics.Event, k diagnostics.Kind) bool {
	for _, e := range evs {
		if e.Kind == k {
			return true
		}
	}
	return false
}

func orAny(s string) string {
	if s == "" {
		return "any BSS"
	}
	return s
}

// backendErr records a NetworkManager error as the event that classifies it.
func (j *Joiner) backendErr(rec *recorder, err error) {
	switch {
	case errors.Is(err, nm.ErrPermission):
		j.note(rec, diagnostics.KindPermission, diagnostics.Bool(false), "", err.Error())
	case errors.Is(err, nm.ErrNotRunning):
		j.note(rec, diagnostics.KindBackend, diagnostics.Bool(false), "", err.Error())
	case errors.Is(err, nm.ErrNoDevice):
		j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "missing", err.Error())
	case errors.Is(err, nm.ErrDeviceUnavailable):
		j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "unavailable", err.Error())
	case errors.Is(err, nm.ErrUnmanaged):
		j.note(rec, diagnostics.KindDevice, diagnostics.Bool(false), "unmanaged", err.Error())
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		// finish() adds the deadline event.
	default:
		j.note(rec, diagnostics.KindNote, diagnostics.Bool(false), "error", err.Error())
	}
}

// waitActivation follows our activation until it is activated with a link
// that holds, fails, is ended by NetworkManager, or the context ends. The
// terminal events themselves are already in the recorder; this only decides
// when to stop and adds the success event (KindJoined) or the cause
// NetworkManager's own events do not name (KindSuperseded).
//
// Only events of our own activation decide: a KindActiveState of
// act.Active, or a KindDeviceState whose ActiveConnection is act.Active.
// NetworkManager may have autoconnected another profile during our scan, and
// when the device was connected it first takes the old connection down
// (deactivating with reason 60, new-activation): those states are not ours.
func (j *Joiner) waitActivation(ctx context.Context, dev nm.Device, act nm.Activation, states <-chan diagnostics.Event,
	rec *recorder, rep *diagnostics.Report, start time.Time) {
	ours := string(act.Active)
	// rejected is armed by an explicit 802.11 refusal. NetworkManager would
	// wait out its 25 s association timer and then call it ssid-not-found
	// (lab finding); wpa_supplicant's status code already says what happened,
	// so the attempt ends a short grace period later.
	var rejected <-chan time.Time
	// settle runs while NetworkManager says activated and the supplicant
	// link is up; it is stopped by any drop (see DefaultLinkSettle).
	var settle <-chan time.Time
	var (
		nmActivated bool
		supSeen     bool   // wpa_supplicant's states reach us (not for every non-root caller)
		supState    string // its latest state
		handshake   bool   // the supplicant is in or past the 4-way handshake, not yet completed
		keyFailed   bool   // the handshake failed: PskMismatch, or a drop during it
		drops       int    // AP-caused disconnections after the link came up
		lastOurs    diagnostics.Event
	)
	armSettle := func() {
		if nmActivated && settle == nil && (!supSeen || supState == "completed") {
			settle = j.opts.Clock.After(j.opts.LinkSettle)
		}
	}
	// grace gives wpa_supplicant's late signals (PskMismatch can trail
	// NetworkManager's FAILED) a moment to arrive.
	grace := func() {
		select {
		case <-j.opts.Clock.After(300 * time.Millisecond):
		case <-ctx.Done():
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-rejected:
			return
		case <-settle:
			ip, err := j.nm.IP4(ctx, dev)
			if err != nil {
				ip = ""
			}
			rep.IP4 = ip
			j.note(rec, diagnostics.KindJoined, diagnostics.Bool(true), "",
				fmt.Sprintf("activated with address %s; link held for %s", orNone(ip), j.opts.LinkSettle))
			return
		case e, ok := <-states:
			if !ok {
				return
			}
			switch e.Kind {
			case diagnostics.KindSupplicantState:
				supSeen, supState = true, e.State
				switch e.State {
				case "authenticating", "associating":
					j.progress(start, "associating", "associating ("+e.State+")")
				case "4way_handshake", "group_handshake":
					handshake = true
					j.progress(start, "handshake", "4-way handshake")
				case "completed":
					handshake, keyFailed = false, false
					armSettle()
				case "disconnected":
					if handshake {
						keyFailed = true
					}
				}
				if e.State != "completed" {
					settle = nil // the link is not up: NetworkManager's activated alone does not count
				}
			case diagnostics.KindDisconnect:
				if handshake {
					keyFailed = true
				}
				if supState == "completed" && e.Code > 0 { // as diagnostics.LinkDrops counts
					drops++
					settle = nil
					if drops >= diagnostics.LinkDropLimit {
						return // ruleLinkDrops names the AP's reason
					}
				}
			case diagnostics.KindAuthStatus, diagnostics.KindAssocStatus:
				if e.Code != 0 && rejected == nil {
					rejected = j.opts.Clock.After(2 * time.Second)
				}
			case diagnostics.KindPskMismatch:
				keyFailed = true
				if rejected == nil {
					rejected = j.opts.Clock.After(time.Second)
				}
			case diagnostics.KindBackend:
				if e.Failed() {
					return
				}
			case diagnostics.KindRadio:
				if e.Failed() {
					return
				}
			case diagnostics.KindActiveState:
				if e.ActiveConnection != ours {
					continue
				}
				if e.State == "deactivated" {
					// NetworkManager ended our activation: waiting on would
					// only run into the deadline. After a device failure
					// this is the failure's last step (the classifier names
					// it); with user-disconnected (2) or connection-removed
					// (11) and no device reason saying more, someone else
					// ended it. (A new activation shows as device reason 60
					// first, with active reason 3, device-disconnected: lab.)
					if lastOurs.State != "failed" && (e.Code == activeReasonUserDisconnected || e.Code == activeReasonConnectionRemoved) {
						j.superseded(rec, lastOurs, e)
						return
					}
					grace()
					return
				}
			case diagnostics.KindDeviceState:
				if e.State == "unmanaged" || e.State == "unavailable" {
					grace()
					return
				}
				if e.ActiveConnection != ours {
					continue
				}
				lastOurs = e
				switch e.State {
				case "need-auth":
					// After a failed handshake NetworkManager asks the
					// secret agents for a new key with ALLOW_INTERACTION |
					// REQUEST_NEW (nm-device-wifi.c,
					// handle_8021x_or_psk_auth_fail), whatever the psk's
					// flags: on a desktop a password dialog. The key is
					// wrong; end now, and the deactivation makes
					// NetworkManager cancel that request.
					if keyFailed {
						return
					}
				case "ip-config":
					j.progress(start, "dhcp", "waiting for an address (DHCP)")
				case "activated":
					nmActivated = true
					armSettle()
				case "failed":
					grace()
					return
				case "deactivating", "disconnected":
					if supersedingReason(e.Code) {
						j.superseded(rec, e, diagnostics.Event{})
						return
					}
					if e.State == "disconnected" {
						grace()
						return
					}
				default:
					if nmActivated { // left activated: the link went with it
						nmActivated, settle = false, nil
					}
				}
			}
		}
	}
}

// NMActiveConnectionStateReason values for a deactivation someone asked for.
const (
	activeReasonUserDisconnected  = 2
	activeReasonConnectionRemoved = 11
)

// supersedingReason reports a device state reason with which NetworkManager
// takes a device off its activation on someone else's behalf: another
// activation (60 new-activation, nm-device.c's queued activation), a
// deactivation requested over D-Bus (39 user-requested: nmcli down, the
// desktop, another tool) or the profile deleted (38 connection-removed: as
// another join replacing the profile for the same SSID does).
func supersedingReason(code int) bool {
	switch code {
	case diagnostics.ReasonNewActivation, diagnostics.ReasonUserRequested, diagnostics.ReasonConnectionRemoved:
		return true
	}
	return false
}

// superseded records why NetworkManager ended our activation: the device's
// reason when it gave one, else the active connection's.
func (j *Joiner) superseded(rec *recorder, devEv, acEv diagnostics.Event) {
	e := diagnostics.Event{Time: j.now(), Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindSuperseded}
	switch {
	case devEv.Code == diagnostics.ReasonNewActivation:
		e.Code, e.Name = devEv.Code, devEv.Name
		e.Message = "superseded by a new activation on the interface (NetworkManager device reason 60, new-activation)"
	case supersedingReason(devEv.Code):
		e.Code, e.Name = devEv.Code, devEv.Name
		e.Message = fmt.Sprintf("NetworkManager ended this join's activation: device %s (%s, %d), not requested by hotspotctl",
			devEv.State, devEv.Name, devEv.Code)
	default:
		e.Code, e.Name = acEv.Code, acEv.Name
		e.Message = fmt.Sprintf("NetworkManager deactivated this join's connection (%s, %d), not requested by hotspotctl", acEv.Name, acEv.Code)
	}
	rec.add(e)
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// maxBackendWaits caps the retries spent waiting for a restarting
// NetworkManager (systemd restarts it within seconds).
const maxBackendWaits = 10

// decide applies the retry policy (docs/taxonomy.md) to a failed attempt.
func (j *Joiner) decide(ctx context.Context, req *Request, n int, a *diagnostics.Attempt, st *joinState, bo backoff.BackOff) (bool, time.Duration, string) {
	if ctx.Err() != nil {
		return false, 0, ctxEnd(ctx)
	}
	if a.Class.Permanent() {
		return false, 0, string(a.Class) + " is permanent: retrying cannot help"
	}
	// Waiting for a restarting NetworkManager is not an attempt at the
	// network: it does not use up --attempts, only the deadline (and a cap).
	// After a restart NetworkManager owns its bus name about 1.4 s before
	// it has realized its devices again (lab finding), so a missing device
	// right after a restart is part of the same wait.
	restarting := st.backendWaits < maxBackendWaits &&
		((a.Class == diagnostics.BackendUnavailable && st.sawBackend) || (a.Class == diagnostics.DeviceUnavailable && st.backendWaits > 0))
	if n-st.backendWaits >= req.Attempts && !restarting {
		return false, 0, fmt.Sprintf("attempt limit (%d) reached", req.Attempts)
	}
	var why string
	switch a.Class {
	case diagnostics.ScanBusy:
		why = "scans were refused; retrying when the radio may be free"
	case diagnostics.NotFound:
		// Absence proven by our own fresh scans is the answer; rescanning
		// until the deadline would only delay it. But a network that a scan
		// saw earlier in this join and NetworkManager then could not find
		// (roaming, a flapping AP) is worth another round.
		if !st.seenTarget {
			return false, 0, "absent from fresh scans; the verdict is final"
		}
		why = "the network was seen earlier in this join; rescanning"
	case diagnostics.Superseded:
		return false, 0, "another activation took the interface; retrying would knock it off in turn"
	case diagnostics.InterfaceBusy, diagnostics.Interrupted:
		return false, 0, string(a.Class) + " is final"
	case diagnostics.AssocRejected:
		if n := len(diagnostics.LinkDrops(a.Events)); n > 0 {
			// An AP that deauthenticates us after association (a
			// blacklist, a broken AP, an evil twin kicking clients) does
			// the same to an immediate retry.
			return false, 0, fmt.Sprintf("the access point dropped the link %d time(s) after association; a retry would meet the same", n)
		}
		if len(diagnostics.HandshakeTimeoutsAfterKey(a.Events)) > 0 {
			why = "the key was accepted but the access point timed out a later handshake; retrying"
			break
		}
		// A timeout (no answer, or an AP too busy to answer in time) and
		// the refusals that mean "not now" are worth another round: 17,
		// the AP cannot take more stations, and 30, try again after the
		// comeback time (IEEE 802.11w). Any other refusal is the AP's
		// answer.
		switch {
		case a.Timeout != "":
			why = a.Timeout + " timed out; retrying"
		case a.StatusCode == 17 || a.StatusCode == 30:
			why = fmt.Sprintf("the access point was temporarily unable to take us (status %d); retrying", a.StatusCode)
		default:
			return false, 0, "the access point rejected us explicitly"
		}
	case diagnostics.DHCPFailed:
		if st.dhcpRetried {
			return false, 0, "dhcp_failed is retried once"
		}
		// A DHCP failure takes NetworkManager's whole DHCP timeout
		// (ipv4.dhcp-timeout, 45 s by default); a retry with less time left
		// than the failed attempt took can only end in timeout.
		if dl, ok := ctx.Deadline(); ok && dl.Sub(j.now()) < a.Ended.Sub(a.Started) {
			return false, 0, fmt.Sprintf("a DHCP retry needs about %s (as long as the failed attempt); less is left before the deadline",
				a.Ended.Sub(a.Started).Round(time.Second))
		}
		st.dhcpRetried = true
		why = "retrying DHCP once"
	case diagnostics.BackendUnavailable:
		if !st.sawBackend {
			return false, 0, "NetworkManager was never reachable during this join"
		}
		if !restarting {
			return false, 0, "NetworkManager did not come back"
		}
		st.backendWaits++
		why = "NetworkManager went away during the join; waiting for it to restart"
	case diagnostics.DeviceUnavailable:
		if !st.sawManaged {
			return false, 0, "the device was never usable during this join"
		}
		if restarting {
			st.backendWaits++
		}
		why = "the device was usable earlier in this join; it may be coming back"
	case diagnostics.Unknown:
		if st.unknownSeen {
			return false, 0, "unknown failures are retried once"
		}
		st.unknownSeen = true
		why = "unexplained failure; retrying once"
	default:
		return false, 0, string(a.Class) + " is not retried"
	}
	delay := bo.NextBackOff()
	if delay == backoff.Stop {
		return false, 0, "backoff exhausted"
	}
	if dl, ok := ctx.Deadline(); ok {
		remaining := dl.Sub(j.now())
		// A retry needs time for at least one scan after its delay.
		if remaining < delay+3*time.Second {
			return false, 0, fmt.Sprintf("only %s left before the deadline", remaining.Round(100*time.Millisecond))
		}
	}
	return true, delay, why
}

func dedupe(ss []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
