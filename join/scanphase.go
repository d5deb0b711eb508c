package join

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
	"github.com/hotspotctl/hotspotctl/scan"
)

// candidate is a BSS from either the kernel's or NetworkManager's scan list.
type candidate struct {
	SSID     []byte
	BSSID    string
	FreqMHz  int
	Channel  int
	Signal   float64 // dBm from nl80211; NetworkManager's percent mapped to dBm
	Security string
	// viaKernel is set when the BSS came from an nl80211 scan, which
	// NetworkManager's list may not reflect yet.
	viaKernel bool
}

// perScanTimeout bounds one scan, busy retries included. A full passive
// scan of 2.4 and 5 GHz takes 3 to 10 s on real hardware.
const perScanTimeout = 20 * time.Second

// Defaults for the evidence that a network is absent.
const (
	defaultScansPerAttempt = 3
	defaultScanWindow      = 15 * time.Second
)

// scanPhase scans until the target is seen (returning it) or until absence
// is proven: ScansPerAttempt fresh, successful scans, at least one of them
// our own full-channel scan, spanning at least ScanWindow (an AP that is
// booting starts beaconing seconds after it powers up). It records a verdict
// event when the target was not found: "absent" when at least one scan
// completed, "no_fresh_scan" when every scan was refused, aborted or failed.
// Only the first may become not_found.
//
// A scan started by another process and piggy-backed on counts as evidence
// of presence, but as evidence of absence only when it covered at least as
// many channels as our own scans: other scanners (NetworkManager's directed
// scans, `iw scan freq ...`) often scan a subset.
func (j *Joiner) scanPhase(ctx context.Context, req *Request, dev nm.Device, rec *recorder, rep *diagnostics.Report,
	st *joinState, a *diagnostics.Attempt) (candidate, bool) {
	var fresh, own, busy, aborted, failed, hiddenSeen, bssSeen, ownFreqs, unverified int
	var near []string
	if c, ok := j.associatedCandidate(ctx, req, dev); ok {
		st.seenTarget = true
		j.noteAssociated(rec, c)
		return c, true
	}
	useNM := req.Hidden || j.opts.Scanner == nil
	begin := j.now()
	maxScans := 3 * req.ScansPerAttempt
	for i := 1; i <= maxScans && ctx.Err() == nil; i++ {
		if fresh >= req.ScansPerAttempt && own > 0 && j.now().Sub(begin) >= req.ScanWindow {
			break
		}
		j.progress(rep.Started, "scanning", fmt.Sprintf("scanning %d/%d", min(i, max(req.ScansPerAttempt, fresh+1)), max(req.ScansPerAttempt, fresh+1)))
		observed := false
		cands, record, freqs, blind, err := j.oneScan(ctx, req, dev, &useNM, begin, func(e diagnostics.Event) {
			observed = true
			rec.add(e)
		})
		src := diagnostics.SourceNL80211
		if record.Method == diagnostics.ScanMethodNM {
			src = diagnostics.SourceNM
		}
		// The scanner's own refusals are evidence too: several EBUSY
		// answers before a piggy-backed completion show contention. A
		// scanner that did not report its steps gets them summarised here.
		if !observed {
			for k := 0; k < record.BusyRefusals; k++ {
				rec.add(diagnostics.Event{Time: record.Ended, Source: src, Kind: diagnostics.KindScanBusy, Message: "trigger refused: device busy (EBUSY)"})
			}
		}
		busy += record.BusyRefusals
		switch record.Outcome {
		case diagnostics.ScanOK:
			counts := true
			switch {
			case blind:
				// Its end was read from LastScan alone, which NetworkManager
				// moves for failed scans too: presence only.
				unverified++
				counts = false
				if rep.DegradedEvidence == "" {
					rep.DegradedEvidence = "wpa_supplicant was not reachable (its D-Bus policy admits only root and the netdev group): " +
						"scan success and the AP's 802.11 status codes could not be observed, so absence cannot be proven"
					st.hints = append(st.hints, "run as root, or with the hotspotctl service running (join then goes through it): wpa_supplicant's signals are needed to prove a scan complete and to see why an AP refuses us")
				}
			case record.Own && record.Method == diagnostics.ScanMethodNL80211:
				own++
				ownFreqs = max(ownFreqs, freqs)
			case record.Own: // NetworkManager's RequestScan drives a full scan
				own++
			default:
				counts = ownFreqs > 0 && freqs >= ownFreqs
			}
			if counts {
				fresh++
			}
			rec.add(diagnostics.Event{Time: j.now(), Source: src, Kind: diagnostics.KindScanDone, OK: diagnostics.Bool(true),
				Count: len(cands), Name: record.Method, Message: fmt.Sprintf("%s scan completed: %d BSSes, %d channels%s", record.Method, len(cands), freqs,
					map[bool]string{true: "", false: " (partial: proves presence only)"}[counts])})
		case diagnostics.ScanAborted:
			aborted++
			rec.add(diagnostics.Event{Time: j.now(), Source: src, Kind: diagnostics.KindScanAborted, Message: record.Error})
		case diagnostics.ScanBusyOut:
			if record.BusyRefusals == 0 {
				busy++
				rec.add(diagnostics.Event{Time: j.now(), Source: src, Kind: diagnostics.KindScanBusy, Message: record.Error})
			}
		default:
			// wpa_supplicant's ScanDone(false) is how a refused trigger
			// (CTRL-EVENT-SCAN-FAILED ret=-16) reaches D-Bus; a scan that
			// never finished is no fresher.
			failed++
			rec.add(diagnostics.Event{Time: j.now(), Source: src, Kind: diagnostics.KindScanDone, OK: diagnostics.Bool(false), Message: record.Error})
		}
		if err != nil && record.Error == "" {
			record.Error = err.Error()
		}
		// An nl80211 scan that ended busy may still have seen networks in the
		// partial scans of other processes: a hit there is real, a miss
		// proves nothing. (NetworkManager's list after a failed scan is its
		// old cache, which proves nothing either way.)
		if record.Outcome != diagnostics.ScanOK && record.Method != diagnostics.ScanMethodNM {
			if matches, twins := j.matchSecurity(req, cands); len(matches) > 0 {
				record.Matches = len(matches)
				a.Scans = append(a.Scans, record)
				best := matches[0]
				st.seenTarget = true
				j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(true), "found",
					fmt.Sprintf("%q seen at %s in a partial scan by another process, channel %d, %.0f dBm, %s",
						diagnostics.PrintableSSID(best.SSID), best.BSSID, best.Channel, best.Signal, best.Security))
				for _, t := range twins {
					st.hints = append(st.hints, twinHint(req, t))
				}
				return best, true
			}
		}
		if record.Outcome == diagnostics.ScanOK {
			matches, twins := j.matchSecurity(req, cands)
			record.Matches = len(matches)
			record.HiddenBSS = countHidden(cands)
			record.BSSCount = len(cands)
			hiddenSeen = max(hiddenSeen, record.HiddenBSS+record.HiddenRecent)
			bssSeen = max(bssSeen, len(cands))
			if len(req.SSID) > 0 && len(matches) == 0 {
				record.NearMiss = nearMisses(cands, req.SSID)
				near = append(near, record.NearMiss...)
			}
			a.Scans = append(a.Scans, record)
			if len(matches) > 0 {
				best := matches[0]
				st.seenTarget = true
				j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(true), "found",
					fmt.Sprintf("%q seen at %s, channel %d, %.0f dBm, %s", diagnostics.PrintableSSID(best.SSID), best.BSSID, best.Channel, best.Signal, best.Security))
				for _, t := range twins {
					st.hints = append(st.hints, twinHint(req, t))
				}
				return best, true
			}
		} else {
			a.Scans = append(a.Scans, record)
		}
		// A short pause lets another process's scan finish before the next
		// trigger, instead of colliding with it again.
		select {
		case <-j.opts.Clock.After(time.Second):
		case <-ctx.Done():
		}
	}
	// The evidence rule: ScansPerAttempt fresh scans, one of them our own,
	// over ScanWindow. When the deadline stops the phase first, what was
	// scanned is reported as a timeout's evidence, never as absence (the
	// scan budget spent without the rule met is the documented weaker form
	// that still counts as absent).
	ruleMet := fresh >= req.ScansPerAttempt && own > 0 && j.now().Sub(begin) >= req.ScanWindow
	switch {
	case (fresh > 0 || own > 0) && !ruleMet && ctx.Err() != nil:
		j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(false), "incomplete",
			fmt.Sprintf("deadline reached during the scan phase: %q not seen in %d of %d fresh scans over %s (the rule needs %s)", targetName(req),
				fresh, req.ScansPerAttempt, j.now().Sub(begin).Round(time.Second), req.ScanWindow))
	case fresh > 0 || own > 0:
		what := fmt.Sprintf("%q not seen in %d fresh scans over %s (%d BSSes seen)", targetName(req), max(fresh, own),
			j.now().Sub(begin).Round(time.Second), bssSeen)
		j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(false), "absent", what)
		for _, n := range dedupe(near) {
			st.hints = append(st.hints, fmt.Sprintf("did you mean %q?", n))
		}
		if hiddenSeen > 0 && !req.Hidden {
			st.hints = append(st.hints, fmt.Sprintf("%d hidden network(s) present: if %q is hidden, retry with --hidden", hiddenSeen, targetName(req)))
		}
	case unverified > 0:
		j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(false), "unverified",
			fmt.Sprintf("%q not seen, but no scan could be verified complete: %d scans ended only by NetworkManager's LastScan (it moves for failed scans too), %d refused as busy, %d failed",
				targetName(req), unverified, busy, failed))
	case busy+aborted+failed > 0 || hasPiggyback(a.Scans):
		j.note(rec, diagnostics.KindScanVerdict, diagnostics.Bool(false), "no_fresh_scan",
			fmt.Sprintf("no full scan completed: %d refused as busy, %d aborted, %d failed or timed out, %d partial scans by other processes",
				busy, aborted, failed, countPiggyback(a.Scans)))
		st.hints = append(st.hints, "another process keeps the radio scanning or busy; see the report's scans")
	}
	return candidate{}, false
}

