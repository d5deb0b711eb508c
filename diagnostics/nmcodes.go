package diagnostics

import "strconv"

// NetworkManager's NMDeviceState values (nm-dbus-interface.h), named as
// NetworkManager names them in its logs.
var deviceStates = map[uint32]string{
	0: "unknown", 10: "unmanaged", 20: "unavailable", 30: "disconnected", 40: "prepare",
	50: "config", 60: "need-auth", 70: "ip-config", 80: "ip-check", 90: "secondaries",
	100: "activated", 110: "deactivating", 120: "failed",
}

// DeviceStateName returns NetworkManager's log name for an NMDeviceState.
func DeviceStateName(s uint32) string {
	if n, ok := deviceStates[s]; ok {
		return n
	}
	return "state-" + strconv.FormatUint(uint64(s), 10)
}

// NMDeviceStateReason values and the names NetworkManager logs for them
// (nm_device_state_reason_to_string in src/core/devices/nm-device.c). Logs
// carry the name, D-Bus carries the number; both map to the same rule.
var deviceReasons = []string{
	0: "none", 1: "unknown", 2: "now-managed", 3: "now-unmanaged", 4: "config-failed",
	5: "ip-config-unavailable", 6: "ip-config-expired", 7: "no-secrets", 8: "supplicant-disconnect",
	9: "supplicant-config-failed", 10: "supplicant-failed", 11: "supplicant-timeout",
	12: "ppp-start-failed", 13: "ppp-disconnect", 14: "ppp-failed", 15: "dhcp-start-failed",
	16: "dhcp-error", 17: "dhcp-failed", 18: "sharing-start-failed", 19: "sharing-failed",
	20: "autoip-start-failed", 21: "autoip-error", 22: "autoip-failed", 23: "modem-busy",
	24: "modem-no-dialtone", 25: "modem-no-carrier", 26: "modem-dial-timeout", 27: "modem-dial-failed",
	28: "modem-init-failed", 29: "gsm-apn-failed", 30: "gsm-registration-idle",
	31: "gsm-registration-denied", 32: "gsm-registration-timeout", 33: "gsm-registration-failed",
	34: "gsm-pin-check-failed", 35: "firmware-missing", 36: "removed", 37: "sleeping",
	38: "connection-removed", 39: "user-requested", 40: "carrier-changed", 41: "connection-assumed",
	42: "supplicant-available", 43: "modem-not-found", 44: "bluetooth-failed", 45: "gsm-sim-not-inserted",
	46: "gsm-sim-pin-required", 47: "gsm-sim-puk-required", 48: "gsm-sim-wrong", 49: "infiniband-mode",
	50: "dependency-failed", 51: "br2684-bridge-failed", 52: "modem-manager-unavailable",
	53: "ssid-not-found", 54: "secondary-connection-failed", 55: "dcb-fcoe-failed",
	56: "teamd-control-failed", 57: "modem-failed", 58: "modem-available", 59: "sim-pin-incorrect",
	60: "new-activation", 61: "parent-changed", 62: "parent-managed-changed", 63: "ovsdb-failed",
	64: "ip-address-duplicate", 65: "ip-method-unsupported", 66: "sriov-configuration-failed",
	67: "peer-not-found", 68: "device-handler-failed", 69: "unmanaged-by-default",
	70: "unmanaged-external-down", 71: "unmanaged-link-not-init", 72: "unmanaged-quitting",
	73: "unmanaged-sleeping", 74: "unmanaged-user-conf", 75: "unmanaged-user-explicit",
	76: "unmanaged-user-settings", 77: "unmanaged-user-udev",
}

// Device state reasons the classifier acts on.
const (
	ReasonIPConfigUnavailable = 5
	ReasonNoSecrets           = 7
	ReasonSupplicantDisconn   = 8
	ReasonSupplicantConfig    = 9
	ReasonSupplicantFailed    = 10
	ReasonSupplicantTimeout   = 11
	ReasonDHCPStartFailed     = 15
	ReasonDHCPError           = 16
	ReasonDHCPFailed          = 17
	ReasonRemoved             = 36
	ReasonSleeping            = 37
	ReasonConnectionRemoved   = 38
	// ReasonUnmanagedSleeping: newer NetworkManager's finer unmanaged
	// reason for a suspend (nm-device.h, NM_DEVICE_STATE_REASON_UNMANAGED_SLEEPING).
	ReasonUnmanagedSleeping = 73
	// ReasonUnmanagedQuitting: NetworkManager itself is stopping and
	// takes its devices with it (NM_DEVICE_STATE_REASON_UNMANAGED_QUITTING,
	// 1.4x's finer reasons next to "unmanaged-sleeping").
	ReasonUnmanagedQuitting   = 72
	ReasonUserRequested       = 39
	ReasonSupplicantAvailable = 42
	ReasonSSIDNotFound        = 53
	// ReasonNewActivation: NetworkManager took the device off its
	// activation for a new one (nm-device.c, nm_device_queue_activation).
	ReasonNewActivation = 60
)

