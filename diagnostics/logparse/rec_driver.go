package logparse

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// The kernel's Wi-Fi drivers, as dmesg, `journalctl -k` and syslog's
// "kernel:" lines show them. A driver writes through dev_printk
// ("iwlwifi 0000:00:14.3: text", include/linux/dev_printk.h), netdev_printk
// ("iwlwifi 0000:00:14.3 wlp0s20f3: text"), wiphy_printk ("ieee80211 phy0:
// text", include/net/cfg80211.h) or pr_* with its module name in pr_fmt
// ("brcmfmac: brcmf_c_preinit_dcmds: text"); old brcmfmac logs the function
// alone ("brcmf_sdio_htclk: text"). The recognizer reads only drivers of
// wireless devices (reWifiDriver) and only their messages whose meaning the
// driver's source fixes:
//
//   - the probe gave up: no firmware it accepts, the firmware never came
//     alive, the chip does not answer: no interface exists, so the device
//     is unavailable (KindDevice, OK false). The retries on the way there
//     are not failures: iwlwifi asks for each firmware API version from
//     newest to oldest, and the firmware loader logs "Direct firmware load
//     for X failed with error -2" for every one it lacks
//     (drivers/base/firmware_loader/main.c, fw_log_firmware_info); ath10k
//     logs "could not fetch firmware file 'X': -2" for each firmware-N.bin
//     (ath10k_core_fetch_firmware_api_n). Only the driver's own final words
//     are evidence.
//   - the radio kill switch, in the state it reports (KindRadio): iwlwifi's
//     "RF_KILL bit toggled to disable radio." (pcie/rx.c,
//     iwl_pcie_handle_rfkill_irq), thinkpad_acpi's radio switch.
//   - scans the driver refused because one is running or a connection is
//     being set up (KindScanBusy): brcmfmac's brcmf_cfg80211_scan.
//   - firmware crashes and restarts: notes, never failures by themselves,
//     because the driver restarts the firmware and mac80211 reconfigures
//     the interface (net/mac80211/util.c, ieee80211_restart_hw, which logs
//     "Hardware restart was requested"); only a restart that fails leaves
//     no device.

var recDriver = recognizer{
	name:  "kernel-driver",
	title: "kernel Wi-Fi drivers (iwlwifi, brcmfmac, ath9k/10k/11k, mt76, rtw88/rtw89, mwifiex, ...; dmesg)",
	keys: []string{"iwl", "brcmf", "ath9k", "ath1", "mt7", "mt76", "rtw", "rtl8", "r8723bs", "r8188eu", "mwifiex", "wl1", "wilc",
		"b43", "wcn36xx", "carl9170", "rt2", "ieee80211 phy", "thinkpad_acpi", "probe of", "probe with driver",
		"ipw", "Kill Switch", "request_firmware(rtlwifi/", "wlcore", "nxpwifi", "ERROR @", "ath: phy", "Firmware failed to start", "wl driver ",
		"scan abort!!", "Download Firmware failed!!", "download firmware FAIL!", "power on failed!!", "scan_abort time out",
		"Hardware became unavailable"},
	envelope: kernelEnvelope,
	parse:    parseDriver,
}

var (
	// reDmesgDecode is `dmesg -x` (--decode): facility and level before
	// the timestamp ("kern  :err   : [   12.345678] iwlwifi ...",
	// util-linux sys-utils/dmesg.c, print_record).
	reDmesgDecode = regexp.MustCompile(`^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|res0|res1|res2|res3|local[0-7]) *:(emerg|alert|crit|err|warn|notice|info|debug) *: ?`)
	// reKmsgRecord is a /dev/kmsg record as `cat /dev/kmsg` and `dmesg
	// -r`'s successor print it: "level,seqnum,usec,flags;message"
	// (Documentation/ABI/testing/dev-kmsg).
	reKmsgRecord = regexp.MustCompile(`^\d{1,3},\d+,\d+,[-c+]*(?:,[^;]*)?;`)
)

// kernelEnvelope reads the kernel log's own envelopes that syslog and the
// journal never produce: `dmesg -x` and /dev/kmsg records. What follows is
// the message with dmesg's timestamp, which the line parser strips; every
// recognizer then reads it as the kernel's.
func kernelEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	var li lineInfo
	if s == "" {
		return li, false
	}
	switch c := s[0]; {
	case c >= 'a' && c <= 'u':
		g := reDmesgDecode.FindStringSubmatch(s)
		if g == nil {
			return li, false
		}
		li.msg = s[len(g[0]):]
		if g[1] == "kern" {
			li.prog = "kernel"
		}
		if c := li.msg; c != "" && (c[0] == '[' || c[0] >= '0' && c[0] <= '9') {
			// `dmesg -x -T` ("kern  :err   : [Fri Mar  1 10:00:00
			// 2024] text") and `dmesg -x --time-format iso` ("kern
			// :err   : 2024-03-01T10:00:00,123456+01:00 text"):
			// print_record puts the decoded prefix before any
			// timestamp. The monotonic "[   12.345678]" is left to
			// the line parser.
			if t, rest, stamped, _ := lp.parseStamp(c); stamped && !t.IsZero() {
				li.t, li.msg = t, rest
			}
		}
	case c >= '0' && c <= '9':
		g := reKmsgRecord.FindString(s)
		if g == "" {
			return li, false
		}
		li.msg, li.prog = s[len(g):], "kernel"
	default:
		return li, false
	}
	return li, true
}

