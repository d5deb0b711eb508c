package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The kernel's mac80211 station lines (net/mac80211/mlme.c: "wlan0:
// authenticate with ...", "send auth to ... (try 1/3)", "RX AssocResp from
// ... status=17", "deauthenticated from ... (Reason: 2=...)") and
// wpa_supplicant's "Authentication with ... timed out", which shares
// their shape. The drivers' own lines (firmware, probe, rfkill, driver
// scan refusals) are rec_driver.go's: a "failed to load firmware" counts
// only from a wireless driver, never from a GPU, a wired NIC or a
// Bluetooth controller.

var (
	// reKOldTimedOut: mlme.c's "authentication with %pM timed out"
	// (ieee80211_auth) and, before 3.0, "direct probe to AP %pM timed out"
	// and "authentication with AP %pM timed out" (ieee80211_direct_probe,
	// ieee80211_authenticate).
	reKOldTimedOut = regexp.MustCompile(`^(\S+): (direct probe|authentication|association) (?:to|with) (?:AP )?(\S+) timed out`)
	// reKLocalChoice: mlme.c, "deauthenticating from %pM by local choice
	// (Reason: %u=%s)", "aborting authentication with %pM by local choice
	// (Reason: %u=%s)" (an attempt cancelled before it associated), and
	// 3.x's "(reason=%d)".
	reKLocalChoice = regexp.MustCompile(`^(\S+): (?:deauthenticating from|disassociating from|aborting authentication with|aborting association with) (\S+) by local choice \((?:Reason: |reason=)(\d+)`)
)

// reKConnLost: mlme.c, "Connection to AP %pM lost"
// (ieee80211_beacon_connection_loss_work) and "No probe response from AP
// %pM after %dms, disconnecting." / "No ack for nullfunc frame to AP %pM,
// disconnecting." (ieee80211_sta_work; since 5.x "No %s AP %pM after %dms,
// tried %d/%i, disconnecting."). The retries ("..., try 2/5") are not
// matched.
var reKConnLost = regexp.MustCompile(`^(?:Connection to AP (\S+) lost$|No (?:probe response from|ack for nullfunc frame to) AP (\S+?),? .*disconnecting\.?$)`)

var reKLinkReady = regexp.MustCompile(`ADDRCONF\(NETDEV_CHANGE\): (\S+): link becomes ready`)

var (
	// reKAuthDenied: mlme.c, ieee80211_rx_mgmt_auth: "%pM denied
	// authentication (status %d)" (since 3.0; ieee80211_probe_auth_done
	// in 2.6.3x printed the same at KERN_DEBUG): the AP's authentication
	// response carried a non-zero 802.11 status, and mac80211 gave the
	// attempt up (ieee80211_destroy_auth_data). SAE's anti-clogging and
	// H2E retries return before the line.
	reKAuthDenied = regexp.MustCompile(`^(\S+): (\S+) denied authentication \(status (\d+)\)`)
	// reKDeauthAssoc: mlme.c, ieee80211_rx_mgmt_deauth: "deauthenticated
	// from %pM while associating (Reason: %u=%s)", the AP's deauth frame
	// that arrived instead of the association response (the assoc data is
	// destroyed, cfg80211 is told of the deauth); "(reason=%d)" as 3.x
	// printed its other reasons.
	reKDeauthAssoc = regexp.MustCompile(`^(\S+): deauthenticated from (\S+) while associating \((?:Reason: |reason=)(\d+)`)
	// reKBandwidth: mlme.c, ieee80211_rx_mgmt_beacon (3.10 to 6.8):
	// "failed to follow AP %pM bandwidth change, disconnect", after which
	// mac80211 deauthenticates itself with WLAN_REASON_DEAUTH_LEAVING
	// (ieee80211_set_disassoc, ieee80211_report_disconnect: locally
	// generated reason 3).
	reKBandwidth = regexp.MustCompile(`^(\S+): failed to follow AP (\S+) bandwidth change, disconnect`)
	// reKBandwidthNote: ieee80211_config_bw's own lines: "AP %pM changed
	// bandwidth, new config is ..." (followed, nothing wrong), "AP %pM
	// changed bandwidth in a way we can't support - disconnect" (5.x
	// "changed caps/bw in a way we can't support (0x%x/0x%x) -
	// disconnect"), which the "failed to follow" line above reports as
	// the disconnection; since 6.9 that line is gone and the disconnect
	// is only wpa_supplicant's (reason 3, locally generated).
	reKBandwidthNote = regexp.MustCompile(`^(\S+): AP (\S+) changed (?:bandwidth|caps/bw) in a way we can't support`)
	// reKInsertSTA: mlme.c, ieee80211_prep_connection (3.x to 6.x;
	// before 3.0 ieee80211_assoc_success, KERN_DEBUG): "failed to insert
	// STA entry for the AP (error %d)": the station entry for the AP
	// could not be added (a driver's sta_add failed), so the
	// authentication or association request is never sent and nl80211
	// returns the error to the supplicant. The AP did not refuse
	// anything: a note, with the errno.
	reKInsertSTA = regexp.MustCompile(`^(\S+): failed to insert STA entry for the AP(?: \S+)? \(error (-?\d+)\)`)
	// reKRegChanged: net/wireless/reg.c, print_regdomain: "Regulatory
	// domain changed to country: %c%c" (pr_info with pr_fmt "cfg80211: "
	// through 4.x, pr_debug since), "World regulatory domain updated:"
	// for 00. A regulatory change is what every healthy boot logs; the
	// domain is kept as a note because the world domain (00) makes
	// channels 12-13 and most 5 GHz channels passive (NO-IR), where a
	// station sees only APs that beacon.
	reKRegChanged = regexp.MustCompile(`^cfg80211: (?:Regulatory domain changed to country: ([A-Z0-9]{2})|(World) regulatory domain updated:)`)
)

