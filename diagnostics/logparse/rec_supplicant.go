package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// wpa_supplicant's lines: its control-interface events ("wlan0:
// CTRL-EVENT-SCAN-FAILED ret=-16"), which it writes to syslog, the journal
// and -d output alike (wpa_msg in src/utils/wpa_debug.c), and the state
// machine and SME lines of -d output.

var recSupplicantCtrl = recognizer{
	name:  "wpa_supplicant",
	title: "wpa_supplicant (syslog, journal, -d)",
	keys:  []string{"CTRL-EVENT-"},
	progs: []string{"wpa_supplicant"},
	parse: parseSupplicantCtrl,
}

func parseSupplicantCtrl(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	body := m.body
	if !strings.Contains(body, "CTRL-EVENT-") {
		return p, pass
	}
	e.Source, e.Iface = diagnostics.SourceSupplicant, m.iface
	switch {
	case strings.Contains(body, "CTRL-EVENT-SCAN-STARTED"):
		e.Kind = diagnostics.KindScanStarted
	case strings.Contains(body, "CTRL-EVENT-SCAN-RESULTS"):
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(true)
	case strings.Contains(body, "CTRL-EVENT-SCAN-FAILED"):
		ret := 0
		if g := reScanFailed.FindStringSubmatch(body); g != nil {
			ret, _ = strconv.Atoi(g[1])
		}
		// scan.c, wpas_trigger_scan_cb: WPA_EVENT_SCAN_FAILED "ret=%d%s"
		// with wpa_drv_scan's return, the driver's errno (nl80211's
		// send_and_recv_msgs), or -1 of wpa_supplicant's own.
		wpaScanErrno(e, ret)
	case strings.Contains(body, "CTRL-EVENT-ASSOC-REJECT"):
		g := reAssocReject.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.BSSID = normBSSID(g[1])
		e.Code, _ = strconv.Atoi(g[2])
		e.Kind = diagnostics.KindAssocStatus
		if g[3] != "" {
			e.Kind, e.Code = diagnostics.KindAssocTimeout, 0
		}
	case strings.Contains(body, "CTRL-EVENT-AUTH-REJECT"):
		g := reAuthReject.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Kind, e.BSSID = diagnostics.KindAuthStatus, normBSSID(g[1])
		e.Code, _ = strconv.Atoi(g[4])
		if g[2] == "3" {
			e.Name = "SAE"
			if g[3] == "2" {
				// The AP refused our SAE confirm: the password did not
				// match (lab/FINDINGS.md, wrong WPA3-SAE key). A
				// refused commit (transaction 1) is the AP's policy
				// instead.
				e.Kind, e.Name = diagnostics.KindSAEFailure, "SAE confirm rejected"
			}
		}
	case strings.Contains(body, "CTRL-EVENT-SSID-TEMP-DISABLED"):
		g := reTempDis.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.SSID = cleanSSID(g[1])
		if g[3] == "WRONG_KEY" {
			e.Kind = diagnostics.KindPskMismatch
		} else {
			e.Kind, e.Name = diagnostics.KindNote, "temp-disabled "+g[3]
		}
	case strings.Contains(body, "CTRL-EVENT-DISCONNECTED"):
		g := reDisconn.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(g[1])
		e.Code, _ = strconv.Atoi(g[2])
		if g[3] != "" {
			e.Code = -e.Code
		}
	case strings.Contains(body, "CTRL-EVENT-CONNECTED"):
		e.Kind, e.State = diagnostics.KindSupplicantState, "completed"
		if g := reConnectedW.FindStringSubmatch(body); g != nil {
			e.BSSID = normBSSID(g[1])
		}
	case strings.Contains(body, "CTRL-EVENT-NETWORK-NOT-FOUND"):
		e.Kind, e.Name, p.role = diagnostics.KindNote, "network-not-found", roleWpaNotFound
	case strings.Contains(body, "CTRL-EVENT-SAE-UNKNOWN-PASSWORD-IDENTIFIER"):
		e.Kind = diagnostics.KindSAEFailure
	case strings.Contains(body, "CTRL-EVENT-TERMINATING"):
		e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant terminating"
	default:
		return p, drop
	}
	return p, take
}

