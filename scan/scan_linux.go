//go:build linux

package scan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"github.com/mdlayher/wifi"
	"golang.org/x/sys/unix"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// NL80211 scans through the kernel's nl80211 generic netlink family. It
// implements Scanner and Watcher; one NL80211 may serve concurrent Scan and
// Watch calls (commands are serialised on the request connection, and every
// Scan or Watch reads its own multicast connection from one goroutine).
//
// Kernel behaviour this is built on (checked against Linux's net/wireless
// and net/mac80211 sources; see the package's report for the functions):
//
//   - cfg80211 allows one scan per wiphy (radio), not per interface:
//     nl80211_trigger_scan (net/wireless/nl80211.c) returns -EBUSY while
//     rdev->scan_req (a scan in flight, requested by any process through any
//     interface of the radio) or rdev->scan_msg (finished, notification not
//     yet sent) is set. The SME's connect scan (sme.c, cfg80211_conn_scan)
//     and the wext SIOCSIWSCAN path (scan.c, cfg80211_wext_siwscan) apply the
//     same test. So EBUSY usually means "someone else is scanning right now":
//     wpa_supplicant, which NetworkManager drives, scans on its own schedule.
//   - mac80211 (net/mac80211/scan.c, __ieee80211_start_scan, reached through
//     ieee80211_request_scan) also returns -EBUSY when local->scan_req is set
//     and when the radio may not leave its channel (__ieee80211_can_leave_ch:
//     radar detection/CAC on a DFS channel). While a remain-on-channel is
//     running, or a station interface is polling its AP, it does not refuse
//     but defers the scan (ieee80211_can_scan false: the trigger is
//     acknowledged and the scan runs later); a deferred scan that then cannot
//     start ends as aborted. Hence ScanWait bounds our own scans too.
//   - FullMAC drivers refuse on their own terms; brcmfmac
//     (brcmf_cfg80211_scan) returns -EAGAIN while it is already scanning,
//     aborting, or connecting (BRCMF_VIF_STATUS_CONNECTING). EAGAIN is
//     therefore treated exactly like EBUSY: a busy refusal.
//   - On success nl80211_trigger_scan multicasts NL80211_CMD_TRIGGER_SCAN to
//     the "scan" group (nl80211_send_scan_start) before the request's
//     acknowledgement is sent; when the scan ends ___cfg80211_scan_done
//     (net/wireless/scan.c) builds NL80211_CMD_SCAN_ABORTED if it was aborted,
//     else NL80211_CMD_NEW_SCAN_RESULTS (nl80211_build_scan_msg), and
//     multicasts it to the same group (nl80211_send_scan_msg). Each carries
//     NL80211_ATTR_WIPHY, NL80211_ATTR_IFINDEX of the requesting interface
//     (when it has a netdev) and the request's SSIDs and frequencies
//     (nl80211_prep_scan_msg, nl80211_add_scan_req). Multicast is delivered
//     only to sockets already in the group, so we join before triggering.
//   - The BSS table is per radio (rdev->bss_list) and entries outlive scans
//     (cfg80211 expires them after IEEE80211_SCAN_RESULT_EXPIRE, 30 s), so a
//     GET_SCAN dump right after a scan still lists networks the scan did not
//     see. nl80211_send_bss reports each entry's last sighting twice:
//     NL80211_BSS_SEEN_MS_AGO (jiffies, computed at dump time) and
//     NL80211_BSS_LAST_SEEN_BOOTTIME (CLOCK_BOOTTIME). The boottime is
//     preferred: jiffies stop during suspend, and in the lab (Linux 6.1,
//     hwsim under TCG) SEEN_MS_AGO was seconds shorter than the boottime age
//     for some entries while the boottimes matched the scan's channel
//     order. hotspotctl never flushes the table (NL80211_SCAN_FLAG_FLUSH)
//     because NetworkManager reads it too.
type NL80211 struct {
	cmd     Conn
	dial    DialFunc
	family  uint16
	version uint8
	group   uint32
	opts    Options

	mu    sync.Mutex // serialises requests on cmd and its deadline
	dirty bool       // a request was interrupted: stale replies may be queued

	// boot reads CLOCK_BOOTTIME, the clock of NL80211_BSS_LAST_SEEN_BOOTTIME.
	boot func() time.Duration
}

// stamp is one instant on both the wall clock (for records) and
// CLOCK_BOOTTIME (for comparing with the kernel's last-seen times).
type stamp struct {
	wall time.Time
	boot time.Duration // 0 when unknown
}

func (s *NL80211) stamp() stamp { return stamp{wall: s.opts.Now(), boot: s.boot()} }

func (t stamp) add(d time.Duration) stamp {
	t.wall = t.wall.Add(d)
	if t.boot != 0 {
		t.boot += d
	}
	return t
}

func (t stamp) isZero() bool { return t.wall.IsZero() }

// boottime reads CLOCK_BOOTTIME, which unlike jiffies keeps counting while
// the machine is suspended; 0 if it cannot be read.
func boottime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

var (
	_ Scanner = (*NL80211)(nil)
	_ Watcher = (*NL80211)(nil)
)

// New returns an NL80211 that sends commands on cmd and dials a fresh
// multicast connection with dial for each Scan and Watch. It resolves the
// nl80211 family and its "scan" multicast group on cmd, and fails with
// ErrUnsupported when the kernel has no nl80211 (cfg80211 not loaded).
// NL80211 takes ownership of cmd: Close closes it. opts may be nil.
func New(cmd Conn, dial DialFunc, opts *Options) (*NL80211, error) {
	if cmd == nil || dial == nil {
		return nil, &Error{Op: "new", Err: errors.New("nil connection or dialer")}
	}
	f, err := cmd.GetFamily(unix.NL80211_GENL_NAME)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			err = fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return nil, &Error{Op: "get nl80211 family", Err: err}
	}
	s := &NL80211{cmd: cmd, dial: dial, family: f.ID, version: f.Version, opts: opts.withDefaults(), boot: boottime}
	for _, g := range f.Groups {
		if g.Name == unix.NL80211_MULTICAST_GROUP_SCAN {
			s.group = g.ID
		}
	}
	if s.group == 0 {
		return nil, &Error{Op: "get nl80211 family", Err: fmt.Errorf("%w: no %q multicast group", ErrUnsupported, unix.NL80211_MULTICAST_GROUP_SCAN)}
	}
	return s, nil
}

