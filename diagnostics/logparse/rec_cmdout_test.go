package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// parseSeq runs lines through one lineParser, as a stream does, and returns
// the events they give (times and messages left out).
func parseSeq(lines ...string) []diagnostics.Event {
	lp := newLineParser(2024)
	var out []diagnostics.Event
	for _, l := range lines {
		li, ok := lp.split([]byte(l))
		if !ok {
			continue
		}
		if p, _, ok := parseLine(li.msg, li.prog, li.tag); ok {
			out = append(out, p.ev)
		}
	}
	return out
}

// diagnoseText runs Diagnose on lines and returns the report's class.
func diagnoseText(t *testing.T, lines ...string) *diagnostics.Report {
	t.Helper()
	rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"), Options{Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

var (
	no  = diagnostics.Bool(false)
	yes = diagnostics.Bool(true)
)

func TestCmdOutLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []diagnostics.Event
	}{
		// https://github.com/booyaa/wifiscanner/pull/31
		{"iw busy", []string{"$ sudo iw dev wlp2s0 scan ; echo $?", "command failed: Device or resource busy (-16)", "240"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}},
		// https://github.com/ulli-kroll/mt7610u/issues/24
		{"iw not permitted", []string{"[user@q67server ~]$ iw wlan0 scan | grep freq:", "command failed: Operation not permitted (-1)"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "permission", Code: -1, Name: "not permitted"}}},
		// raspberrypi-sys-mods /etc/profile.d/wifi-check.sh.
		{"Raspberry Pi login notice", []string{"Wi-Fi is currently blocked by rfkill.", "Use raspi-config to set the country before use."},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked (Raspberry Pi OS: no Wi-Fi country set)"}}},
		// wpa_cli status, ctrl_iface.c; defs.h's WPA_INTERFACE_DISABLED.
		{"wpa_cli status disabled", []string{"$ sudo wpa_cli -i wlan0 status", "wpa_state=INTERFACE_DISABLED"},
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "device", OK: no, Name: "wpa_supplicant's interface is disabled (the interface is down, or rfkill-blocked)"}}},
		{"wpa_cli status scanning", []string{"wpa_state=SCANNING"}, nil},
		// iw.c prints "command failed: %s (%d)" with strerror(-err);
		// ENETDOWN is "Network is down" (no public sample used).
		{"iw down", []string{"command failed: Network is down (-100)"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "device", Code: -100, OK: no, Name: "unavailable"}}},
		// iw's line inside a wrapper's error: Python's CalledProcessError
		// output, a JSON string.
		{"iw busy in a CalledProcessError", []string{`subprocess.CalledProcessError: Command '['iw', 'dev', 'wlan0', 'scan']' returned non-zero exit status 240. output=b'command failed: Device or resource busy (-16)\n'`},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}},
		{"iw busy in JSON", []string{`{"level":"error","stderr":"command failed: Device or resource busy (-16)\n"}`}, nil}, // a JSON object line is journal/zerolog input, not read as text
		{"iw busy in a quoted string", []string{`stderr: "command failed: Device or resource busy (-16)\n",`},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}},
		// EAGAIN: brcmfmac's brcmf_cfg80211_scan refuses so while a scan
		// runs (cfg80211.c), as iw and iwlist report it.
		{"iw again", []string{"command failed: Resource temporarily unavailable (-11)"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_busy", Code: -11, Name: "EAGAIN"}}},
		{"iwlist again", []string{"wlan0     Interface doesn't support scanning : Resource temporarily unavailable"},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_busy", Code: -11, Name: "EAGAIN", Iface: "wlan0"}}},
		{"iw other", []string{"command failed: Invalid argument (-22)"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "note", Code: -22, Name: "iw: Invalid argument"}}},
		// https://github.com/8devices/carambola/issues/10
		{"iwlist busy", []string{"root@OpenWrt:/# iwlist wlan0 scan", "wlan0     Interface doesn't support scanning : Device or resource busy"},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_busy", Code: -16, Name: "EBUSY", Iface: "wlan0"}}},
		// https://github.com/lwfinger/rtl8723bu/issues/46
		{"iwlist empty", []string{"sudo iwlist scan", "wlp0s20u3i2  No scan results"},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_done", OK: yes, Name: "iwlist: no scan results", Iface: "wlp0s20u3i2"}}},
		// https://github.com/home-assistant/core/issues/14711 (indented by spaces)
		{"rfkill list soft", []string{"0: phy0: Wireless LAN", "        Soft blocked: yes", "        Hard blocked: no"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked", Iface: "phy0"}}},
		// https://github.com/home-assistant/home-assistant.io/issues/5471 (indentation lost)
		{"rfkill list flat", []string{"0: phy0: Wireless LAN", "Soft blocked: yes", "Hard blocked: no"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked", Iface: "phy0"}}},
		// https://github.com/FreedomBen/rtl8188ce-linux-driver/issues/87: the
		// Bluetooth entry's lines say nothing of Wi-Fi.
		{"rfkill list hard and bluetooth", []string{"0: phy0: Wireless LAN", "\tSoft blocked: no", "\tHard blocked: yes", "1: hci0: Bluetooth", "\tSoft blocked: no", "\tHard blocked: no"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "hard-blocked", Iface: "phy0"}}},
		{"rfkill bluetooth blocked only", []string{"0: phy0: Wireless LAN", "\tSoft blocked: no", "\tHard blocked: no", "1: hci0: Bluetooth", "\tSoft blocked: yes", "\tHard blocked: no"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: yes, Iface: "phy0"}}},
		{"block lines without header", []string{"\tSoft blocked: yes", "\tHard blocked: yes"}, nil},
		// https://github.com/linrunner/TLP/issues/359
		{"rfkill table", []string{"ID TYPE      DEVICE              SOFT      HARD", " 0 wlan      phy0             blocked   blocked", " 1 wlan      dell-wifi        blocked unblocked", " 2 bluetooth dell-bluetooth unblocked unblocked"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "hard-blocked", Iface: "phy0"}, {Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked", Iface: "dell-wifi"}}},
		// https://github.com/elementary/panel-network/issues/100
		{"nmcli dev unavailable", []string{"happ@happ-elementary:~$ nmcli d", "wlx00e04c172237  wifi      unavailable  --   "},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable", Iface: "wlx00e04c172237"}}},
		// https://github.com/Libera-Chat/libera-chat.github.io/issues/425 (whitespace collapsed)
		{"nmcli dev unmanaged", []string{"DEVICE TYPE STATE CONNECTION", "enp3s0 ethernet connected Wired connection 1", "wlp2s0 wifi unmanaged --"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unmanaged", Iface: "wlp2s0"}}},
		// nmcli(1), "nmcli radio": columns WIFI-HW WIFI WWAN-HW WWAN (no
		// public sample used).
		{"nmcli radio", []string{"WIFI-HW  WIFI      WWAN-HW  WWAN", "enabled  disabled  enabled  enabled"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "radio", OK: no, Name: "nm-disabled"}}},
		{"nmcli radio hw", []string{"disabled  enabled  enabled  enabled"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "radio", OK: no, Name: "hard-blocked"}}},
		{"nmcli radio on", []string{"enabled  enabled  enabled  enabled"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "radio", OK: yes}}},
		{"nmcli radio wifi", []string{"$ nmcli radio wifi", "disabled"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "radio", OK: no, Name: "nm-disabled"}}},
		{"a bare disabled", []string{"$ systemctl is-enabled wpa_supplicant", "disabled"}, nil},
		// iw.c nl80211_init: no nl80211 generic netlink family.
		{"iw without cfg80211", []string{"$ iw dev wlan0 scan", "nl80211 not found."},
			[]diagnostics.Event{{Source: "nl80211", Kind: "device", OK: no, Name: "missing (iw: nl80211 not found, cfg80211 not loaded)"}}},
		// rfkill event (util-linux rfkill.c and the standalone rfkill,
		// rfkill_event); type 1 is WLAN, 2 Bluetooth.
		{"rfkill event soft", []string{"$ rfkill event", "1580000000.123456: idx 0 type 1 op 2 soft 1 hard 0"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "soft-blocked", Iface: "rfkill0"}}},
		{"rfkill event util-linux", []string{"2026-12-03 10:00:01,123456+00:00: idx 1 type 1 op 0 soft 0 hard 1"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "hard-blocked", Iface: "rfkill1"}}},
		{"rfkill event unblocked, reasons", []string{"1580000001.000001: idx 0 type 1 op 2 soft 0 hard 0 hard block reasons 0x00"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: yes, Iface: "rfkill0"}}},
		{"rfkill event bluetooth, removal", []string{"1580000000.123456: idx 2 type 2 op 2 soft 1 hard 0", "1580000000.123456: idx 0 type 1 op 1 soft 0 hard 0"}, nil},
		// wpa_supplicant ctrl_iface.c wpas_ctrl_scan, through wpa_cli.
		{"wpa_cli scan busy", []string{"pi@raspberrypi:~ $ sudo wpa_cli -i wlan0 scan", "FAIL-BUSY"},
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "scan_busy", Name: "wpa_cli scan: FAIL-BUSY"}}},
		{"wpa_cli p2p_find busy", []string{"$ wpa_cli -i wlan0 p2p_find", "FAIL-BUSY"}, nil},
		{"a bare FAIL-BUSY", []string{"FAIL-BUSY"}, nil},
		// net-tools ifconfig's perror("SIOCSIFFLAGS") after the driver's
		// open timed out; iproute2's same errno is not read (other
		// requests answer it too).
		{"ifconfig up timed out", []string{"$ sudo ifconfig wlan0 up", "SIOCSIFFLAGS: Connection timed out"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "unavailable (interface up failed: Connection timed out)"}}},
		{"ip up timed out", []string{"RTNETLINK answers: Connection timed out"}, nil},
		// iw scan.c handle_scan_combined.
		{"iw scan aborted", []string{"$ sudo iw dev wlan0 scan", "scan aborted!"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_aborted", Name: "iw scan aborted"}}},
		// iproute2 ipaddress.c; net-tools/busybox ifconfig do_if_fetch.
		{"ip: no such interface", []string{"$ ip addr show wlan0", `Device "wlan0" does not exist.`},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan0"}}},
		{"ifconfig: no such interface", []string{"wlan0: error fetching interface information: Device not found"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan0"}}},
		{"busybox ifconfig: no such interface", []string{"ifconfig: wlan1: error fetching interface information: Device not found"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan1"}}},
		{"ip: another interface", []string{`Device "eth1" does not exist.`, "usb0: error fetching interface information: Device not found"}, nil},
		// iwconfig.c print_info: strerror(ENODEV) after the name.
		{"iwconfig no such device", []string{"$ iwconfig wlan0", "wlan0     No such device"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan0"}}},
		{"iwconfig no such device, not Wi-Fi", []string{"eth1      No such device"}, nil},
		// nmcli/general.c do_overview: "%s: %s".
		{"nmcli overview unavailable", []string{"$ nmcli", "wlp2s0: unavailable", `        "Intel Wireless 8265 / 8275"`},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable", Iface: "wlp2s0"}}},
		{"nmcli overview unmanaged", []string{"wlan0: unmanaged"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unmanaged", Iface: "wlan0"}}},
		{"nmcli overview, not Wi-Fi", []string{"lo: unmanaged", "enp3s0: unavailable"}, nil},
		{"ip link", []string{"3: wlan0: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 qdisc noqueue state DOWN mode DORMANT group default qlen 1000"},
			[]diagnostics.Event{{Source: "kernel", Kind: "note", Name: "ip link: state DOWN, no carrier", Iface: "wlan0"}}},
		// net-tools ifconfig (lib/interface.c, ife_print_long): the
		// flags line, IPv4, IPv6, then the hardware line.
		{"ifconfig associated without IPv4", []string{
			"wlan0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        inet6 fe80::ba27:ebff:fe00:1  prefixlen 64  scopeid 0x20<link>",
			"        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)",
			"        RX packets 9843  bytes 1327880 (1.2 MiB)",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "associated, no IPv4 address on the interface"}}},
		{"ifconfig associated without any address", []string{
			"wlp3s0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        ether 00:11:22:33:44:55  txqueuelen 1000  (Ethernet)",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: no, Iface: "wlp3s0", Name: "associated, no IPv4 address on the interface"}}},
		{"ifconfig with IPv4", []string{
			"wlan0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        inet 192.168.1.20  netmask 255.255.255.0  broadcast 192.168.1.255",
			"        inet6 fe80::ba27:ebff:fe00:1  prefixlen 64  scopeid 0x20<link>",
			"        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: yes, Iface: "wlan0", Name: "IPv4 address on the associated interface"}}},
		{"ifconfig link-local only", []string{
			"wlan0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        inet 169.254.33.7  netmask 255.255.0.0  broadcast 169.254.255.255",
			"        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "associated, only an IPv4 link-local address (169.254/16): no lease"}}},
		{"old ifconfig link-local only", []string{
			"mlan0     Link encap:Ethernet  HWaddr D4:CA:6E:00:00:01",
			"          inet addr:169.254.10.20  Bcast:169.254.255.255  Mask:255.255.0.0",
			"          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: no, Iface: "mlan0", Name: "associated, only an IPv4 link-local address (169.254/16): no lease"}}},
		{"ifconfig not associated", []string{
			"wlan0: flags=4099<UP,BROADCAST,MULTICAST>  mtu 1500",
			"        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)",
		}, nil},
		{"ifconfig wired, bridge", []string{
			"eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        ether b8:27:eb:00:00:02  txqueuelen 1000  (Ethernet)",
			"lxcbr0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        inet6 fe80::1  prefixlen 64  scopeid 0x20<link>",
		}, nil},
		// net-tools before 1.60 and busybox: the flags come after the
		// addresses.
		{"old ifconfig without IPv4", []string{
			"wlan0     Link encap:Ethernet  HWaddr 00:11:22:33:44:55",
			"          inet6 addr: fe80::211:22ff:fe33:4455/64 Scope:Link",
			"          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1",
			"          RX packets:2 errors:0 dropped:0 overruns:0 frame:0",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "associated, no IPv4 address on the interface"}}},
		{"old ifconfig with IPv4", []string{
			"wlan0     Link encap:Ethernet  HWaddr 00:11:22:33:44:55",
			"          inet addr:192.168.1.3  Bcast:192.168.1.255  Mask:255.255.255.0",
			"          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1",
		}, []diagnostics.Event{{Source: "kernel", Kind: "dhcp", OK: yes, Iface: "wlan0", Name: "IPv4 address on the associated interface"}}},
		{"old ifconfig down", []string{
			"wlan0     Link encap:Ethernet  HWaddr 00:11:22:33:44:55",
			"          BROADCAST MULTICAST  MTU:1500  Metric:1",
		}, nil},
		// iproute2 ip addr (ip/ipaddress.c): IPv4 addresses before IPv6.
		{"ip addr associated without IPv4", []string{
			"3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000",
			"    link/ether b8:27:eb:00:00:01 brd ff:ff:ff:ff:ff:ff",
			"    inet6 fe80::ba27:ebff:fe00:1/64 scope link",
		}, []diagnostics.Event{
			{Source: "kernel", Kind: "note", Iface: "wlan0", Name: "ip link: state UP"},
			{Source: "kernel", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "associated, no IPv4 address on the interface"},
		}},
		{"ip addr with IPv4", []string{
			"3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000",
			"    link/ether b8:27:eb:00:00:01 brd ff:ff:ff:ff:ff:ff",
			"    inet 192.168.1.20/24 brd 192.168.1.255 scope global dynamic wlan0",
			"       valid_lft 86321sec preferred_lft 86321sec",
			"    inet6 fe80::ba27:ebff:fe00:1/64 scope link",
		}, []diagnostics.Event{
			{Source: "kernel", Kind: "note", Iface: "wlan0", Name: "ip link: state UP"},
			{Source: "kernel", Kind: "dhcp", OK: yes, Iface: "wlan0", Name: "IPv4 address on the associated interface"},
		}},
		{"ip addr dormant", []string{
			"3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state DORMANT group default qlen 1000",
			"    inet6 fe80::ba27:ebff:fe00:1/64 scope link",
		}, []diagnostics.Event{{Source: "kernel", Kind: "note", Iface: "wlan0", Name: "ip link: state DORMANT"}}},
		{"ip -6 addr", []string{
			"3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 state UP qlen 1000",
			"    inet6 fe80::ba27:ebff:fe00:1/64 scope link",
		}, []diagnostics.Event{{Source: "kernel", Kind: "note", Iface: "wlan0", Name: "ip link: state UP"}}},
		{"ifconfig monitor interface", []string{
			"wlan0mon: flags=867<UP,BROADCAST,NOTRAILERS,RUNNING,PROMISC,ALLMULTI>  mtu 1500",
			"        unspec 00-11-22-33-44-55-00-00-00-00-00-00-00-00-00-00  txqueuelen 1000  (UNSPEC)",
		}, nil},
		{"inet line without a block", []string{"    inet 192.168.1.20/24 brd 192.168.1.255 scope global dynamic wlan0"}, nil},
		// iwconfig (wireless-tools iwconfig.c): Tx-Power=off is cfg80211's
		// rfkill state (wext-compat.c, cfg80211_wext_giwtxpower).
		{"iwconfig rfkill", []string{
			"wlan0     IEEE 802.11bg  ESSID:off/any",
			"          Mode:Managed  Access Point: Not-Associated   Tx-Power=off",
		}, []diagnostics.Event{{Source: "kernel", Kind: "radio", OK: no, Name: "rfkill-blocked (iwconfig Tx-Power=off)"}}},
		{"iwconfig not associated", []string{
			"wlan0     IEEE 802.11  ESSID:off/any",
			"          Mode:Managed  Access Point: Not-Associated   Tx-Power=20 dBm",
		}, []diagnostics.Event{{Source: "kernel", Kind: "note", Name: "iwconfig: not associated"}}},
		// iw link.c, handle_link; iw reg.c, print_reg_handler.
		{"iw link", []string{"$ iw dev wlan0 link", "Not connected."},
			[]diagnostics.Event{{Source: "nl80211", Kind: "note", Name: "iw link: not connected"}}},
		{"iw link connected", []string{"Connected to 34:08:04:12:b1:a2 (on mlan0)", "\tSSID: home"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "note", BSSID: "34:08:04:12:b1:a2", Iface: "mlan0", Name: "iw link: associated"}}},
		{"Connected to something else", []string{"Connected to the system bus"}, nil},
		{"iw reg world", []string{"country 00: DFS-UNSET", "        (2457 - 2482 @ 40), (N/A, 20), (N/A), NO-IR"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "note", Name: "regulatory domain: world (country 00)"}}},
		// iwlist's line quoted by a wrapper: the Python "wifi" package
		// raises InterfaceError with iwlist's output as bytes.
		// nmcli device show (nmcli devices.c: GENERAL.STATE is
		// "%d (%s)", the NMDeviceState and its translated name).
		{"nmcli device show unavailable", []string{
			"GENERAL.DEVICE:                         wlan0",
			"GENERAL.TYPE:                           wifi",
			"GENERAL.HWADDR:                         00:11:22:33:44:55",
			"GENERAL.MTU:                            1500",
			"GENERAL.STATE:                          20 (nicht verf\u00fcgbar)",
		}, []diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Iface: "wlan0", Name: "unavailable"}}},
		{"nmcli device show terse", []string{"GENERAL.DEVICE:wlp2s0", "GENERAL.TYPE:wifi", "GENERAL.STATE:10 (unmanaged)"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Iface: "wlp2s0", Name: "unmanaged"}}},
		{"nmcli device show connected", []string{"GENERAL.DEVICE:                         wlan0", "GENERAL.TYPE:                           wifi", "GENERAL.STATE:                          100 (connected)"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "note", Iface: "wlan0", Name: "nmcli device show: state 100"}}},
		{"nmcli device show ethernet", []string{"GENERAL.DEVICE:                         eth0", "GENERAL.TYPE:                           ethernet", "GENERAL.STATE:                          20 (unavailable)"}, nil},
		// nmcli device wifi list (nmcli devices.c: "%u Mbit/s", "Infra"):
		// one listing is one completed scan.
		{"nmcli wifi list", []string{
			"IN-USE  BSSID              SSID        MODE   CHAN  RATE        SIGNAL  BARS  SECURITY",
			"        90:3A:72:00:00:01  HomeNet     Infra  6     195 Mbit/s  100     \u2582\u2584\u2586\u2588  WPA2",
			"*       C0:C9:E3:00:00:02  Office      Infra  11    130 Mbit/s  72      \u2582\u2584\u2586_  WPA1 WPA2",
		}, []diagnostics.Event{{Source: "nmcli", Kind: "scan_done", OK: yes, Name: "nmcli: scan list"}}},
		{"nmcli wifi list, old columns", []string{"*  HomeNet  Infra  6  54 Mbit/s  70  \u2582\u2584\u2586_  WPA2"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "scan_done", OK: yes, Name: "nmcli: scan list"}}},
		// pciutils lspci -k (ls-kernel.c, show_kernel): the driver line,
		// when bound, comes before the modules line.
		{"lspci no driver", []string{
			"03:00.0 Network controller: Broadcom Inc. and subsidiaries BCM4360 802.11ac Wireless Network Adapter (rev 03)",
			"\tSubsystem: Apple Inc. BCM4360 802.11ac Wireless Network Adapter",
			"\tKernel modules: bcma, wl",
		}, []diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "no driver bound to the network controller (lspci -k; modules: bcma, wl)"}}},
		{"lspci -nnk bound", []string{
			"00:14.3 Network controller [0280]: Intel Corporation Cannon Lake PCH CNVi WiFi [8086:a370] (rev 10)",
			"\tSubsystem: Intel Corporation Wireless-AC 9560 [8086:0034]",
			"\tKernel driver in use: iwlwifi",
			"\tKernel modules: iwlwifi",
		}, []diagnostics.Event{{Source: "kernel", Kind: "note", Name: "lspci: network controller driver iwlwifi"}}},
		{"lspci ethernet", []string{
			"02:00.0 Ethernet controller: Realtek Semiconductor Co., Ltd. RTL8111/8168/8411 PCI Express Gigabit Ethernet Controller (rev 15)",
			"\tKernel modules: r8169",
		}, nil},
		// lshw (print.cc, printnode): an unclaimed node.
		{"lshw unclaimed", []string{
			"  *-network UNCLAIMED",
			"       description: Network controller",
			"       product: BCM4360 802.11ac Wireless Network Adapter",
		}, []diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "no driver bound to the network controller (lshw: UNCLAIMED)"}}},
		{"lshw claimed", []string{
			"  *-network",
			"       description: Wireless interface",
			"       product: Wireless 8265 / 8275",
		}, nil},
		// Output quoted in a reply (e-mail, Markdown "> ").
		{"quoted rfkill list", []string{"> 0: phy0: Wireless LAN", "> \tSoft blocked: no", "> \tHard blocked: yes"},
			[]diagnostics.Event{{Source: "rfkill", Kind: "radio", OK: no, Name: "hard-blocked", Iface: "phy0"}}},
		{"quoted nmcli device", []string{"> > wlp2s0  wifi  unavailable  --"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable", Iface: "wlp2s0"}}},
		// Bringing the interface up: iproute2 lib/libnetlink.c
		// ("RTNETLINK answers: %s"), net-tools ifconfig.c
		// (perror("SIOCSIFFLAGS"), "%s: ERROR while getting interface
		// flags: %s"), iproute2 `Cannot find device "%s"`.
		{"ip link up rfkill", []string{"$ sudo ip link set wlan0 up", "RTNETLINK answers: Operation not possible due to RF-kill"},
			[]diagnostics.Event{{Source: "kernel", Kind: "radio", OK: no, Name: "rfkill-blocked (interface up refused)"}}},
		{"ifconfig up rfkill, old libc", []string{"SIOCSIFFLAGS: Unknown error 132"},
			[]diagnostics.Event{{Source: "kernel", Kind: "radio", OK: no, Name: "rfkill-blocked (interface up refused)"}}},
		{"ifconfig up no firmware", []string{"SIOCSIFFLAGS: No such file or directory"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "unavailable (interface up failed: No such file or directory)"}}},
		{"ip route del missing", []string{"RTNETLINK answers: No such file or directory"}, nil},
		{"ip link address busy", []string{"RTNETLINK answers: Device or resource busy"}, nil},
		{"ip addr exists", []string{"RTNETLINK answers: File exists"}, nil},
		{"ip up not permitted", []string{"RTNETLINK answers: Operation not permitted"},
			[]diagnostics.Event{{Source: "kernel", Kind: "permission", Name: "not permitted"}}},
		{"ip no such device", []string{`Cannot find device "wlan0"`},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan0"}}},
		{"ifconfig no such device", []string{"wlan0: ERROR while getting interface flags: No such device"},
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Name: "missing", Iface: "wlan0"}}},
		// iw event [-t] (iw event.c, print_event).
		{"iw event", []string{
			"wlan0 (phy #0): scan started",
			"wlan0 (phy #0): scan finished: 2412 2417 2422, \"\"",
			"1700000000.123456: wlan0 (phy #0): scan aborted: 2412,",
			"wlan0 (phy #0): auth: timed out",
			"wlan0 (phy #0): auth 90:3a:72:00:00:01 -> 00:11:22:33:44:55 status: 15: Authentication rejected due to challenge failure",
			"wlan0 (phy #0): assoc 90:3a:72:00:00:01 -> 00:11:22:33:44:55 status: 17: AP unable to handle new STA",
			"wlan0 (phy #0): failed to connect to 90:3a:72:00:00:01, status: 1: Unspecified failure",
			"wlan0 (phy #0): timed out to 90:3a:72:00:00:01",
			"wlan0 (phy #0): connected to 90:3a:72:00:00:01",
			"wlan0 (phy #0): disconnected (by AP) reason: 2: Previous authentication no longer valid",
			"wlan0 (phy #0): disconnected (local request) reason: 3: Deauthenticated because sending station is leaving (or has left) IBSS or ESS",
			"wlan0 (phy #0): deauth 90:3a:72:00:00:01 -> 00:11:22:33:44:55 reason 2: Previous authentication no longer valid",
			"wlan0 (phy #0): unknown event 99",
		}, []diagnostics.Event{
			{Source: "nl80211", Kind: "scan_started", Iface: "wlan0"},
			{Source: "nl80211", Kind: "scan_done", OK: yes, Name: "iw event", Iface: "wlan0"},
			{Source: "nl80211", Kind: "scan_aborted", Name: "iw event", Iface: "wlan0"},
			{Source: "nl80211", Kind: "auth_timeout", Iface: "wlan0"},
			{Source: "nl80211", Kind: "auth_status", Code: 15, BSSID: "90:3a:72:00:00:01", Iface: "wlan0"},
			{Source: "nl80211", Kind: "assoc_status", Code: 17, BSSID: "90:3a:72:00:00:01", Iface: "wlan0"},
			{Source: "nl80211", Kind: "assoc_status", Code: 1, BSSID: "90:3a:72:00:00:01", Iface: "wlan0"},
			{Source: "nl80211", Kind: "assoc_timeout", BSSID: "90:3a:72:00:00:01", Iface: "wlan0"},
			{Source: "nl80211", Kind: "note", Name: "iw event: connected", BSSID: "90:3a:72:00:00:01", Iface: "wlan0"},
			{Source: "nl80211", Kind: "disconnect", Code: 2, Iface: "wlan0"},
			{Source: "nl80211", Kind: "disconnect", Code: -3, Iface: "wlan0"},
			{Source: "nl80211", Kind: "note", Name: "iw event: deauth", Iface: "wlan0"},
		}},
		{"iwlist quoted", []string{`wifi.exceptions.InterfaceError: b"wlan0     Interface doesn't support scanning : Device or resource busy"`},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_busy", Code: -16, Name: "EBUSY", Iface: "wlan0"}}},
		// EAGAIN on the read: cfg80211's scan still running after
		// iwlist's 15 s (cfg80211_wext_giwscan), no fresh results.
		{"iwlist quoted with newline", []string{`subprocess.CalledProcessError: 'wlan0     Failed to read scan data : Resource temporarily unavailable\n'`},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_busy", Code: -11, Name: "EAGAIN", Iface: "wlan0"}}},
		{"iwlist read, other error", []string{"wlan0     Failed to read scan data : Argument list too long"},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_done", OK: no, Name: "iwlist: Argument list too long", Iface: "wlan0"}}},
	}
	for _, tt := range tests {
		got := parseSeq(tt.lines...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestCmdOutDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		// https://github.com/home-assistant/core/issues/14711
		{"rfkill soft", []string{`when I used the command: "sudo rfkill list", the response was`, "0: phy0: Wireless LAN", "        Soft blocked: yes", "        Hard blocked: no", `to resolve I used "sudo rfkill unblock wifi"`}, diagnostics.RadioOff},
		// https://github.com/FreedomBen/rtl8188ce-linux-driver/issues/87
		{"rfkill hard", []string{"0: phy0: Wireless LAN", "\tSoft blocked: no", "\tHard blocked: yes", "1: hci0: Bluetooth", "\tSoft blocked: no", "\tHard blocked: no"}, diagnostics.RadioOff},
		{"rfkill only bluetooth", []string{"0: phy0: Wireless LAN", "\tSoft blocked: no", "\tHard blocked: no", "1: hci0: Bluetooth", "\tSoft blocked: yes", "\tHard blocked: no"}, diagnostics.None},
		// https://github.com/elementary/panel-network/issues/100
		{"nmcli dev", []string{"happ@happ-elementary:~$ nmcli d", "设备             类型      状态    连接 ", "wlx00e04c172237  wifi      unavailable  --   "}, diagnostics.DeviceUnavailable},
		// nmcli's overview: the device unavailable because the radio is
		// off in NetworkManager (nmcli/general.c adds "sw disabled"):
		// the radio, not the device.
		{"nmcli overview, radio off", []string{"$ nmcli", "wlp2s0: unavailable", `        "Intel Wireless 8265 / 8275"`,
			"        wifi (iwlwifi), 00:11:22:33:44:55, sw disabled, hw, mtu 1500"}, diagnostics.RadioOff},
		{"nmcli overview, unavailable", []string{"$ nmcli", "wlp2s0: unavailable", `        "Intel Wireless 8265 / 8275"`,
			"        wifi (iwlwifi), 00:11:22:33:44:55, hw, mtu 1500"}, diagnostics.DeviceUnavailable},
		{"iw without cfg80211", []string{"$ sudo iw dev wlan0 scan", "nl80211 not found."}, diagnostics.DeviceUnavailable},
		{"rfkill event blocked then unblocked", []string{"1580000000.123456: idx 0 type 1 op 2 soft 1 hard 0", "1580000009.123456: idx 0 type 1 op 2 soft 0 hard 0"}, diagnostics.None},
		{"rfkill event blocked", []string{"1580000000.123456: idx 0 type 1 op 0 soft 0 hard 0", "1580000009.123456: idx 0 type 1 op 2 soft 1 hard 0"}, diagnostics.RadioOff},
		{"iw scan aborted", []string{"$ sudo iw dev wlan0 scan", "scan aborted!"}, diagnostics.ScanBusy},
		{"ip: no wlan0", []string{"$ ip link show wlan0", `Device "wlan0" does not exist.`}, diagnostics.DeviceUnavailable},
		// A refused rescan, then the scan list: the look-alike of a
		// busy radio.
		{"rescan refused then listed", []string{
			"$ nmcli dev wifi rescan",
			"Error: Scanning not allowed immediately following previous scan.",
			"$ nmcli dev wifi list",
			"IN-USE  BSSID              SSID        MODE   CHAN  RATE        SIGNAL  BARS  SECURITY",
			"        90:3A:72:00:00:01  HomeNet     Infra  6     195 Mbit/s  100     ****  WPA2",
		}, diagnostics.None},
		{"iwlist busy in a traceback", []string{
			`  File "/usr/lib/python3/site-packages/wifi/scan.py", line 72, in all`,
			`wifi.exceptions.InterfaceError: b"wlan0     Interface doesn't support scanning : Device or resource busy"`,
		}, diagnostics.ScanBusy},
		{"associated without IPv4", []string{
			"wlan0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500",
			"        inet6 fe80::ba27:ebff:fe00:1  prefixlen 64  scopeid 0x20<link>",
			"        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)",
		}, diagnostics.DHCPFailed},
		{"iwconfig rfkill", []string{"wlan0     IEEE 802.11bg  ESSID:off/any", "          Mode:Managed  Access Point: Not-Associated   Tx-Power=off"}, diagnostics.RadioOff},
		{"lspci no driver", []string{"$ lspci -k", "03:00.0 Network controller: Broadcom Inc. and subsidiaries BCM4360 802.11ac Wireless Network Adapter (rev 03)", "\tKernel modules: bcma, wl"}, diagnostics.DeviceUnavailable},
		{"iw event rejected", []string{
			"$ iw event -t",
			"1700000000.100000: wlan0 (phy #0): scan started",
			"1700000001.200000: wlan0 (phy #0): scan finished: 2412 2437, \"\"",
			"1700000001.300000: wlan0 (phy #0): assoc 90:3a:72:00:00:01 -> 00:11:22:33:44:55 status: 17: AP unable to handle new STA",
			"1700000001.300100: wlan0 (phy #0): failed to connect to 90:3a:72:00:00:01, status: 17: AP unable to handle new STA",
		}, diagnostics.AssocRejected},
		{"iwconfig healthy", []string{
			"lo        no wireless extensions.",
			"wlan0     IEEE 802.11  ESSID:\"HomeNet\"",
			"          Mode:Managed  Frequency:2.437 GHz  Access Point: 90:3A:72:00:00:01",
			"          Bit Rate=72.2 Mb/s   Tx-Power=20 dBm",
		}, diagnostics.None},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}

// FuzzCmdOut: any input parses without panicking, and what the envelope
// rewrites is what it claims: a device and one of its verdicts.
func FuzzCmdOut(f *testing.F) {
	f.Add("0: phy0: Wireless LAN\n\tSoft blocked: yes\n\tHard blocked: no\n")
	f.Add(" 0 wlan      phy0             blocked   blocked\n")
	f.Add("$ nmcli radio wifi\ndisabled\n")
	f.Add("command failed: Device or resource busy (-16)\n")
	f.Add("wlan0     Interface doesn't support scanning : Network is down\n")
	f.Add("wlan0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n        inet6 fe80::1  prefixlen 64  scopeid 0x20<link>\n        ether b8:27:eb:00:00:01  txqueuelen 1000  (Ethernet)\n")
	f.Add("wlan0     Link encap:Ethernet  HWaddr 00:11:22:33:44:55\n          inet addr:192.168.1.3  Bcast:192.168.1.255\n          UP BROADCAST RUNNING MULTICAST  MTU:1500  Metric:1\n")
	f.Add("3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP\n    inet 10.0.0.2/24 brd 10.0.0.255 scope global wlan0\n    inet6 fe80::1/64 scope link\n")
	f.Add("wlan0     IEEE 802.11bg  ESSID:off/any\n          Mode:Managed  Access Point: Not-Associated   Tx-Power=off\nNot connected.\nConnected to 00:11:22:33:44:55 (on wlan0)\ncountry 00: DFS-UNSET\n")
	f.Add("GENERAL.DEVICE:   wlan0\nGENERAL.TYPE:     wifi\nGENERAL.STATE:    20 (unavailable)\n")
	f.Add("IN-USE  BSSID              SSID  MODE   CHAN  RATE        SIGNAL  BARS  SECURITY\n        90:3A:72:00:00:01  Home  Infra  6     195 Mbit/s  100     ****  WPA2\n")
	f.Add("Error: No access point with BSSID '90:3A:72:00:00:01' found.\nError: Device 'wlan1' is not a Wi-Fi device.\nError: Device activation failed: (53) The Wi-Fi network could not be found.\n")
	f.Add("03:00.0 Network controller: Broadcom BCM4360\n\tKernel modules: bcma, wl\n  *-network UNCLAIMED\n       description: Network controller\n")
	f.Add("wlan0 (phy #0): scan started\nwlan0 (phy #0): auth 90:3a:72:00:00:01 -> 00:11:22:33:44:55 status: 15: x\nwlan0 (phy #0): failed to connect to 90:3a:72:00:00:01, status: 1: x\nwlan0 (phy #0): disconnected (local request) reason: 3: x\n")
	f.Add("RTNETLINK answers: Operation not possible due to RF-kill\nSIOCSIFFLAGS: No such file or directory\nCannot find device \"wlan0\"\nwlan0: ERROR while getting interface flags: No such device\n")
	f.Add("wifi.exceptions.InterfaceError: b\"wlan0     Interface doesn't support scanning : Device or resource busy\"\n")
	f.Add("nl80211 not found.\nwlan0     No such device\nwlp2s0: unavailable\nwlan0: unmanaged\nscan aborted!\n")
	f.Add("$ sudo wpa_cli -i wlan0 scan\nFAIL-BUSY\n")
	f.Add("> scan\nFAIL-BUSY\nbssid / frequency / signal level / flags / ssid\n00:11:22:33:44:55\t2437\t-45\t[WPA2-PSK-CCMP][ESS]\tMyNet\n")
	f.Add("aktiviert  deaktiviert  aktiviert  aktiviert\n        90:3A:72:00:00:01  HomeNet     Infra  6     130 Mb/s  100     ▂▄▆█  WPA2\n")
	f.Add("wpa_state=COMPLETED\nip_address=192.168.1.23\nwpa_state=COMPLETED\nip_address=169.254.1.2\n")
	f.Add("$ sudo iw dev wlan0 set type monitor\ncommand failed: Device or resource busy (-16)\n")
	f.Add("BSS 00:11:22:33:44:55(on wlan0) -- associated\n\tBSS Load:\n\t\t * Group cipher: CCMP\nBSS 00:11:22:33:44:66(on wlan0)\n")
	f.Add("Fehler: Aktivierung der Verbindung ist gescheitert: Geheimdaten waren erforderlich, wurden aber nicht angegeben\nErreur\u00a0: aucun réseau avec le SSID «\u00a0x\u00a0» trouvé.\nwlan0   wifi      nicht verfügbar  --\n")
	f.Add("1580000000.123456: idx 0 type 1 op 2 soft 1 hard 0\n2026-12-03 10:00:01,123456+00:00: idx 1 type 1 op 0 soft 0 hard 1\n")
	f.Add("Device \"wlan0\" does not exist.\nwlan0: error fetching interface information: Device not found\nifconfig: wlan1: error fetching interface information: Device not found\n")
	f.Fuzz(func(t *testing.T, in string) {
		lp := newLineParser(2024)
		// split makes a line valid UTF-8 before the envelope reads it.
		valid := strings.ToValidUTF8(in, "\uFFFD")
		for _, l := range strings.Split(in, "\n") {
			li, ok := lp.split([]byte(l))
			if !ok || li.tag != cmdTag {
				continue
			}
			dev, verdict, ok := strings.Cut(li.msg, " ")
			switch {
			case li.prog == "wpa_cli" && (li.msg == "scan FAIL-BUSY" || strings.HasPrefix(li.msg, "status ip ") || li.msg == "scan_results header" || li.msg == "scan_results" || li.msg == "scan_results row"):
			case li.prog == "iw" && (li.msg == "bss field" || strings.HasPrefix(li.msg, "cmd ") || (dev == "scan" || dev == "row") && ok && reMAC.MatchString(strings.Fields(verdict)[0])):
			case li.prog == "nmcli" && (li.msg == "radio wifi disabled" || li.msg == "wifi list" || li.msg == "wifi list row" ||
				strings.HasPrefix(li.msg, "device ") && len(strings.Fields(li.msg)) == 3):
			case li.prog == "systemctl" && stackDaemon(dev, "") != "":
			case li.prog == "lspci" && (dev == "driver" || dev == "no-driver" || li.msg == "modules"), li.prog == "lshw" && li.msg == "unclaimed":
			case li.prog == "networkctl" && len(strings.Fields(li.msg)) == 3:
			case li.prog == "ifconfig" && ok && strings.Contains(valid, dev) && reWifiNetdev.MatchString(dev) &&
				(verdict == "none" || verdict == "ipv4" || verdict == "no-ipv4"):
			case li.prog == "rfkill" && ok && (dev == "-" || strings.Contains(valid, dev)) &&
				(verdict == "none" || verdict == "soft-blocked" || verdict == "hard-blocked" || verdict == "unblocked"):
			default:
				t.Fatalf("%q: envelope gave prog %q msg %q", l, li.prog, li.msg)
			}
		}
		if _, err := Diagnose(context.Background(), strings.NewReader(in), Options{Year: 2024, MaxLineBytes: 4096}); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T", err)
			}
		}
	})
}
