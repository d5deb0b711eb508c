package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// What mobile apps log when they join Wi-Fi through the popular libraries,
// as people paste it into those libraries' issues. The lines arrive inside
// logcat's envelope (rec_android_logcat.go; the tag is the library's or the
// JavaScript/Dart console's: WifiUtils, RNWifiModule, WifiWizard2,
// ReactNativeJS, flutter, chromium, Capacitor/Console) or as Xcode console
// lines (rec_apple.go's envelope, or none). Each message is mapped from the
// library's source, which says what made the library log it:
//
//   - ThanosFisherman/WifiUtils (tag WifiUtils; wifiLog logged "WifiUtils: "
//     + text with Log.d up to 1.6.1 and the bare text with Log.VERBOSE
//     since 1.6.2): WifiUtils.java mWifiConnectionCallback.errorConnect logs
//     "DIDN'T CONNECT TO WIFI " + the ConnectionErrorCode
//     (wifiConnect/ConnectionErrorCode.java) since 1.6.0, bare before.
//   - JuanSeBestia/react-native-wifi-reborn (RNWifiModule.java, ios/RNWifi.m):
//     the promise's rejection, which the app prints through console.log
//     (logcat tag ReactNativeJS): its message, or its code
//     (errors/ConnectErrorCodes.java, ios/ConnectError.m). Up to 4.5 the
//     Android module wrapped WifiUtils and had a message per WifiUtils
//     code; since 4.6 (commit 3389baf, 2022) it joins by itself and
//     didNotFindNetwork is NetworkCallback.onUnavailable.
//   - tripflex/WifiWizard2, the Cordova/Capacitor plugin
//     (src/android/wifiwizard2/WifiWizard2.java, tag WifiWizard2): its own
//     Log lines, and the error strings it hands to callbackContext.error,
//     which the app prints in the WebView's console (tags chromium,
//     Capacitor/Console, CordovaLog, ...).
//   - flutternetwork/WiFiFlutter's wifi_scan (lib/src/can.dart): the
//     CanStartScan / CanGetScannedResults values apps print with print()
//     (logcat tag flutter).
//
// Android's ConnectivityManager.NetworkCallback.onUnavailable, which every
// one of these reports for a WifiNetworkSpecifier request (Android 10 and
// later) under some name ("userDenied", "USER_CANCELLED", "WiFi not
// available", "didNotFindNetwork"), is a catch-all: WifiNetworkFactory
// ends the request when the user dismissed the dialog
// (handleRejectUserSelection) and when the connection failed
// (handleNetworkConnectionFailure), both through teardownForActiveRequest
// (frameworks/opt/net/wifi, packages/modules/Wifi since Android 11), and a
// request made with a timeout (requestNetwork(request, callback, ms)) that
// no network satisfied in time gets it from ConnectivityService. Such lines
// are notes that end the attempt, which classify as unknown; the
// platform's own lines (rec_android_hal.go's WifiNetworkFactory) say more
// when they are there.
// So are the libraries' catch-all codes (unableToConnect, COULD_NOT_CONNECT).
//
// iOS's NEHotspotConfigurationErrorDomain errors, as apps print the NSError,
// are read by rec_apple.go; here only react-native-wifi-reborn's names for
// them (ios/RNWifi.m parseError).

var recMobileApps = recognizer{
	name:  "mobile-apps",
	title: "mobile apps' Wi-Fi libraries (WifiUtils, react-native-wifi-reborn, WifiWizard2, wifi_scan)",
	keys: []string{
		// WifiUtils
		"DIDN'T CONNECT TO WIFI", "COULDN'T ENABLE WIFI", "Authentication error...",
		"Re-attempting to connect", "CONNECTED SUCCESSFULLY", "AndroidQ+ could not connect",
		// react-native-wifi-reborn, messages
		"the user has to enable wifi manually", "apps are only allowed to scan wifi networks",
		"only allowed to scan 4 times per 2 minuts", "Wifi network is not in range or not seen",
		"Authentication error, wrong password", "Could not connect in ",
		"the user cancelled connecting (via System UI)", "Firmware bugs on OnePlus",
		"Network not found or network request cannot be fulfilled",
		"Location permission (ACCESS_FINE_LOCATION) is not granted", "Location service is turned off",
		"App is not allowed to add network suggestions", "Wifi scan rejected",
		// react-native-wifi-reborn, codes
		"locationPermissionMissing", "locationServicesOff", "couldNotEnableWifi", "couldNotScan",
		"didNotFindNetwork", "authenticationErrorOccurred", "timeoutOccurred", "userDenied",
		"android10ImmediatelyDroppedConnection", "unableToConnect", "invalidSSID", "invalidPassphrase",
		// WifiWizard2
		"VERIFY_ERROR_ENABLE_WIFI", "Took too long to enable wi-fi", "failed to finish connecting within the timeout",
		"In timeout, error", "WiFi not available", "WiFi connected",
		"CONNECT_FAILED_TIMEOUT", "WIFI_NOT_ENABLED", "SCAN_FAILED", "TIMEOUT_WAITING_FOR_SCAN",
		// wifi_scan
		"CanStartScan.", "CanGetScannedResults.",
	},
	parse: parseMobileApps,
}

