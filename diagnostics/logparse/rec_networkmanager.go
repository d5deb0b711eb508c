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
		// wpa_supplicant's reachability as NetworkManager saw it.
		"wpa_supplicant stopped", "wpa_supplicant started", "wpa_supplicant running",
		"wpa_supplicant die count", "wpa_supplicant proxy", "talk to wpa_supplicant",
		"supplicant manager state", // 0.8
		"initialize supplicant interface", "keeps failing", "re-acquiring supplicant",
		"error adding interface", // 0.9 to 1.20: sup-iface[...]: error adding interface: ...
		"not available because",  // 0.9 to 1.0 debug: why a device is unavailable
		// The device itself.
		"firmware may", "to initialize Wi", "plugin not available",
		"by state file",    // start-up: rfkill and networking state
		"radio killswitch", // rfkill0: found Wi-Fi radio killswitch
		"DHCP: device",     // 0.8 DHCP state
		"bind to a lease",  // 0.8 to 0.9: DHCP client didn't bind to a lease
		"took too long",    // 0.8: DHCP transaction took too long
		"failed to start",  // dhclient / dhcpcd failed to start
		"usable DHCP client",
		"No agents were available", "no secrets: ",
		"not authorized",     // manager: <permission> request failed: not authorized
		"networking-control", // audit: op="networking-control" arg="off"
		"link timed out",
	},
	progs: []string{"NetworkManager"},
	parse: parseNetworkManager,
}

