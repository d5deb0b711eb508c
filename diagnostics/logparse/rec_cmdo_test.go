package logparse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Scan listings (iw scan's BSS lines, wpa_cli scan_results), wpa_cli's
// interactive prompt and nmcli's translated messages.
func TestCmdOutListingsLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []diagnostics.Event
	}{
		// iw scan.c, print_bss_handler: one event for the listing, its
		// fields and further BSSs dropped.
		{"iw scan listing", []string{
			"pi@raspberrypi:~ $ sudo iw wlan0 scan",
			"BSS 70:f0:96:d2:e0:62(on wlan0)",
			"\tlast seen: 710.456s [boottime]",
			"\tcapability: ESS Privacy ShortPreamble ShortSlotTime RadioMeasure (0x1431)",
			"\tSSID: WIFI_IUTB_IOT",
			"\tRSN:\t * Version: 1",
			"\t\t * Group cipher: CCMP",
			"\tBSS Load:",
			"\t\t * station count: 0",
			"BSS 4e:66:41:a0:5b:35(on wlan0) -- associated",
			"\tSSID: Android AP8905",
		}, []diagnostics.Event{{Source: "nl80211", Kind: "scan_done", OK: yes, Name: "iw scan: results listed", Iface: "wlan0"}}},
		{"iw scan listing without interface", []string{"BSS 70:f0:96:d2:e0:62", "\tSSID: x"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_done", OK: yes, Name: "iw scan: results listed"}}},
		// Two listings with a line between them that the pre-filter
		// keeps (an error, another output) are two scans; the prompt
		// alone does not reach the envelope, and listings back to
		// back read as one.
		{"two listings", []string{"BSS 70:f0:96:d2:e0:62(on wlan0)", "\tSSID: x", "Not connected.", "BSS 70:f0:96:d2:e0:62(on wlan0)"},
			[]diagnostics.Event{
				{Source: "nl80211", Kind: "scan_done", OK: yes, Name: "iw scan: results listed", Iface: "wlan0"},
				{Source: "nl80211", Kind: "note", Name: "iw link: not connected"},
				{Source: "nl80211", Kind: "scan_done", OK: yes, Name: "iw scan: results listed", Iface: "wlan0"},
			}},
		// Not a BSS line: the field "BSS Load:" outside a listing, a
		// sentence.
		{"BSS look-alikes", []string{"BSS Load:", "BSS 70:f0:96:d2:e0:62 is my router"}, nil},
		// wpa_supplicant ctrl_iface.c, wpa_supplicant_ctrl_iface_scan_results.
		{"wpa_cli scan_results", []string{
			"$ wpa_cli -i wlan0 scan_results",
			"bssid / frequency / signal level / flags / ssid",
			"00:11:22:33:44:55\t2437\t-45\t[WPA2-PSK-CCMP][ESS]\tMyNet",
			"00:11:22:33:44:66\t2412\t-70\t[ESS]\tOpen",
		}, []diagnostics.Event{{Source: "wpa_supplicant", Kind: "scan_done", OK: yes, Name: "wpa_cli scan_results: results listed"}}},
		{"wpa_cli scan_results empty", []string{"bssid / frequency / signal level / flags / ssid", "$ "}, nil},
		{"a results row without the header", []string{"00:11:22:33:44:55\t2437\t-45\t[WPA2-PSK-CCMP][ESS]\tMyNet"}, nil},
		// Lines a paste's wrapping cut: the errno on the next line,
		// the errno's text cut.
		{"iw errno on the next line", []string{"command failed: Device or resource busy", "(-16)"},
			[]diagnostics.Event{{Source: "nl80211", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}},
		{"iw unknown text without errno", []string{"command failed: Something else"}, nil},
		{"iwlist errno text cut", []string{"wlan0     Interface doesn't support scanning : Device or resource", "busy"},
			[]diagnostics.Event{{Source: "kernel", Kind: "scan_busy", Code: -16, Name: "EBUSY", Iface: "wlan0"}}},
		// wpa_cli.c, wpa_cli_interactive: the "> " prompt.
		{"wpa_cli interactive scan busy", []string{"Interactive mode", "", "> scan", "FAIL-BUSY"},
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "scan_busy", Name: "wpa_cli scan: FAIL-BUSY"}}},
		{"wpa_cli interactive other busy", []string{"> p2p_find", "FAIL-BUSY"}, nil},
		// nmcli, translated (po/de.po, fr.po, es.po, ru.po, zh_CN.po).
		{"nmcli de activation failed, secrets", []string{"Fehler: Aktivierung der Verbindung ist gescheitert: Geheimdaten waren erforderlich, wurden aber nicht angegeben"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonNoSecrets, Name: "no-secrets"}}},
		{"nmcli fr no network", []string{"Erreur : aucun réseau avec le SSID « MyNet » trouvé."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "MyNet"}}},
		{"nmcli fr no-break space", []string{"Erreur\u00a0: aucun réseau avec le SSID «\u00a0MyNet\u00a0» trouvé."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "MyNet"}}},
		{"nmcli es no network", []string{"Error: no se encontró una red con SSID «MyNet»."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "MyNet"}}},
		{"nmcli ru no network", []string{"Ошибка: не найдена сеть с SSID «MyNet»."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "MyNet"}}},
		{"nmcli zh_CN no network", []string{"错误：未找到 SSID 为 'MyNet' 的网络。"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found", SSID: "MyNet"}}},
		{"nmcli de not running", []string{"Fehler: NetworkManager wird nicht ausgeführt."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "backend", OK: no, Name: "networkmanager"}}},
		{"nmcli de device not found", []string{"Fehler: Gerät »wlan1« wurde nicht gefunden."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "missing", Iface: "wlan1"}}},
		{"nmcli de activated", []string{"Verbindung wurde erfolgreich aktiviert (aktiver D-Bus-Pfad: /org/freedesktop/NetworkManager/ActiveConnection/7)"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "joined"}}},
		{"nmcli de device status", []string{"wlan0   wifi      nicht verfügbar  --"},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable", Iface: "wlan0"}}},
		// nmcli's translated "Error: %s." around NetworkManager's own
		// (English) message.
		{"nmcli de scanning not allowed", []string{"Fehler: Scanning not allowed while already scanning."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "scan_busy", Name: "deferred"}}},
		// nm-manager.c "No suitable device found for this connection
		// (device %s not available because %s)." by its reason.
		{"nmcli no compatible AP", []string{"Error: Connection activation failed: No suitable device found for this connection (device wlan0 not available because no compatible access point found)."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonSSIDNotFound, Name: "ssid-not-found"}}},
		// Read as the device as before (testdata/corpus's
		// device_unavailable--nmcli-no-suitable-device.log), although
		// nm-device.c's reason is the profile's, not the device's.
		{"nmcli profile mismatch", []string{"Error: Connection activation failed: No suitable device found for this connection (device wlan0 not available because profile is not compatible with device (mismatching interface name))."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable"}}},
		{"nmcli strictly unmanaged", []string{"Error: Connection activation failed: No suitable device found for this connection (device wlan0 not available because device is strictly unmanaged)."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unmanaged"}}},
		{"nmcli device not available", []string{"Error: Connection activation failed: No suitable device found for this connection (device wlan0 not available because device is not available)."},
			[]diagnostics.Event{{Source: "nmcli", Kind: "device", OK: no, Name: "unavailable"}}},
		// Another German error, and German prose: not nmcli's.
		{"other translated errors", []string{"Fehler: Ungültiges zusätzliches Argument »foo«.", "Fehler: das ist kein nmcli"}, nil},
	}
	for _, tt := range tests {
		got := parseSeq(tt.lines...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.name, diff)
		}
	}
}

// TestCmdOutListingsDiagnose: a refused scan and then a listing of the
// scan's results is no failure (the look-alike); a refusal after the
// listing is.
func TestCmdOutListingsDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"iw busy then listing", []string{
			"root@OpenWrt:~# iw dev wlan0 scan",
			"command failed: Device or resource busy (-16)",
			"root@OpenWrt:~# iw dev wlan0 scan",
			"BSS 00:11:22:33:44:55(on wlan0)",
			"\tfreq: 2437",
			"\tSSID: MyNet",
		}, diagnostics.None},
		{"listing then iw busy", []string{
			"root@OpenWrt:~# iw dev wlan0 scan",
			"BSS 00:11:22:33:44:55(on wlan0)",
			"\tSSID: MyNet",
			"root@OpenWrt:~# iw dev wlan0 scan",
			"command failed: Device or resource busy (-16)",
		}, diagnostics.ScanBusy},
		// EBUSY to a command that is no scan: the interface is up or
		// in use (monitor mode), not a refused scan.
		{"iw set type busy", []string{"pi@raspberrypi:~ $ sudo iw dev wlan0 set type monitor", "command failed: Device or resource busy (-16)"}, diagnostics.None},
		{"iw phy interface add busy", []string{"root@OpenWrt:~# iw phy phy0 interface add mon0 type monitor", "command failed: Device or resource busy (-16)"}, diagnostics.None},
		{"iw set type then scan busy", []string{"$ sudo iw wlan0 set type managed", "$ sudo iw wlan0 scan trigger", "command failed: Device or resource busy (-16)"}, diagnostics.ScanBusy},
		{"iw set type, interface down", []string{"$ sudo iw dev wlan0 set type monitor", "command failed: No such device (-19)"}, diagnostics.DeviceUnavailable},
		// wpa_cli status (ctrl_iface.c, wpa_supplicant_ctrl_iface_status).
		{"busy, then wpa_cli status joined", []string{
			"$ wpa_cli -i wlan0 scan", "FAIL-BUSY",
			"$ wpa_cli -i wlan0 status", "bssid=00:11:22:33:44:55", "ssid=MyNet", "wpa_state=COMPLETED", "ip_address=192.168.1.23", "address=b8:27:eb:00:00:01",
		}, diagnostics.None},
		{"wpa_cli status link-local", []string{"wpa_state=COMPLETED", "ip_address=169.254.10.20"}, diagnostics.DHCPFailed},
		{"wpa_cli status scanning, address", []string{"wpa_state=SCANNING", "ip_address=192.168.1.23"}, diagnostics.None},
		{"wpa_cli status disabled", []string{"wpa_state=INTERFACE_DISABLED", "address=b8:27:eb:00:00:01"}, diagnostics.DeviceUnavailable},
		{"wpa_cli busy then results", []string{
			"$ wpa_cli -i wlan0 scan",
			"FAIL-BUSY",
			"$ wpa_cli -i wlan0 scan_results",
			"bssid / frequency / signal level / flags / ssid",
			"00:11:22:33:44:55\t2437\t-45\t[WPA2-PSK-CCMP][ESS]\tMyNet",
		}, diagnostics.None},
		{"wpa_cli interactive busy", []string{"$ sudo wpa_cli", "Selected interface 'wlan0'", "", "Interactive mode", "", "> scan", "FAIL-BUSY"}, diagnostics.ScanBusy},
		{"nmcli de wrong key", []string{
			"$ nmcli con up MyNet",
			"Fehler: Aktivierung der Verbindung ist gescheitert: Geheimdaten waren erforderlich, wurden aber nicht angegeben",
			"Hinweis: Verwenden Sie »journalctl -xe NM_CONNECTION=abc + NM_DEVICE=wlan0«, um weitere Details zu erhalten.",
		}, diagnostics.WrongKey},
		{"nmcli fr activated", []string{
			"$ nmcli con up MyNet",
			"Connexion activée (chemin D-Bus actif : /org/freedesktop/NetworkManager/ActiveConnection/8)",
		}, diagnostics.None},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}

