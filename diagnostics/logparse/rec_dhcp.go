package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// DHCP clients as they log, to syslog, the journal or a terminal: ISC
// dhclient, dhcpcd, systemd-networkd's DHCPv4 client and BusyBox udhcpc.
// NetworkManager's own DHCP lines ("dhcp4 (wlan0): ...") stay with the
// NetworkManager recognizer.
//
// A failure is a line in which the client itself gives up (dhclient "No
// DHCPOFFERS received." and "Unable to obtain a lease on first try",
// udhcpc -n "No lease, failing", dhcpcd's global "timed out"): those end
// an attempt (roleTerminal), since without NetworkManager nothing else says
// the join failed. A client that goes on trying (udhcpc -b "forking to
// background", dhcpcd falling back to IPv4LL, a lease lost) is a failure
// without a role: a lease may follow, and the situation classifier weighs
// the window. A lease is KindDHCP with OK true and no role: the join
// itself was ended by wpa_supplicant's or the manager's own line.

var recDHCP = recognizer{
	name:  "dhcp-client",
	progs: []string{"dhclient", "dhcpcd", "systemd-networkd", "udhcpc"},
	title: "DHCP clients (dhclient, dhcpcd, systemd-networkd, udhcpc)",
	keys: []string{
		"DHCPDISCOVER", "DHCPREQUEST", "DHCPOFFER", "DHCPACK", "DHCPNAK", // dhclient
		"bound to ",                    // dhclient: bound to 192.168.1.20 -- renewal in 1234 seconds.
		"No DHCPOFFERS",                // dhclient
		"obtain a lease",               // dhclient -1: Unable to obtain a lease on first try.  Exiting.
		"a DHCP lease",                 // dhcpcd: soliciting a DHCP lease
		"leased ",                      // dhcpcd: leased 192.168.1.5 for 86400 seconds
		"IPv4LL address",               // dhcpcd: using IPv4LL address 169.254.x.y
		"timed out",                    // dhcpcd: timed out (also the kernel's key)
		"DHCPv4 address",               // systemd-networkd (also NetworkManager's "DHCPv4")
		"DHCP lease lost",              // systemd-networkd
		"ending discover",              // udhcpc: Sending discover... / sending discover
		"casting discover",             // udhcpc 1.36: broadcasting discover
		"o lease, ",                    // udhcpc: No lease, failing / no lease, forking to background
		"ease of ",                     // udhcpc: Lease of 192.168.1.5 obtained
		"IPv6 Routers",                 // dhcpcd: no IPv6 Routers available (not an IPv4 failure)
		"claimed IP address 169.254.",  // avahi-autoipd: Successfully claimed IP address 169.254.x.y
		"No working leases",            // dhclient: No working leases in persistent database - sleeping.
		"Trying recorded lease",        // dhclient: Trying recorded lease 192.168.1.5
		": offered ",                   // dhcpcd: wlan0: offered 192.168.1.5 from 192.168.1.1
		": NAK: ",                      // dhcpcd: wlan0: NAK: address in use from 192.168.1.1
		"DHCP lease expired",           // dhcpcd
		"failed to request the lease",  // dhcpcd
		"contacting a DHCP server",     // dhcpcd: timed out contacting a DHCP server, using last lease
		"failed to renew DHCP",         // dhcpcd: failed to renew DHCP, rebinding
		"DHCPv4 client: ",              // systemd-networkd (sd-dhcp-client, debug): wlan0: DHCPv4 client: DISCOVER
		"DHCP CLIENT (0x",              // systemd-networkd before v247: DHCP CLIENT (0x1a2b3c4d): DISCOVER
		"DHCP error: Client failed",    // systemd-networkd
		"acquire DHCPv4 lease",         // systemd-networkd: Could not acquire DHCPv4 lease: ...
		"select for ",                  // udhcpc: sending select for 192.168.1.5
		"DHCP NAK",                     // udhcpc: received DHCP NAK
		"lease lost, entering init",    // udhcpc: lease lost, entering init state
		"Could not bring up interface", // systemd-networkd: wlan0: Could not bring up interface, ignoring: Operation not possible due to RF-kill
	},
	parse: parseDHCP,
}