var (
	// reCallerID is printk's caller field (CONFIG_PRINTK_CALLER: "[  T839] "
	// for a task, "[    C1] " for a CPU), which dmesg shows after the
	// timestamp.
	reCallerID = regexp.MustCompile(`^\[ *[TC]\d+\] `)
	// reDevPrintk is dev_printk's and netdev_printk's prefix: the driver,
	// the device's bus name (PCI "0000:00:14.3", SDIO "mmc1:0001:1", USB
	// "1-2:1.0", "phy0"), optionally the interface.
	reDevPrintk = regexp.MustCompile(`^([a-z][a-z0-9_-]*) (\S+?)(?: ([a-z][a-z0-9_.-]*))?: (.*)$`)
	// reWiphyName is a wiphy's name (net/wireless/core.c,
	// wiphy_new_nm: "phy%d"), as wiphy_printk prints it.
	reWiphyName = regexp.MustCompile(`^(?:phy|wiphy)\d+$`)
	// rePrFmt is pr_fmt's "module: " prefix.
	rePrFmt = regexp.MustCompile(`^([a-z][a-z0-9_-]*): (.*)$`)
	// reBrcmfFunc is the function name brcmfmac's brcmf_err and
	// brcmf_dbg put first (brcmfmac/debug.c, __brcmf_err).
	reBrcmfFunc = regexp.MustCompile(`^(brcmf_[a-z0-9_]+): (.*)$`)
	// reWifiDriver names the wireless drivers of drivers/net/wireless and
	// their bus modules ("ath10k_pci", "rtw_8822ce", "rtw89_8852be",
	// "mt7921e", "mwifiex_sdio"), and mac80211's "ieee80211".
	reWifiDriver = regexp.MustCompile(`^(?:iwlwifi|iwlagn|iwl3945|iwl4965|iwlmvm|iwldvm|iwlmld|brcmfmac|brcmsmac|b43|b43legacy|b43(?:legacy)?-phy\d+|` +
		`ath|ath5k|ath6kl\w*|ath9k\w*|ath10k\w*|ath11k\w*|ath12k\w*|carl9170|wcn36xx|wil6210|` +
		`mt76\w*|mt7\d{2,3}[a-z]*|mt7\d{2,3}_\w+|rtw_\w+|rtw88\w*|rtw89\w*|rtl8xxxu|rtl8\w+|rtlwifi|r8188eu|r8712u|r8723bs|rtl818\w*|` +
		`mwifiex\w*|nxpwifi\w*|mwl8k|mwlwifi|wl1251\w*|wl12xx|wl18xx|wlcore\w*|wilc1000\w*|rsi_\w+|cw1200\w*|p54\w*|` +
		`rt2\d00\w*|rt61pci|rt73usb|zd1211rw|at76c50x\w*|qtnfmac\w*|plfxlc|ipw2[12]00|ipw3945|ieee80211)$`)
	// reB43Phy is b43's and b43legacy's own prefix, "b43-phy0" (b43.h,
	// b43info/b43err: "b43-%s: ", "b43-%s ERROR: ", the wiphy's name),
	// which after a dmesg timestamp the envelope may take for a
	// program, as it does a wiphy's name.
	reB43Phy = regexp.MustCompile(`^b43(?:legacy)?-phy\d+$`)
	// reWlErr is Broadcom's proprietary wl driver (broadcom-sta,
	// wl_cfg80211_hybrid.h, WL_ERR): printk(KERN_ERR "ERROR @%s : " fmt,
	// __func__), with no module prefix.
	reWlErr = regexp.MustCompile(`^ERROR @(_{0,2}wl_\w+) : (.*?)\s*$`)
	// reWlAttach: wl_linux.c, wl_attach: printf("wl driver %s failed
	// with code %d\n", EPI_VERSION_STR, err) when wlc_attach fails (the
	// chip is not one wl drives, or another driver holds it): no
	// interface is created.
	reWlAttach = regexp.MustCompile(`^wl driver \S+(?: \(r\d+\))? failed with code (-?\d+)\s*$`)
	// reWlScanErr: __wl_cfg80211_scan's "WLC_SCAN error (%d)".
	reWlScanErr = regexp.MustCompile(`^WLC_SCAN error \((-?\d+)\)$`)
	// reDTWifiDevice is a platform device's name from a devicetree "wifi"
	// or "wmac" node ("18800000.wifi", "c000000.wifi", "18000000.wmac";
	// see parseDriver).
	reDTWifiDevice = regexp.MustCompile(`^[0-9a-f]{4,16}\.(?:wifi|wmac)$`)
	// reUSBBusID is a USB device's bus name ("1-1", "3-1.4"), which
	// dev_printk puts after "usb" for drivers that log on the USB device
	// rather than its interface (rtl8xxxu's &udev->dev); the envelope
	// takes "usb 1-1:" for a host and a program.
	reUSBBusID = regexp.MustCompile(`^\d+-[\d.]+$`)
	// reProbeFailed is the driver core's message when a driver's probe
	// returns an error (drivers/base/dd.c, call_driver_probe): "probe
	// with driver %s failed with error %d" since 5.17, "%s: probe of %s
	// failed with error %d" before.
	reProbeFailed = regexp.MustCompile(`^(?:probe with driver (\S+)|probe of \S+) failed with error (-?\d+)$`)
	// reErrNum is the error number a driver prints last, after a colon,
	// a comma, "error" or in parentheses ("Failed to start RT ucode:
	// -110", "could not probe fw (-110)", "Retrieving cur_etheraddr
	// failed, -52"), never a number inside a name ("minimum version
	// required: iwlwifi-8000C-22").
	reErrNum = regexp.MustCompile(`(?:[:,(] ?|error )(-\d+)\)?\.?$`)
	// reIwlScanFailed: iwlwifi's "Scan failed! ret %d" (mvm/scan.c; the
	// older LMAC form "Scan failed! status 0x%x ret %d").
	reIwlScanFailed = regexp.MustCompile(`^Scan failed! (?:status 0x[0-9a-fA-F]+ )?ret (-?\d+)$`)
	// reMwifiexScanFailed: mwifiex_cfg80211_scan's "scan failed: %d".
	reMwifiexScanFailed = regexp.MustCompile(`^scan failed: (-\d+)$`)
	// reBrcmfScanErr: brcmf_run_escan's "error (%d)" and
	// brcmf_cfg80211_scan's "scan error (%d)" (cfg80211.c).
	reBrcmfScanErr = regexp.MustCompile(`^(?:scan )?error \((-\d+)\)$`)
)

