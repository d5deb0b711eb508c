package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Qualcomm's Android driver, qcacld-3.0 (and the qcacld-2.0/prima trees
// before it), as `adb shell dmesg` and bugreports' KERNEL LOG show it. Its
// HDD layer logs through qdf_trace_msg (qdf/linux/src/qdf_trace.c), whose
// prefix is the module's name and "[pid:LEVEL:CATEGORY] " ("wlan:
// [1232:E :HDD] " in older trees, whose VERBOSE_STR pads the level, "wlan:
// [1232:E:HDD] " later), then hdd_err's "%s: %d: " function and line:
//
//	wlan: [1234:E:HDD] __wlan_hdd_cfg80211_scan: 1234: Scan not allowed. scan_ebusy_cnt: 3 Session 0 Reason 1
//
// What is read is the scan refusal of __wlan_hdd_cfg80211_scan
// (core/hdd/src/wlan_hdd_scan.c, CodeLinaro-mirror/external-wlan_qcacld-3.0
// and the LineageOS msm8998/sdm660/sdm845 kernels): while a connection is
// being set up (hdd_is_connection_in_progress; cds_is_connection_in_progress
// in older trees) it logs "Scan not allowed" (". scan_ebusy_cnt: %d", later
// with " Session %d Reason %d") and returns -EBUSY, which wpa_supplicant
// reports as "CTRL-EVENT-SCAN-FAILED ret=-16". "scan reject threshold
// reached ..." follows when the refusals go on for SCAN_REJECT_THRESHOLD_TIME
// and the driver then restarts the firmware ("Triggering SSR due to scan
// stuck"): the same refusals, a note.
var recAndroidQcacld = recognizer{
	name:  "qcacld",
	title: "Qualcomm qcacld (Android dmesg, wlan: [..:E:HDD])",
	keys:  []string{"Scan not allowed", "scan reject threshold reached", "Triggering SSR due to scan stuck"},
	parse: parseQcacld,
}

// reQdfHDD is qdf_trace_msg's prefix and hdd_err's function and line.
var reQdfHDD = regexp.MustCompile(`\w+: \[\d+:[A-Z]{1,2} ?:HDD\] (\w+): (?:\d+: )?(.*?)\s*$`)

func parseQcacld(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" && m.prog != "kernel" && m.prog != "wlan" {
		return p, pass
	}
	msg := m.msg
	if m.prog == "wlan" {
		// After a bare dmesg stamp the envelope may take "wlan:" for the
		// program.
		msg = "wlan: " + msg
	}
	g := reQdfHDD.FindStringSubmatch(msg)
	if g == nil || !strings.HasSuffix(g[1], "cfg80211_scan") {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceKernel
	text := g[2]
	switch {
	case text == "Scan not allowed" || strings.HasPrefix(text, "Scan not allowed. scan_ebusy_cnt:"):
		e.Kind, e.Name, e.Code = diagnostics.KindScanBusy, "qcacld connection in progress", -16
	case strings.HasPrefix(text, "scan reject threshold reached"), strings.HasPrefix(text, "Triggering SSR due to scan stuck"):
		e.Kind, e.Name = diagnostics.KindNote, "qcacld scans refused too long: firmware restart"
	default:
		return p, drop
	}
	return p, take
}
