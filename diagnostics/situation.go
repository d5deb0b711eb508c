package diagnostics

import (
	"fmt"
	"sort"
	"time"
)

// Scopes say what a verdict is for.
const (
	// ScopeAttempt: the verdict classifies one join attempt (a live join's,
	// or one the log shows from its start or up to its end).
	ScopeAttempt = "attempt"
	// ScopeSituation: the verdict classifies the state a window of log
	// shows without a whole attempt in it: scans refused for a minute, a
	// blocked radio, an authentication loop, a station whose DHCP client
	// never gets a lease.
	ScopeSituation = "situation"
)

// ClassifySituation classifies a window of events that holds no whole join
// attempt: the state the evidence proves at the end of the window. It uses
// the same rules as Classify, on the events after the last success in the
// window (a join, a DHCP lease, a completed connection), because what a log
// shows before a success is a look-alike, not the state the stack is in: a
// refused scan then a join, an rfkill block the user lifted, a DHCP retry
// that got its lease.
//
// Scans refused with nothing completing after them are scan_busy, the case
// Classify meets only with a deadline or NetworkManager's ssid-not-found
// behind it: a window of refusals is exactly what a stack whose scans are
// blocked by other activity logs. A window with no failure at all is None,
// never Unknown: a log that shows nothing wrong does not show a failure.
// ClassifySituation never fails.
func ClassifySituation(events []Event) Verdict {
	events = dropConfigDisabledRadios(events)
	tail := events
	for i := len(events) - 1; i >= 0; i-- {
		if isSuccess(events[i]) {
			tail = events[i+1:]
			break
		}
	}
	busy, isBusy := situationScanBusy(tail)
	if len(situationFailures(tail)) == 0 && !isBusy && AuthLoop(tail) == nil && DHCPUnanswered(tail) == nil {
		return Verdict{Class: None, Detail: "the log shows no failure", Evidence: []Evidence{}}
	}
	// What blocks every join (the radio, the daemon, the device, a
	// refusal by policy) decides before what a join ran into.
	for _, r := range []rule{rulePermission, situationBackend, ruleRadio, situationDevice} {
		if v, ok := r(tail); ok {
			return v
		}
	}
	if isBusy {
		return busy
	}
	if hits := FirmwareSilent(tail); hits != nil {
		return Verdict{Class: DeviceUnavailable, Evidence: evidenceOf(hits...),
			Detail: fmt.Sprintf("the driver's scan requests failed %d times with %s and no scan completed: the device's firmware is not answering", len(hits), errnoNames(hits))}
	}
	v := Classify(tail)
	if v.Class == Unknown {
		v.Detail = "the log shows failures no rule explains"
	}
	return v
}

// FirmwareSilent returns the kernel's failed scans with ETIMEDOUT (-110)
// or EIO (-5) from one driver message on one device (the same event Name
// and interface) after the last sign of a working link, when there are at
// least two: a driver whose firmware does not answer its commands.
// brcmfmac's "brcmf_run_escan: error (-110)" (its firmware command timed
// out, fwil.c) and ath11k's "failed to start hw scan: -110" (a WMI timeout)
// say so; one alone may be transient (raspberrypi/linux issue 3849: repeated
// -110 until the chip was reset), and failures of two drivers are not one
// device's. A completed scan, an association or link becoming ready,
// wpa_supplicant completed, or a join resets the count: the firmware
// answered. EBUSY refusals are a different cause (scan_busy).
func FirmwareSilent(evs []Event) []Event {
	var hits []Event
	for _, e := range evs {
		switch {
		case e.Kind == KindScanDone && e.Succeeded(),
			e.Kind == KindJoined,
			e.Kind == KindNote && (e.Name == NoteLinkReady || e.Name == NoteAssociated),
			e.Kind == KindSupplicantState && e.State == "completed":
			hits = nil
		case e.Kind == KindScanDone && e.Failed() && e.Source == SourceKernel && (e.Code == -110 || e.Code == -5):
			if len(hits) > 0 && (hits[0].Name != e.Name || hits[0].Iface != e.Iface) {
				hits = nil // another driver or device: start again
			}
			hits = append(hits, e)
		}
	}
	if len(hits) < 2 {
		return nil
	}
	return hits
}