func hasPiggyback(scans []diagnostics.ScanRecord) bool { return countPiggyback(scans) > 0 }

func countPiggyback(scans []diagnostics.ScanRecord) int {
	n := 0
	for _, s := range scans {
		if s.Method == diagnostics.ScanMethodPiggyback && s.Outcome == diagnostics.ScanOK {
			n++
		}
	}
	return n
}

// oneScan runs one scan through nl80211, or through NetworkManager for
// hidden networks and when nl80211 is not permitted (no CAP_NET_ADMIN) or
// not available. freqs is the number of channels the scan covered when
// known.
// unverified is set for a NetworkManager scan whose success could not be
// checked (nm.ScanResult.Unverified). since is when the scan phase began:
// hidden BSSes the kernel last saw after it, though not during this scan,
// are counted in the record's HiddenRecent.
func (j *Joiner) oneScan(ctx context.Context, req *Request, dev nm.Device, useNM *bool, since time.Time, observe func(diagnostics.Event)) ([]candidate, diagnostics.ScanRecord, int, bool, error) {
	sctx, cancel := context.WithTimeout(ctx, perScanTimeout)
	defer cancel()
	var ssids [][]byte
	if req.Hidden {
		ssids = [][]byte{req.SSID}
	}
	var (
		cands      []candidate
		record     diagnostics.ScanRecord
		freqs      int
		unverified bool
		err        error
	)
	if !*useNM {
		var res scan.Result
		// The scanner reports each step (trigger, EBUSY refusal with its
		// errno, abort, partial piggy-backed scan, completion) as it happens,
		// with its own timestamps: those go into the timeline as evidence.
		res, err = j.opts.Scanner.Scan(sctx, scan.Request{Ifname: dev.Ifname, SSIDs: ssids, Observe: observe})
		if errors.Is(err, scan.ErrNotPermitted) || errors.Is(err, scan.ErrUnsupported) || errors.Is(err, scan.ErrNoInterface) {
			// Without CAP_NET_ADMIN (or off Linux) only NetworkManager can
			// scan for us; its RequestScan is allowed by polkit.
			j.opts.Log.Debug().Err(err).Msg("nl80211 scan unavailable; using NetworkManager")
			*useNM = true
			return j.oneScan(ctx, req, dev, useNM, since, observe)
		}
		record, freqs = res.Record, len(res.Frequencies)
		// A hidden AP answers no wildcard probe (hostapd's
		// ignore_broadcast_ssid), so a scan sees it only if one of its beacons
		// falls inside the scan's dwell on its channel: mac80211 dwells about
		// 60 ms on a channel it probes actively (IEEE80211_PROBE_DELAY plus
		// IEEE80211_CHANNEL_TIME, HZ/33 each; ieee80211_scan_get_channel_time)
		// against a 102.4 ms beacon interval, so an active scan can miss it
		// several times running. The kernel's table keeps what any scan since the
		// phase began heard (NetworkManager's included): enough for the hint
		// that a hidden network is here, never evidence of absence.
		if record.Outcome == diagnostics.ScanOK {
			record.HiddenRecent = countRecentHidden(res.Stale, j.now().Sub(since))
		}
		for _, b := range res.BSSes {
			cands = append(cands, candidate{SSID: b.SSID, BSSID: strings.ToLower(b.BSSID.String()), FreqMHz: b.FrequencyMHz,
				Channel: b.Channel, Signal: b.SignalDBm, Security: b.Security, viaKernel: true})
		}
	} else {
		var res nm.ScanResult
		res, err = j.nm.RequestScan(sctx, dev, ssids)
		record, unverified = res.Record, res.Unverified
		if record.Method == "" {
			record.Method = diagnostics.ScanMethodNM
		}
		for _, ap := range res.APs {
			cands = append(cands, candidate{SSID: ap.SSID, BSSID: strings.ToLower(ap.BSSID), FreqMHz: int(ap.FrequencyMHz),
				Channel: scan.Channel(int(ap.FrequencyMHz)), Signal: strengthToDBm(ap.Strength), Security: ap.Security})
		}
	}
	if record.Outcome == "" {
		record.Outcome = outcomeOf(err)
	}
	if record.Started.IsZero() {
		record.Started = j.now()
	}
	if record.Ended.IsZero() {
		record.Ended = j.now()
	}
	return cands, record, freqs, unverified, err
}

