package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Broadcom's Android driver, bcmdhd (the "Dongle Host Driver" of Pixel,
// Samsung, Sony and most Broadcom/Cypress/AMPAK phones, TV boxes and
// boards), as it appears in `adb shell dmesg`, bugreports' KERNEL LOG and
// serial consoles. Its cfg80211 layer (wl_cfg80211.c, wl_cfgscan.c)
// prints its errors through WL_ERR (wl_cfg80211.h):
//
//	pr_cont(CFG80211_ERROR_TEXT "%s : ", __func__); pr_cont args;
//
// with CFG80211_ERROR_TEXT "CFG80211-ERROR) ", the function's name and the
// text: "CFG80211-ERROR) wl_cfg80211_scan : scan error (-16)". Vendor trees
// put their own prefix first ("[dhd] ", "[dhd-wlan0] " in AMPAK/Rockchip's
// dhd_msg, "BCM:" on Allwinner's); older trees (bcmdhd 1.x, printk(KERN_INFO
// ...) then printk args) give the text a record of its own on kernels that
// no longer join printks without KERN_CONT, so "CFG80211-ERROR)
// wl_run_escan : " is followed by a line " Escan set error (-37)". The
// header alone says nothing and is dropped; of the bare texts only those
// no other program prints are read (bcmdhdBareScan).
//
// What is read are the scan refusals, which reach cfg80211 as the errno
// wpa_supplicant reports ("CTRL-EVENT-SCAN-FAILED ret=-16"), so that a
// dmesg paste without wpa_supplicant's lines still shows them:
// wl_cfgscan.c (GrapheneOS/kernel_google-modules_wlan_bcmdhd_bcm4389,
// 2021-2024):
//   - is_scan_allowed: "Scanning already" (a scan of the driver's own is
//     running), "Association is in progress, skip new scan"; then
//     __wl_cfg80211_scan: "scan not permitted!", -EAGAIN;
//   - wl_cfgscan_handle_scanbusy: "Scan err = (%d), busy?%d" (the firmware
//     answered BCME_BUSY or BCME_NOTREADY: -EBUSY), "Scan not permitted due
//     to scan suppress" (-EPERM while the framework suppresses scans during
//     a connection), "scan busy due to csa in progress" (-EAGAIN);
//   - wl_cfg80211_scan: "scan error (%d)", the errno cfg80211 gets: -16
//     EBUSY and -11 EAGAIN are refusals, others a failed scan;
//   - wl_run_escan: " Escan set error (%d)", the firmware refused the escan
//     iovar (its BCME code; BCME_BUSY is -16): the scan did not start;
//   - wl_scan_timeout: "timer expired", the scan's results never came (the
//     driver then reports it aborted).
//
// bcmdhd 1.x's __wl_cfg80211_scan (non-escan path) prints "system busy :
// scan for \"%s\" canceled" for EBUSY and "WLC_SCAN error (%d)" else; the
// broadcom-sta "ERROR @func : " form of the same texts is parseWl's
// (rec_driver.go).
var recAndroidBcmdhd = recognizer{
	name:  "bcmdhd",
	title: "Broadcom bcmdhd (Android dmesg, CFG80211-ERROR)",
	keys: []string{"CFG80211-ERROR)", "Escan set error (", "Scanning already", "skip new scan",
		"Scan err = (", "scan busy due to csa", "Scan not permitted due to scan suppress"},
	envelope: nil,
	parse:    parseBcmdhd,
}

var (
	// reBcmdhdErr: WL_ERR's "CFG80211-ERROR) FUNC : TEXT", after an
	// optional vendor prefix ("[dhd] ", "[dhd-wlan0] ", "BCM:", the
	// log level digit Allwinner's leaks: "BCM:6").
	reBcmdhdErr = regexp.MustCompile(`^(?:\[dhd(?:-[a-z0-9_.-]+)?\] ?|BCM:\d?)?CFG80211-ERROR\) ?(\w+) :\s*(.*?)\s*$`)
	// reBcmdhdCode is the error number a text ends with: "(-16)", "(-37),
	// cnt=1", "= (-16), busy?-16".
	reBcmdhdCode = regexp.MustCompile(`\((-?\d+)\)`)
)

func parseBcmdhd(m *message) (parsed, match) {
	if m.prog != "" && m.prog != "kernel" {
		return parsed{}, pass
	}
	msg := reCallerID.ReplaceAllString(strings.TrimSpace(m.msg), "")
	if g := reBcmdhdErr.FindStringSubmatch(msg); g != nil {
		if g[2] == "" {
			// The header of a split WL_ERR: its text is the next record.
			return parsed{}, drop
		}
		return bcmdhdScan(g[1], g[2], true)
	}
	return bcmdhdScan("", msg, false)
}

// bcmdhdScan maps one WL_ERR text of function fn (empty when the text
// came on a record of its own) to a scan event. headed tells whether the
// "CFG80211-ERROR)" header was on the line: then every text is the
// driver's, and those not read are dropped.
func bcmdhdScan(fn, text string, headed bool) (parsed, match) {
	var p parsed
	e := &p.ev
	e.Source = diagnostics.SourceKernel
	code := func() int {
		if g := reBcmdhdCode.FindStringSubmatch(text); g != nil {
			c, _ := strconv.Atoi(g[1])
			return c
		}
		return 0
	}
	busy := func(name string, c int) (parsed, match) {
		e.Kind, e.Name, e.Code = diagnostics.KindScanBusy, "bcmdhd "+name, c
		return p, take
	}
	switch {
	case text == "Scanning already":
		return busy("scanning already", -11)
	case strings.HasPrefix(text, "Association is in progress, skip new scan"):
		return busy("association in progress", -11)
	case text == "scan not permitted!":
		return busy("scan not permitted", -11)
	case strings.HasPrefix(text, "Scan err = ("):
		return busy("firmware busy", -16)
	case strings.HasPrefix(text, "Scan not permitted due to scan suppress"):
		return busy("scan suppressed", -1)
	case strings.HasPrefix(text, "scan busy due to csa in progress"):
		return busy("channel switch in progress", -11)
	case strings.HasPrefix(text, "system busy : scan for "):
		return busy("system busy", -16)
	case strings.HasPrefix(text, "Escan set error ("):
		// BCME_BUSY (-16) and BCME_NOTREADY (-25, bcmerror.h) are the
		// firmware saying "not now"; others (BCME_VERSION -37: the escan
		// parameters' version is not the firmware's) fail the scan.
		c := code()
		if c == -16 || c == -25 {
			return busy("firmware busy", c)
		}
		e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "bcmdhd escan refused"
		return p, take
	case strings.HasPrefix(text, "WLC_SCAN error (") || (headed && strings.HasPrefix(text, "scan error (")):
		// A bare "scan error (%d)" is too common a phrase to be read
		// without the header; WLC_SCAN names Broadcom's ioctl.
		switch c := code(); c {
		case -16:
			return busy("EBUSY", c)
		case -11:
			return busy("EAGAIN", c)
		default:
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "bcmdhd scan error"
		}
		return p, take
	case headed && text == "timer expired" && strings.Contains(fn, "scan"):
		e.Kind, e.OK, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), "bcmdhd scan timeout"
		return p, take
	}
	if headed {
		return p, drop
	}
	return p, pass
}
