package logparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// parseLogcat runs one line through the envelopes and the recognizers, as
// the stream does (with the envelope's tag).
func parseLogcat(line string) (lineInfo, parsed, bool) {
	lp := newLineParser(2024)
	li, ok := lp.split([]byte(line))
	if !ok {
		return li, parsed{}, false
	}
	p, _, ok := parseLine(li.msg, li.prog, li.tag)
	p.ev.Time = li.t
	return li, p, ok
}

func TestLogcatEnvelope(t *testing.T) {
	tests := []struct {
		line           string
		tag, prog, msg string
		t              time.Time
	}{
		// brief: https://github.com/CyanogenDefy/android_device_motorola_jordan/issues/83
		{`I/wpa_supplicant( 2912): CTRL-EVENT-STATE-CHANGE id=-1 state=2 BSSID=00:00:00:00:00:00`,
			"wpa_supplicant", "wpa_supplicant", "CTRL-EVENT-STATE-CHANGE id=-1 state=2 BSSID=00:00:00:00:00:00", time.Time{}},
		// Android Studio: https://github.com/forcedotcom/ServiceSDK-Android/issues/131
		{`2019-04-16 22:25:20.902 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy`,
			"wificond", "wificond", "NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy", time.Date(2019, 4, 16, 22, 25, 20, 902e6, time.UTC)},
		// threadtime: https://github.com/JuanSeBestia/react-native-wifi-reborn/issues/124
		{`09-23 16:36:21.493  1649  3019 D ConnectivityService: NetworkAgentInfo [WIFI () - 149] EVENT_NETWORK_INFO_CHANGED, going from null to CONNECTING`,
			"ConnectivityService", "ConnectivityService", "NetworkAgentInfo [WIFI () - 149] EVENT_NETWORK_INFO_CHANGED, going from null to CONNECTING", time.Date(2024, 9, 23, 16, 36, 21, 493e6, time.UTC)},
		// threadtime, padded tag and Samsung's suffix (logprint.cpp's "%-8s:").
		{`  05-17 12:14:15.906  2044  2443 I WifiClientModeImpl[16509:wlan0]: up`,
			"WifiClientModeImpl[16509:wlan0]", "WifiClientModeImpl", "up", time.Date(2024, 5, 17, 12, 14, 15, 906e6, time.UTC)},
		{`05-17 12:27:34.246  1108 28893 D wifi    : setting scan oui`,
			"wifi", "wifi", "setting scan oui", time.Date(2024, 5, 17, 12, 27, 34, 246e6, time.UTC)},
		// time: "MM-DD HH:MM:SS.mmm L/TAG( PID): msg"
		{`07-02 17:46:11.230 D/WifiClientModeImpl[24001351:wlan0]( 1698): updateLinkLayerStats`,
			"WifiClientModeImpl[24001351:wlan0]", "WifiClientModeImpl", "updateLinkLayerStats", time.Date(2024, 7, 2, 17, 46, 11, 230e6, time.UTC)},
		// process: "L( PID) msg  (TAG)" (logprint.cpp FORMAT_PROCESS),
		// with -v uid's "NAME:" before the PID.
		{`E( 1499) NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy  (wificond)`,
			"wificond", "wificond", "NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy", time.Time{}},
		{`D( wifi: 1698) Scan result ready event  (WifiNative)`,
			"WifiNative", "WifiNative", "Scan result ready event", time.Time{}},
	}
	// -v uid (logprint.cpp: the uid's name when at most 5 characters, else
	// its number, before the PID).
	tests = append(tests, []struct {
		line           string
		tag, prog, msg string
		t              time.Time
	}{
		{`12-28 10:58:41.700  wifi   984   984 E android.hardware.wifi@1.0-service: Failed to load WiFi driver`,
			"android.hardware.wifi@1.0-service", "android.hardware.wifi@1.0-service", "Failed to load WiFi driver", time.Date(2024, 12, 28, 10, 58, 41, 700e6, time.UTC)},
		{`12-28 10:58:41.700  1000  1698  2130 E WifiNative: Failed to start vendor HAL`,
			"WifiNative", "WifiNative", "Failed to start vendor HAL", time.Date(2024, 12, 28, 10, 58, 41, 700e6, time.UTC)},
		{`12-28 10:58:41.700 E/WifiNative( 1000: 1698): Failed to start vendor HAL`,
			"WifiNative", "WifiNative", "Failed to start vendor HAL", time.Date(2024, 12, 28, 10, 58, 41, 700e6, time.UTC)},
		{`E/wificond( wifi:  743): Failed to get wiphy index`,
			"wificond", "wificond", "Failed to get wiphy index", time.Time{}},
		// -v epoch ("%19lld" seconds, right-aligned).
		{`         1719136803.426  1698  2130 E WifiNative: Failed to start vendor HAL`,
			"WifiNative", "WifiNative", "Failed to start vendor HAL", time.Date(2024, 6, 23, 10, 0, 3, 426e6, time.UTC)},
		{`1719136803.426 E/WifiNative( 1698): Failed to start vendor HAL`,
			"WifiNative", "WifiNative", "Failed to start vendor HAL", time.Date(2024, 6, 23, 10, 0, 3, 426e6, time.UTC)},
	}...)
	// Android Studio's Logcat window (rec_android_studio.go); long tags
	// are shortened in the middle.
	tests = append(tests, []struct {
		line           string
		tag, prog, msg string
		t              time.Time
	}{
		{`2023-11-15 20:03:34.311  1598-5473  WifiNative              system_server                        E  Failed to start vendor HAL`,
			"WifiNative", "WifiNative", "Failed to start vendor HAL", time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC)},
		{`2023-11-15 20:03:34.311  1598-5473  WifiClient...509:wlan0] system_server                        D  L2ConnectingState: Authentication failure  reason=2 error=-1`,
			"WifiClient...509:wlan0]", "WifiClientModeImpl", "L2ConnectingState: Authentication failure  reason=2 error=-1", time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC)},
		{`2023-11-15 20:03:34.311  1598-5473  Supplicant...alAidlImpl system_server                        E  Unable to obtain ISupplicant binder.`,
			"Supplicant...alAidlImpl", "SupplicantStaIfaceHalAidlImpl", "Unable to obtain ISupplicant binder.", time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC)},
		// A shortened tag no known tag fits is its own program.
		{`2023-11-15 20:03:34.311  1598-5473  Supplicant...xxxxxxxxxx system_server                        E  x`,
			"Supplicant...xxxxxxxxxx", "Supplicant...xxxxxxxxxx", "x", time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC)},
		{`2023-11-15 20:03:34.311  1598-5473  SEP_UNION_...tchService system_server                        D  update`,
			"SEP_UNION_...tchService", "SEP_UNION_...tchService", "update", time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC)},
	}...)
	for _, tt := range tests {
		lp := newLineParser(2024)
		li, ok := logcatEnvelope(&lp, tt.line)
		if !ok {
			t.Errorf("%q: not a logcat line", tt.line)
			continue
		}
		got := [4]any{li.tag, li.prog, li.msg, li.t}
		want := [4]any{tt.tag, tt.prog, tt.msg, tt.t}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
	// Other platforms' shapes are not logcat's.
	for _, line := range []string{
		`Nov 14 22:13:20 host wpa_supplicant[612]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16`,
		`2023-11-14 22:13:20.123456+01:00 host NetworkManager[612]: <info> x`,
		`2023-11-14 22:13:20.123456-0800 0x1234 Default 0x0 0 wifid: x`,
		`I (1070) wifi: STA_DISCONNECTED, reason:202`,
		`[   12.345678] wlan0: authenticate with 02:00:00:00:01:00`,
		`1700000000.123456: wlan0: CTRL-EVENT-SCAN-RESULTS`,
		// A short host name is not a uid column without PID and TID.
		`2023-11-14 22:13:20.123 host E something: x`,
		`2023-11-14 22:13:20.123 host prog[12]: x`,
		`1700000000.123456 wlan0: CTRL-EVENT-SCAN-RESULTS`,
		`1700000000.123 host prog[12]: x`,
	} {
		lp := newLineParser(2024)
		if li, ok := logcatEnvelope(&lp, line); ok {
			t.Errorf("%q: read as logcat: %+v", line, li)
		}
	}
}

