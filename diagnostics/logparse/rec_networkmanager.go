package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// NetworkManager's log lines, old (0.9: "Activation (wlan0) ...") and new
// (1.x: "device (wlan0): state change: ...", "audit: op=..."): device and
// supplicant interface states, activations, secrets, DHCP, the radio and
// its own start and stop.

var recNetworkManager = recognizer{
	name:  "networkmanager",
	title: "NetworkManager (0.9 to 1.4x)",
	keys: []string{
		"state change",         // device state
		"interface state",      // supplicant interface state
		"Activation",           // activation start, failure, success, timers
		"-activat",             // policy: auto-activating; audit op="connection-(add-)activate"
		"secrets",              // secrets requests
		"added 'ssid'",         // supplicant config
		"wireless network",     // "Connected to wireless network"
		"dhcp4 (",              // DHCP
		"DHCPv4",               // older DHCP
		"radio",                // rfkill and radio-control
		"now disabled",         // Wi-Fi now disabled (by radio killswitch)
		"now enabled",          //
		"caught SIG",           // stopping
		"exiting (",            // exited
		"is starting",          // started
		"not allowed",          // wifi-scan: scanning requested but not allowed
		"disconnected (reason", // supplicant: Connection disconnected (reason -4)
		"scan-done callback",   // wifi-scan: scan-done callback: failed
		"scan request result",  // 0.9 to 1.2x: Could not get scan request result: ...
		"connection state:",    // 0.8: supplicant connection state: scanning -> associating
	},
	progs: []string{"NetworkManager"},
	parse: parseNetworkManager,
}