// Open dials the generic netlink sockets and returns a ready NL80211; it is
// the only place in this package that opens sockets. Close it when done.
func Open() (*NL80211, error) {
	cmd, err := genetlink.Dial(nil)
	if err != nil {
		return nil, &Error{Op: "open", Err: err}
	}
	// Best effort: extended acks carry the kernel's reason text.
	_ = cmd.SetOption(netlink.ExtendedAcknowledge, true)
	s, err := New(cmd, func() (EventConn, error) { return genetlink.Dial(nil) }, nil)
	if err != nil {
		cmd.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the request connection. Scans and watches in progress end
// with an error.
func (s *NL80211) Close() error { return s.cmd.Close() }

// longAgo is a deadline in the past, used to interrupt a blocked read.
var longAgo = time.Unix(1, 0)

// execute sends one request on the command connection and returns its
// replies, bounded by ctx.
func (s *NL80211) execute(ctx context.Context, cmd uint8, flags netlink.HeaderFlags, attrs func(*netlink.AttributeEncoder)) ([]genetlink.Message, error) {
	var msgs []genetlink.Message
	err := s.roundTrip(ctx, cmd, attrs, func(m genetlink.Message) error {
		var err error
		msgs, err = s.cmd.Execute(m, s.family, flags)
		return err
	})
	return msgs, err
}

// roundTrip runs do with the request built from cmd and attrs, holding the
// command connection, whose deadline is ctx's; cancellation moves the
// deadline into the past so a blocked read returns.
func (s *NL80211) roundTrip(ctx context.Context, cmd uint8, attrs func(*netlink.AttributeEncoder), do func(genetlink.Message) error) error {
	ae := netlink.NewAttributeEncoder()
	if attrs != nil {
		attrs(ae)
	}
	data, err := ae.Encode()
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.dirty {
		s.drainLocked()
	}
	dl, _ := ctx.Deadline()
	if err := s.cmd.SetDeadline(dl); err != nil {
		return err
	}
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = s.cmd.SetDeadline(longAgo)
		close(fired)
	})
	err = do(genetlink.Message{Header: genetlink.Header{Command: cmd, Version: s.version}, Data: data})
	if !stop() {
		<-fired
	}
	if err != nil && (ctx.Err() != nil || isTimeout(err)) {
		// The reply may still be queued; the next request must not take it
		// for its own.
		s.dirty = true
		if ctx.Err() != nil {
			err = ctx.Err()
		} else {
			err = context.DeadlineExceeded
		}
	}
	_ = s.cmd.SetDeadline(time.Time{})
	return err
}

// drainLocked discards replies left by an interrupted request. The kernel
// runs a generic netlink request in the sender's context, so a reply is
// queued by the time send returns; a short read deadline is enough.
func (s *NL80211) drainLocked() {
	for range 64 {
		if err := s.cmd.SetReadDeadline(time.Now().Add(20 * time.Millisecond)); err != nil {
			break
		}
		if _, _, err := s.cmd.Receive(); err != nil && isTimeout(err) {
			break
		}
	}
	_ = s.cmd.SetReadDeadline(time.Time{})
	s.dirty = false
}

// isTimeout reports whether err is a read or write deadline expiring. Only
// os.ErrDeadlineExceeded counts: net.Error's Timeout() is also true for the
// errno EAGAIN, which a driver returns to refuse a scan (brcmfmac), and which
// must reach the caller as a refusal, not as our deadline.
func isTimeout(err error) bool {
	return errors.Is(err, os.ErrDeadlineExceeded)
}

// lookup finds a wireless interface by name with an NL80211_CMD_GET_INTERFACE
// dump (parsed by mdlayher/wifi). An interface that exists but is not in the
// dump is not wireless: ErrNoInterface either way.
func (s *NL80211) lookup(ctx context.Context, name string) (*wifi.Interface, map[int]string, error) {
	msgs, err := s.execute(ctx, unix.NL80211_CMD_GET_INTERFACE, netlink.Request|netlink.Dump, nil)
	if err != nil {
		return nil, nil, err
	}
	ifis, err := wifi.ParseInterfaces(msgs)
	if err != nil {
		return nil, nil, err
	}
	names := map[int]string{}
	var found *wifi.Interface
	for _, ifi := range ifis {
		if ifi.Index > 0 {
			names[ifi.Index] = ifi.Name
		}
		if ifi.Name == name && ifi.Index > 0 && found == nil {
			found = ifi
		}
	}
	if found == nil {
		return nil, nil, fmt.Errorf("%w: %q", ErrNoInterface, name)
	}
	return found, names, nil
}

// subscribe dials a multicast connection and joins the "scan" group.
func (s *NL80211) subscribe() (EventConn, error) {
	ev, err := s.dial()
	if err != nil {
		return nil, err
	}
	if err := ev.JoinGroup(s.group); err != nil {
		ev.Close()
		return nil, err
	}
	return ev, nil
}

// scanEvent is one notification from the "scan" multicast group.
type scanEvent struct {
	cmd     uint8
	wiphy   int // -1 when absent
	ifindex int // -1 when absent (a wdev without netdev, e.g. P2P-device)
	freqs   []int
	ssids   [][]byte // the SSIDs the scan probed for (empty: wildcard only or passive)
	at      stamp    // when we read it
}

func (e scanEvent) on(ifi *wifi.Interface) bool {
	return (e.wiphy >= 0 && e.wiphy == ifi.PHY) || (e.ifindex >= 0 && e.ifindex == ifi.Index)
}

func commandName(cmd uint8) string {
	switch cmd {
	case unix.NL80211_CMD_TRIGGER_SCAN:
		return "NL80211_CMD_TRIGGER_SCAN"
	case unix.NL80211_CMD_NEW_SCAN_RESULTS:
		return "NL80211_CMD_NEW_SCAN_RESULTS"
	case unix.NL80211_CMD_SCAN_ABORTED:
		return "NL80211_CMD_SCAN_ABORTED"
	}
	return fmt.Sprintf("nl80211 command %d", cmd)
}