// FuzzNmcliL10n: any line is matched against the translations without
// panicking, and what it gives back is an English nmcli message.
func FuzzNmcliL10n(f *testing.F) {
	f.Add("Fehler: Aktivierung der Verbindung ist gescheitert: Geheimdaten waren erforderlich, wurden aber nicht angegeben")
	f.Add("Erreur : aucun réseau avec le SSID « x » trouvé.")
	f.Add("Fehler: Gerät »« wurde nicht gefunden")
	f.Add("Verbindung wurde erfolgreich aktiviert (aktiver D-Bus-Pfad: )")
	f.Fuzz(func(t *testing.T, in string) {
		if en, ok := nmcliEnglish(in); ok && !strings.HasPrefix(en, "Error: ") && !strings.Contains(en, "successfully activated") {
			t.Fatalf("%q: gave %q", in, en)
		}
	})
}

// The active connection's "No valid secrets", in English and translated.
func TestNmcliNoValidSecrets(t *testing.T) {
	want := []diagnostics.Event{{Source: "nmcli", Kind: "device_state", State: "failed", Code: diagnostics.ReasonNoSecrets, Name: "no-secrets"}}
	for _, l := range []string{
		"Error: Connection activation failed: No valid secrets",
		"Fehler: Aktivierung der Verbindung ist gescheitert: Keine gültigen Passwörter",
	} {
		if diff := cmp.Diff(want, parseSeq(l)); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", l, diff)
		}
	}
}

