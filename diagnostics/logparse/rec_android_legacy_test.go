package logparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestAndroidLegacyLines: Android 4-8's framework wordings, wifi.c, the
// dumpsys history, wpa_supplicant's nl80211 capability line. Each line is
// built from the upstream string cited in rec_android_legacy.go.
func TestAndroidLegacyLines(t *testing.T) {
	f := diagnostics.Bool(false)
	src := diagnostics.SourceAndroid
	y := func(mo, d, h, mi, s, ms int) time.Time {
		return time.Date(2024, time.Month(mo), d, h, mi, s, ms*1e6, time.UTC)
	}
	tests := []struct {
		line string
		want diagnostics.Event
		ok   bool
	}{
		// SupplicantStateTracker.DisconnectedState.enter (4.0-5).
		{`D/SupplicantStateTracker(  470): Failed to authenticate, disabling network 2`,
			diagnostics.Event{Source: src, Kind: "psk_mismatch", Name: "authentication failed: network disabled"}, true},
		{`D/SupplicantStateTracker(  470): Association getting rejected, disabling network 2`,
			diagnostics.Event{Source: src, Kind: "note", Name: "association rejected: network disabled"}, true},
		// HandshakeState (4-8).
		{`01-18 21:09:47.901   470   520 D SupplicantStateTracker: Supplicant loop detected, disabling network 0`,
			diagnostics.Event{Time: y(1, 18, 21, 9, 47, 901), Source: src, Kind: "note", Name: "supplicant loop: network disabled"}, true},
		// Its state prose ("Supplicant state: ...", state names) is dropped.
		{`D/SupplicantStateTracker(  470): Supplicant state: AUTHENTICATING`, diagnostics.Event{}, false},
		// WifiStateMachine CMD_START_SUPPLICANT (5-7).
		{`E/WifiStateMachine(  470): Failed to reload STA firmware java.lang.IllegalStateException: command '41 softap fwreload wlan0 STA' failed with '400 41 Softap operation failed (Timer expired)'`,
			diagnostics.Event{Source: src, Kind: "note", Name: "STA firmware reload failed"}, true},
		{`E/WifiStateMachine(  470): Failed to load driver`,
			diagnostics.Event{Source: src, Kind: "device", OK: f, Name: "station interface setup failed"}, true},
		{`E/WifiStateMachine(  470): Failed to load driver for softap`,
			diagnostics.Event{Source: src, Kind: "note", Name: "softap driver load failed"}, true},
		{`E/WifiStateMachine(  470): Failed to setup control channel, restart supplicant`,
			diagnostics.Event{Source: src, Kind: "note", Name: "supplicant control channel failed: restarting"}, true},
		{`E/WifiStateMachine(  470): Failed 6 times to start supplicant, unload driver`,
			diagnostics.Event{Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, true},
		{`D/WifiStateMachine(  470): WifiStateMachine DHCP failure count=3`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f}, true},
		// WifiStateMachine.handleFailedIpConfiguration (4.0-4.4).
		{`E/WifiStateMachine(  470): IP configuration failed`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f, Name: "IP configuration failed"}, true},
		{`E/WifiStateMachine(  470): Failed 10 times, Disabling 2`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f, Name: "network disabled after DHCP failures"}, true},
		// WifiMonitor.startMonitoring (4-7).
		{`E/WifiMonitor(  470): startMonitoring(wlan0) failed!`,
			diagnostics.Event{Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant", Iface: "wlan0"}, true},
		{`D/WifiMonitor(  757): startMonitoring(wlan0) with mConnected = false`, diagnostics.Event{}, false},
		// wifi.c (tag WifiHW): at every start while wpa_supplicant comes up.
		{`E/WifiHW  (  757): Unable to open connection to supplicant on "@android:wpa_wlan0": No such file or directory`,
			diagnostics.Event{Source: src, Kind: "note", Name: "supplicant control socket not ready"}, true},
		{`E/WifiHW  (  757): Wi-Fi will not be enabled`,
			diagnostics.Event{Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, true},
		{`E/WifiHW  (  757): Cannot create "/data/misc/wifi/wpa_supplicant.conf": Permission denied`, diagnostics.Event{}, false},
		// WifiConfigStore (5-7).
		{`E/WifiConfigStore(  470): DHCP failure, blacklist "Home"WPA_PSK 2 num failures 10`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f, Name: "network disabled after DHCP failures"}, true},
		// Android 7 WifiConfigManager.updateNetworkSelectionStatus.
		{`D/WifiConfigManager(  470): Network:"Home"disable counter of NETWORK_SELECTION_DISABLED_DHCP_FAILURE is: 1and threshold is: 5`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f, Name: "disabled-dhcp-failure", SSID: "Home"}, true},
		{`D/WifiConfigManager(  470): Network:"Home"disable counter of NETWORK_SELECTION_DISABLED_ASSOCIATION_REJECTION  is: 1and threshold is: 5`,
			diagnostics.Event{Source: src, Kind: "note", Name: "disabled-association-rejection", SSID: "Home"}, true},
		// DhcpClient: a NAK is routine (old lease after a roam).
		{`06-23 10:00:03.426  1698  2130 D DhcpClient: Received NAK, returning to INIT`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "DHCPNAK"}, true},
		{`06-23 10:00:03.426  1698  2130 D DhcpClient: Lease expired!`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "dhcp", OK: f, Name: "lease expired"}, true},
		// Its other prose is dropped.
		{`06-23 10:00:03.426  1698  2130 D DhcpClient: Scheduling renewal in 43200s`, diagnostics.Event{}, false},
		// Verbose NETWORK_DISCONNECTION_EVENT (8-10): "nid" is the local flag.
		{`06-23 10:00:03.426  1698  2130 D WifiStateMachine:  ConnectedState !NETWORK_DISCONNECTION_EVENT rt=1234/5678 02:00:00:00:01:00 nid=0 reason=15`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "disconnect", BSSID: "02:00:00:00:01:00", Code: 15}, true},
		{`06-23 10:00:03.426  1698  2130 D WifiStateMachine:  ConnectedState NETWORK_DISCONNECTION_EVENT rt=1234/5678 02:00:00:00:01:00 nid=1 reason=3`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "disconnect", BSSID: "02:00:00:00:01:00", Code: -3}, true},
		// wpa_supplicant_8 driver_nl80211_capa.c under its logcat tag.
		{`E/wpa_supplicant( 3082): nl80211: Driver does not support authentication/association or connect commands`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "device", OK: f, Name: "driver cannot join (no connect command)"}, true},
		// Its other lines still go to wpa_supplicant's recognizers.
		{`E/wpa_supplicant( 3082): wlan0: Failed to initialize driver interface`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "device", OK: f, Name: "wpa_supplicant could not use the interface", Iface: "wlan0"}, true},
		// A vendor's private driver command refused (lib_driver_cmd): seen
		// on healthy phones, nothing.
		{`E/wpa_supplicant( 3082): wpa_driver_nl80211_driver_cmd: failed to issue private command: BTCOEXSCAN-STOP`, diagnostics.Event{}, false},
		// dumpsys wifi: the state machine history (StateMachine.LogRec).
		{` rec[12]: time=06-23 09:59:12.040 processed=ConnectModeState org=L2ConnectedState dest=<null> what=147499(0x2402b) !ASSOCIATION_REJECTION_EVENT rt=79536/79536  timedOut=0 17 02:00:00:00:01:00 blacklist=false`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_status", Code: 17, BSSID: "02:00:00:00:01:00"}, true},
		{`rec[3]: time=06-23 09:59:12.040 processed=ConnectModeState org=L2ConnectingState dest=<null> what=147463(0x24007) AUTHENTICATION_FAILURE_EVENT rt=79536/79536 2 -1`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "psk_mismatch"}, true},
		{`rec[4]: time=06-23 09:59:12.040 processed=ConnectModeState org=ConnectedState dest=DisconnectedState what=147460(0x24004) NETWORK_DISCONNECTION_EVENT rt=79536/79536 02:00:00:00:01:00 nid=1 reason=3`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "disconnect", BSSID: "02:00:00:00:01:00", Code: -3}, true},
		{`rec[5]: time=06-23 09:59:12.040 processed=L2ConnectedState org=ObtainingIpState dest=DisconnectingState what=131211(0x2008b) !CMD_IP_CONFIGURATION_LOST rt=79536/79536 0 0 failures: 1/9`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "dhcp", OK: f, Name: "IP configuration lost"}, true},
		{`rec[5]: time=06-23 09:59:14.040 processed=ConnectModeState org=DisconnectedState dest=<null> what=147459(0x24003) NETWORK_CONNECTION_EVENT rt=79538/79538 0 0 02:00:00:00:01:00 nid=0 "Home"WPA_PSK`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 14, 40), Source: src, Kind: "supplicant_state", State: "completed"}, true},
		// Android 8.x: (0, REASON).
		{`06-23 10:00:03.426  1698  2130 D WifiStateMachine:  ConnectModeState !AUTHENTICATION_FAILURE_EVENT rt=1234/5678 0 2`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "psk_mismatch"}, true},
		{`06-23 10:00:03.426  1698  2130 D WifiStateMachine:  ConnectModeState !AUTHENTICATION_FAILURE_EVENT rt=1234/5678 0 1`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "auth_timeout"}, true},
		{`rec[8]: time=06-23 09:59:12.040 processed=ConnectModeState org=L2ConnectingState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=79536/79536 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: FOUR_WAY_HANDSHAKE`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "supplicant_state", State: "4way_handshake", BSSID: "02:00:00:00:01:00"}, true},
		{`06-23 10:00:03.426  1698  2130 D WifiStateMachine:  ConnectModeState !SUPPLICANT_STATE_CHANGE_EVENT rt=1234/5678 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: DISCONNECTED`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "supplicant_state", State: "disconnected", BSSID: "02:00:00:00:01:00"}, true},
		// Other records (other state machines, no info) say nothing.
		{`rec[6]: time=06-23 09:59:12.040 processed=DefaultState org=UninitializedState dest=<null> what=147462(0x24006)`, diagnostics.Event{}, false},
		{`rec[7]: time=06-23 09:59:12.040 processed=ConnectModeState org=ConnectModeState dest=<null> what=151553(0x25001) CMD_START_SCAN rt=1/1 0 0`, diagnostics.Event{}, false},
	}
	for _, tt := range tests {
		_, p, ok := parseLogcat(tt.line)
		if ok != tt.ok {
			t.Errorf("%q: ok %v, want %v (%+v)", tt.line, ok, tt.ok, p.ev)
			continue
		}
		if !ok {
			continue
		}
		if diff := cmp.Diff(tt.want, p.ev); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
}

