package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// ESP_ERROR_CHECK's abort message, the same in ESP-IDF and the ESP8266
// RTOS SDK (components/esp_common/src/esp_err.c, _esp_error_check_failed):
//
//	ESP_ERROR_CHECK failed: esp_err_t 0x3006 (ESP_ERR_WIFI_STATE) at 0x40221574
//	file: "user_wifi.c" line 458
//	func: wifi_scan_timer_cb
//	expression: esp_wifi_scan_start(&configForScan, false)
//
// The error is on the first line and the call that returned it on the
// last, so the envelope keeps the error (lineParser.espCheck) until the
// expression line and hands the pair on as one message. Only esp_wifi_*
// calls count; what each error means for them is esp_wifi.h's documented
// return values.
var recESPCheck = recognizer{
	name:     "esp-error-check",
	title:    "ESP-IDF and ESP8266 RTOS SDK ESP_ERROR_CHECK aborts",
	keys:     []string{"ESP_ERROR_CHECK failed: esp_err_t ", "expression: esp_wifi_"},
	envelope: espCheckEnvelope,
	parse:    parseESPCheck,
}

var (
	reESPCheckFailed = regexp.MustCompile(`ESP_ERROR_CHECK failed: esp_err_t 0x[0-9a-fA-F]+ \((ESP_ERR_WIFI_[A-Z_]+)\)`)
	reESPCheckExpr   = regexp.MustCompile(`^\s*expression: (esp_wifi_[a-z_]+)\(`)
)

// espCheckTag marks the joined message for parseESPCheck.
const espCheckTag = "esp-error-check"

func espCheckEnvelope(lp *lineParser, s string) (lineInfo, bool) {
	if strings.Contains(s, "ESP_ERROR_CHECK failed") {
		// Every abort replaces the one before: an error that is not
		// Wi-Fi's, or whose expression line is not an esp_wifi_* call
		// (never seen here: the pre-filter drops it), is forgotten.
		lp.espCheck = ""
		if g := reESPCheckFailed.FindStringSubmatch(s); g != nil {
			lp.espCheck = g[1]
		}
		return lineInfo{}, false
	}
	if lp.espCheck == "" || !strings.Contains(s, "expression: esp_wifi_") {
		return lineInfo{}, false
	}
	g := reESPCheckExpr.FindStringSubmatch(s)
	if g == nil {
		return lineInfo{}, false
	}
	err := lp.espCheck
	lp.espCheck = ""
	return lineInfo{tag: espCheckTag, msg: err + " " + g[1]}, true
}

func parseESPCheck(m *message) (parsed, match) {
	var p parsed
	if m.tag != espCheckTag {
		return p, pass
	}
	errName, call, _ := strings.Cut(m.msg, " ")
	e := &p.ev
	e.Source, e.Name = diagnostics.SourceEmbedded, errName+" from "+call
	switch {
	case call == "esp_wifi_scan_start" && (errName == "ESP_ERR_WIFI_STATE" || errName == "ESP_ERR_WIFI_TIMEOUT"):
		// esp_wifi.h, esp_wifi_scan_start: "ESP_ERR_WIFI_STATE: wifi
		// still connecting when invoke esp_wifi_scan_start",
		// "ESP_ERR_WIFI_TIMEOUT: blocking scan is timeout": the scan
		// was refused or never finished (the guide's "Scan When Wi-Fi
		// Is Connecting").
		e.Kind = diagnostics.KindScanBusy
	case errName == "ESP_ERR_WIFI_NOT_INIT":
		// "WiFi driver was not installed by esp_wifi_init".
		e.Kind, e.OK = diagnostics.KindDevice, diagnostics.Bool(false)
	case errName == "ESP_ERR_WIFI_NOT_STARTED":
		// "WiFi driver was not started by esp_wifi_start": the radio
		// is off (as rec_embedded.go's "wifi not start").
		e.Kind, e.OK = diagnostics.KindRadio, diagnostics.Bool(false)
	default:
		// Other errors abort the program for its own reasons (a bad
		// argument, NVS, a mode): a note, the program's bug.
		e.Kind = diagnostics.KindNote
	}
	return p, take
}
