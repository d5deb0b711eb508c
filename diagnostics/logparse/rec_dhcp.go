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
		"bound to ",                   // dhclient: bound to 192.168.1.20 -- renewal in 1234 seconds.
		"No DHCPOFFERS",               // dhclient
		"obtain a lease",              // dhclient -1: Unable to obtain a lease on first try.  Exiting.
		"a DHCP lease",                // dhcpcd: soliciting a DHCP lease
		"leased ",                     // dhcpcd: leased 192.168.1.5 for 86400 seconds
		"IPv4LL address",              // dhcpcd: using IPv4LL address 169.254.x.y
		"timed out",                   // dhcpcd: timed out (also the kernel's key)
		"DHCPv4 address",              // systemd-networkd (also NetworkManager's "DHCPv4")
		"DHCP lease lost",             // systemd-networkd
		"ending discover",             // udhcpc: Sending discover... / sending discover
		"casting discover",            // udhcpc 1.36: broadcasting discover
		"o lease, ",                   // udhcpc: No lease, failing / no lease, forking to background
		"ease of ",                    // udhcpc: Lease of 192.168.1.5 obtained
		"IPv6 Routers",                // dhcpcd: no IPv6 Routers available (not an IPv4 failure)
		"claimed IP address 169.254.", // avahi-autoipd: Successfully claimed IP address 169.254.x.y
	},
	parse: parseDHCP,
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
)

func parseDHCP(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg, body, prog := m.msg, m.body, m.prog
	if prog == "NetworkManager" {
		return p, pass
	}
	e.Source, e.Kind = diagnostics.SourceDHCP, diagnostics.KindDHCP
	switch {
	// dhclient. It writes these to syslog as "dhclient[pid]: ..." and,
	// with -v, to the terminal.
	case strings.HasPrefix(msg, "DHCP"):
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
