package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// ConnMan: connmand's own service lines and connmanctl's answers.
//
// connmand logs a service's state and error at the default level only
// since 1.43 (src/service.c, service_log_state and service_log_error,
// commit bd4fd9ba "service: Log service default, error, and state
// changes", 2023-12-27):
//
//	Interface wlan0 [ wifi ] state is association
//	Interface wlan0 [ wifi ] error "invalid-key"
//
// Older connmand logs nothing about a Wi-Fi failure without -d; its
// wpa_supplicant's lines (read by the wpa_supplicant recognizer) and
// connmanctl's answers are then all there is. connmanctl prints a failed
// D-Bus call as "Error <object path>: <D-Bus error message>"
// (client/commands.c, connect_return and scan_return), and connmand's
// messages are fixed per errno (src/error.c, __connman_error_failed), so
// the text after the path is a code:
//
//	Error /net/connman/service/wifi_..._managed_psk: Operation timeout
//	Error /net/connman/technology/wifi: Device or resource busy
//
// Sources: https://git.kernel.org/pub/scm/network/connman/connman.git
// (src/service.c, src/error.c, src/device.c, src/technology.c,
// plugins/wifi.c, plugins/iwd.c, client/commands.c,
// client/dbus_helpers.c, doc/service-api.txt; read at github.com/chewitt/connman
// 31f4ef8c, 2025-03, after 1.43).

var recConnman = recognizer{
	name:  "connman",
	progs: []string{"connmand", "connman", "connmanctl"},
	title: "ConnMan (connmand, connmanctl)",
	keys: []string{
		"] state is ",         // connmand >= 1.43 service state
		"] error \"",          // connmand >= 1.43 service error
		"Error /net/connman/", // connmanctl: a failed call
		"Scan completed for ", // connmanctl scan
		"Connected wifi_",     // connmanctl connect
		"Error wifi: ",        // connmanctl enable/disable wifi: a failed call
		"wifi is ",            // connmanctl enable/disable wifi: not available, already enabled
		"Enabled wifi",        // connmanctl enable wifi
		"Disable wifi",        // connmanctl disable wifi (sic)
		"Skipping disconnect of ",
		" online check to ", // connmand >= 1.43 online check
		"DHCP index ",       // connmand with CONNMAN_DHCP_DEBUG: gdhcp's client lines
	},
	parse: parseConnman,
}

var (
	reConnState = regexp.MustCompile(`^Interface (\S+) \[ (\w+) \] (?:state is (\w+)|error "([\w-]+)")`)
	reConnErr   = regexp.MustCompile(`Error /net/connman/(service|technology)/(\S+?): (.+?)\s*$`)
	reConnOK    = regexp.MustCompile(`(?:^|\s)(?:Connected (wifi_\S+)|Scan completed for (\w+))\s*$`)
	// client/commands.c, enable_return and disable_return: the
	// technology's last path element, not its path.
	reConnTech = regexp.MustCompile(`^(?:Error wifi: (.+?)|wifi is (not available|already enabled|already disabled)|(Enabled|Disable) wifi)\s*$`)
	// src/service.c, online_check_failure (>= 1.43).
	// src/dhcp.c, dhcp_debug ("%s: %s" with the "DHCP index %d" prefix
	// dhcp_request gives it when CONNMAN_DHCP_DEBUG is set) and
	// gdhcp/client.c's debug() messages.
	reConnDHCP   = regexp.MustCompile(`^DHCP index \d+: (sending DHCP discover request|sending DHCP request \(state \d+\)|processed DHCP packet \(new state (\d+)\)|lease expired)$`)
	reConnOnline = regexp.MustCompile(`^Interface (\S+) \[ wifi \] \w+ online check to \S+ failed`)
)

