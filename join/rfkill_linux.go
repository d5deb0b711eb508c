package join

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SysfsRfkill reads rfkill state from sysfs: the wiphy behind
// /sys/class/net/IFNAME/phy80211 has an rfkillN child whose soft and hard
// files are the kernel's block state (net/rfkill/core.c). NetworkManager
// learns of soft blocks only through its own rfkill handling, and reports
// them as WirelessEnabled=false with a delay, so the kernel is asked directly.
type SysfsRfkill struct {
	// Root is the sysfs mount point, "/sys" when empty.
	Root string
}

var _ Rfkill = SysfsRfkill{}

// Blocked reports the soft and hard block of ifname's radio. An interface
// with no rfkill switch is never blocked; a missing interface is an error.
func (s SysfsRfkill) Blocked(ifname string) (soft, hard bool, err error) {
	root := s.Root
	if root == "" {
		root = "/sys"
	}
	phy := filepath.Join(root, "class", "net", ifname, "phy80211")
	if _, err := os.Stat(phy); err != nil {
		return false, false, fmt.Errorf("rfkill: %w", err)
	}
	matches, _ := filepath.Glob(filepath.Join(phy, "rfkill*"))
	for _, m := range matches {
		soft = soft || readFlag(filepath.Join(m, "soft"))
		hard = hard || readFlag(filepath.Join(m, "hard"))
	}
	return soft, hard, nil
}

func readFlag(p string) bool {
	b, err := os.ReadFile(p)
	return err == nil && strings.TrimSpace(string(b)) == "1"
}
