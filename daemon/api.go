package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/godbus/dbus/v5"
	"github.com/godbus/dbus/v5/introspect"

	"github.com/hotspotctl/hotspotctl/diagnostics"
	"github.com/hotspotctl/hotspotctl/join"
)

// IntrospectXML describes org.hotspotctl.Daemon1 (exported with the standard
// Introspectable and Peer interfaces).
const IntrospectXML = `<node>
  <interface name="` + Interface + `">
    <!-- Join now. config: ssid (ay, required), passphrase (s), hidden (b),
         security (s: auto, open, wpa-psk, sae), bssid (s), once (b: join once,
         never stored), timeout_ms (u, 5000..600000), attempts (u, 1..20),
         priority (i, for the stored network). Returns the JSON report
         (hotspotctl.report/v1) whatever the outcome; bad input is
         org.hotspotctl.Daemon1.Error.InvalidInput. -->
    <method name="Apply">
      <arg name="config" type="a{sv}" direction="in"/>
      <arg name="report_json" type="s" direction="out"/>
    </method>
    <!-- Stop keeping a network stored by Apply. -->
    <method name="Remove">
      <arg name="ssid" type="ay" direction="in"/>
    </method>
    <!-- The configured SSIDs, highest priority first. -->
    <method name="List">
      <arg name="ssids" type="aay" direction="out"/>
    </method>
    <!-- state (s), ssid (ay), ssid_text (s), interface (s), networks (u),
         last_class (s), last_time (x, Unix seconds), config_error (s),
         next_retry_ms (x), joins (u), failures (u), version (s). -->
    <method name="Status">
      <arg name="status" type="a{sv}" direction="out"/>
    </method>
    <!-- The last join's JSON report, "" before the first join. -->
    <method name="LastReport">
      <arg name="report_json" type="s" direction="out"/>
    </method>
    <signal name="JoinFinished">
      <arg name="report_json" type="s"/>
    </signal>
  </interface>` + introspect.IntrospectDeclarationString + `
</node>`

// api is the exported object: its exported methods are the D-Bus methods.
type api struct{ d *Daemon }

func invalidErr(format string, args ...any) *dbus.Error {
	return dbus.NewError(ErrorInvalidInput, []any{fmt.Sprintf(format, args...)})
}

func toDBusErr(err error) *dbus.Error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrInvalidInput):
		return dbus.NewError(ErrorInvalidInput, []any{err.Error()})
	case errors.Is(err, ErrStopping):
		return dbus.NewError(ErrorStopping, []any{"hotspotctl daemon is stopping"})
	}
	return dbus.NewError(ErrorFailed, []any{err.Error()})
}

// Apply joins the network described by config now and returns the report.
func (a api) Apply(config map[string]dbus.Variant) (string, *dbus.Error) {
	r, derr := parseApply(config)
	if derr != nil {
		a.d.o.Log.Info().Str("error", derr.Body[0].(string)).Msg("Apply rejected")
		return "", derr
	}
	r.reply = make(chan result, 1)
	res := a.d.submit(r, r.reply)
	return res.json, toDBusErr(res.err)
}

// Remove forgets a network stored by Apply.
func (a api) Remove(ssid []byte) *dbus.Error {
	if len(ssid) == 0 || len(ssid) > 32 {
		return invalidErr("ssid must be 1 to 32 bytes, got %d", len(ssid))
	}
	r := &removeReq{ssid: ssid, reply: make(chan result, 1)}
	return toDBusErr(a.d.submit(r, r.reply).err)
}

// List returns the configured SSIDs.
func (a api) List() ([][]byte, *dbus.Error) {
	st := a.d.status()
	out := make([][]byte, len(st.Networks))
	copy(out, st.Networks)
	return out, nil
}

// Status describes what the daemon is doing.
func (a api) Status() (map[string]dbus.Variant, *dbus.Error) {
	st := a.d.status()
	var last, next int64
	if !st.LastTime.IsZero() {
		last = st.LastTime.Unix()
	}
	if !st.NextRetry.IsZero() {
		next = max(st.NextRetry.Sub(a.d.o.Clock.Now()).Milliseconds(), 0)
	}
	ssid := st.SSID
	if ssid == nil {
		ssid = []byte{}
	}
	text := ""
	if len(ssid) > 0 {
		text = diagnostics.PrintableSSID(ssid)
	}
	return map[string]dbus.Variant{
		"state":         dbus.MakeVariant(st.State),
		"ssid":          dbus.MakeVariant(ssid),
		"ssid_text":     dbus.MakeVariant(text),
		"interface":     dbus.MakeVariant(st.Iface),
		"networks":      dbus.MakeVariant(uint32(len(st.Networks))),
		"last_class":    dbus.MakeVariant(string(st.LastClass)),
		"last_time":     dbus.MakeVariant(last),
		"config_error":  dbus.MakeVariant(st.ConfigError),
		"next_retry_ms": dbus.MakeVariant(next),
		"joins":         dbus.MakeVariant(st.Joins),
		"failures":      dbus.MakeVariant(st.Failures),
		"version":       dbus.MakeVariant(a.d.o.Version),
	}, nil
}

