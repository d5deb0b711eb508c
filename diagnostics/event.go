package diagnostics

import (
	"fmt"
	"time"
)

// Source names where an event came from. The values appear in reports.
type Source string

// Event sources.
const (
	SourceNM         Source = "networkmanager" // manager-level: radio, permissions, reachability
	SourceNMDevice   Source = "nm-device"      // org.freedesktop.NetworkManager.Device StateChanged
	SourceNMActive   Source = "nm-active"      // org.freedesktop.NetworkManager.Connection.Active StateChanged
	SourceSupplicant Source = "wpa_supplicant" // fi.w1.wpa_supplicant1.Interface signals and properties
	SourceNL80211    Source = "nl80211"        // kernel scan events and trigger results
	SourceKernel     Source = "kernel"         // mac80211 / cfg80211 log lines
	SourceRfkill     Source = "rfkill"
	SourceHotspotctl Source = "hotspotctl" // our own decisions: scan verdicts, deadlines, input checks
	SourceNmcli      Source = "nmcli"
	SourceIwd        Source = "iwd"
	SourceEmbedded   Source = "embedded"    // ESP-IDF, Arduino-ESP32, ESPHome, ESP8266 serial consoles
	SourceAndroid    Source = "android"     // Android's Wi-Fi framework and wificond, from logcat
	SourceApple      Source = "apple"       // macOS/iOS: airportd, wifid, CoreWLAN, NEHotspotConfiguration, configd
	SourceConnman    Source = "connman"     // connmand and connmanctl
	SourceDHCP       Source = "dhcp-client" // dhclient, dhcpcd, systemd-networkd, udhcpc
	SourceHostapd    Source = "hostapd"     // the access point's side: hostapd's control events and logger lines
)

// Kind says what an event means, independent of its source.
type Kind string

// Event kinds. Each documents the fields it uses.
const (
	// KindDeviceState: a NetworkManager device state change. State and
	// OldState are NMDeviceState names ("failed", "need-auth", ...), Code is
	// the NMDeviceStateReason number and Name its name ("ssid-not-found").
	KindDeviceState Kind = "device_state"
	// KindActiveState: an active-connection state change. State is the
	// NMActiveConnectionState name, Code/Name the NMActiveConnectionStateReason.
	KindActiveState Kind = "active_state"
	// KindSupplicantState: wpa_supplicant's interface State property
	// ("scanning", "associating", "4way_handshake", "completed", ...).
	KindSupplicantState Kind = "supplicant_state"
	// KindPskMismatch: wpa_supplicant's PskMismatch signal, or its log line
	// "WPA: 4-Way Handshake failed - pre-shared key may be incorrect".
	KindPskMismatch Kind = "psk_mismatch"
	// KindAuthStatus: wpa_supplicant's AuthStatusCode; Code is the 802.11
	// status code of an authentication response (0 is success).
	KindAuthStatus Kind = "auth_status"
	// KindAssocStatus: wpa_supplicant's AssocStatusCode; Code is the 802.11
	// status code of an association response (0 is success).
	KindAssocStatus Kind = "assoc_status"
	// KindAuthTimeout and KindAssocTimeout: no answer from the AP.
	KindAuthTimeout  Kind = "auth_timeout"
	KindAssocTimeout Kind = "assoc_timeout"
	// KindDisconnect: wpa_supplicant's DisconnectReason; Code is the 802.11
	// reason code, negative when the disconnection was locally generated.
	KindDisconnect Kind = "disconnect"
	// KindSAEFailure: an SAE exchange failed (confirm mismatch), which is how a
	// wrong WPA3 password shows: the AP never sends a rejection.
	KindSAEFailure Kind = "sae_failure"
	// KindScanStarted, KindScanDone, KindScanBusy, KindScanAborted: one scan's
	// life. OK on KindScanDone is false when the scan failed.
	KindScanStarted Kind = "scan_started"
	KindScanDone    Kind = "scan_done"
	KindScanBusy    Kind = "scan_busy"
	KindScanAborted Kind = "scan_aborted"
	// KindScanVerdict: hotspotctl's conclusion after its scan phase. Name is
	// "found", "absent" or "no_fresh_scan"; Count is the number of fresh,
	// successful scans; Message summarises them.
	KindScanVerdict Kind = "scan_verdict"
	// KindRadio: Wi-Fi radio state. OK is true when enabled; Name is
	// "nm-disabled", "soft-blocked" or "hard-blocked" when not.
	KindRadio Kind = "radio"
	// KindDHCP: a DHCP outcome; OK false is a failure or timeout.
	KindDHCP Kind = "dhcp"
	// KindPermission: a refusal by NetworkManager or polkit.
	KindPermission Kind = "permission"
	// KindBackend: NetworkManager or wpa_supplicant reachability. OK false
	// means unreachable (not running, bus name lost, call timed out).
	KindBackend Kind = "backend"
	// KindDevice: the interface's presence or management. OK false means
	// missing, unmanaged or unavailable; Name says which.
	KindDevice Kind = "device"
	// KindActivationStart: a connection activation was requested.
	KindActivationStart Kind = "activation_start"
	// KindJoined: the join succeeded (device activated with an address).
	KindJoined Kind = "joined"
	// KindDeadline: the join's deadline was reached.
	KindDeadline Kind = "deadline"
	// KindInvalidInput: the request was rejected before touching the system.
	KindInvalidInput Kind = "invalid_input"
	// KindInterrupted: the join's context was cancelled (a signal, a
	// cancelled request), as distinct from its deadline passing.
	KindInterrupted Kind = "interrupted"
	// KindSuperseded: NetworkManager ended this join's own activation
	// without hotspotctl asking: Code/Name are the device state reason
	// (60 new-activation) or, when NetworkManager gave none, the active
	// connection's reason; Message says which.
	KindSuperseded Kind = "superseded"
	// KindLock: the per-interface join lock. OK false means it was not
	// obtained before the deadline (another join held it).
	KindLock Kind = "lock"
	// KindNote: anything else worth keeping in a timeline; never classified
	// by itself (NoteSupplicantUnavailable only qualifies other evidence).
	KindNote Kind = "note"
)

