package main

import (
	"context"
	"errors"
	"os"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

// joinViaDaemon hands the join to a running hotspotctl daemon, so that one
// process owns the radio. ok is false when no daemon is running (or the bus
// policy does not let this user call it, or the request has an SSID prefix,
// which the API does not take); the CLI then joins by itself. With ok true
// the report is never nil: a failed call is reported as a classified
// failure (backend_unavailable, or invalid_input when the daemon rejected
// the request), and err is non-nil whenever the join did not succeed.
func joinViaDaemon(ctx context.Context, g *globals, req join.Request) (rep *diagnostics.Report, ok bool, err error) {
	if len(req.SSIDPrefix) > 0 || os.Getenv("HOTSPOTCTL_NO_DAEMON") == "1" {
		return nil, false, nil
	}
	dctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	conn, err := nm.Dial(dctx)
	if err != nil {
		return nil, false, nil
	}
	defer conn.Close()
	c := daemon.NewClient(conn)
	if up, err := c.Running(dctx); err != nil || !up {
		return nil, false, nil
	}
	// Leave the daemon time to answer before our own deadline ends.
	timeout := req.Timeout
	if dl, has := ctx.Deadline(); has {
		timeout = min(timeout, time.Until(dl)-2*time.Second)
	}
	timeout = max(timeout, 5*time.Second)
	g.log.Info().Str("daemon", daemon.BusName).Msg("joining through the hotspotctl daemon")
	rep, err = c.Apply(ctx, req, timeout)
	if err != nil {
		var de dbus.Error
		if errors.As(err, &de) && (de.Name == "org.freedesktop.DBus.Error.AccessDenied" || de.Name == "org.freedesktop.DBus.Error.ServiceUnknown") {
			g.log.Info().Str("error", de.Name).Msg("the daemon cannot be used; joining directly")
			return nil, false, nil
		}
		return failedReport(req, err), true, err
	}
	if rep.Class != diagnostics.None {
		return rep, true, &join.Error{Class: rep.Class, Detail: rep.Detail}
	}
	return rep, true, nil
}

// failedReport is the report for an Apply call that produced none: the
// daemon's error is the one event, classified like any other.
func failedReport(req join.Request, err error) *diagnostics.Report {
	now := time.Now()
	host, _ := os.Hostname()
	kind, ok := diagnostics.KindBackend, diagnostics.Bool(false)
	if errors.Is(err, daemon.ErrInvalidInput) {
		kind, ok = diagnostics.KindInvalidInput, nil
	}
	ev := diagnostics.Event{Time: now, Source: diagnostics.SourceHotspotctl, Kind: kind, OK: ok,
		Message: diagnostics.Redact(err.Error(), req.Passphrase)}
	v := diagnostics.Classify([]diagnostics.Event{ev})
	rep := &diagnostics.Report{Schema: diagnostics.SchemaV1, ToolVersion: version, Host: host, Mode: "join",
		Interface: req.Ifname, SSID: diagnostics.PrintableSSID(req.SSID), SSIDHex: diagnostics.SSIDHex(req.SSID),
		Started: now, Hints: []string{},
		Attempts: []diagnostics.Attempt{{Number: 1, Class: v.Class, Detail: v.Detail, Started: now, Ended: now,
			Events: []diagnostics.Event{ev}, Evidence: v.Evidence}}}
	rep.Finish(now)
	return rep
}
