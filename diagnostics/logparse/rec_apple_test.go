package logparse

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Real lines. Each comment names where the line was published; the same
// sources are listed in testdata/tuning-sources/apple.txt.
var (
	// https://developer.apple.com/forums/thread/761487 (log show, default
	// style; spacing as in the jp.narouhz.com mirror of the thread).
	appleScanRetry  = `2024-08-06 18:24:13.090634+0800 0x86f393   Default     0x0                  158    0    airportd: (IO80211) [com.apple.WiFiManager:] Info: <airport[158]> -[CWXPCSubsystem performScanWithChannelList:ssidList:legacyScanSSID:dwellTimeOverride:interfaceName:scanParametersOverride:allowDuringAWDLRealTimeMode:connection:scannedChannels:error:]: Failed to perform Wi-Fi scan, returned error code 16, will try again in 200 ms`
	appleScanIOC    = `2024-08-06 18:24:13.295896+0800 0x86f393   Default     0x0                  158    0    airportd: (IO80211) Apple80211IOCTLSetWrapper:5093 @[3748838.819485] ifname['en0'] IOUC type 10/'APPLE80211_IOC_SCAN_REQ', len[5456] return 16/0x00000010`
	appleScanRetry2 = `2024-08-06 18:24:13.295929+0800 0x86f393   Default     0x0                  158    0    airportd: (IO80211) [com.apple.WiFiManager:] Info: <airport[158]> -[CWXPCSubsystem performScanWithChannelList:ssidList:legacyScanSSID:dwellTimeOverride:interfaceName:scanParametersOverride:allowDuringAWDLRealTimeMode:connection:scannedChannels:error:]: Failed to perform Wi-Fi scan, returned error code 16, will try again in 200 ms`
	appleScanFinal  = `2024-08-06 18:24:13.498811+0800 0x86f393   Default     0x0                  158    0    airportd: (IO80211) [com.apple.WiFiManager:] Info: <airport[158]> -[CWXPCSubsystem performScanWithChannelList:ssidList:legacyScanSSID:dwellTimeOverride:interfaceName:scanParametersOverride:allowDuringAWDLRealTimeMode:connection:scannedChannels:error:]: Failed to perform Wi-Fi scan, returned error code 16`
	// The same thread: the poster's program's own report of the scan call.
	appleScanTuple = `took 2.0468 seconds, returned error [16, com.apple.wifi.apple80211API.error, 'Resource busy']`
	// https://github.com/flutternetwork/WiFiFlutter/issues/77
	appleNEInternal = `Error Domain=NEHotspotConfigurationErrorDomain Code=8 "internal error." UserInfo={NSLocalizedDescription=internal error.}`
	// https://github.com/flutternetwork/WiFiFlutter/issues/332 (the alert's text)
	appleUnable = `Unable to join the network "SSID"`
	// https://github.com/barrykn/big-sur-micropatcher/issues/47 and
	// https://github.com/BenSova/Patched-Sur/issues/36 (the dialog's text)
	appleNotFound = `The network could not be found.`
	// Quoted from Xcode's console in a code comment that cites
	// https://developer.apple.com/forums/thread/127834
	appleHelper = `NEHotspotConfigurationHelper failed to communicate to helper server.`
	// https://pxlnv.com/blog/io80211family/ (Console, OS X 10.8)
	appleLinkDown = `2012-07-25 5:24:59.000 PM kernel[0]: AirPort: Link Down on en1. Reason 255 (unknown reason).`
	appleLinkUp   = `2012-07-25 5:25:36.000 PM kernel[0]: AirPort: Link Up on en1`
	// https://github.com/jtaczanowski/ThinkPad-X201-Arrandale-macOS-OpenCore/issues/21 (/var/log/wifi.log)
	appleWifiLogLine = `Sun Oct 23 22:37:01.981 <airport[184]> ERROR: sharingd (415) is not entitled for com.apple.wifi.join_history, will not allow request`
	// https://github.com/JuanSeBestia/react-native-wifi-reborn/issues/181 (Xcode console, NSLog envelope)
	appleNSLog = `2021-05-11 17:07:35.066667+0200 ToyLights[968:409645] [javascript] Invariant Violation: `
	// https://community.arubanetworks.com/t5/Controller-Based-WLANs/Why-are-some-MacBook-clients-sometimes-unable-to-connect-to-a/ta-p/180750
	// https://github.com/lldpd/lldpd/issues/61 (OS X 10.9 /var/log/system.log)
	appleScanReqFailed = `Apr 11 17:32:33 lostar-mba kernel[0]: IO80211ScanManager::startScanMultiple: Scan request failed (16)!`
	// https://github.com/toleda/wireless_half-mini/issues/17 (log show, macOS 10.12)
	appleWlcStart  = `2017-01-22 02:00:50.291885+0100 0xe8       Default     0x0                  0      kernel: (AirPortBrcm4360) ARPT: 1.931757: wlcStart failed`
	appleBrcmStart = `2017-01-22 02:00:50.305910+0100 0xe8       Default     0x0                  0      kernel: (AirPortBrcm4360) ARPT: 1.945784: AirPort_Brcm43XX::start: failed`
	appleAruba     = `Apr 22 09:48:35 test-computer Apple80211Agent[193]: Error joining TEST-SSID: See administrator (-14 Access point full)`
	// https://rene.rebe.de/2013-03-29/when-mac-os-x-wifi-country-code-goes-wrong/
	// (OS X 10.8 system.log; the post's typographic quotes kept)
	appleCountryTW = `Mar 18 19:53:25 retina kernel[0]: en0: 802.11d country code set to ‘TW’.`
	appleCountryX3 = `Mar 18 22:56:20 retina kernel[0]: en0: 802.11d country code set to ‘X3′.`
)