// Event is one observation, live or parsed from a log. Fields not used by a
// Kind are left zero and omitted from JSON. Message is always free of secrets:
// producers redact before they emit.
type Event struct {
	Time     time.Time `json:"time"`
	Source   Source    `json:"source"`
	Kind     Kind      `json:"kind"`
	State    string    `json:"state,omitempty"`
	OldState string    `json:"old_state,omitempty"`
	Code     int       `json:"code,omitempty"`
	Name     string    `json:"name,omitempty"`
	OK       *bool     `json:"ok,omitempty"`
	Count    int       `json:"count,omitempty"`
	BSSID    string    `json:"bssid,omitempty"`
	SSID     string    `json:"ssid,omitempty"`
	Iface    string    `json:"interface,omitempty"`
	Message  string    `json:"message,omitempty"`
	// ActiveConnection is the NetworkManager active connection an event
	// belongs to: for KindActiveState the object that changed, for
	// KindDeviceState the device's ActiveConnection when it changed state
	// ("" when unknown, "/" for none). It lets a join tell its own
	// activation from one NetworkManager started on its own.
	ActiveConnection string `json:"active_connection,omitempty"`
	// Line is the 1-based line number in the input when the event was parsed
	// from a log, 0 for live events.
	Line int `json:"line,omitempty"`
	// Monotonic is the kernel's timestamp (time since boot, dmesg's
	// "[  120.139501]") of a logged line that has no wall-clock time; 0
	// otherwise. Rules that need the time between two kernel lines use
	// it when Time is zero (SinceEvent).
	Monotonic time.Duration `json:"monotonic_ns,omitempty"`
}

// SinceEvent returns how long after a event b came, by their wall-clock
// times, or by their kernel timestamps when both lack one; ok is false when
// neither pair is known or b came before a (a reboot restarts the
// kernel's clock).
func SinceEvent(a, b Event) (d time.Duration, ok bool) {
	switch {
	case !a.Time.IsZero() && !b.Time.IsZero():
		d = b.Time.Sub(a.Time)
	case a.Time.IsZero() && b.Time.IsZero() && a.Monotonic > 0 && b.Monotonic > 0:
		d = b.Monotonic - a.Monotonic
	default:
		return 0, false
	}
	return d, d >= 0
}

// Bool returns a pointer to b, for Event.OK.
func Bool(b bool) *bool { return &b }

// Failed reports whether e carries OK=false.
func (e Event) Failed() bool { return e.OK != nil && !*e.OK }

// Succeeded reports whether e carries OK=true.
func (e Event) Succeeded() bool { return e.OK != nil && *e.OK }

