package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// driverCase is one driver line and the event it must give.
type driverCase struct {
	src, line string
	want      diagnostics.Event
}

// driverCases are lines in the formats the drivers' printk calls produce
// (each case names the upstream file and function whose format string it
// instantiates), in dmesg, journalctl -k and syslog envelopes. seedLines
// adds them to the fuzz seeds.
func driverCases() []driverCase {
	f, tr := diagnostics.Bool(false), diagnostics.Bool(true)
	dev := func(name string, code int) diagnostics.Event {
		return diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: f, Name: name, Code: code}
	}
	note := func(name string) diagnostics.Event {
		return diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindNote, Name: name}
	}
	radio := func(on bool, code int) diagnostics.Event {
		e := diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(on), Code: code}
		if !on {
			e.Name = "hard-blocked"
		}
		return e
	}
	return []driverCase{
		{"iwlwifi iwl-drv.c iwl_request_firmware",
			"[  211.273878] iwlwifi 0000:02:00.0: no suitable firmware found!", dev("firmware failed to load", 0)},
		{"iwlwifi iwl-drv.c iwl_request_firmware",
			"Dec 03 10:00:01 host kernel: iwlwifi 0000:00:14.3: minimum version required: iwlwifi-8000C-22",
			dev("firmware failed to load", 0)},
		{"dmesg -x (util-linux dmesg.c, --decode)",
			"kern  :err   : [  211.273878] iwlwifi 0000:02:00.0: no suitable firmware found!", dev("firmware failed to load", 0)},
		{"/dev/kmsg record (Documentation/ABI/testing/dev-kmsg)",
			"4,1234,211273878,-;iwlwifi 0000:02:00.0: no suitable firmware found!", dev("firmware failed to load", 0)},
		{"iwlwifi mvm/fw.c iwl_mvm_up",
			"[    6.200412] iwlwifi 0000:29:00.0: Failed to start RT ucode: -110", dev("firmware failed to start", -110)},
		{"iwlwifi mvm/fw.c iwl_run_unified_mvm_ucode, with printk's caller id",
			"[    6.212553] [  T412] iwlwifi 0000:29:00.0: Failed to run INIT ucode: -110", dev("firmware failed to start", -110)},
		{"iwlwifi mvm/fw.c iwl_run_init_mvm_ucode (older kernels)",
			"[    6.2] iwlwifi 0000:03:00.0: Failed to start INIT ucode: -110", dev("firmware failed to start", -110)},
		{"iwlwifi mvm/fw.c iwl_run_init_mvm_ucode, -ERFKILL",
			"[    6.2] iwlwifi 0000:03:00.0: Failed to start INIT ucode: -132", radio(false, -132)},
		{"iwlwifi dvm __iwl_up",
			"[   20.1] iwlagn 0000:03:00.0: Unable to initialize device.", dev("firmware failed to start", 0)},
		{"iwlwifi mvm/fw.c: -ERFKILL is the kill switch, not the device",
			"[    6.2] iwlwifi 0000:00:14.3: Failed to start RT ucode: -132", radio(false, -132)},
		{"iwlwifi pcie/rx.c iwl_pcie_handle_rfkill_irq",
			"[ 1913.381639] iwlwifi 0000:03:00.0: RF_KILL bit toggled to disable radio.", radio(false, 0)},
		{"iwlwifi pcie/rx.c iwl_pcie_handle_rfkill_irq",
			"[ 1913.347689] iwlwifi 0000:03:00.0: RF_KILL bit toggled to enable radio.", radio(true, 0)},
		{"iwlwifi pcie/trans.c iwl_trans_pcie_rf_kill",
			"kernel: iwlwifi 0000:02:00.0: reporting RF_KILL (radio disabled)", radio(false, 0)},
		{"iwlwifi iwl-drv.c iwl_req_fw_callback",
			"[    4.1] iwlwifi 0000:01:00.0: loaded firmware version 16.242414.0 op_mode iwlmvm",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware loaded"}},
		{"iwlwifi mvm/ops.c, a firmware crash the driver restarts",
			"[ 5265.6] iwlwifi 0000:08:00.0: Microcode SW error detected. Restarting 0x0.", note("firmware crashed")},
		{"mac80211 util.c ieee80211_restart_hw",
			"[ 5265.630948] ieee80211 phy0: Hardware restart was requested", note("hardware restart")},
		{"thinkpad_acpi.c hotkey_init",
			"[    3.1] thinkpad_acpi: radio switch found; radios are disabled", radio(false, 0)},
		{"brcmfmac sdio.c brcmf_sdio_htclk, pr_fmt prefix",
			"[    9.8] brcmfmac: brcmf_sdio_htclk: HT Avail timeout (1000000): clkctl 0x50", dev("device not responding", 0)},
		{"brcmfmac common.c brcmf_c_preinit_dcmds",
			"[   10.2] brcmfmac: brcmf_c_preinit_dcmds: Retrieving cur_etheraddr failed, -52", dev("firmware failed to start", -52)},
		{"brcmfmac core.c brcmf_bus_started",
			"[   10.2] brcmfmac: brcmf_bus_started: failed: -52", dev("firmware failed to start", -52)},
		{"brcmfmac sdio.c brcmf_sdio_download_code_file, old unprefixed form",
			"[   10.2] brcmf_sdio_download_code_file: error -110 on writing 434748 membytes at 0x00000000", dev("firmware failed to load", 0)},
		{"brcmfmac cfg80211.c brcmf_cfg80211_scan",
			"[  117.250002] brcmf_cfg80211_scan: Scanning already: status (1)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -11, Name: "brcmfmac Scanning already"}},
		{"brcmfmac cfg80211.c brcmf_cfg80211_scan",
			"kernel: brcmfmac: brcmf_cfg80211_scan: Connecting: status (4)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -11, Name: "brcmfmac Connecting"}},
		{"brcmfmac cfg80211.c brcmf_run_escan: a firmware error, not EBUSY",
			"[  175.029567] brcmf_run_escan: error (-52)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -52, Name: "brcmfmac scan error"}},
		{"brcmfmac cfg80211.c brcmf_escan_timeout",
			"[  117.268575] brcmf_escan_timeout: timer expired",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanAborted, Name: "brcmfmac escan timeout"}},
		{"brcmfmac sdio.c brcmf_sdio_bus_rxctl",
			"[  109.348570] brcmf_sdio_bus_rxctl: resumed on timeout", note("control timeout")},
		{"ath10k core.c ath10k_core_register_work",
			"[    4.8] ath10k_pci 0000:01:00.0: could not probe fw (-2)", dev("driver probe failed", -2)},
		{"ath10k core.c ath10k_core_probe_fw",
			"[    4.8] ath10k_pci 0000:01:00.0: failed to fetch board file: -12", dev("firmware failed to load", -12)},
		{"ath10k pci.c ath10k_pci_read32",
			"[    4.8] ath10k_pci 0000:3a:00.0: failed to wake target for read32 at 0x0003a028: -110", dev("device not responding", -110)},
		{"ath11k qmi.c",
			"[    8.1] ath11k_pci 0000:03:00.0: qmi failed to load bdf file:-2", dev("firmware failed to start", -2)},
		{"ath9k init.c ath9k_init_softc, ath_err's form",
			"kernel: ath: phy0: Unable to initialize hardware; initialization status: -5", dev("driver probe failed", -5)},
		{"ath9k init.c ath9k_init_softc, after a dmesg timestamp",
			"[   10.5] ath: phy0: Unable to initialize hardware; initialization status: -5", dev("driver probe failed", -5)},
		{"ath11k mhi.c ath11k_mhi_start",
			"[    8.1] ath11k_pci 0000:03:00.0: failed to power up mhi: -110", dev("device not responding", -110)},
		{"ath12k core.c ath12k_core_qmi_firmware_ready",
			"[    9.4] ath12k_pci 0000:01:00.0: failed to start core: -22", dev("firmware failed to start", -22)},
		{"mt76 mt7921/pci_mcu.c mt7921e_mcu_fw_pmctrl",
			"[    5.5] mt7921e 0000:29:00.0: driver own failed", dev("device not responding", 0)},
		{"drivers/base/dd.c call_driver_probe (5.17 and later)",
			"[    5.5] mt7921e 0000:29:00.0: probe with driver mt7921e failed with error -5", dev("driver probe failed", -5)},
		{"drivers/base/dd.c call_driver_probe (before 5.17)",
			"[    5.5] mt7921e: probe of 0000:29:00.0 failed with error -5", dev("driver probe failed", -5)},
		{"mt76 mt76_connac_mcu.c: one MCU message unanswered",
			"[  300.1] mt7921e 0000:01:00.0: Message 00020007 (seq 11) timeout", note("firmware message timeout")},
		{"iwlwifi pcie/tx.c iwl_trans_pcie_send_hcmd_sync",
			"[94366.0] iwlwifi 0000:03:00.0: Error sending REPLY_SCAN_CMD: time out after 2000ms.", note("firmware command timeout")},
		{"rtw88 main.c rtw_power_on",
			"[    7.7] rtw_8822ce 0000:02:00.0: failed to download firmware", dev("firmware failed to load", 0)},
		{"rtw88 main.c rtw_power_on",
			"[    7.7] rtw_8821ce 0000:02:00.0: mac power on failed", dev("device not responding", 0)},
		{"rtw88 main.c rtw_chip_info_setup",
			"[    7.7] rtw88_8822bu 1-2:1.0: failed to setup chip efuse info", dev("driver probe failed", 0)},
		{"rtw88 main.c rtw_chip_info_setup's caller, pr_fmt probe line",
			"[    1.3] rtw_8723ds mmc0:0001:1: failed to setup chip information", dev("driver probe failed", 0)},
		{"mwifiex main.c mwifiex_dnld_fw",
			"mwifiex_sdio mmc1:0001:1: prog_fw failed ret=0xffffffff", dev("firmware failed to load", 0)},
		{"mwifiex main.c mwifiex_dnld_fw",
			"[   68.7] mwifiex_sdio mmc2:0001:1: FW failed to be active in time", dev("firmware failed to start", 0)},
		{"mwifiex sdio.c, the download finished",
			"[   68.7] mwifiex_sdio mmc2:0001:1: info: FW download over, size 603584 bytes",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware loaded"}},
		{"rtl8xxxu core.c rtl8xxxu_start_firmware",
			"[   12.0] rtl8xxxu 1-1:1.0: Firmware failed to start", dev("firmware failed to start", 0)},
		{"iwlwifi iwl-nvm-parse.c iwl_set_hw_address",
			"[    6.6] iwlwifi 0000:00:14.3: base HW address: 84:1b:77:00:11:22",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware running"}},
		{"rtlwifi-style generic message of a wireless driver",
			"[   12.0] rtl8192ce 0000:03:00.0: Failed to request firmware!", dev("firmware failed to load", 0)},
		{"rtw88 main.c rtw_load_firmware_cb",
			"[    7.1] rtw_8821ce 0000:01:00.0: Firmware version 24.8.0, H2C version 12",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware loaded"}},
		{"brcmfmac common.c brcmf_c_preinit_dcmds",
			"[    9.9] brcmfmac: brcmf_c_preinit_dcmds: Firmware: BCM4345/6 wl0: Mar 23 2020 02:19:54 version 7.45.206 (r725000 CY) FWID 01-88ee44ea",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware running"}},
		{"ath10k debug.c ath10k_debug_print_boot_info",
			"[    5.0] ath10k_pci 0000:3a:00.0: htt-ver 3.60 wmi-op 4 htt-op 3 cal otp max-sta 32 raw 0 hwcrypto 1",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware running"}},
		{"iwlwifi pcie/drv.c iwl_pci_probe (pr_err: the module's name only)",
			"[    2.668601] iwlwifi: No config found for PCI dev 7af0/1692, rev=0x430, rfid=0x3010d000", dev("device not supported by the driver", 0)},
		{"ipw2200.c ipw_up",
			"[    8.478198] ipw2200: Radio Frequency Kill Switch is On:", radio(false, 0)},
		{"iwl3945 iwl-3945.c, in syslog",
			"Jan  3 10:00:01 host kernel: [   71.775543] iwl3945: Radio Frequency Kill Switch is On:", radio(false, 0)},
		{"iwlwifi dvm __iwl_up (iwlagn)",
			"[   12.3] iwlagn 0000:03:00.0: Radio disabled by HW RF Kill switch", radio(false, 0)},
		{"b43 rfkill.c b43_rfkill_poll",
			"[   96.434790] b43-phy1: Radio hardware status changed to DISABLED", radio(false, 0)},
		{"b43legacy rfkill.c b43legacy_rfkill_poll",
			"[  193.828236] b43legacy-phy0: Radio hardware status changed to ENABLED", radio(true, 0)},
		{"b43 main.c b43_op_config",
			"[  148.728841] b43-phy0: The hardware RF-kill button still turns the radio physically off. Press the button to turn it on.", radio(false, 0)},
		{"b43 main.c b43_print_fw_helptext(wl, true)",
			"kernel: [   27.876914] b43-phy0 ERROR: You must go to http://wireless.kernel.org/en/users/Drivers/b43#devicefirmware and download the correct firmware for this driver version. Please carefully read all instructions on this website.",
			dev("firmware failed to load", 0)},
		{"b43 main.c b43_print_fw_helptext(wl, false): old firmware, loaded",
			"[   12.7] b43-phy0 warning: You must go to http://wireless.kernel.org/en/users/Drivers/b43#devicefirmware and download the correct firmware for this driver version. Please carefully read all instructions on this website.",
			note("outdated firmware")},
		{"brcmfmac core.c brcmf_attach, wiphy prefix",
			"[ 1237.598334] ieee80211 phy0: brcmf_attach: dongle is not responding: err=-110", dev("device not responding", 0)},
		{"brcmfmac core.c brcmf_bus_started, wiphy prefix",
			"[ 1237.597800] ieee80211 phy0: brcmf_bus_started: failed: -110", dev("firmware failed to start", -110)},
		{"brcmfmac sdio.c brcmf_sdio_firmware_callback",
			"[ 1237.661624] brcmfmac: brcmf_sdio_firmware_callback: brcmf_attach failed", dev("driver probe failed", 0)},
		{"brcmfmac sdio.c brcmf_sdio_probe_attach",
			"[    5.1] brcmfmac: brcmf_sdio_probe_attach: brcmf_chip_attach failed!", dev("device not responding", 0)},
		{"brcmfmac bcmsdh.c brcmf_ops_sdio_probe",
			"[    5.1] brcmfmac: brcmf_ops_sdio_probe: F2 error, probe failed -19...", dev("driver probe failed", 0)},
		{"brcmfmac sdio.c brcmf_sdio_dpc, old unprefixed form",
			"Jul 20 10:32:59 host kernel: [    8.518086] brcmf_sdio_dpc: failed backplane access over SDIO, halting operation", dev("device not responding", 0)},
		{"brcmfmac common.c, the old spelling",
			"[    8.505142] brcmf_c_preinit_dcmds: Retreiving cur_etheraddr failed, -52", dev("firmware failed to start", -52)},
		{"brcmfmac core.c, the old name brcmf_bus_start",
			"Jul 20 10:32:59 host kernel: [    8.505147] brcmf_bus_start: failed: -52", dev("firmware failed to start", -52)},
		{"brcmfmac pcie.c brcmf_pcie_download_fw_nvram",
			"[    6.1] brcmfmac: brcmf_pcie_download_fw_nvram: FW failed to initialize", dev("firmware failed to start", 0)},
		{"brcmfmac common.c brcmf_c_process_clm_blob: an optional file",
			"[    7.2] brcmfmac: brcmf_c_process_clm_blob: no clm_blob available (err=-2), device may have limited channels available",
			note("optional firmware blob missing")},
		{"brcmfmac firmware.c brcmf_fw_alloc_request",
			"[    6.9] brcmfmac: brcmf_fw_alloc_request: using brcm/brcmfmac43455-sdio for chip BCM4345/6", note("firmware requested")},
		{"mt76 mt7615/mcu.c mt7615_load_firmware",
			"[   72.450291] mt7615e 0000:01:00.0: Firmware is not ready for download", dev("firmware failed to load", 0)},
		{"mt76 mt7915/mcu.c mt7915_load_firmware",
			"[   12.1] mt7915e 0000:01:00.0: Timeout for initializing firmware", dev("firmware failed to start", 0)},
		{"rtw88 main.c rtw_power_on",
			"[   30.2] rtw_8821ce 0000:02:00.0: failed to power on mac", dev("device not responding", 0)},
		{"rtw89 core.c rtw89_chip_info_setup",
			"[    5.1] rtw89_8852be 0000:04:00.0: failed to recognize firmware", dev("firmware failed to load", 0)},
		{"rtw88 main.c rtw_power_on, the firmware never read",
			"[    5.1] rtw_8822cu 2-1:1.2: failed to wait firmware completion", dev("firmware failed to load", 0)},
		{"rtw89 fw.c rtw89_mfw_recognize",
			"[    5.1] rtw89_8852be 0000:04:00.0: no suitable firmware found", dev("firmware failed to load", 0)},
		{"mwifiex main.c mwifiex_fw_dpc",
			"[    9.3] mwifiex_sdio mmc0:0001:1: Failed to get firmware mrvl/sd8897_uapsta.bin", dev("firmware failed to load", 0)},
		{"rtl8xxxu core.c rtl8xxxu_start_firmware, logged on the USB device",
			"[   12.0] usb 1-1: Firmware failed to start", dev("firmware failed to start", 0)},
		{"rtl8xxxu core.c rtl8xxxu_load_firmware, logged on the USB device",
			"[   12.0] usb 1-1: request_firmware(rtlwifi/rtl8192eu_nic.bin) failed", dev("firmware failed to load", 0)},
		{"iwlwifi pcie/trans.c iwl_trans_pcie_alloc",
			"[    6.158942] iwlwifi 0000:02:00.0: HW_REV=0xFFFFFFFF, PCI issues?", dev("device not responding", 0)},
		{"wlcore main.c wl12xx_fetch_firmware",
			"[    9.1] wlcore: ERROR could not get firmware ti-connectivity/wl18xx-fw-4.bin: -2", dev("firmware failed to load", -2)},
		{"wlcore main.c, the boot retries exhausted",
			"[   15.2] wlcore: ERROR firmware boot failed despite 3 retries", dev("firmware failed to start", 0)},
		{"ath9k_htc hif_usb.c ath9k_hif_usb_firmware_cb",
			"[   22.1] usb 1-5: ath9k_htc: Failed to get firmware ath9k_htc/htc_9271-1.4.0.fw", dev("firmware failed to load", 0)},
		{"ath9k_htc hif_usb.c ath9k_hif_usb_download_fw",
			"[   22.0] usb 1-5: ath9k_htc: Transferred FW: ath9k_htc/htc_9271-1.4.0.fw, size: 51008",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware loaded"}},
		{"rtl818x rtl8187/rfkill.c rtl8187_rfkill_init",
			"[    5.0] rtl8187: wireless switch is off", radio(false, 0)},
		{"rtl818x rtl8187/rfkill.c rtl8187_rfkill_poll",
			"[   75.0] rtl8187: wireless radio switch turned on", radio(true, 0)},
		{"mwifiex scan.c mwifiex_scan_networks",
			"[  300.2] mwifiex_sdio mmc0:0001:1: cmd: Scan already in process...",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"mwifiex scan.c, during an association",
			"[  300.2] mwifiex_pcie 0000:01:00.0: cmd: Scan is blocked during association...",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"ath11k mac.c ath11k_mac_op_hw_scan, EBUSY",
			"[  120.5] ath11k_pci 0000:03:00.0: failed to start hw scan: -16",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"ath10k mac.c ath10k_hw_scan, another error",
			"[  120.5] ath10k_pci 0000:02:00.0: failed to start hw scan: -110",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -110, Name: "hw scan failed to start"}},
		{"rtw89 mac80211.c rtw89_ops_hw_scan",
			"[  301.2] rtw89_8852be 0000:02:00.0: HW scan failed with status: -110",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -110, Name: "hw scan failed to start"}},
		{"rtw88 mac80211.c rtw_ops_hw_scan",
			"Dec 03 10:00:01 host kernel: rtw_8822ce 0000:03:00.0: HW scan failed with status: -5",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -5, Name: "hw scan failed to start"}},
		{"rtw89 fw.c, the scan offload's next channels",
			"[  301.2] rtw89_8852ae 0000:02:00.0: HW scan failed: -110",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -110, Name: "hw scan failed to start"}},
		{"iwlwifi mvm/scan.c iwl_mvm_reg_scan_start: firmware error",
			"[ 3021.1] iwlwifi 0000:00:14.3: Scan failed! ret -5",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -5, Name: "iwlwifi scan command failed"}},
		{"iwlwifi mvm/scan.c iwl_mvm_reg_scan_start: the transport refuses commands under the kill switch",
			"Dec 03 10:00:01 host kernel: iwlwifi 0000:00:14.3: Scan failed! ret -132",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindRadio, OK: f, Code: -132, Name: "hard-blocked"}},
		{"iwlwifi mvm/scan.c iwl_mvm_unified_scan_lmac (older)",
			"[ 3021.1] iwlwifi 0000:03:00.0: Scan failed! status 0x1 ret -5",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -5, Name: "iwlwifi scan command failed"}},
		{"iwlwifi mvm/scan.c iwl_mvm_reg_scan_start: -EBUSY before the regulatory domain is known",
			"[    9.1] iwlwifi 0000:00:14.3: scan while LAR regdomain is not set",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -16, Name: "iwlwifi: LAR regdomain not set"}},
		{"iwlwifi mvm/scan.c iwl_mvm_scan_timeout_wk",
			"Dec 03 10:00:01 host kernel: iwlwifi 0000:00:14.3: regular scan timed out",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanAborted, Name: "iwlwifi scan timeout"}},
		{"iwlwifi mvm/scan.c iwl_mvm_reg_scan_start",
			"[ 3021.1] iwlwifi 0000:00:14.3: Scan failed! ret -16",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -16, Name: "EBUSY"}},
		{"mt76 mt76_connac2_load_patch: retried",
			"[59010.889786] mt7921e 0000:02:00.0: Failed to get patch semaphore", note("firmware patch retry")},
		{"broadcom-sta wl_linux.c wl_attach",
			"[    6.165426] wl driver 6.30.223.271 (r587334) failed with code 1", dev("driver probe failed", 1)},
		{"broadcom-sta wl_cfg80211_hybrid.c __wl_cfg80211_scan",
			"[  117.2] ERROR @__wl_cfg80211_scan : Scanning already : status (4)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Code: -11, Name: "wl Scanning already"}},
		{"broadcom-sta wl_cfg80211_hybrid.c __wl_cfg80211_scan, in syslog",
			"May  2 08:06:57 host kernel: ERROR @wl_cfg80211_scan : WLC_SCAN error (-22)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanDone, OK: f, Code: -22, Name: "wl scan error"}},
		// Realtek's out-of-tree vendor drivers (RTW_INFO/RTW_WARN/RTW_ERR,
		// include/rtw_debug.h: "RTW: ", then "WARN "/"ERROR ").
		{"8821au core/rtw_mlme.c rtw_sitesurvey_condition_check, connecting (-EBUSY)",
			"[  812.3] RTW: rtw_cfg80211_scan (wlan0) : scan abort!!STA mode under linking (fwstate=0x88)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Iface: "wlan0", Code: -16, Name: "rtw scan abort: STA mode under linking"}},
		{"8821au core/rtw_mlme.c rtw_sitesurvey_condition_check, a scan running",
			"Jun  1 10:00:01 host kernel: RTW: rtw_cfg80211_scan (wlx00c0ca001122) : scan abort!!STA mode under survey (fwstate=0x800)",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Iface: "wlx00c0ca001122", Name: "rtw scan abort: STA mode under survey"}},
		{"older vendor drivers' wext scan: fwstate",
			"[  812.3] RTW: scan abort!! fwstate=0x88",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanBusy, Name: "rtw scan abort: fwstate=0x88"}},
		{"8821au/rtl8812au core/rtw_mlme.c _rtw_wait_scan_done",
			"[  812.3] RTW: rtw_scan_abort_timeout(wlan0)waiting for scan_abort time out!",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindScanAborted, Iface: "wlan0", Name: "rtw scan abort timeout"}},
		{"8821au hal/rtl8812a/usb/usb_halinit.c rtl8812au_hal_init, in syslog",
			"Jun  1 10:00:01 host kernel: RTW: rtl8812au_hal_init: Download Firmware failed!!", dev("firmware failed to load", 0)},
		{"the same after a bare dmesg timestamp (the envelope takes RTW: for a host)",
			"[    9.8] RTW: rtl8812au_hal_init: Download Firmware failed!!", dev("firmware failed to load", 0)},
		{"lwfinger/rtl8188eu hal/usb_halinit.c rtl8188eu_hal_init (DBG_88E)",
			"kernel: R8188EU: rtl8188eu_hal_init: Download Firmware failed!!", dev("firmware failed to load", 0)},
		{"halmac drivers (8821cu, 88x2bu) hal/hal_halmac.c download_fw (RTW_ERR)",
			"[    9.8] RTW: ERROR download_fw: download firmware FAIL! status=0x05", dev("firmware failed to load", 0)},
		{"8821au os_dep/linux/usb_intf.c rtw_drv_entry",
			"Jun  1 10:00:01 host kernel: RTW: rtw_drv_entry: power on failed!!(-1)", dev("device not responding", -1)},
		{"mt76 mt76_connac_mcu.c, the RAM code's header",
			"[    5.9] mt7921e 0000:01:00.0: WM Firmware Version: ____010000, Build Time: 20221227123243",
			diagnostics.Event{Source: diagnostics.SourceKernel, Kind: diagnostics.KindDevice, OK: tr, Name: "firmware loaded"}},
		// The device dead or gone (helper devmissing).
		{"iwlwifi pcie/trans.c iwl_pcie_load_firmware_chunk",
			"[  293.090544] iwlwifi 0000:02:00.0: Failed to load firmware chunk!", dev("firmware failed to load", 0)},
		{"iwlwifi pcie/trans.c iwl_pcie_load_section",
			"[  293.090559] iwlwifi 0000:02:00.0: Could not load the [0] uCode section", dev("firmware failed to load", 0)},
		{"iwlwifi pcie/trans.c iwl_trans_pcie_start_fw",
			"Dec 03 10:00:01 host kernel: iwlwifi 0000:00:14.3: Exit HW not ready", dev("device not responding", 0)},
		{"iwlwifi pcie/trans.c _iwl_trans_pcie_start_hw",
			"[   12.0] iwlwifi 0000:00:14.3: Error while preparing HW: -110", dev("device not responding", -110)},
		{"iwlwifi pcie/trans.c iwl_trans_pcie_removal_wk",
			"[ 3605.1] iwlwifi 0000:01:00.0: Device gone - attempting removal", dev("device not responding", 0)},
		{"mac80211 util.c ieee80211_reconfig: WARN after a failed restart",
			"[  259.681096] Hardware became unavailable during restart.", dev("restart failed", 0)},
		{"mac80211 util.c ieee80211_reconfig: WARN at resume, in syslog",
			"Dec  3 10:00:01 host kernel: Hardware became unavailable upon resume. This could be a software issue prior to suspend or a hardware issue.",
			dev("restart failed", 0)},
		{"brcmfmac pcie.c brcmf_pcie_setup",
			"[    8.1] brcmfmac 0000:01:00.0: brcmf_pcie_setup: Dongle setup failed", dev("firmware failed to start", 0)},
		{"brcmfmac core.c brcmf_fw_crashed (bphy_err on the wiphy)",
			"[ 4321.0] ieee80211 phy0: brcmf_fw_crashed: Firmware has halted or crashed", note("firmware crashed")},
		{"brcmfmac core.c brcmf_fw_crashed, before the wiphy exists",
			"[    8.1] brcmfmac: brcmf_fw_crashed: Firmware has halted or crashed", note("firmware crashed")},
		{"brcmfmac fwil.c brcmf_fil_cmd_data (also at suspend)",
			"[  226.107958] ieee80211 phy0: brcmf_fil_cmd_data: bus is down. we have nothing to do.", note("bus down")},
		{"ath10k core.c ath10k_core_probe_fw",
			"[   10.2] ath10k_pci 0000:02:00.0: could not init core (-110)", dev("firmware failed to start", -110)},
		{"ath10k core.c, older kernels",
			"[   10.2] ath10k_pci 0000:02:00.0: Could not init core: -110", dev("firmware failed to start", -110)},
		{"mt76 mt7921/mcu.c mt7921_load_ram",
			"[    5.9] mt7921e 0000:01:00.0: Failed to start WM firmware", dev("firmware failed to start", 0)},
		{"ath10k core.c ath10k_core_fetch_firmware_files",
			"[   31.091183] ath10k_pci 0000:3b:00.0: Failed to find firmware-N.bin (N between 2 and 6) from ath10k/QCA6174/hw3.0: -2",
			dev("firmware failed to load", -2)},
		{"ath10k pci.c ath10k_pci_hif_power_up",
			"Dec 03 10:00:01 host kernel: ath10k_pci 0000:02:00.0: failed to reset chip: -110", dev("device not responding", -110)},
		{"ath10k pci.c ath10k_pci_wait_for_target_init",
			"[   10.2] ath10k_pci 0000:02:00.0: failed to read device register, device is gone", dev("device not responding", 0)},
		{"brcmfmac sdio.c brcmf_sdio_htclk",
			"[   30.1] brcmfmac: brcmf_sdio_htclk: HT Avail request error: -110", dev("device not responding", -110)},
		{"ath10k_snoc core.c ath10k_core_probe_fw, after a dmesg timestamp (platform device: the envelope takes the driver for a host)",
			"[   10.2] ath10k_snoc 18800000.wifi: could not init core (-110)", dev("firmware failed to start", -110)},
		{"ath11k ahb core.c ath11k_core_qmi_firmware_ready, platform device",
			"[   12.5] ath11k c000000.wifi: failed to start core: -110", dev("firmware failed to start", -110)},
		{"mt76 SoC wmac mt76_connac_mcu.c: firmware message timeout, platform device",
			"[   40.0] mt798x-wmac 18000000.wifi: Message 00020007 (seq 11) timeout", note("firmware message timeout")},
		{"mwifiex cmdevt.c mwifiex_send_cmd",
			"[  812.0] mwifiex_sdio mmc0:0001:1: PREP_CMD: FW is in bad state", dev("device not responding", 0)},
		{"mwifiex cmdevt.c mwifiex_cmd_timeout_func",
			"[  800.0] mwifiex_pcie 0000:01:00.0: mwifiex_cmd_timeout_func: Timeout cmd id = 0xa4, act = 0x0", note("firmware command timeout")},
	}
}

