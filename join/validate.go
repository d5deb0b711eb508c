package join

import (
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Security modes a request may ask for.
const (
	SecurityAuto   = "auto"
	SecurityOpen   = "open"
	SecurityWPAPSK = "wpa-psk"
	SecuritySAE    = "sae"
)

// InputError is returned for a request that is invalid before anything on
// the system is touched. Field names the offending input.
type InputError struct {
	Field string
	Msg   string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Msg }

// Is makes errors.Is(err, ErrInvalidInput) true for every InputError.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// ParseSSID turns a command-line SSID into bytes. With isHex the argument is
// the SSID's bytes in hex (for SSIDs that are not UTF-8); otherwise it is
// taken as UTF-8 text. Either way the result must be 1 to 32 bytes, the
// limit of the 802.11 SSID element.
func ParseSSID(s string, isHex bool) ([]byte, error) {
	var b []byte
	if isHex {
		h := strings.TrimPrefix(strings.ToLower(s), "0x")
		var err error
		if b, err = hex.DecodeString(h); err != nil {
			return nil, invalid("ssid", "%q is not valid hex: %v", s, err)
		}
	} else {
		b = []byte(s)
	}
	switch {
	case len(b) == 0:
		return nil, invalid("ssid", "an SSID must be 1 to 32 bytes; it is empty")
	case len(b) > 32:
		return nil, invalid("ssid", "an SSID must be 1 to 32 bytes; this one is %d bytes", len(b))
	}
	return b, nil
}

// ValidatePassphrase checks a passphrase for the given security mode. WPA-PSK
// (and auto, which may pick WPA-PSK) takes 8 to 63 printable ASCII characters
// or exactly 64 hex digits (a raw PSK), as IEEE 802.11i and wpa_supplicant
// require; SAE passwords have no such limit but must be 1 to 128 printable
// characters here, NetworkManager's practical bound. The error never
// includes the passphrase itself.
func ValidatePassphrase(p, security string) error {
	if p == "" {
		return nil
	}
	if security == SecurityOpen {
		return invalid("passphrase", "a passphrase was given for an open network")
	}
	if security == SecuritySAE {
		if len(p) > 128 || !printable(p) {
			return invalid("passphrase", "an SAE password must be 1 to 128 printable characters (got %d bytes)", len(p))
		}
		return nil
	}
	if len(p) == 64 {
		if _, err := hex.DecodeString(p); err != nil {
			return invalid("passphrase", "a 64-character key must be 64 hex digits")
		}
		return nil
	}
	if len(p) < 8 || len(p) > 63 {
		return invalid("passphrase", "a WPA passphrase must be 8 to 63 characters or 64 hex digits (got %d)", len(p))
	}
	if !printable(p) {
		return invalid("passphrase", "a WPA passphrase must be printable ASCII (characters 32 to 126)")
	}
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			return false
		}
	}
	return true
}

// ParseBSSID normalises a BSSID to lowercase colon form.
func ParseBSSID(s string) (string, error) {
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 {
		return "", invalid("bssid", "%q is not a MAC address like 02:00:00:00:01:00", s)
	}
	return hw.String(), nil
}

// sysClassNet is where interfaces are checked; a variable so tests can point
// it at a fake tree.
var sysClassNet = "/sys/class/net"

// CheckInterface reports an unknown interface, or one that is not wireless,
// from sysfs, before NetworkManager is asked anything.
func CheckInterface(ifname string) error {
	if ifname == "" {
		return nil
	}
	if strings.ContainsAny(ifname, "/ \t\n") || len(ifname) > 15 {
		return invalid("ifname", "%q is not a valid interface name", ifname)
	}
	if _, err := os.Stat(filepath.Join(sysClassNet, ifname)); err != nil {
		return invalid("ifname", "no interface named %q", ifname)
	}
	if _, err := os.Stat(filepath.Join(sysClassNet, ifname, "wireless")); err != nil {
		if _, err2 := os.Stat(filepath.Join(sysClassNet, ifname, "phy80211")); err2 != nil {
			return invalid("ifname", "interface %q is not a Wi-Fi interface", ifname)
		}
	}
	return nil
}

// Validate checks a whole request. It touches nothing but sysfs.
func (r *Request) Validate() error {
	if len(r.SSID) == 0 && len(r.SSIDPrefix) == 0 {
		return invalid("ssid", "an SSID or an SSID prefix is required")
	}
	if len(r.SSID) > 0 && len(r.SSIDPrefix) > 0 {
		return invalid("ssid-prefix", "give an SSID or --ssid-prefix, not both")
	}
	if len(r.SSID) > 32 {
		return invalid("ssid", "an SSID must be 1 to 32 bytes; this one is %d bytes", len(r.SSID))
	}
	if len(r.SSIDPrefix) > 32 {
		return invalid("ssid-prefix", "a prefix longer than 32 bytes matches no SSID")
	}
	if r.Hidden && len(r.SSIDPrefix) > 0 {
		return invalid("hidden", "--hidden needs the exact SSID, not a prefix: hidden networks do not announce their names")
	}
	switch r.Security {
	case "", SecurityAuto, SecurityOpen, SecurityWPAPSK, SecuritySAE:
	default:
		return invalid("security", "%q is not one of auto, open, wpa-psk, sae", r.Security)
	}
	if (r.Security == SecurityWPAPSK || r.Security == SecuritySAE) && r.Passphrase == "" {
		return invalid("passphrase", "--security %s needs a passphrase (--passphrase-file, HOTSPOTCTL_PASSPHRASE or the prompt)", r.Security)
	}
	if err := ValidatePassphrase(r.Passphrase, r.Security); err != nil {
		return err
	}
	if r.BSSID != "" {
		b, err := ParseBSSID(r.BSSID)
		if err != nil {
			return err
		}
		r.BSSID = b
	}
	if r.Attempts < 0 || r.Attempts > 20 {
		return invalid("attempts", "must be between 1 and 20")
	}
	if r.Timeout < 0 || (r.Timeout > 0 && r.Timeout < 5*time.Second) {
		return invalid("timeout", "must be at least 5s (a scan alone takes seconds)")
	}
	if r.ScanWindow < 0 || (r.Timeout > 0 && r.ScanWindow >= r.Timeout) {
		return invalid("scan-window", "must be shorter than the timeout (%s)", r.Timeout)
	}
	return CheckInterface(r.Ifname)
}
