//go:build !linux

package join

// SysfsRfkill is unavailable off Linux; Blocked always reports unblocked.
type SysfsRfkill struct{ Root string }

var _ Rfkill = SysfsRfkill{}

// Blocked reports no block: there is no rfkill off Linux.
func (SysfsRfkill) Blocked(string) (bool, bool, error) { return false, false, nil }
