//go:build !linux

package nmtest

import "time"

// bootNowMsec has no CLOCK_BOOTTIME off Linux; the nm client does not filter
// by LastSeen there either, so any increasing clock will do.
func bootNowMsec() int64 { return time.Since(processStart).Milliseconds() + 1000 }

var processStart = time.Now()
