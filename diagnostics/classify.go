package diagnostics

import (
	"fmt"
	"strings"
	"time"
)

// Evidence is one observation that justifies a verdict. Line is set when the
// observation came from a log (1-based), so a reader can find it.
type Evidence struct {
	Time   time.Time `json:"time,omitzero"`
	Source Source    `json:"source"`
	Text   string    `json:"text"`
	Line   int       `json:"line,omitempty"`
}

// Verdict is the classification of one join attempt.
type Verdict struct {
	Class    Class      `json:"class"`
	Detail   string     `json:"detail"`
	Evidence []Evidence `json:"evidence"`
	// StatusCode is the 802.11 status code the access point refused the
	// station with (ruleAPRejected), 0 when the verdict rests on none.
	StatusCode int `json:"status_code,omitempty"`
	// Timeout names the exchange that got no answer in time
	// (TimeoutAuthentication, TimeoutAssociation, TimeoutHandshake), ""
	// when the verdict is not a timeout. Retry decisions read these two
	// fields, never Detail.
	Timeout string `json:"timeout,omitempty"`
	// Secrets is SecretsNoAgent when a wrong_key verdict means no key was
	// tried at all: NetworkManager asked its secret agents for one and no
	// agent was registered; "" otherwise.
	Secrets string `json:"secrets,omitempty"`
}

// SecretsNoAgent is Verdict.Secrets (and Attempt.Secrets) for a profile
// whose key NetworkManager had to ask a secret agent for, with none there:
// an agent-owned key (psk-flags 1, stored by a desktop session's keyring)
// before anyone logged in, or a profile saved without its key, joined from a
// service or an ssh session. Its "No agents were available for this
// request" (nm-agent-manager.c) comes before any association, so the key
// was never rejected: retyping it does not help, storing it for the system
// does.
const SecretsNoAgent = "no_agent"

// Timeout kinds of a Verdict (and an Attempt).
const (
	TimeoutAuthentication = "authentication" // no answer to 802.11 authentication
	TimeoutAssociation    = "association"    // no answer to association, or NetworkManager's association timer
	TimeoutHandshake      = "handshake"      // the AP timed out a handshake after the key was accepted
)

func evidenceOf(evs ...Event) []Evidence {
	out := make([]Evidence, 0, len(evs))
	for _, e := range evs {
		out = append(out, Evidence{Time: e.Time, Source: e.Source, Text: e.String(), Line: e.Line})
	}
	return out
}

// Classify reduces one attempt's ordered events to a verdict. The rules are
// tried from the most to the least specific (docs/taxonomy.md lists them):
// an explicit signal (PskMismatch, an 802.11 status code, a refused scan)
// always beats NetworkManager's terminal reason, because NetworkManager folds
// several causes into one reason (a wrong key and a vanished AP can both end in
// "no-secrets"; a refused scan and an absent network both end in
// "ssid-not-found"). Classify never fails: with no rule matching it returns
// Unknown, with every failure event as evidence.
func Classify(events []Event) Verdict {
	for _, r := range rules {
		if v, ok := r(events); ok {
			return v
		}
	}
	var fails []Event
	for _, e := range events {
		if isFailure(e) {
			fails = append(fails, e)
		}
	}
	if len(fails) == 0 {
		return Verdict{Class: Unknown, Detail: "no failure was observed", Evidence: []Evidence{}}
	}
	return Verdict{Class: Unknown, Detail: "no rule explains the failure", Evidence: evidenceOf(fails...)}
}

type rule func([]Event) (Verdict, bool)

var rules = []rule{
	ruleInvalidInput,
	ruleLock,
	ruleJoined,
	ruleInterrupted,
	rulePermission,
	ruleBackend,
	ruleRadio,
	ruleDevice,
	ruleSuperseded,
	ruleWrongKey,
	ruleKernelHandshakeDrop,
	ruleHandshakeTimeoutAfterKey,
	ruleAPRejected,
	ruleLinkDrops,
	ruleDHCP,
	ruleScan,
	ruleAssocTimeout,
	ruleAuthLoop,
	ruleDeadline,
}

func isFailure(e Event) bool {
	switch e.Kind {
	case KindDeviceState:
		return e.State == "failed"
	case KindActiveState:
		return e.State == "deactivated" && e.Code > 1
	case KindAuthStatus, KindAssocStatus:
		return e.Code != 0
	case KindPskMismatch, KindSAEFailure, KindAuthTimeout, KindAssocTimeout, KindScanBusy,
		KindScanAborted, KindPermission, KindDeadline, KindInvalidInput, KindInterrupted, KindSuperseded:
		return true
	case KindScanDone, KindDHCP, KindBackend, KindRadio, KindDevice, KindLock:
		return e.Failed()
	case KindDisconnect:
		// A negative reason is wpa_supplicant's mark for a disconnection
		// the station made itself (leaving on purpose, switching networks).
		return e.Code > 0
	case KindScanVerdict:
		return e.Name != "found"
	}
	return false
}

// last returns the last event of kind k, and whether there was one.
func last(events []Event, k Kind) (Event, bool) {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind == k {
			return events[i], true
		}
	}
	return Event{}, false
}

func find(events []Event, pred func(Event) bool) []Event {
	var out []Event
	for _, e := range events {
		if pred(e) {
			out = append(out, e)
		}
	}
	return out
}

