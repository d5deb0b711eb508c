//go:build linux

// Command hwsimradio adds and removes mac80211_hwsim radios at run time, for
// the lab's regulatory scenarios. A radio added with -custom-reg N gets
// hwsim's custom regulatory domain N (0: hwsim_world_regdom_custom_01, which
// allows only 2.4 GHz channels 1-11 and 14 and 5 GHz 36-48 and 149-165), so
// it cannot use channels that the system's regulatory domain, and so the
// lab's access points, can: cfg80211 marks them disabled in the radio's own
// channel flags (orig_flags), which later country changes cannot lift.
//
//	hwsimradio add -name labreg -custom-reg 0
//	hwsimradio del -name labreg
//
// "add" prints the new radio's network interface name.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
)

// From include/uapi/linux/mac80211_hwsim.h (not in x/sys/unix).
const (
	hwsimCmdNewRadio = 4
	hwsimCmdDelRadio = 5

	hwsimAttrRegCustomReg = 12
	hwsimAttrRadioName    = 17
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hwsimradio add|del -name NAME [-custom-reg N]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	name := fs.String("name", "", "wiphy name of the radio")
	custom := fs.Int("custom-reg", -1, "hwsim custom regulatory domain index (add only; -1: none)")
	_ = fs.Parse(os.Args[2:])
	if *name == "" {
		fmt.Fprintln(os.Stderr, "hwsimradio: -name is required")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "add":
		err = add(*name, *custom)
	case "del":
		err = del(*name)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hwsimradio:", err)
		os.Exit(1)
	}
}

func send(cmd uint8, attrs func(*netlink.AttributeEncoder)) error {
	c, err := genetlink.Dial(nil)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	fam, err := c.GetFamily("MAC80211_HWSIM")
	if err != nil {
		return fmt.Errorf("hwsim family (is mac80211_hwsim loaded?): %w", err)
	}
	ae := netlink.NewAttributeEncoder()
	attrs(ae)
	data, err := ae.Encode()
	if err != nil {
		return err
	}
	_, err = c.Execute(genetlink.Message{Header: genetlink.Header{Command: cmd, Version: fam.Version}, Data: data},
		fam.ID, netlink.Request|netlink.Acknowledge)
	return err
}

func add(name string, custom int) error {
	err := send(hwsimCmdNewRadio, func(ae *netlink.AttributeEncoder) {
		ae.Bytes(hwsimAttrRadioName, []byte(name))
		if custom >= 0 {
			ae.Uint32(hwsimAttrRegCustomReg, uint32(custom))
		}
	})
	// NEW_RADIO answers with the new radio's index in the acknowledgement's
	// error field (a positive number), which netlink reports as an error:
	// the radio's sysfs entry is the real answer.
	dir := filepath.Join("/sys/class/ieee80211", name, "device/net")
	for i := 0; i < 50; i++ {
		if ents, rerr := os.ReadDir(dir); rerr == nil && len(ents) > 0 {
			fmt.Println(ents[0].Name())
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("new radio %s: %w", name, err)
	}
	return errors.New("new radio " + name + ": no network interface appeared")
}

func del(name string) error {
	return send(hwsimCmdDelRadio, func(ae *netlink.AttributeEncoder) { ae.Bytes(hwsimAttrRadioName, []byte(name)) })
}
