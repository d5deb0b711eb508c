package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// iwd's daemon lines and iwctl's answers.
//
// iwd logs little at its default level: its l_error/l_warn/l_info lines
// (netdev.c, scan.c, station.c, main.c) and, since 2.15, one notice per
// station state change and connection event (src/iwd.h iwd_notice,
// commit d8a6fb86 "iwd: add iwd_notice for special event/state type of
// logging", 2024-02-22), written as
//
//	event: state, old: connecting (auto), new: connected
//	event: connect-failed, status: 17
//
// iwctl prints a failed D-Bus call as the error's message alone, in red
// (client/dbus-proxy.c, dbus_message_has_error -> display_error), and
// iwd's messages are fixed per error name (src/dbus.c, dbus_error_*;
// dbus_error_from_errno maps the errnos), so the whole line is a code:
//
//	Operation already in progress    net.connman.iwd.InProgress (EBUSY)
//	Argument format is invalid       net.connman.iwd.InvalidFormat (EBADMSG)
//
// Sources: iwd 2.22 (git.kernel.org/pub/scm/network/wireless/iwd.git,
// read from its github.com/illiliti/eiwd fork at ff672504): src/station.c,
// src/netdev.c, src/scan.c, src/eapol.c, src/network.c, src/dbus.c,
// src/device.c, src/wiphy.c, src/main.c, client/station.c,
// client/device.c, client/dbus-proxy.c, client/display.c.

var recIwd = recognizer{
	name:  "iwd",
	title: "iwd (iwd, iwctl)",
	keys: []string{
		"connect-failed", "Failed to connect", "Waiting for IWD to start",
		// iwd >= 2.15 notices (src/iwd.h IWD_NOTICE_*)
		"event: state, ", "event: authentication-timeout", "event: association-timeout",
		"event: connect-timeout", "event: disconnect-info",
		// daemon lines
		"handshake failed for ifindex", "Received Deauthentication event", "deauth event, src=",
		"disconnect event, src=", "authentication timed out", "authentication event timed out",
		"association timed out",
		"Received error during CMD_TRIGGER_SCAN", "Error bringing interface ",
		"Name request failed", "Failed to initialize D-Bus", "netlink socket",
		"D-Bus disconnected, quitting", "is another supplicant running",
		// iwctl
		"IWD dbus objects", "Invalid network name '", "Provided network name is ambiguous",
		"No station on device: ", "No devices in Station mode available", " not found.",
		"Operation failed", "Operation already in progress", "Argument format is invalid",
		"Not configured", "Operation not available", "No Agent registered", "Operation aborted",
		"net.connman.iwd.", // the error names, as gdbus, busctl and dbus-send print them
	},
	progs: []string{"iwd", "iwctl"},
	parse: parseIwd,
}

var (
	// src/station.c, station_retry_with_reason: the handshake's 802.11
	// reason code (NETDEV_RESULT_HANDSHAKE_FAILED).
	reIwdConnFailReason = regexp.MustCompile(`event: connect-failed, reason: (\d+)`)
	// src/station.c, station_enter_state.
	reIwdState = regexp.MustCompile(`event: state, old: ([a-z_ ()-]+?), new: ([a-z_ ()-]+?)\s*$`)
	// src/netdev.c, netdev_connect_event: an NL80211_TIMEOUT_* value.
	reIwdConnTimeout = regexp.MustCompile(`event: connect-timeout, reason: (\d+)`)
	// src/netdev.c, netdev_handshake_failed.
	reIwdHandshake = regexp.MustCompile(`4-Way handshake failed for ifindex: (\d+), reason: (\d+)`)
	// src/netdev.c, netdev_disconnect_event.
	reIwdDeauth = regexp.MustCompile(`Received Deauthentication event, reason: (\d+), from_ap: (true|false)`)
	// src/netdev.c, netdev_deauthenticate_event (a deauthentication frame
	// from the AP while authenticating).
	reIwdDeauthFrame = regexp.MustCompile(`deauth event, src=([0-9a-fA-F:]{17}) .*reason=(\d+)`)
	// src/scan.c, scan_request_triggered.
	reIwdScanErr = regexp.MustCompile(`Received error during CMD_TRIGGER_SCAN: (.+) \((\d+)\)`)
	// src/netdev.c, netdev_initial_up_cb.
	reIwdUpErr = regexp.MustCompile(`Error bringing interface \d+ up: (.+?)\s*$`)
	// client/station.c, find_network; client/station.c, cmd_* ; client/device.c, device_proxy_find_by_name.
	reIwctlBadNet    = regexp.MustCompile(`Invalid network name '(.*)'`)
	reIwctlNoStation = regexp.MustCompile(`No station on device: '([^']*)'`)
	reIwctlNoDevice  = regexp.MustCompile(`^Device (\S+) not found\.$`)
)

