package join

import (
	"context"
	"fmt"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/nm"
)

// Unreachable returns a Backend whose every call fails with nm.ErrNotRunning
// wrapping cause. The CLI uses it when the system bus itself cannot be
// reached, so that the join still produces a classified report
// (backend_unavailable) instead of a bare error.
func Unreachable(cause error) Backend { return unreachable{cause} }

type unreachable struct{ cause error }

var _ Backend = unreachable{}

func (u unreachable) err() error { return fmt.Errorf("%w: %v", nm.ErrNotRunning, u.cause) }

func (u unreachable) Ping(context.Context) error { return u.err() }
func (u unreachable) Radio(context.Context) (bool, bool, error) {
	return false, false, u.err()
}
func (u unreachable) Device(context.Context, string) (nm.Device, error) { return nm.Device{}, u.err() }
func (u unreachable) AccessPoints(context.Context, nm.Device) ([]nm.AccessPoint, error) {
	return nil, u.err()
}
func (u unreachable) RequestScan(context.Context, nm.Device, [][]byte) (nm.ScanResult, error) {
	return nm.ScanResult{}, u.err()
}
func (u unreachable) Events(context.Context, nm.Device) (<-chan diagnostics.Event, func(), error) {
	return nil, nil, u.err()
}
func (u unreachable) Activate(context.Context, nm.ActivateRequest) (nm.Activation, error) {
	return nm.Activation{}, u.err()
}
func (u unreachable) Deactivate(context.Context, dbus.ObjectPath) error { return u.err() }
func (u unreachable) IP4(context.Context, nm.Device) (string, error)    { return "", u.err() }
func (u unreachable) Commit(context.Context, nm.Activation) error       { return u.err() }
func (u unreachable) Discard(context.Context, nm.Activation) error      { return u.err() }
func (u unreachable) Restore(context.Context, nm.Activation) error      { return u.err() }
