// Package diagnostics holds hotspotctl's failure taxonomy, the ordered event
// stream that failures are classified from, the classifier itself, and the
// versioned JSON report. The same rules serve live joins (events from
// NetworkManager, wpa_supplicant and nl80211) and captured logs (events parsed
// from the journal), so a verdict never depends on where the evidence came
// from.
package diagnostics

import "fmt"

// Class is a stable failure class. The string values are part of the report
// schema (hotspotctl.report/v1) and of the CLI's exit-code contract: they are
// never renamed, only added to.
type Class string

// The failure classes. Their meaning and the evidence that maps to each are
// documented in docs/taxonomy.md.
const (
	// None is the class of a successful join.
	None Class = "none"
	// NotFound: fresh, successful scans did not see the SSID.
	NotFound Class = "not_found"
	// ScanBusy: scans were refused (EBUSY) or aborted so that no fresh
	// result exists; the SSID's presence is unknown.
	ScanBusy Class = "scan_busy"
	// WrongKey: the passphrase or key was rejected (4-way handshake or SAE).
	WrongKey Class = "wrong_key"
	// AssocRejected: the AP refused authentication or association, or they
	// timed out; the 802.11 status or reason code is the detail.
	AssocRejected Class = "assoc_rejected"
	// DHCPFailed: the link came up but no IPv4 lease was obtained.
	DHCPFailed Class = "dhcp_failed"
	// RadioOff: Wi-Fi is disabled in NetworkManager or rfkill-blocked.
	RadioOff Class = "radio_off"
	// DeviceUnavailable: the interface is missing, unmanaged or unavailable.
	DeviceUnavailable Class = "device_unavailable"
	// BackendUnavailable: NetworkManager (or wpa_supplicant) is unreachable.
	BackendUnavailable Class = "backend_unavailable"
	// PermissionDenied: NetworkManager or polkit refused the request.
	PermissionDenied Class = "permission_denied"
	// InvalidInput: the request itself was malformed; nothing was changed.
	InvalidInput Class = "invalid_input"
	// Timeout: the deadline passed with no more specific cause.
	Timeout Class = "timeout"
	// Unknown: the join failed and no rule explains the evidence.
	Unknown Class = "unknown"
	// Superseded: NetworkManager ended our activation on someone else's
	// behalf: another activation on the interface (device reason 60,
	// new-activation) or a deactivation hotspotctl did not request (nmcli,
	// the desktop, another join).
	Superseded Class = "superseded"
	// InterfaceBusy: another hotspotctl join held the interface's lock for
	// as long as this join could wait; nothing was changed.
	InterfaceBusy Class = "interface_busy"
	// Interrupted: the join was cancelled (SIGINT, SIGTERM, a cancelled
	// request) before it had an outcome.
	Interrupted Class = "interrupted"
)

// Classes lists every class in exit-code order. It is the single source of the
// taxonomy for documentation, schema and completion.
var Classes = []Class{None, InvalidInput, NotFound, ScanBusy, WrongKey, AssocRejected, DHCPFailed,
	RadioOff, DeviceUnavailable, BackendUnavailable, PermissionDenied, Timeout, Unknown, Superseded, InterfaceBusy, Interrupted}

var exitCodes = map[Class]int{
	None:               0,
	InvalidInput:       2,
	NotFound:           10,
	ScanBusy:           11,
	WrongKey:           12,
	AssocRejected:      13,
	DHCPFailed:         14,
	RadioOff:           15,
	DeviceUnavailable:  16,
	BackendUnavailable: 17,
	PermissionDenied:   18,
	Timeout:            19,
	Unknown:            20,
	Superseded:         21,
	InterfaceBusy:      22,
	// 128+SIGINT, what shells report for a command ended by Ctrl-C.
	Interrupted: 130,
}

// ExitInternal is the exit status for errors that are not join outcomes
// (a report that cannot be written, a broken terminal).
const ExitInternal = 1

// ExitCode returns the documented process exit status for c. An unrecognised
// class maps to the status of Unknown.
func (c Class) ExitCode() int {
	if code, ok := exitCodes[c]; ok {
		return code
	}
	return exitCodes[Unknown]
}

// Valid reports whether c is one of the documented classes.
func (c Class) Valid() bool {
	_, ok := exitCodes[c]
	return ok
}

// Permanent reports whether retrying cannot help: the same request would fail
// the same way until a person changes something.
func (c Class) Permanent() bool {
	switch c {
	case WrongKey, InvalidInput, PermissionDenied, RadioOff:
		return true
	}
	return false
}

// ParseClass returns the class named s, or an error for an unknown name.
func ParseClass(s string) (Class, error) {
	c := Class(s)
	if !c.Valid() {
		return Unknown, fmt.Errorf("diagnostics: unknown class %q", s)
	}
	return c, nil
}

// Description is a one-line, user-facing explanation of c.
func (c Class) Description() string {
	switch c {
	case None:
		return "joined"
	case NotFound:
		return "the network was not seen in fresh, successful scans"
	case ScanBusy:
		return "scans were refused or aborted by other activity, so the network's presence is unknown"
	case WrongKey:
		return "the passphrase or key was rejected"
	case AssocRejected:
		return "the access point refused or did not answer authentication or association"
	case DHCPFailed:
		return "associated, but no IPv4 address was obtained (DHCP)"
	case RadioOff:
		return "Wi-Fi is disabled in NetworkManager or blocked by rfkill"
	case DeviceUnavailable:
		return "the Wi-Fi device is missing, unmanaged or unavailable"
	case BackendUnavailable:
		return "NetworkManager or wpa_supplicant is not reachable"
	case PermissionDenied:
		return "NetworkManager or polkit refused the request"
	case InvalidInput:
		return "the request is invalid"
	case Timeout:
		return "the deadline passed with no more specific cause"
	case Superseded:
		return "another activation or client ended this join's activation on the interface"
	case InterfaceBusy:
		return "another hotspotctl join was using the interface for as long as this join could wait"
	case Interrupted:
		return "the join was interrupted (Ctrl-C, SIGTERM or a cancelled request) before it had an outcome"
	}
	return "the join failed for a reason no rule explains"
}
