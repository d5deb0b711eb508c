//go:build linux

// Command scanblock keeps a Wi-Fi interface's scan machinery busy, for the
// lab's scan-blocked scenario. It re-triggers a passive nl80211 scan of the
// given frequencies in a tight loop, so that whenever the running scan ends
// its next trigger wins the race and every other scanner (NetworkManager,
// wpa_supplicant, hotspotctl) gets EBUSY. The frequencies should exclude the
// channel of the AP under test, so the blocker's own results never contain it.
//
//	scanblock -ifname wlan0 -freqs 2417,2422 -for 120s
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

func main() {
	ifname := flag.String("ifname", "wlan0", "interface to keep busy")
	freqs := flag.String("freqs", "2417,2422,2427,2432,2437,2442,2447,2452,2457,2462", "comma-separated MHz to scan passively")
	dur := flag.Duration("for", 2*time.Minute, "stop after this long")
	pause := flag.Duration("pause", 0, "pause between triggers")
	flag.Parse()
	if err := run(*ifname, *freqs, *dur, *pause); err != nil {
		fmt.Fprintln(os.Stderr, "scanblock:", err)
		os.Exit(1)
	}
}

func run(ifname, freqList string, dur, pause time.Duration) error {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return err
	}
	var mhz []uint32
	for _, f := range strings.Split(freqList, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 32)
		if err != nil {
			return fmt.Errorf("bad frequency %q", f)
		}
		mhz = append(mhz, uint32(n))
	}
	c, err := genetlink.Dial(nil)
	if err != nil {
		return err
	}
	defer c.Close()
	fam, err := c.GetFamily(unix.NL80211_GENL_NAME)
	if err != nil {
		return err
	}
	ae := netlink.NewAttributeEncoder()
	ae.Uint32(unix.NL80211_ATTR_IFINDEX, uint32(ifi.Index))
	ae.Nested(unix.NL80211_ATTR_SCAN_FREQUENCIES, func(ne *netlink.AttributeEncoder) error {
		for i, f := range mhz {
			ne.Uint32(uint16(i), f)
		}
		return nil
	})
	body, err := ae.Encode()
	if err != nil {
		return err
	}
	msg := genetlink.Message{Header: genetlink.Header{Command: unix.NL80211_CMD_TRIGGER_SCAN}, Data: body}
	end := time.Now().Add(dur)
	var ok, busy, other int
	last := time.Now()
	for time.Now().Before(end) {
		_, err := c.Execute(msg, fam.ID, netlink.Request|netlink.Acknowledge)
		switch {
		case err == nil:
			ok++
		case errors.Is(err, syscall.EBUSY):
			busy++
		default:
			other++
			if other > 50 {
				return fmt.Errorf("trigger failed repeatedly: %v", err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if time.Since(last) > 5*time.Second {
			fmt.Printf("%s scanblock %s: %d scans started, %d EBUSY, %d other errors\n", time.Now().Format(time.RFC3339), ifname, ok, busy, other)
			last = time.Now()
		}
		if pause > 0 {
			time.Sleep(pause)
		}
	}
	fmt.Printf("scanblock %s done: %d scans started, %d EBUSY, %d other errors\n", ifname, ok, busy, other)
	return nil
}