func parseScanEvent(m genetlink.Message, at stamp) (scanEvent, bool) {
	switch m.Header.Command {
	case unix.NL80211_CMD_TRIGGER_SCAN, unix.NL80211_CMD_NEW_SCAN_RESULTS, unix.NL80211_CMD_SCAN_ABORTED:
	default:
		return scanEvent{}, false
	}
	e := scanEvent{cmd: m.Header.Command, wiphy: -1, ifindex: -1, at: at}
	ad, err := netlink.NewAttributeDecoder(m.Data)
	if err != nil {
		return scanEvent{}, false
	}
	for ad.Next() {
		switch ad.Type() {
		case unix.NL80211_ATTR_WIPHY:
			e.wiphy = int(ad.Uint32())
		case unix.NL80211_ATTR_IFINDEX:
			e.ifindex = int(ad.Uint32())
		case unix.NL80211_ATTR_SCAN_FREQUENCIES:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					e.freqs = append(e.freqs, int(nad.Uint32()))
				}
				return nil
			})
		case unix.NL80211_ATTR_SCAN_SSIDS:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				for nad.Next() {
					if b := nad.Bytes(); len(b) > 0 {
						e.ssids = append(e.ssids, bytes.Clone(b))
					}
				}
				return nil
			})
		}
	}
	if ad.Err() != nil {
		return scanEvent{}, false
	}
	return e, true
}

var (
	errWaitOver = errors.New("wait over")
	errLost     = errors.New("nl80211 scan notifications lost (ENOBUFS)")
)

// eventReader reads scan notifications from one EventConn; only its owner
// goroutine calls next.
type eventReader struct {
	c       EventConn
	now     func() stamp
	pending []genetlink.Message
}

// next returns the next scan notification. It returns errWaitOver when until
// (if non-zero) passes, ctx's error (context.DeadlineExceeded when ctx's
// deadline passes) when ctx ends, and errLost once when the socket overflowed
// and notifications were dropped.
func (r *eventReader) next(ctx context.Context, until time.Time) (scanEvent, error) {
	for {
		for len(r.pending) > 0 {
			m := r.pending[0]
			r.pending = r.pending[1:]
			if e, ok := parseScanEvent(m, r.now()); ok {
				return e, nil
			}
		}
		dl := until
		ctxDL, hasDL := ctx.Deadline()
		if hasDL && (dl.IsZero() || ctxDL.Before(dl)) {
			dl = ctxDL
		}
		if err := r.c.SetReadDeadline(dl); err != nil {
			return scanEvent{}, err
		}
		// Checked after setting the deadline: a cancellation from here on
		// moves the deadline into the past (see the AfterFunc in the callers).
		if err := ctx.Err(); err != nil {
			return scanEvent{}, err
		}
		msgs, _, err := r.c.Receive()
		switch {
		case err == nil:
			r.pending = msgs
		case errors.Is(err, unix.ENOBUFS):
			return scanEvent{}, errLost
		case isTimeout(err):
			if err := ctx.Err(); err != nil {
				return scanEvent{}, err
			}
			now := time.Now()
			if hasDL && !now.Before(ctxDL) {
				return scanEvent{}, context.DeadlineExceeded
			}
			if !until.IsZero() && !now.Before(until) {
				return scanEvent{}, errWaitOver
			}
			// A deadline we did not set (or a spurious wake-up): read again.
		default:
			if err := ctx.Err(); err != nil {
				return scanEvent{}, err
			}
			return scanEvent{}, err
		}
	}
}

// interruptOnDone arranges for ctx's end to unblock a read on c, and returns
// a function that undoes it and waits for it to have finished.
func interruptOnDone(ctx context.Context, c EventConn) func() {
	fired := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		_ = c.SetReadDeadline(longAgo)
		close(fired)
	})
	return func() {
		if !stop() {
			<-fired
		}
	}
}

