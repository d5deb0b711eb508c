package logparse

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestESPErrorCheck: an ESP_ERROR_CHECK abort is read as the pair of its
// error (first line) and its call (expression line).
func TestESPErrorCheck(t *testing.T) {
	abort := func(code, name, expr string) string {
		return "ESP_ERROR_CHECK failed: esp_err_t " + code + " (" + name + ") at 0x400d2f1c\n" +
			"file: \"main/app_main.c\" line 88\nfunc: app_main\nexpression: " + expr + "\n\n" +
			"abort() was called at PC 0x40086b4f on core 0\n"
	}
	for _, tc := range []struct {
		name, log string
		want      diagnostics.Class
	}{
		{"scan refused while connecting", abort("0x3006", "ESP_ERR_WIFI_STATE", "esp_wifi_scan_start(&cfg, true)"), diagnostics.ScanBusy},
		{"driver not started", abort("0x3002", "ESP_ERR_WIFI_NOT_STARTED", "esp_wifi_connect()"), diagnostics.RadioOff},
		{"driver not initialised", abort("0x3001", "ESP_ERR_WIFI_NOT_INIT", "esp_wifi_set_mode(WIFI_MODE_STA)"), diagnostics.DeviceUnavailable},
		{"not a Wi-Fi error", abort("0x1105", "ESP_ERR_NVS_NO_FREE_PAGES", "nvs_flash_init()"), diagnostics.None},
		{"another Wi-Fi error is the program's", abort("0x300a", "ESP_ERR_WIFI_SSID", "esp_wifi_connect()"), diagnostics.None},
		{"a stale error is not paired", abort("0x3006", "ESP_ERR_WIFI_STATE", "my_scan()") +
			abort("0x1105", "ESP_ERR_NVS_NO_FREE_PAGES", "nvs_flash_init()") + "expression: esp_wifi_scan_start(&cfg, true)\n", diagnostics.None},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, rep.Class); diff != "" {
				t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
			}
		})
	}
}

// TestLogcatLongThroughSplit: logcat -v long's header gives the message
// lines after it their envelope, through lineParser.split itself.
func TestLogcatLongThroughSplit(t *testing.T) {
	in := "[ 01-18 21:09:47.901  1234: 5678 E/WifiStateMachine ]\nFailed to load driver\n\n"
	rep, err := Diagnose(context.Background(), strings.NewReader(in), Options{Year: 2024, MaxLineBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(diagnostics.DeviceUnavailable, rep.Class); diff != "" {
		t.Errorf("class (-want +got):\n%s\ndetail: %s", diff, rep.Detail)
	}
	// Without the header the line is no one's.
	rep, err = Diagnose(context.Background(), strings.NewReader("Failed to load driver\n"), Options{Year: 2024, MaxLineBytes: 4096})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(diagnostics.None, rep.Class); diff != "" {
		t.Errorf("bare line: class (-want +got):\n%s", diff)
	}
}
