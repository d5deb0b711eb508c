package logparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The lines below are written from the libraries' source (rec_mobileapps.go
// names the file and function of each), in the envelopes apps' logs come
// in.
var mobileAppLines = []struct {
	line string
	kind diagnostics.Kind
	name string
	ok   *bool
	role role
}{
	// WifiUtils, 1.6.2 and later (Log.VERBOSE, bare text).
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI COULD_NOT_ENABLE_WIFI`, diagnostics.KindRadio, "wifi-disabled", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI COULD_NOT_SCAN`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI DID_NOT_FIND_NETWORK_BY_SCANNING`, diagnostics.KindScanVerdict, "absent", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI AUTHENTICATION_ERROR_OCCURRED`, diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI TIMEOUT_OCCURRED`, diagnostics.KindDeadline, "WifiUtils connect timeout", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI USER_CANCELLED`, diagnostics.KindNote, "WifiUtils: did not connect USER_CANCELLED", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI COULD_NOT_CONNECT`, diagnostics.KindNote, "WifiUtils: did not connect COULD_NOT_CONNECT", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI ANDROID_10_IMMEDIATELY_DROPPED_CONNECTION`, diagnostics.KindNote, "WifiUtils: did not connect ANDROID_10_IMMEDIATELY_DROPPED_CONNECTION", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: COULDN'T ENABLE WIFI`, diagnostics.KindRadio, "wifi-disabled", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: CONNECTED SUCCESSFULLY`, diagnostics.KindJoined, "WifiUtils: connected", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9876 V WifiUtils: AndroidQ+ could not connect to wifi`, diagnostics.KindNote, "network request unavailable", nil, roleNone},
	// WifiUtils up to 1.6.1 (Log.d, "WifiUtils: " + text), brief format.
	{`D/WifiUtils( 9876): WifiUtils: DIDN'T CONNECT TO WIFI`, diagnostics.KindNote, "WifiUtils: did not connect ", nil, roleTerminal},
	{`D/WifiUtils( 9876): WifiUtils: Authentication error...`, diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING", nil, roleNone},
	{`D/WifiUtils( 9876): WifiUtils: Disconnected. Re-attempting to connect...`, diagnostics.KindNote, "WifiUtils retrying", nil, roleNone},
	// WifiUtils' scan refusal stays rec_android_hal.go's.
	{`D/WifiUtils: WifiUtils: ERROR COULDN'T SCAN`, diagnostics.KindScanBusy, "refused", nil, roleNone},

	// react-native-wifi-reborn: the rejection as the app prints it.
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: On Android 10, the user has to enable wifi manually.]`, diagnostics.KindRadio, "wifi-disabled", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Starting Android 9, apps are only allowed to scan wifi networks a few times.]`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: Starting Android 9, it's only allowed to scan 4 times per 2 minuts in a foreground app.`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Wifi network is not in range or not seen.]`, diagnostics.KindScanVerdict, "absent", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: 'Connection error', { [Error: Authentication error, wrong password or a saved wifi configuration with a different password / security type.] code: 'authenticationErrorOccurred' }`, diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Could not connect in 15000 milliseconds ]`, diagnostics.KindDeadline, "react-native-wifi-reborn connect timeout", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Location permission (ACCESS_FINE_LOCATION) is not granted]`, diagnostics.KindPermission, "location permission missing", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Location service is turned off]`, diagnostics.KindPermission, "location services off", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: App is not allowed to add network suggestions.]`, diagnostics.KindPermission, "network suggestions disallowed", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: On Android 10, the user cancelled connecting (via System UI).]`, diagnostics.KindNote, "userDenied (network request unavailable)", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Network not found or network request cannot be fulfilled.]`, diagnostics.KindNote, "didNotFindNetwork (network request unavailable)", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: [Error: Firmware bugs on OnePlus prevent it from connecting on some firmware versions.]`, diagnostics.KindNote, "android10ImmediatelyDroppedConnection", nil, roleTerminal},
	// ... and its code alone.
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: timeoutOccurred`, diagnostics.KindDeadline, "react-native-wifi-reborn connect timeout", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: connect failed couldNotScan`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: {"code":"locationServicesOff","message":"..."}`, diagnostics.KindPermission, "location services off", nil, roleNone},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: didNotFindNetwork`, diagnostics.KindNote, "didNotFindNetwork", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: unableToConnect`, diagnostics.KindNote, "unableToConnect", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9901 I ReactNativeJS: userDenied`, diagnostics.KindNote, "userDenied", nil, roleTerminal},
	{`2024-05-17 12:14:15.906 MyApp[123:4567] [javascript] {"code":"invalidPassphrase","message":"invalid WPA/WPA2 passphrase."}`, diagnostics.KindInvalidInput, "invalidPassphrase", nil, roleNone},
	{`2024-05-17 12:14:15.906 [error][tid:com.facebook.react.JavaScript] invalidSSID`, diagnostics.KindInvalidInput, "invalidSSID", nil, roleNone},
	// RNWifiModule's own line (reScanAndLoadWifiList).
	{`05-17 12:14:15.906  9876  9876 D RNWifiModule: Wifi scan rejected`, diagnostics.KindScanBusy, "refused", nil, roleNone},

	// WifiWizard2's own lines.
	{`05-17 12:14:15.906  9876  9950 E WifiWizard2: VERIFY_ERROR_ENABLE_WIFI`, diagnostics.KindRadio, "wifi-disabled", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9950 I WifiWizard2: Took too long to enable wi-fi, quitting`, diagnostics.KindRadio, "wifi did not come on", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9950 V WifiWizard2: Scan failed`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9950 V WifiWizard2: In timeout, error`, diagnostics.KindScanDone, "no scan results in 10 s", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9950 D WifiWizard2: WifiWizard: Network failed to finish connecting within the timeout`, diagnostics.KindDeadline, "WifiWizard2 connect timeout", nil, roleNone},
	{`05-17 12:14:15.906  9876  9950 D WifiWizard2: WiFi not available`, diagnostics.KindNote, "network request unavailable", nil, roleTerminal},
	{`05-17 12:14:15.906  9876  9950 D WifiWizard2: WiFi connected`, diagnostics.KindJoined, "WifiWizard2: connected", nil, roleTerminal},
	// ... and its errors in the WebView's console.
	{`05-17 12:14:15.906  9876  9876 I chromium: [INFO:CONSOLE(42)] "CONNECT_FAILED_TIMEOUT", source: http://localhost/main.js (42)`, diagnostics.KindDeadline, "WifiWizard2 connect timeout", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 I Capacitor/Console: File: http://localhost/main.js - Line 42 - Msg: WIFI_NOT_ENABLED`, diagnostics.KindRadio, "wifi-disabled", diagnostics.Bool(false), roleNone},
	{`05-17 12:14:15.906  9876  9876 I chromium: [INFO:CONSOLE(42)] "SCAN_FAILED", source: http://localhost/main.js (42)`, diagnostics.KindScanBusy, "refused", nil, roleNone},
	{`05-17 12:14:15.906  9876  9876 I chromium: [INFO:CONSOLE(42)] "TIMEOUT_WAITING_FOR_SCAN", source: http://localhost/main.js (42)`, diagnostics.KindScanDone, "no scan results in 10 s", diagnostics.Bool(false), roleNone},

	// wifi_scan's answers as a Flutter app prints them.
	{`05-17 12:14:15.906  9876  9901 I flutter : CanStartScan.noLocationPermissionDenied`, diagnostics.KindPermission, "CanStartScan.noLocationPermissionDenied", nil, roleNone},
	{`I/flutter ( 9876): CanGetScannedResults.noLocationServiceDisabled`, diagnostics.KindPermission, "CanGetScannedResults.noLocationServiceDisabled", nil, roleNone},
	{`I/flutter ( 9876): CanStartScan.noLocationPermissionRequired`, diagnostics.KindNote, "CanStartScan.noLocationPermissionRequired", nil, roleNone},
}

