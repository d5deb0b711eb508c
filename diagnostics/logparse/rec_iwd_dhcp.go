package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// iwd's own DHCP client (ell's l_dhcp_client) logs nothing by default; with
// IWD_DHCP_DEBUG set (iwd's docs ask for it when reporting a DHCP problem)
// iwd relays its lines with a "[DHCPv4] " prefix. A recognizer of its own,
// asked before NetworkManager's, whose "DHCPv4" key would take the lines.

var recIwdDHCP = recognizer{
	name:  "iwd-dhcp",
	title: "iwd DHCP client debug (IWD_DHCP_DEBUG)",
	keys:  []string{"[DHCPv4] "},
	progs: []string{"iwd"},
	parse: parseIwdDHCP,
}

func parseIwdDHCP(m *message) (parsed, match) {
	var p parsed
	line := strings.TrimSpace(m.msg)
	if !strings.HasPrefix(line, "[DHCPv4] ") || (m.prog != "" && m.prog != "iwd") {
		return p, pass
	}
	p.ev.Source = diagnostics.SourceIwd
	return iwdDHCP(&p, line)
}

// reIwdDHCP is ell's DHCP client's log line as iwd relays it when
// IWD_DHCP_DEBUG is set (src/netconfig.c, netconfig_new: do_debug with the
// "[DHCPv4] " prefix, at the level the variable names; "1" is debug).
// ell/dhcp.c, CLIENT_LOG: "%s:%i " fmt, the function and the line, then
// the message (empty for CLIENT_DEBUG("") at the top of a function).
var reIwdDHCP = regexp.MustCompile(`^\[DHCPv4\] (\w+):\d+ ?(.*?)\s*$`)

// iwdDHCP maps ell's DHCP client lines (ell/dhcp.c) onto the DHCP
// vocabulary: each discover sent (debug level), the offer and the ACK
// received, a NAK, and the client giving up (iwd sets DHCP_ATTEMPTS,
// l_dhcp_client_set_max_attempts). The join's end is station's
// "connecting (netconfig) -> disconnecting" state line.
func iwdDHCP(p *parsed, line string) (parsed, match) {
	g := reIwdDHCP.FindStringSubmatch(line)
	if g == nil {
		return *p, pass
	}
	e := &p.ev
	fn, text := g[1], g[2]
	switch {
	case fn == "dhcp_client_send_discover" && text == "":
		e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPDiscover
	case fn == "dhcp_client_receive_offer" && text == "", text == "Entering state: DHCP_STATE_REQUESTING",
		text == "Server sent another offer, using it instead":
		// dhcp_client_handle_offer enters REQUESTING on an offer.
		e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPOffer
	case fn == "dhcp_client_receive_ack" && text == "", text == "Entering state: DHCP_STATE_BOUND":
		e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPAck
	case text == "Received NAK, Stopping...":
		e.Kind, e.Name = diagnostics.KindNote, "DHCPNAK"
	case text == "Max request/discover attempts reached":
		// dhcp_client_timeout_resend: L_DHCP_CLIENT_EVENT_MAX_ATTEMPTS_REACHED,
		// no server answered; l_netconfig reports NETCONFIG_EVENT_FAILED
		// and station disconnects (that state line ends the attempt).
		e.Kind, e.OK, e.Name = diagnostics.KindDHCP, diagnostics.Bool(false), "iwd DHCPv4: max attempts reached"
	case strings.HasPrefix(text, "Entering state: "):
		// SELECTING (l_dhcp_client_start), INIT, RENEWING, REBINDING.
		e.Kind, e.Name = diagnostics.KindNote, "iwd DHCPv4 "+strings.ToLower(strings.TrimPrefix(text, "Entering state: DHCP_STATE_"))
	default:
		return *p, drop
	}
	return *p, take
}
