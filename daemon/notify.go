package daemon

import (
	"time"

	sd "github.com/coreos/go-systemd/v22/daemon"
)

// SystemdNotifier sends states to $NOTIFY_SOCKET with sd_notify semantics;
// without $NOTIFY_SOCKET it does nothing.
type SystemdNotifier struct{}

var _ Notifier = SystemdNotifier{}

// Notify sends state ("READY=1", "WATCHDOG=1", "STATUS=...") to the service
// manager. The error is the socket's, nil when no manager listens.
func (SystemdNotifier) Notify(state string) error {
	_, err := sd.SdNotify(false, state)
	return err
}

// WatchdogInterval returns the service manager's watchdog timeout for this
// process (WATCHDOG_USEC, checked against WATCHDOG_PID), or 0 when there is
// none. The error is for a malformed environment.
func WatchdogInterval() (time.Duration, error) {
	return sd.SdWatchdogEnabled(false)
}