var recKernel = recognizer{
	name:  "kernel",
	title: "kernel (mac80211/cfg80211, dmesg)",
	keys: []string{"ssociat", "ssocResp", "uthenticat", "send auth", "RX auth", "timed out", "disconnecting", "Connection to AP", "link becomes ready",
		"bandwidth change", "in a way we can't support", "insert STA entry", "egulatory domain", "regulatory.db"},
	parse: parseKernel,
}

func parseKernel(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, body, iface := m.msg, m.body, m.iface
	if m.prog == "systemd" || strings.HasPrefix(msg, "sys-subsystem-") {
		// systemd's "sys-subsystem-net-devices-wlan0.device: Job ...
		// timed out." looks like an interface's line (rec_systemd.go).
		return p, pass
	}
	switch {
	case strings.HasPrefix(msg, "cfg80211: "):
		if g := reKRegChanged.FindStringSubmatch(msg); g != nil {
			cc := g[1]
			if g[2] != "" {
				cc = "00"
			}
			e.Source, e.Kind, e.Name = diagnostics.SourceKernel, diagnostics.KindNote, "regulatory domain "+cc
		} else if msg == "cfg80211: failed to load regulatory.db" {
			// reg.c, regdb_fw_cb (4.15+): no regulatory.db in
			// /lib/firmware (the loader's "Direct firmware load for
			// regulatory.db failed with error -2" comes first). cfg80211
			// falls back to CRDA or keeps the world domain; the radio
			// works. A note, never a device failure.
			e.Source, e.Kind, e.Name = diagnostics.SourceKernel, diagnostics.KindNote, "regulatory.db missing"
		} else {
			return p, pass
		}
	case iface != "" && reKInsertSTA.MatchString(msg):
		g := reKInsertSTA.FindStringSubmatch(msg)
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceKernel, diagnostics.KindNote, iface, "failed to insert STA entry"
		e.Code, _ = strconv.Atoi(g[2])
	case iface != "" && reKBandwidth.MatchString(msg):
		g := reKBandwidth.FindStringSubmatch(msg)
		e.Source, e.Kind, e.Iface, e.BSSID = diagnostics.SourceKernel, diagnostics.KindDisconnect, iface, normBSSID(g[2])
		e.Code, e.Name = -3, "AP bandwidth change not followed"
	case iface != "" && reKBandwidthNote.MatchString(msg):
		g := reKBandwidthNote.FindStringSubmatch(msg)
		e.Source, e.Kind, e.Iface, e.BSSID = diagnostics.SourceKernel, diagnostics.KindNote, iface, normBSSID(g[2])
		e.Name = "AP bandwidth change unsupported"
	case strings.Contains(msg, "link becomes ready"):
		// addrconf.c, addrconf_notify: "ADDRCONF(NETDEV_CHANGE): %s:
		// link becomes ready", printed before 6.3 when the operstate goes
		// up: for a station whose supplicant holds it dormant, once the
		// handshake completed (diagnostics.NoteLinkReady).
		g := reKLinkReady.FindStringSubmatch(msg)
		if g == nil || !reWifiNetdev.MatchString(g[1]) {
			return p, pass
		}
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceKernel, diagnostics.KindNote, g[1], diagnostics.NoteLinkReady
	case iface != "" && strings.Contains(body, "timed out"):
		if g := reKAssocTO.FindStringSubmatch(msg); g != nil {
			e.Source, e.Kind, e.Iface, e.BSSID = diagnostics.SourceKernel, diagnostics.KindAssocTimeout, g[1], normBSSID(g[2])
		} else if g := reKOldTimedOut.FindStringSubmatch(msg); g != nil {
			// Before 3.0 mac80211 named the AP and probed it
			// directly before authenticating; a direct probe that
			// timed out is reported to cfg80211 as an
			// authentication timeout.
			e.Source, e.Iface, e.BSSID = diagnostics.SourceKernel, g[1], normBSSID(g[3])
			e.Kind = diagnostics.KindAuthTimeout
			if g[2] == "association" {
				e.Kind = diagnostics.KindAssocTimeout
			}
		} else if g := reWpaAuthTO.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Iface, e.BSSID = diagnostics.KindAuthTimeout, iface, normBSSID(g[1])
			e.Source = diagnostics.SourceKernel
			if strings.HasPrefix(body, "Authentication") {
				e.Source = diagnostics.SourceSupplicant
			}
		} else {
			return p, drop
		}
	case iface != "" && reKConnLost.MatchString(body):
		// mlme.c: the AP stopped answering (beacon loss, no probe
		// response, no ack for a nullfunc frame) and mac80211 left it,
		// ieee80211_sta_connection_lost with
		// WLAN_REASON_DISASSOC_DUE_TO_INACTIVITY: a locally generated
		// reason 4, as wpa_supplicant then reports it.
		g := reKConnLost.FindStringSubmatch(body)
		e.Source, e.Kind, e.Iface, e.Code, e.Name = diagnostics.SourceKernel, diagnostics.KindDisconnect, iface, -4, "connection lost"
		e.BSSID = normBSSID(g[1] + g[2])
	case iface != "" && (strings.Contains(body, "uthenticat") || strings.Contains(body, "ssociat") || strings.Contains(body, "send auth") || strings.Contains(body, "RX ")):
		e.Source, e.Iface = diagnostics.SourceKernel, iface
		if g := reKAuthWith.FindStringSubmatch(msg); g != nil {
			// Starts an attempt when neither NetworkManager nor
			// wpa_supplicant is in the log (dmesg alone).
			e.Kind, e.Name, e.BSSID, p.role = diagnostics.KindNote, "authenticate", normBSSID(g[2]), roleStartWpa
		} else if g := reKSendAuth.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, e.BSSID = diagnostics.KindNote, "send auth (try "+g[3]+"/"+g[4]+")", normBSSID(g[2])
		} else if g := reKAssocWith.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, e.BSSID = diagnostics.KindNote, "associate (try "+g[3]+"/"+g[4]+")", normBSSID(g[2])
		} else if g := reKAssocResp.FindStringSubmatch(msg); g != nil {
			e.Kind, e.BSSID = diagnostics.KindAssocStatus, normBSSID(g[2])
			e.Code, _ = strconv.Atoi(g[4])
			// mlme.c, ieee80211_rx_mgmt_assoc_resp prints the AP's
			// capability field; its Privacy bit (802.11-2020 9.4.1.4,
			// 0x0010) says whether the network has a key at all
			// (lab: capab=0x401 open, 0x411 WPA2).
			if c, err := strconv.ParseUint(strings.TrimPrefix(g[3], "0x"), 16, 16); err == nil && strings.HasPrefix(g[3], "0x") {
				e.Name = diagnostics.CapabOpen
				if c&0x0010 != 0 {
					e.Name = diagnostics.CapabPrivacy
				}
			}
		} else if g := reKAuthResp.FindStringSubmatch(msg); g != nil {
			e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(g[2])
			e.Code, _ = strconv.Atoi(g[3])
		} else if g := reKAuthDenied.FindStringSubmatch(msg); g != nil {
			e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(g[2])
			e.Code, _ = strconv.Atoi(g[3])
		} else if g := reKDeauthAssoc.FindStringSubmatch(msg); g != nil {
			// The AP's reason, as for any deauth it sends.
			e.Kind, e.BSSID, e.Name = diagnostics.KindDisconnect, normBSSID(g[2]), "while associating"
			e.Code, _ = strconv.Atoi(g[3])
		} else if g := reKDenied.FindStringSubmatch(msg); g != nil {
			e.Kind = diagnostics.KindAssocStatus
			e.Code, _ = strconv.Atoi(g[1])
		} else if g := reKLocalChoice.FindStringSubmatch(msg); g != nil {
			// The station left or gave up on its own
			// (ieee80211_mgd_deauth, ieee80211_mgd_disassoc; 3.x and
			// older print "(reason=%d)", later "(Reason: %u=%s)"):
			// negative, as wpa_supplicant marks locally generated
			// reasons.
			e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(g[2])
			c, _ := strconv.Atoi(g[3])
			e.Code = -c
		} else if g := reKDeauth.FindStringSubmatch(msg); g != nil {
			e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(g[2])
			e.Code, _ = strconv.Atoi(g[3])
		} else if strings.HasSuffix(body, "associated") && !strings.Contains(body, " ") {
			e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteAssociated
		} else {
			return p, drop
		}
	default:
		return p, pass
	}
	return p, take
}
