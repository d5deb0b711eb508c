package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Android 4.x-8's framework wordings, libhardware_legacy's wifi.c, Android's
// wpa_supplicant driver lines, and `dumpsys wifi`'s state machine history.
// They are read by recAndroid (parseAndroid calls androidLegacy and
// androidLogRec); the keys are in androidLegacyKeys.
//
// Sources (https://android.googlesource.com/, read in the LineageOS mirror
// of platform/frameworks/opt/net/wifi, branches cm-12.0 = Android 5,
// cm-14.1 = 7, lineage-15.1 = 8.1, lineage-16.0 = 9, lineage-17.1 = 10):
//   - service/java/com/android/server/wifi/SupplicantStateTracker.java,
//     WifiStateMachine.java, WifiMonitor.java, WifiConfigStore.java;
//   - platform/hardware/libhardware_legacy wifi/wifi.c (LOG_TAG "WifiHW",
//     Android 2-7) and frameworks/opt/net/wifi libwifi_system
//     supplicant_manager.cpp (8+);
//   - platform/frameworks/base core/java/com/android/internal/util/
//     StateMachine.java LogRec.toString (the dumpsys history);
//   - platform/external/wpa_supplicant_8 src/drivers/driver_nl80211_capa.c;
//   - platform/packages/modules/NetworkStack src/android/net/dhcp/DhcpClient.java.

var androidLegacyKeys = []string{
	// SupplicantStateTracker (4-8)
	"Failed to authenticate, disabling network", "Association getting rejected, disabling network",
	"Supplicant loop detected, disabling network",
	// WifiStateMachine (4-7)
	"Failed to reload STA firmware", "Failed to setup control channel", "times to start supplicant",
	"IP configuration failed", " times, Disabling ",
	// WifiMonitor (4-7)
	"startMonitoring(",
	// wifi.c, supplicant_manager.cpp
	"Wi-Fi will not be enabled", "Unable to open connection to supplicant", "Supplicant not running, cannot connect",
	// WifiConfigStore (5-7)
	"DHCP failure, blacklist",
	// DhcpClient
	"Received NAK", "Lease expired!",
	// WifiStateMachine / ClientModeImpl verbose and dumpsys history
	"NETWORK_DISCONNECTION_EVENT", "NETWORK_CONNECTION_EVENT", "SUPPLICANT_STATE_CHANGE_EVENT",
	// wpa_supplicant's nl80211 driver (under its logcat tag)
	"Driver does not support authentication/association",
}

// androidLegacyTags are the tags read here besides androidTags and
// androidBringUpTags; their other lines are dropped.
var androidLegacyTags = map[string]bool{
	"WifiHW": true, "WifiConfigStore": true,
}

var (
	reAndLegacyNetID = regexp.MustCompile(`disabling network (-?\d+)`)
	// getLogRecString's NETWORK_DISCONNECTION_EVENT (WifiStateMachine 8-9,
	// ClientModeImpl 10+): " BSSID nid=L reason=R ...", where "nid" is
	// msg.arg1, which WifiMonitor.broadcastNetworkDisconnectionEvent sets
	// to the locally-generated flag (1 or 0), not a network id.
	reAndSuppState = regexp.MustCompile(`^\s*\w+State !?(?:\(-?\d+\))?SUPPLICANT_STATE_CHANGE_EVENT(?: uid=\d+)? rt=\S+ -?\d+ -?\d+ ?(?i:ssid): .*? (?i:bssid): (\S+) (?i:nid): -?\d+ (?i:state): (\w+)`)
	reAndConnEv    = regexp.MustCompile(`^\s*\w+State !?(?:\(-?\d+\))?NETWORK_CONNECTION_EVENT(?: uid=\d+)? rt=\S+ -?\d+ -?\d+ `)
	reAndDisconnEv = regexp.MustCompile(`^\s*\w+State !?(?:\(-?\d+\))?NETWORK_DISCONNECTION_EVENT(?: uid=\d+)? rt=\S+(?: ([0-9A-Fa-f:]{17}))? nid=([01]) reason=(\d+)`)
	// StateMachine.LogRec.toString after the envelope (logcatLogRec):
	// "processed=S org=S dest=S what=W[ info]".
	reAndLogRec = regexp.MustCompile(`^processed=(\S+) org=\S+ dest=\S+ what=\S+(?: (.*))?$`)
)

