package logparse

import "bytes"

// keys are the substrings that every recognised line contains at least one
// of. A line without any of them is noise and is dropped before any decoding
// or regular-expression work. bench/keys.txt holds the same list for the
// benchmark's grep baseline; TestBenchKeysInSync keeps the two equal.
var keys = []string{
	"state change",      // NetworkManager device state
	"interface state",   // NetworkManager supplicant interface state
	"Activation",        // NetworkManager activation start, failure, success, timers
	"-activat",          // policy: auto-activating; audit op="connection-(add-)activate"
	"secrets",           // NetworkManager secrets requests
	"added 'ssid'",      // NetworkManager supplicant config
	"wireless network",  // NetworkManager "Connected to wireless network"
	"dhcp4 (",           // NetworkManager DHCP
	"DHCPv4",            // older NetworkManager DHCP
	"radio",             // rfkill and radio-control
	"rfkill",            // wpa_supplicant "rfkill: WLAN soft blocked"
	"now disabled",      // Wi-Fi now disabled (by radio killswitch)
	"now enabled",       //
	"CTRL-EVENT-",       // wpa_supplicant control events
	"andshake failed",   // wpa_supplicant and iwd handshake failures
	"SME:",              // wpa_supplicant SME
	"ssociat",           // association (wpa_supplicant, mac80211)
	"AssocResp",         // mac80211 association response
	"uthenticat",        // authentication (wpa_supplicant, mac80211)
	"send auth",         // mac80211 auth retries
	"RX auth",           // mac80211 auth response
	"timed out",         // auth, association and DHCP timeouts
	"State: ",           // wpa_supplicant -d state machine
	"SAE",               // SAE failures
	"connect-failed",    // iwd
	"Failed to connect", // iwd
	"Error: ",           // nmcli errors
	"nmcli",             // nmcli invocations
	"successfully activated",
}

var keyBytes = func() [][]byte {
	b := make([][]byte, len(keys))
	for i, k := range keys {
		b[i] = []byte(k)
	}
	return b
}()

// interesting reports whether b may hold a recognised line.
func interesting(b []byte) bool {
	for _, k := range keyBytes {
		if bytes.Contains(b, k) {
			return true
		}
	}
	return false
}
