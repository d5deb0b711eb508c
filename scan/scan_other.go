//go:build !linux

package scan

import (
	"context"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// NL80211 is the nl80211 scanner; nl80211 exists only on Linux, so here
// every method fails with ErrUnsupported.
type NL80211 struct{}

var (
	_ Scanner = (*NL80211)(nil)
	_ Watcher = (*NL80211)(nil)
)

// New fails with ErrUnsupported on this platform.
func New(cmd Conn, dial DialFunc, opts *Options) (*NL80211, error) {
	return nil, &Error{Op: "new", Err: ErrUnsupported}
}

// Open fails with ErrUnsupported on this platform.
func Open() (*NL80211, error) { return nil, &Error{Op: "open", Err: ErrUnsupported} }

// Close does nothing.
func (s *NL80211) Close() error { return nil }

// Scan fails with ErrUnsupported; Record says so.
func (s *NL80211) Scan(ctx context.Context, req Request) (Result, error) {
	err := &Error{Op: "scan " + req.Ifname, Err: ErrUnsupported}
	return Result{Record: diagnostics.ScanRecord{Method: diagnostics.ScanMethodNL80211, Outcome: diagnostics.ScanFailed, Error: err.Error()}}, err
}

// Watch fails with ErrUnsupported.
func (s *NL80211) Watch(ctx context.Context, ifname string) (<-chan diagnostics.Event, error) {
	return nil, &Error{Op: "watch " + ifname, Err: ErrUnsupported}
}

// Regulatory fails with ErrUnsupported.
func (s *NL80211) Regulatory(ctx context.Context, ifname string) (Regulatory, error) {
	return Regulatory{}, &Error{Op: "regulatory " + ifname, Err: ErrUnsupported}
}