func parseConnman(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := m.msg
	if m.prog == "NetworkManager" {
		return p, pass
	}
	e.Source = diagnostics.SourceConnman
	switch {
	case strings.HasPrefix(msg, "DHCP index "):
		g := reConnDHCP.FindStringSubmatch(strings.TrimSpace(msg))
		if g == nil {
			return p, pass
		}
		e.Kind = diagnostics.KindNote
		switch {
		case g[1] == "sending DHCP discover request":
			// send_discover: each discover, which DHCPUnanswered counts.
			e.Name = diagnostics.NoteDHCPDiscover
		case strings.HasPrefix(g[1], "sending DHCP request"):
			e.Name = "DHCPREQUEST"
		case g[2] == "2":
			// listener_event: an offer moved the client from
			// INIT_SELECTING to REQUESTING (gdhcp/client.c, enum
			// _dhcp_client_state).
			e.Name = diagnostics.NoteDHCPOffer
		case g[2] == "3":
			// REQUESTING (or RENEWING, REBINDING, REBOOTING) to BOUND: an ACK.
			e.Name = diagnostics.NoteDHCPAck
		case g[1] == "lease expired":
			e.Name = "connman DHCP lease expired"
		default:
			return p, drop
		}
		return p, take
	case strings.Contains(msg, "] state is ") || strings.Contains(msg, "] error \""):
		g := reConnState.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		if g[2] != "wifi" {
			return p, drop // ethernet, bluetooth, vpn services
		}
		if g[1] != "(null)" {
			e.Iface = g[1]
		}
		if g[3] != "" {
			connmanState(&p, g[3])
		} else {
			connmanError(&p, g[4])
		}
	case strings.Contains(msg, "Error /net/connman/"):
		g := reConnErr.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		if g[1] == "technology" {
			if g[2] != "wifi" {
				return p, drop
			}
			connmanTechError(&p, g[3])
		} else {
			if !strings.HasPrefix(g[2], "wifi_") {
				return p, drop
			}
			connmanServiceError(&p, g[3])
		}
	case strings.Contains(msg, "Connected wifi_") || strings.Contains(msg, "Scan completed for "):
		g := reConnOK.FindStringSubmatch(msg)
		if g == nil {
			return p, drop
		}
		if g[1] != "" {
			e.Kind, e.Name, p.role = diagnostics.KindJoined, "connmanctl: connected", roleTerminal
		} else {
			if g[2] != "wifi" {
				return p, drop
			}
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(true), "connman"
		}
	case strings.Contains(msg, "Error wifi: ") || strings.Contains(msg, "wifi is ") ||
		strings.Contains(msg, "Enabled wifi") || strings.Contains(msg, "Disable wifi"):
		g := reConnTech.FindStringSubmatch(strings.TrimSpace(msg))
		if g == nil {
			return p, pass
		}
		connmanTechPower(&p, g[1], g[2], g[3])
	case strings.Contains(msg, "Skipping disconnect of "):
		// src/device.c, __connman_device_disconnect: a network that is
		// still connecting is left alone when the device disconnects
		// the others. Healthy connmand logs it while it connects.
		e.Kind, e.Name = diagnostics.KindNote, "skipping disconnect"
	case strings.Contains(msg, " online check to "):
		// src/service.c: "Interface %s [ %s ] %s online check to %s
		// failed: %d: %s": connected, the internet check failed
		// (captive portal, no route): not a join failure.
		g := reConnOnline.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "online check failed", g[1]
	default:
		return p, pass
	}
	return p, take
}

// connmanTechPower maps connmanctl's answers to enable wifi and disable
// wifi (client/commands.c, enable_return and disable_return; the call is
// Technology.SetProperty("Powered"), src/technology.c set_powered).
func connmanTechPower(p *parsed, errText, state, done string) {
	e := &p.ev
	switch {
	case done == "Enabled":
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(true), "connmanctl: enabled"
	case done == "Disable":
		// connmand's own Wi-Fi switch off: no Wi-Fi until enabled.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "nm-disabled"
	case state == "not available":
		// -ENODEV, from org.freedesktop.DBus.Error.UnknownObject
		// (client/dbus_helpers.c, string2errno): no wifi technology
		// object. connmand registers it with the first Wi-Fi device
		// and not while the rfkill switch is hard-blocked
		// (technology_dbus_register).
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case state != "":
		// net.connman.Error.AlreadyEnabled, AlreadyDisabled.
		e.Kind, e.Name = diagnostics.KindNote, "connmanctl: wifi is "+state
	case errText == "Permission denied":
		// EACCES: set_powered refuses an rfkill-driven technology that
		// is hard-blocked.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked"
	default:
		if strings.HasPrefix(errText, "Rejected send message") {
			e.Kind, e.Name = diagnostics.KindPermission, "connmanctl: rejected by D-Bus policy"
			return
		}
		// "In progress" (powering takes longer; the reply is pending),
		// "Operation timeout" (technology_pending_reply after 10 s).
		e.Kind, e.Name = diagnostics.KindNote, "connmanctl: "+errText
		if len(e.Name) > 80 {
			e.Name = e.Name[:80]
		}
	}
}

// connmanState maps a service state (src/service.c, state2string;
// doc/overview-api.txt: idle, association, configuration, ready, online,
// disconnect, failure).
func connmanState(p *parsed, state string) {
	e := &p.ev
	switch state {
	case "association":
		// connmand starts every connection, its own autoconnect retries
		// included, by entering association: each is an attempt.
		e.Kind, e.Name, p.role = diagnostics.KindActivationStart, "connman association", roleStartRequest
	case "ready", "online":
		e.Kind, e.Name, p.role = diagnostics.KindJoined, "connman "+state, roleTerminal
	case "failure":
		// The error line comes first (__connman_service_indicate_error
		// sets the error, then the state).
		e.Kind, e.Name, p.role = diagnostics.KindNote, "connman failure", roleTerminal
	default:
		e.Kind, e.Name = diagnostics.KindNote, "connman "+state
	}
}

