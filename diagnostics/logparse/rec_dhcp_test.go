package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

func TestDHCPLines(t *testing.T) {
	tests := []struct {
		line string
		want []diagnostics.Event
		role role
	}{
		// https://github.com/raspberrypi/linux/issues/3473 (dhclient -v via ifup)
		{"DHCPDISCOVER on wlan1 to 255.255.255.255 port 67 interval 7",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER", Iface: "wlan1"}}, roleNone},
		{"No DHCPOFFERS received.",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhclient: no offers"}}, roleTerminal},
		// https://github.com/raspberrypi/linux/issues/1380 (dhclient 4.2 in syslog)
		{"Mar 28 09:18:35 localhost dhclient: DHCPREQUEST on wlan0 to 255.255.255.255 port 67",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPREQUEST", Iface: "wlan0"}}, roleNone},
		// dhclient.c: "bound to %s -- renewal in %ld seconds." (no public sample used)
		{"bound to 192.168.1.20 -- renewal in 1633 seconds.",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: yes, Name: "lease 192.168.1.20"}}, roleNone},
		// https://github.com/NetworkConfiguration/dhcpcd/issues/298 (its
		// "daemon.info: Apr  5 11:19:33 dhcpcd[958]: " envelope left out:
		// a syslog line without a host name does not split)
		{"wlp4s0: soliciting a DHCP lease",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhcpcd soliciting a lease", Iface: "wlp4s0"}}, roleNone},
		{"wlp4s0: using IPv4LL address 169.254.69.177",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: IPv4LL 169.254.69.177 (no lease)", Iface: "wlp4s0"}}, roleNone},
		// dhcpcd.c: "%s: leased %s for %u seconds"; sample from dhcpcd's own
		// README-style output, https://github.com/NetworkConfiguration/dhcpcd/issues/298
		{"wlp4s0: leased 192.168.1.125 for 86400 seconds",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: yes, Name: "lease 192.168.1.125", Iface: "wlp4s0"}}, roleNone},
		// dhcpcd's global timeout, then "dhcpcd exited" (no public sample used)
		{"timed out",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: timed out"}}, roleTerminal},
		{"wlan0: no IPv6 Routers available",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhcpcd: no IPv6 routers", Iface: "wlan0"}}, roleNone},
		// https://github.com/systemd/systemd/issues/15421
		{"Apr 01 00:04:57 drawbridge systemd-networkd[647]: ext0: DHCP lease lost",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "networkd: lease lost", Iface: "ext0"}}, roleNone},
		{"Apr 01 00:04:57 drawbridge systemd-networkd[647]: ext0: DHCPv4 address 75.152.194.194/22 via 75.152.192.1",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: yes, Name: "lease 75.152.194.194", Iface: "ext0"}}, roleNone},
		// https://github.com/systemd/systemd/issues/16071: a wired link.
		{"Oct 16 12:56:17 another-hostname systemd-networkd[377034]: ens3: DHCP lease lost", nil, roleNone},
		// https://github.com/oofnikj/iptmon/issues/5
		{"udhcpc: sending discover",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
		{"udhcpc: no lease, failing",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "udhcpc: no lease"}}, roleTerminal},
		// https://github.com/fabianishere/udm-iptv/issues/20
		{"udhcpc: no lease, forking to background",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "udhcpc: no lease, backgrounded"}}, roleNone},
		// https://github.com/F5OEO/tezuka_fw/issues/96 (udhcpc 1.36)
		{"Jan  1 00:00:04 (none) user.notice root: udhcpc: broadcasting discover",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
		// udhcpc 1.33+: "lease of %s obtained from %s, lease time %u"
		{"udhcpc: lease of 192.168.1.5 obtained from 192.168.1.1, lease time 86400",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: yes, Name: "lease 192.168.1.5"}}, roleNone},
		// dhclient.c, state_panic (after "No DHCPOFFERS received."): notes.
		{"Aug 29 15:56:43 laptop dhclient[291]: No working leases in persistent database - sleeping.",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhclient: no working recorded lease"}}, roleNone},
		{"Trying recorded lease 192.168.1.20",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhclient: trying a recorded lease"}}, roleNone},
		// dhcpcd src/ipv4ll.c, ipv4ll_start / ipv4ll_found (no public sample used)
		{"wlan0: probing for an IPv4LL address",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: probing IPv4LL (no lease)", Iface: "wlan0"}}, roleNone},
		{"wlan0: failed to acquire an IPv4LL address",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: no IPv4LL address (no lease)", Iface: "wlan0"}}, roleNone},
		// dhcpcd src/dhcp.c, log_dhcp: "%s: %s %s %s %s" (offer) and NAK
		{"wlan0: offered 192.168.1.5 from 192.168.1.1",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER", Iface: "wlan0"}}, roleNone},
		{"wlan0: offered 192.168.1.5 from 192.168.1.1 router.lan",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER", Iface: "wlan0"}}, roleNone},
		{"wlan0: NAK: address not available from 192.168.1.1",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPNAK", Iface: "wlan0"}}, roleNone},
		// dhcpcd src/dhcp.c: dhcp_expire, dhcp_requestfailed, dhcp_lastlease, dhcp_rebind
		{"wlan0: DHCP lease expired",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: lease expired", Iface: "wlan0"}}, roleNone},
		{"wlan0: failed to request the lease",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "dhcpcd: request unanswered", Iface: "wlan0"}}, roleNone},
		{"wlan0: timed out contacting a DHCP server, using last lease",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhcpcd: no server answer, last lease reused", Iface: "wlan0"}}, roleNone},
		{"wlan0: failed to renew DHCP, rebinding",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "dhcpcd: renewal unanswered, rebinding", Iface: "wlan0"}}, roleNone},
		// sd-dhcp-client.c, log_dhcp_client (debug): v247 on and before
		{"Mar 02 10:00:01 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER", Iface: "wlan0"}}, roleNone},
		{"Mar 02 10:00:02 host systemd-networkd[412]: wlan0: DHCPv4 client: OFFER",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER", Iface: "wlan0"}}, roleNone},
		{"Mar 02 10:00:02 host systemd-networkd[412]: wlan0: DHCPv4 client: REQUEST (requesting)",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPREQUEST", Iface: "wlan0"}}, roleNone},
		{"Mar 02 10:00:02 host systemd-networkd[412]: wlan0: DHCPv4 client: ACK",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPACK", Iface: "wlan0"}}, roleNone},
		{"Mar 02 10:00:01 host systemd-networkd[412]: DHCP CLIENT (0x5a3c1f2e): DISCOVER",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
		{"Mar 02 10:00:02 host systemd-networkd[412]: wlan0: DHCPv4 client: NAK: address in use",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPNAK", Iface: "wlan0"}}, roleNone},
		// networkd-dhcp4.c, dhcp4_handler; networkd-link.c, link_acquire_ipv4_conf
		{"Mar 02 10:01:01 host systemd-networkd[412]: wlan0: DHCP error: Client failed: Connection timed out",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "networkd: DHCPv4 client timed out", Iface: "wlan0"}}, roleTerminal},
		{"Mar 02 10:01:01 host systemd-networkd[412]: wlan0: DHCP error: Client failed: Network is down",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "networkd: DHCPv4 client stopped", Iface: "wlan0"}}, roleNone},
		{"Mar 02 10:01:01 host systemd-networkd[412]: wlan0: Could not acquire DHCPv4 lease: Address family not supported by protocol",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "networkd: DHCPv4 client failed to start", Iface: "wlan0"}}, roleNone},
		// busybox networking/udhcp/dhcpc.c: send_select, the NAK, REBINDING's end
		{"udhcpc: sending select for 192.168.1.5",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER"}}, roleNone},
		{"Sending select for 192.168.1.5...",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER"}}, roleNone},
		{"udhcpc: broadcasting select for 192.168.1.5, server 192.168.1.1",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPOFFER"}}, roleNone},
		{"udhcpc: received DHCP NAK",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPNAK"}}, roleNone},
		{"udhcpc: lease lost, entering init state",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "udhcpc: lease lost"}}, roleNone},
		// OpenWrt: netifd's proto handler relays udhcpc's output as
		// "<iface> (<pid>): udhcpc: ..." (no public sample used).
		{"Mon Mar  4 10:00:00 2024 daemon.notice netifd: wwan (2345): udhcpc: broadcasting discover",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
		{"Mon Mar  4 10:00:09 2024 daemon.notice netifd: wwan (2345): udhcpc: no lease, failing",
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Name: "udhcpc: no lease"}}, roleTerminal},
		// Look-alikes: an application's own "offered" and a wired link's NAK.
		{"worker3: offered job 17 to queue", nil, roleNone},
		{"eth0: NAK: address not available from 192.168.1.1", nil, roleNone},
		// Not a client's lines: dnsmasq's server log and a kernel hexdump,
		// https://github.com/kaloz/mwlwifi/issues/243
		{"Tue Jan  9 08:37:32 2018 daemon.info dnsmasq-dhcp[2301]: DHCPDISCOVER(br-lan) 192.168.1.178 64:80:99:98:f7:92 ", nil, roleNone},
		{"DHCPOFFER00000070: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................", nil, roleNone},
	}
	for _, tt := range tests {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if _, r, _ := parseOne(tt.line); tt.want != nil && r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestDHCPDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		// https://github.com/raspberrypi/linux/issues/3473
		{"dhclient", []string{
			"Internet Systems Consortium DHCP Client 4.4.1",
			"Listening on LPF/wlan1/00:0b:81:93:de:5c",
			"Sending on   LPF/wlan1/00:0b:81:93:de:5c",
			"Sending on   Socket/fallback",
			"DHCPDISCOVER on wlan1 to 255.255.255.255 port 67 interval 7",
			"DHCPDISCOVER on wlan1 to 255.255.255.255 port 67 interval 19",
			"DHCPDISCOVER on wlan1 to 255.255.255.255 port 67 interval 9",
			"No DHCPOFFERS received.",
			"No working leases in persistent database - sleeping.",
		}, diagnostics.DHCPFailed},
		// https://github.com/oofnikj/iptmon/issues/5
		{"udhcpc", []string{"udhcpc: started, v1.30.1", "udhcpc: sending discover", "udhcpc: no lease, failing"}, diagnostics.DHCPFailed},
		// sd-dhcp-client's debug log: discovers with no offer.
		{"networkd discovers", []string{
			"Mar 02 10:00:01 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			"Mar 02 10:00:04 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			"Mar 02 10:00:12 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
		}, diagnostics.DHCPFailed},
		// The same with an offer and an ACK: the server answers.
		{"networkd lease", []string{
			"Mar 02 10:00:01 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			"Mar 02 10:00:04 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			"Mar 02 10:00:12 host systemd-networkd[412]: wlan0: DHCPv4 client: DISCOVER",
			"Mar 02 10:00:12 host systemd-networkd[412]: wlan0: DHCPv4 client: OFFER",
			"Mar 02 10:00:12 host systemd-networkd[412]: wlan0: DHCPv4 client: REQUEST (requesting)",
		}, diagnostics.None},
		// udhcpc: three discovers, then the select an offer starts; the
		// capture ends before the ACK: a server answered.
		{"udhcpc select", []string{"udhcpc: started, v1.36.1", "udhcpc: broadcasting discover", "udhcpc: broadcasting discover", "udhcpc: broadcasting discover", "udhcpc: broadcasting select for 192.168.1.5, server 192.168.1.1"}, diagnostics.None},
		// dhcpcd falls back to IPv4LL, then a lease comes: a retry that
		// succeeded.
		{"dhcpcd ipv4ll then lease", []string{
			"wlan0: soliciting a DHCP lease",
			"wlan0: probing for an IPv4LL address",
			"wlan0: offered 192.168.1.5 from 192.168.1.1",
			"wlan0: leased 192.168.1.5 for 86400 seconds",
		}, diagnostics.None},
		// A renewal that went unanswered on a bound lease.
		{"dhcpcd renew", []string{"wlan0: failed to renew DHCP, rebinding", "wlan0: leased 192.168.1.5 for 86400 seconds"}, diagnostics.None},
		// A bound lease ran out and a new one followed: renewal trouble
		// on a joined station, no failed join.
		{"dhcpcd expired then leased", []string{"wlan0: DHCP lease expired", "wlan0: soliciting a DHCP lease", "wlan0: leased 192.168.1.5 for 86400 seconds"}, diagnostics.None},
		{"udhcpc lease lost then lease", []string{"udhcpc: lease lost, entering init state", "udhcpc: broadcasting discover", "udhcpc: broadcasting select for 192.168.1.5, server 192.168.1.1", "udhcpc: lease of 192.168.1.5 obtained from 192.168.1.1, lease time 86400"}, diagnostics.None},
		// A lease after the discovers: nothing failed.
		{"udhcpc lease", []string{"udhcpc: started, v1.30.1", "udhcpc: sending discover", "udhcpc: lease of 192.168.1.5 obtained from 192.168.1.1, lease time 86400"}, diagnostics.None},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