// Scan triggers a scan on req.Ifname and returns the BSSes seen during it.
//
// The sequence: resolve the interface (ErrNoInterface); subscribe to the
// "scan" group; then up to req.Attempts times: trigger
// (NL80211_CMD_TRIGGER_SCAN with the requested SSIDs for directed probes, or
// one wildcard SSID) and
//
//   - on acceptance, wait up to Options.ScanWait for this radio's
//     NEW_SCAN_RESULTS (success: Method "nl80211", Own) or SCAN_ABORTED
//     (retry); a result is taken as ours only after our scan's own
//     TRIGGER_SCAN notification, so an earlier scan's late notification is
//     never mistaken for ours;
//   - on EBUSY (or a driver's EAGAIN), count a busy refusal and wait up to
//     Options.BusyWait for the scan in flight to end: its NEW_SCAN_RESULTS
//     is a success with Method "piggyback" and Own false (results of a scan
//     requested through another interface of the same radio count: the BSS
//     table is per radio); an abort or no notification means retry. A
//     finished scan that skipped some of the radio's enabled 2.4/5 GHz
//     channels (someone's partial or single-channel scan) is not taken as a
//     fresh scan, nor is one that did not probe for every SSID in
//     Request.SSIDs (its NL80211_ATTR_SCAN_SSIDS): its BSSes are kept as
//     presence evidence and the trigger is retried at once, the radio being
//     free;
//   - on EPERM, fail with ErrNotPermitted (the caller can ask NetworkManager
//     instead); any other errno fails at once, wrapped.
//
// Retries are spaced by exponential backoff with jitter. After success the
// BSS table is dumped (NL80211_CMD_GET_SCAN) and split into fresh entries
// (seen since the scan started, less Options.Slack) and stale ones.
//
// Errors are *Error values. When every attempt was refused: ErrBusy, Outcome
// "busy" (if partial scans by others completed, Result.BSSes and
// Result.Frequencies hold what they saw: a match there is real, a miss
// proves nothing); when the last attempt aborted: ErrAborted, Outcome "aborted"; when
// the last accepted scan never finished: ErrStalled, Outcome "timeout". When
// ctx's deadline passes first: Outcome "timeout" and an error wrapping
// context.DeadlineExceeded and, if refusals, aborts or a stalled scan were
// what kept a scan from completing, ErrBusy, ErrAborted or ErrStalled too
// (so errors.Is(err, ErrBusy) still tells "the radio was busy" when the
// deadline cut the retries short; Record.BusyRefusals counts them).
// Record.Started is the start of the freshness window of the results: our
// trigger for an own scan; for a piggy-backed one the start of the scan we
// rode on when we saw it begin, else our refused trigger less
// Options.PiggybackLookback. Without results it is when Scan began.
// Result.Record is filled in every case; Matches and NearMiss are left to
// the caller (see Match, MatchPrefix, NearMisses).
func (s *NL80211) Scan(ctx context.Context, req Request) (Result, error) {
	now := s.opts.Now
	begun := now()
	res := Result{Record: diagnostics.ScanRecord{Method: diagnostics.ScanMethodNL80211, Started: begun}}
	rec := &res.Record
	emit := func(kind diagnostics.Kind, name string, ok *bool, code, count int, msg string) {
		if req.Observe == nil {
			return
		}
		req.Observe(diagnostics.Event{Time: now(), Source: diagnostics.SourceNL80211, Kind: kind, Iface: req.Ifname,
			Name: name, OK: ok, Code: code, Count: count, Message: msg})
	}
	fail := func(outcome string, err error) (Result, error) {
		rec.Outcome = outcome
		rec.Ended = now()
		e := &Error{Op: "scan " + req.Ifname, Err: err}
		rec.Error = e.Error()
		emit(diagnostics.KindScanDone, outcome, diagnostics.Bool(false), 0, 0, e.Error())
		return res, e
	}
	ctxFail := func(err error, cause error) (Result, error) {
		if errors.Is(err, context.DeadlineExceeded) {
			if cause != nil {
				err = fmt.Errorf("%w: %w", cause, err)
			}
			return fail(diagnostics.ScanTimeout, err)
		}
		return fail(diagnostics.ScanFailed, err)
	}

	for i, ssid := range req.SSIDs {
		if len(ssid) == 0 || len(ssid) > 32 {
			return fail(diagnostics.ScanFailed, fmt.Errorf("SSID %d is %d bytes; an SSID has 1 to 32", i+1, len(ssid)))
		}
	}
	attempts := req.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}

	ifi, _, err := s.lookup(ctx, req.Ifname)
	if err != nil {
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			return ctxFail(err, nil)
		}
		return fail(diagnostics.ScanFailed, err)
	}
	ev, err := s.subscribe()
	if err != nil {
		return fail(diagnostics.ScanFailed, fmt.Errorf("subscribe to nl80211 scan events: %w", err))
	}
	defer ev.Close()
	defer interruptOnDone(ctx, ev)()
	r := &eventReader{c: ev, now: s.stamp}

	exp := backoff.NewExponentialBackOff()
	exp.InitialInterval = s.opts.InitialBackoff
	exp.MaxInterval = s.opts.MaxBackoff
	exp.Multiplier = 2
	exp.RandomizationFactor = 0.2
	exp.MaxElapsedTime = 0 // ctx bounds the time
	bo := backoff.WithContext(exp, ctx)
	bo.Reset()

	var lastFail error // ErrBusy, ErrAborted or ErrStalled
	// Partial scans by others (see coverage): their fresh BSSes are
	// presence evidence, kept in case no full scan completes.
	var partial []entry
	var partialFreqs []int
	var partials int
loop:
	for attempt := 1; ; attempt++ {
		// Notifications already queued belong to scans before this trigger;
		// note when one is in flight (for a piggyback's freshness window).
		inflight, err := s.drainEvents(ctx, r, ifi)
		if err != nil {
			return ctxFail(err, lastFail)
		}
		triggered := s.stamp()
		err = s.trigger(ctx, ifi.Index, req.SSIDs)
		switch {
		case err == nil:
			emit(diagnostics.KindScanStarted, diagnostics.ScanMethodNL80211, nil, 0, 0,
				fmt.Sprintf("NL80211_CMD_TRIGGER_SCAN accepted (attempt %d/%d)", attempt, attempts))
			done, err := s.waitOwn(ctx, r, ifi)
			switch {
			case err == nil && done.cmd == unix.NL80211_CMD_NEW_SCAN_RESULTS:
				rec.Own = true
				return s.finish(ctx, &res, ifi, triggered, done, emit)
			case err == nil: // aborted
				lastFail = ErrAborted
				emit(diagnostics.KindScanAborted, diagnostics.ScanMethodNL80211, nil, 0, 0,
					fmt.Sprintf("our scan was aborted (NL80211_CMD_SCAN_ABORTED, attempt %d/%d)", attempt, attempts))
			case errors.Is(err, errWaitOver):
				lastFail = ErrStalled
			default:
				return ctxFail(err, lastFail)
			}
		case errors.Is(err, unix.EBUSY) || errors.Is(err, unix.EAGAIN):
			rec.BusyRefusals++
			lastFail = ErrBusy
			refused := s.stamp()
			errno, name := unix.EBUSY, "EBUSY"
			if errors.Is(err, unix.EAGAIN) {
				errno, name = unix.EAGAIN, "EAGAIN"
			}
			emit(diagnostics.KindScanBusy, name, nil, int(errno), rec.BusyRefusals,
				fmt.Sprintf("NL80211_CMD_TRIGGER_SCAN refused: %v (attempt %d/%d)", errno, attempt, attempts))
			done, start, err := s.waitOther(ctx, r, ifi, s.opts.BusyWait)
			switch {
			case err == nil && done.cmd == unix.NL80211_CMD_NEW_SCAN_RESULTS:
				switch {
				case !start.isZero():
				case !inflight.isZero():
					start = inflight
				default:
					start = refused.add(-s.opts.PiggybackLookback)
				}
				miss, of := s.coverage(ctx, ifi, done.freqs)
				unprobed := unprobedSSIDs(req.SSIDs, done.ssids)
				if len(miss) > 0 || len(unprobed) > 0 {
					// Someone else's scan of some channels only, or one that
					// did not probe for the hidden SSIDs asked for: what it
					// saw is there, but what it did not see may be too.
					partials++
					partialFreqs = unionInts(partialFreqs, done.freqs)
					if es, err := s.dump(ctx, ifi.Index); err == nil {
						fresh, _ := splitEntries(es, start.add(-s.opts.Slack), s.stamp())
						partial = mergeBSSes(partial, fresh)
					}
					why := fmt.Sprintf("covered %d of %d channels (missing %v)", of-len(miss), of, miss)
					if len(unprobed) > 0 {
						why = fmt.Sprintf("did not probe for %d of the %d requested SSIDs", len(unprobed), len(req.SSIDs))
					}
					emit(diagnostics.KindNote, "partial", nil, 0, len(done.freqs),
						"the scan in flight "+why+": not used as a fresh scan; triggering again")
					if attempt >= attempts {
						break loop
					}
					continue // the radio is free now: trigger at once
				}
				rec.Method = diagnostics.ScanMethodPiggyback
				rec.Own = false
				return s.finish(ctx, &res, ifi, start, done, emit)
			case err == nil: // the scan in flight was aborted
				emit(diagnostics.KindScanAborted, "other", nil, 0, 0, "the scan in flight was aborted (NL80211_CMD_SCAN_ABORTED)")
			case errors.Is(err, errWaitOver):
			default:
				return ctxFail(err, lastFail)
			}
		case errors.Is(err, unix.EPERM):
			return fail(diagnostics.ScanFailed, fmt.Errorf("%w: %w", ErrNotPermitted, err))
		case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
			return ctxFail(err, lastFail)
		default:
			return fail(diagnostics.ScanFailed, fmt.Errorf("NL80211_CMD_TRIGGER_SCAN: %w", err))
		}

		if attempt >= attempts {
			break
		}
		d := bo.NextBackOff()
		if d == backoff.Stop {
			return ctxFail(ctx.Err(), lastFail)
		}
		if err := sleep(ctx, d); err != nil {
			return ctxFail(err, lastFail)
		}
	}
	switch lastFail {
	case ErrBusy:
		if partials > 0 {
			for _, e := range partial {
				res.BSSes = append(res.BSSes, e.BSS)
			}
			res.Frequencies = partialFreqs
			rec.BSSCount = len(res.BSSes)
			return fail(diagnostics.ScanBusyOut, fmt.Errorf("%w: %d refusals in %d attempts; only %d partial scans by others completed (%d channels)",
				ErrBusy, rec.BusyRefusals, attempts, partials, len(partialFreqs)))
		}
		return fail(diagnostics.ScanBusyOut, fmt.Errorf("%w: %d refusals in %d attempts", ErrBusy, rec.BusyRefusals, attempts))
	case ErrAborted:
		return fail(diagnostics.ScanAborted, fmt.Errorf("%w: %d attempts", ErrAborted, attempts))
	}
	return fail(diagnostics.ScanTimeout, fmt.Errorf("%w: no NEW_SCAN_RESULTS or SCAN_ABORTED within %v", ErrStalled, s.opts.ScanWait))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drainEvents consumes the notifications already queued, returning when the