func targetName(req *Request) string {
	if len(req.SSID) > 0 {
		return diagnostics.PrintableSSID(req.SSID)
	}
	return diagnostics.PrintableSSID(req.SSIDPrefix) + "*"
}

func outcomeOf(err error) string {
	switch {
	case err == nil:
		return diagnostics.ScanOK
	case errors.Is(err, scan.ErrBusy), errors.Is(err, nm.ErrScanBusy):
		return diagnostics.ScanBusyOut
	case errors.Is(err, scan.ErrAborted):
		return diagnostics.ScanAborted
	case errors.Is(err, context.DeadlineExceeded):
		return diagnostics.ScanTimeout
	}
	return diagnostics.ScanFailed
}

// matchSecurity returns the BSSes that fit the request and the security it
// implies, strongest first, and the BSSes of the same SSID left out for
// their security (twins). One SSID is often served by BSSes of different
// security (a venue migrating, or an evil twin: an open BSS louder than the
// real WPA2 one); choosing by signal alone would pick one the request cannot
// join. When no BSS has a compatible security, all matches are returned so
// that chooseSecurity explains the mismatch.
func (j *Joiner) matchSecurity(req *Request, cands []candidate) (matches, twins []candidate) {
	all := j.match(req, cands)
	for _, c := range all {
		if securityFits(req, c.Security) {
			matches = append(matches, c)
		} else {
			twins = append(twins, c)
		}
	}
	if len(matches) == 0 {
		return all, nil
	}
	return matches, twins
}

