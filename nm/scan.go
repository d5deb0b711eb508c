package nm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// RequestScan asks NetworkManager to scan on dev, probing for ssids (directed
// probe requests, needed for hidden networks) when any are given, and waits
// until that scan is over and NetworkManager has listed its results, bounded
// by ctx (or WithScanTimeout when ctx has no deadline).
//
// NetworkManager's RequestScan only records the request: it may start the
// scan later (rate limited to one request per 1.5 s while disconnected and
// 8 s while activating or activated, 200 ms after a scan completed, and not
// while its own request is pending; nm-device-wifi.c _scan_kickoff), merging
// the requested SSIDs (kept for 3 minutes) into whatever scan it starts next.
// wpa_supplicant sends ScanDone for every scan, including scans another
// process triggered, and NetworkManager moves LastScan whenever its scanning
// state goes idle, failed scan or not (_scan_notify_is_scanning). So a scan
// counts as ours only when wpa_supplicant's ScanDone follows a scan that
// started after the request (its Scanning property went true after we read
// it false, or went true again after the scan that was running at the
// request), and its results are read only after LastScan moved after that
// ScanDone: NetworkManager goes idle only once it has fetched the new BSSes'
// properties (nm-supplicant-interface.c _notify_maybe_scanning).
// Access points whose LastSeen (CLOCK_BOOTTIME seconds) is before the
// request are NetworkManager's cache of earlier scans and are left out.
//
// When wpa_supplicant is not reachable on the bus (its policy denies
// non-root callers), RequestScan waits for LastScan to move instead, sets
// Unverified and says so in Record.Error ("scan success unverified").
//
// Record.BSSCount is the number of access points listed after the scan,
// Matches how many of them carry one of ssids, HiddenBSS how many have no
// SSID. The result's Record is always filled in. Errors: ErrScanBusy when
// NetworkManager refused the request (Record.Outcome "busy"), ErrScanFailed
// when ScanDone reported failure ("failed"), the context's error when no
// ScanDone arrived in time ("timeout").
func (c *Client) RequestScan(ctx context.Context, dev Device, ssids [][]byte) (ScanResult, error) {
	const op = "request scan"
	rec := diagnostics.ScanRecord{Method: diagnostics.ScanMethodNM, Own: true, Started: c.now()}
	res := ScanResult{}
	finish := func(outcome, msg string) {
		rec.Outcome, rec.Ended = outcome, c.now()
		if msg != "" {
			if rec.Error != "" {
				rec.Error += "; "
			}
			rec.Error += msg
		}
		res.Record = rec
	}
	if dev.Path == "" {
		d, err := c.Device(ctx, dev.Ifname)
		if err != nil {
			finish(diagnostics.ScanFailed, shortErr(errors.Unwrap(err)))
			return res, err
		}
		dev = d
	}
	if _, ok := ctx.Deadline(); !ok && c.scanWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.scanWait)
		defer cancel()
	}

	// Subscribe before requesting so that a fast ScanDone is not missed.
	supPath, supErr := c.supplicantInterface(ctx, dev.Ifname)
	verified := supErr == nil
	res.Unverified = !verified
	sigs := make(chan *dbus.Signal, 32)
	c.conn.Signal(sigs)
	defer c.conn.RemoveSignal(sigs)
	matches := [][]dbus.MatchOption{{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchObjectPath(dev.Path),
		dbus.WithMatchInterface(ifaceProps), dbus.WithMatchMember("PropertiesChanged")}}
	if verified {
		// ScanDone and both PropertiesChanged styles (Scanning).
		matches = append(matches, []dbus.MatchOption{dbus.WithMatchSender(c.supBusName), dbus.WithMatchObjectPath(supPath)})
	} else {
		// Only the error's name: dbus-daemon's AccessDenied text quotes the
		// caller's whole command line, once per scan record.
		why := shortErr(supErr)
		if be, ok := busError(supErr); ok {
			why = be.Name
		}
		rec.Error = "scan success unverified: wpa_supplicant not reachable (" + why + ")"
	}
	for i, m := range matches {
		if err := c.conn.AddMatchSignalContext(ctx, m...); err != nil {
			matches = matches[:i]
			c.removeMatches(matches)
			outcome := diagnostics.ScanFailed
			if ctx.Err() != nil {
				outcome = diagnostics.ScanTimeout
			}
			finish(outcome, shortErr(err))
			return res, mapErr(op, err)
		}
	}
	defer c.removeMatches(matches)

	// State read after subscribing, so no change falls in between.
	w := scanWait{verified: verified, dev: dev.Path, sup: supPath, lastScan: -1}
	if v, err := getProp(ctx, c.nm(dev.Path), ifaceWireless, "LastScan"); err == nil {
		w.lastScan, _ = v.Value().(int64)
	}
	if verified {
		// A scan running now is not ours. Without the property (an error),
		// every ScanDone is taken as ours, as before.
		w.started = true
		if v, err := getProp(ctx, c.sup(supPath), ifaceSupIface, "Scanning"); err == nil {
			if b, ok := v.Value().(bool); ok {
				w.started = !b
			}
		}
	}
	// LastSeen is CLOCK_BOOTTIME seconds; an AP seen in our scan has a
	// LastSeen at or after the second of the request.
	since := w.lastScan
	if t, ok := bootTimeMsec(); ok {
		since = t
	}

	opts := map[string]dbus.Variant{}
	if len(ssids) > 0 {
		opts["ssids"] = dbus.MakeVariant(ssids)
	}
	if err := c.nm(dev.Path).CallWithContext(ctx, ifaceWireless+".RequestScan", 0, opts).Err; err != nil {
		if be, ok := busError(err); ok && (be.Name == errNMDevNotAllowed || be.Name == "org.freedesktop.NetworkManager.Device.NotActive") {
			rec.BusyRefusals = 1
			finish(diagnostics.ScanBusyOut, be.Message)
			return res, wrap(op, fmt.Errorf("%w (%w)", ErrScanBusy, be))
		}
		merr := mapErr(op, err)
		outcome := diagnostics.ScanFailed
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			outcome = diagnostics.ScanTimeout
		}
		finish(outcome, shortErr(errors.Unwrap(merr)))
		return res, merr
	}

	ok, err := c.waitScan(ctx, sigs, &w)
	if w.foreign > 0 {
		rec.Error = joinMsg(rec.Error, fmt.Sprintf("ignored %d ScanDone of a scan running before the request", w.foreign))
	}
	if err != nil {
		finish(diagnostics.ScanTimeout, "no ScanDone before the deadline")
		return res, wrap(op, err)
	}
	if !w.listed {
		rec.Error = joinMsg(rec.Error, "NetworkManager's LastScan did not move after ScanDone; its list may lag")
		res.Unverified = true
	}
	aps, aerr := c.accessPoints(ctx, dev.Path)
	if aerr == nil {
		res.APs = aps[:0]
		stale := 0
		for _, ap := range aps {
			if since > 0 && ap.LastSeen >= 0 && int64(ap.LastSeen) < since/1000 {
				stale++
				continue
			}
			res.APs = append(res.APs, ap)
		}
		if stale > 0 {
			rec.Error = joinMsg(rec.Error, fmt.Sprintf("%d listed BSSes not seen since the request left out", stale))
		}
		rec.BSSCount = len(res.APs)
		for _, ap := range res.APs {
			if len(bytes.Trim(ap.SSID, "\x00")) == 0 {
				rec.HiddenBSS++
			}
			for _, s := range ssids {
				if bytes.Equal(ap.SSID, s) {
					rec.Matches++
				}
			}
		}
	}
	if !ok {
		// A failed scan's list is NetworkManager's old cache: it proves nothing.
		res.APs = nil
		finish(diagnostics.ScanFailed, "wpa_supplicant ScanDone reported failure")
		return res, wrap(op, ErrScanFailed)
	}
	msg := ""
	if aerr != nil {
		msg = "listing access points: " + shortErr(aerr)
	}
	finish(diagnostics.ScanOK, msg)
	return res, nil
}