// last one for this radio was a TRIGGER_SCAN (a scan in flight), the time it
// was read; zero otherwise.
func (s *NL80211) drainEvents(ctx context.Context, r *eventReader, ifi *wifi.Interface) (stamp, error) {
	var inflight stamp
	for {
		e, err := r.next(ctx, time.Now().Add(5*time.Millisecond))
		switch {
		case errors.Is(err, errWaitOver):
			return inflight, nil
		case errors.Is(err, errLost):
			inflight = stamp{}
			continue
		case err != nil:
			return stamp{}, err
		}
		if !e.on(ifi) {
			continue
		}
		if e.cmd == unix.NL80211_CMD_TRIGGER_SCAN {
			inflight = e.at
		} else {
			inflight = stamp{}
		}
	}
}

// trigger sends NL80211_CMD_TRIGGER_SCAN and waits for its acknowledgement.
// nl80211 reads NL80211_ATTR_SCAN_SSIDS as a list whose entries' types are
// ignored; an entry of length zero is the wildcard SSID (iw does the same).
func (s *NL80211) trigger(ctx context.Context, ifindex int, ssids [][]byte) error {
	_, err := s.execute(ctx, unix.NL80211_CMD_TRIGGER_SCAN, netlink.Request|netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		ae.Uint32(unix.NL80211_ATTR_IFINDEX, uint32(ifindex))
		ae.Nested(unix.NL80211_ATTR_SCAN_SSIDS, func(nae *netlink.AttributeEncoder) error {
			if len(ssids) == 0 {
				nae.Bytes(1, []byte{})
			}
			for i, ssid := range ssids {
				nae.Bytes(uint16(i+1), ssid)
			}
			return nil
		})
	})
	return err
}

// waitOwn waits for the end of the scan we just triggered. cfg80211 allows
// one scan per radio and multicasts our scan's TRIGGER_SCAN before
// acknowledging it, so the first NEW_SCAN_RESULTS or SCAN_ABORTED for this
// radio after a TRIGGER_SCAN is ours; one before any TRIGGER_SCAN belongs to a
// scan that ended between our drain and our trigger.
func (s *NL80211) waitOwn(ctx context.Context, r *eventReader, ifi *wifi.Interface) (scanEvent, error) {
	until := time.Now().Add(s.opts.ScanWait)
	armed := false
	for {
		e, err := r.next(ctx, until)
		if errors.Is(err, errLost) {
			// Our TRIGGER_SCAN may be among the lost: accept the next end.
			armed = true
			continue
		}
		if err != nil {
			return scanEvent{}, err
		}
		if !e.on(ifi) {
			continue
		}
		switch e.cmd {
		case unix.NL80211_CMD_TRIGGER_SCAN:
			armed = true
		default:
			if armed {
				return e, nil
			}
		}
	}
}

// waitOther waits up to d for the scan in flight on this radio to end, and
// returns its end and, when this wait saw it start, its start.
func (s *NL80211) waitOther(ctx context.Context, r *eventReader, ifi *wifi.Interface, d time.Duration) (end scanEvent, start stamp, err error) {
	until := time.Now().Add(d)
	for {
		e, err := r.next(ctx, until)
		if errors.Is(err, errLost) {
			start = stamp{}
			continue
		}
		if err != nil {
			return scanEvent{}, stamp{}, err
		}
		if !e.on(ifi) {
			continue
		}
		if e.cmd == unix.NL80211_CMD_TRIGGER_SCAN {
			start = e.at
			continue
		}
		return e, start, nil
	}
}

