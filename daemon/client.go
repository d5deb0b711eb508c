package daemon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
)

// Caller is the part of a bus connection the Client uses. *dbus.Conn
// implements it.
type Caller interface {
	Object(dest string, path dbus.ObjectPath) dbus.BusObject
}

var _ Caller = (*dbus.Conn)(nil)

// Client calls a running daemon's D-Bus API.
type Client struct{ conn Caller }

// NewClient returns a Client using conn, which it never closes.
func NewClient(conn Caller) *Client { return &Client{conn: conn} }

// Running reports whether org.hotspotctl.Daemon1 has an owner on the bus.
// The error is an *Error when the bus did not answer before ctx's deadline.
func (c *Client) Running(ctx context.Context) (bool, error) {
	var has bool
	err := c.conn.Object("org.freedesktop.DBus", "/org/freedesktop/DBus").
		CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, BusName).Store(&has)
	if err != nil {
		return false, &Error{Op: "name has owner", Err: err}
	}
	return has, nil
}

// ApplyOptions turns a join request into Apply's a{sv}. It contains the
// passphrase: never log it. An SSID prefix cannot be expressed.
func ApplyOptions(req join.Request, timeout time.Duration) map[string]dbus.Variant {
	m := map[string]dbus.Variant{
		"ssid":   dbus.MakeVariant(req.SSID),
		"hidden": dbus.MakeVariant(req.Hidden),
		"once":   dbus.MakeVariant(req.Once),
	}
	if req.Security != "" {
		m["security"] = dbus.MakeVariant(req.Security)
	}
	if req.BSSID != "" {
		m["bssid"] = dbus.MakeVariant(req.BSSID)
	}
	if req.Passphrase != "" {
		m["passphrase"] = dbus.MakeVariant(req.Passphrase)
	}
	if req.Attempts > 0 {
		m["attempts"] = dbus.MakeVariant(uint32(req.Attempts))
	}
	if timeout > 0 {
		m["timeout_ms"] = dbus.MakeVariant(uint32(timeout.Milliseconds()))
	}
	return m
}

// Apply asks the daemon to join and returns its report. ctx must outlive the
// join (give it the join's timeout plus a margin). The error is an *Error:
// errors.Is ErrInvalidInput for org.hotspotctl.Daemon1.Error.InvalidInput,
// ErrStopping when the daemon stopped first, otherwise the D-Bus error
// (a dbus.Error: AccessDenied when the bus policy refused the caller).
func (c *Client) Apply(ctx context.Context, req join.Request, timeout time.Duration) (*diagnostics.Report, error) {
	var out string
	err := c.conn.Object(BusName, ObjectPath).CallWithContext(ctx, Interface+".Apply", 0, ApplyOptions(req, timeout)).Store(&out)
	if err != nil {
		var de dbus.Error
		if errors.As(err, &de) {
			msg := ""
			if len(de.Body) > 0 {
				msg, _ = de.Body[0].(string)
			}
			switch de.Name {
			case ErrorInvalidInput:
				return nil, &Error{Op: "apply", Err: fmt.Errorf("%w: %s", ErrInvalidInput, msg)}
			case ErrorStopping:
				return nil, &Error{Op: "apply", Err: ErrStopping}
			}
		}
		return nil, &Error{Op: "apply", Err: err}
	}
	rep := &diagnostics.Report{}
	if err := json.Unmarshal([]byte(out), rep); err != nil {
		return nil, &Error{Op: "apply", Err: fmt.Errorf("decode report: %w", err)}
	}
	return rep, nil
}

// JoinOptions turns a join request into Join's a{sv}, every field of req
// included, with id as the request_id Cancel names. It contains the
// passphrase: never log it.
func JoinOptions(req join.Request, id string) map[string]dbus.Variant {
	m := map[string]dbus.Variant{
		"hidden": dbus.MakeVariant(req.Hidden),
		"once":   dbus.MakeVariant(req.Once),
	}
	if len(req.SSID) > 0 {
		m["ssid"] = dbus.MakeVariant(req.SSID)
	}
	if len(req.SSIDPrefix) > 0 {
		m["ssid_prefix"] = dbus.MakeVariant(req.SSIDPrefix)
	}
	for k, v := range map[string]string{"security": req.Security, "bssid": req.BSSID, "passphrase": req.Passphrase,
		"ifname": req.Ifname, "request_id": id} {
		if v != "" {
			m[k] = dbus.MakeVariant(v)
		}
	}
	if req.Attempts > 0 {
		m["attempts"] = dbus.MakeVariant(uint32(req.Attempts))
	}
	if req.Timeout > 0 {
		m["timeout_ms"] = dbus.MakeVariant(uint32(req.Timeout.Milliseconds()))
	}
	if req.ScanWindow > 0 {
		m["scan_window_ms"] = dbus.MakeVariant(uint32(req.ScanWindow.Milliseconds()))
	}
	if req.ScansPerAttempt > 0 {
		m["scans"] = dbus.MakeVariant(uint32(req.ScansPerAttempt))
	}
	return m
}

// Join asks the daemon to run req once, exactly as given (nothing stored),
// and returns its report. id names the request for Cancel. ctx bounds the
// wait; when it ends first the daemon's join goes on until Cancel(id). The
// error is an *Error: errors.Is ErrInvalidInput, ErrCancelled or ErrStopping
// for the daemon's answers, the context's error when ctx ended, otherwise the
// D-Bus error (a dbus.Error: AccessDenied when the bus policy refused the
// caller, UnknownMethod from a daemon that predates Join).
func (c *Client) Join(ctx context.Context, req join.Request, id string) (*diagnostics.Report, error) {
	var out string
	err := c.conn.Object(BusName, ObjectPath).CallWithContext(ctx, Interface+".Join", 0, JoinOptions(req, id)).Store(&out)
	if err != nil {
		return nil, &Error{Op: "join", Err: daemonErr(err)}
	}
	rep := &diagnostics.Report{}
	if err := json.Unmarshal([]byte(out), rep); err != nil {
		return nil, &Error{Op: "join", Err: fmt.Errorf("decode report: %w", err)}
	}
	return rep, nil
}

// Cancel cancels this connection's Join named id and returns once the daemon
// has stopped it. The error is an *Error (errors.Is ErrInvalidInput when the
// daemon has no such request from this connection, e.g. it already ended).
func (c *Client) Cancel(ctx context.Context, id string) error {
	err := c.conn.Object(BusName, ObjectPath).CallWithContext(ctx, Interface+".Cancel", 0, id).Store()
	if err != nil {
		return &Error{Op: "cancel", Err: daemonErr(err)}
	}
	return nil
}

// daemonErr maps the daemon's D-Bus errors to this package's sentinels and
// keeps any other error (and ctx's) as it is.
func daemonErr(err error) error {
	var de dbus.Error
	if !errors.As(err, &de) {
		return err
	}
	msg := ""
	if len(de.Body) > 0 {
		msg, _ = de.Body[0].(string)
	}
	switch de.Name {
	case ErrorInvalidInput:
		return fmt.Errorf("%w: %s", ErrInvalidInput, msg)
	case ErrorStopping:
		return ErrStopping
	case ErrorCancelled:
		return ErrCancelled
	}
	return err
}
