package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Command output people paste with their logs: iw and iwlist scans,
// rfkill, nmcli radio and device listings, ip link.
//
// Most lines decide alone. Two outputs do not: `rfkill list` puts a
// device's block state on the lines under its header
//
//	0: phy0: Wireless LAN
//		Soft blocked: yes
//		Hard blocked: no
//
// and `nmcli radio wifi` answers a bare "disabled" (as `wpa_cli scan` a
// bare "FAIL-BUSY"). For those the envelope keeps a few bytes of state in
// the stream's lineParser (cmdState): the Wireless LAN header the block
// lines belong to, and whether the line before was an `nmcli radio wifi`
// or `wpa_cli ... scan` prompt. The state lives for one
// pre-filtered line: any other line clears it, so it never grows and never
// carries across unrelated input. It applies to bare terminal output
// only: a line with a timestamp or a journal entry never reaches this
// envelope with state set (the envelope clears it first and JSON skips
// envelopes), so reversed input (journalctl -r), which always has stamps,
// is never misattributed: its rfkill block lines, read before their
// header, are dropped.

var recCmdOut = recognizer{
	name:  "command-output",
	title: "command output (iw, iwlist, rfkill, nmcli radio/device, ip link)",
	keys: append([]string{
		"command failed: ", // iw
		"support scanning", // iwlist: Interface doesn't support scanning : <errno text>
		"No scan results",  // iwlist
		"read scan data",   // iwlist: Failed to read scan data : <errno text>
		"Wireless LAN",     // rfkill list: entry header
		"Soft blocked: ",   // rfkill list
		"Hard blocked: ",   // rfkill list
		" wlan ",           // rfkill (util-linux table): " 0 wlan phy0 unblocked blocked"
		"disabled",         // nmcli radio wifi; nmcli radio / general rows
		"enabled  enabled", // nmcli radio / general rows, all on
		"enabled enabled",  // the same, whitespace collapsed by a paste
		"wifi  ",           // nmcli device: "wlan0  wifi  unavailable  --"
		"wifi unavailable", // the same, collapsed
		"wifi unmanaged",   //
		"> mtu ",           // ip link
		// systemctl status (rec_systemd.go): the header's glyphs, the
		// Loaded: and Active: lines, a `systemctl status` prompt.
		// (No key for the glyphless header "* unit.service - ...": a key
		// anchored on " - " or ": " would be compared on most lines; its
		// Loaded: line names the unit.)
		"● ", "○ ", "× ", "↻ ", "Loaded: ", "Active: ", "systemctl status",
		// networkctl status (rec_systemd.go): "State: degraded (failed)".
		"State: ",
		// lspci -k, lshw (cmdDriverBlock).
		"Network controller", "Kernel driver in use:", "Kernel modules:", "UNCLAIMED", "description: ",
		// nmcli device show; nmcli device wifi list rows.
		"GENERAL.DEVICE:", "GENERAL.TYPE:", "GENERAL.STATE:", " Mbit/s",
		// ifconfig and ip addr blocks (cmdAddrBlock).
		// The IPv4 lines by what each form prints beside the address
		// (new ifconfig's netmask, old ifconfig's "inet addr:", ip's
		// scope), not by "inet ", whose anchor is common text.
		"flags=", "Link encap:", " MTU:", "netmask ", "inet addr:", " scope ", "inet6 ", "txqueuelen", "link/ether ",
		// Bringing the interface up: iproute2's and net-tools' errors.
		"RTNETLINK answers: ", "SIOCSIFFLAGS: ", "Cannot find device ", "ERROR while getting interface flags",
		// iw event: "wlan0 (phy #0): scan started".
		" (phy #",
		// iwconfig: the transmit power line; iw dev <if> link; iw reg get.
		"Tx-Power=off", "Not-Associated", "Not connected.", "Connected to ", "country 00:",
		// iw without cfg80211; iwconfig on an interface that is not
		// there; nmcli's overview of a device.
		"nl80211 not found", "No such device", ": unavailable", ": unmanaged",
		// wpa_cli scan, and its refusal on the next line.
		"wpa_cli", "FAIL-BUSY",
		// iw dev <if> scan: the scan was aborted; ip and ifconfig on an
		// interface that does not exist.
		"scan aborted!", "\" does not exist", "error fetching interface information",
		// rfkill event: a WLAN switch's state changes.
		" type 1 op ",
		// Raspberry Pi OS's login notice; wpa_cli status.
		"currently blocked by rfkill", "wpa_state=INTERFACE_DISABLED",
		// Scan listings, a scan that completed: iw scan's BSS lines,
		// wpa_cli scan_results' header and rows; wpa_cli's interactive
		// "> scan".
		"BSS ", "bssid / frequency / signal level", "[ESS]", "> scan",
		// An iw command line, whose error is the next line.
		"iw dev ", "iw phy", "iw wl",
		// wpa_cli status: the state, then the interface's address.
		"wpa_state=", "ip_address=",
		// OpenWrt's wifi script on a radio its configuration disables.
		"' is disabled",
		// impala (an iwd TUI) refusing to start on a blocked radio.
		"The wifi device is soft blocked", "The wifi device is hard blocked",
	}, append(nmcliRadioKeys, nmcliRateKeys...)...),
	envelope: cmdEnvelope,
	parse:    parseCmdOut,
}

// cmdState is the per-stream state of cmdEnvelope (a field of lineParser).
type cmdState struct {
	rfkillDev     string // the Wireless LAN entry whose block lines follow
	rfkillLeft    uint8  // block lines still expected under it
	rfkillSoft    bool   // its soft block was "yes"
	rfkillListing bool   // inside `rfkill list` or `rfkill` output
	rfkillBlocked bool   // a Wireless LAN entry of this listing is blocked
	nmcliRadio    bool   // the line before was `nmcli radio wifi`
	wpaCliScan    bool   // the line before was `wpa_cli ... scan`
	iwScan        bool   // inside an iw scan listing (a BSS line was read)
	iwCmd         string // the line before was an iw command other than scan: its subcommand
	wpaState      string // the line before was wpa_cli status's wpa_state=: its value
	wpaResults    uint8  // wpa_cli scan_results: 1 after its header, 2 after its first row

	// unit is the stack daemon (stackDaemon's name) whose `systemctl
	// status` lines follow: set by the status header, the Loaded: line's
	// unit file or a `systemctl status <unit>` prompt (rec_systemd.go).
	unit string
	// netLink is the Wi-Fi link whose `networkctl status` lines follow
	// (rec_systemd.go).
	netLink string

	// lspci -k: a network controller's entry is open (pciNet) and its
	// "Kernel driver in use:" line was seen (pciDriver); lshw: a
	// "*-network UNCLAIMED" node is open.
	pciNet, pciDriver, lshwUnclaimed bool

	// nmcli device show: the device and type of the GENERAL.* fields that
	// come before GENERAL.STATE.
	nmDev, nmType string
	// nmcli device wifi list: a row of the listing was read already.
	wifiList bool

	// An interface block of ifconfig or ip addr output: its Wi-Fi
	// interface, whether its flags say it is associated, and whether an
	// IPv4 address line was seen in it (see cmdAddrBlock).
	addrIface   string
	addrStyle   uint8 // addrIfconfig, addrIfconfigOld or addrIP
	addrRunning bool
	addrInet    bool
	addrEther   bool // ip addr: the block's link/ether line was seen
	addrLL      bool // the block's only IPv4 address is link-local (169.254/16)
}

// The three interface listings cmdAddrBlock reads.
const (
	addrIfconfig    = 1 + iota // net-tools ifconfig since 1.60: "wlan0: flags=4163<UP,...,RUNNING,...>  mtu 1500"
	addrIfconfigOld            // net-tools before 1.60, busybox: "wlan0     Link encap:Ethernet  HWaddr ..."
	addrIP                     // iproute2 ip addr: "3: wlan0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 ... state UP"
)

// cmdTag marks messages cmdEnvelope rewrote: "<device> <verdict>" for
// rfkill, "radio wifi disabled" for nmcli.
const cmdTag = "cmd-output"

