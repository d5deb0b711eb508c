// Package nm talks to NetworkManager and wpa_supplicant over D-Bus: it
// inspects radios and devices, requests scans and knows whether they
// succeeded, activates hotspotctl's own connection profiles, and turns
// NetworkManager's and wpa_supplicant's signals into one ordered stream of
// diagnostics.Event values.
//
// Use:
//
//	conn, err := nm.Dial(ctx) // system bus, sequential signal handler
//	...
//	defer conn.Close()
//	c := nm.NewClient(conn)
//	dev, err := c.Device(ctx, "")         // the one managed Wi-Fi device
//	events, stop, err := c.Events(ctx, dev) // subscribe before acting
//	defer stop()
//	res, err := c.RequestScan(ctx, dev, nil) // verified by wpa_supplicant's ScanDone
//	act, err := c.Activate(ctx, nm.ActivateRequest{Device: dev, SSID: ssid,
//		Security: "wpa-psk", Passphrase: pass, Volatile: true})
//	for e := range events { ... diagnostics.Classify(...) ... }
//
// Every method takes a context and honours its deadline. Errors are *Error
// values wrapping the sentinels below (and a *BusError with NetworkManager's
// redacted text, where there was one). Package nmtest provides fake
// NetworkManager and wpa_supplicant services on a private bus for tests.
package nm

import (
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Sentinel errors for domain outcomes. Errors returned by this package are
// *Error values wrapping one of these (or a D-Bus error); test with errors.Is.
var (
	// ErrNotRunning: NetworkManager (or wpa_supplicant) has no owner on the bus
	// or did not answer before the context's deadline.
	ErrNotRunning = errors.New("networkmanager is not running")
	// ErrPermission: NetworkManager or polkit refused the call
	// (org.freedesktop.NetworkManager.PermissionDenied, AccessDenied,
	// "not authorized").
	ErrPermission = errors.New("permission denied")
	// ErrNoDevice: no Wi-Fi device with that interface name.
	ErrNoDevice = errors.New("no such wi-fi device")
	// ErrAmbiguousDevice: several Wi-Fi devices and none was named.
	ErrAmbiguousDevice = errors.New("several wi-fi devices; name one")
	// ErrUnmanaged: the device exists but NetworkManager does not manage it.
	ErrUnmanaged = errors.New("device is not managed by networkmanager")
	// ErrDeviceUnavailable: NetworkManager refused to activate on the device
	// because it is not available (radio off, rfkill, no supplicant, ...):
	// "No suitable device found for this connection (device wlan0 not
	// available because device is not available)". When the text says the
	// device is unmanaged the error wraps ErrUnmanaged instead. Matched on
	// the "not available because" text; not yet seen on the lab's stack
	// (hotspotctl checks the device state before activating).
	ErrDeviceUnavailable = errors.New("device not available")
	// ErrScanFailed: wpa_supplicant's ScanDone reported failure (busy or
	// aborted); NetworkManager's LastScan changes anyway, so it proves nothing.
	ErrScanFailed = errors.New("scan failed")
	// ErrNoProfile: no hotspotctl profile for that SSID.
	ErrNoProfile = errors.New("no hotspotctl profile for that ssid")
	// ErrScanBusy: NetworkManager refused RequestScan
	// (org.freedesktop.NetworkManager.Device.NotAllowed: "Scanning not allowed
	// while unavailable", "Scanning not allowed immediately following
	// previous scan", ...). The BusError in the chain has NetworkManager's text.
	ErrScanBusy = errors.New("scan refused")
)

// Error is the error type returned at this package's boundary.
type Error struct {
	Op  string // the operation, e.g. "activate", "request scan"
	Err error
}

func (e *Error) Error() string { return "nm: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Err: err}
}

var _ = fmt.Sprintf

// Device is a NetworkManager Wi-Fi device.
type Device struct {
	Path      dbus.ObjectPath
	Ifname    string
	State     uint32 // NMDeviceState
	Managed   bool
	HwAddress string
	Driver    string
}

// StateName is NetworkManager's name for the device's state.
func (d Device) StateName() string { return diagnostics.DeviceStateName(d.State) }

// AccessPoint is one BSS in NetworkManager's scan list for a device.
type AccessPoint struct {
	Path         dbus.ObjectPath
	SSID         []byte // empty for a hidden network
	BSSID        string // lowercase aa:bb:cc:dd:ee:ff
	FrequencyMHz uint32
	Strength     uint8 // percent, NetworkManager's scale
	// LastSeen is NetworkManager's LastSeen: CLOCK_BOOTTIME seconds, -1 if never.
	LastSeen int32
	// Security is "open", "wep", "wpa-psk", "sae", "wpa-psk+sae" (transition),
	// "owe" or "wpa-eap", derived from Flags, WpaFlags and RsnFlags.
	Security string
}

// ScanResult is the outcome of one RequestScan.
type ScanResult struct {
	Record diagnostics.ScanRecord
	// APs are the access points NetworkManager lists after the scan that
	// were seen in it (LastSeen not before the request).
	APs []AccessPoint
	// Unverified is set when wpa_supplicant could not be asked (a non-root
	// caller: its bus policy admits only root and netdev) and the scan's end
	// was taken from NetworkManager's LastScan alone, which moves for failed
	// scans too: the APs prove presence, their absence proves nothing.
	Unverified bool
}

// ActivateRequest describes a join. Passphrase is a secret: it goes to
// NetworkManager inside the settings dictionary and nowhere else.
type ActivateRequest struct {
	Device     Device
	SSID       []byte
	BSSID      string // optional lock to one BSS
	Security   string // "open", "wpa-psk" or "sae"
	Passphrase string
	Hidden     bool
	// Volatile keeps the profile in memory only, deleted when it deactivates,
	// even after a successful join (like Apple's joinOnce): Commit does not
	// write it to disk and does not replace the SSID's stored profiles.
	Volatile bool
	// Owner, when set, restricts the profile to that local user
	// (connection.permissions "user:Owner:") and makes it volatile: the
	// policy for callers that are not root (README, "Profiles and secrets").
	Owner string
}

// Activation identifies what AddAndActivateConnection2 created, and what
// Commit, Discard and Restore need to finish the join.
type Activation struct {
	Connection dbus.ObjectPath
	Active     dbus.ObjectPath
	// Device and Ifname are the device the profile is bound to
	// (connection.interface-name).
	Device dbus.ObjectPath
	Ifname string
	SSID   []byte
	// Persist: Commit writes the profile to disk and replaces the SSID's
	// older hotspotctl profiles on Ifname. False for Volatile and Owner.
	Persist bool
	// Previous is the profile that was active on Device before this
	// activation ("" when none), PreviousID its connection.id: Restore
	// re-activates it after a failed join.
	Previous   dbus.ObjectPath
	PreviousID string
}

// Profile is a NetworkManager connection profile created by hotspotctl.
type Profile struct {
	Path     dbus.ObjectPath
	UUID     string
	ID       string
	SSID     []byte
	Volatile bool
	// Ifname is connection.interface-name: the one device the profile may
	// be active on ("" for profiles made before hotspotctl bound them).
	Ifname string
}

// Status is a device's current connection, for `hotspotctl status`.
type Status struct {
	Device     Device
	SSID       []byte
	BSSID      string
	IP4        string
	Connection string // profile id
}
