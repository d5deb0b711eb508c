package diagnostics

import "testing"

// The event sequence of the lab's wpa2 scenario with the right passphrase on
// a loaded host (lab matrix run of 2026-12-02 13:00, report of scenario
// wpa2): the handshake completed, wpa_supplicant went back to 4way_handshake
// when hostapd retransmitted message 1/4, hostapd gave up with reason 15, and
// NetworkManager answered need-auth then failed/no-secrets. Reported as
// wrong_key before; the key was right.
func rekeyTimeoutAfterGoodKey() []Event {
	return seq(
		Event{Source: SourceHotspotctl, Kind: KindActivationStart, Name: "wpa-psk"},
		dev("disconnected", "prepare", 0), active("activating", 0), dev("prepare", "config", 0),
		dev("config", "need-auth", 0), dev("need-auth", "prepare", 0), dev("prepare", "config", 0),
		sup("authenticating"), Event{Source: SourceSupplicant, Kind: KindAuthStatus, Code: 0},
		sup("associating"), sup("associated"), sup("4way_handshake"), sup("completed"),
		dev("config", "ip-config", 0), sup("4way_handshake"),
		Event{Source: SourceSupplicant, Kind: KindDisconnect, Code: 15},
		sup("disconnected"), sup("inactive"),
		dev("ip-config", "need-auth", 8), dev("need-auth", "failed", 7), active("deactivated", 3),
		dev("failed", "disconnected", 0),
	)
}

func TestHandshakeTimeoutAfterAcceptedKeyIsNotWrongKey(t *testing.T) {
	v := Classify(rekeyTimeoutAfterGoodKey())
	if v.Class != AssocRejected {
		t.Fatalf("class = %s (%s), want assoc_rejected", v.Class, v.Detail)
	}
	want := "the key was accepted, then the access point timed out a later handshake: reason 15 (" + ReasonCodeText(15) + ")"
	if v.Detail != want {
		t.Errorf("detail = %q, want %q", v.Detail, want)
	}
}

func TestHandshakeTimeoutWithoutAcceptedKeyIsStillWrongKey(t *testing.T) {
	// The lab's wrong-key scenario: the handshake never completes.
	evs := seq(
		Event{Source: SourceHotspotctl, Kind: KindActivationStart, Name: "wpa-psk"},
		dev("disconnected", "prepare", 0), dev("prepare", "config", 0),
		sup("associating"), sup("associated"), sup("4way_handshake"),
		Event{Source: SourceSupplicant, Kind: KindDisconnect, Code: 15}, sup("disconnected"),
		dev("config", "need-auth", 8), dev("need-auth", "failed", 7),
	)
	if v := Classify(evs); v.Class != WrongKey {
		t.Errorf("class = %s (%s), want wrong_key", v.Class, v.Detail)
	}
	// Another network's completed handshake before our activation started
	// (NetworkManager autoconnected it during our scan) proves nothing
	// about our key.
	other := append(seq(sup("associating"), sup("4way_handshake"), sup("completed")), evs...)
	if v := Classify(other); v.Class != WrongKey {
		t.Errorf("after another network's handshake: class = %s (%s), want wrong_key", v.Class, v.Detail)
	}
}

// The lab's nonroot scenario, joined as nobody (no wpa_supplicant signals),
// with the right passphrase while the host was loaded (run of 2026-12-02
// 14:00): hostapd's log shows PTKINITDONE, then a late duplicate association
// restarting the 4-way handshake until "PTKSTART: Retry limit 4 reached" and
// a deauthentication; NetworkManager went config -> ip-config -> need-auth
// (supplicant-disconnect) -> failed (no-secrets). It was called wrong_key.
func TestKeyAcceptedThenLostWithoutSupplicantSignals(t *testing.T) {
	evs := seq(
		Event{Source: SourceHotspotctl, Kind: KindNote, Name: "supplicant-unavailable"},
		Event{Source: SourceHotspotctl, Kind: KindActivationStart, Name: "wpa-psk"},
		dev("disconnected", "prepare", 0), active("activating", 0), dev("prepare", "config", 0),
		dev("config", "need-auth", 0), dev("need-auth", "prepare", 0), dev("prepare", "config", 0),
		dev("config", "ip-config", 0), dev("ip-config", "need-auth", 8), dev("need-auth", "failed", 7),
		active("deactivated", 3), dev("failed", "disconnected", 0),
	)
	v := Classify(evs)
	if v.Class != AssocRejected {
		t.Fatalf("class = %s (%s), want assoc_rejected", v.Class, v.Detail)
	}
	// The same without ip-config (the handshake never completed) stays a
	// wrong key.
	wrong := seq(
		Event{Source: SourceHotspotctl, Kind: KindActivationStart, Name: "wpa-psk"},
		dev("disconnected", "prepare", 0), dev("prepare", "config", 0),
		dev("config", "need-auth", 8), dev("need-auth", "failed", 7),
	)
	if v := Classify(wrong); v.Class != WrongKey {
		t.Errorf("without ip-config: class = %s (%s), want wrong_key", v.Class, v.Detail)
	}
}