var (
	reRfkillHeader = regexp.MustCompile(`^(\d+): (\S+): Wireless LAN\s*$`)
	reRfkillRow    = regexp.MustCompile(`^\s*\d+\s+(wlan)\s+(\S+)\s+(blocked|unblocked)\s+(blocked|unblocked)\s*$`)
	// wpa_cli's scan command on its command line ("$ sudo wpa_cli -i
	// wlan0 scan"), whose reply is the next line.
	reWpaCliScanQ = regexp.MustCompile(`(?:^|[\s$#>])wpa_cli\s+(?:-\S+(?:\s+[^-\s]\S*)?\s+)*scan\s*$`)
	reNmcliRadioQ = regexp.MustCompile(`(?:^|[\s$#>])nmcli\s+(?:-\S+\s+)*r(?:a|ad|adi|adio)?\s+wifi\s*$`)

	// iw's "command failed: %s (%d)" (iw.c, __handle_cmd), also quoted by
	// a wrapper: a Python CalledProcessError's output=b'...\n', a JSON
	// string, so a literal \n, quotes and punctuation may follow the
	// errno.
	reIwFailed = regexp.MustCompile(`command failed: ([^()"'\\]+?) \((-\d{1,3})\)(?:\\n)?["')\],;.]*\s*$`)
	// iwlist's lines also reach logs quoted: a wrapper (the Python
	// "wifi" package's InterfaceError, a subprocess error) puts its
	// output in quotes, b"..." or after its own prefix, so the interface
	// is the word before the message, after a start, a space or a quote,
	// and a literal \n, a closing quote or bracket and a comma may follow.
	reIwFailedCut  = regexp.MustCompile(`^\s*command failed: ([A-Za-z][A-Za-z /-]+?)\s*$`)
	reIwlistScan   = regexp.MustCompile(`(?:^|[\s"'(])([\w.:@-]+)\s+Interface doesn't support scanning(?:\s*:\s*([^"'\n]+?))?\.?\s*(?:\\n)?["')\],;]*\s*$`)
	reIwlistNone   = regexp.MustCompile(`(?:^|[\s"'(])([\w.:@-]+)\s+No scan results\s*(?:\\n)?["')\],;]*\s*$`)
	reIwlistRead   = regexp.MustCompile(`(?:^|[\s"'(])([\w.:@-]+)\s+Failed to read scan data\s*:\s*([^"'\n]+?)\s*(?:\\n)?["')\],;]*\s*$`)
	reNmcliRadio   = regexp.MustCompile(`^\s*(enabled|disabled|missing)\s+(enabled|disabled)\s+(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s*$`)
	reNmcliGeneral = regexp.MustCompile(`^\s*\S+\s+(?:full|limited|portal|none|unknown)\s+(enabled|disabled|missing)\s+(enabled|disabled)\s+(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s*$`)
	reNmcliDevRow  = regexp.MustCompile(`^\s*(\S+)\s+wifi\s+(unavailable|unmanaged|disconnected|connected|connecting|deactivating|disconnecting|unknown)\b`)
	reIwconfigTx   = regexp.MustCompile(`(?:^|\s)Tx-Power=off(?:\s|$)`)
	reIwLink       = regexp.MustCompile(`^Connected to ((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}) \(on ([\w.:@-]+)\)`)
	reIPLink       = regexp.MustCompile(`^\d+: ([^:@\s]+)(?:@\S+)?: <([A-Z0-9_,-]*)> mtu \d+.*? state (\S+)`)
	// iw.c, nl80211_init: genl_ctrl_resolve found no "nl80211" family
	// ("nl80211 not found.", then iw exits): cfg80211 is not loaded, so
	// no Wi-Fi driver is, and no wireless device exists. Quoted by a
	// wrapper as iw's other errors are.
	reIwNoNl80211 = regexp.MustCompile(`(?:^|[\s"'(])nl80211 not found\.?(?:\\n)?["')\],;]*\s*$`)
	// iwconfig.c, print_info: get_info's -ENODEV (SIOCGIFFLAGS failed:
	// no interface of that name) printed as "%-8.16s  %s\n\n" with
	// strerror: "wlan0     No such device".
	reIwconfigNoDev = regexp.MustCompile(`^([\w.:@-]+)\s+No such device\s*$`)
	// nmcli's overview (nmcli with no arguments; nmcli/general.c,
	// do_overview): "%s: %s", the interface and its state's name, on the
	// line before the device's description; only the two states that
	// are the device's failure are read.
	// iw scan.c, handle_scan_combined: NL80211_CMD_SCAN_ABORTED came
	// instead of the results ("scan aborted!", then iw exits 0): the
	// kernel or driver ended the scan, as when a connection attempt or
	// another scan takes the radio.
	reIwScanAborted = regexp.MustCompile(`^\s*scan aborted!\s*$`)
	// iproute2 ipaddress.c, ipaddr_list_flush_or_save: `Device "%s" does
	// not exist.` (ip addr/link show dev X); net-tools and busybox
	// ifconfig lib/interface.c, do_if_fetch: "%s: error fetching
	// interface information: Device not found" (ENODEV), busybox
	// with its "ifconfig: " first.
	reNoSuchIface2 = regexp.MustCompile(`^\s*(?:Device "([\w.:@-]+)" does not exist\.?|(?:ifconfig: )?([\w.:@-]+): error fetching interface information: Device not found)\s*$`)
	// rfkill event (util-linux sys-utils/rfkill.c and the older
	// standalone rfkill, rfkill_event): "<stamp>: idx %u type %u op %u
	// soft %u hard %u" (the standalone one adds " hard block reasons
	// 0x%02x"); type 1 is RFKILL_TYPE_WLAN, op 0 ADD, 1 DEL, 2 CHANGE,
	// 3 CHANGE_ALL (include/uapi/linux/rfkill.h). The stamp may be gone
	// to the line envelope.
	reRfkillEvent   = regexp.MustCompile(`^(?:\S+(?: \S+)?: )?idx (\d+) type 1 op ([0-3]) soft ([01]) hard ([01])(?: hard block reasons 0x[0-9a-fA-F]+)?\s*$`)
	reNmcliOverview = regexp.MustCompile(`^([\w.:@-]+): (unavailable|unmanaged)\s*$`)
)

