package join

import "errors"

// DefaultLockDir holds the per-interface join locks (FileLock). /run is a
// tmpfs, so a lock never outlives a boot; the lock is an flock on an open
// file, so it never outlives the process holding it either (the kernel drops
// it when the descriptor closes, also on a crash or SIGKILL).
const DefaultLockDir = "/run/hotspotctl"

// ErrLockUnsupported is returned by FileLock.Lock where there is no flock
// (off Linux); the join then goes on without a lock.
var ErrLockUnsupported = errors.New("join lock: not supported on this platform")

// FileLock is the InterfaceLock of separate hotspotctl processes: an
// exclusive flock(2) on Dir/join-IFNAME.lock. Two joins on one interface
// otherwise knock each other's activation off (NetworkManager takes the
// device down with reason 60, new-activation, for the second), and both
// lose.
type FileLock struct {
	// Dir is the lock directory; DefaultLockDir when empty.
	Dir string
}

var _ InterfaceLock = FileLock{}

func (l FileLock) dir() string {
	if l.Dir == "" {
		return DefaultLockDir
	}
	return l.Dir
}
