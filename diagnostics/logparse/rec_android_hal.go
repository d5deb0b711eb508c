package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Android's Wi-Fi bring-up and switch: the lines that say Wi-Fi could not be
// started (the vendor HAL, the driver, wificond, wpa_supplicant's HAL), that
// it is off while an app asked for a network, that the framework refused to
// switch it, and a few scan refusals of the scanning service. They are read
// by recAndroid (parseAndroid calls androidBringUp); the keys are in
// androidBringUpKeys.
//
// Sources (https://android.googlesource.com/):
//   - platform/packages/modules/Wifi service/java/com/android/server/wifi/
//     WifiNative.java, WifiVendorHal.java, HalDeviceManager.java,
//     SupplicantStaIfaceHal{,HidlImpl,AidlImpl}.java, WifiNetworkFactory.java,
//     ActiveModeWarden.java, WifiServiceImpl.java,
//     scanner/WifiScanningServiceImpl.java, scanner/WificondScannerImpl.java;
//   - platform/hardware/interfaces wifi/ (the HAL service,
//     android.hardware.wifi@1.0-service and android.hardware.wifi-service):
//     wifi.cpp, wifi_mode_controller.cpp;
//   - platform/system/connectivity/wificond server.cpp,
//     scanning/scanner_impl.cpp.

var androidBringUpKeys = []string{
	// WifiNative, WifiVendorHal
	"Failed to start vendor HAL", "Failed to initialize vendor HAL", "Failed to create iface in vendor HAL",
	"Failed to setup iface in wificond", "Failed to startup supplicant", "Failed to connect to supplicant",
	// HalDeviceManager
	"Cannot start IWifi",
	// the HAL service
	"Wifi HAL start failed", "Failed to load WiFi driver", "Failed to initialize legacy HAL",
	"Failed to initialize legacy hal function table", "Failed to initialize firmware mode controller",
	"Failed to change WiFi firmware mode",
	// WifiNative: a native daemon died, the stack set up again
	"died. Cleaning up internal state.", "Successfully setup Iface:", "Successfully switched to connectivity mode",
	// SupplicantStaIfaceHal*
	"Obtained ISupplicant binder", "Completed initialization of ISupplicant.", "Completed service registration of ISupplicant",
	"Exception while trying to start supplicant", "Unable to obtain ISupplicant binder",
	"Unable to get ISupplicant service", "No HIDL or AIDL service available", "ISupplicant.getService exception",
	"Got null ISupplicant service",
	// WifiBlocklistMonitor's (BssidBlocklistMonitor's) local log
	"addToBlocklist: bssid=",
	// IpClient
	"onProvisioningFailure(): ",
	// wificond
	"Failed to get wiphy index", "No usable interface found", "Driver is in a bad state",
	"Failed to get interfaces info from kernel",
	// WificondControl, WifiNl80211Manager
	"IClientInterface instance from wificond", "Failed to get reference to wificond",
	// ConcreteClientModeManager
	"Failed to create ClientInterface",
	// WifiNetworkFactory, ActiveModeWarden, WifiServiceImpl
	"when wifi is off", "Wifi disabled on APM", "Timed-out connecting to network",
	"Wifi off. Rejecting", "NET_CAPABILITY_INTERNET. Rejecting", "Requesting specific frequency bands",
	"Invalid wifi network specifier", "Invalid network specifier", "Request not from foreground app",
	"network specifier from guest user", "User dismissed notification, cancelling", "Request cannot override",
	"Already processing request from a foreground app", "Connection failures, cancelling", "Wifi off, cancelling",
	"Airplane mode toggled, shutdown all modes",
	// scanning service
	"A single scan is already running", "Failed to start single scan",
	// SelfRecovery, ActiveModeWarden
	"STA interface down, disable wifi", "Already restarted wifi", "Recovery disabled. Disabling wifi",
	"Recovery has been throttled", "Triggering recovery for reason",
	// WifiUtils (an app library)
	"ERROR COULDN'T SCAN",
}

// androidBringUpTags are the tags read here besides androidTags: their
// other lines are the framework's prose and are dropped. The classes' log
// tags are not always their names: HalDeviceManager logs as "HalDevMgr"
// (since Android 8.1; "HalDeviceManager" in 8.0), SelfRecovery as
// "WifiSelfRecovery", ActiveModeWarden as "WifiActiveModeWarden" (its
// state machine's lines under "WifiController"); the class names are kept
// for logs that name them so.
var androidBringUpTags = map[string]bool{
	"WifiVendorHal": true, "HalDeviceManager": true, "HalDevMgr": true, "WifiNetworkFactory": true,
	"ActiveModeWarden": true, "WifiActiveModeWarden": true, "WifiController": true, "WifiNl80211Manager": true,
	"SelfRecovery": true, "WifiSelfRecovery": true,
}