var (
	reRNCouldNotConnect = regexp.MustCompile(`Could not connect in \d+ milliseconds`)
	reRNCode            = regexp.MustCompile(`\b(locationPermissionMissing|locationServicesOff|couldNotEnableWifi|couldNotScan|didNotFindNetwork|authenticationErrorOccurred|timeoutOccurred|userDenied|android10ImmediatelyDroppedConnection|unableToConnect|invalidSSIDPrefix|invalidSSID|invalidPassphrase)\b`)
	// reRNCodeField: the rejection's code as the app prints the error
	// object ("code: 'timeoutOccurred'", "\"code\":\"timeoutOccurred\"").
	reRNCodeField = regexp.MustCompile(`\bcode"?\s*[:=]\s*["']?[a-zA-Z0-9]+`)
	reWW2Error    = regexp.MustCompile(`\b(CONNECT_FAILED_TIMEOUT|WIFI_NOT_ENABLED|STARTSCAN_FAILED|SCAN_FAILED|TIMEOUT_WAITING_FOR_SCAN)\b`)
	reWifiScanCan = regexp.MustCompile(`\b(CanStartScan|CanGetScannedResults)\.([a-zA-Z]+)\b`)
)

// webConsoleTags are the logcat tags under which a WebView app's
// console.log lands: Chromium's WebView ("chromium", "[INFO:CONSOLE(12)]
// ..."), Capacitor's bridge ("Capacitor/Console"), Cordova's
// SystemWebChromeClient ("CordovaLog" before it, "Console" in older
// Android browsers), Crosswalk ("Web Console").
var webConsoleTags = map[string]bool{
	"chromium": true, "Capacitor/Console": true, "Capacitor": true, "CordovaLog": true,
	"Console": true, "SystemWebChromeClient": true, "Web Console": true,
}

func parseMobileApps(m *message) (parsed, match) {
	var p parsed
	switch m.prog {
	case "WifiUtils":
		return mobileWifiUtils(m, p)
	case "WifiWizard2":
		return mobileWifiWizard2(m, p)
	case "RNWifiModule":
		// RNWifiModule.reScanAndLoadWifiList: "wifi start scan: " +
		// WifiManager.startScan()'s result, then "Wifi scan rejected"
		// when it was false, which on Android 9 and later is the
		// framework refusing (throttling) the app's scan; the promise
		// then resolves with the throttling sentence.
		if strings.HasPrefix(m.msg, "Wifi scan rejected") {
			p.ev.Source, p.ev.Kind, p.ev.Name = diagnostics.SourceAndroid, diagnostics.KindScanBusy, "refused"
			return p, take
		}
		if strings.HasPrefix(m.msg, "wifi start scan: ") {
			return p, drop
		}
		return p, pass
	}
	if strings.Contains(m.msg, "NEHotspotConfigurationErrorDomain") {
		// The NSError itself, with its code: rec_apple.go's, even inside
		// react-native-wifi-reborn's rejection.
		return p, pass
	}
	if r, ok := mobileRNWifi(m, &p); ok {
		return p, r
	}
	if r, ok := mobileWW2Console(m, &p); ok {
		return p, r
	}
	if g := reWifiScanCan.FindStringSubmatch(m.msg); g != nil {
		return mobileWifiScan(p, g[1], g[2])
	}
	return p, pass
}

// appNote is a library's report that the join failed, without a cause the
// library's source lets one name: a note that ends the attempt.
func appNote(p parsed, src diagnostics.Source, name string) (parsed, match) {
	p.ev.Source, p.ev.Kind, p.ev.Name, p.role = src, diagnostics.KindNote, name, roleTerminal
	return p, take
}