// Driver messages that mean no usable device, by driver family, each with
// the function that logs it. prefix is the message's start after the
// device prefix.
var driverFatal = []struct {
	family, prefix, name string
}{
	// iwlwifi: iwl-drv.c, iwl_request_firmware, after the oldest API
	// version was missing too; "%s%d is required" when only one is
	// accepted.
	{"iwl", "no suitable firmware found", "firmware failed to load"},
	{"iwl", "minimum version required: ", "firmware failed to load"},
	// iwlwifi: mvm/fw.c, iwl_run_unified_mvm_ucode and iwl_mvm_up (and
	// dvm/ucode.c); -ERFKILL is handled before this table.
	{"iwl", "Failed to start RT ucode", "firmware failed to start"},
	{"iwl", "Failed to run INIT ucode", "firmware failed to start"},
	// iwlwifi: mvm/fw.c, iwl_run_init_mvm_ucode (older kernels' name for
	// the INIT start), and dvm's __iwl_up, after a failed start: "Unable
	// to initialize device.".
	{"iwl", "Failed to start INIT ucode", "firmware failed to start"},
	{"iwl", "Unable to initialize device.", "firmware failed to start"},
	// iwlwifi: pcie/drv.c, iwl_pci_probe: the PCI id is in the table but
	// no configuration matches the card's subsystem, MAC and RF ids
	// ("No config found for PCI dev %04x/%04x, rev=0x%x, rfid=0x%x",
	// pr_err, so "iwlwifi: " first); the probe returns -EINVAL.
	{"iwl", "No config found for PCI dev ", "device not supported by the driver"},
	// iwlwifi: pcie/trans.c (iwl_trans_pcie_alloc; pcie/drv.c since
	// 6.x): the card's registers read all ones, it is not on the bus
	// (powered down, D3cold), and the probe returns -EIO.
	{"iwl", "HW_REV=0xFFFFFFFF, PCI issues?", "device not responding"},
	// b43/b43legacy: main.c, b43_print_fw_helptext(wl, true), after
	// b43_request_firmware found neither b43/ nor b43-open/ ucode
	// (each missing file is a "Firmware file ... not found" retry
	// before it); the warning form is an outdated firmware, handled
	// in parseDriver.
	{"b43", "You must go to ", "firmware failed to load"},
	// brcmfmac: sdio.c, brcmf_sdio_htclk (the chip's clock never came
	// up: it does not answer on the bus); brcmf_sdio_download_code_file
	// ("error %d on writing %d membytes at 0x%08x"); common.c,
	// brcmf_c_preinit_dcmds (the first firmware command failed);
	// core.c, brcmf_bus_started ("failed: %d", no interface is added).
	{"brcmf", "HT Avail timeout", "device not responding"},
	// The same function's other two ends: the clock request could not be
	// written or read back over SDIO ("HT Avail request error: %d", "HT
	// Avail read error: %d", -EBADE).
	{"brcmf", "HT Avail request error", "device not responding"},
	{"brcmf", "HT Avail read error", "device not responding"},
	{"brcmf", "Retrieving cur_etheraddr failed", "firmware failed to start"},
	{"brcmf_bus_started", "failed: ", "firmware failed to start"},
	{"brcmf_sdio_download_code_file", "error ", "firmware failed to load"},
	// brcmfmac: pcie.c, brcmf_pcie_download_fw_nvram: the firmware was
	// written but never published its shared RAM address (-ENODEV).
	{"brcmf_pcie_download_fw_nvram", "FW failed to initialize", "firmware failed to start"},
	// brcmfmac: core.c, brcmf_attach ("dongle is not responding:
	// err=%d" after brcmf_bus_started failed; "brcmf_fwvid_attach
	// failed": the vendor module is missing) and sdio.c,
	// brcmf_sdio_firmware_callback ("brcmf_attach failed", before 4.x
	// "dongle is not responding"), which then tears the device down;
	// sdio.c brcmf_sdio_probe_attach (the chip was not recognised) and
	// bcmsdh.c brcmf_ops_sdio_probe ("F2 error, probe failed %d...");
	// brcmf_sdio_dpc gives the bus up ("failed backplane access over
	// SDIO, halting operation"). Old kernels name brcmf_bus_started
	// brcmf_bus_start and spell "Retreiving".
	{"brcmf_attach", "dongle is not responding", "device not responding"},
	{"brcmf_attach", "brcmf_fwvid_attach failed", "driver probe failed"},
	{"brcmf_sdio_firmware_callback", "brcmf_attach failed", "driver probe failed"},
	{"brcmf_sdio_firmware_callback", "dongle is not responding", "device not responding"},
	{"brcmf_sdio_probe_attach", "brcmf_chip_attach failed", "device not responding"},
	{"brcmf_ops_sdio_probe", "F2 error, probe failed", "driver probe failed"},
	{"brcmf_sdio_dpc", "failed backplane access over SDIO", "device not responding"},
	{"brcmf_bus_start", "failed: ", "firmware failed to start"},
	{"brcmf", "Retreiving cur_etheraddr failed", "firmware failed to start"},
	// ath10k: core.c, ath10k_core_probe_fw and ath10k_core_register_work
	// ("could not probe fw (%d)" ends every failed probe); pci.c,
	// ath10k_pci_wake_wait's callers ("failed to wake target for
	// read32/write32": the chip does not answer on PCIe).
	{"ath", "could not probe fw", "driver probe failed"},
	{"ath", "could not fetch firmware files", "firmware failed to load"},
	{"ath", "failed to fetch board file", "firmware failed to load"},
	{"ath", "could not power on hif bus", "device not responding"},
	{"ath", "could not register to mac80211", "driver probe failed"},
	{"ath", "failed to wake target for ", "device not responding"},
	// ath9k: init.c, ath9k_init_softc ("Unable to initialize hardware;
	// initialization status: %d"); pci.c, ath_pci_probe.
	{"ath", "Unable to initialize hardware", "driver probe failed"},
	// The same after a dmesg timestamp: the envelope takes "ath:" for a
	// host and the wiphy for the program, which parseDriver restores as
	// mac80211's "ieee80211 phy0:"; the text is ath9k's alone.
	{"ieee80211", "Unable to initialize hardware; initialization status", "driver probe failed"},
	{"ath", "Failed to initialize device", "driver probe failed"},
	// ath11k/ath12k: qmi.c, the firmware's QMI handshake ("qmi failed
	// to load bdf file", "qmi failed memory request").
	{"ath1", "qmi failed", "firmware failed to start"},
	// ath11k/ath12k: mhi.c, ath11k_mhi_start ("failed to prepare mhi:
	// %d", "failed to power up mhi: %d": the chip's MHI never reached
	// its running state); core.c, ath11k_core_qmi_firmware_ready and its
	// callers ("failed to start firmware: %d", "failed to start core:
	// %d", "failed to create pdev core: %d": no radio is registered).
	{"ath1", "failed to prepare mhi", "device not responding"},
	{"ath1", "failed to power up mhi", "device not responding"},
	{"ath1", "failed to start firmware: ", "firmware failed to start"},
	{"ath1", "failed to start core: ", "firmware failed to start"},
	{"ath1", "failed to create pdev core", "driver probe failed"},
	// mt76: mt7921/pci_mcu.c and mt7615/mcu.c, the host cannot take the
	// chip from its firmware ("driver own failed"); mt7921/init.c,
	// mt7921_init_hardware ("hardware init failed"); mt792x_core.c,
	// the reset that should recover a hung chip failed.
	{"mt7", "driver own failed", "device not responding"},
	{"mt7", "hardware init failed", "driver probe failed"},
	{"mt7", "chip reset failed", "restart failed"},
	// mt76: mt7615/mcu.c and mt7915/mcu.c, *_load_firmware: the chip is
	// not in its download state, even after one restart (-EIO), and
	// "Timeout for initializing firmware": the firmware never reported
	// ready.
	{"mt7", "Firmware is not ready for download", "firmware failed to load"},
	{"mt7", "Timeout for initializing firmware", "firmware failed to start"},
	// rtw88: main.c, rtw_power_on ("failed to download firmware", "mac
	// power on failed") and rtw_chip_info_setup ("failed to setup chip
	// efuse info"); rtw89 logs the first as well (fw.c).
	{"rtw", "failed to download firmware", "firmware failed to load"},
	{"rtw", "mac power on failed", "device not responding"},
	{"rtw", "failed to setup chip efuse info", "driver probe failed"},
	{"rtw", "failed to setup chip information", "driver probe failed"},
	// rtw89: fw.c, rtw89_mfw_recognize: the firmware file holds no
	// image for this chip's cut; optional images (nowarn) are looked
	// up silently, so the line is a required one missing.
	{"rtw89", "no suitable firmware found", "firmware failed to load"},
	// rtw88 main.c, rtw_power_on and rtw_chip_efuse_enable ("failed to
	// setup hci", "failed to power on mac", "failed to wait firmware
	// completion"), at probe or when the interface is brought up; rtw89
	// core.c, rtw89_chip_info_setup ("failed to power on", "failed to
	// wait firmware completion", "failed to recognize firmware").
	{"rtw", "failed to power on", "device not responding"},
	{"rtw", "failed to setup hci", "device not responding"},
	{"rtw", "failed to wait firmware completion", "firmware failed to load"},
	{"rtw89", "failed to recognize firmware", "firmware failed to load"},
	// mwifiex: main.c, mwifiex_dnld_fw ("prog_fw failed ret=%#x", "FW
	// failed to be active in time") and _mwifiex_fw_dpc, which then
	// unregisters the device.
	{"mwifiex", "prog_fw failed", "firmware failed to load"},
	{"mwifiex", "FW failed to be active in time", "firmware failed to start"},
	{"mwifiex", "info: _mwifiex_fw_dpc: unregister device", "driver probe failed"},
	// mwifiex (and its successor nxpwifi): main.c, mwifiex_fw_dpc: the
	// asynchronous request_firmware found no file; the device is
	// torn down.
	{"mwifiex", "Failed to get firmware ", "firmware failed to load"},
	{"nxpwifi", "Failed to get firmware ", "firmware failed to load"},
	// wlcore (wl12xx/wl18xx): main.c, wl12xx_fetch_firmware ("could
	// not get firmware %s: %d") and wl12xx_init / wlcore_boot ("firmware
	// boot failed despite %d retries"); wl1271_error prints "wlcore:
	// ERROR " first.
	{"wlcore", "ERROR could not get firmware ", "firmware failed to load"},
	{"wlcore", "ERROR firmware boot failed despite ", "firmware failed to start"},
	// rtl8xxxu: core.c, rtl8xxxu_start_firmware, after its download
	// retries ("Firmware checksum poll timed out" is one of those).
	{"rtl8xxxu", "Firmware failed to start", "firmware failed to start"},
	// mac80211: util.c, ieee80211_handle_reconfig_failure: the driver
	// could not be restarted after a firmware crash.
	{"ieee80211", "Hardware became unavailable", "restart failed"},
	// iwlwifi pcie/trans.c: iwl_pcie_load_firmware_chunk ("Failed to
	// load firmware chunk!", -ETIMEDOUT: the DMA of the image never
	// completed) and iwl_pcie_load_section ("Could not load the [%d]
	// uCode section"), before "Failed to start RT ucode: -110".
	{"iwl", "Failed to load firmware chunk", "firmware failed to load"},
	{"iwl", "Could not load the [", "firmware failed to load"},
	// iwlwifi pcie/trans.c: iwl_trans_pcie_start_fw and the probe
	// ("Exit HW not ready", -EIO: iwl_pcie_prepare_card_hw failed, "This
	// may fail if AMT took ownership of the device") and
	// _iwl_trans_pcie_start_hw ("Error while preparing HW: %d").
	{"iwl", "Exit HW not ready", "device not responding"},
	{"iwl", "Error while preparing HW", "device not responding"},
	// iwlwifi pcie/trans.c, iwl_trans_pcie_removal_wk ("Device gone -
	// attempting removal") and __iwl_trans_pcie_grab_nic_access ("Device
	// gone - scheduling removal!", with remove_when_gone): the card reads
	// all ones and the driver removes it from the PCI bus.
	{"iwl", "Device gone - ", "device not responding"},
	// brcmfmac pcie.c, brcmf_pcie_setup's fail path: "Dongle setup
	// failed", then brcmf_fw_crashed and device_release_driver: no
	// interface is left.
	{"brcmf_pcie_setup", "Dongle setup failed", "firmware failed to start"},
	// ath10k core.c, ath10k_core_probe_fw: ath10k_core_start failed
	// ("could not init core (%d)"; "Could not init core: %d" in older
	// kernels), then the probe gives up.
	{"ath", "could not init core", "firmware failed to start"},
	{"ath", "Could not init core", "firmware failed to start"},
	// ath10k pci.c (ahb.c): ath10k_pci_hif_power_up and the probe
	// ("failed to reset chip: %d", after the warm and cold reset
	// attempts) and ath10k_pci_wait_for_target_init ("failed to read
	// device register, device is gone", -EIO: the register reads all
	// ones). Its "device has crashed during init" is one attempt.
	// ath10k core.c, ath10k_core_fetch_firmware_files: no firmware-N.bin
	// of any API version ("Failed to find firmware-N.bin (N between %d
	// and %d) from %s: %d"), after the per-version retries.
	{"ath", "Failed to find firmware-N.bin", "firmware failed to load"},
	{"ath", "failed to reset chip: ", "device not responding"},
	{"ath", "failed to read device register, device is gone", "device not responding"},
	// mt76 mt7915/mt7921 mcu.c, *_load_ram: the RAM code did not start
	// ("Failed to start WM firmware"; mt7996 "Failed to start %s
	// firmware" for WM, WA and DSP).
	{"mt7", "Failed to start WM firmware", "firmware failed to start"},
	{"mt7", "Failed to start WA firmware", "firmware failed to start"},
	{"mt7", "Failed to start DSP firmware", "firmware failed to start"},
	// mwifiex (nxpwifi) cmdevt.c, mwifiex_send_cmd: a command timed out
	// before (MWIFIEX_IS_CMD_TIMEDOUT) and every command since is
	// refused until the card is reset.
	{"mwifiex", "PREP_CMD: FW is in bad state", "device not responding"},
	{"nxpwifi", "PREP_CMD: FW is in bad state", "device not responding"},
}