// iwctlErrors are iwd's D-Bus error messages (src/dbus.c) as iwctl prints
// them, alone on the line; the ones not listed (Not connected, Object not
// found, Argument type is wrong, Operation not supported, Permission
// Denied) answer several unrelated calls and name no cause of a failed
// join.
var iwctlErrors = map[string]func(p *parsed){
	// dbus_error_failed: Station.Connect ended without a connection
	// (station_connect_cb: a handshake, authentication or association
	// failure, or netconfig failing), or another call failed. The cause
	// is in iwd's journal, not here.
	"Operation failed": func(p *parsed) {
		p.ev.Kind, p.role = diagnostics.KindNote, roleTerminal
	},
	// dbus_error_busy (EBUSY): Station.Scan while iwd's own D-Bus scan
	// runs or while connecting (station_dbus_scan), or Connect while an
	// OWE hidden-network scan runs. A scan runs or a connection is
	// being made: what nmcli's "already scanning" says.
	"Operation already in progress": func(p *parsed) {
		p.ev.Kind, p.ev.Name = diagnostics.KindScanBusy, diagnostics.ScanDeferred
	},
	// dbus_error_invalid_format (EBADMSG): the passphrase the agent
	// gave was refused by __network_set_passphrase (not 8 to 63
	// printable ASCII characters: src/crypto.c,
	// crypto_passphrase_is_valid) (src/network.c, passphrase_callback).
	"Argument format is invalid": func(p *parsed) {
		p.ev.Kind, p.role = diagnostics.KindInvalidInput, roleTerminal
	},
	// dbus_error_not_configured (ENOKEY): an 802.1X network without
	// the provisioning file it needs (src/network.c,
	// network_connect_8021x, eap_check_settings).
	"Not configured": func(p *parsed) {
		p.ev.Kind, p.role = diagnostics.KindInvalidInput, roleTerminal
	},
	// dbus_error_no_agent: no agent registered to ask for the
	// passphrase (network_connect_psk, agent_request_passphrase).
	"No Agent registered": func(p *parsed) {
		p.ev.Kind, p.role = diagnostics.KindInvalidInput, roleTerminal
	},
	// dbus_error_not_available: -ERFKILL (dbus_error_from_errno: a
	// scan the kernel refused for the kill switch), or Adapter.Powered
	// set while the wiphy is hard-blocked (src/wiphy.c,
	// wiphy_property_set_powered). iwd gives it too for WSC, DPP and AP
	// calls on a device without a station or a started AP (src/wsc.c,
	// src/dpp.c, src/ap.c) and for EAP-SIM/AKA without a SIM provider
	// (network_connect_8021x), none of them a join of hotspotctl's.
	"Operation not available": func(p *parsed) {
		p.ev.Kind, p.ev.OK, p.ev.Name, p.role = diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (iwd: Operation not available)", roleTerminal
	},
	// dbus_error_aborted: the agent's passphrase request was cancelled
	// (passphrase_callback), or another request replaced this one
	// (station_connect_cb, NETDEV_RESULT_ABORTED).
	"Operation aborted": func(p *parsed) {
		p.ev.Kind, p.role = diagnostics.KindNote, roleTerminal
	},
}

// iwdErrorNames are the D-Bus error names of iwctlErrors' messages
// (src/dbus.c), for clients that print the name ("GDBus.Error:
// net.connman.iwd.Failed: Operation failed", busctl, dbus-send).
var iwdErrorNames = map[string]string{
	"Failed": "Operation failed", "InProgress": "Operation already in progress",
	"InvalidFormat": "Argument format is invalid", "NotConfigured": "Not configured",
	"NoAgent": "No Agent registered", "NotAvailable": "Operation not available",
	"Aborted": "Operation aborted",
}

var reIwdErrorName = regexp.MustCompile(`net\.connman\.iwd\.(\w+)`)

