package diagnostics

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seq builds an ordered event sequence with increasing timestamps, as the
// live stream or a parsed log would deliver it.
func seq(evs ...Event) []Event {
	t0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	for i := range evs {
		evs[i].Time = t0.Add(time.Duration(i) * 100 * time.Millisecond)
	}
	return evs
}

func dev(old, new string, reason int) Event {
	name := ""
	if reason != 0 {
		name = DeviceReasonName(uint32(reason))
	}
	return Event{Source: SourceNMDevice, Kind: KindDeviceState, OldState: old, State: new, Code: reason, Name: name}
}

func sup(state string) Event {
	return Event{Source: SourceSupplicant, Kind: KindSupplicantState, State: state}
}

func supFrom(old, state string) Event {
	return Event{Source: SourceSupplicant, Kind: KindSupplicantState, OldState: old, State: state}
}

func active(state string, reason int) Event {
	return Event{Source: SourceNMActive, Kind: KindActiveState, State: state, Code: reason, Name: ActiveReasonName(uint32(reason))}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name   string
		events []Event
		class  Class
		detail string
	}{
		{
			name: "joined",
			events: seq(dev("disconnected", "prepare", 0), dev("prepare", "config", 0), sup("completed"),
				dev("ip-config", "activated", 0), Event{Source: SourceHotspotctl, Kind: KindJoined, Message: "10.0.0.2"}),
			class: None, detail: "10.0.0.2",
		},
		{
			name:   "joined then dropped is a failure",
			events: seq(Event{Source: SourceHotspotctl, Kind: KindJoined}, dev("activated", "failed", ReasonSupplicantTimeout)),
			class:  AssocRejected, detail: "association timed out",
		},
		{
			name: "psk mismatch beats no-secrets",
			events: seq(dev("prepare", "config", 0), sup("associating"), sup("4way_handshake"),
				Event{Source: SourceSupplicant, Kind: KindPskMismatch}, sup("disconnected"),
				dev("config", "need-auth", ReasonSupplicantDisconn), dev("need-auth", "failed", ReasonNoSecrets),
				active("deactivated", ActiveReasonNoSecrets)),
			class: WrongKey, detail: "4-way handshake failed: pre-shared key mismatch",
		},
		{
			name: "psk mismatch arriving after the device failed",
			events: seq(sup("4way_handshake"), dev("need-auth", "failed", ReasonNoSecrets),
				Event{Source: SourceSupplicant, Kind: KindPskMismatch}),
			class: WrongKey, detail: "4-way handshake failed: pre-shared key mismatch",
		},
		{
			name: "no-secrets after handshake without PskMismatch (old wpa_supplicant)",
			events: seq(sup("4way_handshake"), sup("disconnected"), dev("config", "need-auth", ReasonSupplicantDisconn),
				dev("need-auth", "failed", ReasonNoSecrets)),
			class: WrongKey, detail: "key rejected: NetworkManager needed new secrets after the handshake",
		},
		{
			name: "SAE commit accepted, confirm refused: wrong WPA3 password (lab: hostapd 2.10)",
			events: seq(dev("prepare", "config", 0), sup("authenticating"), Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 0},
				Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 1}, sup("disconnected"), sup("scanning")),
			class: WrongKey, detail: "SAE confirm rejected (status 1): password mismatch",
		},
		{
			name: "a refusal in a new authentication after a successful one is the AP's",
			events: seq(sup("authenticating"), Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 0}, sup("associating"),
				sup("disconnected"), sup("authenticating"), Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 17}),
			class: AssocRejected, detail: "authentication rejected: status 17 (AP unable to handle additional associated stations)",
		},
		{
			name: "deadline while scans were refused and none of ours completed is scan_busy",
			events: seq(Event{Source: SourceNL80211, Kind: KindScanBusy}, Event{Source: SourceNL80211, Kind: KindScanBusy},
				Event{Source: SourceNL80211, Kind: KindScanBusy}, Event{Source: SourceNL80211, Kind: KindScanDone, OK: Bool(true), Name: "piggyback"},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "found"}, sup("associating"),
				Event{Source: SourceHotspotctl, Kind: KindDeadline, Message: "join deadline reached"}),
			class: ScanBusy, detail: "deadline reached while the radio was kept busy: 3 scan triggers refused, no scan of our own completed",
		},
		{
			name: "deadline after our own scan completed is timeout",
			events: seq(Event{Source: SourceNL80211, Kind: KindScanBusy}, Event{Source: SourceNL80211, Kind: KindScanBusy},
				Event{Source: SourceNL80211, Kind: KindScanBusy}, Event{Source: SourceNL80211, Kind: KindScanDone, OK: Bool(true), Name: "nl80211"},
				Event{Source: SourceHotspotctl, Kind: KindDeadline, Message: "join deadline reached"}),
			class: Timeout, detail: "join deadline reached",
		},
		{
			name: "association rejected with status 17",
			events: seq(sup("associating"), Event{Source: SourceSupplicant, Kind: KindAssocStatus, Code: 17},
				sup("disconnected"), dev("config", "failed", ReasonSupplicantTimeout)),
			class: AssocRejected, detail: "association rejected: status 17 (AP unable to handle additional associated stations)",
		},
		{
			name: "auth rejected beats no-secrets that follows it",
			events: seq(Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 1}, dev("config", "need-auth", 8),
				dev("need-auth", "failed", ReasonNoSecrets)),
			class: AssocRejected, detail: "authentication rejected: status 1 (unspecified failure)",
		},
		{
			name:   "association timeout from NetworkManager",
			events: seq(sup("associating"), sup("disconnected"), dev("config", "failed", ReasonSupplicantTimeout)),
			class:  AssocRejected, detail: "association timed out",
		},
		{
			name: "dhcp",
			events: seq(sup("completed"), dev("config", "ip-config", 0), dev("ip-config", "failed", ReasonIPConfigUnavailable),
				active("deactivated", ActiveReasonIPConfigInvalid)),
			class: DHCPFailed, detail: "no IPv4 lease (ip-config-unavailable)",
		},
		{
			name: "fresh scans did not see the network",
			events: seq(Event{Source: SourceNL80211, Kind: KindScanDone, OK: Bool(true)},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "absent", Count: 2, Message: "not seen in 2 fresh scans"}),
			class: NotFound, detail: "not seen in 2 fresh scans",
		},
		{
			name: "refused scans are never not_found",
			events: seq(Event{Source: SourceNL80211, Kind: KindScanBusy}, Event{Source: SourceNL80211, Kind: KindScanBusy},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "no_fresh_scan", Message: "5 scans refused"}),
			class: ScanBusy, detail: "5 scans refused",
		},
		{
			name: "NetworkManager ssid-not-found after only refused scans is scan_busy",
			events: seq(Event{Source: SourceSupplicant, Kind: KindScanBusy, Message: "CTRL-EVENT-SCAN-FAILED ret=-16"},
				Event{Source: SourceSupplicant, Kind: KindScanBusy, Message: "CTRL-EVENT-SCAN-FAILED ret=-16"},
				dev("config", "failed", ReasonSSIDNotFound)),
			class: ScanBusy, detail: "2 scans refused or aborted, none completed",
		},
		{
			name: "ssid-not-found with a completed scan is not_found",
			events: seq(Event{Source: SourceSupplicant, Kind: KindScanBusy}, Event{Source: SourceSupplicant, Kind: KindScanDone, OK: Bool(true)},
				dev("config", "failed", ReasonSSIDNotFound)),
			class: NotFound, detail: "network not found (ssid-not-found)",
		},
		{
			name: "a deadline that cut the scan phase short is timeout, not not_found",
			events: seq(Event{Source: SourceNM, Kind: KindScanDone, OK: Bool(true)},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "incomplete", Message: "deadline reached during the scan phase: 1 of 3 fresh scans"},
				Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			class: Timeout, detail: "deadline reached during the scan phase: 1 of 3 fresh scans",
		},
		{
			name: "unverified scans (no wpa_supplicant) are never not_found",
			events: seq(Event{Source: SourceNM, Kind: KindScanDone, OK: Bool(true)},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, Name: "unverified", Message: "no scan could be verified complete"}),
			class: ScanBusy, detail: "no scan could be verified complete",
		},
		{
			name: "ssid-not-found after our scan saw the AP, without wpa_supplicant, is assoc_rejected",
			events: seq(Event{Source: SourceSupplicant, Kind: KindNote, Name: NoteSupplicantUnavailable},
				Event{Source: SourceNM, Kind: KindScanDone, OK: Bool(true)},
				Event{Source: SourceHotspotctl, Kind: KindScanVerdict, OK: Bool(true), Name: "found"},
				dev("config", "failed", ReasonSSIDNotFound)),
			class: AssocRejected, detail: "seen by our scan, but NetworkManager could not connect (ssid-not-found); the AP's 802.11 status code is not visible without wpa_supplicant's signals",
		},
		{
			// The real stack (lab scenario silent-ap): hostapd drops every
			// authentication frame; wpa_supplicant finds the AP on every
			// scan and tries it; NetworkManager's timer says ssid-not-found.
			name: "an AP seen and tried that never answers authentication is assoc_rejected, not not_found",
			events: seq(Event{Source: SourceHotspotctl, Kind: KindScanVerdict, OK: Bool(true), Name: "found"},
				dev("prepare", "config", 0),
				supFrom("disconnected", "authenticating"), supFrom("authenticating", "disconnected"), supFrom("disconnected", "scanning"),
				Event{Source: SourceSupplicant, Kind: KindScanDone, OK: Bool(true)},
				supFrom("scanning", "authenticating"), supFrom("authenticating", "disconnected"), supFrom("disconnected", "scanning"),
				dev("config", "failed", ReasonSSIDNotFound),
				// After the failure wpa_supplicant stops scanning: not a scan
				// that found nothing.
				dev("failed", "disconnected", 0), supFrom("scanning", "disconnected")),
			class:  AssocRejected,
			detail: "authentication timed out: found and tried 2 time(s), never answered (NetworkManager says ssid-not-found)",
		},
		{
			// The same AP switched off after the first try: the last scan
			// found nothing to join, and absence is the question again.
			name: "tries, then a scan that found nothing, is not_found",
			events: seq(dev("prepare", "config", 0),
				supFrom("disconnected", "authenticating"), supFrom("authenticating", "disconnected"), supFrom("disconnected", "scanning"),
				Event{Source: SourceSupplicant, Kind: KindScanDone, OK: Bool(true)}, supFrom("scanning", "disconnected"),
				dev("config", "failed", ReasonSSIDNotFound)),
			class: NotFound, detail: "network not found (ssid-not-found)",
		},
		{
			name:   "radio off beats the device becoming unavailable",
			events: seq(Event{Source: SourceNM, Kind: KindRadio, OK: Bool(false), Name: "soft-blocked"}, dev("disconnected", "unavailable", 0)),
			class:  RadioOff, detail: "soft-blocked",
		},
		{
			name:   "radio back on does not count",
			events: seq(Event{Source: SourceNM, Kind: KindRadio, OK: Bool(false), Name: "nm-disabled"}, Event{Source: SourceNM, Kind: KindRadio, OK: Bool(true)}, Event{Source: SourceHotspotctl, Kind: KindDeadline}),
			class:  Timeout, detail: "deadline reached",
		},
		{
			name:   "device unmanaged",
			events: seq(dev("disconnected", "unmanaged", 75)),
			class:  DeviceUnavailable, detail: "device became unmanaged (unmanaged-user-explicit)",
		},
		{
			name: "NetworkManager restart that recovers is not backend_unavailable",
			events: seq(Event{Source: SourceNM, Kind: KindBackend, OK: Bool(false)}, Event{Source: SourceNM, Kind: KindBackend, OK: Bool(true)},
				sup("associating"), dev("config", "failed", ReasonSupplicantTimeout)),
			class: AssocRejected, detail: "association timed out",
		},
		{
			name:   "NetworkManager gone",
			events: seq(sup("associating"), Event{Source: SourceNM, Kind: KindBackend, OK: Bool(false), Message: "org.freedesktop.NetworkManager lost its owner"}),
			class:  BackendUnavailable, detail: "org.freedesktop.NetworkManager lost its owner",
		},
		{
			name:   "permission",
			events: seq(Event{Source: SourceNM, Kind: KindPermission, Message: "Not authorized to control networking."}),
			class:  PermissionDenied, detail: "Not authorized to control networking.",
		},
		{
			name:   "deadline",
			events: seq(sup("scanning"), Event{Source: SourceHotspotctl, Kind: KindDeadline, Message: "90s deadline reached"}),
			class:  Timeout, detail: "90s deadline reached",
		},
		{
			name:   "nothing known",
			events: seq(dev("config", "failed", 4)),
			class:  Unknown, detail: "no rule explains the failure",
		},
		{
			name:   "empty",
			events: nil,
			class:  Unknown, detail: "no failure was observed",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Classify(tt.events)
			if diff := cmp.Diff(struct {
				C Class
				D string
			}{tt.class, tt.detail}, struct {
				C Class
				D string
			}{v.Class, v.Detail}); diff != "" {
				t.Errorf("Classify (-want +got):\n%s", diff)
			}
			if tt.class != Unknown && tt.class != None && len(v.Evidence) == 0 {
				t.Errorf("verdict %s has no evidence", v.Class)
			}
		})
	}
}