// securityFits reports whether a BSS advertising sec can be joined with the
// security the request implies: an explicit --security, else a passphrase
// (WPA-PSK or SAE) or none (open).
func securityFits(req *Request, sec string) bool {
	switch req.Security {
	case SecurityOpen:
		return sec == "open"
	case SecurityWPAPSK:
		return sec == "wpa-psk" || sec == "wpa-psk+sae"
	case SecuritySAE:
		return sec == "sae" || sec == "wpa-psk+sae"
	}
	if req.Passphrase != "" {
		return sec == "wpa-psk" || sec == "wpa-psk+sae" || sec == "sae"
	}
	return sec == "open"
}

// twinHint describes a BSS left out for its security.
func twinHint(req *Request, t candidate) string {
	name := diagnostics.PrintableSSID(t.SSID)
	if t.Security == "open" && req.Passphrase != "" {
		return fmt.Sprintf("%q is also served by an open BSS %s (%.0f dBm, channel %d), not used because a passphrase was given; "+
			"an open twin of a secured network may be an impostor", name, t.BSSID, t.Signal, t.Channel)
	}
	return fmt.Sprintf("%q is also served by BSS %s (%s, %.0f dBm, channel %d), not used: its security does not fit the request",
		name, t.BSSID, t.Security, t.Signal, t.Channel)
}