// String renders e as one evidence line.
func (e Event) String() string {
	s := fmt.Sprintf("%s %s", e.Source, e.Kind)
	if e.OldState != "" || e.State != "" {
		s += fmt.Sprintf(" %s -> %s", orDash(e.OldState), orDash(e.State))
	}
	if e.Name != "" {
		s += " " + e.Name
	}
	if e.Code != 0 {
		s += fmt.Sprintf(" (%d)", e.Code)
	}
	if e.OK != nil {
		s += fmt.Sprintf(" ok=%t", *e.OK)
	}
	if e.BSSID != "" {
		s += " bssid=" + e.BSSID
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// NoteNoSecretAgent is the Name of NetworkManager's KindNote for "No agents
// were available for this request" (nm-agent-manager.c): it asked for a
// key and no secret agent was registered to answer.
const NoteNoSecretAgent = "no secret agent available"

// NoteSecretsRequired is the Name of NetworkManager's KindNote for
// "Activation: (wifi) access point 'X' has security, but secrets are
// required." (nm-device-wifi.c, act_stage2_config): the profile had no key
// when the activation began, before any association. NoteLinkReadyEarlier
// is the Name of the KindNote diagnose puts at the start of a kernel-only
// attempt whose interface printed "link becomes ready" earlier in the log:
// addrconf prints it once per interface, so its absence in this attempt
// proves nothing (lab: deauth-loop).
const (
	NoteSecretsRequired  = "secrets required"
	NoteLinkReadyEarlier = "link became ready earlier"
)

// CapabPrivacy and CapabOpen are the Names of the kernel's KindAssocStatus
// events ("RX AssocResp from ... (capab=0x411 ...)"): whether the AP's
// capability field has the Privacy bit, i.e. whether the network has a key.
// "" when the line did not say.
const (
	CapabPrivacy = "privacy"
	CapabOpen    = "open"
)

// NoteSupplicantUnavailable is the Name of the KindNote saying that
// wpa_supplicant's interface could not be resolved (a non-root caller: its
// bus policy admits only root and netdev), so its signals (AuthStatusCode,
// AssocStatusCode, PskMismatch, ScanDone) are missing from the attempt.
const NoteSupplicantUnavailable = "supplicant-unavailable"

// NoteTryAuth and NoteTryAssoc are the Names of the KindNote events for
// wpa_supplicant starting to authenticate ("SME: Trying to authenticate
// with", sme.c sme_send_authentication) or to associate ("Trying to
// associate with", wpa_supplicant.c wpa_supplicant_associate) with a BSS.
// wpa_supplicant logs these at MSG_INFO but the timeouts and most refusals
// that end a try only at MSG_DEBUG, so in a log at the default level a
// loop of tries is the only trace of a BSS that never lets the station in
// (ruleAuthLoop).
const (
	NoteTryAuth  = "trying to authenticate"
	NoteTryAssoc = "trying to associate"
)

// FailSupIfaceUnusable and FailSupIfaceNotCreated are the Names of the
// device and backend failures NetworkManager retries by itself: wpa_supplicant
// would not take the interface ("wpa_supplicant couldn't grab this
// interface", "Failed to initialize driver interface") or did not create it
// ("Couldn't initialize supplicant interface"); nm-device-wifi.c's
// supplicant_interface_acquire tries again, and "unavailable -> disconnected
// (reason 'supplicant-available')" says a retry worked (recovered).
const (
	FailSupIfaceUnusable   = "wpa_supplicant could not use the interface"
	FailSupIfaceNotCreated = "wpa_supplicant interface could not be created"
)

// RadioConfigDisabled is the Name of the KindRadio failure for a radio its
// configuration switches off (OpenWrt's "'radio1' is disabled", printed by
// /sbin/wifi for every wifi-device with disabled=1). A router often keeps one
// radio disabled and uses another, so other Wi-Fi activity in the same log
// lifts it (ClassifySituation; an attempt on another interface ignores it).
const RadioConfigDisabled = "disabled in the configuration"

// NoteAssociated and NoteLinkReady are the Names of the kernel's KindNote
// events for mac80211's "wlan0: associated" (mlme.c,
// ieee80211_assoc_success) and IPv6's "ADDRCONF(NETDEV_CHANGE): wlan0: link
// becomes ready" (addrconf.c, addrconf_notify): the operstate went up,
// which with wpa_supplicant or iwd holding the link dormant
// (IF_OPER_DORMANT until the port is authorized) means the handshake
// completed. Kernels since 6.3 no longer print the second line, so its
// absence is no evidence; its presence is (ruleKernelHandshakeDrop).
//
// The lab (lab/FINDINGS.md, 2026-12-03) found a second limit on 6.1: the
// line is printed once per interface, not once per association (addrconf
// keeps IF_READY), so a later join in the same log has none even when its
// link came up.
const (
	NoteAssociated = "associated"
	NoteLinkReady  = "link becomes ready"
)

// NoteDHCPDiscover, NoteDHCPOffer and NoteDHCPAck are the Names of the
// KindNote events for a DHCP client's DHCPDISCOVER (dhclient's
// "DHCPDISCOVER on wlan0 to 255.255.255.255 port 67 interval 3", udhcpc's
// "sending discover") and for a server's answers to it (dhclient's
// "DHCPOFFER of ... from ...", "DHCPACK of ... from ..."). Discovers that
// go on with no answer are a DHCP server that never answered
// (DHCPUnanswered).
const (
	NoteDHCPDiscover = "DHCPDISCOVER"
	NoteDHCPOffer    = "DHCPOFFER"
	NoteDHCPAck      = "DHCPACK"
)

// NoteAttemptBegin and NoteAttemptEnd name the events that frame one
// attempt's events in hotspotctl's debug log (join's logEvents); the end's
// State is the live verdict's class, which diagnose does not take on trust:
// it classifies the events again.
const (
	NoteAttemptBegin = "attempt-begin"
	NoteAttemptEnd   = "attempt-end"
)