// Driver messages about a firmware crash or restart the driver recovers
// from on its own: notes. When contains is set the message must also hold
// it.
var driverRestart = []struct {
	family, prefix, name, contains string
}{
	{"ieee80211", "Hardware restart was requested", "hardware restart", ""}, // mac80211 util.c, ieee80211_restart_hw
	{"iwl", "Microcode SW error detected", "firmware crashed", ""},          // iwlwifi fw/dump.c, mvm/ops.c
	{"ath", "firmware crashed!", "firmware crashed", ""},                    // ath10k pci.c, ath10k_pci_fw_crashed_dump
	{"mt7", "chip reset", "chip reset", ""},                                 // mt76 mt792x_core.c, mt792x_reset
	{"mt7", "Message ", "firmware message timeout", ") timeout"},            // mt76_connac_mcu.c: "Message %08x (seq %d) timeout"
	{"brcmf_sdio_bus_rxctl", "resumed on timeout", "control timeout", ""},   // brcmfmac sdio.c: one control reply missed
	// brcmfmac msgbuf.c, brcmf_msgbuf_query_dcmd: a PCIe firmware
	// command got no answer (-EIO to the caller, whose own error line
	// follows: "brcmf_cfg80211_scan: scan error (-5)").
	{"brcmf_msgbuf_query_dcmd", "Timeout on response for query command", "control timeout", ""},
	{"iwl", "Firmware error during reconfiguration", "firmware crashed", ""},  // iwlwifi mvm/ops.c: reprobe
	{"rtw", "SER catches error", "firmware crashed", ""},                      // rtw89 ser.c: system error recovery
	{"mt7", "Failed to get patch semaphore", "firmware patch retry", ""},      // mt76_connac2_load_patch: -EAGAIN, the init is retried; "hardware init failed" ends it
	{"iwl", "Error sending ", "firmware command timeout", ": time out after"}, // iwlwifi pcie/tx.c, iwl_trans_pcie_send_hcmd_sync
	// brcmfmac core.c, brcmf_fw_crashed (bphy_err): the firmware trapped;
	// the driver dumps it and, where the bus supports it, resets the
	// chip. pcie.c's "Dongle setup failed" before it is the failure.
	{"brcmf_fw_crashed", "Firmware has halted or crashed", "firmware crashed", ""},
	// brcmfmac fwil.c, brcmf_fil_cmd_data: a firmware command while the
	// bus is not up (-EIO). Healthy systems log it at suspend and
	// shutdown; a dead chip's own lines say more.
	{"brcmf_fil_cmd_data", "bus is down", "bus down", ""},
	// mwifiex (nxpwifi) cmdevt.c, mwifiex_cmd_timeout_func (MSG level):
	// one firmware command not answered; the card is reset on buses that
	// can.
	{"mwifiex", "mwifiex_cmd_timeout_func: Timeout cmd id", "firmware command timeout", ""},
	{"nxpwifi", "nxpwifi_cmd_timeout_func: Timeout cmd id", "firmware command timeout", ""},
}

// eRFKILL is the kernel's ERFKILL (include/uapi/asm-generic/errno.h):
// iwlwifi's firmware start returns it when the radio is killed.
const eRFKILL = 132