// androidLegacy reads one of this file's tagged lines; false when the line
// is not one of them.
func androidLegacy(m *message, p *parsed) (match, bool) {
	e := &p.ev
	msg := m.msg
	fail := func(k diagnostics.Kind, name string) (match, bool) {
		e.Kind, e.OK, e.Name = k, diagnostics.Bool(false), name
		return take, true
	}
	note := func(name string) (match, bool) {
		e.Kind, e.Name = diagnostics.KindNote, name
		return take, true
	}
	// wifi.c wifi_start_supplicant (4-7, tag WifiHW) and
	// supplicant_manager.cpp StartSupplicant (8+): the template
	// wpa_supplicant.conf could not be copied to /data/misc/wifi, so
	// wpa_supplicant is not started.
	if strings.HasPrefix(msg, "Wi-Fi will not be enabled") {
		return fail(diagnostics.KindBackend, "wpa_supplicant")
	}
	switch m.prog {
	case "SupplicantStateTracker":
		switch {
		// DisconnectedState.enter (4.0-5): the second
		// AUTHENTICATION_FAILURE_EVENT in one attempt, which WifiMonitor
		// sends for wpa_supplicant's "WPA: 4-Way Handshake failed -
		// pre-shared key may be incorrect" and "EAP authentication
		// failed": the network is disabled as DISABLED_AUTH_FAILURE
		// (Settings: "Authentication problem"). The platform calls the
		// key wrong.
		case strings.HasPrefix(msg, "Failed to authenticate, disabling network"):
			e.Kind, e.Name = diagnostics.KindPskMismatch, "authentication failed: network disabled"
			return take, true
		// The third ASSOCIATION_REJECTION_EVENT: the network is disabled
		// (DISABLED_ASSOCIATION_REJECT). The status code is on
		// wpa_supplicant's CTRL-EVENT-ASSOC-REJECT line, which decides.
		case strings.HasPrefix(msg, "Association getting rejected, disabling network"):
			return note("association rejected: network disabled")
		// HandshakeState (4-8): the supplicant went back to an earlier
		// handshake state more than four times without passing through
		// DISCONNECTED (a wrong PSK goes through it and is not counted
		// here); the driver's own retries. A note: wpa_supplicant's lines
		// say what failed.
		case strings.HasPrefix(msg, "Supplicant loop detected, disabling network"):
			return note("supplicant loop: network disabled")
		}
		return drop, true
	case "WifiStateMachine":
		switch {
		// DriverUnloadedState / InitialState CMD_START_SUPPLICANT (4-7):
		// the firmware reload is caught and bring-up continues ("//
		// Continue"): a note, not a failure.
		case strings.HasPrefix(msg, "Failed to reload STA firmware"):
			return note("STA firmware reload failed")
		// CMD_START_AP's "Failed to load driver for softap": the hotspot,
		// not the station.
		case strings.HasPrefix(msg, "Failed to load driver for softap"):
			return note("softap driver load failed")
		// SupplicantStartingState SUP_DISCONNECTION_EVENT: WifiMonitor
		// could not connect to wpa_supplicant's control socket; retried
		// SUPPLICANT_RESTART_TRIES times ("Failed to setup control
		// channel, restart supplicant"), then "Failed N times to start
		// supplicant, unload driver": Wi-Fi stays off.
		case strings.HasPrefix(msg, "Failed to setup control channel"):
			return note("supplicant control channel failed: restarting")
		case strings.HasPrefix(msg, "Failed ") && strings.Contains(msg, " times to start supplicant"):
			return fail(diagnostics.KindBackend, "wpa_supplicant")
		// handleFailedIpConfiguration (4.0-4.4): DhcpStateMachine
		// reported DHCP_FAILURE (or a static configuration failed): "IP
		// configuration failed", then, past getMaxDhcpRetries, "Failed N
		// times, Disabling NETID" (DISABLED_DHCP_FAILURE).
		case msg == "IP configuration failed":
			return fail(diagnostics.KindDHCP, "IP configuration failed")
		case strings.HasPrefix(msg, "Failed ") && strings.Contains(msg, " times, Disabling "):
			return fail(diagnostics.KindDHCP, "network disabled after DHCP failures")
		// handleDhcpResult's verbose "WifiStateMachine DHCP failure
		// count=N" (5-7), before handleIPv4Failure.
		case strings.HasPrefix(msg, "WifiStateMachine DHCP failure count="):
			return fail(diagnostics.KindDHCP, "")
		}
	case "WifiMonitor":
		// MonitorThread / startMonitoring (4-7): no connection to the
		// control socket after 50 tries 100 ms apart:
		// "startMonitoring(wlan0) failed!". Its "startMonitoring(wlan0)
		// with mConnected = false" is the start and is dropped.
		if strings.HasPrefix(msg, "startMonitoring(") && strings.HasSuffix(msg, ") failed!") {
			e.Iface = strings.TrimSuffix(strings.TrimPrefix(msg, "startMonitoring("), ") failed!")
			return fail(diagnostics.KindBackend, "wpa_supplicant")
		}
	case "WifiHW":
		// wifi_connect_on_socket_path: "Unable to open connection to
		// supplicant on \"@android:wpa_wlan0\": No such file or
		// directory" and "Supplicant not running, cannot connect". Each
		// boot logs them while wpa_supplicant starts (WifiMonitor tries
		// 50 times); the failure is WifiMonitor's "startMonitoring(...)
		// failed!" or WifiStateMachine's give-up.
		if strings.HasPrefix(msg, "Unable to open connection to supplicant") || strings.HasPrefix(msg, "Supplicant not running, cannot connect") {
			return note("supplicant control socket not ready")
		}
		return drop, true
	case "WifiConfigStore":
		// handleSSIDStateChange (5-7): more DHCP failures than
		// getMaxDhcpRetries on this network: "DHCP failure, blacklist
		// KEY NETID num failures N"; the network is disabled
		// (DISABLED_DHCP_FAILURE).
		if strings.HasPrefix(msg, "DHCP failure, blacklist") {
			return fail(diagnostics.KindDHCP, "network disabled after DHCP failures")
		}
		return drop, true
	case "DhcpClient":
		// RequestingState / DhcpReacquiringState: "Received NAK,
		// returning to INIT" (or StoppedState). A NAK for an old lease
		// after a roam is routine; DHCPDISCOVER follows. A note.
		if strings.HasPrefix(msg, "Received NAK") {
			return note("DHCPNAK")
		}
		// DhcpHaveLeaseState CMD_EXPIRE_DHCP: the lease ran out without
		// a renewal or rebind answered; notifyFailure(DHCP_FAILURE), and
		// IPv4 is lost.
		if strings.HasPrefix(msg, "Lease expired!") {
			return fail(diagnostics.KindDHCP, "lease expired")
		}
	case "wpa_supplicant":
		// driver_nl80211_capa.c wpa_driver_nl80211_capa: the driver
		// offers neither NL80211_CMD_AUTHENTICATE/ASSOCIATE nor
		// NL80211_CMD_CONNECT, so wpa_supplicant cannot use it as a
		// station ("Failed to initialize driver interface" follows).
		if strings.Contains(msg, "Driver does not support authentication/association or connect commands") {
			return fail(diagnostics.KindDevice, "driver cannot join (no connect command)")
		}
		return pass, true
	}
	if strings.Contains(msg, "NETWORK_DISCONNECTION_EVENT") {
		// Verbose logStateAndMessage, and the dumpsys history through
		// androidLogRec.
		g := reAndDisconnEv.FindStringSubmatch(msg)
		if g == nil {
			return drop, true
		}
		e.Kind, e.BSSID = diagnostics.KindDisconnect, normBSSID(g[1])
		e.Code, _ = strconv.Atoi(g[3])
		if g[2] == "1" {
			e.Code = -e.Code
		}
		return take, true
	}
	if strings.Contains(msg, "SUPPLICANT_STATE_CHANGE_EVENT") {
		// getLogRecString: " A1 A2" + StateChangeResult.toString(), "
		// SSID: S BSSID: B nid: N state: STATE" (SupplicantState's names;
		// FOUR_WAY_HANDSHAKE is wpa_supplicant's 4WAY_HANDSHAKE). Read as
		// wpa_supplicant's "State: ... -> STATE", which Android's
		// wpa_supplicant logs only at debug level: the history's
		// handshake then disconnection is the same evidence.
		g := reAndSuppState.FindStringSubmatch(msg)
		if g == nil {
			return drop, true
		}
		st := strings.ToUpper(g[2])
		switch st {
		case "FOUR_WAY_HANDSHAKE":
			st = "4WAY_HANDSHAKE"
		case "INVALID", "UNINITIALIZED":
			return drop, true
		}
		e.Kind, e.State, e.BSSID = diagnostics.KindSupplicantState, normState(st), normBSSID(g[1])
		return take, true
	}
	if strings.Contains(msg, "NETWORK_CONNECTION_EVENT") {
		// WifiMonitor sends it on wpa_supplicant's CTRL-EVENT-CONNECTED:
		// the association and key handshake completed (" A1 A2 BSSID
		// nid=N KEY ..."; the BSSID is the one before the event, so it is
		// not taken). Read as that line is, so that a dumpsys history's
		// disconnection followed by a reconnection ends connected.
		if !reAndConnEv.MatchString(msg) {
			return drop, true
		}
		e.Kind, e.State = diagnostics.KindSupplicantState, "completed"
		return take, true
	}
	return pass, false
}