func TestAndroidLines(t *testing.T) {
	f, tr := diagnostics.Bool(false), diagnostics.Bool(true)
	src := diagnostics.SourceAndroid
	y := func(mo, d, h, mi, s, ms int) time.Time {
		return time.Date(2024, time.Month(mo), d, h, mi, s, ms*1e6, time.UTC)
	}
	tests := []struct {
		line string
		want diagnostics.Event
		role role
		ok   bool
	}{
		// wpa_supplicant under its logcat tag goes to its own recognizer.
		// https://github.com/CyanogenDefy/android_device_motorola_jordan/issues/83
		{`I/wpa_supplicant( 2912): Trying to associate with SSID 'WLAN_9CDF'`,
			diagnostics.Event{Source: "wpa_supplicant", Kind: "note", Name: "trying to associate", SSID: "WLAN_9CDF"}, roleStartWpa, true},
		// ... WifiMonitor's echoes are not counted twice (same thread),
		// but for a timeout, which the log often has only as the echo.
		{`V/WifiMonitor( 2116): Event [Authentication with 00:00:00:00:00:00 timed out.]`,
			diagnostics.Event{Source: "android", Kind: "auth_timeout"}, roleNone, true},
		{`V/WifiMonitor( 2116): Event [Association with 02:00:00:00:01:00 timed out.]`,
			diagnostics.Event{Source: "android", Kind: "assoc_timeout", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		// AOSP WifiNative.setupInterfaceForClientMode and Android 4's
		// WifiStateMachine: the station interface could not be set up.
		{`E/WifiNative( 1200): Failed to create STA iface in vendor HAL`,
			diagnostics.Event{Source: "android", Kind: "device", OK: no, Name: "station interface setup failed"}, roleNone, true},
		{`E/WifiNative( 1200): Failed to setup iface in supplicant on Iface:{Name=wlan0,Id=0,Type=STA}`,
			diagnostics.Event{Source: "android", Kind: "backend", OK: no, Name: "wpa_supplicant"}, roleNone, true},
		{`E/WifiStateMachine(  512): Failed to load driver!`,
			diagnostics.Event{Source: "android", Kind: "device", OK: no, Name: "station interface setup failed"}, roleNone, true},
		{`V/WifiMonitor( 2116): Event [CTRL-EVENT-STATE-CHANGE id=3 state=0 BSSID=00:00:00:00:00:00]`,
			diagnostics.Event{}, roleNone, false},
		// Android 6 threadtime, wpa_supplicant's own line (the shape of
		// the Thali project's published test logs; no thread URL kept, so
		// it is not a tuning source).
		{`08-29 15:17:57.825  1466  1466 I wpa_supplicant: wlan0: CTRL-EVENT-DISCONNECTED bssid=f4:f2:6d:22:99:3e reason=3 locally_generated=1`,
			diagnostics.Event{Time: y(8, 29, 15, 17, 57, 825), Source: "wpa_supplicant", Kind: "disconnect", Code: -3, BSSID: "f4:f2:6d:22:99:3e", Iface: "wlan0"}, roleNone, true},
		// wificond refusing a trigger: https://github.com/forcedotcom/ServiceSDK-Android/issues/131
		{`2019-04-16 22:25:20.902 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy`,
			diagnostics.Event{Time: time.Date(2019, 4, 16, 22, 25, 20, 902e6, time.UTC), Source: src, Kind: "scan_busy", Code: -16, Name: "EBUSY"}, roleNone, true},
		// EAGAIN in bionic's strerror ("Try again"): the driver's own
		// scan or connection (bcmdhd, brcmfmac) refused the trigger.
		{`05-20 21:34:20.433 E/wificond(1499): NL80211_CMD_TRIGGER_SCAN failed: Try again`,
			diagnostics.Event{Time: y(5, 20, 21, 34, 20, 433), Source: src, Kind: "scan_busy", Code: -11, Name: "EAGAIN"}, roleNone, true},
		// ENETDOWN (the interface is down: crdroidandroid/issue_tracker#418)
		// stays a failed scan.
		{`05-20 21:34:20.433 E/wificond(1499): NL80211_CMD_TRIGGER_SCAN failed: Network is down`,
			diagnostics.Event{Time: y(5, 20, 21, 34, 20, 433), Source: src, Kind: "scan_done", OK: diagnostics.Bool(false), Name: "Network is down"}, roleNone, true},
		// The framework's lines, in the shapes ClientModeImpl.java,
		// WificondScannerImpl.java, WifiNative.java, ScanRequestProxy.java
		// and WifiBlocklistMonitor.java build them
		// (https://android.googlesource.com/platform/packages/modules/Wifi/+/refs/heads/main/service/java/com/android/server/wifi/).
		// The rejection's words are those quoted from a Pixel's logcat in a
		// public repository's notes (a Fujifilm camera refusing association).
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Association rejection ssid: "FUJIFILM-X-T10-1EB1" bssid: 00:c0:2d:b7:a0:c0 statusCode: 1 timedOut: true oceRssiBasedAssocRejectInfo: null mboAssocDisallowedInfo: null`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_timeout", SSID: "FUJIFILM-X-T10-1EB1", BSSID: "00:c0:2d:b7:a0:c0", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[16509:wlan0]: L2ConnectingState: Association rejection ssid: "Home" bssid: 02:00:00:00:01:00 statusCode: 17 timedOut: false oceRssiBasedAssocRejectInfo: null mboAssocDisallowedInfo: null`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_status", Code: 17, SSID: "Home", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "psk_mismatch", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=1 error=-1`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "auth_timeout", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.037  1698  2130 D WifiClientModeImpl[wlan0]: Network not found event received: network: "Home"`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 37), Source: src, Kind: "scan_verdict", Name: "absent", SSID: "Home", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.037  1698  2130 D WifiClientModeImpl[wlan0]: ConnectingOrConnectedState: Network disconnection  ssid: "Home" bssid: 02:00:00:00:01:00 reasonCode: 15 locallyGenerated: false`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 37), Source: src, Kind: "disconnect", Code: 15, SSID: "Home", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 11, 949), Source: src, Kind: "activation_start", Name: "Home", SSID: "Home"}, roleStartRequest, true},
		{`06-23 09:59:11.900  1698  2130 D WifiClientModeImpl[wlan0]: CMD_START_CONNECT  my state DisconnectedState nid=3 roam=false`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 11, 900), Source: src, Kind: "activation_start", Name: "netId 3", Iface: "wlan0"}, roleStartRequest, true},
		{`06-23 09:59:20.000  1698  2130 V WifiBlocklistMonitor: Disable counter for network "Home" for reason NETWORK_SELECTION_DISABLED_AUTHENTICATION_FAILURE is 1 and threshold is 3`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "note", Name: "disabled-authentication-failure", SSID: "Home"}, roleNone, true},
		{`06-23 09:59:20.000  1698  2130 D WifiConfigManager: setNetworkSelectionStatus: configKey="Home"WPA_PSK networkStatus=NETWORK_SELECTION_PERMANENTLY_DISABLED disableReason=NETWORK_SELECTION_DISABLED_BY_WRONG_PASSWORD`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "psk_mismatch", Name: "disabled-by-wrong-password"}, roleTerminal, true},
		// dumpsys wifi's LocalLog has no logcat envelope.
		{`2024-06-23T09:59:20.000 - setNetworkSelectionStatus: configKey="Home"WPA_PSK networkStatus=NETWORK_SELECTION_TEMPORARY_DISABLED disableReason=NETWORK_SELECTION_DISABLED_DHCP_FAILURE`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "dhcp", OK: f, Name: "disabled-dhcp-failure"}, roleNone, true},
		{`06-23 10:00:03.426  1100  1100 E WificondScannerImpl: Failed to start scan, freqs=[2412, 2437] status: -6`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Code: -6, Name: "EBUSY"}, roleNone, true},
		{`06-23 10:00:03.426  1100  1100 W WificondScannerImpl: Scan failed: error code: -7`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_aborted", Code: -7}, roleNone, true},
		{`06-23 10:00:03.426  1100  1100 E WifiScanRequestProxy: Scan failure received. reason: -6,description: Scan failed - Device or resource busy`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Code: -6, Name: "EBUSY"}, roleNone, true},
		{`06-23 10:00:03.426  1100  1100 D WifiNative: Scan result ready event`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: tr}, roleNone, true},
		{`06-23 10:00:03.426  1100  1100 D WifiNative: Scan failed event`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_aborted"}, roleNone, true},
		{`06-23 10:00:03.426  1748  1748 W wificond: Scan aborted`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_aborted"}, roleNone, true},
		{`06-23 10:00:03.426  1748  1748 E wificond: Failed to trigger scan`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Name: "refused"}, roleNone, true},
		{`06-23 10:00:03.426  1748  1748 E wificond: NL80211_CMD_TRIGGER_SCAN failed: Invalid argument`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: f, Name: "Invalid argument"}, roleNone, true},
		// WifiService, Android 6 (WifiServiceImpl's "setWifiEnabled: %b pid=").
		{`09-13 16:33:35.701  1158  2632 D WifiService: setWifiEnabled: false pid=6042, uid=10136`,
			diagnostics.Event{Time: y(9, 13, 16, 33, 35, 701), Source: src, Kind: "radio", OK: f, Name: "wifi-disabled"}, roleNone, true},
		// ScanRequestProxy's throttle (Android 9+), Android Studio export:
		// https://github.com/wiglenet/wigle-wifi-wardriving/issues/251
		{`08-07 09:26:20.882 914-1445/? I/WifiScanRequestProxy: Scan request from net.wigle.wigleandroid throttled`,
			diagnostics.Event{Time: y(8, 7, 9, 26, 20, 882), Source: src, Kind: "scan_busy", Name: "throttled"}, roleNone, true},
		// Eclipse DDMS export ("MM-DD HH:MM:SS.mmm: L/Tag(pid):  msg"):
		// https://github.com/VREMSoftwareDevelopment/WiFiAnalyzer/issues/278
		{`01-18 21:09:47.901: I/WifiScanRequestProxy(1265):  Scan request from com.vrem.wifianalyzer throttled`,
			diagnostics.Event{Time: y(1, 18, 21, 9, 47, 901), Source: src, Kind: "scan_busy", Name: "throttled"}, roleNone, true},
		// WifiServiceImpl's own line that follows is dropped (the proxy's decides).
		{`01-18 21:09:47.901: E/WifiService(1265):  Failed to start scan`,
			diagnostics.Event{}, roleNone, false},
		// setWifiEnabled refused in airplane mode:
		// https://github.com/yolosec/routerkeygenAndroid/issues/13
		{`03-19 16:15:30.488   564  1398 I WifiService: setWifiEnabled in Airplane mode: only Settings can enable wifi`,
			diagnostics.Event{Time: y(3, 19, 16, 15, 30, 488), Source: src, Kind: "radio", OK: f, Name: "airplane-mode"}, roleNone, true},
		{`03-19 16:15:30.488   564  1398 I WifiService: setWifiEnabled package=net.yolosec.routerkeygen2 uid=10180 enable=true`,
			diagnostics.Event{Time: y(3, 19, 16, 15, 30, 488), Source: src, Kind: "radio", OK: tr}, roleNone, true},
		// libnetutils' dhcp_do_request error as pasted, no envelope:
		// https://zmdao.com/article/20211207194414.html
		{`DHCP request error:Timed out waiting for dhcpcd to start`,
			diagnostics.Event{Source: src, Kind: "dhcp", OK: f, Name: "dhcpcd did not start"}, roleNone, true},
		// Wi-Fi does not start: the HAL service (hardware/interfaces/wifi
		// wifi_mode_controller.cpp, wifi.cpp), WifiVendorHal, WifiNative,
		// HalDeviceManager, wificond (server.cpp, scanner_impl.cpp).
		{`12-28 10:58:41.700  wifi   984   984 E android.hardware.wifi@1.0-service: Failed to load WiFi driver`,
			diagnostics.Event{Time: y(12, 28, 10, 58, 41, 700), Source: src, Kind: "device", OK: f, Name: "driver load failed"}, roleNone, true},
		{`E/android.hardware.wifi@1.0-service.legacy(  612): Failed to initialize legacy HAL: NOT_SUPPORTED`,
			diagnostics.Event{Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`E/android.hardware.wifi@1.0-service(  612): Failed to initialize firmware mode controller`,
			diagnostics.Event{Source: src, Kind: "device", OK: f, Name: "firmware mode failed"}, roleNone, true},
		{`06-23 10:00:03.426   612   612 E android.hardware.wifi-service: Wifi HAL start failed`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`06-23 10:00:03.426   612   612 I android.hardware.wifi-service: Wifi HAL started`,
			diagnostics.Event{}, roleNone, false},
		// The supplicant's HAL is not the Wi-Fi HAL's.
		{`06-23 10:00:03.426   612   612 E android.hardware.wifi.supplicant: Failed to load WiFi driver`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E WifiVendorHal: Failed to start vendor HAL`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNative: Failed to start vendor HAL`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNative: Failed to create iface in vendor HAL`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "station interface setup failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNative: Failed to setup iface in wificond=wlan0`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "station interface setup failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiClientModeManager[3:unknown]: Failed to create ClientInterface. Sit in Idle`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "station interface setup failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D WifiClientModeManager[3:wlan0]: entering StartedState`,
			diagnostics.Event{}, roleNone, false},
		// The tags the classes really log under (HalDevMgr, WifiSelfRecovery).
		{`06-23 10:00:03.426  1698  2130 E HalDevMgr: Cannot start IWifi. Status: 9`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiSelfRecovery: Already restarted wifi 2 times in last 1 hour. Disabling wifi`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "native failures: wifi disabled"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiSelfRecovery: Triggering recovery for reason: WifiNative Failure`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "wifi restart: WifiNative Failure"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D HalDevMgr: startWifi`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E HalDeviceManager: Cannot start IWifi. Status: 9`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E HalDeviceManager: Cannot start wifi because unavailable. Retrying...`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E HalDeviceManager: Cannot start IWifi: {.code = ERROR_NOT_AVAILABLE, .description = HAL is stopping}, Retrying...`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E HalDeviceManager: Cannot start IWifi: {.code = ERROR_UNKNOWN, .description = }`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL failed"}, roleNone, true},
		// Android 8-10's verbose state machine log (getLogRecString).
		{`06-23 09:59:12.040  1000  1698  2130 D WifiStateMachine:  ConnectModeState !ASSOCIATION_REJECTION_EVENT rt=3564370/3564370  timedOut=0 17 02:00:00:00:01:00 blacklist=false`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_status", Code: 17, BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D ClientModeImpl:  ConnectModeState !ASSOCIATION_REJECTION_EVENT rt=3564370/3564370  timedOut=1 1 02:00:00:00:01:00 blacklist=true`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_timeout", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]:  L2ConnectingState !ASSOCIATION_REJECTION_EVENT rt=3564370/3564370  ssid: "Home" bssid: 02:00:00:00:01:00 statusCode: 17 timedOut: false oceRssiBasedAssocRejectInfo: null mboAssocDisallowedInfo: null`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "assoc_status", Code: 17, SSID: "Home", BSSID: "02:00:00:00:01:00", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:12.040  1000  1698  2130 D WifiStateMachine:  ConnectModeState !AUTHENTICATION_FAILURE_EVENT rt=3564370/3564370 2 -1`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "psk_mismatch"}, roleNone, true},
		{`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]:  L2ConnectingState !AUTHENTICATION_FAILURE_EVENT uid=1000 rt=3564370/3564370 3 32760`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 12, 40), Source: src, Kind: "note", Name: "eap-failure error=32760", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:42.040  1698  2130 D WifiClientModeImpl[wlan0]:  L2ConnectedState !CMD_IP_CONFIGURATION_LOST rt=3564370/3564370 0 0`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 42, 40), Source: src, Kind: "dhcp", OK: f, Name: "IP configuration lost", Iface: "wlan0"}, roleNone, true},
		{`06-23 09:59:42.040  1698  2130 D WifiClientModeImpl[wlan0]: sending CMD_IP_CONFIGURATION_LOST`,
			diagnostics.Event{}, roleNone, false},
		// Android 7's scanner drives wpa_supplicant's SCAN command
		// (SupplicantWifiScannerImpl.startSingleScan).
		{`06-23 10:00:03.426  1698  2130 E SupplicantWifiScannerImpl: Failed to start scan, freqs=[2412, 2437]`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: f, Name: "start failed"}, roleNone, true},
		// PNO (offloaded background) scans fail on healthy phones: not a
		// refused scan (WifiNative PnoScanEventCallback,
		// WifiConnectivityManager's PnoScanListener).
		{`06-23 10:00:03.426  1698  2130 D WifiNative: Pno Scan failed event`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 V WifiConnectivityManager: PnoScanListener onFailure: reason: -1 description: pno scan failed`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 V WifiConnectivityManager: SingleScanListener onFailure: reason: -6 description: Scan failed - Device or resource busy`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Code: -6, Name: "EBUSY"}, roleNone, true},
		// Android 8-10: WificondControl relays wificond's scan events
		// (WifiNative logs them from 11 on, and WifiNl80211Manager's copy
		// is dropped).
		{`06-23 10:00:03.426  1698  2130 D WificondControl: Scan result ready event`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: tr}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D WificondControl: Scan failed event`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_aborted"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D WificondControl: Pno Scan failed event`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 D WifiNl80211Manager: Scan result ready event`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E WificondScannerImpl: Timed out waiting for scan result from wificond`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: f, Code: -10, Name: "REASON_TIMEOUT"}, roleNone, true},
		{`06-23 10:00:03.426   743   743 E wificond: Failed to get wiphy index`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "driver unavailable"}, roleNone, true},
		{`06-23 10:00:03.426   743   743 F wificond: scanner_impl.cpp:190] Check failed: error_code != ENODEV (19 vs. 19) Driver is in a bad state, restarting wificond`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "driver unavailable"}, roleNone, true},
		{`06-23 10:00:03.426   743   743 E wificond: Failed to get interfaces info from kernel for iface_name wlan0 wiphy_index 0`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "driver unavailable"}, roleNone, true},
		{`06-23 10:00:03.426   743   743 E wificond: No usable interface found`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "driver unavailable"}, roleNone, true},
		{`06-23 10:00:03.426   743   743 W wificond: Scan already started`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E WifiNl80211Manager: Could not get IClientInterface instance from wificond`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "station interface setup failed"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WificondControl: Failed to get reference to wificond`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wificond"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D WifiNl80211Manager: Setting up interface for client mode: wlan0`,
			diagnostics.Event{}, roleNone, false},
		// wpa_supplicant's HAL does not come up (WifiNative,
		// SupplicantStaIfaceHal{HidlImpl,AidlImpl}).
		{`06-23 10:00:03.426  1698  2130 E WifiNative: Failed to startup supplicant`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNative: Failed to connect to supplicant`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHalHidlImpl: Exception while trying to start supplicant: java.util.NoSuchElementException`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHalAidlImpl: Unable to obtain ISupplicant binder.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHal: ISupplicant.getService exception: android.os.RemoteException`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		// A native daemon died while Wi-Fi was on (WifiNative's death
		// handlers), and the restart's lines that lift it.
		{`06-23 10:00:03.426  1698  2130 I WifiNative: wpa_supplicant died. Cleaning up internal state.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant died"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 I WifiNative: wificond died. Cleaning up internal state.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "wificond died"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 I WifiNative: Vendor HAL died. Cleaning up internal state.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "vendor HAL died"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 I WifiNative: hostapd died. Cleaning up internal state.`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:04.426  1698  2130 I WifiNative: Successfully setup Iface:{Name=wlan0,Id=1,Type=STA_SCAN}`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 4, 426), Source: src, Kind: "device", OK: tr, Name: "station interface up"}, roleNone, true},
		{`06-23 10:00:04.426  1698  2130 I WifiNative: Successfully setup Iface:{Name=wlan1,Id=2,Type=AP}`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:04.526  1698  2130 I WifiNative: Successfully switched to connectivity mode on iface=Iface:{Name=wlan0,Id=1,Type=STA_CONNECTIVITY}`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 4, 526), Source: src, Kind: "backend", OK: tr, Name: "wpa_supplicant running"}, roleNone, true},
		{`06-23 10:00:04.426  1698  2130 I SupplicantStaIfaceHalAidlImpl: Obtained ISupplicant binder.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 4, 426), Source: src, Kind: "backend", OK: tr, Name: "wpa_supplicant running"}, roleNone, true},
		{`06-23 10:00:04.426  1698  2130 I SupplicantStaIfaceHal: Completed initialization of ISupplicant.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 4, 426), Source: src, Kind: "backend", OK: tr, Name: "wpa_supplicant running"}, roleNone, true},
		// The death recipients also fire on an orderly stop: not read.
		{`06-23 10:00:03.426  1698  2130 W SupplicantStaIfaceHalAidlImpl: ISupplicant binder died. who=android.os.BinderProxy@1, service=null`,
			diagnostics.Event{}, roleNone, false},
		// ClientModeImpl.connectToNetwork: wpa_supplicant refused the
		// request; the attempt ends without a stated cause.
		{`06-23 09:59:11.900  1698  2130 E WifiClientModeImpl[wlan0]: CMD_START_CONNECT Failed to start connection to network  ID: 3 SSID: "Home" PROVIDER-NAME: null BSSID: null FQDN: null`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 11, 900), Source: src, Kind: "note", Name: "connect request not accepted by wpa_supplicant", Iface: "wlan0"}, roleTerminal, true},
		// Wi-Fi off when an app asked for a network (WifiNetworkFactory);
		// a user's airplane toggle is a note (ActiveModeWarden).
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Request with wifi network specifier when wifi is off.Rejecting`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "radio", OK: f, Name: "wifi-off"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Wifi off. Rejecting`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "radio", OK: f, Name: "wifi-off"}, roleNone, true},
		// An app's WifiNetworkSpecifier request refused by acceptRequest.
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Request with wifi network specifier cannot contain NET_CAPABILITY_INTERNET. Rejecting`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "invalid_input", Name: "network request with NET_CAPABILITY_INTERNET"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Invalid network specifier: WifiNetworkSpecifier [, SSID Match pattern=PatternMatcher{LITERAL: Cam}]. Rejecting`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "invalid_input", Name: "invalid network specifier"}, roleTerminal, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Request not from foreground app or service. Rejecting request from com.example.cam`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "permission", Name: "network request not from a foreground app"}, roleTerminal, true},
		{`06-23 10:00:03.426  1698  2130 W WifiNetworkFactory: User dismissed notification, cancelling NetworkRequest [ REQUEST id=12 ]`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "permission", Name: "network request dismissed by the user"}, roleTerminal, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Request cannot override active request. Rejecting request from com.example.cam`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "network request refused: another app's request holds wifi"}, roleTerminal, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Connection failures, cancelling "Cam"WPA_PSK`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "network request given up after connection failures"}, roleTerminal, true},
		{`06-23 10:00:03.426  1698  2130 W WifiNetworkFactory: Wifi off, cancelling NetworkRequest [ REQUEST id=12 ]`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "wifi switched off: network request cancelled"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 I WifiNetworkFactory: App released active request, cancelling NetworkRequest [ REQUEST id=12 ]`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Timed-out connecting to network`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "network request connection timed out"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Scan failure received. reason: -6, description: Scan failed - Device or resource busy`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Code: -6, Name: "EBUSY"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D ActiveModeWarden: Wifi disabled on APM, disable wifi`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "airplane mode on: wifi disabled"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D ActiveModeWarden: Airplane mode toggled`,
			diagnostics.Event{}, roleNone, false},
		{`06-23 10:00:03.426  1698  2130 D WifiController: Airplane mode toggled, shutdown all modes`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "airplane mode on: wifi disabled"}, roleNone, true},
		// SelfRecovery switching Wi-Fi off after native failures.
		{`06-23 10:00:03.426  1698  2130 E SelfRecovery: Triggering recovery for reason: WifiNative Failure`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "wifi restart: WifiNative Failure"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SelfRecovery: Already restarted wifi 2 times in last 1 hour. Disabling wifi`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "native failures: wifi disabled"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SelfRecovery: STA interface down, disable wifi`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "interface down: wifi disabled"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 D WifiController: Recovery has been throttled, disable wifi`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "native failures: wifi disabled"}, roleNone, true},
		// WifiServiceImpl.setWifiEnabled refusals.
		{`06-23 10:00:03.426  1698  2130 E WifiService: setWifiEnabled not allowed as satellite mode is on.`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "radio", OK: f, Name: "satellite-mode"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 I WifiService: setWifiEnabled not allowed for uid=10180`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "permission", OK: f, Name: "setWifiEnabled refused"}, roleNone, true},
		// The scanning service (WificondScannerImpl, WifiScanningServiceImpl).
		{`06-23 10:00:03.426  1698  2130 W WificondScannerImpl: A single scan is already running`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_busy", Name: "already running"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E WifiScanningService: Failed to start single scan on wlan0`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "scan_done", OK: f, Name: "start failed", Iface: "wlan0"}, roleNone, true},
		// IpClient's immediate provisioning failures (IpManagerEvent types).
		{`06-23 10:00:03.426  2400  2466 E IpClient.wlan0: onProvisioningFailure(): 4`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "dhcp", OK: f, Name: "IPv4 provisioning did not start", Iface: "wlan0"}, roleNone, true},
		{`06-23 10:00:03.426  2400  2466 E IpClient.wlan0: onProvisioningFailure(): 8`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "device", OK: f, Name: "interface not found", Iface: "wlan0"}, roleNone, true},
		{`06-23 10:00:03.426  2400  2466 E IpClient.wlan0: onProvisioningFailure(): 5`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "note", Name: "onProvisioningFailure 5", Iface: "wlan0"}, roleNone, true},
		{`06-23 10:00:03.426  2400  2466 D IpClient.wlan0: interface params: wlan0(24)`,
			diagnostics.Event{}, roleNone, false},
		// Android Studio's Logcat window, shortened tags.
		{`2023-11-15 20:03:34.311  1598-5473  WifiClient...509:wlan0] system_server                        D  L2ConnectingState: Authentication failure  reason=2 error=-1`,
			diagnostics.Event{Time: time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC), Source: src, Kind: "psk_mismatch", Iface: "wlan0"}, roleNone, true},
		{`2023-11-15 20:03:34.311   984-984   android.ha....0-service pid-984                             E  Failed to load WiFi driver`,
			diagnostics.Event{Time: time.Date(2023, 11, 15, 20, 3, 34, 311e6, time.UTC), Source: src, Kind: "device", OK: f, Name: "driver load failed"}, roleNone, true},
		{`2023-11-15 20:03:34.311   612-612   android.ha....0-service pid-612                             I  battery level changed`,
			diagnostics.Event{}, roleNone, false},
		// WifiBlocklistMonitor's local log as dumpsys wifi prints it.
		{`2024-06-23T09:59:20.000 - WifiBlocklistMonitor addToBlocklist: bssid=02:00:00:00:01:00, ssid="Home", durationMs=300000, reason=REASON_WRONG_PASSWORD, rssi=-52`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "psk_mismatch", Name: "wrong-password", SSID: "Home", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`2024-06-23T09:59:20.000 - WifiBlocklistMonitor addToBlocklist: bssid=02:00:00:00:01:00, ssid="Home", durationMs=300000, reason=REASON_DHCP_FAILURE, rssi=-52`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "dhcp", OK: f, Name: "dhcp-failure", SSID: "Home", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`2024-06-23T09:59:20.000 - WifiBlocklistMonitor addToBlocklist: bssid=02:00:00:00:01:00, ssid="Home", durationMs=300000, reason=REASON_ASSOCIATION_TIMEOUT, rssi=-52`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "assoc_timeout", Name: "association-timeout", SSID: "Home", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`2024-06-23T09:59:20.000 - WifiBlocklistMonitor addToBlocklist: bssid=02:00:00:00:01:00, ssid="Home", durationMs=300000, reason=REASON_NETWORK_VALIDATION_FAILURE, rssi=-52`,
			diagnostics.Event{Time: y(6, 23, 9, 59, 20, 0), Source: src, Kind: "note", Name: "network-validation-failure", SSID: "Home", BSSID: "02:00:00:00:01:00"}, roleNone, true},
		{`06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHal: Got null ISupplicant service. Stopping supplicant HIDL startup`,
			diagnostics.Event{Time: y(6, 23, 10, 0, 3, 426), Source: src, Kind: "backend", OK: f, Name: "wpa_supplicant"}, roleNone, true},
		// WifiUtils (app library): WifiManager.startScan() refused.
		// https://github.com/ThanosFisherman/WifiUtils/issues/55
		{`D/WifiUtils: WifiUtils: ERROR COULDN'T SCAN`,
			diagnostics.Event{Source: src, Kind: "scan_busy", Name: "refused"}, roleNone, true},
		{`D/WifiUtils: WifiUtils: START SCANNING....`,
			diagnostics.Event{}, roleNone, false},
		// Framework prose under a known tag is dropped, not handed on.
		{`06-23 10:00:03.426  1698  2130 D WifiClientModeImpl[wlan0]: Associated with 02:00:00:00:01:00 timed out`,
			diagnostics.Event{}, roleNone, false},
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
		if p.role != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, p.role, tt.role)
		}
	}
}

