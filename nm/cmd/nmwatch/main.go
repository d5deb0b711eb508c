// Command nmwatch prints package nm's event stream for one Wi-Fi interface
// as JSON lines, optionally after requesting a scan, so the real stack's
// signal order can be compared with the fakes in nm/nmtest (lab use).
//
//	nmwatch [-i wlan0] [-scan] [-ssid NAME] [-for 60s]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hotspotctl/hotspotctl/nm"
)

func main() {
	ifname := flag.String("i", "", "interface (default: the only managed Wi-Fi device)")
	scan := flag.Bool("scan", false, "request a scan and print its record")
	ssid := flag.String("ssid", "", "probe for this SSID when scanning")
	dur := flag.Duration("for", 0, "stop after this long (default: until interrupted)")
	flag.Parse()
	if err := run(*ifname, *scan, *ssid, *dur); err != nil {
		fmt.Fprintln(os.Stderr, "nmwatch:", err)
		os.Exit(1)
	}
}

func run(ifname string, scan bool, ssid string, dur time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if dur > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, dur)
		defer cancel()
	}
	conn, err := nm.Dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	c := nm.NewClient(conn)
	dev, err := c.Device(ctx, ifname)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	events, cancel, err := c.Events(ctx, dev)
	if err != nil {
		return err
	}
	defer cancel()
	if scan {
		var ssids [][]byte
		if ssid != "" {
			ssids = [][]byte{[]byte(ssid)}
		}
		sctx, scancel := context.WithTimeout(ctx, 30*time.Second)
		res, err := c.RequestScan(sctx, dev, ssids)
		scancel()
		enc.Encode(map[string]any{"scan": res.Record, "error": fmt.Sprint(err)})
	}
	for e := range events {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}