// cmdEnvelope reads the two outputs that need the line before them and
// leaves every other line to the ordinary envelopes.
func cmdEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	st := lp.cmd
	lp.cmd = cmdState{}
	if strings.TrimSpace(s) == "> scan" {
		// wpa_cli's interactive mode (wpa_cli.c, wpa_cli_interactive:
		// the prompt "> "), the scan command typed at it: its reply is
		// the next line, as after `wpa_cli scan`.
		lp.cmd.wpaCliScan = true
		return lineInfo{}, false
	}
	s = unquote(s)
	if s == "" {
		return lineInfo{}, false
	}
	if li, ok := scanListing(lp, st, s); ok {
		return li, true
	}
	if st.iwCmd != "" && strings.HasPrefix(s, "command failed: ") {
		if g := reIwFailed.FindStringSubmatch(s); g != nil && (g[2] == "-16" || g[2] == "-11") {
			// EBUSY after `iw dev wlan0 set type monitor`, `iw phy
			// phy0 interface add ...`, `set channel`: the interface is
			// up or the radio's other interfaces do not allow it
			// (mac80211 iface.c ieee80211_if_change_type: before 3.x
			// "if (netif_running(sdata->dev)) return -EBUSY", since
			// then ieee80211_runtime_change_iftype's
			// ieee80211_check_concurrent_iface), no scan was asked for.
			return lineInfo{prog: "iw", tag: cmdTag, msg: "cmd " + st.iwCmd + ": " + g[1]}, true
		}
	}
	if strings.HasPrefix(s, "wpa_state=") {
		lp.cmd.wpaState = strings.TrimSpace(s[len("wpa_state="):])
		return lineInfo{}, false // INTERFACE_DISABLED is read by parseCmdOut
	}
	if st.wpaState == "COMPLETED" && strings.HasPrefix(s, "ip_address=") {
		// wpa_supplicant ctrl_iface.c, wpa_supplicant_ctrl_iface_status:
		// "wpa_state=%s" then, when the interface has an IPv4 address
		// (l2_packet_get_ip_addr), "ip_address=%s".
		if a := strings.TrimSpace(s[len("ip_address="):]); reIPv4.MatchString(a) {
			return lineInfo{prog: "wpa_cli", tag: cmdTag, msg: "status ip " + a}, true
		}
	}
	if strings.Contains(s, "iw ") {
		if g := reIwCmdQ.FindStringSubmatch(s); g != nil && g[1] != "scan" {
			lp.cmd.iwCmd = g[1]
		}
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == ' ', c == '\t', c == 'S', c == 'H':
		t := strings.TrimLeft(s, " \t")
		if strings.HasPrefix(t, "Soft blocked: ") || strings.HasPrefix(t, "Hard blocked: ") {
			if !st.rfkillListing {
				return lineInfo{}, false // no header before it: whose block is it?
			}
			lp.cmd = st
			verdict := "none"
			yes := strings.TrimSpace(t[len("Soft blocked: "):]) == "yes"
			if st.rfkillLeft > 0 {
				lp.cmd.rfkillLeft--
				if t[0] == 'S' {
					lp.cmd.rfkillSoft = yes
					if yes {
						verdict, lp.cmd.rfkillBlocked = "soft-blocked", true
					}
				} else {
					switch {
					case yes:
						verdict, lp.cmd.rfkillBlocked = "hard-blocked", true
					case !st.rfkillSoft && !st.rfkillBlocked:
						verdict = "unblocked"
					}
				}
			}
			// A block line under another type's entry (Bluetooth)
			// keeps the listing but says nothing of Wi-Fi.
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: dashIfEmpty(st.rfkillDev) + " " + verdict}, true
		}
		if g := reRfkillHeader.FindStringSubmatch(t); g != nil {
			lp.cmd = cmdState{rfkillDev: g[2], rfkillLeft: 2, rfkillListing: true, rfkillBlocked: st.rfkillBlocked}
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: g[2] + " none"}, true
		}
		if g := reRfkillRow.FindStringSubmatch(s); g != nil {
			lp.cmd = cmdState{rfkillListing: true, rfkillBlocked: st.rfkillBlocked}
			verdict := "unblocked"
			switch {
			case g[4] == "blocked":
				verdict = "hard-blocked"
			case g[3] == "blocked":
				verdict = "soft-blocked"
			case st.rfkillBlocked:
				verdict = "none"
			}
			if verdict != "unblocked" && verdict != "none" {
				lp.cmd.rfkillBlocked = true
			}
			return lineInfo{prog: "rfkill", tag: cmdTag, msg: g[2] + " " + verdict}, true
		}
	case c == 'd':
		if st.nmcliRadio && strings.TrimSpace(s) == "disabled" {
			return lineInfo{prog: "nmcli", tag: cmdTag, msg: "radio wifi disabled"}, true
		}
	case c == 'F':
		if st.wpaCliScan && strings.TrimSpace(s) == "FAIL-BUSY" {
			return lineInfo{prog: "wpa_cli", tag: cmdTag, msg: "scan FAIL-BUSY"}, true
		}
	}
	if li, ok := systemctlStatus(lp, st, s); ok {
		return li, true
	}
	if li, ok := cmdAddrBlock(lp, st, s); ok {
		return li, true
	}
	if li, ok := nmcliBlock(lp, st, s); ok {
		return li, true
	}
	if li, ok := cmdDriverBlock(lp, st, s); ok {
		return li, true
	}
	if strings.Contains(s, "nmcli") && reNmcliRadioQ.MatchString(s) {
		lp.cmd.nmcliRadio = true
	}
	if strings.Contains(s, "wpa_cli") && reWpaCliScanQ.MatchString(s) {
		lp.cmd.wpaCliScan = true
	}
	return lineInfo{}, false
}

var (
	reIfconfigHead    = regexp.MustCompile(`^([\w.:@-]+): flags=\d+<([A-Z0-9_,-]*)>\s+mtu \d+`)
	reIfconfigOldHead = regexp.MustCompile(`^([\w.:@-]+)\s+Link encap:Ethernet\b`)
	reIfconfigOldUp   = regexp.MustCompile(`^\s+((?:[A-Z][A-Z-]* )+)\s*MTU:\d+`)
	reIPAddrHead      = regexp.MustCompile(`^\d+: ([^:@\s]+)(?:@\S+)?: <([A-Z0-9_,-]*)> mtu \d+.*? state (\S+)`)
	reInet            = regexp.MustCompile(`^\s+inet (?:addr:)?(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})[/ ]`)
	reInet6           = regexp.MustCompile(`^\s+inet6 `)
	reIfconfigHW      = regexp.MustCompile(`^\s+ether \S+\s+txqueuelen`)
	reIPLinkEther     = regexp.MustCompile(`^\s+link/ether `)
	// reWifiNetdev: the names Wi-Fi interfaces get: "wl" from udev's
	// predictable names (systemd udev-builtin-net_id.c: "wl" for the wlan
	// devtype) and the kernel's "wlan%d" (cfg80211), mwifiex's "mlan%d",
	// Ralink's vendor driver's "ra%d", madwifi's "ath%d". A listing's
	// other interfaces (bridges, containers' veths, tunnels) often have no
	// IPv4 address by design and must not be read as a Wi-Fi station.
	reWifiNetdev = regexp.MustCompile(`^(?:wl|mlan\d|ra\d|ath\d)`)
)

// cmdAddrBlock reads an interface's block of ifconfig or ip addr output
// for one fact: a Wi-Fi interface that is associated has, or has not, an
// IPv4 address. Associated is what the flags say: ifconfig's RUNNING
// (IFF_RUNNING, the kernel's netif_oper_up: operstate UP, which a station
// reaches only once associated and, with wpa_supplicant or iwd, once its
// port is authorized: both hold the link DORMANT until then) and ip
// addr's LOWER_UP with "state UP". The blocks print IPv4 before IPv6 and
// the hardware line (net-tools lib/interface.c ife_print_long; iproute2
// ipaddress.c dumps AF_INET before AF_INET6), so an IPv6 or hardware line
// of an associated block with no IPv4 line before it is the missing
// address. Old ifconfig prints its flags line after the addresses, and
// decides there. A block that ends without one of these lines (cut, or
// without IPv6) says nothing: no event. Only Ethernet-framed interfaces
// are read: a monitor interface (ifconfig's "unspec" hardware line, ip's
// link/ieee802.11/radiotap, old ifconfig's "Link encap:UNSPEC") has no
// address by design; and ip addr decides only in a block whose link/ether
// line it saw, which ip -6 addr, printing IPv6 alone, never has.
func cmdAddrBlock(lp *lineParser, st cmdState, s string) (lineInfo, bool) {
	if g := matchIf(strings.Contains(s, "flags="), reIfconfigHead, s); g != nil {
		if reWifiNetdev.MatchString(g[1]) {
			lp.cmd = cmdState{addrIface: g[1], addrStyle: addrIfconfig, addrRunning: hasFlag(g[2], "RUNNING")}
		}
		return lineInfo{}, false
	}
	if g := matchIf(strings.Contains(s, "Link encap:"), reIfconfigOldHead, s); g != nil {
		if reWifiNetdev.MatchString(g[1]) {
			lp.cmd = cmdState{addrIface: g[1], addrStyle: addrIfconfigOld}
		}
		return lineInfo{}, false
	}
	if g := matchIf(strings.Contains(s, "> mtu "), reIPAddrHead, s); g != nil {
		// The line is also ip link's, which parseCmdOut reads: only
		// the state is set here.
		if reWifiNetdev.MatchString(g[1]) {
			lp.cmd = cmdState{addrIface: g[1], addrStyle: addrIP, addrRunning: hasFlag(g[2], "LOWER_UP") && g[3] == "UP"}
		}
		return lineInfo{}, false
	}
	if st.addrIface == "" {
		return lineInfo{}, false
	}
	iface, verdict := st.addrIface, "none"
	switch {
	case reInet.MatchString(s):
		if strings.HasPrefix(reInet.FindStringSubmatch(s)[1], "169.254.") {
			// IPv4 link-local (RFC 3927): what avahi-autoipd,
			// dhcpcd or connman assign when no DHCP server
			// answered; not an address the network gave.
			st.addrLL = true
			break
		}
		st.addrInet = true
		if st.addrRunning {
			verdict, st = "ipv4", cmdState{} // decided: the rest of the block is not read
		}
	case st.addrStyle == addrIP && reIPLinkEther.MatchString(s):
		st.addrEther = true
	case st.addrStyle == addrIP && st.addrEther && reInet6.MatchString(s),
		st.addrStyle == addrIfconfig && reIfconfigHW.MatchString(s):
		if st.addrRunning {
			verdict = noIPv4(st)
		}
		st = cmdState{}
	case reInet6.MatchString(s):
		// ifconfig's IPv6 lines come before its hardware line, old
		// ifconfig's before its flags; ip -6 addr prints no link line
		// and no IPv4: no decision on them.
	case st.addrStyle == addrIfconfigOld && reIfconfigOldUp.MatchString(s):
		flags := strings.Fields(reIfconfigOldUp.FindStringSubmatch(s)[1])
		if hasFlag(strings.Join(flags, ","), "RUNNING") {
			verdict = noIPv4(st)
			if st.addrInet {
				verdict = "ipv4"
			}
		}
		st = cmdState{}
	default:
		return lineInfo{}, false
	}
	lp.cmd = st
	return lineInfo{prog: "ifconfig", tag: cmdTag, msg: iface + " " + verdict}, true
}

