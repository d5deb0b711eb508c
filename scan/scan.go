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
	// ErrBusy: the kernel refused every trigger with EBUSY (or the driver
	// with EAGAIN) and no scan in flight completed before the deadline.
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
	// ErrStalled: a trigger was accepted but neither NEW_SCAN_RESULTS nor
	// SCAN_ABORTED arrived within Options.ScanWait, on every attempt.
	ErrStalled = errors.New("scan triggered but never completed")
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
	// "wpa-eap", from the RSN and WPA information elements; "unknown" when an
	// RSN or WPA element names only AKM suites not listed above.
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
	// Aborted and stalled scans count against the same budget.
	Attempts int
	// Observe, when set, is called synchronously from Scan with one event per
	// step (KindScanStarted, KindScanBusy, KindScanAborted, KindScanDone), so
	// the caller's timeline shows each refusal with its time. It must not
	// block.
	Observe func(diagnostics.Event)
}

// Result is one scan's outcome. Record is filled even when Scan returns an
// error, so a refused or aborted scan is still reported.
type Result struct {
	// BSSes are the access points seen during this scan (fresh), in the
	// kernel's order. Only these are evidence of presence or absence. When
	// Scan fails with ErrBusy after partial scans by others, BSSes holds
	// what those saw: evidence of presence only.
	BSSes  []BSS
	Record diagnostics.ScanRecord
	// Stale are cached entries the kernel still lists but that were not seen
	// during this scan (older than the scan's start); for display only,
	// never evidence.
	Stale []BSS
	// Frequencies are the channels (MHz) the completed scan covered, from
	// its NEW_SCAN_RESULTS notification; nil when the kernel did not say. A
	// piggy-backed scan started by someone else may have been partial.
	Frequencies []int
}

// Scanner performs one fresh scan. Implementations must honour the context's
// deadline and fill Result.Record with the method, outcome, busy refusals and
// timings whether or not they fail.
type Scanner interface {
	Scan(ctx context.Context, req Request) (Result, error)
}