// nmcli radio and nmcli device wifi list translated (po: general.c's
// enabled/disabled, devices.c's Infra and "%u Mbit/s").
func TestNmcliL10nListings(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"de radio off", []string{"$ nmcli radio", "WIFI-HW    WIFI         WWAN-HW    WWAN", "aktiviert  deaktiviert  aktiviert  aktiviert"}, diagnostics.RadioOff},
		{"fr radio on", []string{"activé  activé  activé  activé"}, diagnostics.None},
		{"ru radio hw off (a phrase)", []string{"использование отключено  использование включено  использование включено  использование включено"}, diagnostics.RadioOff},
		{"zh radio off", []string{"已启用   已禁用  已启用   已启用"}, diagnostics.RadioOff},
		{"de general, radio off", []string{"$ nmcli general", "STATUS    KONNEKTIVITÄT  WIFI-HW    WIFI         WWAN-HW    WWAN", "getrennt  keine          aktiviert  deaktiviert  aktiviert  aktiviert"}, diagnostics.RadioOff},
		{"de general, hw off", []string{"getrennt (nur lokal)  keine  deaktiviert  aktiviert  aktiviert  aktiviert"}, diagnostics.RadioOff},
		{"de general, on", []string{"verbunden  voll  aktiviert  aktiviert  aktiviert  aktiviert"}, diagnostics.None},
		{"German prose", []string{"Das WLAN ist deaktiviert und das Bluetooth aktiviert worden"}, diagnostics.None},
		{"fr rescan refused then listed", []string{
			"$ nmcli dev wifi rescan",
			"Erreur : Scanning not allowed immediately following previous scan.",
			"$ nmcli dev wifi list",
			"        90:3A:72:00:00:01  HomeNet     Infra  6     130 Mb/s  100     ▂▄▆█  WPA2",
		}, diagnostics.None},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