func TestMobileAppLines(t *testing.T) {
	for _, tt := range mobileAppLines {
		_, p, ok := parseLogcat(tt.line)
		if !ok {
			t.Errorf("%q: not recognised", tt.line)
			continue
		}
		got := struct {
			Kind diagnostics.Kind
			Name string
			OK   *bool
			Role role
		}{p.ev.Kind, p.ev.Name, p.ev.OK, p.role}
		want := struct {
			Kind diagnostics.Kind
			Name string
			OK   *bool
			Role role
		}{tt.kind, tt.name, tt.ok, tt.role}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
}

// TestMobileAppLookAlikes: lines that look like failures but are not.
func TestMobileAppLookAlikes(t *testing.T) {
	for _, line := range []string{
		// TimeoutHandler's first line: it checks the connection next.
		`05-17 12:14:15.906  9876  9876 V WifiUtils: Connection Timed out...`,
		// Progress of WifiWizard2's wait, and RNWifiModule's scan result.
		`05-17 12:14:15.906  9876  9950 D WifiWizard2: WifiWizard: Got DISCONNECTED on 3 out of 15`,
		`05-17 12:14:15.906  9876  9876 D RNWifiModule: wifi start scan: false`,
		// A code word outside a JavaScript console's line.
		`05-17 12:14:15.906  1000  1698 D SomeService: userDenied by policy`,
		// WifiWizard2's error words outside the WebView console.
		`05-17 12:14:15.906  1000  1698 E BluetoothLeScanner: SCAN_FAILED`,
		// Another library's longer error name.
		`05-17 12:14:15.906  9876  9876 I chromium: [INFO:CONSOLE(42)] "SCAN_FAILED_ALREADY_STARTED", source: x (42)`,
		// wifi_scan saying yes.
		`I/flutter ( 9876): CanStartScan.yes`,
	} {
		if _, p, ok := parseLogcat(line); ok {
			t.Errorf("%q: read as %+v", line, p.ev)
		}
	}
}

// TestMobileAppAttempts: the libraries' reports through Diagnose, with the
// look-alikes that end well.
func TestMobileAppAttempts(t *testing.T) {
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"WifiUtils: retry that connects", "" +
			"05-17 12:14:10.000  9876  9876 V WifiUtils: Authentication error...\n" +
			"05-17 12:14:11.000  9876  9876 V WifiUtils: Disconnected. Re-attempting to connect...\n" +
			"05-17 12:14:14.000  9876  9876 V WifiUtils: CONNECTED SUCCESSFULLY\n", diagnostics.None},
		{"WifiUtils: its timer fires, but connected", "" +
			"05-17 12:14:10.000  9876  9876 V WifiUtils: Connection Timed out...\n" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: CONNECTED SUCCESSFULLY\n", diagnostics.None},
		{"WifiUtils: timeout", "" +
			"05-17 12:14:10.000  9876  9876 V WifiUtils: Connection Timed out...\n" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI TIMEOUT_OCCURRED\n", diagnostics.Timeout},
		{"WifiUtils: scan refused, both lines", "" +
			"05-17 12:14:10.000  9876  9876 V WifiUtils: START SCANNING....\n" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI COULD_NOT_SCAN\n" +
			"05-17 12:14:10.011  9876  9876 V WifiUtils: ERROR COULDN'T SCAN\n", diagnostics.ScanBusy},
		{"WifiUtils: Wi-Fi off, both lines", "" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI COULD_NOT_ENABLE_WIFI\n" +
			"05-17 12:14:10.011  9876  9876 V WifiUtils: COULDN'T ENABLE WIFI\n", diagnostics.RadioOff},
		{"WifiUtils: wrong key", "" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI AUTHENTICATION_ERROR_OCCURRED\n", diagnostics.WrongKey},
		{"WifiUtils: not found after its scan", "" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI DID_NOT_FIND_NETWORK_BY_SCANNING\n", diagnostics.NotFound},
		{"WifiUtils: catch-all", "" +
			"05-17 12:14:10.000  9876  9876 V WifiUtils: AndroidQ+ could not connect to wifi\n" +
			"05-17 12:14:10.010  9876  9876 V WifiUtils: DIDN'T CONNECT TO WIFI USER_CANCELLED\n", diagnostics.Unknown},
		{"react-native-wifi-reborn: onUnavailable is no not_found", "" +
			"05-17 12:14:10.010  9876  9901 I ReactNativeJS: [Error: Network not found or network request cannot be fulfilled.]\n", diagnostics.Unknown},
		{"react-native-wifi-reborn: unableToConnect", "" +
			"05-17 12:14:10.010  9876  9901 I ReactNativeJS: { [Error: Failed to connect with Home] code: 'unableToConnect' }\n", diagnostics.Unknown},
		{"the platform's cause before a catch-all note decides", "" +
			"06-23 09:59:12.040  1698  2130 D WifiClientModeImpl[wlan0]: L2ConnectingState: Authentication failure  reason=2 error=-1\n" +
			"06-23 09:59:13.040  9876  9901 I ReactNativeJS: [Error: Network not found or network request cannot be fulfilled.]\n", diagnostics.WrongKey},
		{"the NSError inside a rejection is rec_apple.go's", "" +
			"2024-05-17 12:14:15.906 MyApp[123:4567] [javascript] { [Error: user denied.] code: 'userDenied', userInfo: Error Domain=NEHotspotConfigurationErrorDomain Code=7 \"user denied.\" }\n", diagnostics.PermissionDenied},
		{"react-native-wifi-reborn: location permission", "" +
			"05-17 12:14:10.010  9876  9901 I ReactNativeJS: [Error: Location permission (ACCESS_FINE_LOCATION) is not granted]\n", diagnostics.PermissionDenied},
		{"WifiWizard2: connected after a failed wait", "" +
			"05-17 12:14:10.000  9876  9950 D WifiWizard2: WifiWizard: Network failed to finish connecting within the timeout\n" +
			"05-17 12:14:30.000  9876  9950 D WifiWizard2: WiFi connected\n", diagnostics.None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			rep, err := Diagnose(ctx, strings.NewReader(tc.log), Options{Year: 2024, MaxLineBytes: 4096})
			if err != nil {
				t.Fatal(err)
			}
			var got []diagnostics.Class
			for _, a := range rep.Attempts {
				got = append(got, a.Class)
			}
			if tc.want == diagnostics.None && len(got) == 0 {
				return
			}
			if diff := cmp.Diff([]diagnostics.Class{tc.want}, got); diff != "" {
				t.Errorf("attempts (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
			}
		})
	}
}

// FuzzMobileApps: arbitrary lines go through the envelopes and the
// recognizers without panicking, and what this recognizer takes is an
// event with a kind and a source.
func FuzzMobileApps(f *testing.F) {
	for _, l := range mobileAppLines {
		f.Add(l.line)
	}
	f.Add(`V WifiUtils: DIDN'T CONNECT TO WIFI`)
	f.Add(`I/ReactNativeJS: code: 'x' didNotFindNetworkX`)
	f.Add(`I/flutter: CanStartScan.`)
	f.Fuzz(func(t *testing.T, line string) {
		lp := newLineParser(2024)
		li, ok := lp.split([]byte(line))
		if !ok {
			return
		}
		p, res := parseMobileApps(newMessage(li.msg, li.prog, li.tag))
		if res == take && (p.ev.Kind == "" || p.ev.Source == "") {
			t.Fatalf("%q: %+v", line, p.ev)
		}
	})
}