// connmanError maps the service Error property (doc/service-api.txt:
// "out-of-range", "pin-missing", "dhcp-failed", "connect-failed",
// "login-failed", "auth-failed", "invalid-key", "blocked",
// "online-check-failed").
func connmanError(p *parsed, name string) {
	e := &p.ev
	e.Name = name
	switch name {
	case "invalid-key":
		// connmand's own attribution to the key (plugins/wifi.c): a
		// disconnection during the 4-way handshake (after its retries for
		// a known network), an SAE failure while authenticating, or
		// wpa_supplicant answering the connect with -ENOKEY.
		e.Kind = diagnostics.KindPskMismatch
	case "blocked":
		// Set only for 802.11 reason 6, "class 2 frame received from
		// nonauthenticated STA" (plugins/wifi.c, interface_state).
		e.Kind, e.Code = diagnostics.KindDisconnect, 6
	case "dhcp-failed":
		e.Kind, e.OK = diagnostics.KindDHCP, diagnostics.Bool(false)
	case "out-of-range":
		// Documented, but no code in connmand sets it; a service that is
		// out of range is removed rather than failed.
		e.Kind = diagnostics.KindNote
	default:
		// connect-failed (wpa_supplicant refused the network's
		// configuration, or the association failed), auth-failed and
		// login-failed (VPN and portal logins), pin-missing (WPS),
		// online-check-failed (connected, no internet): no cause a rule
		// can name, or no join failure.
		e.Kind = diagnostics.KindNote
	}
}

// connmanServiceError maps connmanctl's answer to a failed Connect on a
// Wi-Fi service. The messages are src/error.c's, one per errno
// (__connman_error_failed); strerror text for the others (.Failed).
func connmanServiceError(p *parsed, text string) {
	e := &p.ev
	e.Name = "connmanctl: " + text
	p.role = roleTerminal
	switch text {
	case "Operation timeout":
		// ETIMEDOUT: the connection did not complete within connmand's
		// CONNECT_TIMEOUT, 120 s (src/service.c, connect_timeout).
		// connect_service also answers it at once when another
		// service on the interface is still disconnecting; the line
		// does not tell the two apart.
		e.Kind = diagnostics.KindDeadline
	case "Invalid arguments", "Not registered", "Passphrase required":
		// EINVAL: the agent cancelled the passphrase request or gave one
		// connmand refuses; ESRCH: no agent is registered to ask for the
		// passphrase ("agent on"); ENOKEY. The request could not start.
		e.Kind = diagnostics.KindInvalidInput
	case "Permission denied":
		e.Kind = diagnostics.KindPermission
	case "Already connected", "In progress":
		// EISCONN, EALREADY: a connection exists or is under way.
		e.Kind, p.role = diagnostics.KindNote, roleNone
	default:
		if strings.HasPrefix(text, "Rejected send message") {
			// D-Bus policy refused the caller (not root, not in the
			// policy's group).
			e.Kind = diagnostics.KindPermission
			e.Name = "connmanctl: rejected by D-Bus policy"
			return
		}
		// "Input/output error" (EIO: the service went to failure,
		// src/service.c service_complete), "Operation aborted"
		// (ECONNABORTED: disconnected while connecting), "No carrier"
		// (ENOLINK: no IP method usable), or an unknown service path
		// ("Method "Connect" ... doesn't exist"): the failure, without
		// its cause.
		e.Kind = diagnostics.KindNote
		if strings.HasSuffix(text, "doesn't exist") {
			// D-Bus: the object path is not registered (a mistyped or
			// vanished service, or one not scanned yet).
			e.Name = "connmanctl: no such service"
		} else if len(e.Name) > 80 {
			e.Name = e.Name[:80]
		}
	}
}

// connmanTechError maps connmanctl's answer to a failed Scan of the wifi
// technology (src/technology.c scan, src/device.c device_scan,
// plugins/wifi.c).
func connmanTechError(p *parsed, text string) {
	e := &p.ev
	e.Name = "connmanctl: " + text
	switch text {
	case "Device or resource busy":
		// EBUSY: the interface is tethering, a P2P device, or
		// wpa_supplicant is connecting (gsupplicant's interface_scan).
		e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, -16, "EBUSY"
	case "No carrier":
		// ENOLINK: the device is not powered (connmanctl disable wifi,
		// offline mode, rfkill): connmand's own Wi-Fi switch is off.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "nm-disabled"
	case "Not implemented", "No such device":
		// ENOSYS: no device of the technology (src/device.c,
		// connman_device_request_scan).
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case "Permission denied":
		e.Kind = diagnostics.KindPermission
	default:
		if strings.HasPrefix(text, "Rejected send message") {
			e.Kind, e.Name = diagnostics.KindPermission, "connmanctl: rejected by D-Bus policy"
			return
		}
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
		if len(e.Name) > 80 {
			e.Name = e.Name[:80]
		}
	}
}