func joinMsg(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func (c *Client) removeMatches(matches [][]dbus.MatchOption) {
	rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for _, m := range matches {
		_ = c.conn.RemoveMatchSignalContext(rctx, m...)
	}
}

// listWait bounds the wait for LastScan after our ScanDone: NetworkManager
// keeps its scanning state 500 ms past its request (SCAN_EXTRA_DELAY_MSEC)
// and then fetches each new BSS's properties from wpa_supplicant.
const listWait = 5 * time.Second

// scanWait is RequestScan's view of one scan in progress.
type scanWait struct {
	verified bool
	dev, sup dbus.ObjectPath
	lastScan int64 // NetworkManager's LastScan when last seen
	started  bool  // a scan started after our request (or none was running at it)
	done     bool  // our ScanDone arrived
	ok       bool  // its success
	listed   bool  // LastScan moved after our ScanDone (or, unverified, at all)
	foreign  int   // ScanDones of scans that were running before our request
}

// waitScan waits for our scan's ScanDone and the LastScan change after it
// (verified), or for LastScan to change (unverified); it reports the scan's
// success. The error is the context's when it ends first, or a closed bus.
func (c *Client) waitScan(ctx context.Context, sigs chan *dbus.Signal, w *scanWait) (bool, error) {
	var listTimer <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-listTimer:
			return w.ok, nil
		case s, open := <-sigs:
			if !open {
				return false, errors.New("bus connection closed")
			}
			if w.onSignal(s) {
				return w.ok, nil
			}
			if w.done && listTimer == nil {
				t := time.NewTimer(listWait)
				defer t.Stop()
				listTimer = t.C
			}
		}
	}
}