func parseNetworkManager(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, prog := m.msg, m.prog
	if p, res, ok := parseNMAvailability(m); ok {
		return p, res
	}
	switch {
	case strings.Contains(msg, "wifi-scan: kickoff: don't scan ("):
		// NetworkManager 1.22 on (nm-device-wifi.c, _scan_kickoff; trace
		// level, _LOGT_scan prefixes "wifi-scan: "): a scan it did not
		// start now. "explicit scan requested but not allowed" keeps the
		// request (scan_explicit_requested) until scanning is allowed
		// again, as when the device activates: a deferral, which a join
		// that then succeeds or a later scan ends. "periodic scan
		// currently not allowed" is the connected device's periodic
		// scanning switched off, and the rate-limit and waiting forms
		// are its timers: healthy, no event.
		if strings.Contains(msg, "(explicit scan requested but not allowed)") {
			e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceNM, diagnostics.KindScanBusy, m.nmIface(), diagnostics.ScanDeferred
			break
		}
		return p, drop
	case strings.Contains(msg, "wifi-scan: scanning requested but not allowed") || strings.Contains(msg, "scan requested but not allowed at this time"):
		// NetworkManager 1.2x debug: its periodic or requested scan was
		// refused because the device is busy (activating, in P2P use,
		// or another scan running; nm-device-wifi.c
		// check_scanning_prohibited) and rescheduled. 0.9 to 1.0 log
		// the same at debug as "(wlan0): scan requested but not
		// allowed at this time" (src/devices/wifi/nm-device-wifi.c,
		// request_wireless_scan).
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceNM, diagnostics.KindScanBusy, nmIfaceAny(m), diagnostics.ScanDeferred
	case strings.Contains(msg, "ould not get scan request result: "):
		// nm-supplicant-interface.c, scan_request_cb (0.9 to 1.2x at
		// warn; since 1.4 ScanError only at debug, "request-scan: could
		// not get scan request result"): wpa_supplicant answered the
		// Scan call with an error. Its ScanError "Scan request
		// rejected" (dbus_new_handlers.c, wpas_dbus_handler_scan) is
		// wpa_supplicant_trigger_scan failing, which it does while its
		// own scan is pending: a deferral, that scan runs. Other
		// errors (no reply from wpa_supplicant) are notes.
		e.Source, e.Iface = diagnostics.SourceNM, nmIfaceAny(m)
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
		old, new, reason := g[1], g[2], g[3]
		if o, n := nm08State(old), nm08State(new); o != "" || n != "" {
			// NetworkManager 0.8 (src/nm-device.c,
			// nm_device_state_changed): "(wlan0): device state
			// change: 5 -> 9 (reason 11)" numbers the states 0 to 9;
			// its reasons are numbered as in 0.9 and 1.x.
			if o != "" {
				old = o
			}
			if n != "" {
				new = n
			}
			if old == "0" {
				old = "unknown"
			}
			if new == "0" {
				new = "unknown"
			}
		}
		*e = deviceState(old, new, reason, g[4:])
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
		case op == "networking-control":
			// nm-manager.c, nm_manager_set_networking_enabled's
			// audit (nmcli networking on|off): off leaves every
			// device unmanaged, on manages them again.
			arg := ""
			if n := reAuditArg.FindStringSubmatch(msg); n != nil {
				arg = n[1]
			}
			if result != "success" || (arg != "on" && arg != "off") {
				return p, drop
			}
			e.Kind, e.OK = diagnostics.KindDevice, diagnostics.Bool(arg == "on")
			if arg == "off" {
				e.Name = "networking disabled in NetworkManager"
			} else {
				e.Name = "networking enabled"
			}
		case strings.HasPrefix(op, "connection-") && strings.HasSuffix(op, "activate") && !strings.HasSuffix(op, "deactivate"):
			if n := reAuditName.FindStringSubmatch(msg); n != nil {
				e.Name = n[1]
			}
			if result == "success" {
				e.Kind, p.role = diagnostics.KindActivationStart, roleStartRequest
			} else if g := reNMAuditDevUnavail.FindStringSubmatch(reason); g != nil {
				// nm-manager.c: the request named a device NetworkManager
				// cannot use: _internal_activate_device's "Connection
				// '%s' is not available on device %s because %s" and
				// the "No suitable device found for this connection
				// (device %s not available because %s)." of
				// validate_activation_request, with nm-device.c's
				// check_connection_available reasons. A profile that
				// does not fit the device ("profile is not compatible
				// with device") is not the device's failure.
				e.Kind, e.OK, e.Name, p.role = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable", roleTerminal
				if strings.Contains(g[3], "unmanaged") {
					e.Name = "unmanaged"
				}
				if e.Iface == "" {
					e.Iface = g[1] + g[2]
				}
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
		} else if g := reNM08ActFailed.FindStringSubmatch(msg); g != nil {
			// 0.8 src/nm-device-wifi.c and nm-device.c: "Activation
			// (wlan0) failed for access point (Home)", "Activation
			// (wlan0) failed.": the attempt ended.
			e.Kind, e.Name, p.role = diagnostics.KindNote, "activation failed", roleTerminal
			if g[1] != "" {
				e.Name += ": " + g[1]
			}
		} else if reActSuccess.MatchString(msg) {
			e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		} else if reAssocLong.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, "association took too long"
		} else if reSecReq.MatchString(msg) {
			e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteSecretsRequired
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
	reNMDisconnReason   = regexp.MustCompile(`[Cc]onnection disconnected \(reason (-?\d+)\)`)
	reNMOldSupConn      = regexp.MustCompile(`supplicant connection state:\s+(.+?) -> (.+?)\s*$`)
	reNMDHCPIface       = regexp.MustCompile(`dhcp4 \(([^)]+)\)`)
	reNMAuditDevUnavail = regexp.MustCompile(`(?:device ([\w.:@-]+) not available|is not available on device ([\w.:@-]+)) because (device is (?:strictly )?unmanaged|device is not available)`)
	reNM08ActFailed     = regexp.MustCompile(`Activation \([^)]+\) failed(?: for access point \((.*)\))?\.?\s*$`)
)

// nmProg reports whether a line with no program named, or NetworkManager's
// own, can be NetworkManager's: lines another daemon logs with the same
// words are not its evidence.
func nmProg(prog string) bool { return prog == "" || prog == "NetworkManager" }

// reNMIfaceAnywhere finds 0.9's "(wlan0): " after a debug line's
// "[nm-device-wifi.c:1183] is_available(): " location.
var reNMIfaceAnywhere = regexp.MustCompile(`\(\): \(([\w.:@-]+)\):? `)

// nmIfaceAny is m.nmIface, also for 0.9's debug lines.
func nmIfaceAny(m *message) string {
	if i := m.nmIface(); i != "" {
		return i
	}
	if g := reNMIfaceAnywhere.FindStringSubmatch(m.msg); g != nil {
		return g[1]
	}
	if g := reNMSupIfacePrefix.FindStringSubmatch(m.msg); g != nil {
		return g[1]
	}
	return ""
}

// reNMSupIfacePrefix is nm-supplicant-interface.c's own log prefix:
// "sup-iface[0x55d0d0c0,wlan0]: " (1.2 to 1.20, _NMLOG "[%p,%s]") and
// "sup-iface[4ec2f6ec0f3a5fb6,3,wlan0]: " (1.22 on, with the ifindex).
var reNMSupIfacePrefix = regexp.MustCompile(`^sup-iface\[(?:[^\],]*,)+([\w.:@-]+)\]: `)

var (
	// nm-supplicant-manager.c (0.9 to 1.20, info): "wpa_supplicant
	// started" / "stopped" (0.9 to 1.0, name_owner_changed), "wpa_supplicant
	// running" / "stopped" (1.2 to 1.20, _update_name_owner).
	reNMSupOwner = regexp.MustCompile(`(?:^|: )wpa_supplicant (started|running|stopped)\s*$`)
	// 0.8 src/nm-device-wifi.c, supplicant_mgr_state_cb_handler:
	// "(wlan0): supplicant manager state:  idle -> down".
	reNMSupMgrState = regexp.MustCompile(`supplicant manager state:\s+(\S+) -> (\S+)`)
	// nm-supplicant-interface.c's own prefix (1.2 to 1.20, _NMLOG:
	// "sup-iface[%p,%s]: ") and 0.9's "(wlan0): ".
	reNMSupIfaceTag = regexp.MustCompile(`(?:sup-iface\[[^,\]]*,|\()([\w.:@-]+)[\])]:? error adding interface`)
	// "Couldn't initialize supplicant interface for wlan0." (0.8 to 0.9)
	reNMSupIfaceFor = regexp.MustCompile(`initialize supplicant interface for ([\w.:@-]+?)\.?\s*$`)
	// wifi-utils.c / nm-wifi-factory.c: "(wlan0): failed to initialize
	// WiFi driver" (0.9), "(wlan0) failed to initialize Wi-Fi driver for
	// ifindex 3" (1.x).
	reNMWifiDriver = regexp.MustCompile(`\(([^)]+)\):? failed to initialize Wi-?Fi driver`)
	// nm-manager.c, nm_manager_start (0.9 on): "WiFi disabled by radio
	// killswitch; enabled by state file" (1.10 on "rfkill: Wi-Fi ...").
	reNMRadioInit = regexp.MustCompile(`(?i)(?:wi-?fi|wireless|wlan) (enabled|disabled) by radio killswitch; (enabled|disabled) by state file`)
	// nm-rfkill-manager.c: "rfkill0: found Wi-Fi radio killswitch (at
	// ...) (driver ...)" and 0.8's "Found WiFi radio killswitch rfkill0
	// (at ...)"; "radio killswitch /sys/... disappeared".
	reNMRfkillFound = regexp.MustCompile(`(?i)(?:found \S+ radio killswitch|radio killswitch \S+ disappeared)`)
	// 0.9 nm-dhcp-client.c, dhcp_client_set_state's listeners
	// (nm-device.c dhcp4_state_changed): "(wlan0): DHCPv4 state changed
	// preinit -> bound"; 0.8 nm-dhcp-manager.c, nm_dhcp_manager_handle_event:
	// "DHCP: device wlan0 state changed normal exit -> timeout".
	reNMOldDHCPState = regexp.MustCompile(`(?:\(([^)]+)\): DHCPv4 state changed|DHCP: device (\S+) state changed) (.+?) -> (.+?)\.?\s*$`)
	// "(wlan0): DHCPv4 client didn't bind to a lease." (0.9) and 0.8's
	// "wlan0: dhcp client didn't bind to a lease.".
	reNMDHCPNoBind = regexp.MustCompile(`(?i)(?:\(([^)]+)\): DHCPv4|([\w.-]+): dhcp) client didn't bind to a lease`)
	// 0.8 nm-dhcp-manager.c, nm_dhcp_manager_handle_timeout:
	// "(wlan0): DHCP transaction took too long, stopping it."
	reNMDHCPTooLong = regexp.MustCompile(`\(([^)]+)\): DHCP transaction took too long`)
	// nm-dhcp-dhclient.c / nm-dhcp-dhcpcd.c / nm-dhcp-dhcpcanon.c:
	// "dhclient failed to start.  error: '...'" (0.8), "dhclient failed
	// to start: '...'" (0.9), "dhcp4 (wlan0): dhclient failed to start:
	// ..." (1.x, the client's log prefix).
	reNMDHCPStart = regexp.MustCompile(`(?:^|: )(dhclient|dhcpcd|dhcpcanon) failed to start`)
	// nm-manager.c, device_auth_done_cb (0.9 on, debug): "<permission>
	// request failed: not authorized".
	reNMNotAuth = regexp.MustCompile(`(org\.freedesktop\.NetworkManager\.[\w.-]+) request failed: not authorized`)
)

// nm08States are NetworkManager 0.8's NMDeviceState numbers (0.8
// include/NetworkManager.h), which 0.9 renumbered in tens: "(wlan0): device
// state change: 5 -> 9 (reason 11)" is config -> failed.
var nm08States = []string{"unknown", "unmanaged", "unavailable", "disconnected", "prepare", "config", "need-auth", "ip-config", "activated", "failed"}

// nm08State returns 0.8's state name for a single-digit state number, or
// "" for anything else.
func nm08State(s string) string {
	if len(s) == 1 && s[0] >= '1' && s[0] <= '9' {
		return nm08States[s[0]-'0']
	}
	return ""
}

// reNMPluginMissing: "manager: (wlp2s0): 'wifi' plugin not available;
// creating generic device".
var reNMPluginMissing = regexp.MustCompile(`\(([\w.:@-]+)\): 'wifi' plugin not available`)

// parseNMAvailability reads NetworkManager's lines about what it cannot
// use: wpa_supplicant gone or unusable, a device without firmware or driver,
// the radio at start-up, DHCP clients across versions, secret agents and
// polkit refusals. ok is false for lines it does not know, which the main
// switch then reads.
func parseNMAvailability(m *message) (p parsed, res match, ok bool) {
	e := &p.ev
	msg, prog := m.msg, m.prog
	if !nmProg(prog) {
		return p, pass, false
	}
	fail := func(kind diagnostics.Kind, name string) (parsed, match, bool) {
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNM, kind, diagnostics.Bool(false), name
		if e.Iface == "" {
			e.Iface = nmIfaceAny(m)
		}
		return p, take, true
	}
	note := func(name string) (parsed, match, bool) {
		e.Source, e.Kind, e.Name, e.Iface = diagnostics.SourceNM, diagnostics.KindNote, name, nmIfaceAny(m)
		return p, take, true
	}
	switch {
	case strings.Contains(msg, "ouldn't initialize supplicant interface"):
		// nm-device-wifi.c, supplicant_interface_acquire (0.8 to 0.9:
		// "Couldn't initialize supplicant interface for wlan0."; 1.2 to
		// 1.20 bare; 1.22 on "...: <error>", _supplicant_interface_acquire_cb):
		// wpa_supplicant would not create the interface. Its
		// "wpa_supplicant couldn't grab this interface." (dbus_new_handlers.c,
		// wpas_dbus_handler_create_interface) is its driver refusing the
		// device; otherwise wpa_supplicant is not answering.
		if g := reNMSupIfaceFor.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
		if strings.Contains(msg, "couldn't grab this interface") {
			return fail(diagnostics.KindDevice, diagnostics.FailSupIfaceUnusable)
		}
		return fail(diagnostics.KindBackend, diagnostics.FailSupIfaceNotCreated)
	case strings.Contains(msg, "error adding interface: "):
		// nm-supplicant-interface.c, interface_add_cb (0.9 to 1.20, error
		// level): wpa_supplicant's CreateInterface call failed, and the
		// supplicant interface goes down ("supplicant interface state:
		// starting -> down"); nm-device-wifi.c re-acquires it in 10 s,
		// five times ("supplicant interface keeps failing, giving up").
		// 0.9 logs "(wlan0): error adding interface: %s", 1.2 to 1.20
		// "sup-iface[0x55d0,wlan0]: error adding interface: %s". As
		// for "Couldn't initialize supplicant interface", wpa_supplicant's
		// "wpa_supplicant couldn't grab this interface."
		// (dbus_new_handlers.c, wpas_dbus_handler_create_interface:
		// wpa_supplicant_add_iface failed, its driver did not take the
		// interface) is the device's. Anything else ("Timeout was
		// reached": wpa_supplicant slow to answer at boot) is a note:
		// the re-acquisition often succeeds ("supplicant interface
		// state: starting -> ready"), and the one that gives up says so.
		if g := reNMSupIfaceTag.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
		if strings.Contains(msg, "couldn't grab this interface") || chopped(msg[strings.Index(msg, "error adding interface: ")+len("error adding interface: "):], "wpa_supplicant couldn't grab this interface.") {
			return fail(diagnostics.KindDevice, diagnostics.FailSupIfaceUnusable)
		}
		e.Source, e.Kind, e.Name = diagnostics.SourceNM, diagnostics.KindNote, "error adding supplicant interface: "+strings.TrimSpace(msg[strings.Index(msg, "error adding interface: ")+len("error adding interface: "):])
		if e.Iface == "" {
			e.Iface = nmIfaceAny(m)
		}
		return p, take, true
	// wpa_supplicant, as NetworkManager's supplicant manager saw it.
	case strings.Contains(msg, "wpa_supplicant"):
		if g := reNMSupOwner.FindStringSubmatch(msg); g != nil {
			// nm-supplicant-manager.c: its D-Bus name gained or lost
			// an owner. "stopped" is also what a shutdown logs, and a
			// restart logs "running" again: the last one decides.
			e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindBackend
			if g[1] == "stopped" {
				e.OK, e.Name = diagnostics.Bool(false), "wpa_supplicant stopped"
			} else {
				e.OK, e.Name = diagnostics.Bool(true), "wpa_supplicant running"
			}
			return p, take, true
		}
		switch {
		case strings.Contains(msg, "wpa_supplicant die count reset"):
			return p, drop, true
		case strings.Contains(msg, "wpa_supplicant die count "):
			// nm-supplicant-manager.c (1.2 to 1.20), _update_name_owner:
			// "wpa_supplicant die count 3; ignoring for 10 seconds": it
			// exited repeatedly.
			return fail(diagnostics.KindBackend, "wpa_supplicant keeps exiting")
		case strings.Contains(msg, "failed to acquire wpa_supplicant proxy") || strings.Contains(msg, "could not init wpa_supplicant proxy"):
			// nm-supplicant-manager.c (1.2 to 1.20): "failed to acquire
			// wpa_supplicant proxy: Wi-Fi and 802.1x will not be
			// available (...)"; 0.8: "Error: could not init
			// wpa_supplicant proxy".
			return fail(diagnostics.KindBackend, "wpa_supplicant unreachable over D-Bus")
		case strings.Contains(msg, "no D-Bus connection to talk to wpa_supplicant"):
			// nm-supplicant-manager.c (1.22 on), nm_supplicant_manager_init.
			return fail(diagnostics.KindBackend, "wpa_supplicant unreachable over D-Bus")
		}
		return p, pass, false
	case strings.Contains(msg, "supplicant manager state:"):
		// 0.8 src/nm-device-wifi.c, supplicant_mgr_state_cb_handler:
		// "down" is wpa_supplicant gone from the bus, "idle" back.
		g := reNMSupMgrState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop, true
		}
		switch g[2] {
		case "down":
			return fail(diagnostics.KindBackend, "wpa_supplicant stopped")
		case "idle":
			e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceNM, diagnostics.KindBackend, diagnostics.Bool(true), "wpa_supplicant running", m.nmIface()
			return p, take, true
		}
		return p, drop, true
	case strings.Contains(msg, "supplicant interface keeps failing, giving up"):
		// nm-device-wifi.c, supplicant_iface_state_down (1.2 on): five
		// re-acquisitions of the interface failed.
		return fail(diagnostics.KindBackend, "wpa_supplicant interface keeps failing")
	case strings.Contains(msg, "re-acquiring supplicant interface"):
		// nm-device-wifi.c, reacquire_interface_cb (1.2 on, warn): the
		// interface went down and is asked for again in 10 s.
		return note("re-acquiring supplicant interface")
	case strings.Contains(msg, "not available because "):
		// nm-device-wifi.c, is_available (0.9 to 1.0, debug): why the
		// device is unavailable. "supplicant interface not ready" is
		// every start-up's; "not enabled" follows the radio, whose own
		// lines say why.
		switch {
		case strings.HasSuffix(strings.TrimSpace(msg), "not available because supplicant not running"):
			return fail(diagnostics.KindBackend, "wpa_supplicant not running")
		case strings.Contains(msg, "not available because supplicant interface not ready"), strings.Contains(msg, "not available because not enabled"):
			return note(strings.TrimSpace(msg[strings.Index(msg, "not available because "):]))
		}
		return p, pass, false

	// The device.
	case strings.Contains(msg, "firmware may be missing"):
		// nm-device.c, _set_state_full (0.8 "wlan0: firmware may be
		// missing.", 0.9 "(wlan0): ...", 1.x "device (wlan0): ..."):
		// bringing the link up failed with ENOENT, the kernel's
		// answer when the driver has no firmware.
		return fail(diagnostics.KindDevice, "firmware missing")
	case strings.Contains(msg, "firmware may now be available"):
		// nm-manager.c, firmware_dir_changed: a file appeared in
		// /lib/firmware and NetworkManager tries the device again.
		return note("firmware may now be available")
	case strings.Contains(msg, "'wifi' plugin not available; creating generic device"):
		// nm-manager.c, platform link added (0.9.10 on, info): the Wi-Fi
		// device plugin (libnm-device-plugin-wifi.so, the
		// NetworkManager-wifi package) is not installed, so the
		// interface becomes a generic, unmanaged device NetworkManager
		// cannot join with. Other link types' plugins ('wwan', 'team')
		// are not the Wi-Fi device's.
		if g := reNMPluginMissing.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
		return fail(diagnostics.KindDevice, "NetworkManager Wi-Fi plugin missing")
	case strings.Contains(msg, "to initialize Wi") && reNMWifiDriver.MatchString(msg):
		// wifi-utils.c (0.9) / nm-wifi-factory.c (1.x): neither nl80211
		// nor WEXT answered for the interface, so NetworkManager makes
		// no Wi-Fi device of it.
		e.Iface = reNMWifiDriver.FindStringSubmatch(msg)[1]
		return fail(diagnostics.KindDevice, "Wi-Fi driver initialization failed")

	// The radio and networking at start-up.
	case strings.Contains(msg, "by state file"):
		if g := reNMRadioInit.FindStringSubmatch(msg); g != nil {
			// nm-manager.c, nm_manager_start: the kernel's rfkill
			// state and NetworkManager's own (WirelessEnabled,
			// NetworkManager.state), as the radio starts.
			e.Source, e.Kind = diagnostics.SourceNM, diagnostics.KindRadio
			switch {
			case g[1] == "disabled":
				e.OK, e.Name = diagnostics.Bool(false), "soft-blocked"
			case g[2] == "disabled":
				e.OK, e.Name = diagnostics.Bool(false), "nm-disabled"
			default:
				e.OK = diagnostics.Bool(true)
			}
			return p, take, true
		}
		if strings.Contains(msg, "Networking is disabled by state file") {
			// nm-manager.c, nm_manager_start: networking off
			// (nmcli networking off) leaves every device unmanaged.
			return fail(diagnostics.KindDevice, "networking disabled in NetworkManager")
		}
		return p, drop, true
	case reNMRfkillFound.MatchString(msg):
		// nm-rfkill-manager.c, add_one_killswitch / rfkill_remove: a
		// killswitch found, not its state.
		return p, drop, true

	// DHCP, in 0.8 and 0.9's words and the client start.
	case strings.Contains(msg, "DHCPv4 state changed") || strings.Contains(msg, "DHCP: device "):
		g := reNMOldDHCPState.FindStringSubmatch(msg)
		if g == nil {
			return p, drop, true
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceNM, diagnostics.KindDHCP, g[1]+g[2]
		switch g[4] {
		case "timeout", "fail", "expire", "abend", "end", "done", "normal exit":
			// The client's own verdicts, and its exit ("end" is
			// logged only when it exits by itself: NetworkManager's
			// own stop sets the state without a signal).
			e.OK, e.Name = diagnostics.Bool(false), g[4]
		case "bound", "renew", "rebind", "reboot":
			e.OK, e.Name = diagnostics.Bool(true), g[4]
		default:
			return p, drop, true
		}
		return p, take, true
	case strings.Contains(msg, "bind to a lease"):
		if g := reNMDHCPNoBind.FindStringSubmatch(msg); g != nil {
			// nm-dhcp-client.c (0.9, timeout_cb) and 0.8's
			// nm-dhcp-manager.c: the client's timeout passed
			// without a lease.
			e.Iface = g[1] + g[2]
			return fail(diagnostics.KindDHCP, "timeout")
		}
		return p, pass, false
	case strings.Contains(msg, "DHCP transaction took too long"):
		if g := reNMDHCPTooLong.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
		return fail(diagnostics.KindDHCP, "timeout")
	case strings.Contains(msg, "failed to start") && reNMDHCPStart.MatchString(msg):
		// The DHCP client binary did not run (missing, not executable,
		// a bad configuration file): no lease can come.
		if g := reNMDHCPIface.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
		}
		return fail(diagnostics.KindDHCP, reNMDHCPStart.FindStringSubmatch(msg)[1]+" failed to start")
	case strings.Contains(msg, "No usable DHCP client found"):
		// nm-dhcp-manager.c (0.9 "No usable DHCP client found (%s)!
		// DHCP configurations will fail.", 1.x "dhcp-init: No usable
		// DHCP client found! ...").
		return fail(diagnostics.KindDHCP, "no usable DHCP client")

	// Secrets and permissions.
	case strings.Contains(msg, "No agents were available for this request"):
		// nm-agent-manager.c, request_next_agent: the GError 0.9 logs
		// bare ("<warn> No agents were available for this request.",
		// nm-device-wifi.c wifi_secrets_cb) and 1.x as "device (wlan0):
		// no secrets: No agents were available for this request.": no
		// secret agent (nm-applet, GNOME Shell, nmcli --ask) was there
		// to ask for the key. The no-secrets failure that follows
		// decides.
		return note(diagnostics.NoteNoSecretAgent)
	case strings.Contains(msg, "no secrets: "):
		// nm-device-wifi.c, wifi_secrets_cb (1.x): the agents' answer
		// was an error (the user cancelled the dialog, a timeout).
		return note("no secrets: " + strings.TrimSpace(msg[strings.Index(msg, "no secrets: ")+len("no secrets: "):]))
	case strings.Contains(msg, "request failed: not authorized") && !strings.Contains(msg, "Error"):
		// nm-manager.c, device_auth_done_cb (0.9 on, debug): polkit
		// refused a device request (disconnect, scan, delete) to the
		// caller; the D-Bus error of the same words is nmcli's.
		g := reNMNotAuth.FindStringSubmatch(msg)
		if g == nil {
			return p, pass, false
		}
		e.Source, e.Kind, e.Name, e.Iface = diagnostics.SourceNM, diagnostics.KindPermission, g[1], m.nmIface()
		return p, take, true
	case strings.Contains(msg, "link timed out"):
		// nm-device-wifi.c, link_timeout_cb (0.8 on): wpa_supplicant
		// stayed disconnected for 15 s after the link was up; the
		// device's failure that follows decides.
		if m.nmIface() == "" && !strings.HasPrefix(msg, "link timed out") {
			return p, pass, false
		}
		return note("link timed out")
	}
	return p, pass, false
}

// chopped reports whether text is full cut short the way a pager or
// `systemctl status` shows a line wider than the terminal: less's chop
// mark ">" (--chop-long-lines with its default --rscroll character) or
// systemd's ellipsis "…" (ellipsize_mem), after at least 16 characters of
// full.
func chopped(text, full string) bool {
	text = strings.TrimRight(text, " ")
	for _, mark := range []string{">", "\u2026"} {
		if t, ok := strings.CutSuffix(text, mark); ok && len(t) >= 16 && strings.HasPrefix(full, t) {
			return true
		}
	}
	return false
}
