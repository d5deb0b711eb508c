package nm

import "golang.org/x/sys/unix"

// bootTimeMsec reads CLOCK_BOOTTIME in milliseconds: the clock of
// NetworkManager's LastScan (milliseconds) and AccessPoint.LastSeen
// (seconds), see nm_utils_monotonic_timestamp_as_boottime.
func bootTimeMsec() (int64, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_BOOTTIME, &ts); err != nil {
		return 0, false
	}
	return ts.Sec*1000 + ts.Nsec/1e6, true
}