// mobileWifiUtils reads WifiUtils' own lines (WifiUtils.java,
// wifiConnect/WifiConnectionReceiver.java, wifiConnect/TimeoutHandler.java,
// ConnectorUtils.java).
func mobileWifiUtils(m *message, p parsed) (parsed, match) {
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	msg := strings.TrimPrefix(m.msg, "WifiUtils: ")
	switch {
	case strings.HasPrefix(msg, "DIDN'T CONNECT TO WIFI"):
		code := strings.TrimSpace(strings.TrimPrefix(msg, "DIDN'T CONNECT TO WIFI"))
		switch code {
		case "COULD_NOT_ENABLE_WIFI":
			// enableWifi: Wi-Fi was off and WifiManager.setWifiEnabled(true)
			// returned false (Android 10 and later refuse apps).
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "wifi-disabled"
		case "COULD_NOT_SCAN":
			// mWifiStateCallback.onWifiEnabled: WifiManager.startScan()
			// returned false, the framework's refusal (the throttle of
			// Android 9 and later); "ERROR COULDN'T SCAN" follows
			// (rec_android_hal.go).
			e.Kind, e.Name = diagnostics.KindScanBusy, "refused"
		case "DID_NOT_FIND_NETWORK_BY_SCANNING":
			// 1.6.0 to 1.6.5: mWifiScanResultsCallback.onScanResultsReady,
			// after the library's own scan, found no result with the SSID
			// (later versions try a direct connection instead).
			e.Kind, e.Name = diagnostics.KindScanVerdict, "absent"
		case "AUTHENTICATION_ERROR_OCCURRED":
			// WifiConnectionReceiver.onReceive: SUPPLICANT_STATE_CHANGED to
			// DISCONNECTED with EXTRA_SUPPLICANT_ERROR ERROR_AUTHENTICATING,
			// which the framework sends for a rejected key.
			e.Kind, e.Name = diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING"
		case "TIMEOUT_OCCURRED":
			// TimeoutHandler: the connection did not complete within the
			// app's timeout and the station is not connected.
			e.Kind, e.Name = diagnostics.KindDeadline, "WifiUtils connect timeout"
		default:
			// USER_CANCELLED (NetworkCallback.onUnavailable),
			// ANDROID_10_IMMEDIATELY_DROPPED_CONNECTION (onAvailable, then
			// not connected 500 ms later), COULD_NOT_CONNECT (addNetwork,
			// enableNetwork or the supplicant state failed), none (before
			// 1.6.0): no cause the library knows.
			return appNote(p, diagnostics.SourceAndroid, "WifiUtils: did not connect "+code)
		}
	case msg == "COULDN'T ENABLE WIFI":
		// enableWifi, after errorConnect(COULD_NOT_ENABLE_WIFI).
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "wifi-disabled"
	case strings.HasPrefix(msg, "Authentication error..."):
		// WifiConnectionReceiver (before Android 10): DISCONNECTED with
		// ERROR_AUTHENTICATING; errorConnect(AUTHENTICATION_ERROR_OCCURRED)
		// follows.
		e.Kind, e.Name = diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING"
	case strings.HasPrefix(msg, "Disconnected. Re-attempting to connect"):
		// DISCONNECTED for another reason: the library re-enables the
		// network and goes on trying, which may well connect.
		e.Kind, e.Name = diagnostics.KindNote, "WifiUtils retrying"
	case strings.HasPrefix(msg, "Connection Timed out"):
		// TimeoutHandler's first line: it then checks whether the station
		// is connected after all and reports success or TIMEOUT_OCCURRED.
		return p, drop
	case strings.HasPrefix(msg, "CONNECTED SUCCESSFULLY"):
		// successfulConnect: connected to the requested network (with an
		// address, isAlreadyConnected).
		e.Kind, e.Name, p.role = diagnostics.KindJoined, "WifiUtils: connected", roleTerminal
	case strings.HasPrefix(msg, "AndroidQ+ could not connect to wifi"):
		// ConnectorUtils.connectAndroidQ's onUnavailable; its
		// errorConnect(USER_CANCELLED) line ends the attempt.
		e.Kind, e.Name = diagnostics.KindNote, "network request unavailable"
	default:
		return p, pass // "ERROR COULDN'T SCAN" is rec_android_hal.go's
	}
	return p, take
}