func TestDriverLines(t *testing.T) {
	for _, tc := range driverCases() {
		got, _, ok := parseOne(tc.line)
		if !ok {
			t.Errorf("%s: %q not recognised", tc.src, tc.line)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreFields(diagnostics.Event{}, "Time", "Message", "Line")); diff != "" {
			t.Errorf("%s: %q (-want +got)\n%s", tc.src, tc.line, diff)
		}
	}
}

// driverLookAlikes must not become events: the firmware retries on the way to a
// successful load, another subsystem's firmware, and messages of drivers
// that are not Wi-Fi.
var driverLookAlikes = []string{
	"[  211.273676] iwlwifi 0000:02:00.0: Direct firmware load for iwlwifi-8000C-30.ucode failed with error -2",
	"[    4.751798] ath10k_pci 0000:01:00.0: could not fetch firmware file 'ath10k/QCA9377/hw1.0/firmware-5.bin': -2",
	"[    2.1] bluetooth hci0: Failed to load firmware file (-2)",
	"[    2.1] r8169 0000:02:00.0: failed to load firmware rtl_nic/rtl8168h-2.fw",
	"[    2.1] i915 0000:00:02.0: probe with driver i915 failed with error -22",
	"[    2.1] rfkill: input handler disabled",
	"[    4.0] iwlwifi 0000:01:00.0: firmware: failed to load iwlwifi-7260-17.ucode (-2)",
	"[    4.0] platform regulatory.0: Direct firmware load for regulatory.db failed with error -2",
	"[    4.0] cfg80211: failed to load regulatory.db",
	"[    2.1] iwlwifi 0000:00:14.3: 0x00000000 | ADVANCED_SYSASSERT",
	// Retries and optional files: b43 tries b43/ then b43-open/; brcmfmac
	// asks for a board-specific name, then the generic one, and the CLM
	// and txcap blobs are optional; the text of the rtl8xxxu line from
	// another USB device's driver.
	"[   14.137614] b43-phy0 ERROR: Firmware file \"b43/ucode15.fw\" not found",
	"[   30.668048] b43-phy0: Radio turned on by software",
	"[    6.9] brcmfmac mmc1:0001:1: Direct firmware load for brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.bin failed with error -2",
	"[    7.2] brcmfmac mmc1:0001:1: Direct firmware load for brcm/brcmfmac43455-sdio.clm_blob failed with error -2",
	"[    7.2] brcmfmac: brcmf_c_process_txcap_blob: no txcap_blob available (err=-2)",
	"[   12.0] usb 1-1: request_firmware(ath9k_htc/htc_9271-1.4.0.fw) failed",
	"[    2.1] ipw2200: Detected Intel PRO/Wireless 2200BG Network Connection",
	// rtlwifi prints the switch's initial value before reading it; its
	// "Selected firmware is not available" follows optional files too
	// (the wowlan image).
	"[   11.705185] rtlwifi: rtlwifi: wireless switch is on",
	// Realtek's vendor drivers skip background scans while a connected
	// station moves traffic (RTW_BUSY_DENY_SCAN): a note; a scan with the
	// interface down, or merely denied, is not read.
	"[ 1200.0] RTW: WARN rtw_cfg80211_scan(wlan0) : scan abort!! BusyTraffic",
	"[ 1200.0] RTW: rtw_cfg80211_scan (wlan0) : scan abort!! BusyTraffic",
	"[ 1200.0] RTW: scan abort!! BusyTraffic == _TRUE",
	"Jun  1 10:00:01 host kernel: RTL871X: scan abort!! BusyTraffic == _TRUE",
	"[ 1200.0] RTW: scan abort!! adapter cannot use",
	"[ 1200.0] RTW: rtw_cfg80211_scan(wlan0) : scan deny",
	"[ 3482.436727] rtlwifi: Selected firmware is not available",
	"[   22.1] usb 1-5: ath9k_htc: Firmware ath9k_htc/htc_9271-1.4.0.fw requested",
	"[   22.1] usb 1-5: new high-speed USB device number 3 using xhci_hcd",
	// ath's regulatory lines, on every healthy ath9k boot.
	"[    9.9] ath: EEPROM regdomain: 0x6a",
	"[    9.9] ath: phy0: Failed to stop TX DMA, queues=0x005!",
	// iwlwifi's register dump and its NIC-access warning (also a suspend
	// race, fixed in 6.12): no verdict by themselves; a failed restart
	// after them is mac80211's line. A GPU's or a wired NIC's text
	// matching a table prefix is not a Wi-Fi driver's.
	"[ 3605.1] Timeout waiting for hardware access (CSR_GP_CNTRL 0xffffffff)",
	"[   10.2] r8169 0000:02:00.0: Could not init core (-110)",
	"[   10.2] amdgpu 0000:03:00.0: Failed to load firmware chunk!",
	// A platform Wi-Fi device's healthy lines after a dmesg timestamp.
	"[   10.2] ath10k_snoc 18800000.wifi: qmi chip_id 0x30214 chip_family 0x4001 board_id 0xff soc_id 0x40030000",
	"[   10.2] ath10k_snoc 18800000.wifi: Direct firmware load for ath10k/WCN3990/hw1.0/board-2.bin failed with error -2",
	// ath10k's single reset attempt, retried by its caller.
	"[   10.2] ath10k_pci 0000:02:00.0: device has crashed during init",
	// broadcom-sta's other errors.
	" kernel: ERROR @wl_inform_single_bss : ",
	"[   30.0] ERROR @wl_dev_intvar_get : error (-1)",
}

