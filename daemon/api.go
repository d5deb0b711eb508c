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
    <!-- Join once, exactly as "hotspotctl join" alone would: nothing is
         stored in the daemon's configuration and the network is not kept
         joined. request: ssid (ay) or ssid_prefix (ay), passphrase (s),
         hidden (b), security (s), bssid (s), ifname (s), once (b: volatile
         NetworkManager profile), timeout_ms (u, 5000..600000), attempts
         (u, 1..20), scan_window_ms (u), scans (u, fresh scans per attempt),
         request_id (s, for Cancel). Returns the JSON report whatever the
         outcome; org.hotspotctl.Daemon1.Error.Cancelled after Cancel. -->
    <method name="Join">
      <arg name="request" type="a{sv}" direction="in"/>
      <arg name="report_json" type="s" direction="out"/>
    </method>
    <!-- Cancel this caller's Join with that request_id: a queued one is
         dropped, a running one is cancelled; returns once it has stopped. -->
    <method name="Cancel">
      <arg name="request_id" type="s" direction="in"/>
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
	case errors.Is(err, ErrCancelled):
		return dbus.NewError(ErrorCancelled, []any{err.Error()})
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

// Join runs one join exactly as requested and returns its report. Unlike
// Apply it never stores the network nor keeps it joined: it is what
// "hotspotctl join" hands to a running daemon. The error is InvalidInput for
// a malformed request, Cancelled when the caller cancelled it, Stopping when
// the daemon stopped first.
func (a api) Join(sender dbus.Sender, request map[string]dbus.Variant) (string, *dbus.Error) {
	r, derr := parseJoin(request, a.d.o.JoinTimeout)
	if derr != nil {
		a.d.o.Log.Info().Str("error", derr.Body[0].(string)).Msg("Join rejected")
		return "", derr
	}
	r.sender = string(sender)
	r.reply = make(chan result, 1)
	res := a.d.submit(r, r.reply)
	return res.json, toDBusErr(res.err)
}

// Cancel cancels the caller's own Join with that request_id and returns
// once it is no longer queued or running. The error is InvalidInput when
// this caller has no such request.
func (a api) Cancel(sender dbus.Sender, id string) *dbus.Error {
	if id == "" {
		return invalidErr("request_id must not be empty")
	}
	r := &cancelReq{sender: string(sender), id: id, reply: make(chan result, 1)}
	return toDBusErr(a.d.submit(r, r.reply).err)
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
				if err := inRange("timeout_ms", n, 5000, 600000); err != nil {
					return nil, err
				}
				r.timeout = time.Duration(n) * time.Millisecond
			case "attempts":
				if err := inRange("attempts", n, 1, 20); err != nil {
					return nil, err
				}
				r.attempts = int(n)
			case "priority":
				if err := inRange("priority", n, -1000, 1000); err != nil {
					return nil, err
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

// joinOptions lists Join's options, for the unknown-option error.
const joinOptions = "ssid, ssid_prefix, passphrase, hidden, security, bssid, ifname, once, timeout_ms, attempts, scan_window_ms, scans, request_id"

// parseJoin checks Join's options and builds the join.Request they describe;
// a missing timeout_ms means defTimeout. Every problem is an InvalidInput
// D-Bus error naming the option; the passphrase never appears in one. The
// request is validated as join.Request.Validate does for the CLI (the
// interface must exist in sysfs and be wireless), before anything is touched.
func parseJoin(cfg map[string]dbus.Variant, defTimeout time.Duration) (*applyReq, *dbus.Error) {
	r := &applyReq{oneShot: true}
	q := &r.req
	for k, v := range cfg {
		switch k {
		case "ssid", "ssid_prefix":
			b, ok := v.Value().([]byte)
			if !ok {
				return nil, invalidErr("option %s must be a byte array (ay), got %s", k, v.Signature())
			}
			if k == "ssid" {
				q.SSID = b
			} else {
				q.SSIDPrefix = b
			}
		case "passphrase", "security", "bssid", "ifname", "request_id":
			s, ok := v.Value().(string)
			if !ok {
				return nil, invalidErr("option %s must be a string (s), got %s", k, v.Signature())
			}
			switch k {
			case "passphrase":
				q.Passphrase = s
			case "security":
				q.Security = s
			case "bssid":
				q.BSSID = s
			case "ifname":
				q.Ifname = s
			case "request_id":
				r.id = s
			}
		case "hidden", "once":
			b, ok := v.Value().(bool)
			if !ok {
				return nil, invalidErr("option %s must be a boolean (b), got %s", k, v.Signature())
			}
			if k == "hidden" {
				q.Hidden = b
			} else {
				q.Once = b
			}
		case "timeout_ms", "attempts", "scan_window_ms", "scans":
			n, ok := integer(v)
			if !ok {
				return nil, invalidErr("option %s must be an integer (u, i, t or x), got %s", k, v.Signature())
			}
			switch k {
			case "timeout_ms":
				if err := inRange("timeout_ms", n, 5000, 600000); err != nil {
					return nil, err
				}
				q.Timeout = time.Duration(n) * time.Millisecond
			case "attempts":
				if err := inRange("attempts", n, 1, 20); err != nil {
					return nil, err
				}
				q.Attempts = int(n)
			case "scan_window_ms":
				if err := inRange("scan_window_ms", n, 0, 600000); err != nil {
					return nil, err
				}
				q.ScanWindow = time.Duration(n) * time.Millisecond
			case "scans":
				if err := inRange("scans", n, 1, 20); err != nil {
					return nil, err
				}
				q.ScansPerAttempt = int(n)
			}
		default:
			return nil, invalidErr("unknown option %q (known: %s)", k, joinOptions)
		}
	}
	if len(q.SSID) == 0 && len(q.SSIDPrefix) == 0 {
		return nil, invalidErr("option ssid (ay) or ssid_prefix (ay) is required")
	}
	if q.Timeout == 0 {
		q.Timeout = defTimeout
	}
	if err := q.Validate(); err != nil {
		return nil, invalidErr("%v", err)
	}
	r.net = Network{Name: "join", File: "D-Bus Join", SSID: q.SSID, Hidden: q.Hidden, BSSID: q.BSSID,
		Security: q.Security, Passphrase: q.Passphrase}
	return r, nil
}

// inRange checks an integer option against its documented bounds.
func inRange(k string, n, lo, hi int64) *dbus.Error {
	if n < lo || n > hi {
		return invalidErr("option %s must be from %d to %d, got %d", k, lo, hi, n)
	}
	return nil
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