// onSignal updates w from one signal and reports whether the wait is over.
func (w *scanWait) onSignal(s *dbus.Signal) bool {
	switch {
	case s.Path == w.dev && s.Name == ifaceProps+".PropertiesChanged" && len(s.Body) >= 2:
		if iface, _ := s.Body[0].(string); iface != ifaceWireless {
			return false
		}
		changed, _ := s.Body[1].(map[string]dbus.Variant)
		v, ok := changed["LastScan"]
		if !ok {
			return false
		}
		ls, _ := v.Value().(int64)
		moved := ls != w.lastScan
		w.lastScan = ls
		if moved && (!w.verified || w.done) {
			w.ok = w.ok || !w.verified
			w.listed = true
			return true
		}
	case !w.verified || s.Path != w.sup:
	case s.Name == ifaceSupIface+".ScanDone" && len(s.Body) == 1 && !w.done:
		if !w.started {
			w.foreign++
			return false
		}
		w.done = true
		w.ok, _ = s.Body[0].(bool)
	default:
		if scanning, ok := supScanning(s); ok && scanning {
			w.started = true
		}
	}
	return false
}

// supScanning reads wpa_supplicant's Scanning from either PropertiesChanged
// style (standard, or fi.w1.wpa_supplicant1.Interface.PropertiesChanged).
func supScanning(s *dbus.Signal) (bool, bool) {
	var changed map[string]dbus.Variant
	switch {
	case s.Name == ifaceProps+".PropertiesChanged" && len(s.Body) >= 2:
		if iface, _ := s.Body[0].(string); iface != ifaceSupIface {
			return false, false
		}
		changed, _ = s.Body[1].(map[string]dbus.Variant)
	case s.Name == ifaceSupIface+".PropertiesChanged" && len(s.Body) == 1:
		changed, _ = s.Body[0].(map[string]dbus.Variant)
	}
	v, ok := changed["Scanning"]
	if !ok {
		return false, false
	}
	b, ok := v.Value().(bool)
	return b, ok
}

func shortErr(err error) string {
	if err == nil {
		return ""
	}
	if be, ok := busError(err); ok {
		return be.Error()
	}
	return err.Error()
}
