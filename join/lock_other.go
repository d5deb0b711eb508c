//go:build !linux

package join

import "context"

// Lock returns ErrLockUnsupported: there is no flock-based lock off Linux,
// and the join goes on without one.
func (FileLock) Lock(context.Context, string) (func(), error) { return nil, ErrLockUnsupported }