func errnoNames(evs []Event) string {
	var t, io bool
	for _, e := range evs {
		t = t || e.Code == -110
		io = io || e.Code == -5
	}
	switch {
	case t && io:
		return "ETIMEDOUT and EIO"
	case t:
		return "ETIMEDOUT"
	}
	return "EIO"
}

// dropConfigDisabledRadios removes RadioConfigDisabled failures when the
// log shows another Wi-Fi interface at work (wpa_supplicant's or hostapd's
// events, a join): the disabled radio is not the one in use.
func dropConfigDisabledRadios(evs []Event) []Event {
	busy := false
	for _, e := range evs {
		if e.Source == SourceSupplicant || e.Source == SourceHostapd || e.Kind == KindJoined || e.Kind == KindSupplicantState {
			busy = true
			break
		}
	}
	if !busy {
		return evs
	}
	out := make([]Event, 0, len(evs))
	for _, e := range evs {
		if e.Kind == KindRadio && e.Name == RadioConfigDisabled {
			continue
		}
		out = append(out, e)
	}
	return out
}

// isSuccess: an event after which what went before no longer describes the
// stack's state.
func isSuccess(e Event) bool {
	switch e.Kind {
	case KindJoined:
		return true
	case KindDHCP:
		return e.Succeeded()
	}
	return false
}

// ScanDeferred is the Name of a KindScanBusy event for a scan request the
// stack postponed because its own scan is still running (wpa_supplicant's
// "Reject scan trigger since one is already pending", NetworkManager's
// "scanning requested but not allowed at this time", nmcli's "Scanning not
// allowed while already scanning"): unlike a refusal, a scan does run.
const ScanDeferred = "deferred"

// ScanInitFailed is the Name of a KindScanBusy event for wpa_supplicant's
// "Failed to initiate AP scan" (scan.c, wpa_supplicant_scan, MSG_WARNING):
// its scan trigger failed and it tries again in a second. The errno is not
// in the line; a wext driver's "ioctl[SIOCSIWSCAN]: Device or resource
// busy" before it says EBUSY. diagnose folds it into the refusal or
// deferral logged just before it (the same failed trigger), so that only a
// bare one counts as a refusal of its own.
const ScanInitFailed = "failed to initiate AP scan"

// stuckDeferrals is how long deferrals must go on, with no scan completing,
// before they show a scan that never ends (github.com/victronenergy/venus
// issue 467: "already pending" every 5 minutes for half an hour).
const stuckDeferrals = time.Minute

// callerRefused reports deferrals that a caller met again and again:
// nmcli's "Scanning not allowed while already scanning" (or "immediately
// following previous scan") is NetworkManager's NotAllowed error returned
// to the caller's RequestScan (nm-device-wifi.c, _nm_device_wifi_request_scan),
// which then gets no scan of its own. Met once, it is the scan that was
// just triggered and completes; met on two separate requests, with no
// scan completing anywhere in the window, it is a caller whose scans are
// blocked by other activity (github.com/canonical/checkbox PR 1862: "every
// retry is refused"). nmcli output has no timestamps, so stuckDeferrals
// cannot measure it.
func callerRefused(deferred []Event) bool {
	n := 0
	for _, e := range deferred {
		if e.Source == SourceNmcli {
			n++
		}
	}
	return n >= 2
}

// deferralsRefuse reports whether scan deferrals alone (no refusal) show a
// caller whose scans never run: two nmcli refusals, or deferrals going on
// for stuckDeferrals. A deferral met once or a few times is a request that
// waits for the scan in progress, which then completes.
func deferralsRefuse(deferred []Event) bool {
	if callerRefused(deferred) {
		return true
	}
	n := len(deferred)
	return n >= 2 && !deferred[0].Time.IsZero() && deferred[n-1].Time.Sub(deferred[0].Time) >= stuckDeferrals
}