func parseNetworkManager(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, prog := m.msg, m.prog
	switch {
	case strings.Contains(msg, "wifi-scan: scanning requested but not allowed"):
		// NetworkManager 1.2x debug: its periodic or requested scan was
		// refused because the device is busy (activating, in P2P use,
		// or another scan running; nm-device-wifi.c
		// check_scanning_prohibited) and rescheduled.
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceNM, diagnostics.KindScanBusy, m.nmIface(), diagnostics.ScanDeferred
	case strings.Contains(msg, "ould not get scan request result: "):
		// nm-supplicant-interface.c, scan_request_cb (0.9 to 1.2x at
		// warn; since 1.4 ScanError only at debug, "request-scan: could
		// not get scan request result"): wpa_supplicant answered the
		// Scan call with an error. Its ScanError "Scan request
		// rejected" (dbus_new_handlers.c, wpas_dbus_handler_scan) is
		// wpa_supplicant_trigger_scan failing, which it does while its
		// own scan is pending: a deferral, that scan runs. Other
		// errors (no reply from wpa_supplicant) are notes.
		e.Source, e.Iface = diagnostics.SourceNM, m.nmIface()
		if strings.Contains(msg, "ScanError") {
			e.Kind, e.Name = diagnostics.KindScanBusy, diagnostics.ScanDeferred
		} else {
			e.Kind, e.Name = diagnostics.KindNote, "scan request failed"
		}
	case strings.Contains(msg, "wifi-scan: scan-done callback: "):
		// nm-device-wifi.c, supplicant_iface_scan_done_cb (1.2 to 1.20,
		// debug): wpa_supplicant's ScanDone signal and its success flag.
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindScanDone, m.nmIface()
		switch {
		case strings.HasSuffix(strings.TrimSpace(msg), "scan-done callback: successful"):
			e.OK = diagnostics.Bool(true)
		case strings.HasSuffix(strings.TrimSpace(msg), "scan-done callback: failed"):
			e.OK = diagnostics.Bool(false)
		default:
			return p, drop
		}
	case strings.Contains(msg, "supplicant connection state:"):
		// NetworkManager 0.8 (src/nm-device-wifi.c, its supplicant
		// connection-state handler): "(wlan0): supplicant
		// connection state:  scanning -> associating", the name 0.9
		// changed to "supplicant interface state".
		g := reNMOldSupConn.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindSupplicantState, m.nmIface()
		e.OldState, e.State = normState(g[1]), normState(g[2])
	case strings.Contains(msg, "onnection disconnected (reason "):
		// nm-supplicant-interface.c, props_changed_cb (0.9 to 1.20):
		// "Connection disconnected (reason %d)" is wpa_supplicant's
		// DisconnectReason, the 802.11 reason code, negative when the
		// station generated it locally (mac80211 gave the AP up, or we
		// left).
		g := reNMDisconnReason.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindDisconnect, m.nmIface()
		e.Code, _ = strconv.Atoi(g[1])
	case strings.Contains(msg, "dhcp4 (") && strings.Contains(msg, "state changed new lease"):
		// nm-dhcp-client.c (1.36 on): "dhcp4 (wlan0): state changed new
		// lease, address=192.168.1.5".
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceNM, diagnostics.KindDHCP, diagnostics.Bool(true), "lease", m.nmIface()
		if g := reNMDHCPIface.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
	case strings.Contains(msg, "dhcp4 (") && strings.Contains(msg, "state changed no lease"):
		// nm-dhcp-client.c (1.36 on) logs "no lease" whenever a
		// transaction ends without one, also when NetworkManager cancels
		// and restarts it in the same millisecond: not a failure by
		// itself (the timeout and the device's ip-config-unavailable are).
		e.Source, e.Kind, e.Name, e.Iface = diagnostics.SourceNM, diagnostics.KindNote, "dhcp4 no lease", m.nmIface()
		if g := reNMDHCPIface.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
	case strings.Contains(msg, "state change:") && !strings.Contains(msg, "management interface"):
		g := reDevState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		*e = deviceState(g[1], g[2], g[3], g[4:])
		e.Source, e.Iface = diagnostics.SourceNM, m.nmIface()
		switch e.State {
		case "failed":
			p.role = roleTerminal
		case "unavailable", "unmanaged":
			if e.OldState != "unmanaged" && e.OldState != "unavailable" {
				// Also what every shutdown logs: it ends an attempt
				// but does not make one.
				p.role = roleEndIfOpen
			}
		}
	case strings.Contains(msg, "supplicant interface state:"):
		g := reSupState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindSupplicantState, m.nmIface()
		e.OldState, e.State = normState(g[1]), normState(g[2])
	case strings.Contains(msg, "audit: op="):
		g := reAudit.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source = diagnostics.SourceNM
		if n := reAuditIface.FindStringSubmatch(msg); n != nil {
			e.Iface = n[1]
		}
		op, result, reason := g[1], g[3], g[4]
		switch {
		case result != "success" && (strings.Contains(reason, "ot authorized") || strings.Contains(strings.ToLower(reason), "permission")):
			e.Kind, e.Name, p.role = diagnostics.KindPermission, op, roleTerminal
		case op == "radio-control":
			arg := ""
			if n := reAuditArg.FindStringSubmatch(msg); n != nil {
				arg = n[1]
			}
			if !strings.HasPrefix(arg, "wireless-enabled:") || result != "success" {
				return p, drop
			}
			on := strings.HasSuffix(arg, ":on") || strings.HasSuffix(arg, ":1") || strings.HasSuffix(arg, ":true")
			e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(on)
			if !on {
				e.Name = "nm-disabled"
			}
		case strings.HasPrefix(op, "connection-") && strings.HasSuffix(op, "activate") && !strings.HasSuffix(op, "deactivate"):
			if n := reAuditName.FindStringSubmatch(msg); n != nil {
				e.Name = n[1]
			}
			if result == "success" {
				e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
			} else {
				e.Kind, e.Name, p.role = diagnostics.KindNote, "activation request failed: "+reason, roleTerminal
			}
		default:
			return p, drop
		}
	case strings.Contains(msg, "Activation"):
		e.Source, e.Iface = diagnostics.SourceNM, m.nmIface()
		if g := reActStart.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, p.role = diagnostics.KindActivationStart, g[1], roleStartDevice
		} else if g := reActFailed.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, p.role = diagnostics.KindNote, "activation failed: "+g[1], roleTerminal
		} else if reActSuccess.MatchString(msg) {
			e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		} else if reAssocLong.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "association took too long"
		} else if reSecReq.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "secrets required"
		} else if g := reConnected.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, e.SSID = diagnostics.KindNote, "connected to wireless network", cleanSSID(g[1])
		} else if reNewSecrets.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "asking for new secrets"
		} else {
			return p, drop
		}
	case strings.Contains(msg, "-activating connection"):
		g := reAutoAct.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Name, p.role = diagnostics.SourceNM, diagnostics.KindActivationStart, g[1], roleStartRequest
	case strings.Contains(msg, "added 'ssid'"):
		g := reCfgSSID.FindStringSubmatch(msg)
		if g == nil || cleanSSID(g[1]) == "" {
			return p, drop
		}
		e.Source, e.Kind, e.Name, e.SSID, e.Iface = diagnostics.SourceNM, diagnostics.KindNote, "ssid", g[1], m.nmIface()
	case strings.Contains(msg, "dhcp4 (") || strings.Contains(msg, "DHCPv4"):
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindDHCP
		if g := reDHCPTO.FindStringSubmatch(msg); g != nil {
			e.Iface, e.OK, e.Name = g[1]+g[2], diagnostics.Bool(false), "timeout"
		} else if g := reDHCPLease.FindStringSubmatch(msg); g != nil {
			e.Iface, e.OK, e.Name = g[1], diagnostics.Bool(true), "lease"
		} else if g := reDHCPState.FindStringSubmatch(msg); g != nil {
			switch g[2] {
			case "timeout", "fail", "failed", "expire", "expired", "terminated", "abend", "end", "done":
				e.Iface, e.OK, e.Name = g[1], diagnostics.Bool(false), g[2]
			case "bound", "bound6", "renew", "rebind", "reboot", "extended":
				e.Iface, e.OK, e.Name = g[1], diagnostics.Bool(true), g[2]
			default:
				return p, drop
			}
		} else {
			return p, drop
		}
	case reKillswitch.MatchString(msg) && (prog == "" || prog == "NetworkManager" || strings.Contains(msg, "rfkill")):
		g := reKillswitch.FindStringSubmatch(msg)
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindRadio
		switch {
		case g[3] != "":
			e.OK = diagnostics.Bool(g[3] == "enabled")
			e.Name = "hard-blocked"
		case g[2] != "":
			e.OK = diagnostics.Bool(g[1] == "enabled")
			e.Name = "soft-blocked"
		default:
			e.OK = diagnostics.Bool(g[1] == "enabled")
			e.Name = "nm-disabled"
		}
		if *e.OK {
			e.Name = ""
		}
	case prog == "NetworkManager" && (strings.HasPrefix(msg, "caught SIG") || strings.HasPrefix(msg, "exiting (") ||
		strings.Contains(msg, ") is starting...") || strings.HasPrefix(msg, "NetworkManager (version")):
		// NetworkManager's own life: stopping makes it unreachable, a
		// start makes it reachable again.
		e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindBackend
		if strings.Contains(msg, "is starting") {
			e.OK, e.Name = diagnostics.Bool(true), "networkmanager started"
		} else if strings.HasPrefix(msg, "caught SIG") {
			if !strings.Contains(msg, "shutting down") {
				return p, drop
			}
			e.OK, e.Name = diagnostics.Bool(false), "networkmanager stopping"
		} else {
			e.OK, e.Name = diagnostics.Bool(false), "networkmanager exited"
		}
	default:
		return p, pass
	}
	return p, take
}

var (
	reNMDisconnReason = regexp.MustCompile(`[Cc]onnection disconnected \(reason (-?\d+)\)`)
	reNMOldSupConn    = regexp.MustCompile(`supplicant connection state:\s+(.+?) -> (.+?)\s*$`)
	reNMDHCPIface     = regexp.MustCompile(`dhcp4 \(([^)]+)\)`)
)