// systemd-networkd setting the link up (src/network/networkd-link.c and,
// since v250, networkd-setlink.c, link_up_or_down_handler: "Could not bring
// up interface, ignoring: %m" (v251+; before: "Could not bring up
// interface: %m"), the interface's name first as log_link_* puts it). The
// errno text is the kernel's answer to IFF_UP: ERFKILL ("Operation not
// possible due to RF-kill") is the radio blocked (systemd issue 23649: the
// warning stays while rfkill blocks the interface), ENODEV the interface
// gone; others (EBUSY, EIO) a device that would not come up.
var reNetworkdLinkUp = regexp.MustCompile(`^(?:([\w.:@-]+): )?Could not bring up interface(?:, ignoring)?: (.+?)\s*$`)

func parseNetworkdLinkUp(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	g := reNetworkdLinkUp.FindStringSubmatch(m.msg)
	if g == nil {
		return p, pass
	}
	e.Source, e.Iface = diagnostics.SourceKernel, g[1]
	rfkill := strings.HasSuffix(g[2], "Operation not possible due to RF-kill") || strings.HasSuffix(g[2], "Unknown error 132")
	if e.Iface != "" && !reWifiNetdev.MatchString(e.Iface) || e.Iface == "" && !rfkill {
		// A wired link, or one the line does not name (only ERFKILL says
		// which kind of link it is by itself).
		return p, drop
	}
	// networkd-link.h's log_link_*_errno formats ": %s%s %m", the kernel's
	// extended-ack message before the errno text: read the errno at the end.
	switch errText := g[2]; {
	case rfkill:
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (systemd-networkd could not bring the interface up)"
	case strings.HasSuffix(errText, "No such device"):
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	default:
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable (systemd-networkd could not bring the interface up: "+g[2]+")"
	}
	return p, take
}

var (
	// dhclient (ISC dhcp, client/dhclient.c).
	reDhclientSend  = regexp.MustCompile(`^(DHCPDISCOVER|DHCPREQUEST|DHCPDECLINE|DHCPRELEASE|DHCPINFORM)(?: for (\S+))?(?: of (\S+))? on (\S+) to `)
	reDhclientRecv  = regexp.MustCompile(`^(DHCPOFFER|DHCPACK|DHCPNAK)\b(?: of (\S+))? from `)
	reDhclientBound = regexp.MustCompile(`^bound to (\d+\.\d+\.\d+\.\d+) -- renewal in \d+ seconds`)
	// dhcpcd (src/dhcp.c, src/ipv4ll.c, src/dhcpcd.c).
	reAutoipd      = regexp.MustCompile(`avahi-autoipd\(([^)\s]+)\)\[\d+\]: Successfully claimed IP address (169\.254\.\d+\.\d+)$`)
	reDhcpcdLeased = regexp.MustCompile(`^leased (\d+\.\d+\.\d+\.\d+) for (?:\d+ seconds|infinity)`)
	reDhcpcdLL     = regexp.MustCompile(`^using IPv4LL address (\d+\.\d+\.\d+\.\d+)`)
	// systemd-networkd (src/network/networkd-dhcp4.c): "DHCPv4 address
	// 192.168.1.5/24 via 192.168.1.1" (to v246) or "DHCPv4 address
	// 192.168.1.5/24, gateway 192.168.1.1 acquired from 192.168.1.1".
	reNetworkdAddr = regexp.MustCompile(`^DHCPv4 address (\d+\.\d+\.\d+\.\d+)/\d+(?: via |, gateway | acquired|$)`)
	// udhcpc (busybox networking/udhcp/dhcpc.c): "Lease of 192.168.1.5
	// obtained, lease time 86400" (to 1.32), "lease of 192.168.1.5
	// obtained from 192.168.1.1, lease time 86400" (1.33 on).
	reUdhcpcLease = regexp.MustCompile(`^(?:udhcpc: )?[Ll]ease of (\d+\.\d+\.\d+\.\d+) obtained`)
	// dhcpcd (src/dhcp.c, log_dhcp): "offered 192.168.1.5 from
	// 192.168.1.1" and "NAK: <server's message> from 192.168.1.1", with
	// "via" for "from" when the reply has no server identifier and the
	// server's name after the address when it sent one.
	reDhcpcdOffer = regexp.MustCompile(`^offered (\d+\.\d+\.\d+\.\d+) (?:from|via) \d+\.\d+\.\d+\.\d+`)
	reDhcpcdNAK   = regexp.MustCompile(`^NAK: .*(?:from|via) \d+\.\d+\.\d+\.\d+`)
	// systemd-networkd's sd-dhcp-client debug lines (libsystemd-network
	// sd-dhcp-client.c, log_dhcp_client): "wlan0: DHCPv4 client: DISCOVER"
	// (v247 on, log_interface_prefix_full_errno) or "DHCP CLIENT
	// (0x1a2b3c4d): DISCOVER" (before).
	reNetworkdClient = regexp.MustCompile(`^(?:DHCPv4 client|DHCP CLIENT \(0x[0-9a-f]+\)): (DISCOVER|OFFER|ACK|NAK|REQUEST|EXPIRED|STOPPED)\b(.*)$`)
)