// situationScanBusy: a scan was refused (the kernel's EBUSY, a stack that
// will not scan now, an aborted scan) and none completed after the last
// refusal: the requested scan never ran. Deferrals alone count only when
// they go on for stuckDeferrals: one or a few in a row are what any
// request meets while another scan runs, and that scan completes. The
// network's presence is unknown: no absence may be concluded from such a
// window, whatever else was logged about the network (NetworkManager's
// ssid-not-found after refused scans is the opaque failure this class
// exists to name).
func situationScanBusy(evs []Event) (Verdict, bool) {
	var refused, deferred []Event
	lastRefusal := -1
	for i, e := range evs {
		switch {
		case e.Kind == KindScanBusy && e.Name == ScanDeferred:
			deferred = append(deferred, e)
		case e.Kind == KindScanBusy || e.Kind == KindScanAborted:
			refused = append(refused, e)
		default:
			continue
		}
		lastRefusal = i
	}
	if lastRefusal < 0 {
		return Verdict{}, false
	}
	if len(refused) == 0 && !deferralsRefuse(deferred) {
		return Verdict{}, false
	}
	for _, e := range evs[lastRefusal+1:] {
		if e.Kind == KindScanDone && e.Succeeded() {
			return Verdict{}, false
		}
		if e.Kind == KindSupplicantState && e.OldState == "scanning" && scanEndStates[e.State] {
			// wpa_supplicant left scanning for a result: it joined
			// something it found, or found nothing to join (a scan
			// that completed, as NetworkManager's "supplicant interface
			// state: scanning -> completed" shows without ScanDone).
			return Verdict{}, false
		}
		switch e.Kind {
		case KindPskMismatch, KindSAEFailure, KindAuthStatus, KindAssocStatus, KindAuthTimeout, KindAssocTimeout, KindDHCP:
			// The stack got past scanning to a join that failed
			// on its own account: that failure is the state.
			if isFailure(e) {
				return Verdict{}, false
			}
		}
	}
	all := append(append([]Event{}, refused...), deferred...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Time.Before(all[j].Time) })
	what := "scans refused as busy"
	if len(refused) == 0 {
		what = "scan requests deferred behind a scan that never completed"
	}
	detail := fmt.Sprintf("%d %s, none completed after", len(all), what)
	if n := len(all); n > 1 {
		span := all[n-1].Time.Sub(all[0].Time)
		if !all[0].Time.IsZero() && span > 0 {
			detail = fmt.Sprintf("%d %s in %s, none completed after", n, what, span.Round(time.Second))
		}
	}
	ev := all
	if len(ev) > 8 {
		ev = append(append([]Event{}, ev[:2]...), ev[len(ev)-6:]...)
	}
	return Verdict{Class: ScanBusy, Detail: detail, Evidence: evidenceOf(ev...)}, true
}

// scanEndStates are the wpa_supplicant states it leaves scanning for when
// a scan completed and found a BSS to join (wpa_supplicant_event_scan_results
// goes on to authenticate or associate). Not disconnected or inactive: a
// trigger that failed puts the state back to what it was before scanning
// (scan.c, wpa_supplicant_scan: "if (prev_state != wpa_s->wpa_state)
// wpa_supplicant_set_state(wpa_s, prev_state)"), so those follow a refusal
// as often as a scan that found nothing; nor interface_disabled.
var scanEndStates = map[string]bool{
	"authenticating": true, "associating": true, "associated": true, "4way_handshake": true,
	"group_handshake": true, "completed": true,
}

// situationFailures are the failures in a window that still hold at its
// end. A state (the radio, the daemon, the device, DHCP) counts only as its
// last report says: a NetworkManager that stopped and started again, or a
// radio blocked and unblocked, is not a failure of the window. A device
// that NetworkManager left unmanaged or unavailable is one; a refused scan
// is none once a later scan completed.
func situationFailures(evs []Event) []Event {
	lastOf := map[Kind]int{}
	lastScan := -1 // the last completed scan
	for i, e := range evs {
		lastOf[e.Kind] = i
		// A link that came up (an association, the operstate going up,
		// wpa_supplicant completed) needed a scan that worked, as a
		// completed scan does.
		if e.Kind == KindScanDone && e.Succeeded() || e.Kind == KindNote && (e.Name == NoteLinkReady || e.Name == NoteAssociated) ||
			e.Kind == KindSupplicantState && e.State == "completed" {
			lastScan = i
		}
	}
	var out []Event
	for i, e := range evs {
		switch e.Kind {
		case KindDevice, KindBackend:
			if i == lastOf[e.Kind] && e.Failed() && !recovered(evs, i) {
				out = append(out, e)
			}
		case KindRadio, KindDHCP:
			if i == lastOf[e.Kind] && e.Failed() {
				out = append(out, e)
			}
		case KindDeviceState:
			if i == lastOf[e.Kind] && suspended(e) {
				// The machine went to sleep: not a failure.
			} else if i == lastOf[e.Kind] && (e.State == "unmanaged" || e.State == "unavailable" || e.State == "failed") {
				out = append(out, e)
			} else if e.State == "failed" {
				out = append(out, e)
			}
		case KindScanBusy, KindScanAborted:
			// Judged by situationScanBusy.
		case KindScanDone:
			// A scan that completed later lifts a failed one.
			if i > lastScan && isFailure(e) {
				out = append(out, e)
			}
		default:
			if isFailure(e) {
				out = append(out, e)
			}
		}
	}
	return out
}