// androidManagerTags are read like androidBringUpTags but are left out of
// Android Studio's tag completion (studioTags): "WifiClient...509:wlan0]"
// must stay WifiClientModeImpl's.
var androidManagerTags = map[string]bool{"WifiClientModeManager": true}

// androidHALService reports whether a tag is the Wi-Fi HAL service's
// (hardware/interfaces/wifi logs under its process name:
// "android.hardware.wifi@1.0-service", "...@1.0-service.legacy",
// "android.hardware.wifi-service"); not the supplicant's or hostapd's HALs
// ("android.hardware.wifi.supplicant..."), whose daemons log under their
// own names.
func androidHALService(prog string) bool {
	rest, ok := strings.CutPrefix(prog, "android.hardware.wifi")
	return ok && (rest == "" || rest[0] == '@' || strings.HasPrefix(rest, "-service"))
}

var reAndProvFail = regexp.MustCompile(`^onProvisioningFailure\(\): (\d+)`)

// androidIpClientTag reports whether a tag is IpClient's state machine's
// ("IpClient.wlan0"; "IpManager.wlan0" before Android 10) and its
// interface.
func androidIpClientTag(prog string) (string, bool) {
	for _, pre := range []string{"IpClient.", "IpManager."} {
		if iface, ok := strings.CutPrefix(prog, pre); ok && iface != "" {
			return iface, true
		}
	}
	return "", false
}