func TestDriverLookAlikes(t *testing.T) {
	for _, line := range driverLookAlikes {
		if got, _, ok := parseOne(line); ok && got.Kind != diagnostics.KindNote {
			t.Errorf("%q: got %v, want no event", line, got)
		}
	}
}

// Whole logs: a healthy boot where iwlwifi lacks its newest firmware and
// loads an older one, and a failed one where it lacks all; a firmware start
// that failed once and succeeded on the driver's retry; the kill switch
// toggled off and on, and on and off; a firmware crash the driver restarts.
// Only the state the log ends in is a failure.
func TestDriverFirmwareRetries(t *testing.T) {
	healthy := "[    4.0] iwlwifi 0000:01:00.0: Direct firmware load for iwlwifi-7260-17.ucode failed with error -2\n" +
		"[    4.1] iwlwifi 0000:01:00.0: loaded firmware version 16.242414.0 op_mode iwlmvm\n"
	failed := "[    4.0] iwlwifi 0000:01:00.0: Direct firmware load for iwlwifi-7260-17.ucode failed with error -2\n" +
		"[    4.0] iwlwifi 0000:01:00.0: no suitable firmware found!\n"
	retried := "[    6.2] iwlwifi 0000:29:00.0: Failed to run INIT ucode: -110\n" +
		"[    6.2] iwlwifi 0000:29:00.0: retry init count 0\n" +
		"[    6.6] iwlwifi 0000:29:00.0: base HW address: 84:1b:77:00:11:22\n"
	toggled := "[ 1913.3] iwlwifi 0000:03:00.0: RF_KILL bit toggled to disable radio.\n" +
		"[ 1914.8] iwlwifi 0000:03:00.0: RF_KILL bit toggled to enable radio.\n"
	killed := "[ 1913.3] iwlwifi 0000:03:00.0: RF_KILL bit toggled to enable radio.\n" +
		"[ 1914.8] iwlwifi 0000:03:00.0: RF_KILL bit toggled to disable radio.\n"
	crashed := "[ 5265.6] iwlwifi 0000:08:00.0: Microcode SW error detected. Restarting 0x0.\n" +
		"[ 5265.6] ieee80211 phy0: Hardware restart was requested\n"
	// b43: the switch off, then on (the firmware loads again); and
	// off, software on, the hardware switch still off.
	b43Toggled := "[ 2761.0] b43-phy0: Radio hardware status changed to DISABLED\n" +
		"[ 2766.0] b43-phy0: Radio hardware status changed to ENABLED\n"
	b43Killed := "[   30.5] b43-phy0: Radio hardware status changed to DISABLED\n" +
		"[   30.6] b43-phy0: Radio turned on by software\n" +
		"[   30.6] b43-phy0: The hardware RF-kill button still turns the radio physically off. Press the button to turn it on.\n"
	// b43 without its firmware: two retries, then the help text.
	b43NoFW := "[   12.7] b43-phy0 ERROR: Firmware file \"b43/ucode5.fw\" not found\n" +
		"[   12.7] b43-phy0 ERROR: Firmware file \"b43-open/ucode5.fw\" not found\n" +
		"[   12.7] b43-phy0 ERROR: You must go to http://wireless.kernel.org/en/users/Drivers/b43#devicefirmware and download the correct firmware for this driver version. Please carefully read all instructions on this website.\n"
	// brcmfmac on a Raspberry Pi: the board-specific name and the
	// optional CLM blob missing, the firmware running.
	brcmfOptional := "[    6.9] brcmfmac: brcmf_fw_alloc_request: using brcm/brcmfmac43455-sdio for chip BCM4345/6\n" +
		"[    6.9] brcmfmac mmc1:0001:1: Direct firmware load for brcm/brcmfmac43455-sdio.raspberrypi,4-model-b.bin failed with error -2\n" +
		"[    7.2] brcmfmac mmc1:0001:1: Direct firmware load for brcm/brcmfmac43455-sdio.clm_blob failed with error -2\n" +
		"[    7.2] brcmfmac: brcmf_c_process_clm_blob: no clm_blob available (err=-2), device may have limited channels available\n" +
		"[    7.3] brcmfmac: brcmf_c_preinit_dcmds: Firmware: BCM4345/6 wl0: Mar 23 2020 02:19:54 version 7.45.206 (r725000 CY) FWID 01-88ee44ea\n"
	// mt7921: the patch semaphore refused once, the init retried and
	// the firmware loaded; refused to the end.
	mtRetried := "[59010.8] mt7921e 0000:02:00.0: Failed to get patch semaphore\n" +
		"[59012.1] mt7921e 0000:02:00.0: WM Firmware Version: ____010000, Build Time: 20221227123243\n"
	mtFailed := "[59010.8] mt7921e 0000:02:00.0: Failed to get patch semaphore\n" +
		"[59017.5] mt7921e 0000:02:00.0: hardware init failed\n"
	// A connected station on a Realtek vendor driver whose background
	// scans are skipped for busy traffic: healthy.
	rtwBusy := "Oct 25 12:10:30 host wpa_supplicant: wlan0: CTRL-EVENT-CONNECTED - Connection to ec:be:dd:4b:57:76 completed [id=0 id_str=]\n" +
		"Oct 25 12:10:30 host kernel: IPv6: ADDRCONF(NETDEV_CHANGE): wlan0: link becomes ready\n" +
		"Oct 25 12:12:30 host kernel: RTW: WARN rtw_cfg80211_scan(wlan0) : scan abort!! BusyTraffic\n" +
		"Oct 25 12:14:30 host kernel: RTW: WARN rtw_cfg80211_scan(wlan0) : scan abort!! BusyTraffic\n" +
		"Oct 25 12:16:30 host kernel: RTW: WARN rtw_cfg80211_scan(wlan0) : scan abort!! BusyTraffic\n"
	// brcmfmac on PCIe whose firmware never came up: the failure, then
	// the crash handler's own line (a note); a crash the driver survives
	// (the firmware reports its version again).
	brcmfSetup := "[    8.1] brcmfmac 0000:01:00.0: brcmf_pcie_setup: Dongle setup failed\n" +
		"[    8.1] brcmfmac: brcmf_fw_crashed: Firmware has halted or crashed\n"
	brcmfCrash := "[ 4321.0] ieee80211 phy0: brcmf_fw_crashed: Firmware has halted or crashed\n" +
		"[ 4322.0] brcmfmac: brcmf_c_preinit_dcmds: Firmware: BCM4345/6 wl0: Mar 23 2020 02:19:54 version 7.45.206 (r725000 CY) FWID 01-88ee44ea\n"
	// brcmfmac at suspend: commands refused while the bus is down.
	brcmfSuspend := "[  226.107958] ieee80211 phy0: brcmf_fil_cmd_data: bus is down. we have nothing to do.\n" +
		"[  226.107975] ieee80211 phy0: brcmf_cfg80211_get_tx_power: error (-5)\n"
	// iwlwifi whose restart after a crash failed: mac80211's WARN.
	iwlRestartFailed := "[  259.668818] iwlwifi 0000:02:00.0: Could not load the [0] uCode section\n" +
		"[  259.681066] iwlwifi 0000:02:00.0: Failed to run INIT ucode: -110\n" +
		"[  259.681094] ------------[ cut here ]------------\n" +
		"[  259.681096] Hardware became unavailable during restart.\n"
	for _, tc := range []struct {
		log  string
		want diagnostics.Class
	}{
		{brcmfSetup, diagnostics.DeviceUnavailable}, {brcmfCrash, diagnostics.None}, {brcmfSuspend, diagnostics.None},
		{iwlRestartFailed, diagnostics.DeviceUnavailable},
		{healthy, diagnostics.None}, {failed, diagnostics.DeviceUnavailable}, {retried, diagnostics.None},
		{toggled, diagnostics.None}, {killed, diagnostics.RadioOff}, {crashed, diagnostics.None},
		{b43Toggled, diagnostics.None}, {b43Killed, diagnostics.RadioOff}, {b43NoFW, diagnostics.DeviceUnavailable},
		{brcmfOptional, diagnostics.None}, {mtRetried, diagnostics.None}, {mtFailed, diagnostics.DeviceUnavailable},
		{rtwBusy, diagnostics.None},
	} {
		if got := classifyLog(t, tc.log); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.log, got, tc.want)
		}
	}
}

func classifyLog(t *testing.T, log string) diagnostics.Class {
	t.Helper()
	rep, err := Diagnose(context.Background(), strings.NewReader(log), Options{Year: 2024, ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Class
}