// TestAndroidDiagnose: small logcat excerpts give the class the platform's
// own lines say.
func TestAndroidDiagnose(t *testing.T) {
	tests := []struct {
		name, log string
		want      diagnostics.Class
	}{
		// Repeated refused triggers: https://github.com/forcedotcom/ServiceSDK-Android/issues/131
		{"wificond busy", `2019-04-16 22:25:20.902 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy
2019-04-16 22:27:35.874 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy
2019-04-16 22:27:40.879 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy
2019-04-16 22:27:45.887 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy
`, diagnostics.ScanBusy},
		{"wrong password", `11-28 23:14:20.100  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null
11-28 23:14:22.200  2666  2666 I wpa_supplicant: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect
11-28 23:14:22.228  2666  2666 I wpa_supplicant: wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid="Home" auth_failures=1 duration=10 reason=WRONG_KEY
11-28 23:14:22.300  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1
`, diagnostics.WrongKey},
		{"association refused", `06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Cam"NONE, actualSsid=null
06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Association rejection ssid: "Cam" bssid: 00:c0:2d:b7:a0:c0 statusCode: 17 timedOut: false oceRssiBasedAssocRejectInfo: null mboAssocDisallowedInfo: null
`, diagnostics.AssocRejected},
		{"not found", `06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Gone"WPA_PSK, actualSsid=null
06-23 09:59:12.037  1698  2130 D WifiClientModeImpl[wlan0]: Network not found event received: network: "Gone"
`, diagnostics.NotFound},
		// Wi-Fi switched on, the HAL cannot load the driver.
		{"driver load", `12-28 10:58:41.690  1000  1698  1780 I WifiService: setWifiEnabled package=com.android.settings uid=1000 enable=true isPrivileged=true
12-28 10:58:41.700  wifi   984   984 E android.hardware.wifi@1.0-service: Failed to load WiFi driver
12-28 10:58:41.700  wifi   984   984 E android.hardware.wifi@1.0-service: Wifi HAL start failed
12-28 10:58:41.702  1000  1698  1780 E WifiVendorHal: Failed to start vendor HAL
12-28 10:58:41.702  1000  1698  1780 E WifiNative: Failed to start vendor HAL
12-28 10:58:41.702  1000  1698  1780 E WifiNative: Failed to start Hal
`, diagnostics.DeviceUnavailable},
		{"supplicant HAL", `06-23 10:00:03.400  1698  2130 I WifiService: setWifiEnabled package=com.android.settings uid=1000 enable=true isPrivileged=true
06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHalAidlImpl: Unable to obtain ISupplicant binder.
06-23 10:00:03.426  1698  2130 E WifiNative: Failed to startup supplicant
06-23 10:00:03.426  1698  2130 E WifiNative: Failed to connect to supplicant
06-23 10:00:03.426  1698  2130 E WifiNative: Failed to start supplicant
`, diagnostics.BackendUnavailable},
		// wpa_supplicant died mid-join and the capture ends before the
		// restart: the backend went away.
		{"supplicant died", `06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null
06-23 09:59:12.100  1698  2130 I WifiNative: wpa_supplicant died. Cleaning up internal state.
06-23 09:59:12.110  1698  2130 E SelfRecovery: Triggering recovery for reason: WifiNative Failure
`, diagnostics.BackendUnavailable},
		// The restart brought it back and the join then failed on its own
		// account: the death no longer decides.
		{"supplicant died, restarted, wrong key", `06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null
06-23 09:59:12.100  1698  2130 I WifiNative: wpa_supplicant died. Cleaning up internal state.
06-23 09:59:12.110  1698  2130 E SelfRecovery: Triggering recovery for reason: WifiNative Failure
06-23 09:59:13.000  1698  2130 I WifiNative: Successfully setup Iface:{Name=wlan0,Id=2,Type=STA_SCAN}
06-23 09:59:13.100  1698  2130 I SupplicantStaIfaceHalAidlImpl: Obtained ISupplicant binder.
06-23 09:59:13.200  1698  2130 I WifiNative: Successfully switched to connectivity mode on iface=Iface:{Name=wlan0,Id=2,Type=STA_CONNECTIVITY}
06-23 09:59:14.000  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Home"WPA_PSK, actualSsid=null
06-23 09:59:16.200  2666  2666 I wpa_supplicant: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect
06-23 09:59:16.300  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1
`, diagnostics.WrongKey},
		// An app's network request with the internet capability: the
		// reason, then acceptRequest's summary.
		{"network specifier with internet", `06-23 10:00:03.400  1698  2130 E WifiNetworkFactory: Request with wifi network specifier cannot contain NET_CAPABILITY_INTERNET. Rejecting
06-23 10:00:03.401  1698  2130 E WifiNetworkFactory: Invalid network specifier: WifiNetworkSpecifier [, SSID Match pattern=PatternMatcher{LITERAL: Cam}]. Rejecting
`, diagnostics.InvalidInput},
		{"network request in background", `06-23 10:00:03.400  1698  2130 E WifiNetworkFactory: Request not from foreground app or service. Rejecting request from com.example.cam
`, diagnostics.PermissionDenied},
		// The user switched Wi-Fi off after the key was refused: the
		// refusal decides, not the switch.
		{"wrong key then wifi off", `06-23 09:59:11.949  1698  2130 D SupplicantStaIfaceHalAidlImpl: connectToNetwork "Cam"WPA_PSK, actualSsid=null
06-23 09:59:14.200  2666  2666 I wpa_supplicant: wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect
06-23 09:59:14.300  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1
06-23 09:59:14.400  1698  2130 E WifiNetworkFactory: Connection failures, cancelling "Cam"WPA_PSK
06-23 09:59:20.000  1698  2130 W WifiNetworkFactory: Wifi off, cancelling NetworkRequest [ REQUEST id=12 ]
`, diagnostics.WrongKey},
	}
	for _, tt := range tests {
		rep, err := Diagnose(context.Background(), strings.NewReader(tt.log), Options{Year: 2024, MaxLineBytes: 4096})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(rep.Attempts) != 1 || rep.Attempts[0].Class != tt.want {
			var got []diagnostics.Class
			for _, a := range rep.Attempts {
				got = append(got, a.Class)
			}
			t.Errorf("%s: attempts %v, want one %s", tt.name, got, tt.want)
		}
	}
}