// LastReport returns the last join's report, "" before the first.
func (a api) LastReport() (string, *dbus.Error) { return a.d.status().LastReport, nil }

// parseApply checks Apply's options. Every problem is an InvalidInput D-Bus
// error naming the option; the passphrase never appears in one.
func parseApply(cfg map[string]dbus.Variant) (*applyReq, *dbus.Error) {
	r := &applyReq{net: Network{Name: "apply", File: "D-Bus Apply", Security: join.SecurityAuto, Applied: true}}
	for k, v := range cfg {
		switch k {
		case "ssid":
			b, ok := v.Value().([]byte)
			if !ok {
				return nil, invalidErr("option ssid must be a byte array (ay), got %s", v.Signature())
			}
			r.net.SSID = b
		case "passphrase":
			s, ok := v.Value().(string)
			if !ok {
				return nil, invalidErr("option passphrase must be a string (s), got %s", v.Signature())
			}
			r.net.Passphrase = s
		case "hidden", "once":
			b, ok := v.Value().(bool)
			if !ok {
				return nil, invalidErr("option %s must be a boolean (b), got %s", k, v.Signature())
			}
			if k == "hidden" {
				r.net.Hidden = b
			} else {
				r.once = b
			}
		case "security", "bssid":
			s, ok := v.Value().(string)
			if !ok {
				return nil, invalidErr("option %s must be a string (s), got %s", k, v.Signature())
			}
			if k == "security" {
				r.net.Security = s
			} else {
				r.net.BSSID = s
			}
		case "timeout_ms", "attempts", "priority":
			n, ok := integer(v)
			if !ok {
				return nil, invalidErr("option %s must be an integer (u, i, t or x), got %s", k, v.Signature())
			}
			switch k {
			case "timeout_ms":
				if n < 5000 || n > 600000 {
					return nil, invalidErr("option timeout_ms must be from 5000 to 600000, got %d", n)
				}
				r.timeout = time.Duration(n) * time.Millisecond
			case "attempts":
				if n < 1 || n > 20 {
					return nil, invalidErr("option attempts must be from 1 to 20, got %d", n)
				}
				r.attempts = int(n)
			case "priority":
				if n < -1000 || n > 1000 {
					return nil, invalidErr("option priority must be from -1000 to 1000, got %d", n)
				}
				r.net.Priority = int(n)
			}
		default:
			return nil, invalidErr("unknown option %q (known: ssid, passphrase, hidden, security, bssid, once, timeout_ms, attempts, priority)", k)
		}
	}
	if len(r.net.SSID) == 0 {
		return nil, invalidErr("option ssid (ay) is required")
	}
	req := join.Request{SSID: r.net.SSID, Hidden: r.net.Hidden, BSSID: r.net.BSSID, Security: r.net.Security,
		Passphrase: r.net.Passphrase, Attempts: r.attempts, Timeout: r.timeout}
	if err := req.Validate(); err != nil {
		return nil, invalidErr("%v", err)
	}
	r.net.BSSID = req.BSSID
	r.net.Name = "ssid-" + diagnostics.SSIDHex(r.net.SSID)
	return r, nil
}

func integer(v dbus.Variant) (int64, bool) {
	switch n := v.Value().(type) {
	case uint32:
		return int64(n), true
	case int32:
		return int64(n), true
	case int64:
		return n, true
	case uint64:
		if n > 1<<62 {
			return 0, false
		}
		return int64(n), true
	case int16:
		return int64(n), true
	case uint16:
		return int64(n), true
	case byte:
		return int64(n), true
	}
	return 0, false
}

// export puts the API on the bus and takes the name. READY=1 is only sent
// after this returns nil.
func (d *Daemon) export(ctx context.Context) error {
	a := api{d: d}
	if err := d.o.Bus.Export(a, ObjectPath, Interface); err != nil {
		return &Error{Op: "export", Err: err}
	}
	if err := d.o.Bus.Export(introspect.Introspectable(IntrospectXML), ObjectPath, "org.freedesktop.DBus.Introspectable"); err != nil {
		return &Error{Op: "export", Err: err}
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var reply uint32
	err := d.o.Bus.BusObject().CallWithContext(cctx, "org.freedesktop.DBus.RequestName", 0, BusName,
		uint32(dbus.NameFlagDoNotQueue)).Store(&reply)
	if err != nil {
		return &Error{Op: "request name " + BusName, Err: err}
	}
	if dbus.RequestNameReply(reply) != dbus.RequestNameReplyPrimaryOwner && dbus.RequestNameReply(reply) != dbus.RequestNameReplyAlreadyOwner {
		return &Error{Op: "request name " + BusName, Err: ErrNameTaken}
	}
	return nil
}

func (d *Daemon) releaseName() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var reply uint32
	_ = d.o.Bus.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ReleaseName", 0, BusName).Store(&reply)
}