// androidBringUp reads one of this file's lines; false when the line is not
// one of them.
func androidBringUp(m *message, p *parsed) (match, bool) {
	e := &p.ev
	msg := m.msg
	prog := m.prog
	fail := func(k diagnostics.Kind, name string) (match, bool) {
		e.Kind, e.OK, e.Name = k, diagnostics.Bool(false), name
		return take, true
	}
	if iface, ok := androidIpClientTag(prog); ok {
		// IpClient.doImmediateProvisioningFailure (NetworkStack
		// src/android/net/ip/IpClient.java) logs through its SharedLog,
		// which writes errors to logcat under "IpClient.<iface>"
		// (Android 9 and earlier "IpManager.<iface>"):
		// "onProvisioningFailure(): N", N an IpManagerEvent type. Only
		// the immediate failures are logged this way; a DHCP timeout is
		// not (it reaches ClientModeImpl's handleIPv4Failure).
		e.Iface = iface
		g := reAndProvFail.FindStringSubmatch(msg)
		if g == nil {
			return drop, true
		}
		switch g[1] {
		case "4": // ERROR_STARTING_IPV4: DhcpClient could not be started
			return fail(diagnostics.KindDHCP, "IPv4 provisioning did not start")
		case "8": // ERROR_INTERFACE_NOT_FOUND
			return fail(diagnostics.KindDevice, "interface not found")
		default: // 5 ERROR_STARTING_IPV6, 6 ..._IPREACHABILITYMONITOR, 7 ERROR_INVALID_PROVISIONING, 9 ..._DHCPV6
			e.Kind, e.Name = diagnostics.KindNote, "onProvisioningFailure "+g[1]
			return take, true
		}
	}
	if prog == "WifiUtils" {
		// ThanosFisherman/WifiUtils, a library apps use to scan and join
		// (WifiUtils.java, logged by wifiLog as "WifiUtils: " + text
		// under the tag WifiUtils): "ERROR COULDN'T SCAN" when
		// WifiManager.startScan() returned false, which on Android 9
		// and later is the framework refusing the scan (ScanRequestProxy's
		// throttle, or a scan that could not start); the library then
		// hands the app an empty list. A refused scan, as for
		// "Scan request from PKG throttled". Its other lines are the
		// app's and are passed on.
		if strings.HasSuffix(msg, "ERROR COULDN'T SCAN") {
			e.Kind, e.Name = diagnostics.KindScanBusy, "refused"
			return take, true
		}
		return pass, true
	}
	if androidHALService(prog) {
		switch {
		// wifi_mode_controller.cpp WifiModeController::initialize:
		// "Failed to load WiFi driver" (driver_tool LoadDriver: insmod of
		// the module failed); wifi.cpp Wifi::initializeModeControllerAndLegacyHal:
		// "Failed to initialize firmware mode controller", "Failed to
		// initialize legacy HAL: <status>"; wifi_legacy_hal.cpp:
		// "Failed to initialize legacy hal function table" (no vendor HAL
		// for the chip); wifi.cpp startInternal: "Wifi HAL start failed".
		case strings.HasPrefix(msg, "Failed to load WiFi driver"):
			return fail(diagnostics.KindDevice, "driver load failed")
		case strings.HasPrefix(msg, "Failed to initialize firmware mode controller"),
			strings.HasPrefix(msg, "Failed to change WiFi firmware mode"):
			return fail(diagnostics.KindDevice, "firmware mode failed")
		case strings.HasPrefix(msg, "Failed to initialize legacy HAL"),
			strings.HasPrefix(msg, "Failed to initialize legacy hal function table"):
			return fail(diagnostics.KindDevice, "vendor HAL failed")
		case strings.HasPrefix(msg, "Wifi HAL start failed"):
			return fail(diagnostics.KindDevice, "vendor HAL failed")
		}
		if strings.Contains(m.tag, "...") {
			// Android Studio's shortened tag ("android.ha...0-service")
			// may be another HAL's.
			return pass, true
		}
		return drop, true
	}
	switch prog {
	case "WifiNative", "WifiVendorHal", "HalDeviceManager", "HalDevMgr":
		switch {
		// WifiNative.startHal / WifiVendorHal.startVendorHal: "Failed to
		// start vendor HAL"; WifiNative.initialize: "Failed to initialize
		// vendor HAL"; setupInterfaceForClientInScanMode: "Failed to
		// create iface in vendor HAL", "Failed to setup iface in
		// wificond=wlan0"; HalDeviceManager.startWifi: "Cannot start
		// IWifi. Status: N", "Cannot start IWifi after trying N times"
		// (Android 8-12: "Cannot start IWifi: <status>"). Its "Cannot
		// start wifi because unavailable. Retrying..." is a retry and is
		// dropped, as is Android 9's "Cannot start IWifi: <status>,
		// Retrying...".
		case strings.HasPrefix(msg, "Cannot start IWifi") && strings.HasSuffix(msg, "Retrying..."):
			return drop, true
		case strings.HasPrefix(msg, "Failed to start vendor HAL"), strings.HasPrefix(msg, "Failed to initialize vendor HAL"),
			strings.HasPrefix(msg, "Cannot start IWifi"):
			return fail(diagnostics.KindDevice, "vendor HAL failed")
		case strings.HasPrefix(msg, "Failed to create iface in vendor HAL"), strings.HasPrefix(msg, "Failed to setup iface in wificond"):
			return fail(diagnostics.KindDevice, "station interface setup failed")
		// WifiNative.startAndWaitForSupplicantConnection: "Failed to
		// startup supplicant"; startSupplicant: "Failed to connect to
		// supplicant" (its HAL did not come up in time).
		case strings.HasPrefix(msg, "Failed to startup supplicant"), strings.HasPrefix(msg, "Failed to connect to supplicant"):
			return fail(diagnostics.KindBackend, "wpa_supplicant")
		}
		if prog == "WifiNative" {
			if r, ok := androidNativeDaemons(msg, e); ok {
				return r, true
			}
		}
	case "SupplicantStaIfaceHal", "SupplicantStaIfaceHalHidlImpl", "SupplicantStaIfaceHalAidlImpl":
		switch {
		// The framework reached wpa_supplicant's HAL: AidlImpl.startDaemon
		// "Obtained ISupplicant binder." (Android 13 and later),
		// HidlImpl's service notification "Completed service
		// registration of ISupplicant." (11-12) and Android 8-10's
		// SupplicantStaIfaceHal "Completed initialization of
		// ISupplicant.". Logged at every start of Wi-Fi, and after a
		// restart that followed a daemon's death: wpa_supplicant is up
		// again, which lifts an earlier "wpa_supplicant died". Its
		// death recipients' own lines ("ISupplicant binder died.",
		// "ISupplicant died: cookie=N") are logged on every orderly
		// stop as well (terminate() waits for the death) and are not
		// read; WifiNative's "wpa_supplicant died" is.
		case strings.HasPrefix(msg, "Obtained ISupplicant binder"),
			strings.HasPrefix(msg, "Completed initialization of ISupplicant."),
			strings.HasPrefix(msg, "Completed service registration of ISupplicant"):
			e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(true), "wpa_supplicant running"
			return take, true
		// HidlImpl.startDaemon: "Exception while trying to start
		// supplicant: E"; AidlImpl.startDaemon / getSupplicantMockable:
		// "Unable to obtain ISupplicant binder.", "Unable to get
		// ISupplicant service, E"; SupplicantStaIfaceHal.initialize: "No
		// HIDL or AIDL service available for SupplicantStaIfaceHal.";
		// Android 8-10 initSupplicantService: "ISupplicant.getService
		// exception: E", "Got null ISupplicant service. Stopping
		// supplicant HIDL startup".
		case strings.HasPrefix(msg, "Got null ISupplicant service"),
			strings.HasPrefix(msg, "Exception while trying to start supplicant"),
			strings.HasPrefix(msg, "Unable to obtain ISupplicant binder"),
			strings.HasPrefix(msg, "Unable to get ISupplicant service"),
			strings.HasPrefix(msg, "No HIDL or AIDL service available"),
			strings.HasPrefix(msg, "ISupplicant.getService exception"):
			return fail(diagnostics.KindBackend, "wpa_supplicant")
		}
	case "wificond":
		switch {
		// server.cpp RefreshWiphyIndex: "Failed to get wiphy index" (no
		// nl80211 wiphy: the driver is not loaded); SetupInterface: "No
		// usable interface found"; scanner_impl.cpp scan(): CHECK(error_code
		// != ENODEV) << "Driver is in a bad state, restarting wificond";
		// Android 8 server.cpp: "Failed to load WiFi driver!".
		// SetupInterface also: "Failed to get interfaces info from
		// kernel" (NL80211_CMD_GET_INTERFACE failed).
		case strings.HasPrefix(msg, "Failed to get wiphy index"), strings.HasPrefix(msg, "No usable interface found"),
			strings.HasPrefix(msg, "Failed to get interfaces info from kernel"),
			strings.Contains(msg, "Driver is in a bad state"), strings.HasPrefix(msg, "Failed to load WiFi driver"),
			strings.HasPrefix(msg, "Failed to change WiFi firmware mode"):
			return fail(diagnostics.KindDevice, "driver unavailable")
		}
	case "WificondControl", "WifiNl80211Manager":
		switch {
		// WificondControl (Android 8-10) and WifiNl80211Manager (11 and
		// later) setupInterfaceForClientMode: wificond returned no client
		// interface ("Could not get IClientInterface instance from
		// wificond": it found no usable nl80211 interface, see its own
		// lines); retrieveWificondAndRegisterForDeath: "Failed to get
		// reference to wificond" (the daemon is not running).
		case strings.Contains(msg, "Could not get IClientInterface instance from wificond"):
			return fail(diagnostics.KindDevice, "station interface setup failed")
		case strings.HasPrefix(msg, "Failed to get reference to wificond"):
			return fail(diagnostics.KindBackend, "wificond")
		}
	case "WifiNetworkFactory":
		switch {
		// needNetworkFor: an app's WifiNetworkSpecifier request while no
		// client mode manager is up: "Request with wifi network specifier
		// when wifi is off.Rejecting". Wi-Fi is off when a join was
		// wanted.
		case strings.HasPrefix(msg, "Request with wifi network specifier when wifi is off"):
			return fail(diagnostics.KindRadio, "wifi-off")
		// Android 10's acceptRequest and needNetworkFor: "Wifi off.
		// Rejecting" (the same refusal in its older words).
		case msg == "Wifi off. Rejecting":
			return fail(diagnostics.KindRadio, "wifi-off")
		// acceptRequest refuses an app's WifiNetworkSpecifier request and
		// releases it as unfulfillable (the app's onUnavailable):
		// isRequestWithWifiNetworkSpecifierValid's reasons ("Request with
		// wifi network specifier cannot contain NET_CAPABILITY_INTERNET.
		// Rejecting", "Requesting specific frequency bands is not yet
		// supported. Rejecting", "Invalid wifi network specifier: WNS.
		// Rejecting ", "... with TOFU enabled: ..."), then its summary
		// "Invalid network specifier: NS. Rejecting" (Android 10:
		// "Invalid network specifier mentioned. Rejecting", "Invalid
		// network specifier. Rejecting "). The request was invalid; the
		// summary ends the attempt.
		case strings.HasPrefix(msg, "Request with wifi network specifier cannot contain NET_CAPABILITY_INTERNET"):
			e.Kind, e.Name = diagnostics.KindInvalidInput, "network request with NET_CAPABILITY_INTERNET"
			return take, true
		case strings.HasPrefix(msg, "Requesting specific frequency bands is not yet supported"):
			e.Kind, e.Name = diagnostics.KindInvalidInput, "network request for a band"
			return take, true
		case strings.HasPrefix(msg, "Invalid wifi network specifier"):
			e.Kind, e.Name = diagnostics.KindInvalidInput, "invalid wifi network specifier"
			return take, true
		case strings.HasPrefix(msg, "Invalid network specifier") && strings.Contains(msg, "Rejecting"):
			e.Kind, e.Name, p.role = diagnostics.KindInvalidInput, "invalid network specifier", roleTerminal
			return take, true
		// acceptRequest: only a foreground app or service may ask for a
		// specific network ("Request not from foreground app or service.
		// Rejecting request from PKG"), and not a guest user ("network
		// specifier from guest user, reject"); handleRejectUserSelection:
		// the user dismissed the approval dialog ("User dismissed
		// notification, cancelling REQ"). Refused for the caller, as
		// NEHotspotConfiguration's applicationIsNotInForeground and
		// userDenied are.
		case strings.HasPrefix(msg, "Request not from foreground app or service"):
			e.Kind, e.Name, p.role = diagnostics.KindPermission, "network request not from a foreground app", roleTerminal
			return take, true
		case strings.HasPrefix(msg, "network specifier from guest user"):
			e.Kind, e.Name, p.role = diagnostics.KindPermission, "network request from a guest user", roleTerminal
			return take, true
		case strings.HasPrefix(msg, "User dismissed notification, cancelling"):
			e.Kind, e.Name, p.role = diagnostics.KindPermission, "network request dismissed by the user", roleTerminal
			return take, true
		// Another app's request holds the factory ("Request cannot
		// override active request. Rejecting request from PKG", "...
		// connected request ...", "Already processing request from a
		// foreground app P. Rejecting request from Q"): refused, for no
		// fault of the network or the stack. A note that ends the
		// attempt.
		case strings.HasPrefix(msg, "Request cannot override active request"),
			strings.HasPrefix(msg, "Request cannot override connected request"),
			strings.HasPrefix(msg, "Already processing request from a foreground app"):
			e.Kind, e.Name, p.role = diagnostics.KindNote, "network request refused: another app's request holds wifi", roleTerminal
			return take, true
		// handleNetworkConnectionFailure: the retries are spent (or the
		// password was called wrong) and the request is given up
		// ("Connection failures, cancelling NET"); the cause is in the
		// lines before. "Wifi off, cancelling REQ" (setWifiState): Wi-Fi
		// was switched off during the request, which says nothing about
		// a failure before it: notes.
		case strings.HasPrefix(msg, "Connection failures, cancelling"):
			e.Kind, e.Name, p.role = diagnostics.KindNote, "network request given up after connection failures", roleTerminal
			return take, true
		case strings.HasPrefix(msg, "Wifi off, cancelling"):
			e.Kind, e.Name = diagnostics.KindNote, "wifi switched off: network request cancelled"
			return take, true
		// ConnectionTimeoutAlarmListener: the factory gave up after its
		// connection timeout; the cause is in the lines before.
		case strings.HasPrefix(msg, "Timed-out connecting to network"):
			e.Kind, e.Name = diagnostics.KindNote, "network request connection timed out"
			return take, true
		case strings.HasPrefix(msg, "Scan failure received"):
			return pass, false // androidScan reads it
		}
		return drop, true
	case "WifiClientModeManager":
		// ConcreteClientModeManager's IdleState CMD_START (Android 11
		// and later; 10's ClientModeManager): setupInterfaceForClientInScanMode
		// gave no interface, "Failed to create ClientInterface. Sit in
		// Idle", and the manager reports a start failure: Wi-Fi does not
		// come up. WifiNative's own line before it says which part (the
		// HAL, wificond) failed. The tag names the interface as
		// "[id:unknown]" then.
		if strings.HasPrefix(msg, "Failed to create ClientInterface") {
			if e.Iface == "unknown" {
				e.Iface = ""
			}
			return fail(diagnostics.KindDevice, "station interface setup failed")
		}
		return drop, true
	case "SelfRecovery", "WifiSelfRecovery":
		switch {
		// SelfRecovery.trigger: the driver took the station interface
		// down ("STA interface down, disable wifi"), or the native
		// stack (HAL, wificond, supplicant) failed again after the
		// hour's restarts ("Already restarted wifi N times in last 1
		// hour. Disabling wifi") or with restarts disabled ("Recovery
		// disabled. Disabling wifi"): Wi-Fi is switched off.
		case strings.HasPrefix(msg, "STA interface down, disable wifi"):
			return fail(diagnostics.KindDevice, "interface down: wifi disabled")
		case strings.HasPrefix(msg, "Already restarted wifi"), strings.HasPrefix(msg, "Recovery disabled. Disabling wifi"):
			return fail(diagnostics.KindDevice, "native failures: wifi disabled")
		// "Triggering recovery for reason: R": a restart follows, whose
		// outcome the later lines say.
		case strings.HasPrefix(msg, "Triggering recovery for reason"):
			e.Kind, e.Name = diagnostics.KindNote, "wifi restart: "+strings.TrimSpace(strings.TrimPrefix(msg, "Triggering recovery for reason:"))
			return take, true
		}
		return drop, true
	case "ActiveModeWarden", "WifiActiveModeWarden", "WifiController":
		// SelfRecovery gave up ("Recovery has been throttled, disable
		// wifi", Android 9's WifiController and ActiveModeWarden).
		if strings.HasPrefix(msg, "Recovery has been throttled") {
			return fail(diagnostics.KindDevice, "native failures: wifi disabled")
		}
		// A user switching airplane mode on is a toggle, not a failure:
		// "Wifi disabled on APM, disable wifi" (DefaultState's
		// CMD_AIRPLANE_TOGGLED). Whether a join was wanted is said by
		// other lines (setWifiEnabled refused, a request while off).
		// Android 9's WifiController: "Airplane mode toggled, shutdown
		// all modes".
		if strings.HasPrefix(msg, "Wifi disabled on APM") || strings.HasPrefix(msg, "Airplane mode toggled, shutdown all modes") {
			e.Kind, e.Name = diagnostics.KindNote, "airplane mode on: wifi disabled"
			return take, true
		}
		return drop, true
	case "WifiService", "WifiServiceImpl":
		switch {
		// WifiServiceImpl.setWifiEnabled (Android 13+): refused while
		// satellite mode is on, and returns false: Wi-Fi stays off.
		case strings.HasPrefix(msg, "setWifiEnabled not allowed as satellite mode is on"):
			return fail(diagnostics.KindRadio, "satellite-mode")
		// refused for the caller: an app targeting Android 10 or later
		// may not switch Wi-Fi, and device-owner restrictions.
		case strings.HasPrefix(msg, "setWifiEnabled not allowed for uid="),
			strings.HasPrefix(msg, "setWifiEnabled with user restriction: only DO/PO can toggle wifi"):
			return fail(diagnostics.KindPermission, "setWifiEnabled refused")
		}
	case "WificondScannerImpl":
		// startSingleScan refuses a scan while its own is running (the
		// scanning service serialises requests; the refusal is a busy
		// scanner).
		if strings.HasPrefix(msg, "A single scan is already running") {
			e.Kind, e.Name = diagnostics.KindScanBusy, "already running"
			return take, true
		}
	case "WifiScanningService":
		// WifiScanningServiceImpl's SingleScanStateMachine: the scanner
		// refused the scan ("Failed to start single scan on wlan0"); the
		// scanner's own line, logged first, says why.
		if strings.HasPrefix(msg, "Failed to start single scan on ") {
			e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "start failed"
			e.Iface = strings.TrimSpace(strings.TrimPrefix(msg, "Failed to start single scan on "))
			return take, true
		}
	}
	return pass, false
}

