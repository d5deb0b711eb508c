package join

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lockPoll is how often a waiting join retries the lock. flock(2) cannot be
// given a deadline, so a blocking flock would outlive the join's context;
// polling LOCK_NB keeps the wait bounded by it.
const lockPoll = 100 * time.Millisecond

// Lock takes the exclusive flock on Dir/join-IFNAME.lock, waiting while
// another process holds it until ctx ends. Errors: one wrapping ctx.Err()
// when ctx ended first; an error for an interface name that is not a plain
// file name; the os/syscall error when the directory or file cannot be
// created or opened (typically permission for a non-root caller), in which
// case the caller goes on without a lock.
func (l FileLock) Lock(ctx context.Context, ifname string) (func(), error) {
	if ifname == "" || strings.ContainsAny(ifname, "/\x00") || ifname == "." || ifname == ".." {
		return nil, fmt.Errorf("join lock: bad interface name %q", ifname)
	}
	if err := os.MkdirAll(l.dir(), 0o755); err != nil {
		return nil, fmt.Errorf("join lock: %w", err)
	}
	path := filepath.Join(l.dir(), "join-"+ifname+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0o644)
	if err != nil {
		return nil, fmt.Errorf("join lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("join lock %s: %w", path, err)
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			_ = f.Close()
			return nil, fmt.Errorf("join lock %s held by another join: %w", path, ctx.Err())
		case <-t.C:
		}
	}
}
