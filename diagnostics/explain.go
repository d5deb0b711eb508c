package diagnostics

import (
	"fmt"
	"strings"
	"time"
)

// Explain says a report's verdict in one sentence a person who is not a
// Wi-Fi engineer understands, with the figures that back it, and the next
// step to take. It reads only the report's typed fields (class, scope, SSID,
// the deciding attempt's events); it never fails, and returns empty strings
// for a report without a class.
func Explain(r *Report) (summary, next string) {
	if r == nil || r.Class == "" {
		return "", ""
	}
	net := "the network"
	if r.SSID != "" {
		net = fmt.Sprintf("the network %q", r.SSID)
	}
	a := decidingAttempt(r)
	situation := r.Scope == ScopeSituation
	switch r.Class {
	case None:
		switch {
		case len(r.Formats) == 0 && r.Mode == "diagnose":
			return "No line of a log format hotspotctl knows was found in the input.",
				"Pass the log of NetworkManager, wpa_supplicant or iwd (journalctl -u NetworkManager -u wpa_supplicant), Android's logcat, Apple's log show, or the device's serial console."
		case len(r.Attempts) == 0 && r.Mode == "diagnose":
			return "The log shows no failed join and nothing wrong with the Wi-Fi stack.",
				"If a join failed, capture the log while it fails (from before the join starts to after it ends)."
		}
		if r.SSID != "" {
			return fmt.Sprintf("Joined %s.", net), ""
		}
		return "The join succeeded.", ""
	case ScanBusy:
		n, span := countKind(a, KindScanBusy, KindScanAborted)
		deferred := countName(a, KindScanBusy, ScanDeferred)
		figures := ""
		switch {
		case n > 1 && span >= time.Second:
			figures = fmt.Sprintf(" (%d refusals in %s, EBUSY)", n, span.Round(time.Second))
		case n > 0:
			figures = fmt.Sprintf(" (%d refusals, EBUSY)", n)
		}
		lead := "The scans were refused: another process kept the radio busy" + figures + ". "
		if n > 0 && deferred == n {
			figures = fmt.Sprintf(" (%d)", n)
			if span >= time.Second {
				figures = fmt.Sprintf(" (%d in %s)", n, span.Round(time.Second))
			}
			lead = "The scans never ran: every request waited behind a scan that did not finish" + figures + ". "
			if countSource(a, KindScanBusy, SourceNmcli) == n {
				lead = fmt.Sprintf("The scans were refused: NetworkManager answered every request (%d) with \"already scanning\", and no scan finished. ", n)
			}
		}
		s := lead + upper(net) + "'s presence is unknown: it was never looked for, so it is not known to be missing."
		return s, "Find what keeps the radio busy (another connection manager or scanner, a hotspot or P2P on the same radio, a join already in progress) and try again; " +
			"hotspotctl join retries refused scans with backoff."
	case NotFound:
		s := fmt.Sprintf("%s was not seen: scans completed and did not find it.", upper(net))
		return s, "Check the name (letters, case and spaces), that the access point is switched on and in range, and that its band and channel are allowed here " +
			"(a 5 GHz-only network, or a channel outside the country's regulatory domain, is invisible)."
	case WrongKey:
		if a != nil && a.Secrets == SecretsNoAgent {
			return fmt.Sprintf("No password was tried for %s: NetworkManager had none stored for the system and asked for one, and nothing (no desktop session, no nmcli --ask) was there to answer.", net),
				"Store the key for the system: nmcli connection modify NAME with the key's flags setting at 0 (wifi-sec.psk-flags for WPA-PSK/SAE, 802-1x.password-flags for 802.1X, wifi-sec.wep-key-flags for WEP) and the key set; or join from a session that can answer NetworkManager's request. The key itself was never rejected."
		}
		return fmt.Sprintf("The password was rejected by %s.", net),
			"Check the passphrase (case matters; WPA passphrases are 8 to 63 characters) and the security type, then try again."
	case AssocRejected:
		s := fmt.Sprintf("The access point of %s refused the connection or stopped answering", net)
		if d := plainDetail(r.Detail); d != "" {
			s += " (" + d + ")"
		}
		return s + ".", "Move closer or look at the access point's limits: client count, MAC filter, protected management frames (PMF) or WPA3 settings; a full access point may accept later."
	case DHCPFailed:
		return fmt.Sprintf("The connection to %s was made, but no IP address was given: the network's DHCP server did not answer.", net),
			"Check the network's DHCP server (it may be down or out of addresses), or configure a static address."
	case RadioOff:
		why := "switched off"
		switch {
		case strings.Contains(r.Detail, "hard"):
			why = "switched off by a hardware switch or the firmware (rfkill hard block)"
		case strings.Contains(r.Detail, "soft"):
			why = "switched off in software (rfkill soft block)"
		case strings.Contains(r.Detail, "nm-disabled"):
			why = "disabled in NetworkManager"
		case strings.Contains(r.Detail, "airplane"):
			why = "off: airplane mode is on"
		}
		return "Wi-Fi is " + why + ".", "Turn Wi-Fi on: `rfkill unblock wifi`, `nmcli radio wifi on`, the airplane-mode setting or the hardware switch."
	case DeviceUnavailable:
		s := "The Wi-Fi device is missing or not usable"
		if d := plainDetail(r.Detail); d != "" {
			s += " (" + d + ")"
		}
		return s + ".", "Check that the driver and its firmware loaded (`ip link`, `dmesg`) and that the network manager manages the device (`nmcli device`)."
	case BackendUnavailable:
		return "The network service (NetworkManager, wpa_supplicant or iwd) was not running or did not answer.",
			"Start it (`systemctl start NetworkManager`) and look in its log for why it stopped."
	case PermissionDenied:
		return "The system refused the request: this user may not change Wi-Fi connections.",
			"Run it as root, or let the user manage networks (polkit rules for NetworkManager, the netdev group)."
	case Timeout:
		return "The join did not finish in time, and nothing more specific was logged.",
			"Try again with a longer timeout and capture the whole log of the attempt."
	case Superseded:
		return "Another connection took the interface over before this join finished.",
			"Stop the other connection manager or profile that autoconnects on this interface, then try again."
	case InterfaceBusy:
		return "Another join held the interface for the whole time.", "Wait for the other join to end, then try again."
	case Interrupted:
		return "The join was cancelled before it had an outcome.", ""
	case InvalidInput:
		return "The request was invalid; nothing was changed.", "Correct the request as the detail says."
	}
	if situation {
		return "The log shows failures, but not why.", "Capture more: NetworkManager debug logging (`nmcli general logging level DEBUG domains WIFI`) and wpa_supplicant with -d."
	}
	return "The join failed, and the log does not show why.",
		"Capture more: NetworkManager debug logging (`nmcli general logging level DEBUG domains WIFI`) and wpa_supplicant with -d."
}