func parseIwd(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, prog := m.msg, m.prog
	e.Source = diagnostics.SourceIwd
	line := strings.TrimSpace(msg)
	if f, ok := iwctlErrors[line]; ok {
		if prog != "" && prog != "iwctl" {
			return p, pass
		}
		e.Name = "iwctl: " + line
		f(&p)
		return p, take
	}
	if strings.Contains(msg, "net.connman.iwd.") {
		g := reIwdErrorName.FindStringSubmatch(msg)
		if g == nil || m.prog == "NetworkManager" {
			return p, pass
		}
		text, ok := iwdErrorNames[g[1]]
		if !ok {
			return p, pass
		}
		e.Name = "iwd: " + text
		iwctlErrors[text](&p)
		return p, take
	}
	switch {
	case strings.Contains(msg, "event: connect-failed, reason: "):
		// A failed handshake (station_retry_with_reason); the same
		// reason as netdev's "4-Way handshake failed" line before it.
		g := reIwdConnFailReason.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[1])
		iwdHandshakeFailed(&p, code)
	case strings.Contains(msg, "connect-failed"):
		// station_retry_with_status: the status code of a refused
		// authentication or association.
		g := reIwdConnFail.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, p.role = diagnostics.KindAuthStatus, roleTerminal
		e.Code, _ = strconv.Atoi(g[1])
		if e.Code == 0 {
			e.Kind, e.Name = diagnostics.KindNote, "connect-failed"
		}
	case strings.Contains(msg, "4-Way handshake failed for ifindex"):
		g := reIwdHandshake.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		code, _ := strconv.Atoi(g[2])
		iwdHandshakeFailed(&p, code)
	case strings.Contains(msg, "event: state, "):
		g := reIwdState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		iwdState(&p, g[1], g[2])
	case strings.Contains(msg, "event: authentication-timeout"):
		// netdev_authenticate_event: NL80211_ATTR_TIMED_OUT, the AP did
		// not answer the authentication request.
		e.Kind = diagnostics.KindAuthTimeout
	case strings.Contains(msg, "event: association-timeout"):
		// netdev_associate_event: NL80211_ATTR_TIMED_OUT.
		e.Kind = diagnostics.KindAssocTimeout
	case strings.Contains(msg, "event: connect-timeout"):
		// netdev_connect_event, a FullMAC driver's CMD_CONNECT timing
		// out; the reason is enum nl80211_timeout_reason (1 scan, 2
		// authentication, 3 association).
		g := reIwdConnTimeout.FindStringSubmatch(msg)
		code := 0
		if g != nil {
			code, _ = strconv.Atoi(g[1])
		}
		switch code {
		case 2:
			e.Kind = diagnostics.KindAuthTimeout
		case 3:
			e.Kind = diagnostics.KindAssocTimeout
		default:
			// The driver's own scan for the BSS, or no reason given:
			// not a refusal by the AP.
			e.Kind, e.Name, e.Code = diagnostics.KindNote, "connect-timeout", code
		}
	case (prog == "iwd" || prog == "") && (line == "authentication timed out" || line == "authentication event timed out"):
		// iwd <= 2.14, before the notices: netdev_authenticate_event
		// ("authentication timed out" up to 1.29, "authentication
		// event timed out" from 2.0) and, up to 1.29,
		// netdev_connect_event (a FullMAC driver's CMD_CONNECT timing
		// out).
		e.Kind = diagnostics.KindAuthTimeout
	case (prog == "iwd" || prog == "") && line == "association timed out":
		// iwd <= 2.14: netdev_associate_event.
		e.Kind = diagnostics.KindAssocTimeout
	case strings.Contains(msg, "disconnect event, src="):
		// netdev_unprot_disconnect_event ("unprotected disconnect
		// event" since 2.14, "disconnect event" before): an
		// unprotected disassociation under MFP, which iwd answers with
		// an SA Query; the link stays unless the query fails.
		e.Kind, e.Name = diagnostics.KindNote, "unprotected disassociation (SA Query)"
	case strings.Contains(msg, "event: disconnect-info"):
		// station_connect_cb and station_disconnect_event: the same
		// disconnection netdev's "Received Deauthentication event"
		// line gives with its direction.
		e.Kind, e.Name = diagnostics.KindNote, "disconnect-info"
	case strings.Contains(msg, "Received Deauthentication event"):
		// netdev_disconnect_event, for every NL80211_CMD_DISCONNECT:
		// from_ap true is the AP's deauthentication or disassociation,
		// false the station's own (negative, as wpa_supplicant marks a
		// locally generated reason).
		g := reIwdDeauth.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind = diagnostics.KindDisconnect
		e.Code, _ = strconv.Atoi(g[1])
		if g[2] == "false" {
			e.Code = -e.Code
		}
	case strings.Contains(msg, "deauth event, src="):
		// netdev_deauthenticate_event: the AP deauthenticated the
		// station while it authenticated (frames the station sent
		// itself are ignored); the connection fails
		// (NETDEV_RESULT_AUTHENTICATION_FAILED).
		g := reIwdDeauthFrame.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(g[1])
		e.Code, _ = strconv.Atoi(g[2])
	case strings.Contains(msg, "Received error during CMD_TRIGGER_SCAN"):
		// scan_request_triggered. iwd waits on EBUSY (another scan
		// runs) without logging it; the errno is kept in case a build
		// logs it.
		g := reIwdScanErr.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		errno, _ := strconv.Atoi(g[2])
		e.Code = -errno
		switch errno {
		case 16:
			e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
		case 11:
			// brcmfmac's "busy" (see wpaScanErrno).
			e.Kind, e.Name = diagnostics.KindScanBusy, "EAGAIN"
		case 132:
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (scan refused)"
		case 100:
			// nl80211_trigger_scan's -ENETDOWN: the interface is not
			// up, someone took it down under iwd (which brings it up
			// itself) for a moment: neither a busy radio nor a failed
			// scan, a note (see wpaScanErrno).
			e.Kind, e.Name = diagnostics.KindNote, scanIfaceDown
		case 19:
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
		default:
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), g[1]
		}
	case strings.Contains(msg, "Error bringing interface "):
		// netdev_initial_up_cb: iwd could not bring the interface up.
		g := reIwdUpErr.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		switch g[1] {
		case "Operation not possible due to RF-kill", "Unknown error 132":
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (interface up refused)"
		default:
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "interface up failed: "+g[1]
		}
	case prog == "iwd" && (strings.HasPrefix(line, "Name request failed") || strings.HasPrefix(line, "Failed to initialize D-Bus") ||
		strings.HasPrefix(line, "Failed to open generic netlink socket") || strings.HasPrefix(line, "Failed to open route netlink socket") ||
		strings.HasPrefix(line, "D-Bus disconnected, quitting")):
		// src/main.c: request_name_callback (net.connman.iwd is owned
		// by another iwd, or the bus policy refuses it), main's
		// start-up failures, dbus_disconnected: iwd exits.
		e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "iwd: "+strings.TrimSuffix(line, "...")
	case strings.Contains(msg, "is another supplicant running"):
		// netdev_connect_event and netdev_authenticate_event: the
		// kernel reports a connection iwd did not start.
		e.Kind, e.Name = diagnostics.KindNote, "another supplicant running?"
	case strings.Contains(msg, "Failed to retrieve IWD dbus objects") || strings.Contains(msg, "Failed to parse IWD dbus objects"):
		// client/dbus-proxy.c, get_managed_objects_callback: iwctl
		// reached the bus but not iwd's objects, and quits.
		e.Kind, e.OK, e.Name, p.role = diagnostics.KindBackend, diagnostics.Bool(false), "iwd not answering", roleTerminal
	case strings.Contains(msg, "Invalid network name '"):
		// client/station.c, find_network: the name is not among the
		// station's networks, which are iwd's scan results: what
		// nmcli's "No network with SSID" says.
		g := reIwctlBadNet.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		*e = deviceState("", "failed", "ssid-not-found", nil)
		e.Source, e.SSID, p.role = diagnostics.SourceIwd, cleanSSID(g[1]), roleTerminal
	case strings.HasPrefix(line, "Provided network name is ambiguous"):
		// client/station.c, find_network: an open and a secured
		// network share the name and no security type was given.
		e.Kind, e.Name, p.role = diagnostics.KindInvalidInput, "iwctl: ambiguous network name", roleTerminal
	case strings.Contains(msg, "No station on device: '"):
		// client/station.c: the device has no Station interface. iwd
		// removes it while the device is powered off (rfkill,
		// Powered=false) and in AP or ad-hoc mode.
		g := reIwctlNoStation.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Kind, e.OK, e.Name, e.Iface, p.role = diagnostics.KindDevice, diagnostics.Bool(false), "no station (powered off or not in station mode)", g[1], roleTerminal
	case strings.HasPrefix(line, "No devices in Station mode available"):
		// client/station.c, cmd_list.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "no station device"
	case strings.HasPrefix(line, "Device ") && strings.HasSuffix(line, " not found."):
		// client/device.c, device_proxy_find_by_name: iwd has no
		// device of that name.
		g := reIwctlNoDevice.FindStringSubmatch(line)
		if g == nil || (prog != "" && prog != "iwctl") {
			return p, pass
		}
		e.Kind, e.OK, e.Name, e.Iface, p.role = diagnostics.KindDevice, diagnostics.Bool(false), "missing", g[1], roleTerminal
	case strings.Contains(msg, "Failed to connect") && (prog == "iwd" || prog == "iwctl" || strings.Contains(msg, "iwd")):
		g := reIwdFailed.FindStringSubmatch(msg)
		e.Kind, p.role = diagnostics.KindNote, roleTerminal
		if g != nil {
			e.Name = "failed to connect: " + g[1]
		}
	case strings.HasPrefix(line, "Waiting for IWD to start"):
		// iwctl's prompt while net.connman.iwd has no owner on the bus
		// (client/display.c, display_disable_cmd_prompt, set when the
		// service disappears or was never there): iwd is not running.
		e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "iwd not running"
	default:
		return p, pass
	}
	return p, take
}