// finish dumps the BSS table after a completed scan that started at start
// and fills the result.
func (s *NL80211) finish(ctx context.Context, res *Result, ifi *wifi.Interface, start stamp, done scanEvent,
	emit func(diagnostics.Kind, string, *bool, int, int, string)) (Result, error) {
	rec := &res.Record
	rec.Started = start.wall
	rec.Ended = done.at.wall
	res.Frequencies = done.freqs
	bsses, err := s.dump(ctx, ifi.Index)
	if err != nil {
		rec.Outcome = diagnostics.ScanFailed
		if errors.Is(err, context.DeadlineExceeded) {
			rec.Outcome = diagnostics.ScanTimeout
		}
		e := &Error{Op: "scan " + ifi.Name, Err: fmt.Errorf("NL80211_CMD_GET_SCAN: %w", err)}
		rec.Error = e.Error()
		return *res, e
	}
	res.BSSes, res.Stale = splitFresh(bsses, start.add(-s.opts.Slack), s.stamp())
	rec.Outcome = diagnostics.ScanOK
	rec.BSSCount = len(res.BSSes)
	for _, b := range res.BSSes {
		if b.Hidden() {
			rec.HiddenBSS++
		}
	}
	emit(diagnostics.KindScanDone, rec.Method, diagnostics.Bool(true), 0, rec.BSSCount,
		fmt.Sprintf("%s: %d fresh BSS (%d hidden), %d stale, %d frequencies", commandName(done.cmd), rec.BSSCount, rec.HiddenBSS, len(res.Stale), len(done.freqs)))
	return *res, nil
}

// entry is a parsed BSS with the kernel's CLOCK_BOOTTIME of its last
// sighting (NL80211_BSS_LAST_SEEN_BOOTTIME, since Linux 4.8; 0 if absent).
type entry struct {
	BSS
	seenBoot time.Duration
}

// splitFresh separates entries seen at or after cutoff from older cache
// entries. When both the kernel's LAST_SEEN_BOOTTIME and our CLOCK_BOOTTIME
// are known they are compared directly. Otherwise the age decides: the
// kernel computes NL80211_BSS_SEEN_MS_AGO from jiffies when it builds each
// dump message, no later than dumped, so an entry last seen at or after
// cutoff has Age <= dumped-cutoff. (Jiffies stop while the machine is
// suspended, so across a suspend SEEN_MS_AGO understates age; boottime does
// not, which is why it is preferred.)
func splitFresh(es []entry, cutoff, dumped stamp) (fresh, stale []BSS) {
	f, st := splitEntries(es, cutoff, dumped)
	for _, e := range f {
		fresh = append(fresh, e.BSS)
	}
	for _, e := range st {
		stale = append(stale, e.BSS)
	}
	return fresh, stale
}

func splitEntries(es []entry, cutoff, dumped stamp) (fresh, stale []entry) {
	window := dumped.wall.Sub(cutoff.wall)
	for _, e := range es {
		var ok bool
		if e.seenBoot > 0 && cutoff.boot > 0 {
			ok = e.seenBoot >= cutoff.boot
		} else {
			ok = e.Age <= window
		}
		if ok {
			fresh = append(fresh, e)
		} else {
			stale = append(stale, e)
		}
	}
	return fresh, stale
}

// coverage compares the channels a completed scan covered with the radio's
// enabled 2.4, 4.9 and 5 GHz channels, and returns those it missed and how
// many there are. 6 GHz is left out: cfg80211 scans it selectively (only
// channels with co-located APs reported in RNR elements), so a full scan
// need not list every 6 GHz channel. A scan that does not report its
// channels, or a radio whose channels cannot be read, counts as complete.
func (s *NL80211) coverage(ctx context.Context, ifi *wifi.Interface, scanned []int) (missing []int, of int) {
	if len(scanned) == 0 {
		return nil, 0
	}
	enabled, err := s.enabledFreqs(ctx, ifi.PHY)
	if err != nil {
		return nil, 0
	}
	seen := map[int]bool{}
	for _, f := range scanned {
		seen[f] = true
	}
	for _, f := range enabled {
		if f >= 5925 {
			continue
		}
		of++
		if !seen[f] {
			missing = append(missing, f)
		}
	}
	return missing, of
}

// enabledFreqs lists the radio's channels that are not disabled (the channel
// list is what cfg80211 scans when a trigger names no frequencies).
func (s *NL80211) enabledFreqs(ctx context.Context, phy int) ([]int, error) {
	chans, err := s.channels(ctx, phy)
	if err != nil {
		return nil, err
	}
	var out []int
	for _, c := range chans {
		if !c.Disabled {
			out = append(out, c.FreqMHz)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no enabled channels listed")
	}
	return out, nil
}

// channels lists the radio's channels with their regulatory flags, from an
// NL80211_CMD_GET_WIPHY split dump filtered to the radio.
func (s *NL80211) channels(ctx context.Context, phy int) ([]ChannelInfo, error) {
	msgs, err := s.execute(ctx, unix.NL80211_CMD_GET_WIPHY, netlink.Request|netlink.Dump, func(ae *netlink.AttributeEncoder) {
		ae.Uint32(unix.NL80211_ATTR_WIPHY, uint32(phy))
		ae.Flag(unix.NL80211_ATTR_SPLIT_WIPHY_DUMP, true)
	})
	if err != nil {
		return nil, err
	}
	var out []ChannelInfo
	for _, m := range msgs {
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			return nil, err
		}
		for ad.Next() {
			if ad.Type() != unix.NL80211_ATTR_WIPHY_BANDS {
				continue
			}
			ad.Nested(func(bands *netlink.AttributeDecoder) error {
				for bands.Next() {
					bands.Nested(func(band *netlink.AttributeDecoder) error {
						for band.Next() {
							if band.Type() != unix.NL80211_BAND_ATTR_FREQS {
								continue
							}
							band.Nested(func(freqs *netlink.AttributeDecoder) error {
								for freqs.Next() {
									freqs.Nested(func(fa *netlink.AttributeDecoder) error {
										var c ChannelInfo
										for fa.Next() {
											switch fa.Type() {
											case unix.NL80211_FREQUENCY_ATTR_FREQ:
												c.FreqMHz = int(fa.Uint32())
											case unix.NL80211_FREQUENCY_ATTR_DISABLED:
												c.Disabled = true
											case unix.NL80211_FREQUENCY_ATTR_NO_IR:
												c.NoIR = true
											case unix.NL80211_FREQUENCY_ATTR_RADAR:
												c.Radar = true
											}
										}
										if c.FreqMHz > 0 {
											c.Channel = channelOf(c.FreqMHz)
											out = append(out, c)
										}
										return nil
									})
								}
								return nil
							})
						}
						return nil
					})
				}
				return nil
			})
		}
		if err := ad.Err(); err != nil {
			return nil, err
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no channels listed")
	}
	return out, nil
}

var _ RegulatoryReader = (*NL80211)(nil)

// getReg asks NL80211_CMD_GET_REG for phy's domain (phy < 0: the system's)
// and stores its alpha2, DFS region, and whether the answer was the radio's
// own domain.
func (s *NL80211) getReg(ctx context.Context, phy int, alpha2, dfs *string, own *bool) error {
	msgs, err := s.execute(ctx, unix.NL80211_CMD_GET_REG, netlink.Request, func(ae *netlink.AttributeEncoder) {
		if phy >= 0 {
			ae.Uint32(unix.NL80211_ATTR_WIPHY, uint32(phy))
		}
	})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			return err
		}
		for ad.Next() {
			switch ad.Type() {
			case unix.NL80211_ATTR_REG_ALPHA2:
				*alpha2 = strings.TrimRight(ad.String(), "\x00")
			case unix.NL80211_ATTR_WIPHY:
				*own = true
			case unix.NL80211_ATTR_DFS_REGION:
				*dfs = map[uint8]string{unix.NL80211_DFS_FCC: "FCC", unix.NL80211_DFS_ETSI: "ETSI", unix.NL80211_DFS_JP: "JP"}[ad.Uint8()]
			}
		}
		if err := ad.Err(); err != nil {
			return err
		}
	}
	return nil
}