// decidingAttempt is the attempt whose class is the report's: the last one.
func decidingAttempt(r *Report) *Attempt {
	for i := len(r.Attempts) - 1; i >= 0; i-- {
		if r.Attempts[i].Class == r.Class {
			return &r.Attempts[i]
		}
	}
	return nil
}

// countKind counts an attempt's events of the kinds and the time they span.
func countKind(a *Attempt, kinds ...Kind) (int, time.Duration) {
	if a == nil {
		return 0, 0
	}
	n := 0
	var first, lastT time.Time
	for _, e := range a.Events {
		for _, k := range kinds {
			if e.Kind != k {
				continue
			}
			n++
			if !e.Time.IsZero() {
				if first.IsZero() {
					first = e.Time
				}
				lastT = e.Time
			}
		}
	}
	return n, lastT.Sub(first)
}

// countName counts an attempt's events of kind k named name.
func countName(a *Attempt, k Kind, name string) int {
	return countWhere(a, func(e Event) bool { return e.Kind == k && e.Name == name })
}

// countSource counts a's events of kind k from source src.
func countSource(a *Attempt, k Kind, src Source) int {
	return countWhere(a, func(e Event) bool { return e.Kind == k && e.Source == src })
}

func countWhere(a *Attempt, pred func(Event) bool) int {
	if a == nil {
		return 0
	}
	n := 0
	for _, e := range a.Events {
		if pred(e) {
			n++
		}
	}
	return n
}

// plainDetail keeps a detail short enough for a sentence.
func plainDetail(d string) string {
	d = strings.TrimSpace(d)
	if len(d) > 120 {
		d = d[:117] + "..."
	}
	return d
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
