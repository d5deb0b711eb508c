package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/daemon"
	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
	"github.com/hotspotctl/hotspotctl/nm"
)

// joinViaDaemon hands the join to a running hotspotctl daemon, so that one
// process owns the radio. It calls Join, which runs req exactly as given
// (interface, scan window, attempts, timeout, once) and stores nothing, so
// the join does what it would do without the daemon. ok is false when no
// daemon is running, the bus policy does not let this user call it, or the
// daemon predates Join; the CLI then joins by itself. With ok true the report
// is never nil: a failed call is reported as a classified failure
// (backend_unavailable, or invalid_input when the daemon rejected the
// request), and err is non-nil whenever the join did not succeed.
//
// The wait is bounded by req.Timeout plus a margin for the report to come
// back; when ctx ends (Ctrl-C, SIGTERM) or the wait runs out (the request was
// queued behind another join), the daemon's join is cancelled before this
// returns, so nothing goes on joining after the CLI has given its answer.
func joinViaDaemon(ctx context.Context, g *globals, req join.Request) (rep *diagnostics.Report, ok bool, err error) {
	if os.Getenv("HOTSPOTCTL_NO_DAEMON") == "1" {
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
	id, err := requestID()
	if err != nil {
		return nil, false, nil
	}
	wctx, wcancel := context.WithTimeout(ctx, req.Timeout+daemonMargin)
	defer wcancel()
	g.log.Info().Str("daemon", daemon.BusName).Str("request_id", id).Msg("joining through the hotspotctl daemon")
	rep, err = c.Join(wctx, req, id)
	if err != nil {
		var de dbus.Error
		if errors.As(err, &de) && (de.Name == "org.freedesktop.DBus.Error.AccessDenied" || de.Name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
			de.Name == "org.freedesktop.DBus.Error.UnknownMethod") {
			g.log.Info().Str("error", de.Name).Msg("the daemon cannot be used; joining directly")
			return nil, false, nil
		}
		if wctx.Err() != nil {
			interrupted := ctx.Err() != nil && !errors.Is(ctx.Err(), context.DeadlineExceeded)
			cerr := cancelDaemonJoin(c, id)
			if cerr != nil {
				g.log.Warn().Err(cerr).Str("request_id", id).Msg("could not cancel the daemon's join")
			}
			rep = gaveUpReport(req, interrupted, cerr)
			return rep, true, &join.Error{Class: rep.Class, Detail: rep.Detail}
		}
		return failedReport(req, err), true, err
	}
	if rep.Class != diagnostics.None {
		return rep, true, &join.Error{Class: rep.Class, Detail: rep.Detail}
	}
	return rep, true, nil
}

// daemonMargin is how much longer than the join's own timeout the CLI waits
// for the daemon's report: the daemon ends its join at the timeout, then
// cleans up (deactivating, deleting a failed profile) and answers.
const daemonMargin = 10 * time.Second

// cancelDaemonJoin asks the daemon to stop the join named id and waits until
// it has (Cancel returns then). A request that already ended is not an
// error: there is nothing left to stop.
func cancelDaemonJoin(c *daemon.Client, id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := c.Cancel(ctx, id); err != nil && !errors.Is(err, daemon.ErrInvalidInput) {
		return err
	}
	return nil
}

// requestID returns a random name for one Join, for Cancel.
func requestID() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "cli-" + hex.EncodeToString(b), nil
}

// gaveUpReport is the report when the CLI stopped waiting for the daemon:
// interrupted (a signal) or its deadline passed before the daemon answered.
// The event is the one a direct join records when its context ends: the
// deadline event, or the interrupted event for a signal (class interrupted,
// exit 130, as a join alone); the daemon's join was cancelled (or cancelErr
// says why it could not be).
func gaveUpReport(req join.Request, interrupted bool, cancelErr error) *diagnostics.Report {
	now := time.Now()
	host, _ := os.Hostname()
	name, msg := "deadline", fmt.Sprintf("no answer from the hotspotctl daemon within --timeout (%s) plus %s; its join was cancelled", req.Timeout, daemonMargin)
	if interrupted {
		name, msg = "interrupted", "interrupted while the hotspotctl daemon was joining; its join was cancelled"
	}
	if cancelErr != nil {
		msg = strings.TrimSuffix(msg, "; its join was cancelled") + "; cancelling its join failed: " + diagnostics.Redact(cancelErr.Error(), req.Passphrase)
	}
	kind := diagnostics.KindDeadline
	if interrupted {
		kind = diagnostics.KindInterrupted
	}
	ev := diagnostics.Event{Time: now, Source: diagnostics.SourceHotspotctl, Kind: kind, Name: name, Message: msg}
	v := diagnostics.Classify([]diagnostics.Event{ev})
	rep := &diagnostics.Report{Schema: diagnostics.SchemaV1, ToolVersion: version, Host: host, Mode: "join",
		Interface: req.Ifname, SSID: diagnostics.PrintableSSID(req.SSID), SSIDHex: diagnostics.SSIDHex(req.SSID),
		Started: now, Hints: []string{},
		Attempts: []diagnostics.Attempt{{Number: 1, Started: now, Ended: now, Events: []diagnostics.Event{ev}}}}
	rep.Attempts[0].SetVerdict(v)
	rep.Finish(now)
	return rep
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
		Attempts: []diagnostics.Attempt{{Number: 1, Started: now, Ended: now, Events: []diagnostics.Event{ev}}}}
	rep.Attempts[0].SetVerdict(v)
	rep.Finish(now)
	return rep
}