// TestClassifyOrderIndependentForKeyEvidence checks that the strongest
// evidence wins whichever order NetworkManager's and wpa_supplicant's signals
// arrive in: they come from two processes over the bus and interleave freely.
func TestClassifyOrderIndependentForKeyEvidence(t *testing.T) {
	base := []Event{
		sup("4way_handshake"),
		{Source: SourceSupplicant, Kind: KindPskMismatch},
		dev("config", "need-auth", ReasonSupplicantDisconn),
		dev("need-auth", "failed", ReasonNoSecrets),
		active("deactivated", ActiveReasonNoSecrets),
	}
	permute(base, func(p []Event) {
		if got := Classify(p).Class; got != WrongKey {
			t.Errorf("order %v: got %s, want wrong_key", kinds(p), got)
		}
	})
}

func kinds(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, string(e.Kind)+"/"+e.State)
	}
	return out
}

func permute(evs []Event, f func([]Event)) {
	var rec func(int)
	rec = func(k int) {
		if k == len(evs) {
			f(append([]Event(nil), evs...))
			return
		}
		for i := k; i < len(evs); i++ {
			evs[k], evs[i] = evs[i], evs[k]
			rec(k + 1)
			evs[k], evs[i] = evs[i], evs[k]
		}
	}
	rec(0)
}

func TestExitCodesAreDistinct(t *testing.T) {
	seen := map[int]Class{}
	for _, c := range Classes {
		code := c.ExitCode()
		if prev, ok := seen[code]; ok {
			t.Errorf("%s and %s share exit code %d", prev, c, code)
		}
		seen[code] = c
		if code == ExitInternal {
			t.Errorf("%s uses the internal-error exit code", c)
		}
	}
	if got := Class("bogus").ExitCode(); got != Unknown.ExitCode() {
		t.Errorf("unknown class exit code = %d, want %d", got, Unknown.ExitCode())
	}
}

func TestDeviceReasonNames(t *testing.T) {
	for code, name := range map[uint32]string{7: "no-secrets", 11: "supplicant-timeout", 53: "ssid-not-found", 5: "ip-config-unavailable", 17: "dhcp-failed"} {
		if got := DeviceReasonName(code); got != name {
			t.Errorf("DeviceReasonName(%d) = %q, want %q", code, got, name)
		}
		if got, ok := DeviceReasonCode(name); !ok || got != int(code) {
			t.Errorf("DeviceReasonCode(%q) = %d, %t", name, got, ok)
		}
	}
}