// match returns the BSSes that fit the request, strongest first.
func (j *Joiner) match(req *Request, cands []candidate) []candidate {
	var out []candidate
	for _, c := range cands {
		switch {
		case len(req.SSID) > 0 && !bytes.Equal(c.SSID, req.SSID):
			continue
		case len(req.SSIDPrefix) > 0 && !bytes.HasPrefix(c.SSID, req.SSIDPrefix):
			continue
		case req.BSSID != "" && c.BSSID != req.BSSID:
			continue
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Signal > out[b].Signal })
	return out
}

// countRecentHidden counts the hidden BSSes among stale that the kernel last
// saw no longer than window ago.
func countRecentHidden(stale []scan.BSS, window time.Duration) int {
	n := 0
	for _, b := range stale {
		if b.Hidden() && b.Age <= window {
			n++
		}
	}
	return n
}

func countHidden(cands []candidate) int {
	n := 0
	for _, c := range cands {
		if len(bytes.Trim(c.SSID, "\x00")) == 0 {
			n++
		}
	}
	return n
}

// nearMisses finds SSIDs a person may have meant: equal ignoring case and
// white space, or one edit away.
func nearMisses(cands []candidate, want []byte) []string {
	var bss []scan.BSS
	for _, c := range cands {
		bss = append(bss, scan.BSS{SSID: c.SSID})
	}
	return scan.NearMisses(bss, want)
}

// strengthToDBm maps NetworkManager's 0-100 strength back to dBm, inverting
// its nm_wifi_utils_level_to_quality (-100 dBm = 0 %, -40 dBm = 100 %).
func strengthToDBm(s uint8) float64 { return -100 + float64(s)*0.6 }

// chooseSecurity picks the key management from the request and the BSS.
func chooseSecurity(req *Request, c candidate) (string, error) {
	if req.Security != SecurityAuto && req.Security != "" {
		return req.Security, nil
	}
	name := diagnostics.PrintableSSID(c.SSID)
	switch c.Security {
	case "open":
		if req.Passphrase != "" {
			return "", invalid("security", "%q is an open network but a passphrase was given; use --security open to join it anyway", name)
		}
		return SecurityOpen, nil
	case "wpa-psk", "wpa-psk+sae":
		// In WPA2/WPA3 transition mode WPA-PSK works with every client;
		// NetworkManager still upgrades to SAE when the profile allows it.
		if req.Passphrase == "" {
			return "", invalid("passphrase", "%q is secured (%s): a passphrase is required", name, c.Security)
		}
		return SecurityWPAPSK, ValidatePassphrase(req.Passphrase, SecurityWPAPSK)
	case "sae":
		if req.Passphrase == "" {
			return "", invalid("passphrase", "%q is secured (WPA3-SAE): a passphrase is required", name)
		}
		return SecuritySAE, nil
	case "wep", "owe", "wpa-eap":
		return "", invalid("security", "%q uses %s, which hotspotctl does not configure", name, c.Security)
	}
	if req.Passphrase != "" {
		return SecurityWPAPSK, nil
	}
	return SecurityOpen, nil
}
