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
