package logparse

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
	"caught SIG",  // NetworkManager stopping
	"exiting (",   // NetworkManager exited
	"is starting", // NetworkManager started
}

// anchors indexes the keys by a two-byte anchor inside each: a line is
// scanned once, and only where an anchor occurs is a key compared. Anchors
// are chosen to be rare in ordinary text (capitals, digits and punctuation
// first), which keeps the comparisons few.
var anchors = func() *anchorTable {
	t := &anchorTable{keys: map[uint16][]anchoredKey{}}
	for _, k := range keys {
		best, bestScore := 0, -1
		for j := 0; j+1 < len(k); j++ {
			if sc := rarity(k[j]) + rarity(k[j+1]); sc > bestScore {
				best, bestScore = j, sc
			}
		}
		bg := uint16(k[best])<<8 | uint16(k[best+1])
		t.set[bg>>6] |= 1 << (bg & 63)
		t.keys[bg] = append(t.keys[bg], anchoredKey{key: k, off: best})
	}
	return t
}()

type anchoredKey struct {
	key string
	off int // offset of the anchor in key
}

type anchorTable struct {
	set  [1 << 10]uint64 // bit per two-byte anchor
	keys map[uint16][]anchoredKey
}

// rarity scores a byte: higher is rarer in log text.
func rarity(c byte) int {
	switch {
	case c >= 'A' && c <= 'Z':
		return 3
	case c == '-' || c == '(' || c == ':' || c == '\'' || c == '_':
		return 3
	case c >= '0' && c <= '9':
		return 2
	case c == ' ':
		return 0
	case c == 'e' || c == 't' || c == 'a' || c == 'o' || c == 'i' || c == 'n' || c == 's' || c == 'r':
		return 0
	}
	return 1
}

// interesting reports whether b may hold a recognised line: whether any key
// occurs in it.
func interesting(b []byte) bool {
	t := anchors
	for i := 0; i+1 < len(b); i++ {
		bg := uint16(b[i])<<8 | uint16(b[i+1])
		if t.set[bg>>6]&(1<<(bg&63)) == 0 {
			continue
		}
		for _, ak := range t.keys[bg] {
			start := i - ak.off
			if start >= 0 && start+len(ak.key) <= len(b) && string(b[start:start+len(ak.key)]) == ak.key {
				return true
			}
		}
	}
	return false
}