// Lines in the documented formats with no public sample to copy (the
// format's source is in rec_apple.go beside each case): networksetup's
// join failure and power state, NSError's default description, the Network
// pane's self-assigned status, IPConfiguration's INIT-REBOOT timeout.
var (
	appleNSJoinFail   = `Failed to join network Office.`
	appleNSErr3900    = `Error: -3900  The operation couldn’t be completed. tmpErr`
	appleNSErr3925    = `Error: -3925  The operation couldn’t be completed. (com.apple.coreWLAN.error error -3925.)`
	appleNSJoinOneLn  = `Failed to join network Cafe.Net. Error: -3913  The operation couldn’t be completed. (com.apple.coreWLAN.error error -3913.)`
	appleNSPowerOff   = `Wi-Fi Power (en0): Off`
	appleNSPowerOn    = `Wi-Fi Power (en0): On`
	appleSelfAssigned = `Wi-Fi has the self-assigned IP address 169.254.12.7 and will not be able to connect to the Internet.`
	appleInitReboot   = `2024-01-01 10:00:00.123456+0000 0x1a2b     Default     0x0                  80     0    configd: [com.apple.IPConfiguration:] DHCP en0: INIT-REBOOT (192.168.1.5) timed out`
	appleScanCall16   = `-[CWInterface scanForNetworksWithName:error:] failed: Error Domain=com.apple.wifi.apple80211API.error Code=16 "Resource busy"`
	appleNEDesc7      = `The operation couldn’t be completed. (NEHotspotConfigurationErrorDomain error 7.)`
)