var (
	reNmcliShowField = regexp.MustCompile(`^\s*GENERAL\.(DEVICE|TYPE|STATE):\s*(\S.*?)\s*$`)
	reNmcliShowState = regexp.MustCompile(`^(\d+)(?: \(.*\))?$`)
	// reNmcliWifiRow: a row of nmcli device wifi list (nmcli devices.c,
	// the wifi list's MODE, CHAN, RATE and SIGNAL columns: "Infra  6
	// 195 Mbit/s  100"), with or without the BSSID and IN-USE columns.
	reNmcliWifiRow = regexp.MustCompile(`\s(?:Infra|Ad-Hoc|Mesh)\s+\d{1,3}\s+\d+ Mbit/s\s+\d{1,3}(?:\s|$)`)
)

// nmcliBlock reads the two nmcli outputs whose lines need the ones before
// them. nmcli device show prints GENERAL.DEVICE, GENERAL.TYPE, then
// GENERAL.STATE as "<NMDeviceState number> (<its name, translated>)"
// (nmcli devices.c, the GENERAL section): the number decides, for a
// device of type wifi (or, with -f GENERAL.STATE alone, a device named
// like a Wi-Fi interface). nmcli device wifi list prints NetworkManager's
// scan list: its first row is a scan that completed with results; the
// rows after it are dropped (one listing is one scan).
func nmcliBlock(lp *lineParser, st cmdState, s string) (lineInfo, bool) {
	if g := matchIf(strings.Contains(s, "GENERAL."), reNmcliShowField, s); g != nil {
		switch g[1] {
		case "DEVICE":
			if !strings.ContainsAny(g[2], " \t") { // interface names have no blanks
				lp.cmd = cmdState{nmDev: g[2]}
			}
			return lineInfo{}, false
		case "TYPE":
			lp.cmd = cmdState{nmDev: st.nmDev, nmType: g[2]}
			return lineInfo{}, false
		}
		n := reNmcliShowState.FindStringSubmatch(g[2])
		if n == nil || st.nmDev == "" || !(st.nmType == "wifi" || st.nmType == "" && reWifiNetdev.MatchString(st.nmDev)) {
			return lineInfo{}, false
		}
		return lineInfo{prog: "nmcli", tag: cmdTag, msg: "device " + st.nmDev + " " + n[1]}, true
	}
	if strings.Contains(s, " Mbit/s") && reNmcliWifiRow.MatchString(s) || nmcliRateUnit(s) && reNmcliWifiRowL10n.MatchString(s) {
		lp.cmd = cmdState{wifiList: true}
		verdict := "wifi list"
		if st.wifiList {
			verdict = "wifi list row"
		}
		return lineInfo{prog: "nmcli", tag: cmdTag, msg: verdict}, true
	}
	return lineInfo{}, false
}

var (
	// lspci's device line (pciutils lspci.c, show_terse): "03:00.0
	// Network controller: Broadcom ... BCM4360 ...", with -nn "Network
	// controller [0280]: ...". PCI class 0x0280 is the class Wi-Fi
	// adapters report (it is "other network controller", not Wi-Fi only;
	// Ethernet is 0x0200, "Ethernet controller").
	reLspciNet    = regexp.MustCompile(`^(?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}\.[0-7] Network controller(?: \[0280\])?: `)
	reLspciDriver = regexp.MustCompile(`^\s+Kernel driver in use: (\S+)`)
	reLspciMods   = regexp.MustCompile(`^\s+Kernel modules: (\S.*?)\s*$`)
	// lshw (print.cc, printnode): a node no driver claimed is printed
	// "*-network UNCLAIMED" ("*-network:1", " DISABLED" before it when
	// both hold), its description on the next line.
	reLshwUnclaimed = regexp.MustCompile(`^\s*\*-network(?::\d+)?(?: DISABLED)? UNCLAIMED\s*$`)
	reLshwDesc      = regexp.MustCompile(`^\s+description: (.+?)\s*$`)
)

// cmdDriverBlock reads whether the kernel bound a driver to the Wi-Fi
// adapter. lspci -k prints a device's "Kernel driver in use:" line, when
// one is bound, before its "Kernel modules:" line (pciutils ls-kernel.c,
// show_kernel): a network controller whose modules line comes with no
// driver line before it has no driver, so no interface. lshw marks such a
// node UNCLAIMED (print.cc); its description "Network controller" is the PCI class
// above, "Wireless interface" a Wi-Fi one. An entry without a modules
// line (no module matches the device) is not decided.
func cmdDriverBlock(lp *lineParser, st cmdState, s string) (lineInfo, bool) {
	switch {
	case strings.Contains(s, "Network controller") && reLspciNet.MatchString(s):
		lp.cmd = cmdState{pciNet: true}
	case st.pciNet && reLspciDriver.MatchString(s):
		lp.cmd = cmdState{pciNet: true, pciDriver: true}
		return lineInfo{prog: "lspci", tag: cmdTag, msg: "driver " + reLspciDriver.FindStringSubmatch(s)[1]}, true
	case st.pciNet && reLspciMods.MatchString(s):
		if st.pciDriver {
			return lineInfo{prog: "lspci", tag: cmdTag, msg: "modules"}, true
		}
		return lineInfo{prog: "lspci", tag: cmdTag, msg: "no-driver " + reLspciMods.FindStringSubmatch(s)[1]}, true
	case strings.Contains(s, "UNCLAIMED") && reLshwUnclaimed.MatchString(s):
		lp.cmd = cmdState{lshwUnclaimed: true}
	case st.lshwUnclaimed && reLshwDesc.MatchString(s):
		if d := reLshwDesc.FindStringSubmatch(s)[1]; d == "Network controller" || d == "Wireless interface" {
			return lineInfo{prog: "lshw", tag: cmdTag, msg: "unclaimed"}, true
		}
	}
	return lineInfo{}, false
}

var (
	// An iw command line (iw.c, main: "iw [options] dev <devname>
	// <command>", "iw [options] phy <phyname> <command>", and the
	// interface name alone before the command): its subcommand.
	reIPv4   = regexp.MustCompile(`^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$`)
	reIwCmdQ = regexp.MustCompile(`(?:^|[\s$#>])iw\s+(?:-\S+\s+)*(?:(?:dev|phy)\s+)?[\w.:@-]+\s+([a-z_]+)`)
	// iw scan.c, print_bss_handler: printf("BSS %s", mac_addr), then
	// "(on %s)" when the result names the interface and " --
	// associated" (authenticated, joined) for the BSS the station is
	// on; each BSS's fields follow on lines that begin with a tab.
	reIwBSS = regexp.MustCompile(`^BSS ((?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2})\s*(?:\(on ([\w.:@-]+)\))?(?: -- (\w+))?\s*$`)
	// wpa_supplicant ctrl_iface.c, wpa_supplicant_ctrl_iface_scan_results:
	// the header "bssid / frequency / signal level / flags / ssid", then
	// one row a BSS, "%s\t%d\t%d\t" and its flags ("[WPA2-PSK-CCMP][ESS]")
	// then the SSID.
	reWpaResultsRow = regexp.MustCompile(`^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}\s+\d{4,5}\s+-?\d+\s+(?:\[[^\]]*\])*\[(?:ESS|IBSS|MESH|P2P)\]`)
)