var reAndBlocklist = regexp.MustCompile(`addToBlocklist: bssid=(\S+?), ssid=(.*?), durationMs=-?\d+, (?:reason|blockReason)=(REASON_\w+)`)

// androidBlocklist reads WifiBlocklistMonitor.addToBlocklist's local log
// line (Android 11: BssidBlocklistMonitor), which `dumpsys wifi` prints:
// "WifiBlocklistMonitor addToBlocklist: bssid=B, ssid="S", durationMs=N,
// reason=REASON_X, rssi=R". The reason names are
// WifiBlocklistMonitor.buildBssidDisableReasons'. ClientModeImpl blocks a
// BSSID for REASON_WRONG_PASSWORD after an authentication failure it calls
// a wrong password (AUTH_FAILURE_WRONG_PSWD), REASON_ASSOCIATION_TIMEOUT
// after an association that timed out and REASON_DHCP_FAILURE after
// provisioning failed (getFailureReasonForBlocklist). The other reasons
// repeat lines that carry their own codes, or may concern a network that
// had joined (REASON_AP_UNABLE_TO_HANDLE_NEW_STA is set both for a
// rejection with status 17 and for a later DISASSOC_AP_BUSY disconnect;
// validation, disconnects), and are notes.
func androidBlocklist(m *message, p parsed) (parsed, match) {
	e := &p.ev
	e.Source = diagnostics.SourceAndroid
	g := reAndBlocklist.FindStringSubmatch(m.msg)
	if g == nil {
		if m.tag == "" {
			return p, pass
		}
		return p, drop
	}
	e.BSSID, e.SSID = normBSSID(g[1]), cleanSSID(strings.Trim(g[2], `"`))
	e.Name = strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(g[3], "REASON_"), "_", "-"))
	switch g[3] {
	case "REASON_WRONG_PASSWORD":
		e.Kind = diagnostics.KindPskMismatch
	case "REASON_ASSOCIATION_TIMEOUT":
		e.Kind = diagnostics.KindAssocTimeout
	case "REASON_DHCP_FAILURE":
		e.Kind, e.OK = diagnostics.KindDHCP, diagnostics.Bool(false)
	default:
		e.Kind = diagnostics.KindNote
	}
	return p, take
}