func ruleInvalidInput(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindInvalidInput); ok {
		return Verdict{Class: InvalidInput, Detail: e.Message, Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// ruleJoined: a join counts only when nothing failed after it; a device that
// activated and then dropped (AP gone, DHCP lease lost) is a failure.
func ruleJoined(evs []Event) (Verdict, bool) {
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		if e.Kind == KindJoined {
			return Verdict{Class: None, Detail: e.Message, Evidence: evidenceOf(e)}, true
		}
		if e.Kind == KindDeviceState && (e.State == "failed" || e.State == "disconnected" || e.State == "deactivating") {
			return Verdict{}, false
		}
	}
	return Verdict{}, false
}

// ruleLock: another join held the interface's lock for as long as this one
// could wait, so this join touched nothing.
func ruleLock(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindLock); ok && e.Failed() {
		return Verdict{Class: InterfaceBusy, Detail: firstNonEmpty(e.Message, "interface lock held by another join"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// ruleInterrupted: a cancelled join is its own outcome. Whatever the events
// before the cancellation showed, the attempt was cut short, so naming one of
// them (or the deadline) as the cause would be made up.
func ruleInterrupted(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindInterrupted); ok {
		return Verdict{Class: Interrupted, Detail: firstNonEmpty(e.Message, "interrupted"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// ruleSuperseded: NetworkManager ended our own activation for someone else
// (join records KindSuperseded only for its own active connection).
func ruleSuperseded(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindSuperseded); ok {
		return Verdict{Class: Superseded, Detail: firstNonEmpty(e.Message, "activation ended by another client"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// LinkDrops returns the disconnections the access point caused while the
// link was up (wpa_supplicant in "completed"): DisconnectReason values > 0,
// which wpa_supplicant sets from the AP's deauthentication or disassociation
// frame (negative values are the station's own). wpa_supplicant sends the
// reason before (or in the same batch as) the state change it causes, and
// status codes are emitted first (nm.Client.Events), so the state at the
// drop is still "completed". A drop during the handshake is the key's
// business (ruleWrongKey), and a drop of another connection's link (one
// NetworkManager autoconnected, then took down for ours) comes with a
// locally generated reason; neither counts. NetworkManager keeps a device
// "activated" through short supplicant drops, so these are the only sign
// of an AP that keeps throwing us out.
//
// In a kernel-only log (dmesg) the link is up after an association to an
// open network (AssocResp without the Privacy bit: there is no handshake)
// or after "link becomes ready"; a new "authenticate with" starts over.
//
// A drop with nothing of its link before it in the attempt (an excerpt that
// begins on an established connection) does not count: what came before is
// unknown (a validation excerpt labelled dhcp_failed turned assoc_rejected
// when it did).
func LinkDrops(evs []Event) []Event {
	kernel := kernelOnly(evs)
	var out []Event
	up := false
	for _, e := range evs {
		switch {
		case e.Kind == KindSupplicantState:
			up = e.State == "completed"
		case kernel && e.Source == SourceKernel && e.Kind == KindAssocStatus && e.Code == 0:
			up = e.Name == CapabOpen
		case kernel && e.Source == SourceKernel && e.Kind == KindNote && e.Name == NoteLinkReady:
			up = true
		case kernel && e.Source == SourceKernel && e.Kind == KindNote && e.Name == "authenticate":
			up = false
		case e.Kind == KindDisconnect && e.Code > 0 && up:
			out = append(out, e)
		}
	}
	return out
}

// LinkDropLimit is how many AP-caused drops after the link came up end an
// attempt: one drop is a roam or a glitch NetworkManager rides out, three
// is an AP that will not keep us.
const LinkDropLimit = 3

// ruleLinkDrops: the access point deauthenticated or disassociated us
// repeatedly after association, or once with the attempt ending without a
// join. The last 802.11 reason code is the detail.
func ruleLinkDrops(evs []Event) (Verdict, bool) {
	drops := LinkDrops(evs)
	if len(drops) == 0 {
		return Verdict{}, false
	}
	e := drops[len(drops)-1]
	detail := fmt.Sprintf("the access point dropped the link %d time(s) after association: reason %d (%s)", len(drops), e.Code, ReasonCodeText(e.Code))
	return Verdict{Class: AssocRejected, Detail: detail, Evidence: evidenceOf(drops...)}, true
}

func rulePermission(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindPermission); ok {
		return Verdict{Class: PermissionDenied, Detail: e.Message, Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// ruleBackend: only a backend that stayed unreachable is the cause. When
// NetworkManager restarts mid-join it comes back, and the rest of the events
// decide.
func ruleBackend(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindBackend); ok && e.Failed() {
		return Verdict{Class: BackendUnavailable, Detail: firstNonEmpty(e.Message, e.Name, "backend unreachable"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

func ruleRadio(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindRadio); ok && e.Failed() {
		return Verdict{Class: RadioOff, Detail: firstNonEmpty(e.Name, e.Message, "radio off"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

func ruleDevice(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindDevice); ok && e.Failed() {
		return Verdict{Class: DeviceUnavailable, Detail: firstNonEmpty(e.Name, e.Message, "device unavailable"), Evidence: evidenceOf(e)}, true
	}
	// NetworkManager moving the device to unmanaged or unavailable while we
	// wait is the same cause seen from the other side. "unavailable" also
	// follows an rfkill block, but then a radio event has already matched.
	if e, ok := last(evs, KindDeviceState); ok && (e.State == "unmanaged" || e.State == "unavailable") {
		return Verdict{Class: DeviceUnavailable, Detail: "device became " + e.State + " (" + e.Name + ")", Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

// handshakeStates are wpa_supplicant states after association, where a drop
// means the key was refused rather than the AP.
var handshakeStates = map[string]bool{"4way_handshake": true, "group_handshake": true}

// ruleWrongKey: wpa_supplicant's PskMismatch (emitted since 2.6 when the
// 4-way handshake fails at message 2/4, which the AP only answers by silence),
// an SAE confirm failure, or NetworkManager's no-secrets after the
// supplicant reached the handshake. NetworkManager reports a failed handshake
// as NEED_AUTH then FAILED/no-secrets because it asks its secret agents for a
// new key (nm-device-wifi.c, handle_auth_or_fail); with no agent that is a
// final no-secrets.
func ruleWrongKey(evs []Event) (Verdict, bool) {
	if hits := find(evs, func(e Event) bool { return e.Kind == KindPskMismatch }); len(hits) > 0 {
		return Verdict{Class: WrongKey, Detail: "4-way handshake failed: pre-shared key mismatch", Evidence: evidenceOf(hits...)}, true
	}
	if len(HandshakeTimeoutsAfterKey(evs)) > 0 {
		// The key already worked in this activation: NetworkManager's
		// need-auth/no-secrets that follows is its reflex to any
		// handshake failure, not evidence against the key.
		return Verdict{}, false
	}
	if hits := find(evs, func(e Event) bool { return e.Kind == KindSAEFailure }); len(hits) > 0 {
		return Verdict{Class: WrongKey, Detail: "SAE authentication failed: password mismatch", Evidence: evidenceOf(hits...)}, true
	}
	if hits := KernelSAEConfirmRejected(evs); len(hits) > 0 {
		last := hits[len(hits)-1]
		return Verdict{Class: WrongKey, Detail: fmt.Sprintf("SAE confirm rejected (status %d) after the commit exchange, as the kernel logged it: password mismatch", last.Code), Evidence: evidenceOf(hits...)}, true
	}
	if hits := saeConfirmRejected(evs); len(hits) > 0 {
		last := hits[len(hits)-1]
		return Verdict{Class: WrongKey, Detail: fmt.Sprintf("SAE confirm rejected (status %d): password mismatch", last.Code), Evidence: evidenceOf(hits...)}, true
	}
	handshake := find(evs, func(e Event) bool {
		return (e.Kind == KindSupplicantState && handshakeStates[e.State]) ||
			(e.Kind == KindDisconnect && (e.Code == 15 || e.Code == -15))
	})
	noSecrets := find(evs, func(e Event) bool {
		return (e.Kind == KindDeviceState && e.State == "failed" && e.Code == ReasonNoSecrets) ||
			(e.Kind == KindActiveState && (e.Code == ActiveReasonNoSecrets || e.Code == ActiveReasonLoginFailed))
	})
	needAuth := find(evs, func(e Event) bool { return e.Kind == KindDeviceState && e.State == "need-auth" })
	// An AP that refused us outright also ends in need-auth/no-secrets:
	// NetworkManager cannot tell a refusal from a bad key and asks for
	// secrets again. Only a drop during the handshake pins it on the key.
	// No key to try: NetworkManager said at the activation's start that
	// the profile lacked its secrets, no agent answered, and nothing of
	// the attempt reached an access point. The "secrets are required"
	// line is demanded because an excerpt may lack wpa_supplicant's
	// states (grepped for "state change"), and a need-auth after a
	// failed handshake then looks the same (review, 2026-12-03).
	if len(noSecrets) > 0 && len(handshake) == 0 && !rejectedByAP(evs) && !assocTimedOut(evs) && !associationTried(evs) {
		required := find(evs, func(e Event) bool { return e.Kind == KindNote && e.Name == NoteSecretsRequired })
		agents := find(evs, func(e Event) bool { return e.Kind == KindNote && e.Name == NoteNoSecretAgent })
		reasked := find(evs, func(e Event) bool {
			return (e.Kind == KindNote && (e.Name == "asking for new secrets" || e.Name == "association took too long")) ||
				(e.Kind == KindDeviceState && e.State == "need-auth" && e.Code != 0)
		})
		if len(required) > 0 && len(agents) > 0 && len(reasked) == 0 {
			ev := append(append(append(append([]Event{}, required...), needAuth...), agents...), noSecrets...)
			return Verdict{Class: WrongKey, Secrets: SecretsNoAgent,
				Detail:   "no key was tried: NetworkManager asked its secret agents for the network's key and none was available (no-secrets)",
				Evidence: evidenceOf(ev...)}, true
		}
	}
	if len(noSecrets) > 0 && (len(handshake) > 0 || (len(needAuth) > 0 && !rejectedByAP(evs) && !assocTimedOut(evs))) {
		ev := append(append(append([]Event{}, handshake...), needAuth...), noSecrets...)
		return Verdict{Class: WrongKey, Detail: "key rejected: NetworkManager needed new secrets after the handshake", Evidence: evidenceOf(ev...)}, true
	}
	if len(noSecrets) > 0 && !rejectedByAP(evs) && !assocTimedOut(evs) {
		return Verdict{Class: WrongKey, Detail: "no valid secrets for the network", Evidence: evidenceOf(noSecrets...)}, true
	}
	// The join stops at need-auth after a handshake failure, before
	// NetworkManager's no-secrets: NetworkManager's need-auth there is a
	// request to the secret agents for a new key
	// (handle_8021x_or_psk_auth_fail, with ALLOW_INTERACTION), which on a
	// desktop is a password dialog. A need-auth that follows a handshake drop is the verdict.
	if hits := needAuthAfterHandshake(evs); len(hits) > 0 {
		return Verdict{Class: WrongKey, Detail: "key rejected: the 4-way handshake failed and NetworkManager asked for new secrets", Evidence: evidenceOf(hits...)}, true
	}
	return Verdict{}, false
}

// handshakeDropReasons are the 802.11 reason codes an access point gives
// when it ends a station's 4-way (or 802.1X) handshake: 2 (previous
// authentication no longer valid, what many vendors' APs send when message
// 2/4's MIC does not verify), 14 (MIC failure), 15 and 16 (4-way and group
// key handshake timeouts, hostapd's after its retries) and 23 (802.1X
// authentication failed). Reasons about the AP's own state (3 leaving, 4
// inactivity, 5 too many stations, 8 disassociated leaving) and class 2/3
// frame errors (6, 7) say nothing about the key.
var handshakeDropReasons = map[int]bool{2: true, 14: true, 15: true, 16: true, 23: true}

// handshakeDropWindow bounds the time from association to the AP's drop
// for it to be the handshake's end: hostapd gives up on message 1/4 after
// its retries (dot11RSNAConfigPairwiseUpdateCount 4, 1 s then 100 ms
// timeouts, wpa_auth.c) in about 4 s, as other vendors' APs do (the
// wwanHotspot OpenWrt log: 4 s, twice); a drop much later is the link's.
const handshakeDropWindow = 10 * time.Second

// KernelHandshakeDrops returns, for a log of the kernel's lines alone (no
// wpa_supplicant or NetworkManager event in evs), the access point's
// disconnections that came within handshakeDropWindow of a successful
// association, with a handshake reason code, before the link became
// ready. It is wpa_supplicant's own reading of a disconnection during the
// 4-way handshake ("WPA: 4-Way Handshake failed - pre-shared key may be
// incorrect", wpa_supplicant_event_disconnect, events.c), made from
// mac80211's lines when wpa_supplicant's are not in the log. nil when any
// other program's event is in evs: wpa_supplicant and NetworkManager say
// more, and their rules decide (a live join always has them).
//
// Only an association whose AssocResp showed the Privacy bit counts: an open
// network has no handshake to fail, and "link becomes ready" cannot tell
// the two apart (printed once per interface; the lab's deauth-loop, an open
// AP dropping with reason 2, has it for the first association only).
func KernelHandshakeDrops(evs []Event) []Event {
	if !kernelOnly(evs) {
		return nil
	}
	var out []Event
	var assocEv Event
	assoc := false
	privacy := "" // the association's AssocResp: CapabPrivacy, CapabOpen or "" (not shown)
	readyEarlier := false
	for _, e := range evs {
		switch {
		case e.Source != SourceKernel:
			continue
		case e.Kind == KindNote && e.Name == NoteLinkReadyEarlier:
			readyEarlier = true
		case e.Kind == KindAssocStatus && e.Code == 0, e.Kind == KindNote && e.Name == NoteAssociated:
			if !assoc {
				assoc, assocEv = true, e
			}
			if e.Kind == KindAssocStatus {
				privacy = e.Name
			}
		case e.Kind == KindNote && e.Name == NoteLinkReady:
			assoc, readyEarlier = false, true
		case e.Kind == KindNote && e.Name == "authenticate":
			assoc, privacy = false, ""
		case e.Kind == KindDisconnect:
			if d, ok := SinceEvent(assocEv, e); assoc && ok && d <= handshakeDropWindow && handshakeDrop(e.Code, privacy, readyEarlier) {
				out = append(out, e)
			}
			assoc = false
		}
	}
	return out
}

// handshakeDrop decides whether an AP's drop with reason code after an
// association (privacy from its AssocResp, readyEarlier when the interface
// printed "link becomes ready" before in the log) ended a handshake. Reasons
// 14, 15, 16 and 23 name a key exchange: they count unless the network is
// known open. Reason 2 is any AP's generic drop: it counts only on a network
// known to have a key, and only while "link becomes ready" could still be
// printed for this interface (it is printed once: after an earlier one its
// absence proves nothing; review, 2026-12-03: a WPA2 AP's deauth loop).
func handshakeDrop(code int, privacy string, readyEarlier bool) bool {
	if !handshakeDropReasons[code] || privacy == CapabOpen {
		return false
	}
	if code == 2 {
		return privacy == CapabPrivacy && !readyEarlier
	}
	return true
}

// kernelOnly reports whether no other stack's event is in evs: with
// wpa_supplicant, NetworkManager, iwd, connman, Android or hotspotctl
// in the log, their rules decide (they say more than mac80211, and a
// live join always has them).
func kernelOnly(evs []Event) bool {
	for _, e := range evs {
		switch e.Source {
		case SourceSupplicant, SourceNM, SourceNMDevice, SourceNMActive, SourceIwd, SourceConnman, SourceAndroid, SourceHotspotctl:
			return false
		}
	}
	return true
}

// ruleKernelHandshakeDrop: in a kernel-only log, the access point ended
// the association seconds after it began, before the link was ready, with
// a handshake reason code: the handshake did not complete, which is
// wrong_key as wpa_supplicant itself would say it.
func ruleKernelHandshakeDrop(evs []Event) (Verdict, bool) {
	hits := KernelHandshakeDrops(evs)
	if len(hits) == 0 {
		return Verdict{}, false
	}
	e := hits[len(hits)-1]
	detail := fmt.Sprintf("the access point disconnected the station %d time(s) within seconds of association, before the link was ready: reason %d (%s); "+
		"the 4-way handshake did not complete, so the pre-shared key may be incorrect", len(hits), e.Code, ReasonCodeText(e.Code))
	return Verdict{Class: WrongKey, Detail: detail, Evidence: evidenceOf(hits...)}, true
}

// HandshakeTimeoutsAfterKey returns the handshake timeouts (802.11 reason
// 15, 4-way handshake timeout, or 16, group key handshake timeout) that came
// after wpa_supplicant had completed a handshake in the same activation (the
// events after the last activation start, or all of them in a log excerpt
// without one). wpa_supplicant reaches "completed" from a handshake state
// only after message 3/4's MIC verified with the key derived from the
// passphrase, so the key was right; a later timeout is the access point
// giving up on a retransmitted or rekeying handshake — hostapd sends message
// 1/4 again when message 4/4 does not reach it and deauthenticates with
// reason 15 after its retries (lab: a loaded host, FINDINGS "A right key can
// look like a wrong key"). NetworkManager still answers it with need-auth
// and no-secrets, the wrong-key signature.
func HandshakeTimeoutsAfterKey(evs []Event) []Event {
	from := 0
	for i, e := range evs {
		if e.Kind == KindActivationStart {
			from = i
		}
	}
	var out []Event
	inHandshake, verified, nmVerified, sawSupplicant := false, false, false, false
	for _, e := range evs[from:] {
		switch {
		case e.Kind == KindSupplicantState:
			sawSupplicant = true
			if handshakeStates[e.State] {
				inHandshake = true
			} else if e.State == "completed" {
				if inHandshake {
					verified = true
				}
				inHandshake = false
			}
		case e.Kind == KindDisconnect && verified && (e.Code == 15 || e.Code == 16):
			out = append(out, e)
		case e.Kind == KindDeviceState && e.OldState == "config" && e.State == "ip-config":
			// NetworkManager leaves config for ip-config only when
			// wpa_supplicant reports "completed" (nm-device-wifi.c,
			// supplicant_iface_state_cb): the handshake succeeded.
			nmVerified = true
		case e.Kind == KindDeviceState && nmVerified && !sawSupplicant && e.State == "need-auth" && e.Code == ReasonSupplicantDisconn:
			// Without wpa_supplicant's signals (a non-root caller) the
			// reason code is not visible; NetworkManager's need-auth after
			// ip-config is the drop.
			out = append(out, e)
		}
	}
	return out
}

// ruleHandshakeTimeoutAfterKey: the access point timed out a handshake
// after the key had already been accepted in this activation. It is the
// AP not answering in time (assoc_rejected, retried like the other
// timeouts), never wrong_key.
func ruleHandshakeTimeoutAfterKey(evs []Event) (Verdict, bool) {
	hits := HandshakeTimeoutsAfterKey(evs)
	if len(hits) == 0 {
		return Verdict{}, false
	}
	e := hits[len(hits)-1]
	detail := fmt.Sprintf("the key was accepted, then the access point timed out a later handshake: reason %d (%s)", e.Code, ReasonCodeText(e.Code))
	if e.Kind == KindDeviceState {
		detail = "the key was accepted (NetworkManager reached ip-config), then the link was lost (supplicant-disconnect); the 802.11 reason is not visible without wpa_supplicant's signals"
	}
	return Verdict{Class: AssocRejected, Detail: detail, Evidence: evidenceOf(hits...), Timeout: TimeoutHandshake}, true
}

// needAuthAfterHandshake returns a handshake-failure event and the device's
// need-auth that followed it, or nil. A need-auth before association (the
// round NetworkManager makes through need-auth for every secured profile)
// does not count: only one after the supplicant reached the handshake and
// dropped, or after PskMismatch.
func needAuthAfterHandshake(evs []Event) []Event {
	var inHandshake bool
	var failed *Event
	for i, e := range evs {
		switch {
		case e.Kind == KindSupplicantState && handshakeStates[e.State]:
			inHandshake = true
		case e.Kind == KindPskMismatch:
			failed = &evs[i]
		case e.Kind == KindDisconnect && inHandshake:
			failed = &evs[i]
		case e.Kind == KindSupplicantState && e.State == "disconnected" && inHandshake && failed == nil:
			failed = &evs[i]
		case e.Kind == KindSupplicantState && e.State == "completed":
			inHandshake, failed = false, nil
		case e.Kind == KindDeviceState && e.State == "need-auth" && failed != nil:
			return []Event{*failed, e}
		}
	}
	return nil
}

// saeConfirmRejected finds an authentication that succeeded and was then
// refused without wpa_supplicant leaving the authenticating state. Open
// System authentication is one exchange, so that sequence is SAE's commit
// accepted and confirm refused: hostapd 2.10 answers a confirm whose key
// does not verify with status 1 (lab: wrong-key-sae), which is how a wrong
// WPA3 password shows. A MAC filter or a full AP refuses the commit itself.
func saeConfirmRejected(evs []Event) []Event {
	var commit *Event
	for i, e := range evs {
		switch {
		case e.Kind == KindSupplicantState && e.State != "authenticating":
			commit = nil
		case e.Kind == KindAuthStatus && e.Code == 0:
			commit = &evs[i]
		case e.Kind == KindAuthStatus && e.Code != 0 && commit != nil:
			return []Event{*commit, e}
		}
	}
	return nil
}

// saeFrameGap bounds the time between the kernel's two "authenticate with"
// lines of one SAE exchange (commit, then confirm): the lab's hwsim took
// 150 ms; real radios take tens of milliseconds.
const saeFrameGap = 2 * time.Second

// KernelSAEConfirmRejected finds, in the kernel's lines, an SAE exchange
// whose confirm was refused. mac80211 prints "authenticate with" for every
// authentication frame wpa_supplicant hands it (NL80211_CMD_AUTHENTICATE)
// and nothing for an SAE commit the AP accepted, so a WPA3 join with a wrong
// password shows in dmesg as two "authenticate with" to the same BSSID, the
// second within saeFrameGap of the first with no outcome between, then
// "denied authentication (status N)" (lab: wrong-key-sae, status 1, hostapd's
// answer to a confirm that does not verify). Open System authentication is
// one frame, so a refusal after a single "authenticate with" stays the AP's
// (assoc_rejected). Status 17 (AP full) and 30 (try later) are the AP's own
// state, never the password's. mac80211 does not print the anti-clogging
// (76) and H2E answers to a commit as denials (ieee80211_rx_mgmt_auth waits
// for userspace instead). Kernel-only logs (kernelOnly): with wpa_supplicant's
// lines, saeConfirmRejected reads the exchange itself. It returns the two
// "authenticate" notes and the denial, or nil.
func KernelSAEConfirmRejected(evs []Event) []Event {
	if !kernelOnly(evs) {
		return nil
	}
	var first, second *Event
	for i, e := range evs {
		if e.Source != SourceKernel {
			continue
		}
		switch {
		case e.Kind == KindNote && e.Name == "authenticate":
			if first != nil && second == nil && e.BSSID != "" && first.BSSID == e.BSSID && first.Iface == e.Iface {
				if d, ok := SinceEvent(*first, e); ok && d <= saeFrameGap {
					second = &evs[i]
					continue
				}
			}
			first, second = &evs[i], nil
		case e.Kind == KindNote && strings.HasPrefix(e.Name, "send auth"):
			// The frame's own (re)transmissions.
		case e.Kind == KindAuthStatus && e.Code != 0 && second != nil && e.BSSID == second.BSSID && e.Iface == second.Iface:
			if e.Code == 17 || e.Code == 30 {
				return nil
			}
			return []Event{*first, *second, e}
		default:
			first, second = nil, nil
		}
	}
	return nil
}

// associationTried reports whether the attempt got as far as talking to an
// access point: wpa_supplicant authenticating or beyond, an 802.11 status
// or timeout, a disconnection, the kernel's association, a PSK mismatch.
// A key that NetworkManager never had cannot have been tried before it.
func associationTried(evs []Event) bool {
	return len(find(evs, func(e Event) bool {
		switch e.Kind {
		case KindSupplicantState:
			return scanPastStates[e.State]
		case KindAuthStatus, KindAssocStatus, KindAuthTimeout, KindAssocTimeout, KindDisconnect, KindPskMismatch, KindSAEFailure:
			return true
		case KindNote:
			return e.Name == NoteAssociated || e.Name == NoteTryAuth || e.Name == NoteTryAssoc || e.Name == "authenticate"
		}
		return false
	})) > 0
}

// scanPastStates are wpa_supplicant's states of a join under way.
var scanPastStates = map[string]bool{
	"authenticating": true, "associating": true, "associated": true, "4way_handshake": true, "group_handshake": true, "completed": true,
}

// assocTimedOut reports an association request that got no answer: the
// key is only tried in the 4-way handshake after association, so a
// no-secrets that follows it says nothing about the key. (Authentication
// timeouts do not count: a wrong SAE password can look like one.)
func assocTimedOut(evs []Event) bool {
	_, ok := last(evs, KindAssocTimeout)
	return ok
}

func rejectedByAP(evs []Event) bool {
	return len(find(evs, func(e Event) bool {
		return (e.Kind == KindAuthStatus || e.Kind == KindAssocStatus) && e.Code != 0
	})) > 0
}

// ruleAPRejected: an explicit non-zero 802.11 status code in an
// authentication or association response. The status code is the detail.
func ruleAPRejected(evs []Event) (Verdict, bool) {
	// A negative code is no 802.11 status: wpa_supplicant's -1 for a
	// local failure (as Matter's logs relay AssocStatusCode), not the AP
	// refusing. Such an attempt is left to the other rules.
	hits := find(evs, func(e Event) bool {
		return (e.Kind == KindAuthStatus || e.Kind == KindAssocStatus) && e.Code > 0
	})
	if len(hits) == 0 {
		return Verdict{}, false
	}
	e := hits[len(hits)-1]
	what := "association"
	if e.Kind == KindAuthStatus {
		what = "authentication"
	}
	detail := fmt.Sprintf("%s rejected: status %d (%s)", what, e.Code, StatusCodeText(e.Code))
	v := Verdict{Class: AssocRejected, Detail: detail, Evidence: evidenceOf(hits...)}
	if e.Code > 0 {
		// Negative values are no 802.11 status (wpa_supplicant's -1
		// for a local failure, as Matter logs relay it).
		v.StatusCode = e.Code
	}
	return v, true
}

func ruleDHCP(evs []Event) (Verdict, bool) {
	hits := find(evs, func(e Event) bool {
		switch e.Kind {
		case KindDHCP:
			return e.Failed()
		case KindDeviceState:
			return e.State == "failed" && (e.Code == ReasonIPConfigUnavailable || e.Code == ReasonDHCPStartFailed ||
				e.Code == ReasonDHCPError || e.Code == ReasonDHCPFailed)
		case KindActiveState:
			return e.State == "deactivated" && e.Code == ActiveReasonIPConfigInvalid
		}
		return false
	})
	if len(hits) == 0 {
		if d := DHCPUnanswered(evs); d != nil {
			detail := fmt.Sprintf("no IPv4 lease: the DHCP client sent %d discovers and no server answered", len(d))
			if span, ok := SinceEvent(d[0], d[len(d)-1]); ok && span >= time.Second {
				detail = fmt.Sprintf("no IPv4 lease: the DHCP client sent %d discovers in %s and no server answered", len(d), span.Round(time.Second))
			}
			return Verdict{Class: DHCPFailed, Detail: detail, Evidence: evidenceOf(d...)}, true
		}
		return Verdict{}, false
	}
	detail := "no IPv4 lease"
	for _, e := range hits {
		if e.Kind == KindDeviceState {
			detail = "no IPv4 lease (" + e.Name + ")"
		}
	}
	return Verdict{Class: DHCPFailed, Detail: detail, Evidence: evidenceOf(hits...)}, true
}

// dhcpUnansweredDiscovers is how many discovers with no answer show a
// DHCP server that does not answer: dhclient sends its first three within
// about 10 s (intervals 3, 7, 12... with its exponential backoff,
// dhclient.c send_discover) and udhcpc its default three (-t 3) 3 s apart
// before "No lease"; a server that answers does so to the first.
const dhcpUnansweredDiscovers = 3

// DHCPUnanswered returns the DHCP client's discovers after the last
// answer (an offer, an acknowledgement or a lease), when there are at
// least dhcpUnansweredDiscovers of them, else nil: the client kept asking
// and no server answered, which is what a log captured before the client
// gives up ("No DHCPOFFERS received" comes after 60 s) shows.
func DHCPUnanswered(evs []Event) []Event {
	var out []Event
	for _, e := range evs {
		switch {
		case e.Kind == KindNote && e.Name == NoteDHCPDiscover:
			out = append(out, e)
		case e.Kind == KindNote && (e.Name == NoteDHCPOffer || e.Name == NoteDHCPAck), e.Kind == KindDHCP && e.Succeeded():
			out = nil
		}
	}
	if len(out) < dhcpUnansweredDiscovers {
		return nil
	}
	return out
}

// ruleScan separates "absent" from "could not look". A network counts as
// absent only when at least one scan completed successfully after the attempt
// began; NetworkManager's ssid-not-found (which it also reports after a 25 s
// association timeout when its scan list is stale or its scans were refused)
// is believed only with such a scan behind it.
func ruleScan(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindScanVerdict); ok {
		switch e.Name {
		case "absent":
			return Verdict{Class: NotFound, Detail: firstNonEmpty(e.Message, "not seen in fresh scans"), Evidence: evidenceOf(scanEvidence(evs, e)...)}, true
		case "no_fresh_scan", "unverified":
			// "unverified": scans whose completion could not be checked
			// (no wpa_supplicant ScanDone) prove presence only.
			return Verdict{Class: ScanBusy, Detail: firstNonEmpty(e.Message, "no scan completed"), Evidence: evidenceOf(scanEvidence(evs, e)...)}, true
		case "incomplete":
			// The deadline stopped the scan phase before the evidence rule
			// was met: what was scanned is evidence, not a verdict.
			return Verdict{Class: Timeout, Detail: firstNonEmpty(e.Message, "deadline reached during the scan phase"), Evidence: evidenceOf(scanEvidence(evs, e)...)}, true
		}
	}
	nf := find(evs, func(e Event) bool {
		return e.Kind == KindDeviceState && e.State == "failed" && e.Code == ReasonSSIDNotFound
	})
	if len(nf) == 0 {
		return Verdict{}, false
	}
	// Our scan saw the target, then NetworkManager gave up with
	// ssid-not-found, and wpa_supplicant's status codes were not visible: an
	// AP that refuses authentication looks exactly like this (NetworkManager
	// calls it ssid-not-found after its association timer), so absence is
	// not what the evidence shows.
	seen := find(evs, func(e Event) bool { return e.Kind == KindScanVerdict && e.Name == "found" })
	blind := find(evs, func(e Event) bool { return e.Kind == KindNote && e.Name == NoteSupplicantUnavailable })
	if len(seen) > 0 && len(blind) > 0 {
		return Verdict{Class: AssocRejected, Detail: "seen by our scan, but NetworkManager could not connect (ssid-not-found); the AP's 802.11 status code is not visible without wpa_supplicant's signals",
			Evidence: evidenceOf(append(append(seen, blind...), nf...)...)}, true
	}
	if tries := AuthNeverAnswered(evs); len(tries) > 0 {
		return Verdict{Class: AssocRejected,
			Detail:   fmt.Sprintf("authentication timed out: found and tried %d time(s), never answered (NetworkManager says ssid-not-found)", len(tries)),
			Evidence: evidenceOf(append(tries, nf...)...), Timeout: TimeoutAuthentication}, true
	}
	// A deferral ("scan already in progress") is a request that waits for
	// the scan running, which completes: one alone is no refusal. Two or
	// more with no scan completing in the attempt (checked below) are
	// requests that never ran, as are deferrals that show a caller's
	// scans never running (deferralsRefuse). An attempt is shorter than
	// deferralsRefuse's minute, so inside one the count decides (review,
	// 2026-12-03: six of wpa_supplicant's "Reject scan trigger since one
	// is already pending" and no scan completing are scan_busy).
	refused := find(evs, func(e Event) bool {
		return (e.Kind == KindScanBusy && e.Name != ScanDeferred) || e.Kind == KindScanAborted || (e.Kind == KindScanDone && e.Failed())
	})
	if deferred := find(evs, func(e Event) bool { return e.Kind == KindScanBusy && e.Name == ScanDeferred }); len(deferred) >= 2 || deferralsRefuse(deferred) {
		refused = append(refused, deferred...)
	}
	fresh := find(evs, func(e Event) bool { return e.Kind == KindScanDone && !e.Failed() })
	if len(refused) > 0 && len(fresh) == 0 {
		return Verdict{Class: ScanBusy, Detail: fmt.Sprintf("%d scans refused or aborted, none completed", len(refused)), Evidence: evidenceOf(append(refused, nf...)...)}, true
	}
	// NetworkManager says ssid-not-found when its 25 s association timer
	// fires before wpa_supplicant found the SSID (nm-device-wifi.c,
	// supplicant_connection_timeout_cb: "association took too long"). That
	// is a timer, not a scan: without a completed scan in the log (a scan
	// result, or wpa_supplicant leaving its scanning state for
	// disconnected or inactive, which it does when a scan found nothing to
	// join) it proves no absence, only that the time ran out.
	scanned := find(evs, func(e Event) bool {
		return e.Kind == KindSupplicantState && e.OldState == "scanning" && (e.State == "disconnected" || e.State == "inactive")
	})
	timer := find(evs, func(e Event) bool { return e.Kind == KindNote && e.Name == "association took too long" })
	if len(fresh) == 0 && len(scanned) == 0 && len(timer) > 0 {
		return Verdict{Class: Timeout, Detail: "NetworkManager's association timer expired (it says ssid-not-found); no completed scan in the log shows the network absent",
			Evidence: evidenceOf(append(timer, nf...)...)}, true
	}
	return Verdict{Class: NotFound, Detail: "network not found (ssid-not-found)", Evidence: evidenceOf(append(append(fresh, scanned...), nf...)...)}, true
}

func scanEvidence(evs []Event, verdict Event) []Event {
	out := find(evs, func(e Event) bool {
		return e.Kind == KindScanBusy || e.Kind == KindScanAborted || e.Kind == KindScanDone
	})
	const max = 8
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return append(out, verdict)
}

// ruleAssocTimeout: the AP was seen but never answered, or wpa_supplicant
// gave up (NetworkManager's supplicant-timeout after its 25 s association
// timer, or an auth/assoc timeout reported by wpa_supplicant's SME).
func ruleAssocTimeout(evs []Event) (Verdict, bool) {
	hits := find(evs, func(e Event) bool {
		switch e.Kind {
		case KindAuthTimeout, KindAssocTimeout:
			return true
		case KindDeviceState:
			return e.State == "failed" && (e.Code == ReasonSupplicantTimeout || e.Code == ReasonSupplicantDisconn ||
				e.Code == ReasonSupplicantFailed)
		case KindActiveState:
			return e.State == "deactivated" && e.Code == ActiveReasonConnectTimeout
		}
		return false
	})
	if len(hits) == 0 {
		return Verdict{}, false
	}
	detail, timeout := "association timed out", TimeoutAssociation
	for _, e := range hits {
		switch e.Kind {
		case KindAuthTimeout:
			detail, timeout = "authentication timed out", TimeoutAuthentication
		case KindDeviceState:
			if e.Code != ReasonSupplicantTimeout {
				// wpa_supplicant disconnected or failed: NetworkManager
				// says so, not that a timer ran out.
				detail, timeout = "association failed ("+e.Name+")", ""
			}
		}
	}
	return Verdict{Class: AssocRejected, Detail: detail, Evidence: evidenceOf(hits...), Timeout: timeout}, true
}

// AuthNeverAnswered returns wpa_supplicant's moves to authenticating when
// it tried the network and never got further: no state from associating
// on anywhere in evs, and the last scan it made found the network again
// (scanning -> authenticating, not scanning -> disconnected or inactive,
// which is wpa_supplicant finding nothing to join), up to the device's
// failure. That is an AP that is
// there and does not answer authentication. NetworkManager calls it
// ssid-not-found: its association timer reports ssid-not-found unless
// wpa_supplicant reached associating (nm-device-wifi.c,
// supplicant_iface_state_cb sets ssid_found only from ASSOCIATING to
// COMPLETED; supplicant_connection_timeout_cb then picks the reason), so
// the reason alone would call a present network absent (lab: silent-ap).
func AuthNeverAnswered(evs []Event) []Event {
	var tries []Event
	for _, e := range evs {
		if e.Kind == KindDeviceState && e.State == "failed" {
			// What wpa_supplicant does after NetworkManager gave up (it
			// stops scanning: scanning -> disconnected) is no scan result.
			break
		}
		if e.Kind != KindSupplicantState {
			continue
		}
		switch e.State {
		case "authenticating":
			tries = append(tries, e)
		case "associating", "associated", "4way_handshake", "group_handshake", "completed":
			return nil
		case "disconnected", "inactive":
			if e.OldState == "scanning" {
				// The last scan found nothing to join: the network may be
				// gone, which is the not_found rule's question.
				tries = nil
			}
		}
	}
	return tries
}

// authLoopTries is how many tries with one BSS, none getting further,
// make a loop. wpa_supplicant tries a BSS again after a failed try (and
// mac80211 already resends each authentication frame up to three times,
// IEEE80211_AUTH_MAX_TRIES), so two tries are what a single lost exchange
// or a roam back costs; three with nothing between them are a BSS that
// does not let the station in.
const authLoopTries = 3

// AuthLoop returns the tries (NoteTryAuth and NoteTryAssoc notes) of the
// most-tried BSS when it was tried authLoopTries times or more and no try
// got further than its start: no association, handshake, completion or
// join anywhere in evs, and no other failure that would explain the
// retries. It is the trace of an AP that ignores or silently refuses the
// station in a log at wpa_supplicant's default level, which logs each try
// (MSG_INFO) but not the "SME: Authentication timeout" that ends it
// (MSG_DEBUG, sme.c sme_auth_timer).
func AuthLoop(evs []Event) []Event {
	tries := map[string][]Event{}
	best := ""
	for _, e := range evs {
		switch {
		case e.Kind == KindNote && (e.Name == NoteTryAuth || e.Name == NoteTryAssoc):
			key := e.BSSID
			if key == "" {
				key = "ssid:" + e.SSID
			}
			tries[key] = append(tries[key], e)
			if len(tries[key]) > len(tries[best]) {
				best = key
			}
		case e.Kind == KindJoined, e.Kind == KindDHCP,
			e.Kind == KindSupplicantState && e.State != "" && e.State != "authenticating" && e.State != "associating" &&
				e.State != "scanning" && e.State != "disconnected" && e.State != "inactive",
			isFailure(e):
			return nil
		}
	}
	if len(tries[best]) < authLoopTries {
		return nil
	}
	return tries[best]
}

// ruleAuthLoop: a BSS tried again and again, no try getting past its start
// (AuthLoop). The AP did not answer or refused at a level the log does not
// show: assoc_rejected, the class for an AP that refuses or ignores the
// station, with the number of tries in the detail.
func ruleAuthLoop(evs []Event) (Verdict, bool) {
	tries := AuthLoop(evs)
	if tries == nil {
		return Verdict{}, false
	}
	who := tries[0].BSSID
	if who == "" {
		who = fmt.Sprintf("SSID %q", tries[0].SSID)
	}
	// wpa_supplicant's "Trying to associate with" (drivers without SME,
	// which do authentication and association in one call) is a try to
	// associate; SME's "Trying to authenticate with" one to authenticate.
	verb := "authenticate"
	for _, e := range tries {
		if e.Name == NoteTryAssoc {
			verb = "associate"
		}
	}
	detail := fmt.Sprintf("%d tries to %s with %s and none completed", len(tries), verb, who)
	ev := tries
	if len(ev) > 8 {
		ev = append(append([]Event{}, ev[:2]...), ev[len(ev)-6:]...)
	}
	return Verdict{Class: AssocRejected, Detail: detail, Evidence: evidenceOf(ev...)}, true
}

// ruleDeadline: the deadline is the cause only when nothing more specific
// explains the wait. A radio kept busy by other scanners (refused triggers
// and no scan of our own completed) is that more specific cause: it is
// scan_busy, the "scan blocked by other system activity" case.
func ruleDeadline(evs []Event) (Verdict, bool) {
	if e, ok := last(evs, KindDeadline); ok {
		busy := find(evs, func(e Event) bool { return e.Kind == KindScanBusy })
		own := find(evs, func(e Event) bool {
			return e.Kind == KindScanDone && e.Succeeded() && (e.Name == "nl80211" || e.Name == "nm")
		})
		if len(busy) >= 3 && len(own) == 0 {
			ev := append(append([]Event{}, busy[max(0, len(busy)-5):]...), e)
			return Verdict{Class: ScanBusy, Detail: fmt.Sprintf("deadline reached while the radio was kept busy: %d scan triggers refused, no scan of our own completed", len(busy)),
				Evidence: evidenceOf(ev...)}, true
		}
		return Verdict{Class: Timeout, Detail: firstNonEmpty(e.Message, "deadline reached"), Evidence: evidenceOf(e)}, true
	}
	return Verdict{}, false
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