var recSupplicantText = recognizer{
	name: "wpa_supplicant",
	keys: []string{"andshake failed", "SME:", "ssociat", "State: ", "rfkill",
		"Reject scan trigger", "reject new request", "Scan trigger failed", "initiate AP scan", "ioctl[SIOCSIWSCAN]: ", "ctrl_ifname", "ctrl-ifname", "initialize driver interface", "parse configuration",
		"Could not read interface", "Could not set interface", "initialize control interface", "wpa_supplicant global interface", "initiate sched scan", "Could not connect to wpa_supplicant",
		"generic netlink not found", "Configured interface was", "driver after interface was added"},
	parse: parseSupplicantText,
}

func parseSupplicantText(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	body, iface := m.body, m.iface
	switch {
	case strings.Contains(body, "Reject scan trigger since one is already pending"):
		// wpa_supplicant refuses a new scan request while its own is
		// still pending (scan.c, wpa_supplicant_req_scan): the scan the
		// caller wanted does not run.
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceSupplicant, diagnostics.KindScanBusy, iface, diagnostics.ScanDeferred
	case strings.HasPrefix(body, "Ongoing scan action - reject new request") || strings.HasPrefix(body, "Pending scan scheduled - reject new request"):
		// ctrl_iface.c, wpas_ctrl_scan (MSG_DEBUG, and Android's
		// builds at info with "(wpa_state=N)(scanning=N)" after it): a
		// control-interface SCAN answered FAIL-BUSY because a scan
		// work is queued ("Pending scan scheduled"), or a scan runs or
		// a connection is being set up ("Ongoing scan action"). The
		// caller's scan is refused while wpa_supplicant's own scan or
		// join goes on: a deferral, as nmcli's "already scanning".
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceSupplicant, diagnostics.KindScanBusy, iface, diagnostics.ScanDeferred
	case strings.Contains(body, "Failed to initiate AP scan"):
		// scan.c, wpa_supplicant_scan: wpa_supplicant_trigger_scan
		// failed and a new try is scheduled in 1 s; MSG_WARNING, so at
		// the default level this is the only trace of the failure.
		// Since 2.1 the trigger fails this way when a scan work is
		// still pending ("Reject scan trigger since one is already
		// pending", logged just before); before, when the driver
		// refused it (wext's "ioctl[SIOCSIWSCAN]: Device or resource
		// busy" before it). The splitter folds it into such a line
		// (diagnostics.ScanInitFailed).
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceSupplicant, diagnostics.KindScanBusy, iface, diagnostics.ScanInitFailed
	case strings.Contains(m.msg, "ioctl[SIOCSIWSCAN]: "):
		// driver_wext.c, wpa_driver_wext_scan: wpa_printf(MSG_ERROR,
		// "ioctl[SIOCSIWSCAN]: %s", strerror(errno)) of a wext driver
		// that refused the scan: "Device or resource busy" (cfg80211's
		// wext scan, cfg80211_wext_siwscan, while a scan runs), "Network
		// is down" (the same, interface not up), or a driver's own.
		_, text, _ := strings.Cut(m.msg, "ioctl[SIOCSIWSCAN]: ")
		e.Source, e.Iface = diagnostics.SourceSupplicant, iface
		code, ok := errnoText[strings.TrimSpace(text)]
		if !ok || code == -1 || code == -13 {
			// An errno that names no cause the scan could have.
			code = 0
		}
		wpaScanErrno(e, code)
	case strings.Contains(body, "Scan trigger failed"):
		// driver_nl80211_scan.c: "nl80211: Scan trigger failed: ret=-16
		// (Device or resource busy)".
		g := reScanTrigger.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Source, e.Iface = diagnostics.SourceSupplicant, iface
		code, _ := strconv.Atoi(g[1])
		wpaScanErrno(e, code)
	case strings.Contains(m.msg, "Failed to connect to non-global ctrl"):
		// wpa_cli found no control socket for the interface: no
		// wpa_supplicant runs for it (wpa_cli.c, wpa_cli_open_connection).
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant control interface unreachable"
	case strings.Contains(m.msg, "Failed to initialize driver interface - try next driver wrapper"):
		// wpa_supplicant.c, wpas_init_driver (MSG_DEBUG): the first of
		// the -D drivers ("nl80211,wext") did not take the interface and
		// the next one is tried; only the bare line below, after the
		// last, is the failure.
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceSupplicant, diagnostics.KindNote, iface, "driver wrapper fallback"
	case strings.Contains(m.msg, "Failed to initialize driver interface"):
		// wpa_supplicant.c, wpas_init_driver (MSG_ERROR), after the last
		// -D driver: wpa_drv_init found no usable interface (it does
		// not exist: "Could not read interface wlan0 flags: No such
		// device" before it; cfg80211 or the driver's station commands
		// are missing) and wpa_supplicant_init_iface gives it up. The
		// interface is what failed; a daemon that then exits is
		// systemd's line to report.
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceSupplicant, diagnostics.KindDevice, diagnostics.Bool(false), diagnostics.FailSupIfaceUnusable, iface
	case strings.Contains(m.msg, "Failed to read or parse configuration"):
		// wpa_supplicant exits: it cannot read its configuration
		// (wpa_supplicant.c, wpa_supplicant_init_iface).
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceSupplicant, diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant could not start", iface
	case strings.HasPrefix(body, "Could not read interface ") || strings.HasPrefix(body, "Could not set interface "):
		// src/drivers/linux_ioctl.c, linux_set_iface_flags and
		// linux_iface_up: "Could not read interface wlan0 flags: No such
		// device", "Could not set interface wlan0 flags (UP): Operation
		// not possible due to RF-kill". The errno text decides: ENODEV is
		// an interface that does not exist, ERFKILL a blocked radio; the
		// others say nothing a rule can name.
		g := reWpaIfaceFlags.FindStringSubmatch(body)
		if g == nil || m.prog == "hostapd" {
			// hostapd shares linux_ioctl.c: an access point's
			// interface, not a station's join.
			return p, drop
		}
		e.Source, e.Iface = diagnostics.SourceSupplicant, g[1]
		switch g[2] {
		case "No such device":
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
		case "Operation not possible due to RF-kill":
			e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceRfkill, diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked"
		default:
			return p, drop
		}
	case strings.Contains(m.msg, "Failed to initialize control interface"):
		// ctrl_iface_unix.c: the control socket exists and another
		// wpa_supplicant answers on it ("ctrl_iface exists and seems to
		// be in use - cannot override it"), or the directory is not
		// usable; wpa_supplicant_init_iface then gives the interface up.
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceSupplicant, diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant could not start (control interface)", iface
	case strings.HasPrefix(m.msg, "Failed to connect to wpa_supplicant global interface"):
		// wpa_cli.c main: -g named a global control socket nobody
		// listens on: no wpa_supplicant runs.
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant global control interface unreachable"
	case strings.HasPrefix(m.msg, "Could not connect to wpa_supplicant: ") && strings.HasSuffix(strings.TrimSpace(m.msg), " - re-trying"):
		// wpa_cli.c, wpa_cli_interactive's reconnect loop: no control
		// socket answers for the interface (no wpa_supplicant runs for
		// it); it prints "Connection established." once one does.
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant control interface unreachable"
	case body == "Failed to initiate sched scan":
		// scan.c, wpa_supplicant_req_sched_scan: the driver refused a
		// scheduled (offloaded) scan; wpa_supplicant falls back to
		// normal scans, so healthy logs repeat this line.
		e.Source, e.Kind, e.Iface, e.Name = diagnostics.SourceSupplicant, diagnostics.KindNote, iface, "sched scan refused"
	case strings.Contains(body, "Could not yet enable interface '") && strings.HasSuffix(strings.TrimSpace(body), "' due to rfkill"):
		// src/drivers/driver_nl80211.c, wpa_driver_nl80211_finish_drv_init
		// (MSG_DEBUG): the radio is blocked, so the interface is left
		// down and disabled (INTERFACE_DISABLED) until rfkill clears.
		e.Source, e.Kind, e.OK, e.Name, e.Iface = diagnostics.SourceRfkill, diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked", iface
		if i := strings.Index(body, "'"); i >= 0 {
			if j := strings.Index(body[i+1:], "'"); j > 0 {
				e.Iface = body[i+1 : i+1+j]
			}
		}
	case body == "Configured interface was removed", body == "Configured interface was added",
		body == "Failed to initialize the driver after interface was added":
		// wpa_supplicant/events.c, wpa_supplicant_event_interface_status
		// (MSG_DEBUG; the last MSG_INFO): the kernel removed the
		// interface (a USB adapter unplugged, a driver unbound or
		// reprobed) and wpa_supplicant went to INTERFACE_DISABLED; when
		// it comes back, the driver is initialized again. The last of
		// these counts.
		e.Source, e.Kind, e.Iface = diagnostics.SourceSupplicant, diagnostics.KindDevice, iface
		if body == "Configured interface was added" {
			e.OK, e.Name = diagnostics.Bool(true), "interface added"
		} else {
			e.OK, e.Name = diagnostics.Bool(false), "missing (interface removed)"
			if strings.HasPrefix(body, "Failed") {
				e.Name = diagnostics.FailSupIfaceUnusable
			}
		}
	case strings.HasPrefix(m.msg, "nl80211: 'nl80211' generic netlink not found"):
		// src/drivers/driver_nl80211.c, wpa_driver_nl80211_init_nl_global
		// (MSG_ERROR): genl_ctrl_resolve found no nl80211 family, so
		// cfg80211 is not loaded and no Wi-Fi driver is: no wireless
		// device exists (iw's "nl80211 not found." in rec_cmdout.go).
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceSupplicant, diagnostics.KindDevice, diagnostics.Bool(false), "missing (nl80211 not found, cfg80211 not loaded)"
	case strings.Contains(m.msg, "rfkill: WLAN "):
		g := reWpaRfkill.FindStringSubmatch(m.msg)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Iface = diagnostics.SourceRfkill, diagnostics.KindRadio, iface
		switch g[1] {
		case "soft blocked":
			e.OK, e.Name = diagnostics.Bool(false), "soft-blocked"
		case "hard blocked":
			e.OK, e.Name = diagnostics.Bool(false), "hard-blocked"
		default:
			e.OK = diagnostics.Bool(true)
		}
	case strings.Contains(body, "andshake failed"):
		if !reHandshake.MatchString(body) {
			return p, drop
		}
		e.Kind, e.Iface = diagnostics.KindPskMismatch, iface
		e.Source = diagnostics.SourceSupplicant
		if m.prog == "iwd" || strings.Contains(body, "ifindex") {
			// iwd logs nothing when it starts connecting: its failure
			// line is all there is.
			e.Source, p.role = diagnostics.SourceIwd, roleTerminal
		}
	case strings.HasPrefix(body, "SME: Trying to authenticate"):
		g := reSMEAuth.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Name, e.Iface, p.role = diagnostics.SourceSupplicant, diagnostics.KindNote, diagnostics.NoteTryAuth, iface, roleStartWpa
		e.BSSID, e.SSID = normBSSID(g[1]), cleanSSID(g[2])
	case strings.HasPrefix(body, "Trying to associate with"):
		g := reTryAssoc.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Source, e.Kind, e.Name, e.Iface, p.role = diagnostics.SourceSupplicant, diagnostics.KindNote, diagnostics.NoteTryAssoc, iface, roleStartWpa
		e.BSSID, e.SSID = normBSSID(g[2]), cleanSSID(g[1]+g[3])
	case strings.HasPrefix(body, "SME: "):
		g := reSMETimeout.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Source, e.Iface, e.Kind = diagnostics.SourceSupplicant, iface, diagnostics.KindAuthTimeout
		if g[1] == "Association" {
			e.Kind = diagnostics.KindAssocTimeout
		}
	case strings.HasPrefix(body, "State: "):
		g := reWpaState.FindStringSubmatch(body)
		if g == nil {
			return p, drop
		}
		e.Source, e.Iface, e.Kind = diagnostics.SourceSupplicant, iface, diagnostics.KindSupplicantState
		e.OldState, e.State = normState(g[1]), normState(g[2])
	default:
		return p, pass
	}
	return p, take
}

