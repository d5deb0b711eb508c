// Package scan triggers Wi-Fi scans through the kernel's nl80211 interface and
// reports what each scan really did: completed, refused as busy (EBUSY),
// aborted, or piggy-backed on a scan someone else started. Its results are
// independent of NetworkManager's scan cache.
package scan

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Sentinel errors. Errors returned by this package are *Error values wrapping
// one of these or a system error; test with errors.Is.
var (
	// ErrBusy: the kernel refused every trigger with EBUSY and no scan in
	// flight completed before the deadline.
	ErrBusy = errors.New("scan refused: device busy")
	// ErrAborted: the scan was aborted (NL80211_CMD_SCAN_ABORTED), for example
	// by a connection attempt or an interface going down.
	ErrAborted = errors.New("scan aborted")
	// ErrNotPermitted: triggering needs CAP_NET_ADMIN.
	ErrNotPermitted = errors.New("scan not permitted")
	// ErrNoInterface: no wireless interface by that name.
	ErrNoInterface = errors.New("no such wireless interface")
	// ErrUnsupported: nl80211 is not available on this platform.
	ErrUnsupported = errors.New("nl80211 scanning not supported on this platform")
)

// Error is the error type returned at this package's boundary.
type Error struct {
	Op  string
	Err error
}

func (e *Error) Error() string { return "scan: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// BSS is one access point seen by the kernel.
type BSS struct {
	SSID         []byte // empty (or all zero bytes) for a hidden network
	BSSID        net.HardwareAddr
	FrequencyMHz int
	Channel      int
	SignalDBm    float64
	// Security is "open", "wep", "wpa-psk", "sae", "wpa-psk+sae", "owe" or
	// "wpa-eap", from the RSN and WPA information elements.
	Security string
	// Age is how long ago the BSS was last seen.
	Age time.Duration
}

// Hidden reports whether the BSS hides its SSID (empty or all zeros).
func (b BSS) Hidden() bool {
	for _, c := range b.SSID {
		if c != 0 {
			return false
		}
	}
	return true
}

// Request says what to scan for.
type Request struct {
	Ifname string
	// SSIDs are probed for with directed probe requests (hidden networks);
	// empty means a wildcard scan.
	SSIDs [][]byte
	// Attempts bounds how many triggers may be refused as busy before the
	// scan gives up with ErrBusy (default 5); the context bounds the time.
	Attempts int
}

// Result is one scan's outcome. Record is filled even when Scan returns an
// error, so a refused or aborted scan is still reported.
type Result struct {
	BSSes  []BSS
	Record diagnostics.ScanRecord
}

// Scanner performs one fresh scan. Implementations must honour the context's
// deadline and fill Result.Record with the method, outcome, busy refusals and
// timings whether or not they fail.
type Scanner interface {
	Scan(ctx context.Context, req Request) (Result, error)
}