func parseDriver(m *message) (parsed, match) {
	var p parsed
	e := &p.ev
	msg := reCallerID.ReplaceAllString(strings.TrimSpace(m.msg), "")
	// After a dmesg timestamp, "ieee80211 phy0: text" and "brcmfmac:
	// brcmf_sdio_htclk: text" have the shape of short-monotonic's "host
	// prog: text", so the envelope may have taken the wiphy or the
	// brcmfmac function for the program: put it back.
	if reWiphyName.MatchString(m.prog) {
		msg = "ieee80211 " + m.prog + ": " + msg
	} else if strings.HasPrefix(m.prog, "brcmf_") || reB43Phy.MatchString(m.prog) {
		msg = m.prog + ": " + msg
	} else if (m.prog == "ERROR" || m.prog == "warning") && strings.HasPrefix(msg, "You must go to ") && strings.Contains(msg, "/Drivers/b43") {
		// "b43-phy0 ERROR: ..." after a dmesg timestamp: the envelope
		// took the phy for a host and the level for the program; b43's
		// help text names its driver page.
		msg = "b43 " + m.prog + ": " + msg
	} else if reUSBBusID.MatchString(m.prog) && (strings.HasPrefix(msg, "request_firmware(rtlwifi/") || strings.HasPrefix(msg, "ath9k_htc: ") || msg == "Firmware failed to start") {
		// "usb 1-1: request_firmware(...) failed", the envelope having
		// taken "usb" for the host: rtl8xxxu's (below).
		msg = "usb " + m.prog + ": " + msg
	}
	if strings.HasPrefix(msg, "Hardware became unavailable ") && (m.prog == "" || m.prog == "kernel") {
		// mac80211 util.c, ieee80211_reconfig: drv_start failed when the
		// driver was restarted after a firmware crash ("...during
		// restart.") or at resume ("...upon resume. This could be a
		// software issue prior to suspend or a hardware issue."). A WARN,
		// so the text comes bare, between "cut here" and the trace;
		// ieee80211_handle_reconfig_failure then leaves the interfaces
		// down.
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), "restart failed"
		return p, take
	}
	if p, res := parseRealtekVendor(m.prog, msg); res != pass {
		return p, res
	}
	drv, text := "", ""
	if g := reWlErr.FindStringSubmatch(msg); g != nil {
		return parseWl(g[1], g[2])
	}
	if g := reWlAttach.FindStringSubmatch(msg); g != nil {
		e.Source, e.Kind, e.OK, e.Name = diagnostics.SourceKernel, diagnostics.KindDevice, diagnostics.Bool(false), "driver probe failed"
		e.Code, _ = strconv.Atoi(g[1])
		return p, take
	}
	if g := reDevPrintk.FindStringSubmatch(msg); g != nil && g[1] == "usb" {
		// Wi-Fi drivers that log on the USB device (&udev->dev, so
		// "usb 1-1:"), read only by texts that name them.
		t := g[4]
		e.Source = diagnostics.SourceKernel
		switch {
		case strings.HasPrefix(t, "request_firmware(rtlwifi/") && strings.HasSuffix(t, ") failed"),
			strings.HasPrefix(t, "ath9k_htc: Failed to get firmware "):
			// rtl8xxxu core.c, rtl8xxxu_load_firmware ("request_firmware(%s)
			// failed": the rtlwifi/ directory names a Realtek Wi-Fi chip;
			// the probe fails with -EAGAIN); ath9k_htc hif_usb.c,
			// ath9k_hif_usb_firmware_cb, after the last firmware name it
			// tries: the driver releases the device.
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "firmware failed to load"
		case t == "Firmware failed to start":
			// rtl8xxxu core.c, rtl8xxxu_start_firmware, which logs on
			// the USB device too, after its checksum poll retries.
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "firmware failed to start"
		case strings.HasPrefix(t, "ath9k_htc: Transferred FW: "):
			// hif_usb.c, ath9k_hif_usb_download_fw: the firmware was
			// sent to the chip.
			e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "firmware loaded"
		default:
			return p, pass
		}
		return p, take
	}
	// platform: a SoC's Wi-Fi block on the platform bus, whose dev_printk
	// prefix after a dmesg timestamp ("[ 10.2] ath10k_snoc 18800000.wifi:
	// text") the envelope split into a host (the driver, lost) and a
	// program (the device). The device's name is the devicetree node's
	// (drivers/of/platform.c, of_device_make_bus_id: "%llx.%s", unit
	// address and node name), and "wifi" and "wmac" nodes are Wi-Fi
	// blocks (ath10k_snoc/ahb, ath11k/ath12k ahb, mt76 SoC wmac); the
	// driver family is unknown, so the tables match on text alone.
	platform := false
	if reDTWifiDevice.MatchString(m.prog) {
		drv, text, platform = "", msg, true
	} else if g := reDevPrintk.FindStringSubmatch(msg); g != nil && reWifiDriver.MatchString(g[1]) {
		drv, text = g[1], g[4]
		if g[3] != "" && !notWifi(g[3]) {
			e.Iface = g[3]
		}
	} else if g := rePrFmt.FindStringSubmatch(msg); g != nil && (reWifiDriver.MatchString(g[1]) || g[1] == "thinkpad_acpi") {
		drv, text = g[1], g[2]
	} else if strings.HasPrefix(msg, "brcmf_") {
		drv, text = "brcmfmac", msg
	} else {
		return p, pass
	}
	// ath9k's and ath9k_htc's common printk (ath/main.c, ath_printk:
	// "ath: %s: ", the wiphy's name) puts the wiphy after the module.
	if drv == "ath" {
		if w, rest, ok := strings.Cut(text, ": "); ok && reWiphyName.MatchString(w) {
			text = rest
		}
	}
	// brcmfmac puts the function first; the tables name some messages by
	// it, since their text alone ("failed: %d") says nothing.
	fn := ""
	if g := reBrcmfFunc.FindStringSubmatch(text); g != nil {
		fn, text = g[1], g[2]
		if drv == "ieee80211" {
			// brcmfmac's bphy_err (debug.h, since 5.2) prints through
			// wiphy_err: "ieee80211 phy0: brcmf_run_escan: error (-5)",
			// the wiphy's prefix instead of the module's.
			drv = "brcmfmac"
		}
	}
	text = strings.TrimSpace(text)
	e.Source = diagnostics.SourceKernel
	code := 0
	if g := reErrNum.FindStringSubmatch(text); g != nil {
		code, _ = strconv.Atoi(g[1])
	}
	family := func(f string) bool {
		if platform {
			// Any driver's table line, not the ones a brcmfmac
			// function name keys (brcmfmac is on SDIO or PCIe).
			return !strings.HasPrefix(f, "brcmf")
		}
		return strings.HasPrefix(drv, f) || (fn != "" && fn == f)
	}

	switch {
	case drv == "thinkpad_acpi":
		// thinkpad_acpi.c, hotkey_init: "radio switch found; radios
		// are %s" reads the hardware switch at load.
		switch text {
		case "radio switch found; radios are disabled":
			e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked"
		case "radio switch found; radios are enabled":
			e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(true)
		default:
			return p, pass
		}
		return p, take
	case family("iwl") && strings.HasPrefix(text, "RF_KILL bit toggled to "), family("iwl") && strings.HasPrefix(text, "reporting RF_KILL (radio "):
		// pcie/rx.c, iwl_pcie_handle_rfkill_irq: the hardware kill
		// switch (CSR_GP_CNTRL's HW_RF_KILL_SW bit) changed; the
		// state the log ends in is what counts.
		off := strings.Contains(text, "disable") || strings.Contains(text, "disabled")
		e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(!off)
		if off {
			e.Name = "hard-blocked"
		}
		return p, take
	case (family("ipw") || family("iwl3945") || family("iwl4965")) && strings.HasPrefix(text, "Radio Frequency Kill Switch is On"):
		// ipw2100.c/ipw2200.c (ipw_up, ipw2100_up) and iwl3945/iwl4965
		// (iwl-3945.c, iwl4965-base.c): "Radio Frequency Kill Switch is
		// On:\nKill switch must be turned off for wireless networking to
		// work.", the hardware switch read when the interface comes up.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked"
		return p, take
	case (drv == "rtl8187" || drv == "rtl8192") && (strings.HasPrefix(text, "wireless switch is ") || strings.HasPrefix(text, "wireless radio switch turned ")):
		// rtl818x rtl8187/rfkill.c and staging rtl8192e rtl_rfkill.c:
		// "wireless switch is %s" at init and "wireless radio switch
		// turned %s" when polled, of the hardware switch ("on" is
		// radio enabled; the field is misnamed rfkill_off). rtlwifi's
		// own "rtlwifi: wireless switch is %s" prints the initial
		// value it set, always "on", before reading the switch: not
		// read.
		off := strings.HasSuffix(text, " off")
		e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(!off)
		if off {
			e.Name = "hard-blocked"
		}
		return p, take
	case family("mwifiex") && (strings.HasPrefix(text, "cmd: Scan already in process") || strings.HasPrefix(text, "cmd: Scan is blocked during association")),
		family("nxpwifi") && strings.HasPrefix(text, "cmd: Scan already in process"):
		// mwifiex scan.c and cfg80211.c (mwifiex_scan_networks,
		// mwifiex_cfg80211_scan): refused with -EBUSY while a scan
		// runs or an association is being set up.
		e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, -16, "EBUSY"
		return p, take
	case (family("mwifiex") || family("nxpwifi")) && reMwifiexScanFailed.MatchString(text):
		// mwifiex cfg80211.c, mwifiex_cfg80211_scan (nxpwifi the same):
		// "scan failed: %d", mwifiex_scan_networks' return. -EBUSY is a
		// scan already running or an association being set up (its own
		// "cmd: Scan already in process..." is WARN level, not in the
		// default debug_mask, so this is often the only line); -EFAULT
		// is "Ignore scan. Card removed or firmware in bad state",
		// whose "PREP_CMD: FW is in bad state" names the device.
		c, _ := strconv.Atoi(reMwifiexScanFailed.FindStringSubmatch(text)[1])
		if c == -16 {
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, c, "EBUSY"
		} else {
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "mwifiex scan failed"
		}
		return p, take
	case family("iwl") && reIwlScanFailed.MatchString(text):
		// mvm/scan.c (iwl_mvm_reg_scan_start, _iwl_mvm_single_scan_start;
		// older unified_scan_lmac) and mld/scan.c: IWL_ERR "Scan failed!
		// ret %d" when the firmware did not take the scan command
		// (iwl_mvm_send_cmd), and mac80211 hands the error to the scan
		// request. The transport refuses commands with -ERFKILL while
		// the hardware kill switch is on (STATUS_RFKILL_OPMODE; a soft
		// block closes the interface instead), -EIO after a firmware
		// error: a scan that did not start, not a busy radio.
		c, _ := strconv.Atoi(reIwlScanFailed.FindStringSubmatch(text)[1])
		switch c {
		case -16:
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, c, "EBUSY"
		case -eRFKILL:
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), c, "hard-blocked"
		default:
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "iwlwifi scan command failed"
		}
		return p, take
	case family("iwl") && text == "scan while LAR regdomain is not set":
		// mvm/scan.c, iwl_mvm_reg_scan_start and sched_scan_start:
		// refused with -EBUSY until the firmware reported the regulatory
		// domain (LAR), which it does soon after start-up: a refused
		// scan, which a later completed scan lifts.
		e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, -16, "iwlwifi: LAR regdomain not set"
		return p, take
	case family("iwl") && text == "regular scan timed out":
		// mvm/scan.c, iwl_mvm_scan_timeout_wk: the firmware did not end
		// the scan in SCAN_TIMEOUT; the driver forces an NMI, the
		// firmware restarts (its own notes follow) and the scan is
		// reported aborted.
		e.Kind, e.Name = diagnostics.KindScanAborted, "iwlwifi scan timeout"
		return p, take
	case family("rtw") && (strings.HasPrefix(text, "HW scan failed with status: ") || strings.HasPrefix(text, "HW scan failed: ")):
		// rtw88 and rtw89 mac80211.c, rtw_ops_hw_scan/rtw89_ops_hw_scan:
		// "HW scan failed with status: %d" when the firmware's scan
		// offload did not start (h2c timeouts, -110); rtw89 fw.c logs
		// "HW scan failed: %d" when it cannot offload the next channels
		// and aborts. Both return -EBUSY before, silently, while a scan
		// runs: the errno here is the firmware's failure, a scan that
		// did not run, not a busy radio.
		if code == -16 {
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, code, "EBUSY"
		} else {
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), code, "hw scan failed to start"
		}
		return p, take
	case family("ath") && strings.HasPrefix(text, "failed to start hw scan: "):
		// ath10k/ath11k/ath12k mac.c, *_mac_op_hw_scan: the firmware
		// did not start the scan; -EBUSY (ath11k's 11d scan running,
		// logged by older kernels) is a busy radio, anything else a
		// failed scan.
		if code == -16 {
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, code, "EBUSY"
		} else {
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), code, "hw scan failed to start"
		}
		return p, take
	case family("iwl") && strings.HasPrefix(text, "Radio disabled by HW RF Kill switch"):
		// iwlwifi dvm (iwlagn) and iwlegacy (iwl3945, iwl4965), the
		// interface's bring-up (__iwl_up, il4965_up): the hardware
		// kill switch is on, the firmware is not started.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked"
		return p, take
	case family("b43") && strings.HasPrefix(text, "Radio hardware status changed to "):
		// b43 and b43legacy rfkill.c, b43_rfkill_poll: "Radio hardware
		// status changed to %s" ("ENABLED"/"DISABLED", older b43
		// lower case), the hardware switch as polled; the last report
		// counts.
		off := strings.EqualFold(strings.TrimPrefix(text, "Radio hardware status changed to "), "disabled")
		e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(!off)
		if off {
			e.Name = "hard-blocked"
		}
		return p, take
	case family("b43") && strings.HasPrefix(text, "The hardware RF-kill button still turns the radio physically off"):
		// b43 and b43legacy main.c, b43_op_config: mac80211 turned the
		// radio on, but the hardware switch keeps it off.
		e.Kind, e.OK, e.Name = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked"
		return p, take
	case family("b43") && (strings.HasPrefix(text, "Radio turned on by software") || strings.HasPrefix(text, "Radio turned off by software") ||
		strings.HasPrefix(text, "Firmware file ") && strings.HasSuffix(text, " not found")):
		// b43_op_config's software switch, which the hardware line
		// after it qualifies; b43_do_request_fw's "Firmware file \"%s\"
		// not found" for each of b43/ and b43-open/ it tries: a retry,
		// the help text after them decides.
		return p, drop
	case family("b43") && strings.HasPrefix(text, "You must go to ") && !strings.Contains(msg, " ERROR: ") && !strings.HasPrefix(msg, "ERROR: "):
		// b43_print_fw_helptext(wl, false): the firmware loaded but is
		// old (b43_upload_microcode warns so and goes on).
		e.Kind, e.Name = diagnostics.KindNote, "outdated firmware"
		return p, take
	case fn == "brcmf_c_process_clm_blob" && strings.HasPrefix(text, "no clm_blob available"),
		fn == "brcmf_c_process_txcap_blob" && strings.HasPrefix(text, "no txcap_blob available"):
		// brcmfmac common.c: the optional regulatory (CLM) and transmit
		// power blobs; the firmware runs without them ("device may
		// have limited channels available").
		e.Kind, e.Name = diagnostics.KindNote, "optional firmware blob missing"
		return p, take
	case fn == "brcmf_fw_alloc_request" && strings.HasPrefix(text, "using "):
		// brcmfmac firmware.c, brcmf_fw_alloc_request: "using %s for
		// chip %s", the firmware name about to be requested; the
		// board-specific names it tries first ("Direct firmware load for
		// brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.bin failed")
		// are retries.
		e.Kind, e.Name = diagnostics.KindNote, "firmware requested"
		return p, take
	case family("iwl") && code == -eRFKILL && (strings.HasPrefix(text, "Failed to start RT ucode") || strings.HasPrefix(text, "Failed to run INIT ucode") || strings.HasPrefix(text, "Failed to start INIT ucode")):
		// The firmware did not start because the radio is killed
		// (mvm/fw.c returns -ERFKILL from iwl_mvm_load_ucode_wait_alive):
		// the kill switch, not the device.
		e.Kind, e.OK, e.Name, e.Code = diagnostics.KindRadio, diagnostics.Bool(false), "hard-blocked", code
		return p, take
	case family("iwl") && strings.HasPrefix(text, "loaded firmware version "),
		family("mwifiex") && strings.HasPrefix(text, "info: FW download over, size "):
		// iwl-drv.c, iwl_req_fw_callback, and mwifiex's firmware
		// download: a firmware file was accepted; a failure to start
		// it is logged after this line, and then decides.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "firmware loaded"
		return p, take
	case family("rtw") && strings.HasPrefix(text, "Firmware version "),
		family("mt7") && strings.HasPrefix(text, "WM Firmware Version: "):
		// rtw88 main.c, rtw_load_firmware_cb ("Firmware version %u.%u.%u,
		// H2C version %u"); mt76 mt76_connac_mcu.c, the RAM code's
		// header: a firmware file was read, as iwlwifi's above.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "firmware loaded"
		return p, take
	case fn == "brcmf_c_preinit_dcmds" && strings.HasPrefix(text, "Firmware: "),
		family("ath") && strings.HasPrefix(text, "htt-ver "):
		// brcmfmac common.c: the version the running firmware
		// reported; ath10k debug.c, ath10k_debug_print_boot_info, after
		// the firmware booted in ath10k_core_probe_fw.
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "firmware running"
		return p, take
	case family("iwl") && strings.HasPrefix(text, "base HW address: "):
		// iwl-nvm-parse.c, iwl_set_hw_address: the NVM the running
		// INIT firmware returned was read, after any retry of a
		// failed start (iwl-drv.c, "retry init count %d").
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(true), "firmware running"
		return p, take
	case drv == "brcmfmac" && (fn == "brcmf_cfg80211_scan" || fn == "brcmf_cfg80211_escan" || fn == "brcmf_cfg80211_sched_scan_start") && isBrcmfScanRefusal(text):
		// cfg80211.c, brcmf_cfg80211_scan: refused with -EAGAIN while
		// a scan runs, is being aborted or suppressed, or a
		// connection is being set up.
		e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, -11, "brcmfmac "+strings.SplitN(text, ":", 2)[0]
		return p, take
	case drv == "brcmfmac" && (fn == "brcmf_run_escan" || fn == "brcmf_cfg80211_scan") && reBrcmfScanErr.MatchString(text):
		// brcmf_run_escan logs EBUSY at debug level only ("system
		// busy : escan canceled"): an error here is the firmware's
		// refusal of any other kind (fwil.c maps them all to -EBADE,
		// -52), so the scan failed, for no reason the log states.
		c, _ := strconv.Atoi(reBrcmfScanErr.FindStringSubmatch(text)[1])
		if c == -16 {
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, c, "EBUSY"
		} else {
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "brcmfmac scan error"
		}
		return p, take
	case fn == "brcmf_escan_timeout" && text == "timer expired":
		// cfg80211.c, brcmf_escan_timeout: the firmware never ended the
		// scan; the driver aborts it.
		e.Kind, e.Name = diagnostics.KindScanAborted, "brcmfmac escan timeout"
		return p, take
	}
	if g := reProbeFailed.FindStringSubmatch(text); g != nil {
		if g[1] != "" && !reWifiDriver.MatchString(g[1]) {
			return p, pass
		}
		e.Kind, e.OK, e.Name, e.Code = diagnostics.KindDevice, diagnostics.Bool(false), "driver probe failed", code
		return p, take
	}
	for _, f := range driverFatal {
		if family(f.family) && strings.HasPrefix(text, f.prefix) {
			e.Kind, e.OK, e.Name, e.Code = diagnostics.KindDevice, diagnostics.Bool(false), f.name, code
			return p, take
		}
	}
	for _, f := range driverRestart {
		if family(f.family) && strings.HasPrefix(text, f.prefix) {
			if !strings.Contains(text, f.contains) {
				return p, drop
			}
			e.Kind, e.Name = diagnostics.KindNote, f.name
			return p, take
		}
	}
	if reKFirmware.MatchString(text) {
		// Drivers without a table entry: their own "failed to load
		// firmware" (rtl8xxxu, rtlwifi, mwifiex, wilc1000, ...) ends
		// their probe.
		e.Kind, e.OK, e.Name, e.Code = diagnostics.KindDevice, diagnostics.Bool(false), "firmware failed to load", code
		return p, take
	}
	if strings.HasPrefix(text, "Direct firmware load for ") || (family("ath") && strings.HasPrefix(text, "could not fetch firmware file ")) {
		// One API version the driver does not have; see above.
		return p, drop
	}
	return p, pass
}

