package logparse

import (
	"regexp"
	"strings"
)

var (
	// key=value, key: value, and nmcli's "password VALUE" argument form.
	reSecretKV = regexp.MustCompile(`(?i)((?:wpa_|sae_|wifi-sec\.|802-11-wireless-security\.)?(?:passphrase|password|passwd|psk|wep-key\d?|wep_key\d?|private-key-password|secret|leap-password)['"]?)(\s*[=:]\s*|\s+(?:value\s+)?)("[^"]*"|'[^']*'|\S+)`)
	// wpa_supplicant -d hexdumps: redact the dump, whatever it is.
	reHexdump = regexp.MustCompile(`(?i)(hexdump(?:_ascii)?\(len=\d+\):).*$`)
	// PSK (hex), PMK, PTK ... followed by bytes.
	reKeyDump = regexp.MustCompile(`(?i)\b(PSK \(hex\)|PSK|PMK|PTK|KCK|KEK|TK|GTK|IGTK|PMKID)(\s*[:=-]\s*)((?:[0-9a-f]{2}[ :]?){8,})`)
	// A bare 64-hex-digit string is a raw PSK or PMK.
	reHex64 = regexp.MustCompile(`\b[0-9a-fA-F]{64}\b`)
	// Positional passphrases, the second argument after the SSID: ESP-AT's
	// echoed AT+CWJAP="ssid","pwd" (also _CUR/_DEF), MicroPython's
	// wlan.connect('ssid', 'pwd') and Arduino's WiFi.begin("ssid", "pwd")
	// as pasted REPL and console lines, and a wpa_passphrase command line.
	reSecretPositional = regexp.MustCompile(`((?:AT\+CWJAP(?:_CUR|_DEF)?=|\.connect\(|WiFi\.begin\()\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,()]*?)\s*,\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,()\s]+)`)
	reWpaPassphrase    = regexp.MustCompile(`(\bwpa_passphrase\s+(?:"[^"]*"|'[^']*'|\S+)\s+)("[^"]*"|'[^']*'|\S+)`)
)

// redact removes anything secret-looking from a log line: passphrases and
// passwords in key=value, key: value and "password VALUE" forms, key
// material in wpa_supplicant -d hexdumps and raw 256-bit hex keys. It
// over-redacts rather than risk a leak.
func redact(s string) string {
	lower := strings.ToLower(s)
	if strings.Contains(lower, "hexdump") {
		s = reHexdump.ReplaceAllString(s, "$1 [redacted]")
	}
	s = reKeyDump.ReplaceAllString(s, "$1$2[redacted]")
	if strings.Contains(lower, "pass") || strings.Contains(lower, "psk") || strings.Contains(lower, "secret") || strings.Contains(lower, "wep") {
		s = reSecretKV.ReplaceAllStringFunc(s, func(m string) string {
			sub := reSecretKV.FindStringSubmatch(m)
			v := sub[3]
			// Keep NetworkManager's reason names and its own placeholders.
			if strings.HasPrefix(strings.ToLower(sub[1]), "secret") && !strings.ContainsAny(sub[2], "=:") {
				return m
			}
			if strings.HasPrefix(v, "(") || v == "'<hidden>'" || v == "<hidden>" || v == "[redacted]" || v == "'[redacted]'" {
				return m
			}
			return sub[1] + sub[2] + "[redacted]"
		})
	}
	s = reHex64.ReplaceAllString(s, "[redacted]")
	if strings.Contains(s, "AT+CWJAP") || strings.Contains(s, ".connect(") || strings.Contains(s, "WiFi.begin(") {
		s = reSecretPositional.ReplaceAllString(s, "$1[redacted]")
	}
	if strings.Contains(s, "wpa_passphrase") {
		s = reWpaPassphrase.ReplaceAllString(s, "$1[redacted]")
	}
	if len(s) > maxMessage {
		cut := maxMessage
		for cut > 0 && s[cut]&0xc0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