// DeviceReasonName returns NetworkManager's log name for an NMDeviceStateReason.
func DeviceReasonName(r uint32) string {
	if int(r) < len(deviceReasons) && deviceReasons[r] != "" {
		return deviceReasons[r]
	}
	return "reason-" + strconv.FormatUint(uint64(r), 10)
}

// DeviceReasonCode returns the number for a reason name, and false for an
// unknown name.
func DeviceReasonCode(name string) (int, bool) {
	for i, n := range deviceReasons {
		if n == name {
			return i, true
		}
	}
	return 0, false
}

var activeStates = []string{"unknown", "activating", "activated", "deactivating", "deactivated"}

// ActiveStateName returns the name of an NMActiveConnectionState.
func ActiveStateName(s uint32) string {
	if int(s) < len(activeStates) {
		return activeStates[s]
	}
	return "state-" + strconv.FormatUint(uint64(s), 10)
}

// NMActiveConnectionStateReason names.
var activeReasons = []string{
	"unknown", "none", "user-disconnected", "device-disconnected", "service-stopped",
	"ip-config-invalid", "connect-timeout", "service-start-timeout", "service-start-failed",
	"no-secrets", "login-failed", "connection-removed", "dependency-failed",
	"device-realize-failed", "device-removed",
}

// Active connection state reasons the classifier acts on.
const (
	ActiveReasonIPConfigInvalid = 5
	ActiveReasonConnectTimeout  = 6
	ActiveReasonNoSecrets       = 9
	ActiveReasonLoginFailed     = 10
)

// ActiveReasonName returns the name of an NMActiveConnectionStateReason.
func ActiveReasonName(r uint32) string {
	if int(r) < len(activeReasons) {
		return activeReasons[r]
	}
	return "reason-" + strconv.FormatUint(uint64(r), 10)
}

// IEEE 802.11-2020 Table 9-50 status codes seen in join failures.
var statusCodes = map[int]string{
	0: "success", 1: "unspecified failure", 10: "cannot support all requested capabilities",
	12: "association denied for a reason outside the standard", 13: "unsupported authentication algorithm",
	14: "authentication transaction sequence number out of expected sequence", 15: "challenge failure",
	16: "authentication timeout", 17: "AP unable to handle additional associated stations",
	18: "basic rates not supported", 30: "association rejected temporarily; try again later",
	31: "robust management frame policy violation", 37: "request declined", 40: "invalid information element",
	41: "invalid group cipher", 42: "invalid pairwise cipher", 43: "invalid AKMP",
	45: "cipher suite rejected by policy", 53: "invalid PMKID", 72: "invalid SAE finite cyclic group",
	76: "anti-clogging token required", 77: "finite cyclic group not supported",
	93: "denied: no more room for stations", 126: "SAE hash-to-element required",
}

// StatusCodeText describes an 802.11 status code.
func StatusCodeText(code int) string {
	if s, ok := statusCodes[code]; ok {
		return s
	}
	return "status code " + strconv.Itoa(code)
}

// IEEE 802.11 reason codes (Table 9-49) seen in disconnections.
var reasonCodes = map[int]string{
	1: "unspecified", 2: "previous authentication no longer valid", 3: "deauthenticated because station is leaving",
	4: "disassociated due to inactivity", 5: "AP unable to handle all associated stations",
	6: "class 2 frame from nonauthenticated station", 7: "class 3 frame from nonassociated station",
	8: "disassociated because station is leaving", 9: "station requesting association is not authenticated",
	14: "MIC failure", 15: "4-way handshake timeout", 16: "group key handshake timeout",
	17: "information element in 4-way handshake differs", 23: "IEEE 802.1X authentication failed",
}

// ReasonCodeText describes an 802.11 reason code; negative codes are
// wpa_supplicant's marker for a locally generated disconnection.
func ReasonCodeText(code int) string {
	local := ""
	if code < 0 {
		code, local = -code, " (locally generated)"
	}
	if s, ok := reasonCodes[code]; ok {
		return s + local
	}
	return "reason code " + strconv.Itoa(code) + local
}