// suspended reports a device NetworkManager unmanaged because the machine
// is going to sleep (device reason 37 "sleeping", 73 "unmanaged-sleeping"):
// nm-manager.c's do_sleep_wake takes every device down before a suspend, so
// a log that ends at a suspend ends with this state, and nothing failed.
func suspended(e Event) bool {
	return e.Kind == KindDeviceState && e.State == "unmanaged" && (e.Code == ReasonSleeping || e.Code == ReasonUnmanagedSleeping)
}

// quitting reports a device NetworkManager unmanaged because NetworkManager
// itself is stopping (72 "unmanaged-quitting", 1.4x): the window ends with
// the daemon gone, which is what it shows (backend_unavailable), whatever
// the device did before; a NetworkManager that starts again moves the
// device on, so this is no longer the last state.
func quitting(e Event) bool {
	return e.Kind == KindDeviceState && e.State == "unmanaged" && e.Code == ReasonUnmanagedQuitting
}

// recovered reports whether the failure evs[i] is one NetworkManager
// retries by itself (FailSupIfaceUnusable, FailSupIfaceNotCreated, on a
// named interface) and a later event of that same interface says the retry
// worked: "unavailable -> disconnected (reason 'supplicant-available')"
// (nm-device-wifi.c, supplicant_iface_state_is_ready), or wpa_supplicant's
// interface authenticating or further. States a failure itself causes
// (wpa_supplicant disconnected, inactive or scanning; NetworkManager
// deactivating) lift nothing, nor does another interface's event, and no
// other failure is lifted this way: a daemon that stopped is lifted by its
// start, a radio by its unblock, through the last-report rule.
func recovered(evs []Event, i int) bool {
	fail := evs[i]
	if fail.Iface == "" || (fail.Name != FailSupIfaceUnusable && fail.Name != FailSupIfaceNotCreated) {
		return false
	}
	for _, e := range evs[i+1:] {
		if e.Iface != fail.Iface {
			continue
		}
		switch {
		case e.Kind == KindDeviceState && e.Code == ReasonSupplicantAvailable && e.State != "unavailable" && e.State != "unmanaged" && e.State != "failed":
			return true
		case e.Kind == KindSupplicantState && supplicantWorking[e.State]:
			return true
		}
	}
	return false
}

// supplicantWorking are wpa_supplicant states (its D-Bus State values and
// NetworkManager's names for them) in which it is using the interface.
var supplicantWorking = map[string]bool{
	"authenticating": true, "associating": true, "associated": true, "4way_handshake": true,
	"group_handshake": true, "completed": true, "4-way handshake": true, "group handshake": true,
}

// situationBackend is ruleBackend for a window of log, where a daemon
// failure the stack recovered from (recovered) is not the state it shows.
func situationBackend(evs []Event) (Verdict, bool) {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == KindBackend {
			if evs[i].Failed() && recovered(evs, i) {
				return Verdict{}, false
			}
			break
		}
	}
	return ruleBackend(evs)
}

// situationDevice is ruleDevice for a window of log, where a device left
// unmanaged by a suspend is not unavailable, and a device that worked again
// after its failure is not either (recovered).
func situationDevice(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindDeviceState); ok && quitting(e) {
		return Verdict{Class: BackendUnavailable, Detail: "NetworkManager stopped: its devices went unmanaged (unmanaged-quitting)", Evidence: evidenceOf(e)}, true
	}
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].Kind == KindDevice {
			if evs[i].Failed() && recovered(evs, i) {
				if e, ok := last(evs, KindDeviceState); !ok || (e.State != "unmanaged" && e.State != "unavailable") {
					return Verdict{}, false
				}
			}
			break
		}
	}
	if e, ok := last(evs, KindDeviceState); ok && suspended(e) {
		if d, ok := last(evs, KindDevice); !ok || !d.Failed() {
			return Verdict{}, false
		}
	}
	return ruleDevice(evs)
}