// scanListing reads the scan listings of iw and wpa_cli, which print a
// completed scan's results: the first BSS of a listing is the scan that
// completed (a scan that found nothing prints no line, iw nothing at all);
// the rest of the listing is dropped, as nmcli device wifi list's rows
// are (one listing is one scan). iw prints each BSS's fields on lines
// that begin with a tab, which keep the listing open; wpa_cli prints one
// row a BSS.
func scanListing(lp *lineParser, st cmdState, s string) (lineInfo, bool) {
	switch {
	case st.iwScan && s[0] == '\t':
		// A field of the BSS (some read as other outputs' keys:
		// "\tBSS Load:", "\t\t * Group cipher: CCMP"): the listing
		// goes on.
		lp.cmd.iwScan = true
		return lineInfo{prog: "iw", tag: cmdTag, msg: "bss field"}, true
	case strings.HasPrefix(s, "BSS "):
		g := reIwBSS.FindStringSubmatch(s)
		if g == nil {
			return lineInfo{}, false
		}
		lp.cmd.iwScan = true
		verdict := "scan"
		if st.iwScan {
			verdict = "row"
		}
		return lineInfo{prog: "iw", tag: cmdTag, msg: strings.TrimSpace(verdict + " " + g[1] + " " + g[2] + " " + g[3])}, true
	case strings.HasPrefix(s, "bssid / frequency / signal level"):
		lp.cmd.wpaResults = 1
		return lineInfo{prog: "wpa_cli", tag: cmdTag, msg: "scan_results header"}, true
	case st.wpaResults > 0 && strings.Contains(s, "[") && reWpaResultsRow.MatchString(s):
		lp.cmd.wpaResults = 2
		if st.wpaResults == 1 {
			return lineInfo{prog: "wpa_cli", tag: cmdTag, msg: "scan_results"}, true
		}
		return lineInfo{prog: "wpa_cli", tag: cmdTag, msg: "scan_results row"}, true
	}
	return lineInfo{}, false
}