// splitLong is lineParser.split with the three lines it needs for -v
// long (rec_android_long.go), for the test until split has them.
func splitLong(lp *lineParser, st *logcatLong, b []byte) (lineInfo, bool) {
	hdr, skip, apply := st.line(lp, b)
	if skip {
		return lineInfo{}, false
	}
	li, ok := lp.split(b)
	if !ok {
		return li, false
	}
	if apply {
		hdr.msg = strings.TrimRight(string(b), "\r\n")
		return hdr, true
	}
	return li, true
}

func TestLogcatLong(t *testing.T) {
	log := `[ 01-18 21:09:47.901  1234: 5678 E/WifiStateMachine ]
Failed to load driver

[ 01-18 21:09:48.100  1234: 5679 I/ActivityManager ]
Start proc com.android.settings

[ 01-18 21:09:49.200   470:  520 D/SupplicantStateTracker ]
Failed to authenticate, disabling network 2

Failed to authenticate, disabling network 3
[ 2024-01-18 21:09:50.300  3082: 3082 E/wpa_supplicant ]
nl80211: Driver does not support authentication/association or connect commands

[ 01-18 21:09:51.000  1234: 5678 I/ActivityManager ]
Start proc com.android.settings
01-18 21:09:52.000  1234  5678 E WifiStateMachine: Failed 6 times to start supplicant, unload driver
`
	lp := newLineParser(2024)
	var st logcatLong
	var got []diagnostics.Event
	for _, l := range strings.Split(log, "\n") {
		li, ok := splitLong(&lp, &st, []byte(l))
		if !ok {
			continue
		}
		p, _, ok := parseLine(li.msg, li.prog, li.tag)
		if !ok {
			continue
		}
		p.ev.Time = li.t
		got = append(got, p.ev)
	}
	f := diagnostics.Bool(false)
	want := []diagnostics.Event{
		{Time: time.Date(2024, 1, 18, 21, 9, 47, 901e6, time.UTC), Source: "android", Kind: "device", OK: f, Name: "station interface setup failed"},
		{Time: time.Date(2024, 1, 18, 21, 9, 49, 200e6, time.UTC), Source: "android", Kind: "psk_mismatch", Name: "authentication failed: network disabled"},
		// The untagged line after the blank one is not the entry's.
		{Time: time.Date(2024, 1, 18, 21, 9, 50, 300e6, time.UTC), Source: "wpa_supplicant", Kind: "device", OK: f, Name: "driver cannot join (no connect command)"},
		// A threadtime line after an entry without its blank line is
		// read by its own envelope.
		{Time: time.Date(2024, 1, 18, 21, 9, 52, 0, time.UTC), Source: "android", Kind: "backend", OK: f, Name: "wpa_supplicant"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Not headers: dmesg, a bracketed paste, a header without its tag.
	for _, l := range []string{`[    0.000000] Booting Linux`, `[ 12.5: x ]`, `[ 01-18 21:09:47.901  1234: 5678 ]`, `[ info ] wlan0: up`} {
		lp := newLineParser(2024)
		if _, ok := logcatLongHeader(&lp, l); ok {
			t.Errorf("%q read as a -v long header", l)
		}
	}
}

// TestAndroidLegacyDiagnose: excerpts in the old wordings give the class
// the platform's lines say; look-alikes give none.
func TestAndroidLegacyDiagnose(t *testing.T) {
	tests := []struct {
		name, log string
		want      []diagnostics.Class
	}{
		// Android 5: wpa_supplicant never answers on its socket.
		{"supplicant never up", `01-18 21:09:40.000   470   520 D WifiStateMachine: CMD_START_SUPPLICANT
01-18 21:09:40.100   470   757 D WifiMonitor: startMonitoring(wlan0) with mConnected = false
01-18 21:09:40.120   470   757 E WifiHW  : Unable to open connection to supplicant on "@android:wpa_wlan0": No such file or directory
01-18 21:09:45.200   470   757 E WifiMonitor: startMonitoring(wlan0) failed!
01-18 21:09:45.210   470   520 E WifiStateMachine: Failed to setup control channel, restart supplicant
01-18 21:10:45.210   470   520 E WifiStateMachine: Failed 6 times to start supplicant, unload driver
`, []diagnostics.Class{diagnostics.BackendUnavailable}},
		// Look-alike: the socket is not there yet at start, then it is.
		{"supplicant slow to start", `01-18 21:09:40.100   470   757 D WifiMonitor: startMonitoring(wlan0) with mConnected = false
01-18 21:09:40.120   470   757 E WifiHW  : Unable to open connection to supplicant on "@android:wpa_wlan0": No such file or directory
01-18 21:09:40.220   470   757 E WifiHW  : Unable to open connection to supplicant on "@android:wpa_wlan0": No such file or directory
01-18 21:09:40.300  3082  3082 I wpa_supplicant: Successfully initialized wpa_supplicant
01-18 21:09:40.500   470   520 E WifiStateMachine: Failed to reload STA firmware java.lang.IllegalStateException
`, nil},
		// Look-alike: dumpsys wifi's history, a disconnection and the
		// reconnection that followed.
		{"dumpsys reconnect", ` rec[4]: time=06-23 09:59:12.040 processed=ConnectModeState org=ConnectedState dest=DisconnectedState what=147460(0x24004) NETWORK_DISCONNECTION_EVENT rt=79536/79536 02:00:00:00:01:00 nid=0 reason=4
 rec[5]: time=06-23 09:59:14.040 processed=ConnectModeState org=DisconnectedState dest=<null> what=147459(0x24003) NETWORK_CONNECTION_EVENT rt=79538/79538 0 0 02:00:00:00:01:00 nid=0 "Home"WPA_PSK
`, []diagnostics.Class{diagnostics.None}},
		// dumpsys history: the handshake, then the disconnection, three
		// times (what a wrong PSK looks like without wpa_supplicant's
		// debug lines), and a healthy join after a reconnection.
		{"dumpsys handshake loop", ` rec[1]: time=06-23 09:59:10.000 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: ASSOCIATING
 rec[2]: time=06-23 09:59:10.100 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: FOUR_WAY_HANDSHAKE
 rec[3]: time=06-23 09:59:10.200 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: DISCONNECTED
 rec[4]: time=06-23 09:59:10.300 processed=ConnectModeState org=DisconnectedState dest=<null> what=147460(0x24004) NETWORK_DISCONNECTION_EVENT rt=1/1 02:00:00:00:01:00 nid=0 reason=15
 rec[5]: time=06-23 09:59:10.400 processed=ConnectModeState org=DisconnectedState dest=<null> what=147463(0x24007) AUTHENTICATION_FAILURE_EVENT rt=1/1 0 2
`, []diagnostics.Class{diagnostics.WrongKey}},
		{"dumpsys healthy join", ` rec[1]: time=06-23 09:59:10.000 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: ASSOCIATING
 rec[2]: time=06-23 09:59:10.100 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: FOUR_WAY_HANDSHAKE
 rec[3]: time=06-23 09:59:10.200 processed=ConnectModeState org=DisconnectedState dest=<null> what=147462(0x24006) SUPPLICANT_STATE_CHANGE_EVENT rt=1/1 0 0 SSID: Home BSSID: 02:00:00:00:01:00 nid: 0 state: COMPLETED
 rec[4]: time=06-23 09:59:10.300 processed=ConnectModeState org=DisconnectedState dest=ObtainingIpState what=147459(0x24003) NETWORK_CONNECTION_EVENT rt=1/1 0 0 02:00:00:00:01:00 nid=0 "Home"WPA_PSK
`, nil},
		// Look-alike: Android 4's user switching Wi-Fi off and on.
		{"old toggle", `D/WifiService(  470): setWifiEnabled: false pid=2000, uid=1000
D/WifiService(  470): setWifiEnabled: true pid=2000, uid=1000
I/wpa_supplicant( 3082): wlan0: Trying to associate with 02:00:00:00:01:00 (SSID='Home' freq=2412 MHz)
I/wpa_supplicant( 3082): wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed (auth) [id=0 id_str=]
`, []diagnostics.Class{diagnostics.None}},
		// Look-alike: a background app's scans throttled while the phone
		// is connected.
		{"background throttle", `06-23 10:00:00.000  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null
06-23 10:00:01.000  2666  2666 I wpa_supplicant: wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]
06-23 10:00:30.000  1698  2130 E WifiScanRequestProxy: Scan request from com.example.bg throttled
06-23 10:00:40.000  1698  2130 E WifiScanRequestProxy: Scan request from com.example.bg throttled
`, []diagnostics.Class{diagnostics.None}},
		// Android 4.x: two handshake failures, the network disabled.
		{"old wrong key", `D/SupplicantStateTracker(  470): Failed to authenticate, disabling network 2
`, []diagnostics.Class{diagnostics.WrongKey}},
	}
	for _, tt := range tests {
		rep, err := Diagnose(context.Background(), strings.NewReader(tt.log), Options{Year: 2024, MaxLineBytes: 4096})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var got []diagnostics.Class
		for _, a := range rep.Attempts {
			got = append(got, a.Class)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: attempts (-want +got):\n%s", tt.name, diff)
		}
	}
}