// iwdHandshakeFailed maps a failed 4-way handshake (src/netdev.c,
// netdev_handshake_failed; src/eapol.c, handshake_failed). Reason 15 is
// iwd's own timer (eapol_timeout: message 3/4 did not come within
// eapol_4way_handshake_time, 2 s; the timer stops once message 3/4 is
// handled), which is how an AP that cannot verify message 2/4's MIC, a
// wrong passphrase, answers: iwd asks for the passphrase again
// (network_connect_failed with in_handshake set). The other reasons are
// iwd refusing the AP's frames (17 IE different, 72 invalid IE, 1 a bad
// frame or no kernel crypto, 23 an 802.1X failure): locally generated,
// not the key.
func iwdHandshakeFailed(p *parsed, reason int) {
	e := &p.ev
	p.role = roleTerminal
	if reason == 15 {
		e.Kind = diagnostics.KindPskMismatch
		return
	}
	e.Kind, e.Code = diagnostics.KindDisconnect, -reason
}

// iwdState maps a station state change (src/station.c,
// station_state_to_string: disconnected, autoconnect_quick,
// autoconnect_full, connecting, connecting (auto), connecting
// (netconfig), connected, disconnecting, roaming, ft-roaming, fw-roaming).
func iwdState(p *parsed, old, cur string) {
	e := &p.ev
	e.OldState, e.State = old, cur
	switch {
	case (cur == "connecting" || cur == "connecting (auto)") && !strings.HasPrefix(old, "connecting"):
		// __station_connect_network: a Connect call or autoconnect
		// begins; a retry on the next BSS stays in the state.
		e.Kind, e.Name, p.role = diagnostics.KindActivationStart, "iwd "+cur, roleStartRequest
		e.OldState, e.State = "", ""
	case cur == "connected" && old == "connecting (netconfig)":
		// station_netconfig_event_handler: iwd's own DHCP
		// (EnableNetworkConfiguration) got its address.
		e.Kind, e.Name, p.role = diagnostics.KindJoined, "iwd connected", roleTerminal
		e.OldState, e.State = "", ""
	case cur == "connected" && strings.HasPrefix(old, "connecting"):
		// station_connect_ok without netconfig: associated and keyed;
		// the address is another daemon's business.
		e.Kind, e.State, e.OldState = diagnostics.KindSupplicantState, "completed", ""
	case cur == "disconnecting" && old == "connecting (netconfig)":
		// station_netconfig_event_handler, NETCONFIG_EVENT_FAILED:
		// iwd's DHCP gave up and iwd disconnects. (A Disconnect call
		// in that state looks the same.)
		e.Kind, e.OK, e.Name, p.role = diagnostics.KindDHCP, diagnostics.Bool(false), "iwd netconfig failed", roleTerminal
		e.OldState, e.State = "", ""
	case cur == "disconnected" && strings.HasPrefix(old, "connecting"):
		// station_connect_cb: every BSS was tried and failed; the
		// cause is the connect-failed or timeout event before.
		e.Kind, e.Name, p.role = diagnostics.KindNote, "iwd connect failed", roleTerminal
	default:
		e.Kind, e.Name = diagnostics.KindNote, "iwd "+cur
	}
}
