package nm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// RequestScan asks NetworkManager to scan on dev, probing for ssids (directed
// probe requests, needed for hidden networks) when any are given, and waits
// until the scan is over, bounded by ctx (or WithScanTimeout when ctx has no
// deadline).
//
// Whether the scan succeeded is taken from wpa_supplicant's ScanDone(success)
// signal on dev's supplicant interface, subscribed to before the request:
// NetworkManager's LastScan changes even when a scan failed. When
// wpa_supplicant is not reachable on the bus, RequestScan waits for LastScan to
// change instead and says so in Record.Error ("scan success unverified").
//
// Record.BSSCount is the number of access points NetworkManager lists after
// the scan, Matches how many of them carry one of ssids, HiddenBSS how many
// have no SSID. The result's Record is always filled in. Errors: ErrScanBusy when
// NetworkManager refused the request (Record.Outcome "busy"), ErrScanFailed
// when ScanDone reported failure ("failed"), the context's error when no
// ScanDone arrived in time ("timeout").
func (c *Client) RequestScan(ctx context.Context, dev Device, ssids [][]byte) (ScanResult, error) {
	const op = "request scan"
	rec := diagnostics.ScanRecord{Method: diagnostics.ScanMethodNM, Own: true, Started: c.now()}
	res := ScanResult{}
	finish := func(outcome, msg string) {
		rec.Outcome, rec.Ended = outcome, c.now()
		if msg != "" {
			if rec.Error != "" {
				rec.Error += "; "
			}
			rec.Error += msg
		}
		res.Record = rec
	}
	if dev.Path == "" {
		d, err := c.Device(ctx, dev.Ifname)
		if err != nil {
			finish(diagnostics.ScanFailed, shortErr(errors.Unwrap(err)))
			return res, err
		}
		dev = d
	}
	if _, ok := ctx.Deadline(); !ok && c.scanWait > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.scanWait)
		defer cancel()
	}

	// Subscribe before requesting so that a fast ScanDone is not missed.
	supPath, supErr := c.supplicantInterface(ctx, dev.Ifname)
	verified := supErr == nil
	sigs := make(chan *dbus.Signal, 16)
	c.conn.Signal(sigs)
	defer c.conn.RemoveSignal(sigs)
	var match []dbus.MatchOption
	if verified {
		match = []dbus.MatchOption{dbus.WithMatchSender(c.supBusName), dbus.WithMatchObjectPath(supPath),
			dbus.WithMatchInterface(ifaceSupIface), dbus.WithMatchMember("ScanDone")}
	} else {
		match = []dbus.MatchOption{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchObjectPath(dev.Path),
			dbus.WithMatchInterface(ifaceProps), dbus.WithMatchMember("PropertiesChanged")}
		rec.Error = "scan success unverified: wpa_supplicant not reachable (" + shortErr(supErr) + ")"
	}
	if err := c.conn.AddMatchSignalContext(ctx, match...); err != nil {
		outcome := diagnostics.ScanFailed
		if ctx.Err() != nil {
			outcome = diagnostics.ScanTimeout
		}
		finish(outcome, shortErr(err))
		return res, mapErr(op, err)
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = c.conn.RemoveMatchSignalContext(rctx, match...)
	}()
	var lastScan int64
	if !verified {
		if v, err := getProp(ctx, c.nm(dev.Path), ifaceWireless, "LastScan"); err == nil {
			lastScan, _ = v.Value().(int64)
		}
	}

	opts := map[string]dbus.Variant{}
	if len(ssids) > 0 {
		opts["ssids"] = dbus.MakeVariant(ssids)
	}
	if err := c.nm(dev.Path).CallWithContext(ctx, ifaceWireless+".RequestScan", 0, opts).Err; err != nil {
		if be, ok := busError(err); ok && (be.Name == errNMDevNotAllowed || be.Name == "org.freedesktop.NetworkManager.Device.NotActive") {
			rec.BusyRefusals = 1
			finish(diagnostics.ScanBusyOut, be.Message)
			return res, wrap(op, fmt.Errorf("%w (%w)", ErrScanBusy, be))
		}
		merr := mapErr(op, err)
		outcome := diagnostics.ScanFailed
		if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
			outcome = diagnostics.ScanTimeout
		}
		finish(outcome, shortErr(errors.Unwrap(merr)))
		return res, merr
	}

	ok, err := c.waitScan(ctx, sigs, verified, dev.Path, supPath, lastScan)
	if err != nil {
		finish(diagnostics.ScanTimeout, "no ScanDone before the deadline")
		return res, wrap(op, err)
	}
	aps, aerr := c.accessPoints(ctx, dev.Path)
	if aerr == nil {
		res.APs = aps
		rec.BSSCount = len(aps)
		for _, ap := range aps {
			if len(bytes.Trim(ap.SSID, "\x00")) == 0 {
				rec.HiddenBSS++
			}
			for _, s := range ssids {
				if bytes.Equal(ap.SSID, s) {
					rec.Matches++
				}
			}
		}
	}
	if !ok {
		finish(diagnostics.ScanFailed, "wpa_supplicant ScanDone reported failure")
		return res, wrap(op, ErrScanFailed)
	}
	msg := ""
	if aerr != nil {
		msg = "listing access points: " + shortErr(aerr)
	}
	finish(diagnostics.ScanOK, msg)
	return res, nil
}

// waitScan waits for ScanDone on supPath (verified) or for LastScan on dev to
// change from lastScan (unverified); it reports the scan's success.
func (c *Client) waitScan(ctx context.Context, sigs chan *dbus.Signal, verified bool, dev, supPath dbus.ObjectPath, lastScan int64) (bool, error) {
	for {
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case s, open := <-sigs:
			if !open {
				return false, errors.New("bus connection closed")
			}
			if verified {
				if s.Path == supPath && s.Name == ifaceSupIface+".ScanDone" && len(s.Body) == 1 {
					b, _ := s.Body[0].(bool)
					return b, nil
				}
				continue
			}
			if s.Path != dev || s.Name != ifaceProps+".PropertiesChanged" || len(s.Body) < 2 {
				continue
			}
			if iface, _ := s.Body[0].(string); iface != ifaceWireless {
				continue
			}
			changed, _ := s.Body[1].(map[string]dbus.Variant)
			if v, ok := changed["LastScan"]; ok {
				if ls, _ := v.Value().(int64); ls != lastScan {
					return true, nil
				}
			}
		}
	}
}

func shortErr(err error) string {
	if err == nil {
		return ""
	}
	if be, ok := busError(err); ok {
		return be.Error()
	}
	return err.Error()
}