// Regulatory returns the regulatory state of the radio behind ifname: the
// domain from NL80211_CMD_GET_REG asked for the radio (cfg80211 answers with
// the radio's own domain, and NL80211_ATTR_WIPHY, only for self-managed
// radios; otherwise with the system's) and the channels from GET_WIPHY, whose
// flags already combine the domain with the radio's own limits. Neither
// command needs CAP_NET_ADMIN. ErrNoInterface when ifname is not wireless.
func (s *NL80211) Regulatory(ctx context.Context, ifname string) (Regulatory, error) {
	ifi, _, err := s.lookup(ctx, ifname)
	if err != nil {
		return Regulatory{}, &Error{Op: "regulatory " + ifname, Err: err}
	}
	r := Regulatory{Ifname: ifname}
	if err := s.getReg(ctx, ifi.PHY, &r.Country, &r.DFSRegion, &r.OwnDomain); err != nil {
		return Regulatory{}, &Error{Op: "regulatory " + ifname, Err: err}
	}
	if r.OwnDomain {
		var dfs string
		var own bool
		if err := s.getReg(ctx, -1, &r.SystemCountry, &dfs, &own); err != nil {
			return Regulatory{}, &Error{Op: "regulatory " + ifname, Err: err}
		}
	}
	if r.Channels, err = s.channels(ctx, ifi.PHY); err != nil {
		return Regulatory{}, &Error{Op: "regulatory " + ifname, Err: err}
	}
	return r, nil
}

// unprobedSSIDs returns the requested SSIDs a finished scan did not send
// directed probes for. Hidden networks answer only those, so such a scan
// says nothing about them.
func unprobedSSIDs(want, probed [][]byte) [][]byte {
	var out [][]byte
	for _, w := range want {
		if !slices.ContainsFunc(probed, func(p []byte) bool { return bytes.Equal(p, w) }) {
			out = append(out, w)
		}
	}
	return out
}

func unionInts(a, b []int) []int {
	for _, x := range b {
		if !slices.Contains(a, x) {
			a = append(a, x)
		}
	}
	return a
}

// dumpTries bounds how often an inconsistent GET_SCAN dump is repeated.
const dumpTries = 3

// dump reads the radio's BSS table with an NL80211_CMD_GET_SCAN dump. The
// kernel marks a dump whose table changed while it was read (another scan
// adding or expiring entries: nl80211_dump_scan sets cb->seq from
// rdev->bss_generation) with NLM_F_DUMP_INTR; such a dump may have skipped
// entries, so it is repeated, and if it never comes out consistent the union
// of the attempts is used (an entry seen in any of them exists).
//
// The BSS parser is ours: mdlayher/wifi's decodes SSIDs as text (an SSID is
// 0-32 arbitrary octets), ignores the capability field and the WPA vendor
// element, and skips BSSes it cannot parse without saying so.
func (s *NL80211) dump(ctx context.Context, ifindex int) ([]entry, error) {
	var union []entry
	for try := 0; try < dumpTries; try++ {
		bsses, consistent, err := s.dumpOnce(ctx, ifindex)
		if err != nil {
			return nil, err
		}
		if consistent {
			return bsses, nil
		}
		union = mergeBSSes(union, bsses)
	}
	return union, nil
}

// mergeBSSes adds to a the entries of b not already in it (same BSSID and
// SSID), keeping the more recent sighting of duplicates.
func mergeBSSes(a, b []entry) []entry {
	for _, nb := range b {
		found := false
		for i := range a {
			if bytes.Equal(a[i].BSSID, nb.BSSID) && bytes.Equal(a[i].SSID, nb.SSID) {
				found = true
				if nb.Age < a[i].Age {
					a[i] = nb
				}
				break
			}
		}
		if !found {
			a = append(a, nb)
		}
	}
	return a
}