func parseDHCP(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, body, prog := m.msg, m.body, m.prog
	if prog == "NetworkManager" {
		return p, pass
	}
	e.Source, e.Kind = diagnostics.SourceDHCP, diagnostics.KindDHCP
	if strings.Contains(msg, "Could not bring up interface") {
		return parseNetworkdLinkUp(m)
	}
	switch {
	// dhclient. It writes these to syslog as "dhclient[pid]: ..." and,
	// with -v, to the terminal.
	case strings.HasPrefix(msg, "DHCP") && !strings.HasPrefix(msg, "DHCP CLIENT (0x"):
		// The Names are the message types (diagnostics.NoteDHCPDiscover,
		// NoteDHCPOffer, NoteDHCPAck): discovers with no answer are
		// a server that does not answer (diagnostics.DHCPUnanswered).
		if g := reDhclientSend.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name, e.Iface = diagnostics.KindNote, g[1], g[4]
		} else if g := reDhclientRecv.FindStringSubmatch(msg); g != nil {
			e.Kind, e.Name = diagnostics.KindNote, g[1]
		} else {
			return p, pass
		}
	case strings.HasPrefix(msg, "bound to "):
		g := reDhclientBound.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name = diagnostics.Bool(true), "lease "+g[1]
	case strings.HasPrefix(msg, "No DHCPOFFERS received"):
		e.OK, e.Name, p.role = diagnostics.Bool(false), "dhclient: no offers", roleTerminal
	case strings.HasPrefix(msg, "Unable to obtain a lease on first try"):
		e.OK, e.Name, p.role = diagnostics.Bool(false), "dhclient: no lease on first try", roleTerminal
	case strings.HasPrefix(msg, "No working leases in persistent database"):
		// dhclient.c, state_panic: it follows "No DHCPOFFERS received."
		// (logged at the top of state_panic) once no recorded lease
		// answers; that line already ended the attempt.
		e.Kind, e.Name = diagnostics.KindNote, "dhclient: no working recorded lease"
	case strings.HasPrefix(msg, "Trying recorded lease "):
		// dhclient.c, state_panic: no offer came, a lease from
		// dhclient.leases is tried (a "bound to" may follow).
		e.Kind, e.Name = diagnostics.KindNote, "dhclient: trying a recorded lease"

	// dhcpcd: per-interface lines are "wlan0: ...".
	case m.iface != "" && (body == "soliciting a DHCP lease" || strings.HasPrefix(body, "soliciting a DHCP lease (")):
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "dhcpcd soliciting a lease", m.iface
	case m.iface != "" && strings.HasPrefix(body, "leased "):
		g := reDhcpcdLeased.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name, e.Iface = diagnostics.Bool(true), "lease "+g[1], m.iface
	case m.iface != "" && strings.HasPrefix(body, "using IPv4LL address"):
		// dhcpcd gave up waiting for an offer and took a link-local
		// address (src/ipv4ll.c); it goes on soliciting a lease.
		g := reDhcpcdLL.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "dhcpcd: IPv4LL "+g[1]+" (no lease)", m.iface
	case m.iface != "" && strings.Contains(body, "IPv6 Routers"):
		// "no IPv6 Routers available": router solicitation unanswered,
		// which says nothing of IPv4.
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "dhcpcd: no IPv6 routers", m.iface
	case m.iface != "" && strings.HasPrefix(body, "probing for an IPv4LL address"):
		// src/ipv4ll.c, ipv4ll_start: started by dhcp_discover's
		// ipv4ll_time timeout when no offer came (the first line of
		// the fallback; "using IPv4LL address" follows once probed).
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "dhcpcd: probing IPv4LL (no lease)", m.iface
	case m.iface != "" && strings.HasPrefix(body, "failed to acquire an IPv4LL address"):
		// src/ipv4ll.c, ipv4ll_found: the link-local fallback itself hit
		// MAX_CONFLICTS; no lease came before it either.
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "dhcpcd: no IPv4LL address (no lease)", m.iface
	case m.iface != "" && strings.HasPrefix(body, "offered "):
		// src/dhcp.c, dhcp_handledhcp: a server answered the discover.
		if !reDhcpcdOffer.MatchString(body) {
			return p, pass
		}
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, diagnostics.NoteDHCPOffer, m.iface
	case m.iface != "" && strings.HasPrefix(body, "NAK: "):
		// src/dhcp.c, dhcp_handledhcp: the server refused the request;
		// dhcpcd drops the lease and starts over (backing off): the
		// server answers, so not "no server answered".
		if !reDhcpcdNAK.MatchString(body) {
			return p, pass
		}
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "DHCPNAK", m.iface
	case m.iface != "" && body == "DHCP lease expired":
		// src/dhcp.c, dhcp_expire: renewing and rebinding got no answer
		// until the lease ran out; dhcpcd drops the address and
		// starts over (a lease may follow).
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "dhcpcd: lease expired", m.iface
	case m.iface != "" && body == "failed to request the lease":
		// src/dhcp.c, dhcp_requestfailed: -r's request_time passed
		// with no ACK; dhcpcd falls back to IPv4LL and backgrounds.
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "dhcpcd: request unanswered", m.iface
	case m.iface != "" && strings.HasPrefix(body, "timed out contacting a DHCP server, using last lease"):
		// src/dhcp.c, dhcp_lastlease: no server answered within the
		// timeout and dhcpcd binds the lease it had stored (-L not
		// set): the station has an address, which may still be
		// right; a note, not a failure.
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "dhcpcd: no server answer, last lease reused", m.iface
	case m.iface != "" && body == "failed to renew DHCP, rebinding":
		// src/dhcp.c, dhcp_rebind: a renewal of a bound lease went
		// unanswered; the lease is still valid.
		e.Kind, e.Name, e.Iface = diagnostics.KindNote, "dhcpcd: renewal unanswered, rebinding", m.iface
	case msg == "timed out" && (prog == "dhcpcd" || prog == ""):
		// dhcpcd's global timeout (-t, default 30 s) with no lease on any
		// interface (src/dhcpcd.c, handle_exit_timeout): a one-shot or
		// single-interface dhcpcd exits ("dhcpcd exited"); in manager
		// mode it backgrounds and keeps trying, which this line cannot
		// tell apart.
		e.OK, e.Name, p.role = diagnostics.Bool(false), "dhcpcd: timed out", roleTerminal

	// avahi-autoipd (avahi-autoipd/main.c): "Successfully claimed IP
	// address 169.254.7.8", the IPv4 link-local address that ifupdown's
	// and dhcpcd's hooks start it for when no DHCP server answered
	// (RFC 3927); it logs as "avahi-autoipd(wlan0)[pid]".
	case strings.Contains(msg, "Successfully claimed IP address 169.254."):
		// The syslog envelope does not split "avahi-autoipd(wlan0)[pid]:"
		// (not a plain program name): the interface is read here.
		g := reAutoipd.FindStringSubmatch(prog + "[0]: " + msg)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "avahi-autoipd: link-local "+g[2]+" (no lease)", g[1]

	// systemd-networkd: "wlan0: DHCPv4 address ...", "wlan0: DHCP lease lost".
	case m.iface != "" && strings.HasPrefix(body, "DHCPv4 address "):
		g := reNetworkdAddr.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name, e.Iface = diagnostics.Bool(true), "lease "+g[1], m.iface
	case m.iface != "" && body == "DHCP lease lost":
		e.OK, e.Name, e.Iface = diagnostics.Bool(false), "networkd: lease lost", m.iface
	case strings.HasPrefix(body, "DHCPv4 client: ") || strings.HasPrefix(body, "DHCP CLIENT (0x"):
		// sd-dhcp-client's debug log (SYSTEMD_LOG_LEVEL=debug): the
		// messages sent and received, which DHCPUnanswered counts.
		g := reNetworkdClient.FindStringSubmatch(body)
		if g == nil {
			return p, pass
		}
		switch g[1] {
		case "DISCOVER":
			e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPDiscover
		case "OFFER":
			e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPOffer
		case "ACK":
			e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPAck
		case "NAK":
			e.Kind, e.Name = diagnostics.KindNote, "DHCPNAK"
		case "REQUEST":
			e.Kind, e.Name = diagnostics.KindNote, "DHCPREQUEST"
		default:
			// EXPIRED (client_timeout_expire: a bound lease ran out),
			// STOPPED (client_stop): networkd's own lines say what
			// it made of them.
			e.Kind, e.Name = diagnostics.KindNote, "networkd: DHCPv4 client "+strings.ToLower(g[1])
		}
	case m.iface != "" && strings.HasPrefix(body, "DHCP error: Client failed: "):
		// networkd-dhcp4.c, dhcp4_handler: sd-dhcp-client stopped with
		// an error (client_stop). ETIMEDOUT is the client giving up
		// (MaxAttempts= in [DHCPv4]); other errors are the socket or
		// the link going away, which the Wi-Fi side's lines explain.
		if strings.TrimSpace(strings.TrimPrefix(body, "DHCP error: Client failed: ")) == "Connection timed out" {
			e.OK, e.Name, p.role = diagnostics.Bool(false), "networkd: DHCPv4 client timed out", roleTerminal
		} else {
			e.Kind, e.Name = diagnostics.KindNote, "networkd: DHCPv4 client stopped"
		}
	case m.iface != "" && strings.HasPrefix(body, "Could not acquire DHCPv4 lease: "):
		// networkd-link.c, link_acquire_ipv4_conf: sd_dhcp_client_start
		// failed (the raw socket could not be bound): no DHCP ran. The
		// link enters failed; what NetworkManager's "dhclient failed
		// to start" says.
		e.OK, e.Name = diagnostics.Bool(false), "networkd: DHCPv4 client failed to start"

	// udhcpc, with or without its "udhcpc: " prefix (1.33 on).
	case strings.Contains(msg, "ending discover") || strings.Contains(msg, "casting discover"):
		switch udhcpcText(msg) {
		case "Sending discover...", "sending discover", "broadcasting discover":
		default:
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPDiscover
	case strings.Contains(msg, "o lease, "):
		switch udhcpcText(msg) {
		case "No lease, failing", "no lease, failing":
			// -n: udhcpc exits (leasefail).
			e.OK, e.Name, p.role = diagnostics.Bool(false), "udhcpc: no lease", roleTerminal
		case "No lease, forking to background", "no lease, forking to background":
			// -b: the first round failed; it keeps trying in the
			// background, and a lease may follow: a failure without a
			// role, for the situation classifier to weigh.
			e.OK, e.Name = diagnostics.Bool(false), "udhcpc: no lease, backgrounded"
		default:
			return p, pass
		}
	case strings.Contains(msg, "ending select for ") || strings.Contains(msg, "casting select for "):
		// send_select (networking/udhcp/dhcpc.c): "Sending select for
		// 192.168.1.5..." (to 1.32), "sending select for 192.168.1.5"
		// (1.33 to 1.35), "broadcasting select for 192.168.1.5, server
		// 192.168.1.1" (1.36): an offer came (it is not logged itself).
		t := udhcpcText(msg)
		if !strings.HasPrefix(t, "Sending select for ") && !strings.HasPrefix(t, "sending select for ") && !strings.HasPrefix(t, "broadcasting select for ") {
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, diagnostics.NoteDHCPOffer
	case strings.Contains(msg, "eceived DHCP NAK"):
		switch udhcpcText(msg) {
		case "Received DHCP NAK", "received DHCP NAK":
		default:
			return p, pass
		}
		e.Kind, e.Name = diagnostics.KindNote, "DHCPNAK"
	case strings.Contains(msg, "ease lost, entering init state"):
		// REBINDING timed out on a bound lease: udhcpc deconfigures and
		// discovers again, a lease may follow.
		switch udhcpcText(msg) {
		case "Lease lost, entering init state", "lease lost, entering init state":
		default:
			return p, pass
		}
		e.OK, e.Name = diagnostics.Bool(false), "udhcpc: lease lost"
	case strings.Contains(msg, "ease of "):
		g := reUdhcpcLease.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.OK, e.Name = diagnostics.Bool(true), "lease "+g[1]
	default:
		return p, pass
	}
	if e.Iface == "" && m.iface != "" {
		e.Iface = m.iface
	}
	return p, take
}

// udhcpcText is udhcpc's message without the "udhcpc: " it puts before it
// since 1.33 (and whatever envelope a syslog that did not parse left).
func udhcpcText(msg string) string {
	if i := strings.Index(msg, "udhcpc: "); i >= 0 {
		return msg[i+len("udhcpc: "):]
	}
	return msg
}