// mobileRNWifi reads react-native-wifi-reborn's rejections: their
// messages wherever they are, their codes only in a JavaScript console's
// line (a bare word such as "userDenied" is no evidence elsewhere).
func mobileRNWifi(m *message, p *parsed) (match, bool) {
	e := &p.ev
	msg := m.msg
	e.Source = diagnostics.SourceAndroid
	fail := func(k diagnostics.Kind, name string) (match, bool) {
		e.Kind, e.Name = k, name
		if k == diagnostics.KindRadio {
			e.OK = diagnostics.Bool(false)
		}
		return take, true
	}
	note := func(name string) (match, bool) {
		*p, _ = appNote(*p, e.Source, name)
		return take, true
	}
	switch {
	case strings.Contains(msg, "the user has to enable wifi manually"):
		// couldNotEnableWifi: connectToProtectedSSID, Wi-Fi off and
		// setWifiEnabled(true) false.
		return fail(diagnostics.KindRadio, "wifi-disabled")
	case strings.Contains(msg, "apps are only allowed to scan wifi networks"),
		strings.Contains(msg, "only allowed to scan 4 times per 2 minuts"):
		// couldNotScan (up to 4.5, WifiUtils' COULD_NOT_SCAN), and
		// reScanAndLoadWifiList's answer when startScan() was refused.
		return fail(diagnostics.KindScanBusy, "refused")
	case strings.Contains(msg, "Wifi network is not in range or not seen"):
		// didNotFindNetwork up to 4.5: WifiUtils'
		// DID_NOT_FIND_NETWORK_BY_SCANNING, after its own scan.
		return fail(diagnostics.KindScanVerdict, "absent")
	case strings.Contains(msg, "Authentication error, wrong password"):
		// authenticationErrorOccurred up to 4.5: WifiUtils'
		// AUTHENTICATION_ERROR_OCCURRED.
		return fail(diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING")
	case reRNCouldNotConnect.MatchString(msg):
		// timeoutOccurred up to 4.5: WifiUtils' TIMEOUT_OCCURRED.
		return fail(diagnostics.KindDeadline, "react-native-wifi-reborn connect timeout")
	case strings.Contains(msg, "Location permission (ACCESS_FINE_LOCATION) is not granted"):
		// locationPermissionMissing: assertLocationPermissionGranted.
		return fail(diagnostics.KindPermission, "location permission missing")
	case strings.Contains(msg, "Location service is turned off"):
		// locationServicesOff: assertLocationPermissionGranted; the
		// platform gives apps no scan results with location off.
		return fail(diagnostics.KindPermission, "location services off")
	case strings.Contains(msg, "App is not allowed to add network suggestions"):
		// suggestWifiNetwork: STATUS_NETWORK_SUGGESTIONS_ERROR_APP_DISALLOWED,
		// the user disallowed the app's suggestions.
		return fail(diagnostics.KindPermission, "network suggestions disallowed")
	case strings.Contains(msg, "the user cancelled connecting (via System UI)"):
		return note("userDenied (network request unavailable)")
	case strings.Contains(msg, "Firmware bugs on OnePlus"):
		// android10ImmediatelyDroppedConnection: onAvailable, then the
		// SSID was not the requested one when polled.
		return note("android10ImmediatelyDroppedConnection")
	case strings.Contains(msg, "Network not found or network request cannot be fulfilled"):
		// didNotFindNetwork since 4.6: connectAndroidQ's onUnavailable.
		return note("didNotFindNetwork (network request unavailable)")
	}
	// React Native's console on iOS: "[javascript]" (RCTLog) or the
	// "com.facebook.react.JavaScript" thread's name.
	if !(m.prog == "ReactNativeJS" || strings.Contains(msg, "ReactNativeJS") || strings.Contains(msg, "[javascript]") ||
		strings.Contains(msg, "com.facebook.react.JavaScript") || reRNCodeField.MatchString(msg)) {
		return pass, false
	}
	g := reRNCode.FindStringSubmatch(msg)
	if g == nil {
		return pass, false
	}
	switch g[1] {
	case "locationPermissionMissing":
		return fail(diagnostics.KindPermission, "location permission missing")
	case "locationServicesOff":
		return fail(diagnostics.KindPermission, "location services off")
	case "couldNotEnableWifi":
		return fail(diagnostics.KindRadio, "wifi-disabled")
	case "couldNotScan":
		return fail(diagnostics.KindScanBusy, "refused")
	case "authenticationErrorOccurred":
		return fail(diagnostics.KindPskMismatch, "ERROR_AUTHENTICATING")
	case "timeoutOccurred":
		// connectAndroidQ's and removeWifiNetwork's timers ("Connection
		// timeout"), WifiUtils' TIMEOUT_OCCURRED before.
		return fail(diagnostics.KindDeadline, "react-native-wifi-reborn connect timeout")
	case "invalidSSID", "invalidSSIDPrefix", "invalidPassphrase":
		// ios/RNWifi.m parseError: NEHotspotConfigurationError 1, 15,
		// 2 and 3, the request's own checks.
		e.Source = diagnostics.SourceApple
		return fail(diagnostics.KindInvalidInput, g[1])
	default:
		// didNotFindNetwork (since 4.6 onUnavailable; the message above
		// says which version), userDenied (onUnavailable on Android,
		// NEHotspotConfigurationErrorUserDenied on iOS: the platform is
		// not in the line), android10ImmediatelyDroppedConnection,
		// unableToConnect (RNWifi.m parseError's default and every
		// other failure).
		return note(g[1])
	}
}

// mobileWifiWizard2 reads WifiWizard2's own Log lines (tag WifiWizard2).
func mobileWifiWizard2(m *message, p parsed) (parsed, match) {
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	msg := m.msg
	switch {
	case strings.HasPrefix(msg, "VERIFY_ERROR_ENABLE_WIFI"):
		// verifyWifiEnabled: Wi-Fi off and setWifiEnabled(true) false;
		// every action then fails with WIFI_NOT_ENABLED.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "wifi-disabled"
	case strings.HasPrefix(msg, "Took too long to enable wi-fi"):
		// verifyWifiEnabled: setWifiEnabled(true) accepted, Wi-Fi still
		// off ten seconds later.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "wifi did not come on"
	case strings.HasPrefix(msg, "Scan failed"):
		// scan: WifiManager.startScan() returned false (SCAN_FAILED).
		e.Kind, e.Name = diagnostics.KindScanBusy, "refused"
	case strings.HasPrefix(msg, "In timeout, error"):
		// scan: no SCAN_RESULTS_AVAILABLE broadcast within ten seconds
		// of a scan that started (TIMEOUT_WAITING_FOR_SCAN).
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "no scan results in 10 s"
	case strings.Contains(msg, "Network failed to finish connecting within the timeout"):
		// ConnectAsync: 15 one-second polls without CONNECTED
		// (CONNECT_FAILED_TIMEOUT).
		e.Kind, e.Name = diagnostics.KindDeadline, "WifiWizard2 connect timeout"
	case strings.HasPrefix(msg, "WiFi not available"):
		// add (Android 10 and later): the network request's onUnavailable.
		return appNote(p, diagnostics.SourceAndroid, "network request unavailable")
	case strings.HasPrefix(msg, "WiFi connected"):
		// add: onAvailable, the specifier's network was joined.
		e.Kind, e.Name, p.role = diagnostics.KindJoined, "WifiWizard2: connected", roleTerminal
	default:
		// Progress ("WifiWizard: Got DISCONNECTED on 3 out of 15", "Entering
		// startScan") and exception texts: the plugin's, saying nothing.
		return p, drop
	}
	return p, take
}

// mobileWW2Console reads WifiWizard2's error strings as the app prints
// them in the WebView's console.
func mobileWW2Console(m *message, p *parsed) (match, bool) {
	if !webConsoleTags[m.prog] && !strings.Contains(m.msg, "WifiWizard") && !strings.Contains(m.msg, ":CONSOLE(") {
		return pass, false
	}
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	if strings.Contains(m.msg, "WiFi not available") {
		*p, _ = appNote(*p, e.Source, "network request unavailable")
		return take, true
	}
	g := reWW2Error.FindStringSubmatch(m.msg)
	if g == nil {
		return pass, false
	}
	switch g[1] {
	case "CONNECT_FAILED_TIMEOUT":
		e.Kind, e.Name = diagnostics.KindDeadline, "WifiWizard2 connect timeout"
	case "WIFI_NOT_ENABLED":
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "wifi-disabled"
	case "STARTSCAN_FAILED", "SCAN_FAILED":
		e.Kind, e.Name = diagnostics.KindScanBusy, "refused"
	case "TIMEOUT_WAITING_FOR_SCAN":
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "no scan results in 10 s"
	}
	return take, true
}

// mobileWifiScan maps a wifi_scan CanStartScan / CanGetScannedResults value
// (lib/src/can.dart; WifiScanPlugin.kt's CAN_START_SCAN_* codes).
func mobileWifiScan(p parsed, enum, v string) (parsed, match) {
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	switch v {
	case "yes":
		return p, drop
	case "noLocationPermissionDenied", "noLocationPermissionUpgradeAccuracy":
		// Denied, or coarse where fine is needed: the user must change it
		// in Settings; the app gets no scan.
		e.Kind, e.Name = diagnostics.KindPermission, enum+"."+v
	case "noLocationServiceDisabled":
		e.Kind, e.Name = diagnostics.KindPermission, enum+"."+v
	default:
		// noLocationPermissionRequired (the app may still ask, and be
		// granted), notSupported, and failed (declared, but
		// _deserializeCanStartScan never returns it: startScan answers
		// a bool).
		e.Kind, e.Name = diagnostics.KindNote, enum+"."+v
	}
	return p, take
}