// nmcliRateUnit: s has a translated RATE unit of nmcli device wifi list.
func nmcliRateUnit(s string) bool {
	for _, k := range nmcliRateKeys {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// nmcliRadioRow: msg is a translated nmcli radio row, which read in
// English is a row reNmcliRadio matches.
func nmcliRadioRow(msg string) bool {
	if len(msg) > 400 || strings.ContainsAny(msg, ":=[]{}/\\\"'<>,;.$#@") {
		// A row is its values and blanks: most lines are cut here,
		// before the translations are compared.
		return false
	}
	en, ok := nmcliEnglishRadio(msg)
	return ok && (reNmcliRadio.MatchString(en) || reNmcliGeneralL10n.MatchString(en))
}

// reNmcliGeneralL10n: a translated nmcli general row read in English: its
// STATE and CONNECTIVITY columns, translated words of their own
// ("verbunden  voll"), before the four radio columns.
var reNmcliGeneralL10n = regexp.MustCompile(`^\s*\S.*?\s(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s+(?:enabled|disabled|missing)\s+(?:enabled|disabled)\s*$`)

// matchIf runs re on s only when the cheap test passed: cmdEnvelope sees
// every pre-filtered text line, and most are no command output.
func matchIf(ok bool, re *regexp.Regexp, s string) []string {
	if !ok {
		return nil
	}
	return re.FindStringSubmatch(s)
}

// noIPv4 is the verdict on an associated block without an IPv4 address
// from the network: none at all, or only a link-local one.
func noIPv4(st cmdState) string {
	if st.addrLL {
		return "ll-ipv4"
	}
	return "no-ipv4"
}

// hasFlag: flag is one of the comma-separated interface flags.
func hasFlag(flags, flag string) bool {
	for _, f := range strings.Split(flags, ",") {
		if f == flag {
			return true
		}
	}
	return false
}

// iwErrno maps the errno iw prints ("command failed: %s (%d)", iw.c
// __handle_cmd) to an event, for the failures that name a cause.
// Errno values: Linux include/uapi/asm-generic/errno-base.h, errno.h.
func iwErrno(e *diagnostics.Event, code int) bool {
	switch code {
	case -16: // EBUSY: a scan or connection already runs on the radio
		e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
	case -11: // EAGAIN: the driver's own "busy" (brcmfmac's and wl's scan handlers return it while a scan runs or a connection is set up)
		e.Kind, e.Name = diagnostics.KindScanBusy, "EAGAIN"
	case -100: // ENETDOWN: the interface is down
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
	case -19: // ENODEV: no such interface
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case -1, -13: // EPERM, EACCES: nl80211 needs CAP_NET_ADMIN
		e.Kind, e.Name = diagnostics.KindPermission, "not permitted"
	case -132: // ERFKILL
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "soft-blocked"
	default:
		return false
	}
	return true
}

// errnoOfText is errnoText's errno for text, also for its start when a
// paste's wrapping cut the line ("Device or resource" of "Device or
// resource busy"): at least 12 bytes of one text only.
func errnoOfText(text string) (int, bool) {
	if code, ok := errnoText[text]; ok {
		return code, true
	}
	text = strings.TrimSpace(text)
	if len(text) < 12 {
		return 0, false
	}
	code, n := 0, 0
	for t, c := range errnoText {
		if strings.HasPrefix(t, text) {
			code, n = c, n+1
		}
	}
	return code, n == 1
}

// errnoText maps the strerror text iwlist prints to the errno iw would.
var errnoText = map[string]int{
	"Device or resource busy":               -16,
	"Resource temporarily unavailable":      -11,
	"Network is down":                       -100,
	"No such device":                        -19,
	"Operation not permitted":               -1,
	"Permission denied":                     -13,
	"Operation not possible due to RF-kill": -132,
}

var reOpenWrtRadioDisabled = regexp.MustCompile(`^\s*'((?:radio|wifi|wl|phy)\d+)' is disabled\s*$`) // OpenWrt's wifi-device names: radio0 (mac80211), wifi0 (madwifi), wl0 (broadcom-wl)

func parseCmdOut(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := unquote(m.msg)
	switch {
	case m.tag == cmdTag && m.prog == "rfkill":
		dev, verdict, _ := strings.Cut(msg, " ")
		e.Source, e.Kind = diagnostics.SourceRfkill, diagnostics.KindRadio
		if dev != "-" {
			// rfkill names the wiphy (phy0) or a platform switch
			// (ideapad_wlan), not the netdev: recorded to say which
			// switch blocks.
			e.Iface = dev
		}
		switch verdict {
		case "soft-blocked", "hard-blocked":
			e.OK, e.Name = diagnostics.Bool(false), verdict
		case "unblocked":
			e.OK = diagnostics.Bool(true)
		default:
			return p, drop
		}
	case strings.Contains(msg, "The wifi device is soft blocked") || strings.Contains(msg, "The wifi device is hard blocked"):
		// impala (github.com/pythops/impala, src/rfkill.rs, check): it
		// reads /sys/class/rfkill/*/state of the wlan switch and exits
		// with "The wifi device is soft blocked" (state 0) or "... hard
		// blocked" (state 2) before talking to iwd.
		if strings.TrimSpace(msg) != "The wifi device is soft blocked" && strings.TrimSpace(msg) != "The wifi device is hard blocked" {
			return p, pass
		}
		e.Source, e.Kind, e.OK = diagnostics.SourceRfkill, diagnostics.KindRadio, diagnostics.Bool(false)
		e.Name = "soft-blocked"
		if strings.Contains(msg, "hard") {
			e.Name = "hard-blocked"
		}
	case strings.Contains(msg, "' is disabled"):
		// OpenWrt's /sbin/wifi (package/base-files, wifi_updown before
		// 21.02 and netifd's wireless.sh): "'radio0' is disabled" for a
		// wifi-device whose uci option disabled is 1: the radio is
		// switched off in the configuration, no interface comes up.
		g := reOpenWrtRadioDisabled.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Iface, e.Name = diagnostics.SourceKernel, diagnostics.KindRadio, diagnostics.Bool(false), g[1], diagnostics.RadioConfigDisabled
	case strings.TrimSpace(msg) == "Wi-Fi is currently blocked by rfkill.":
		// Raspberry Pi OS's login notice (raspberrypi-sys-mods,
		// /etc/profile.d/wifi-check.sh): printed when `rfkill list
		// wifi` says "Soft blocked: yes", which the image keeps until a
		// Wi-Fi country is set ("Use raspi-config to set the country
		// before use.").
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceRfkill, diagnostics.KindRadio, diagnostics.Bool(false), "soft-blocked (Raspberry Pi OS: no Wi-Fi country set)"
	case strings.TrimSpace(msg) == "wpa_state=INTERFACE_DISABLED":
		// wpa_cli status (ctrl_iface.c, wpa_supplicant_ctrl_iface_status):
		// WPA_INTERFACE_DISABLED, which defs.h documents as "the network
		// interface is disabled, e.g., due to rfkill. wpa_supplicant
		// refuses any new operations that would use the radio until the
		// interface has been enabled" (it follows the driver's
		// EVENT_INTERFACE_DISABLED: rfkill, or the link set down).
		// The interface being down is the device's state; an rfkill
		// block, when the log shows one, is a radio event of its own,
		// and radio_off decides before device_unavailable.
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindDevice, diagnostics.Bool(false), "wpa_supplicant's interface is disabled (the interface is down, or rfkill-blocked)"
	case m.tag == cmdTag && m.prog == "systemctl":
		// systemctlStatus's verdict (rec_systemd.go), decided here so
		// that no recognizer after this one reads the rewritten text.
		return parseSystemctlStatus(m)
	case m.tag == cmdTag && (m.prog == "lspci" || m.prog == "lshw"):
		// cmdDriverBlock's verdicts: an adapter without a driver is a
		// device that is not there for the stack.
		e.Source = diagnostics.SourceKernel
		switch {
		case strings.HasPrefix(msg, "no-driver "):
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "no driver bound to the network controller (lspci -k; modules: "+strings.TrimPrefix(msg, "no-driver ")+")"
		case msg == "unclaimed":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "no driver bound to the network controller (lshw: UNCLAIMED)"
		case strings.HasPrefix(msg, "driver "):
			e.Kind, e.Name = diagnostics.KindNote, "lspci: network controller driver "+strings.TrimPrefix(msg, "driver ")
		default:
			return p, drop
		}
	case m.tag == cmdTag && m.prog == "networkctl":
		link, rest, _ := strings.Cut(msg, " ")
		op, setup, _ := strings.Cut(rest, " ")
		return networkctlLink(link, op, setup), take
	case m.tag == cmdTag && m.prog == "ifconfig":
		// cmdAddrBlock's verdict on an associated Wi-Fi interface. An
		// address on an associated station is the state a join ends
		// in; none is the station without a lease (taxonomy:
		// dhcp_failed, "associated, but no IPv4 lease"). The address
		// may be static: either way the IPv4 configuration did, or did
		// not, happen.
		iface, verdict, _ := strings.Cut(msg, " ")
		e.Source, e.Kind, e.Iface = diagnostics.SourceKernel, diagnostics.KindDHCP, iface
		switch verdict {
		case "ipv4":
			e.OK, e.Name = diagnostics.Bool(true), "IPv4 address on the associated interface"
		case "no-ipv4":
			e.OK, e.Name = diagnostics.Bool(false), "associated, no IPv4 address on the interface"
		case "ll-ipv4":
			e.OK, e.Name = diagnostics.Bool(false), "associated, only an IPv4 link-local address (169.254/16): no lease"
		default:
			return p, drop
		}
	case m.tag == cmdTag && m.prog == "iw" && strings.HasPrefix(msg, "cmd "):
		// cmdEnvelope's EBUSY after an iw command that is no scan.
		e.Source, e.Kind, e.Name = diagnostics.SourceNL80211, diagnostics.KindNote, "iw "+strings.TrimPrefix(msg, "cmd ")
	case m.tag == cmdTag && m.prog == "iw":
		// scanListing's verdicts on iw scan's listing: its first BSS is
		// the scan that completed (iw scan.c, handle_scan_combined
		// prints the results only after NL80211_CMD_NEW_SCAN_RESULTS;
		// `iw scan dump` prints the kernel's cached results, which a
		// scan that completed put there as well).
		f := strings.Fields(msg)
		if len(f) < 2 || f[0] != "scan" {
			return p, drop
		}
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNL80211, diagnostics.KindScanDone, diagnostics.Bool(true), "iw scan: results listed"
		if len(f) > 2 {
			e.Iface = f[2]
		}
	case m.tag == cmdTag && m.prog == "wpa_cli" && strings.HasPrefix(msg, "status ip "):
		// wpa_cli status: wpa_state=COMPLETED (associated, its port
		// authorized) with an IPv4 address on the interface: the
		// state a join ends in, as ifconfig's associated block with
		// an address (cmdAddrBlock); a link-local address only is no
		// lease.
		e.Source, e.Kind = diagnostics.SourceSupplicant, diagnostics.KindDHCP
		if a := strings.TrimPrefix(msg, "status ip "); strings.HasPrefix(a, "169.254.") {
			e.OK, e.Name = diagnostics.Bool(false), "associated, only an IPv4 link-local address (169.254/16): no lease (wpa_cli status)"
		} else {
			e.OK, e.Name = diagnostics.Bool(true), "associated with an IPv4 address (wpa_cli status)"
		}
	case m.tag == cmdTag && m.prog == "wpa_cli" && strings.HasPrefix(msg, "scan_results"):
		// wpa_supplicant's scan results (its BSS table, which completed
		// scans fill): a row is a scan that completed with results.
		if msg != "scan_results" {
			return p, drop
		}
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindScanDone, diagnostics.Bool(true), "wpa_cli scan_results: results listed"
	case m.tag == cmdTag && m.prog == "wpa_cli":
		// wpa_supplicant ctrl_iface.c, wpas_ctrl_scan: "FAIL-BUSY" when
		// a scan is pending or running ("Pending scan scheduled - reject
		// new request", "Ongoing scan action - reject new request").
		e.Source, e.Kind, e.Name = diagnostics.SourceSupplicant, diagnostics.KindScanBusy, "wpa_cli scan: FAIL-BUSY"
	case m.tag == cmdTag && m.prog == "nmcli" && strings.HasPrefix(msg, "device "):
		// nmcliBlock's "device <name> <NMDeviceState>": 10 unmanaged
		// and 20 unavailable are the device's failure, as in the nmcli
		// device listing; the rest is context.
		f := strings.Fields(msg)
		if len(f) != 3 {
			return p, drop
		}
		e.Source, e.Iface = diagnostics.SourceNmcli, f[1]
		switch f[2] {
		case "10":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unmanaged"
		case "20":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable"
		default:
			e.Kind, e.Name = diagnostics.KindNote, "nmcli device show: state "+f[2]
		}
	case m.tag == cmdTag && m.prog == "nmcli" && strings.HasPrefix(msg, "wifi list"):
		if msg != "wifi list" {
			return p, drop
		}
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNmcli, diagnostics.KindScanDone, diagnostics.Bool(true), "nmcli: scan list"
	case m.tag == cmdTag && m.prog == "nmcli":
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNmcli, diagnostics.KindRadio, diagnostics.Bool(false), "nm-disabled"
	case strings.Contains(msg, "command failed: "):
		// iw.
		g := reIwFailed.FindStringSubmatch(msg)
		if g == nil {
			// The line cut by a paste's wrapping before the errno
			// ("command failed: Device or resource busy" and "(-16)"
			// on the next line): the text alone, when it is a known
			// errno's.
			t := reIwFailedCut.FindStringSubmatch(msg)
			if t == nil {
				return p, pass
			}
			code, ok := errnoOfText(t[1])
			if !ok {
				return p, pass
			}
			g = []string{t[0], t[1], strconv.Itoa(code)}
		}
		e.Source = diagnostics.SourceNL80211
		e.Code, _ = strconv.Atoi(g[2])
		if m.prog == "netifd" {
			// OpenWrt's netifd logs what its wireless scripts print
			// (main.c, netifd_process_log_read_cb: "%s (%d): %s" with
			// the radio's name and the script's pid): iw calls of
			// mac80211.sh's setup and teardown ("iw phy phy0 set
			// antenna", "iw dev wlan0 del" of an interface already
			// gone), never a station's scan. Their errno is a note.
			e.Kind, e.Name = diagnostics.KindNote, "netifd wireless script: iw: "+g[1]
			break
		}
		if !iwErrno(e, e.Code) {
			e.Kind, e.Name = diagnostics.KindNote, "iw: "+g[1]
		}
	case strings.Contains(msg, "support scanning") || strings.Contains(msg, "No scan results") || strings.Contains(msg, "read scan data"):
		// iwlist (wireless-tools iwlist.c, print_scanning_info):
		// "%-8.16s  Interface doesn't support scanning : %s", "%-8.16s  No
		// scan results", "%-8.16s  Failed to read scan data : %s".
		e.Source = diagnostics.SourceKernel
		if g := reIwlistScan.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
			if code, ok := errnoOfText(g[2]); ok && iwErrno(e, code) {
				e.Code = code
				break
			}
			if g[2] == "" || g[2] == "Operation not supported" {
				// Not a wireless interface (no SIOCSIWSCAN).
				e.Kind, e.Name = diagnostics.KindNote, "iwlist: no scanning on this interface"
				break
			}
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "iwlist: "+g[2]
		} else if g := reIwlistNone.FindStringSubmatch(msg); g != nil {
			// The scan completed with nothing in range.
			e.Iface, e.Kind, e.OK, e.Name = g[1], diagnostics.KindScanDone, diagnostics.Bool(true), "iwlist: no scan results"
		} else if g := reIwlistRead.FindStringSubmatch(msg); g != nil {
			e.Iface = g[1]
			if code, ok := errnoOfText(g[2]); ok && iwErrno(e, code) {
				// SIOCGIWSCAN's error after the trigger succeeded.
				// EAGAIN is cfg80211's answer while its scan is still
				// running (net/wireless/scan.c, cfg80211_wext_giwscan:
				// "if (rdev->scan_req || rdev->scan_msg) return
				// -EAGAIN"), which iwlist retries for 15 s before it
				// prints it: the scan never completed, no fresh
				// results exist (scan_busy). ENETDOWN: the interface
				// went down.
				e.Code = code
				break
			}
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "iwlist: "+g[2]
		} else {
			return p, pass
		}
	case !strings.Contains(msg, "abled") && nmcliRadioRow(msg):
		// A translated nmcli radio row (nmcli_l10n.go), read as the
		// English one.
		en, _ := nmcliEnglishRadio(msg)
		m2 := *m
		m2.msg, m2.tag, m2.prog = en, cmdTag, "nmcli-l10n"
		return parseCmdOut(&m2)
	case strings.Contains(msg, "abled"):
		// nmcli radio ("WIFI-HW  WIFI  WWAN-HW  WWAN") and nmcli general
		// ("STATE  CONNECTIVITY  WIFI-HW  WIFI  WWAN-HW  WWAN") rows.
		// WIFI-HW is NetworkManager's WirelessHardwareEnabled (the rfkill
		// hard switch), WIFI its WirelessEnabled (nmcli(1)).
		g := reNmcliRadio.FindStringSubmatch(msg)
		if g == nil {
			g = reNmcliGeneral.FindStringSubmatch(msg)
		}
		if g == nil && m.tag == cmdTag && m.prog == "nmcli-l10n" {
			// A translated nmcli general row: the radio columns are
			// the last four.
			f := strings.Fields(msg)
			if n := len(f); n >= 6 {
				g = []string{msg, f[n-4], f[n-3]}
			}
		}
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind = diagnostics.SourceNmcli, diagnostics.KindRadio
		switch {
		case g[1] == "missing":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
		case g[1] == "disabled":
			e.OK, e.Name = diagnostics.Bool(false), "hard-blocked"
		case g[2] == "disabled":
			e.OK, e.Name = diagnostics.Bool(false), "nm-disabled"
		default:
			e.OK = diagnostics.Bool(true)
		}
	case strings.Contains(msg, "wifi"):
		// nmcli device (status): "DEVICE  TYPE  STATE  CONNECTION".
		g := reNmcliDevRow.FindStringSubmatch(msg)
		if g == nil {
			// The state's name translated (nmcli_l10n.go).
			if en, ok := nmcliEnglishState(msg); ok {
				g = reNmcliDevRow.FindStringSubmatch(en)
			}
		}
		if g == nil {
			return p, pass
		}
		e.Source, e.Iface = diagnostics.SourceNmcli, g[1]
		switch g[2] {
		case "unavailable", "unmanaged":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), g[2]
		default:
			e.Kind, e.Name = diagnostics.KindNote, "nmcli device: "+g[2]
		}
	case strings.Contains(msg, "RTNETLINK answers: ") || strings.Contains(msg, "SIOCSIFFLAGS: "):
		return parseLinkUpError(msg)
	case strings.Contains(msg, "Cannot find device ") || strings.Contains(msg, "ERROR while getting interface flags"):
		// iproute2 (ip link set dev X up: `Cannot find device "%s"`)
		// and net-tools ifconfig ("%s: ERROR while getting interface
		// flags: %s"): the interface named does not exist.
		g := reNoSuchIface.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), "missing", g[1]+g[2]
	case strings.Contains(msg, " (phy #"):
		return parseIwEvent(msg)
	case strings.Contains(msg, "Tx-Power=off"):
		// iwconfig (wireless-tools iwconfig.c, display_info) prints
		// "Tx-Power=off" when the driver reports txpower.disabled, which
		// cfg80211 sets from the wiphy's rfkill state
		// (net/wireless/wext-compat.c, cfg80211_wext_giwtxpower:
		// "data->txpower.disabled = rfkill_blocked(...)").
		if !reIwconfigTx.MatchString(msg) {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceKernel, diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (iwconfig Tx-Power=off)"
	case strings.Contains(msg, "Not-Associated"):
		// iwconfig's "Access Point: Not-Associated": context only, a
		// station is there before every join.
		if !strings.Contains(msg, "Access Point: Not-Associated") {
			return p, pass
		}
		e.Source, e.Kind, e.Name = diagnostics.SourceKernel, diagnostics.KindNote, "iwconfig: not associated"
	case strings.HasPrefix(msg, "Not connected.") || strings.HasPrefix(msg, "Connected to "):
		// iw dev <if> link (iw link.c, handle_link): "Not connected."
		// or "Connected to <bssid> (on <if>)". Context for the lines
		// around it, never a failure by itself.
		e.Source, e.Kind = diagnostics.SourceNL80211, diagnostics.KindNote
		if strings.TrimSpace(msg) == "Not connected." {
			e.Name = "iw link: not connected"
			break
		}
		g := reIwLink.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.BSSID, e.Iface, e.Name = normBSSID(g[1]), g[2], "iw link: associated"
	case strings.HasPrefix(msg, "country 00:"):
		// iw reg get (iw reg.c, print_reg_handler: "country %c%c: %s"):
		// the world regulatory domain, in which channels 12-14 are
		// NO-IR (no active scan, no beaconing from this station): an
		// AP there is found only if it is heard passively. Context.
		e.Source, e.Kind, e.Name = diagnostics.SourceNL80211, diagnostics.KindNote, "regulatory domain: world (country 00)"
	case strings.Contains(msg, " type 1 op "):
		g := reRfkillEvent.FindStringSubmatch(strings.TrimSpace(msg))
		if g == nil {
			return p, pass
		}
		if g[2] == "1" {
			// The switch went away (its device was removed).
			return p, drop
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceRfkill, diagnostics.KindRadio, "rfkill"+g[1]
		switch {
		case g[4] == "1":
			e.OK, e.Name = diagnostics.Bool(false), "hard-blocked"
		case g[3] == "1":
			e.OK, e.Name = diagnostics.Bool(false), "soft-blocked"
		default:
			e.OK = diagnostics.Bool(true)
		}
	case strings.Contains(msg, "scan aborted!"):
		if !reIwScanAborted.MatchString(msg) {
			return p, pass
		}
		e.Source, e.Kind, e.Name = diagnostics.SourceNL80211, diagnostics.KindScanAborted, "iw scan aborted"
	case strings.Contains(msg, "\" does not exist") || strings.Contains(msg, "error fetching interface information"):
		g := reNoSuchIface2.FindStringSubmatch(msg)
		if g == nil || !reWifiNetdev.MatchString(g[1]+g[2]) {
			// Another interface, or another error (ifconfig's
			// strerror for anything but ENODEV): not the Wi-Fi
			// device's absence.
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), "missing", g[1]+g[2]
	case strings.Contains(msg, "nl80211 not found"):
		if !reIwNoNl80211.MatchString(msg) {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceNL80211, diagnostics.KindDevice, diagnostics.Bool(false), "missing (iw: nl80211 not found, cfg80211 not loaded)"
	case strings.HasSuffix(strings.TrimSpace(msg), "No such device") && reIwconfigNoDev.MatchString(msg):
		// iwconfig <if> for an interface that does not exist; only
		// Wi-Fi interface names (iwconfig lists lo and eth0 too).
		g := reIwconfigNoDev.FindStringSubmatch(msg)
		if !reWifiNetdev.MatchString(g[1]) {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), "missing", g[1]
	case (strings.HasSuffix(msg, ": unavailable") || strings.HasSuffix(msg, ": unmanaged")) && reNmcliOverview.MatchString(msg):
		// nmcli's overview: NM_DEVICE_STATE_UNAVAILABLE and UNMANAGED,
		// read as the nmcli device listing's rows are (a Wi-Fi
		// interface name only: the overview lists every device).
		g := reNmcliOverview.FindStringSubmatch(msg)
		if !reWifiNetdev.MatchString(g[1]) {
			return p, pass
		}
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceNmcli, diagnostics.KindDevice, diagnostics.Bool(false), g[2], g[1]
	case strings.Contains(msg, "> mtu "):
		// ip link: DOWN or NO-CARRIER is where a station is before it
		// joins, so it is context, never a failure.
		g := reIPLink.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceKernel, diagnostics.KindNote, g[1]
		e.Name = "ip link: state " + g[3]
		flags := "," + g[2] + ","
		if !strings.Contains(flags, ",UP,") {
			e.Name += ", administratively down"
		} else if strings.Contains(flags, ",NO-CARRIER,") {
			e.Name += ", no carrier"
		}
	default:
		return p, pass
	}
	return p, take
}

var (
	// iw event (iw event.c, print_event): "[<sec>.<usec>: ]<if> (phy
	// #<n>): <event>", the stamp with -t.
	reIwEvent       = regexp.MustCompile(`^(?:\d+\.\d+: )?([\w.:@-]+) \(phy #\d+\): (.+?)\s*$`)
	reIwEventFrame  = regexp.MustCompile(`^(auth|assoc):? ((?:[0-9a-f]{2}:){5}[0-9a-f]{2}) -> (?:[0-9a-f]{2}:){5}[0-9a-f]{2} status: (\d+)`)
	reIwEventConn   = regexp.MustCompile(`^(connected|failed to connect|timed out) to ((?:[0-9a-f]{2}:){5}[0-9a-f]{2})(?:, status: (\d+))?`)
	reIwEventDiscon = regexp.MustCompile(`^disconnected \((by AP|local request)\)(?: reason: (\d+))?`)
)

var (
	reLinkUpError = regexp.MustCompile(`(?:^|\s)(?:RTNETLINK answers|SIOCSIFFLAGS): ([A-Za-z][\w /-]*?)\s*$`)
	reNoSuchIface = regexp.MustCompile(`^\s*(?:Cannot find device "([\w.:@-]+)"|([\w.:@-]+): ERROR while getting interface flags: No such device)\s*$`)
)

// parseLinkUpError reads the error of bringing an interface up, as
// iproute2 (lib/libnetlink.c: "RTNETLINK answers: %s", strerror) and
// net-tools ifconfig (perror("SIOCSIFFLAGS")) print it. The errno says
// why the driver would not open the interface (net/core/dev.c
// __dev_open; cfg80211's ieee80211 open refuses with ERFKILL when the
// wiphy is blocked): RF-kill is the radio off ("Unknown error 132" from a
// C library without ERFKILL's text); EBUSY, EIO and ENOENT are the driver
// failing to start its device (its firmware missing, ENOENT, or not
// answering; ETIMEDOUT: its firmware did not start in time, as iwlwifi's
// and brcmfmac's open report it): the device is not usable (EBUSY, ENOENT
// and ETIMEDOUT from ifconfig only, see below). EPERM is the caller's lack of
// CAP_NET_ADMIN. Other answers (an address or route that exists, ...) are
// not about the Wi-Fi link: dropped.
func parseLinkUpError(msg string) (parsed, match) {
	var p parsed
	e := &p.ev
	g := reLinkUpError.FindStringSubmatch(msg)
	if g == nil {
		return p, pass
	}
	e.Source = diagnostics.SourceKernel
	switch g[1] {
	case "Operation not possible due to RF-kill", "Unknown error 132":
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (interface up refused)"
	case "Input/output error":
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable (interface up failed: "+g[1]+")"
	case "Device or resource busy", "No such file or directory", "Connection timed out":
		// Only SIOCSIFFLAGS is always the interface's opening:
		// iproute2 answers so also to a MAC address change on a
		// running interface (EBUSY) or a route or address to delete
		// that is not there (ENOENT).
		if !strings.Contains(msg, "SIOCSIFFLAGS: ") {
			return p, drop
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "unavailable (interface up failed: "+g[1]+")"
	case "No such device":
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case "Operation not permitted":
		e.Kind, e.Name = diagnostics.KindPermission, "not permitted"
	default:
		return p, drop
	}
	return p, take
}

// parseIwEvent maps iw event's lines (iw event.c, print_event) onto the
// events wpa_supplicant's equivalents give: an authentication or
// association response's status (print_frame: "<from> -> <to> status:
// %d: %s", the first address the AP's), cfg80211's connect result
// ("failed to connect to %s, status: %d: %s" is the AP's status code,
// what CTRL-EVENT-ASSOC-REJECT reports), a disconnection's reason
// (negative when the station's own), timeouts and the scan's life. Other
// events (roamed, deauth and disassoc frames, whose direction the line
// does not say, regulatory changes) are context.
func parseIwEvent(msg string) (parsed, match) {
	var p parsed
	e := &p.ev
	g := reIwEvent.FindStringSubmatch(msg)
	if g == nil {
		return p, pass
	}
	e.Source, e.Iface = diagnostics.SourceNL80211, g[1]
	ev := g[2]
	switch {
	case ev == "scan started":
		e.Kind = diagnostics.KindScanStarted
	case strings.HasPrefix(ev, "scan finished:"):
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(true), "iw event"
	case strings.HasPrefix(ev, "scan aborted:"):
		e.Kind, e.Name = diagnostics.KindScanAborted, "iw event"
	case ev == "auth: timed out":
		e.Kind = diagnostics.KindAuthTimeout
	case ev == "assoc: timed out":
		e.Kind = diagnostics.KindAssocTimeout
	case reIwEventFrame.MatchString(ev):
		f := reIwEventFrame.FindStringSubmatch(ev)
		e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(f[2])
		if f[1] == "assoc" {
			e.Kind = diagnostics.KindAssocStatus
		}
		e.Code, _ = strconv.Atoi(f[3])
	case reIwEventConn.MatchString(ev):
		f := reIwEventConn.FindStringSubmatch(ev)
		e.BSSID = normBSSID(f[2])
		switch f[1] {
		case "connected":
			e.Kind, e.Name = diagnostics.KindNote, "iw event: connected"
			return p, take
		case "timed out":
			// Newer iw prints NL80211_ATTR_TIMED_OUT's connect
			// result so: the AP never answered.
			e.Kind = diagnostics.KindAssocTimeout
			return p, take
		}
		e.Kind = diagnostics.KindAssocStatus
		e.Code, _ = strconv.Atoi(f[3])
		if e.Code == 0 {
			// cfg80211 gave no status: a connect that failed
			// without the AP's answer (a timeout).
			e.Kind = diagnostics.KindAssocTimeout
		}
	case reIwEventDiscon.MatchString(ev):
		f := reIwEventDiscon.FindStringSubmatch(ev)
		if f[2] == "" {
			e.Kind, e.Name = diagnostics.KindNote, "iw event: disconnected ("+f[1]+")"
			break
		}
		e.Kind = diagnostics.KindDisconnect
		e.Code, _ = strconv.Atoi(f[2])
		if f[1] == "local request" {
			e.Code = -e.Code
		}
	case strings.HasPrefix(ev, "roamed") || strings.HasPrefix(ev, "deauth") || strings.HasPrefix(ev, "disassoc") || strings.HasPrefix(ev, "regulatory domain change"):
		e.Kind, e.Name = diagnostics.KindNote, "iw event: "+strings.Fields(ev)[0]
	default:
		return p, drop
	}
	return p, take
}

// unquote removes the quote markers of a reply that quotes pasted output:
// e-mail's and Markdown's "> " (nested "> > ", ">> "), before the first
// character of the output. Command output never starts with ">" (iw, ip,
// rfkill, nmcli, systemctl and networkctl print a name, a number, a glyph
// or indentation first), so nothing of the output is removed.
func unquote(s string) string {
	for len(s) > 0 && s[0] == '>' {
		s = s[1:]
		if len(s) > 0 && s[0] == ' ' {
			s = s[1:]
		}
	}
	return s
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