// androidLogRecProg is the program logcatLogRec gives a `dumpsys wifi`
// state machine history line.
const androidLogRecProg = "StateMachine.LogRec"

// logcatLogRec reads one record of a state machine's history as `adb shell
// dumpsys wifi` prints it (StateMachine.dump: " rec[N]: " + LogRec.toString(),
// which is "time=MM-DD HH:MM:SS.mmm processed=S org=S dest=S what=W"
// then " " + the state machine's getLogRecString when it is not empty).
// The message is the line from "processed=" on; the tag "rec".
func logcatLogRec(lp *lineParser, s string) (lineInfo, bool) {
	if !strings.HasPrefix(s, "rec[") {
		return lineInfo{}, false
	}
	j := strings.Index(s, "]: time=")
	if j < 5 {
		return lineInfo{}, false
	}
	if _, ok := digits(s[4:j]); !ok {
		return lineInfo{}, false
	}
	rest := s[j+len("]: time="):]
	// The stamp is logcat's "MM-DD HH:MM:SS.mmm": read it as a threadtime
	// line's.
	if len(rest) < 19 || rest[18] != ' ' || !strings.HasPrefix(rest[19:], "processed=") {
		return lineInfo{}, false
	}
	li, ok := logcatEnvelope(lp, rest[:18]+"  0  0 I rec: x")
	if !ok {
		return lineInfo{}, false
	}
	li.tag, li.prog, li.msg = "rec", androidLogRecProg, rest[19:]
	return li, true
}

// androidLogRec reads a dumpsys history record: WifiStateMachine's and
// ClientModeImpl's records carry getLogRecString, the text verbose logging
// logs as " STATE " + that text, which parseAndroid reads. Records of
// other state machines, and records without that text, are dropped.
func androidLogRec(m *message) (parsed, match) {
	g := reAndLogRec.FindStringSubmatch(m.msg)
	if g == nil || g[2] == "" {
		return parsed{}, drop
	}
	info := g[2]
	for _, ev := range []string{"ASSOCIATION_REJECTION_EVENT", "AUTHENTICATION_FAILURE_EVENT", "NETWORK_DISCONNECTION_EVENT", "NETWORK_CONNECTION_EVENT", "SUPPLICANT_STATE_CHANGE_EVENT", "CMD_IP_CONFIGURATION_LOST"} {
		if strings.HasPrefix(strings.TrimLeft(info, "!(-0123456789)"), ev) {
			p, r := parseAndroid(newMessage(" "+g[1]+" "+info, "WifiStateMachine", "WifiStateMachine"))
			if r != take {
				return parsed{}, drop
			}
			return p, take
		}
	}
	return parsed{}, drop
}