func (s *NL80211) dumpOnce(ctx context.Context, ifindex int) (bsses []entry, consistent bool, err error) {
	var msgs []genetlink.Message
	consistent = true
	err = s.roundTrip(ctx, unix.NL80211_CMD_GET_SCAN, func(ae *netlink.AttributeEncoder) {
		ae.Uint32(unix.NL80211_ATTR_IFINDEX, uint32(ifindex))
	}, func(m genetlink.Message) error {
		req, err := s.cmd.Send(m, s.family, netlink.Request|netlink.Dump)
		if err != nil {
			return err
		}
		// Receive returns the whole multi-part dump. Replies to an earlier,
		// interrupted request carry another sequence number: skip them.
		for range 16 {
			gms, nms, err := s.cmd.Receive()
			if err != nil {
				return err
			}
			if len(nms) > 0 && nms[0].Header.Sequence != req.Header.Sequence {
				continue
			}
			for _, nm := range nms {
				if nm.Header.Flags&netlink.DumpInterrupted != 0 {
					consistent = false
				}
			}
			msgs = gms
			return nil
		}
		return errors.New("no reply to NL80211_CMD_GET_SCAN")
	})
	if err != nil {
		return nil, false, err
	}
	for _, m := range msgs {
		ad, err := netlink.NewAttributeDecoder(m.Data)
		if err != nil {
			return nil, false, err
		}
		for ad.Next() {
			if ad.Type() != unix.NL80211_ATTR_BSS {
				continue
			}
			b, err := parseBSS(ad.Bytes())
			if err != nil {
				return nil, false, fmt.Errorf("parse BSS: %w", err)
			}
			bsses = append(bsses, b)
		}
		if err := ad.Err(); err != nil {
			return nil, false, err
		}
	}
	return bsses, consistent, nil
}

// parseBSS decodes the attributes nested in NL80211_ATTR_BSS. The SSID and
// security come from NL80211_BSS_INFORMATION_ELEMENTS (the latest probe
// response or beacon), falling back to NL80211_BSS_BEACON_IES when only a
// beacon was heard.
func parseBSS(data []byte) (entry, error) {
	var b entry
	var ies, beaconIEs []byte
	var capability uint16
	var mbm bool
	unspec := -1
	ad, err := netlink.NewAttributeDecoder(data)
	if err != nil {
		return b, err
	}
	for ad.Next() {
		switch ad.Type() {
		case unix.NL80211_BSS_BSSID:
			b.BSSID = net.HardwareAddr(bytes.Clone(ad.Bytes()))
		case unix.NL80211_BSS_FREQUENCY:
			b.FrequencyMHz = int(ad.Uint32())
		case unix.NL80211_BSS_CAPABILITY:
			capability = ad.Uint16()
		case unix.NL80211_BSS_SIGNAL_MBM:
			b.SignalDBm = float64(ad.Int32()) / 100
			mbm = true
		case unix.NL80211_BSS_SIGNAL_UNSPEC:
			unspec = int(ad.Uint8())
		case unix.NL80211_BSS_LAST_SEEN_BOOTTIME:
			b.seenBoot = time.Duration(ad.Uint64())
		case unix.NL80211_BSS_SEEN_MS_AGO:
			b.Age = time.Duration(ad.Uint32()) * time.Millisecond
		case unix.NL80211_BSS_INFORMATION_ELEMENTS:
			ies = ad.Bytes()
		case unix.NL80211_BSS_BEACON_IES:
			beaconIEs = ad.Bytes()
		}
	}
	if err := ad.Err(); err != nil {
		return b, err
	}
	if ies == nil {
		ies = beaconIEs
	}
	if !mbm && unspec >= 0 {
		// Drivers without dBm report 0-100; map it as NetworkManager maps
		// dBm to its strength percent (-100 dBm is 0, -50 dBm is 100), so
		// strongest-first ordering still works.
		b.SignalDBm = float64(min(unspec, 100))/2 - 100
	}
	elems, _ := parseIEs(ies) // a truncated tail keeps what came before it
	if ssid, ok := ssidOf(elems); ok {
		b.SSID = bytes.Clone(ssid)
	}
	b.Channel = channelOf(b.FrequencyMHz)
	b.Security = securityOf(elems, capability)
	return b, nil
}

// Watch reports scans on ifname's radio, whoever starts them, until ctx
// ends: KindScanStarted for NL80211_CMD_TRIGGER_SCAN, KindScanDone (OK true)
// for NL80211_CMD_NEW_SCAN_RESULTS and KindScanAborted for
// NL80211_CMD_SCAN_ABORTED, with Source nl80211 and Iface the interface that
// requested the scan (another interface on the same radio shares its
// results). Lost notifications (socket overflow) are reported as a KindNote.
// The channel is closed when ctx ends or the socket fails (the last event is
// then a KindNote with the error). The subscription is in place when Watch
// returns, so a scan triggered afterwards is seen.
func (s *NL80211) Watch(ctx context.Context, ifname string) (<-chan diagnostics.Event, error) {
	ifi, names, err := s.lookup(ctx, ifname)
	if err != nil {
		return nil, &Error{Op: "watch " + ifname, Err: err}
	}
	ev, err := s.subscribe()
	if err != nil {
		return nil, &Error{Op: "watch " + ifname, Err: fmt.Errorf("subscribe to nl80211 scan events: %w", err)}
	}
	ch := make(chan diagnostics.Event, 16)
	go func() {
		defer close(ch)
		defer ev.Close()
		defer interruptOnDone(ctx, ev)()
		r := &eventReader{c: ev, now: s.stamp}
		send := func(e diagnostics.Event) bool {
			select {
			case ch <- e:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for {
			e, err := r.next(ctx, time.Time{})
			if errors.Is(err, errLost) {
				if !send(diagnostics.Event{Time: s.opts.Now(), Source: diagnostics.SourceNL80211, Kind: diagnostics.KindNote,
					Iface: ifname, Message: errLost.Error()}) {
					return
				}
				continue
			}
			if err != nil {
				if ctx.Err() == nil {
					send(diagnostics.Event{Time: s.opts.Now(), Source: diagnostics.SourceNL80211, Kind: diagnostics.KindNote,
						Iface: ifname, Message: "watch ended: " + err.Error()})
				}
				return
			}
			if !e.on(ifi) {
				continue
			}
			out := diagnostics.Event{Time: e.at.wall, Source: diagnostics.SourceNL80211, Iface: names[e.ifindex], Name: commandName(e.cmd)}
			if out.Iface == "" {
				out.Iface = ifname
			}
			switch e.cmd {
			case unix.NL80211_CMD_TRIGGER_SCAN:
				out.Kind = diagnostics.KindScanStarted
			case unix.NL80211_CMD_NEW_SCAN_RESULTS:
				out.Kind, out.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
			case unix.NL80211_CMD_SCAN_ABORTED:
				out.Kind = diagnostics.KindScanAborted
			}
			out.Message = fmt.Sprintf("wiphy %d ifindex %d, %d frequencies", e.wiphy, e.ifindex, len(e.freqs))
			if !send(out) {
				return
			}
		}
	}()
	return ch, nil
}