// androidNativeDaemons reads WifiNative's lines about its native daemons
// (packages/modules/Wifi WifiNative.java; the same words since Android
// 8.1's frameworks/opt/net/wifi):
//
//   - the death handlers, run only for a daemon that died while Wi-Fi was
//     on (an orderly stop deregisters them first: stopSupplicantIfNecessary
//     calls deregisterDeathHandler before terminate): "Vendor HAL died.
//     Cleaning up internal state." (VendorHalDeathHandlerInternal),
//     "wificond died. ..." (WificondDeathHandlerInternal),
//     "wpa_supplicant died. ..." (SupplicantDeathHandlerInternal). Each
//     calls onNativeDaemonDeath, after which SelfRecovery restarts Wi-Fi
//     (REASON_WIFINATIVE_FAILURE, "Triggering recovery for reason"). The
//     Wi-Fi HAL and wificond are the device's side (as "Failed to start
//     vendor HAL" and "Failed to setup iface in wificond" are read),
//     wpa_supplicant the backend. hostapd's death is the access point's
//     and is not read.
//   - the set-up lines that say the restart worked: "Successfully setup
//     Iface:{Name=wlan0,Id=N,Type=STA_SCAN}" (setupInterfaceForClientInScanMode,
//     Android 11 and later: the HAL and wificond gave a station
//     interface; Android 8.1-10's setupInterfaceForClientMode logs it with
//     Type=STA_CONNECTIVITY after wpa_supplicant took the interface too)
//     and "Successfully switched to connectivity mode on iface=..."
//     (switchClientInterfaceToConnectivityMode, 11 and later: wpa_supplicant
//     took it). They lift the death (or a failed start) before them. An
//     access point's interface ("Type=AP") is not read.
func androidNativeDaemons(msg string, e *diagnostics.Event) (match, bool) {
	switch {
	case strings.HasPrefix(msg, "Vendor HAL died. Cleaning up internal state."):
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "vendor HAL died"
	case strings.HasPrefix(msg, "wificond died. Cleaning up internal state."):
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "wificond died"
	case strings.HasPrefix(msg, "wpa_supplicant died. Cleaning up internal state."):
		e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(false), "wpa_supplicant died"
	case strings.HasPrefix(msg, "Successfully setup Iface:"):
		if !strings.Contains(msg, "Type=STA_") {
			return drop, true
		}
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "station interface up"
	case strings.HasPrefix(msg, "Successfully switched to connectivity mode on iface="):
		e.Kind, e.OK, e.Name = diagnostics.KindBackend, diagnostics.Bool(true), "wpa_supplicant running"
	default:
		return pass, false
	}
	return take, true
}