func TestAppleLines(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04:05.999999999-0700", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UTC()
	}
	tests := []struct {
		line string
		want diagnostics.Event
		role role
		ok   bool
	}{
		{appleScanRetry, diagnostics.Event{Time: at("2024-08-06 18:24:13.090634+0800"), Source: "apple", Kind: "scan_busy", Code: 16, Name: "EBUSY"}, roleNone, true},
		{appleScanIOC, diagnostics.Event{Time: at("2024-08-06 18:24:13.295896+0800"), Source: "apple", Kind: "note", Name: "scan ioctl returned 16"}, roleNone, true},
		{appleScanFinal, diagnostics.Event{Time: at("2024-08-06 18:24:13.498811+0800"), Source: "apple", Kind: "scan_busy", Code: 16, Name: "EBUSY"}, roleNone, true},
		// The real line's format with IOKit's busy code (no public sample).
		{strings.Replace(appleScanFinal, "code 16", "code -536870187", 1), diagnostics.Event{Time: at("2024-08-06 18:24:13.498811+0800"), Source: "apple", Kind: "scan_busy", Code: -536870187, Name: "kIOReturnBusy"}, roleNone, true},
		{strings.Replace(appleScanFinal, "code 16", "code 5", 1), diagnostics.Event{Time: at("2024-08-06 18:24:13.498811+0800"), Source: "apple", Kind: "scan_done", Code: 5, OK: diagnostics.Bool(false)}, roleNone, true},
		// Not said to be a scan's: context only.
		{appleScanTuple, diagnostics.Event{Source: "apple", Kind: "note", Code: 16, Name: "apple80211 error 16 (EBUSY)"}, roleNone, true},
		{appleNEInternal, diagnostics.Event{Source: "apple", Kind: "note", Code: 8, Name: "internal"}, roleTerminal, true},
		{appleUnable, diagnostics.Event{Source: "apple", Kind: "note", Name: "unable to join (cause not stated)", SSID: "SSID"}, roleTerminal, true},
		{appleNotFound, diagnostics.Event{Source: "apple", Kind: "note", Name: "network could not be found (cause not stated)"}, roleTerminal, true},
		{appleHelper, diagnostics.Event{Source: "apple", Kind: "note", Name: "nehelper not reached"}, roleTerminal, true},
		{appleLinkDown, diagnostics.Event{Time: time.Date(2012, 7, 25, 17, 24, 59, 0, time.UTC), Source: "apple", Kind: "note", Name: "link down reason 255"}, roleNone, true},
		{appleLinkUp, diagnostics.Event{Time: time.Date(2012, 7, 25, 17, 25, 36, 0, time.UTC), Source: "apple", Kind: "note", Name: "link up"}, roleNone, true},
		// OS X 10.9 system.log: https://github.com/lldpd/lldpd/issues/61
		{appleScanReqFailed, diagnostics.Event{Time: time.Date(2024, 4, 11, 17, 32, 33, 0, time.UTC), Source: "apple", Kind: "scan_busy", Code: 16, Name: "EBUSY"}, roleNone, true},
		// macOS 10.12 log show (no TTL column): https://github.com/toleda/wireless_half-mini/issues/17
		{appleWlcStart, diagnostics.Event{Time: at("2017-01-22 02:00:50.291885+0100"), Source: "apple", Kind: "device", OK: diagnostics.Bool(false), Name: "driver start failed"}, roleNone, true},
		{appleBrcmStart, diagnostics.Event{Time: at("2017-01-22 02:00:50.305910+0100"), Source: "apple", Kind: "device", OK: diagnostics.Bool(false), Name: "driver start failed"}, roleNone, true},
		// No documented code: nothing is read.
		{appleAruba, diagnostics.Event{}, roleNone, false},
		// 802.11d: context only (rec_apple.go says why).
		{appleCountryTW, diagnostics.Event{Time: time.Date(2024, 3, 18, 19, 53, 25, 0, time.UTC), Source: "apple", Kind: "note", Name: "802.11d country code TW"}, roleNone, true},
		{appleCountryX3, diagnostics.Event{Time: time.Date(2024, 3, 18, 22, 56, 20, 0, time.UTC), Source: "apple", Kind: "note", Name: "802.11d country code X3"}, roleNone, true},
		// networksetup -setairportnetwork's failure and its code.
		{appleNSJoinFail, diagnostics.Event{Source: "apple", Kind: "note", Name: "networksetup: failed to join (cause not stated)", SSID: "Office"}, roleTerminal, true},
		{appleNSErr3900, diagnostics.Event{Source: "apple", Kind: "note", Code: -3900, Name: "kCWInvalidParameterErr"}, roleNone, true},
		{appleNSErr3925, diagnostics.Event{Source: "apple", Kind: "auth_timeout", Name: "kCWSupplicantTimeoutErr"}, roleNone, true},
		{appleNSJoinOneLn, diagnostics.Event{Source: "apple", Kind: "assoc_status", Code: 17, Name: "kCWAPFullErr", SSID: "Cafe.Net"}, roleTerminal, true},
		// Not a CWErr: not read.
		{`Error: -3999  The operation couldn’t be completed.`, diagnostics.Event{}, roleNone, false},
		{`Error: -39 is not a code`, diagnostics.Event{}, roleNone, false},
		// networksetup -getairportpower.
		{appleNSPowerOff, diagnostics.Event{Source: "apple", Kind: "radio", OK: diagnostics.Bool(false), Name: "Wi-Fi power off"}, roleNone, true},
		{appleNSPowerOn, diagnostics.Event{Source: "apple", Kind: "radio", OK: diagnostics.Bool(true)}, roleNone, true},
		{`Ethernet Power (en5): Off`, diagnostics.Event{}, roleNone, false},
		// DHCP: the link-local fallback is a failure, INIT-REBOOT's
		// timeout (it goes back to INIT) is not.
		{appleSelfAssigned, diagnostics.Event{Source: "apple", Kind: "dhcp", OK: diagnostics.Bool(false), Name: "self-assigned 169.254.12.7"}, roleNone, true},
		{`Ethernet has the self-assigned IP address 169.254.3.4 and will not be able to connect to the Internet.`, diagnostics.Event{}, roleNone, false},
		{appleInitReboot, diagnostics.Event{Time: at("2024-01-01 10:00:00.123456+0000"), Source: "apple", Kind: "note", Name: "DHCP INIT-REBOOT timed out (back to INIT)"}, roleNone, true},
		// IPConfiguration's SELECT timeout and a NAK (dhcp.c dhcp_select,
		// dhcp_init_reboot): the client starts over, notes.
		{`2024-01-01 10:00:00.123456+0000 0x1a2b     Default     0x0                  80     0    configd: [com.apple.IPConfiguration:] DHCP en0: SELECT timed out`,
			diagnostics.Event{Time: at("2024-01-01 10:00:00.123456+0000"), Source: "apple", Kind: "note", Name: "DHCP SELECT timed out (back to INIT)"}, roleNone, true},
		{`2024-01-01 10:00:00.123456+0000 0x1a2b     Default     0x0                  80     0    configd: [com.apple.IPConfiguration:] DHCP en0: got DHCP NAK`,
			diagnostics.Event{Time: at("2024-01-01 10:00:00.123456+0000"), Source: "apple", Kind: "note", Name: "DHCPNAK"}, roleNone, true},
		{`DHCP en0: SELECT timed out, retrying`, diagnostics.Event{}, roleNone, false},
		// EBUSY on a line that names a scan call; NSError's default
		// description of a hotspot error.
		{appleScanCall16, diagnostics.Event{Source: "apple", Kind: "scan_busy", Code: 16, Name: "EBUSY"}, roleNone, true},
		// errno 82, EPWROFF: the interface is powered off.
		{`-[CWXPCSubsystem performScanWithChannelList:ssidList:legacyScanSSID:dwellTimeOverride:interfaceName:scanParametersOverride:allowDuringAWDLRealTimeMode:connection:scannedChannels:error:]: Failed to perform Wi-Fi scan, returned error code 82`,
			diagnostics.Event{Source: "apple", Kind: "radio", OK: diagnostics.Bool(false), Code: 82, Name: "Wi-Fi power off (EPWROFF)"}, roleNone, true},
		{`-[CWInterface scanForNetworksWithName:error:] failed: Error Domain=com.apple.wifi.apple80211API.error Code=82 "Device power is off"`,
			diagnostics.Event{Source: "apple", Kind: "radio", OK: diagnostics.Bool(false), Code: 82, Name: "Wi-Fi power off (EPWROFF)"}, roleNone, true},
		{`took 0.0012 seconds, returned error [82, com.apple.wifi.apple80211API.error, 'Device power is off']`,
			diagnostics.Event{Source: "apple", Kind: "radio", OK: diagnostics.Bool(false), Code: 82, Name: "Wi-Fi power off (EPWROFF)"}, roleNone, true},
		{appleNEDesc7, diagnostics.Event{Source: "apple", Kind: "permission", Code: 7, Name: "userDenied"}, roleTerminal, true},
		{appleWifiLogLine, diagnostics.Event{}, roleNone, false},
	}
	for _, tt := range tests {
		got, r, ok := parseOne(tt.line)
		if ok != tt.ok {
			t.Errorf("%q: ok %v, want %v (%+v)", tt.line, ok, tt.ok, got)
			continue
		}
		if !ok {
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Message")); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestAppleEnvelope(t *testing.T) {
	tests := []struct {
		line string
		want lineInfo
	}{
		{appleScanIOC, lineInfo{t: time.Date(2024, 8, 6, 10, 24, 13, 295896000, time.UTC), prog: "airportd",
			msg: `Apple80211IOCTLSetWrapper:5093 @[3748838.819485] ifname['en0'] IOUC type 10/'APPLE80211_IOC_SCAN_REQ', len[5456] return 16/0x00000010`}},
		{appleScanFinal, lineInfo{t: time.Date(2024, 8, 6, 10, 24, 13, 498811000, time.UTC), prog: "airportd", tag: "com.apple.WiFiManager",
			msg: appleScanFinal[strings.Index(appleScanFinal, "Info: <airport"):]}},
		{appleNSLog, lineInfo{t: time.Date(2021, 5, 11, 15, 7, 35, 66667000, time.UTC), prog: "ToyLights", tag: "javascript", msg: "Invariant Violation: "}},
		{appleWifiLogLine, lineInfo{t: time.Date(2024, 10, 23, 22, 37, 1, 981000000, time.UTC), prog: "airport", yearless: true,
			msg: "ERROR: sharingd (415) is not entitled for com.apple.wifi.join_history, will not allow request"}},
		{appleLinkDown, lineInfo{t: time.Date(2012, 7, 25, 17, 24, 59, 0, time.UTC), prog: "kernel", msg: "AirPort: Link Down on en1. Reason 255 (unknown reason)."}},
	}
	for _, tt := range tests {
		lp := newLineParser(2024)
		got, ok := appleEnvelope(&lp, tt.line)
		if !ok {
			t.Errorf("%q: not recognised", tt.line)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(lineInfo{})); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
	}
	// Other shapes are not Apple's.
	for _, s := range []string{
		"2024-01-01 10:00:00 host NetworkManager[612]: <info>  [1700000000.1234] device (wlan0): state change",
		"Nov 14 22:13:20 host wpa_supplicant[1]: wlan0: CTRL-EVENT-SCAN-FAILED ret=-16",
		"2024-01-01T10:00:00+0000 host kernel: wlan0: associated",
		appleAruba,
	} {
		lp := newLineParser(2024)
		if li, ok := appleEnvelope(&lp, s); ok {
			t.Errorf("%q taken as Apple's: %+v", s, li)
		}
	}
}

// TestAppleCodes checks the documented code tables against the
// documentation's numbers (NEHotspotConfigurationManager.h, CWErrors.h).
func TestAppleCodes(t *testing.T) {
	ne := map[int]string{0: "invalid", 7: "userDenied", 8: "internal", 9: "pending", 11: "unknown", 13: "alreadyAssociated",
		14: "applicationIsNotInForeground", 15: "invalidSSIDPrefix", 16: "userUnauthorized", 17: "systemDenied"}
	for code, name := range ne {
		if neHotspotErrors[code].name != name {
			t.Errorf("NEHotspotConfigurationError %d is %q, want %q", code, neHotspotErrors[code].name, name)
		}
	}
	cw := []struct {
		code int
		want diagnostics.Event
	}{
		{-3905, diagnostics.Event{Source: "apple", Kind: "assoc_timeout", Name: "kCWTimeoutErr"}},
		{-3913, diagnostics.Event{Source: "apple", Kind: "assoc_status", Code: 17, Name: "kCWAPFullErr"}},
		{-3912, diagnostics.Event{Source: "apple", Kind: "auth_status", Code: 15, Name: "kCWChallengeFailureErr"}},
		{-3925, diagnostics.Event{Source: "apple", Kind: "auth_timeout", Name: "kCWSupplicantTimeoutErr"}},
		{-3929, diagnostics.Event{Source: "apple", Kind: "backend", OK: diagnostics.Bool(false), Name: "kCWIPCFailureErr"}},
		{-3930, diagnostics.Event{Source: "apple", Kind: "permission", Code: -3930, Name: "kCWOperationNotPermittedErr"}},
		{-3900, diagnostics.Event{Source: "apple", Kind: "note", Code: -3900, Name: "kCWInvalidParameterErr"}},
		{-4000, diagnostics.Event{Source: "apple", Kind: "note", Code: -4000, Name: "CWErr -4000"}},
	}
	for _, tt := range cw {
		if diff := cmp.Diff(tt.want, cwEvent(tt.code)); diff != "" {
			t.Errorf("CWErr %d (-want +got):\n%s", tt.code, diff)
		}
	}
	// The whole enum as CoreWLANTypes.h declares it: kCWEAPOLErr = 1,
	// then -3900 down to -3931 in this order, with no gaps.
	header := []string{"kCWInvalidParameterErr", "kCWNoMemoryErr", "kCWUnknownErr", "kCWNotSupportedErr",
		"kCWInvalidFormatErr", "kCWTimeoutErr", "kCWUnspecifiedFailureErr", "kCWUnsupportedCapabilitiesErr",
		"kCWReassociationDeniedErr", "kCWAssociationDeniedErr", "kCWAuthenticationAlgorithmUnsupportedErr",
		"kCWInvalidAuthenticationSequenceNumberErr", "kCWChallengeFailureErr", "kCWAPFullErr",
		"kCWUnsupportedRateSetErr", "kCWShortSlotUnsupportedErr", "kCWDSSSOFDMUnsupportedErr",
		"kCWInvalidInformationElementErr", "kCWInvalidGroupCipherErr", "kCWInvalidPairwiseCipherErr",
		"kCWInvalidAKMPErr", "kCWUnsupportedRSNVersionErr", "kCWInvalidRSNCapabilitiesErr",
		"kCWCipherSuiteRejectedErr", "kCWInvalidPMKErr", "kCWSupplicantTimeoutErr",
		"kCWHTFeaturesNotSupportedErr", "kCWPCOTransitionTimeNotSupportedErr", "kCWReferenceNotBoundErr",
		"kCWIPCFailureErr", "kCWOperationNotPermittedErr", "kCWErr"}
	for i, name := range header {
		if got := cwErrors[-3900-i].name; got != name {
			t.Errorf("CWErr %d is %q, want %q", -3900-i, got, name)
		}
	}
	if cwErrors[1].name != "kCWEAPOLErr" || len(cwErrors) != len(header)+1 {
		t.Errorf("CWErr table: %d entries, 1 is %q", len(cwErrors), cwErrors[1].name)
	}
}

func diagnoseApple(t *testing.T, lines ...string) *diagnostics.Report {
	t.Helper()
	rep, err := Diagnose(context.Background(), strings.NewReader(strings.Join(lines, "\n")+"\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestAppleDiagnose(t *testing.T) {
	// The forum's excerpt alone: airportd's refusals, no join attempt.
	// Without a situation verdict the report counts them; with one
	// (diagnostics.ClassifySituation) the window is scan_busy. Either way
	// the three refusals, and only they, are what the report rests on.
	rep := diagnoseApple(t, appleScanRetry, appleScanIOC, appleScanRetry2, appleScanFinal)
	switch {
	case rep.Class == diagnostics.None && len(rep.Attempts) == 0 && strings.Contains(rep.Detail, "3 scans refused as busy"):
	case rep.Class == diagnostics.ScanBusy && strings.Contains(rep.Detail, "3 scans refused"):
	default:
		t.Errorf("scan refusals: class %s, %d attempts, detail %q", rep.Class, len(rep.Attempts), rep.Detail)
	}
	// The hotspot API's internal error says nothing about the cause.
	rep = diagnoseApple(t, appleNEInternal)
	if rep.Class != diagnostics.Unknown || len(rep.Attempts) != 1 {
		t.Errorf("internal error: class %s, %d attempts", rep.Class, len(rep.Attempts))
	}
	// "Unable to join" after airportd's refusals (composed from the two
	// sources above): the refusals are the evidence, but no rule
	// concludes from them alone, so the class stays unknown rather than
	// not_found.
	rep = diagnoseApple(t, appleScanRetry, appleScanIOC, appleScanRetry2, appleScanFinal, appleUnable)
	if rep.Class == diagnostics.NotFound || len(rep.Attempts) != 1 {
		t.Fatalf("busy then unable: class %s, %d attempts", rep.Class, len(rep.Attempts))
	}
	busy := 0
	for _, ev := range rep.Attempts[0].Evidence {
		if strings.Contains(ev.Text, "scan_busy") {
			busy++
		}
	}
	if rep.Class != diagnostics.Unknown || busy != 3 {
		t.Errorf("busy then unable: class %s, %d scan_busy evidence: %+v", rep.Class, busy, rep.Attempts[0].Evidence)
	}
	// "The network could not be found" alone is not proof of absence.
	rep = diagnoseApple(t, appleNotFound)
	if rep.Class != diagnostics.Unknown {
		t.Errorf("could not be found: class %s", rep.Class)
	}
}

// FuzzApple: arbitrary lines go through the envelope and Diagnose without
// panicking, and what the envelope claims is in the line: its program and
// message are substrings of it.
func FuzzApple(f *testing.F) {
	for _, l := range []string{appleScanRetry, appleScanIOC, appleScanFinal, appleScanTuple, appleNEInternal, appleUnable,
		appleNotFound, appleHelper, appleLinkDown, appleLinkUp, appleWifiLogLine, appleNSLog, appleAruba,
		"2024-08-06 18:24:13.090 Df airportd[158:86f393] (IO80211) [com.apple.WiFiManager:] Failed to perform Wi-Fi scan, returned error code 5",
		"Error Domain=NEHotspotConfigurationErrorDomain Code=13 \"already associated.\"",
		appleCountryTW, appleCountryX3, appleNSJoinFail, appleNSErr3900, appleNSErr3925, appleNSJoinOneLn,
		appleNSPowerOff, appleNSPowerOn, appleSelfAssigned, appleInitReboot, appleScanCall16, appleNEDesc7,
	} {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, line string) {
		lp := newLineParser(2024)
		if li, ok := appleEnvelope(&lp, line); ok {
			if !strings.Contains(line, li.msg) || !strings.Contains(line, li.prog) || li.prog == "" {
				t.Fatalf("%q: envelope claims prog %q msg %q", line, li.prog, li.msg)
			}
			if li.t.IsZero() {
				t.Fatalf("%q: no time", line)
			}
		}
		if _, err := Diagnose(context.Background(), strings.NewReader(line+"\n"+line+"\n"), Options{}); err != nil && !strings.Contains(err.Error(), "binary") {
			t.Fatalf("%q: %v", line, err)
		}
	})
}

// networksetup's own messages, as its users paste them (no envelope); the
// wording of "is not a Wi-Fi interface." as networksetup prints it is the
// one other tools parse from its output (exit status 10).
func TestNetworksetup(t *testing.T) {
	tests := []struct {
		lines []string
		want  diagnostics.Class
	}{
		{[]string{"$ networksetup -setairportnetwork en1 Office secret", "en1 is not a Wi-Fi interface."}, diagnostics.DeviceUnavailable},
		{[]string{"Could not find network Office."}, diagnostics.NotFound},
		// Not networksetup's line: a sentence that merely ends the same way.
		{[]string{"the configured AP_INTERFACE 'eth0' is not a Wi-Fi interface."}, diagnostics.None},
		// -setairportnetwork's failure: the code on the next line decides;
		// -3900 says nothing (tools see it on joins that land), and the
		// first line alone states no cause.
		{[]string{"$ networksetup -setairportnetwork en0 Office secret", appleNSJoinFail, appleNSErr3925}, diagnostics.AssocRejected},
		{[]string{appleNSJoinFail, appleNSErr3900}, diagnostics.Unknown},
		{[]string{appleNSJoinFail}, diagnostics.Unknown},
		{[]string{appleNSJoinOneLn}, diagnostics.AssocRejected},
		// The radio off before the join is the cause; turned on again, it
		// is not.
		{[]string{"$ networksetup -getairportpower en0", appleNSPowerOff, "$ networksetup -setairportnetwork en0 Office secret", appleNSJoinFail}, diagnostics.RadioOff},
		{[]string{appleNSPowerOff, appleNSPowerOn, appleNSJoinFail}, diagnostics.Unknown},
		// No lease: the link-local fallback.
		{[]string{appleSelfAssigned}, diagnostics.DHCPFailed},
		// Look-alikes: INIT-REBOOT's timeout is a step of a working DHCP
		// client; 802.11d changes (the blog post's excerpt) name no network.
		{[]string{appleInitReboot}, diagnostics.None},
		{[]string{appleCountryTW, appleCountryX3, appleCountryTW}, diagnostics.None},
		// A scan call refused as busy is scan_busy, never not_found.
		{[]string{appleScanCall16, appleScanCall16}, diagnostics.ScanBusy},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%q: class %s, want %s", tt.lines, rep.Class, tt.want)
		}
	}
	got := parseSeq("Could not find network Office.")
	want := []diagnostics.Event{{Source: "apple", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "Office"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}