// recSupplicantSAE comes after the kernel's recognizer: "wlan0: SAE ..."
// lines of mac80211 are the kernel's.
var recSupplicantSAE = recognizer{
	name:  "wpa_supplicant",
	keys:  []string{"SAE"},
	parse: parseSupplicantSAE,
}

func parseSupplicantSAE(m *message) (parsed, match) {
	var p parsed
	if !strings.Contains(m.body, "SAE") || !reSAEFail.MatchString(m.body) || m.prog == "hostapd" {
		return p, pass
	}
	p.ev.Source, p.ev.Iface, p.ev.Kind = diagnostics.SourceSupplicant, m.iface, diagnostics.KindSAEFailure
	return p, take
}

// reWpaIfaceFlags reads linux_ioctl.c's "Could not read interface %s
// flags: %s" and "Could not set interface %s flags (%s): %s".
var reWpaIfaceFlags = regexp.MustCompile(`^Could not (?:read|set) interface (\S+) flags(?: \((?:UP|DOWN)\))?: (.+?)\s*$`)

// wpaScanErrno maps the errno of a scan trigger that wpa_supplicant's
// driver refused (CTRL-EVENT-SCAN-FAILED ret=, nl80211's "Scan trigger
// failed: ret=", wext's SIOCSIWSCAN) to an event. Only a busy radio is a
// refused scan: cfg80211 returns -EBUSY while a scan runs (nl80211.c,
// nl80211_trigger_scan: rdev->scan_req or scan_msg set; scan.c,
// cfg80211_wext_siwscan) and brcmfmac and Broadcom's wl -EAGAIN while a
// scan runs or a connection is being set up. The same checks return
// -ENETDOWN first when the interface is not up (wdev_running,
// netif_running): the device is down, nothing blocked a scan; -ENODEV
// when the interface is gone; -ERFKILL is a driver's refusal while the
// radio is killed (iwlwifi's transport). Any other errno, and
// wpa_supplicant's own -1, is a scan that failed to start for a reason
// the log does not name. Errno values: include/uapi/asm-generic/errno*.h.
//
// ENETDOWN is a note, not a failure: wpa_supplicant does not scan an
// interface it knows is down (scan.c, wpa_supplicant_scan: "Skip scan -
// interface disabled"), so the errno is a race with whoever took the link
// down for a moment, as NetworkManager does to change the MAC address for
// scanning or for a connection (nm-device-wifi.c, _hw_addr_set_scanning;
// mac80211 refuses a new address while the interface runs). Scans resume
// once the link is up; a device that stays down says so in lines of its
// own (INTERFACE_DISABLED, NetworkManager's "unavailable").
func wpaScanErrno(e *diagnostics.Event, code int) {
	e.Code = code
	switch code {
	case -16:
		e.Kind, e.Name = diagnostics.KindScanBusy, "EBUSY"
	case -11:
		e.Kind, e.Name = diagnostics.KindScanBusy, "EAGAIN"
	case -100:
		e.Kind, e.Name = diagnostics.KindNote, scanIfaceDown
	case -19:
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "missing"
	case -eRFKILL:
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceRfkill, diagnostics.KindRadio, diagnostics.Bool(false), "rfkill-blocked (scan refused)"
	default:
		e.Kind, e.OK = diagnostics.KindScanDone, diagnostics.Bool(false)
	}
}

// scanIfaceDown names a scan trigger refused with ENETDOWN (wpaScanErrno).
const scanIfaceDown = "scan refused: interface down (ENETDOWN)"