// isBrcmfScanRefusal: brcmf_cfg80211_scan's refusals, each "<why>: status
// (%lu)".
func isBrcmfScanRefusal(text string) bool {
	for _, w := range []string{"Scanning already: status (", "Scanning being aborted: status (", "Scanning suppressed: status (", "Connecting: status ("} {
		if strings.HasPrefix(text, w) {
			return true
		}
	}
	return false
}

// parseWl reads Broadcom wl's scan refusals (wl_cfg80211_hybrid.c,
// __wl_cfg80211_scan): "Scanning already : status (%d)" and "Scanning
// being aborted : status (%d)" return -EAGAIN, as brcmfmac's do; "WLC_SCAN
// error (%d)" is the firmware's refusal (EBUSY is logged at info level
// only, "system busy : scan for ... canceled", so an error here is
// another one: a failed scan). Its other errors pass.
func parseWl(fn, text string) (parsed, match) {
	var p parsed
	e := &p.ev
	e.Source = diagnostics.SourceKernel
	if !strings.Contains(fn, "scan") {
		return p, pass
	}
	switch {
	case strings.HasPrefix(text, "Scanning already : status ("), strings.HasPrefix(text, "Scanning being aborted : status ("):
		e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, -11, "wl "+strings.SplitN(text, " :", 2)[0]
	case reWlScanErr.MatchString(text):
		c, _ := strconv.Atoi(reWlScanErr.FindStringSubmatch(text)[1])
		if c == -16 {
			e.Kind, e.Code, e.Name = diagnostics.KindScanBusy, c, "EBUSY"
		} else {
			e.Kind, e.OK, e.Code, e.Name = diagnostics.KindScanDone, diagnostics.Bool(false), c, "wl scan error"
		}
	default:
		return p, pass
	}
	return p, take
}