// FuzzAndroid: arbitrary lines go through the logcat envelope and the
// recognizers without panicking, and what the envelope claims is in the
// line: its message is the line's tail and its tag is in the line.
func FuzzAndroid(f *testing.F) {
	for _, l := range []string{
		`I/wpa_supplicant( 2912): CTRL-EVENT-STATE-CHANGE id=-1 state=2 BSSID=00:00:00:00:00:00`,
		`2019-04-16 22:25:20.902 1748-1748/? E/wificond: NL80211_CMD_TRIGGER_SCAN failed: Device or resource busy`,
		`05-17 12:14:15.906  2044  2443 I WifiClientModeImpl[16509:wlan0]: up`,
		`07-02 17:46:11.230 D/WifiClientModeImpl[24001351:wlan0]( 1698): x`,
		`06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1`,
		`12-28 10:58:41.700  wifi   984   984 E android.hardware.wifi@1.0-service: Failed to load WiFi driver`,
		`E/wificond( wifi:  743): Failed to get wiphy index`,
		`1719136803.426  1698  2130 E WifiNative: Failed to start vendor HAL`,
		`2023-11-15 20:03:34.311  1598-5473  WifiClient...509:wlan0] system_server                        D  x`,
		`06-23 10:00:03.426  1698  2130 E WifiNetworkFactory: Request with wifi network specifier when wifi is off.Rejecting`,
		`06-23 10:00:03.426  1698  2130 E SupplicantStaIfaceHalAidlImpl: Unable to obtain ISupplicant binder.`,
		`06-23 10:00:03.426  1698  2130 I WifiNative: wpa_supplicant died. Cleaning up internal state.`,
		`06-23 10:00:04.426  1698  2130 I WifiNative: Successfully setup Iface:{Name=wlan0,Id=1,Type=STA_SCAN}`,
		`06-23 09:59:11.900  1698  2130 E WifiClientModeImpl[wlan0]: CMD_START_CONNECT Failed to start connection to network  ID: 3 SSID: "Home"`,
		`D/SupplicantStateTracker(  470): Failed to authenticate, disabling network 2`,
		`E/WifiMonitor(  470): startMonitoring(wlan0) failed!`,
		`E/WifiHW  (  757): Unable to open connection to supplicant on "@android:wpa_wlan0": No such file or directory`,
		`E/wpa_supplicant( 3082): nl80211: Driver does not support authentication/association or connect commands`,
		` rec[12]: time=06-23 09:59:12.040 processed=ConnectModeState org=L2ConnectedState dest=<null> what=147499(0x2402b) !ASSOCIATION_REJECTION_EVENT rt=79536/79536  timedOut=0 17 02:00:00:00:01:00 blacklist=false`,
		`rec[4]: time=06-23 09:59:12.040 processed=ConnectModeState org=ConnectedState dest=DisconnectedState what=147460(0x24004) NETWORK_DISCONNECTION_EVENT rt=79536/79536 02:00:00:00:01:00 nid=1 reason=3`,
		`rec[1]: time=01-01 00:00:00.000 processed=`, `[ 01-18 21:09:47.901  1234: 5678 E/WifiStateMachine ]`,
		`D/Tag():`, `01-01 00:00:00. 1 D :`, "2024-01-01 00:00:00.1 +0000 1 2 E T:",
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		lp := newLineParser(2024)
		if li, ok := logcatEnvelope(&lp, line); ok {
			if !strings.HasSuffix(line, li.msg) || li.tag == "" || !strings.Contains(line, li.tag) {
				t.Fatalf("%q: envelope %+v", line, li)
			}
			if li.t.IsZero() != (strings.TrimLeft(line, " \t")[1] == '/') {
				t.Fatalf("%q: time %v", line, li.t)
			}
		}
		if li, ok := logcatLongHeader(&lp, line); ok && (li.msg != "" || !strings.Contains(line, li.tag) || li.t.IsZero()) {
			t.Fatalf("%q: -v long header %+v", line, li)
		}
		_, p, ok := parseLogcat(line)
		if ok && (p.ev.Kind == "" || p.ev.Source == "") {
			t.Fatalf("%q: %+v", line, p.ev)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := Diagnose(ctx, strings.NewReader(line+"\n"+line), Options{Year: 2024, MaxLineBytes: 4096}); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T", err)
			}
		}
	})
}
