package nmtest

import (
	"time"

	"golang.org/x/sys/unix"
)

// bootNowMsec is CLOCK_BOOTTIME in milliseconds, the clock of
// NetworkManager's LastScan and (in seconds) AccessPoint.LastSeen; the fake
// uses the real clock so that clients filtering by LastSeen see real values.
func bootNowMsec() int64 {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return time.Now().UnixMilli()
	}
	return ts.Sec*1000 + ts.Nsec/1e6
}