// Realtek's own out-of-tree drivers (the vendor code that morrownr/8821au,
// 88x2bu and 8821cu, aircrack-ng/rtl8812au, lwfinger/rtl8188eu and
// brektrou/rtl8821CU package) print through RTW_INFO/RTW_WARN/RTW_ERR
// (include/rtw_debug.h): printk of DRIVER_PREFIX "RTW: ", then "WARN " or
// "ERROR " for those levels, then the text, with no device prefix;
// rtl8188eu's DBG_88E prints "R8188EU: ", the older DBG_871X drivers
// "RTL871X: ". Only rtw_drv_log_level's messages at or below the level
// the driver was built with appear (aircrack-ng's default 2, errors only;
// morrownr's 0 unless raised), so these lines are in logs of users who
// turned the level up.
var (
	reRtwVendor = regexp.MustCompile(`^(?:RTW|RTL871X|R8188EU): (?:(?:ERROR|WARN) )?(.*)$`)
	// reRtwScanAbort: core/rtw_mlme.c, rtw_sitesurvey_condition_check:
	// "%s (%s) : scan abort!! <why>" with the caller (rtw_cfg80211_scan)
	// and the interface; os_dep/linux/ioctl_cfg80211.c's own check,
	// FUNC_ADPT_FMT "%s(%s): scan abort!! BusyTraffic"; the wext path
	// and older drivers print it bare ("scan abort!! BusyTraffic ==
	// _TRUE", "scan abort!! fwstate=0x%x").
	reRtwScanAbort = regexp.MustCompile(`^(?:\w+ ?\(([a-z][a-z0-9_.-]*)\) ?: ?)?scan abort!! ?(.*?)\s*$`)
	// reRtwFunc is the function name the drivers put first ("%s: ",
	// __FUNCTION__), which after a bare dmesg timestamp the envelope
	// takes for the program ("RTW:" for the host).
	reRtwFunc = regexp.MustCompile(`^_?(?:rtw|rtl|hal|usb|Firmware|download)\w*$`)
	// reRtwPowerOn: os_dep/linux/usb_intf.c, rtw_drv_entry:
	// "%s: power on failed!!(%d)": platform_wifi_power_on failed, the
	// module's init returns -1 and no interface is registered.
	reRtwPowerOn = regexp.MustCompile(`^\w+: power on failed!!\((-?\d+)\)$`)
	// reRtwScanAbortTO: core/rtw_mlme.c, _rtw_wait_scan_done (called by
	// rtw_scan_abort_timeout): FUNC_NDEV_FMT "%s(%s)" then "waiting for
	// scan_abort time out!": a scan the driver asked to abort was still
	// running when the wait ended; it then reports the scan done as
	// aborted (rtw_indicate_scan_done(adapter, _TRUE)).
	reRtwScanAbortTO = regexp.MustCompile(`^\w+\(([a-z][a-z0-9_.-]*)\)waiting for scan_abort time out!$`)
)

// parseRealtekVendor reads the vendor drivers' lines (above): scans they
// refuse, firmware they fail to download, a power-on that fails.
func parseRealtekVendor(prog, msg string) (parsed, match) {
	var p parsed
	e := &p.ev
	text := ""
	if g := reRtwVendor.FindStringSubmatch(msg); g != nil {
		text = strings.TrimSpace(g[1])
	} else if reRtwFunc.MatchString(prog) && (msg == "Download Firmware failed!!" || strings.HasPrefix(msg, "download firmware FAIL! status=") || strings.HasPrefix(msg, "power on failed!!(")) {
		// "[  12.3] RTW: rtl8812au_hal_init: Download Firmware
		// failed!!": the envelope took "RTW:" for a host and the
		// function for the program. The texts are the vendor code's
		// alone.
		text = prog + ": " + msg
	} else {
		return p, pass
	}
	e.Source = diagnostics.SourceKernel
	switch {
	case reRtwScanAbort.MatchString(text):
		g := reRtwScanAbort.FindStringSubmatch(text)
		why := g[2]
		switch {
		case strings.HasPrefix(why, "STA mode under linking"):
			// rtw_cfg80211_scan returns -EBUSY while it connects.
			e.Kind, e.Code = diagnostics.KindScanBusy, -16
		case strings.Contains(why, "BusyTraffic"):
			// RTW_BUSY_DENY_SCAN's rule (and the older drivers'
			// bBusyTraffic check): the station is connected and
			// moving more traffic than the threshold, so background
			// scans are skipped and reported done with the old
			// results. Only an associated station logs it: what a
			// healthy, busy link does, a note.
			e.Kind, e.Iface = diagnostics.KindNote, g[1]
			e.Name = "rtw scan skipped: busy traffic"
			if e.Iface != "" && notWifi(e.Iface) {
				e.Iface = ""
			}
			return p, take
		case strings.HasPrefix(why, "fwstate="), strings.Contains(why, "under survey"),
			strings.Contains(why, "under linking"), strings.Contains(why, "process WPS"), strings.HasPrefix(why, "buddy_intf"):
			// A scan is running, a connection (or, in AP mode, WPS)
			// is being set up, here or on the other interface: the
			// driver reports the scan done at once without scanning
			// (need_indicate_scan_done), the results are the old
			// ones.
			e.Kind = diagnostics.KindScanBusy
		default:
			// "adapter cannot use" (the interface is down) and
			// whatever else: not read.
			return p, pass
		}
		e.Iface, e.Name = g[1], "rtw scan abort: "+strings.TrimSpace(strings.SplitN(why, "(", 2)[0])
	case strings.HasSuffix(text, ": Download Firmware failed!!"), strings.Contains(text, ": download firmware FAIL! status="):
		// hal/rtl8812a/usb/usb_halinit.c rtl8812au_hal_init and
		// rtl8188eu's hal/usb_halinit.c (FirmwareDownload8812,
		// rtl8188e_FirmwareDownload failed; rtl8188eu's init then
		// fails, rtl8812au's goes on with bFWReady false, a chip that
		// runs no firmware); hal/hal_halmac.c download_fw (the halmac
		// drivers 8821cu, 88x2bu: RTW_ERR, so "RTW: ERROR ").
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "firmware failed to load"
	case reRtwPowerOn.MatchString(text):
		e.Kind, e.OK, e.Name = diagnostics.KindDevice, diagnostics.Bool(false), "device not responding"
		e.Code, _ = strconv.Atoi(reRtwPowerOn.FindStringSubmatch(text)[1])
	case reRtwScanAbortTO.MatchString(text):
		e.Kind, e.Iface, e.Name = diagnostics.KindScanAborted, reRtwScanAbortTO.FindStringSubmatch(text)[1], "rtw scan abort timeout"
	default:
		return p, pass
	}
	if e.Iface != "" && notWifi(e.Iface) {
		e.Iface = ""
	}
	return p, take
}
