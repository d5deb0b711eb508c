package nm

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Events returns one ordered stream of diagnostics.Event for dev, built from
// NetworkManager's and wpa_supplicant's signals, and a cancel func that removes
// the bus matches and closes the channel (exactly once; safe to call more
// than once). The stream also ends, with the channel closed, when ctx is done
// or the bus connection closes; call cancel anyway.
//
// Subscribe before activating anything: every match is in place when Events
// returns. Order is kept only if the connection uses godbus's sequential
// signal handler (see BusConn; Dial does that). The bus orders messages per
// sender: NetworkManager's signals keep their order, and so do
// wpa_supplicant's, and between the two processes the stream has the order
// in which the bus received them. Causal order survives: NetworkManager
// reacts to a wpa_supplicant signal only after the bus has routed it, to us
// as well, so PskMismatch always precedes the need-auth it causes; only
// independent events from the two may interleave differently from real
// time. dev.Path may be empty; the device is then looked up by dev.Ifname.
//
// Signals and the events they become:
//   - Device StateChanged(new, old, reason) on dev -> KindDeviceState, with
//     ActiveConnection set to the device's ActiveConnection property as last
//     read or announced ("/" for none, "" when unknown). NetworkManager sets
//     the device's new active request (and notifies ActiveConnection) before
//     it moves the device to prepare (nm-device.c, _device_activate), so the
//     states of an activation carry its path; states of the connection it
//     replaces (deactivating with reason 60, new-activation) carry the old one.
//   - Connection.Active StateChanged(state, reason) for active connections on
//     dev -> KindActiveState (ActiveConnection: its path; Message:
//     ActiveMessagePrefix + its path)
//   - wpa_supplicant Interface properties (both the standard
//     org.freedesktop.DBus.Properties.PropertiesChanged and the deprecated
//     fi.w1.wpa_supplicant1.Interface.PropertiesChanged, which 2.10 still
//     sends right after the standard one; once a standard signal was seen for
//     an interface, the deprecated ones are ignored): AuthStatusCode ->
//     KindAuthStatus, AssocStatusCode -> KindAssocStatus, DisconnectReason ->
//     KindDisconnect, CurrentBSS -> KindNote with BSSID, State ->
//     KindSupplicantState; signals PskMismatch -> KindPskMismatch and
//     ScanDone(ok) -> KindScanDone. (wpa_supplicant 2.10 as in Debian 12
//     does not send PskMismatch for a failed WPA2 4-way handshake: the lab
//     saw DisconnectReason 15, then NetworkManager's need-auth and
//     failed/no-secrets. Classification must not depend on it.)
//   - NameOwnerChanged of NetworkManager or wpa_supplicant -> KindBackend,
//     OK false when the owner goes, true when one appears. After
//     NetworkManager returns the device is looked up again by interface name
//     (NetworkManager gives devices new object paths); after wpa_supplicant
//     returns, its interface is picked up from InterfaceAdded.
//   - NetworkManager DeviceRemoved for dev -> KindDevice OK false, Name
//     "missing"; when a device with dev's interface name is added again ->
//     KindDevice OK true, Name "present", and the stream follows it.
//   - NetworkManager WirelessEnabled turning false -> KindRadio OK false,
//     Name "nm-disabled" (true again -> OK true); WirelessHardwareEnabled
//     false -> KindRadio OK false, Name "hard-blocked".
//
// The channel is buffered (WithEventBuffer, default 256); when the reader
// falls behind, events are dropped and a KindNote counting them is sent when
// there is room again, so the D-Bus reader is never blocked.
func (c *Client) Events(ctx context.Context, dev Device) (<-chan diagnostics.Event, func(), error) {
	const op = "events"
	dev, err := c.resolve(ctx, dev)
	if err != nil {
		return nil, nil, err
	}
	s := &stream{
		c:        c,
		ifname:   dev.Ifname,
		devPath:  dev.Path,
		acs:      map[dbus.ObjectPath]bool{},
		stdProps: map[dbus.ObjectPath]bool{},
		out:      make(chan diagnostics.Event, max(c.eventBuf, 1)),
		sigs:     make(chan *dbus.Signal, 64),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
	s.matches = [][]dbus.MatchOption{
		{dbus.WithMatchSender(ifaceDBus), dbus.WithMatchInterface(ifaceDBus), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, c.nmBusName)},
		{dbus.WithMatchSender(ifaceDBus), dbus.WithMatchInterface(ifaceDBus), dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, c.supBusName)},
		{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchInterface(ifaceDevice), dbus.WithMatchMember("StateChanged")},
		{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchInterface(ifaceActive), dbus.WithMatchMember("StateChanged")},
		{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchInterface(ifaceProps), dbus.WithMatchMember("PropertiesChanged"), dbus.WithMatchArg(0, ifaceNM)},
		{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchInterface(ifaceProps), dbus.WithMatchMember("PropertiesChanged"), dbus.WithMatchArg(0, ifaceDevice)},
		{dbus.WithMatchSender(c.nmBusName), dbus.WithMatchObjectPath(PathNM), dbus.WithMatchInterface(ifaceNM)},
		{dbus.WithMatchSender(c.supBusName), dbus.WithMatchInterface(ifaceSupIface), dbus.WithMatchMember("PropertiesChanged")},
		{dbus.WithMatchSender(c.supBusName), dbus.WithMatchInterface(ifaceSupIface), dbus.WithMatchMember("ScanDone")},
		{dbus.WithMatchSender(c.supBusName), dbus.WithMatchInterface(ifaceSupIface), dbus.WithMatchMember("PskMismatch")},
		{dbus.WithMatchSender(c.supBusName), dbus.WithMatchInterface(ifaceProps), dbus.WithMatchMember("PropertiesChanged"), dbus.WithMatchArg(0, ifaceSupIface)},
		{dbus.WithMatchSender(c.supBusName), dbus.WithMatchObjectPath(PathSupplicant), dbus.WithMatchInterface(ifaceSup)},
	}
	c.conn.Signal(s.sigs)
	for i, m := range s.matches {
		if err := c.conn.AddMatchSignalContext(ctx, m...); err != nil {
			s.matches = s.matches[:i]
			s.cleanup()
			return nil, nil, mapErr(op, err)
		}
	}
	// Initial state, read after subscribing so no change falls in between.
	if dev.Path != "" {
		if v, err := getProp(ctx, c.nm(dev.Path), ifaceDevice, "ActiveConnection"); err == nil {
			s.devAC, _ = v.Value().(dbus.ObjectPath)
		}
	}
	if p, err := c.supplicantInterface(ctx, dev.Ifname); err == nil {
		s.supPath = p
		if v, err := getProp(ctx, c.sup(p), ifaceSupIface, "State"); err == nil {
			s.supState, _ = v.Value().(string) // so the first change has its old state
		}
	} else if be, ok := busError(err); !ok || (be.Name != errServiceUnknown && be.Name != errNameHasNoOwner) {
		// wpa_supplicant is there but will not say which object is ours
		// (its D-Bus policy admits only root and netdev), or has no
		// interface yet: its signals are ignored until InterfaceAdded.
		s.emit(diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote, Name: diagnostics.NoteSupplicantUnavailable,
			Message: "wpa_supplicant interface for " + dev.Ifname + " not resolved (" + shortErr(err) + "); supplicant events unavailable"})
	}
	if m, err := getAll(ctx, c.nm(PathNM), ifaceNM); err == nil {
		if v, ok := m["WirelessEnabled"].Value().(bool); ok {
			s.radio = &v
		}
		if v, ok := m["WirelessHardwareEnabled"].Value().(bool); ok {
			s.hwRadio = &v
		}
	}
	go s.run(ctx)
	return s.out, s.cancel, nil
}

// ActiveMessagePrefix starts the Message of every KindActiveState event,
// followed by the active connection's object path, so a caller can tell its
// own activation (Activation.Active) from one it replaced.
const ActiveMessagePrefix = "active connection "

type stream struct {
	c       *Client
	ifname  string
	matches [][]dbus.MatchOption
	sigs    chan *dbus.Signal
	out     chan diagnostics.Event
	stop    chan struct{}
	done    chan struct{}

	stopOnce, cleanOnce sync.Once

	// Owned by run.
	devPath  dbus.ObjectPath
	devGone  bool            // DeviceRemoved seen for our device
	devAC    dbus.ObjectPath // the device's ActiveConnection, "" when unknown
	supPath  dbus.ObjectPath
	acs      map[dbus.ObjectPath]bool // active connection -> on our device
	stdProps map[dbus.ObjectPath]bool // standard PropertiesChanged seen from this supplicant interface
	supState string
	radio    *bool
	hwRadio  *bool
	dropped  int
}

func (s *stream) cancel() {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
}

func (s *stream) cleanup() {
	s.cleanOnce.Do(func() {
		s.c.conn.RemoveSignal(s.sigs)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		for _, m := range s.matches {
			_ = s.c.conn.RemoveMatchSignalContext(ctx, m...)
		}
	})
}

func (s *stream) run(ctx context.Context) {
	defer close(s.done)
	defer close(s.out)
	defer s.cleanup()
	for {
		select {
		case <-s.stop:
			return
		case <-ctx.Done():
			return
		case sig, ok := <-s.sigs:
			if !ok {
				s.emit(diagnostics.Event{Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote,
					Message: "event stream ended: bus connection closed"})
				return
			}
			s.handle(ctx, sig)
		}
	}
}

// emit stamps and sends e without ever blocking.
func (s *stream) emit(e diagnostics.Event) {
	now := s.c.now()
	if s.dropped > 0 {
		note := diagnostics.Event{Time: now, Source: diagnostics.SourceHotspotctl, Kind: diagnostics.KindNote,
			Iface: s.ifname, Count: s.dropped, Message: fmt.Sprintf("event buffer full: %d events dropped", s.dropped)}
		select {
		case s.out <- note:
			s.dropped = 0
		default:
			s.dropped++
			return
		}
	}
	e.Time = now
	if e.Iface == "" {
		e.Iface = s.ifname
	}
	select {
	case s.out <- e:
	default:
		s.dropped++
	}
}

func u32(body []any, i int) uint32 {
	if i < len(body) {
		v, _ := body[i].(uint32)
		return v
	}
	return 0
}

func str(body []any, i int) string {
	if i < len(body) {
		v, _ := body[i].(string)
		return v
	}
	return ""
}

// call is a short bounded context for look-ups made while handling signals.
func call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, 2*time.Second)
}

func (s *stream) handle(ctx context.Context, sig *dbus.Signal) {
	b := sig.Body
	switch sig.Name {
	case ifaceDBus + ".NameOwnerChanged":
		if sig.Sender == ifaceDBus { // only the bus itself says who owns a name
			s.nameOwnerChanged(ctx, str(b, 0), str(b, 1), str(b, 2))
		}

	case ifaceNM + ".DeviceAdded":
		if s.devPath == "" && len(b) == 1 {
			if p, ok := b[0].(dbus.ObjectPath); ok {
				s.adoptDevice(ctx, p)
			}
		}

	case ifaceNM + ".DeviceRemoved":
		if p, _ := firstPath(b); p != "" && p == s.devPath {
			s.devPath, s.devGone = "", true
			clear(s.acs)
			s.emit(diagnostics.Event{Source: diagnostics.SourceNMDevice, Kind: diagnostics.KindDevice, OK: diagnostics.Bool(false),
				Name: "missing", Message: s.ifname + " was removed from NetworkManager"})
		}

	case ifaceDevice + ".StateChanged":
		if s.devPath == "" {
			s.adoptDevice(ctx, sig.Path)
		}
		if sig.Path != s.devPath || len(b) < 3 {
			return
		}
		s.emit(diagnostics.Event{Source: diagnostics.SourceNMDevice, Kind: diagnostics.KindDeviceState,
			State: diagnostics.DeviceStateName(u32(b, 0)), OldState: diagnostics.DeviceStateName(u32(b, 1)),
			Code: int(u32(b, 2)), Name: diagnostics.DeviceReasonName(u32(b, 2)), ActiveConnection: string(s.devAC)})

	case ifaceActive + ".StateChanged":
		if len(b) < 2 || !s.ours(ctx, sig.Path) {
			return
		}
		s.emit(diagnostics.Event{Source: diagnostics.SourceNMActive, Kind: diagnostics.KindActiveState,
			State: diagnostics.ActiveStateName(u32(b, 0)), Code: int(u32(b, 1)), Name: diagnostics.ActiveReasonName(u32(b, 1)),
			Message: ActiveMessagePrefix + string(sig.Path), ActiveConnection: string(sig.Path)})

	case ifaceNM + ".PropertiesChanged": // deprecated manager signal (a{sv})
		if sig.Path == PathNM && len(b) == 1 {
			changed, _ := b[0].(map[string]dbus.Variant)
			s.managerProps(changed)
		}

	case ifaceProps + ".PropertiesChanged":
		if len(b) < 2 {
			return
		}
		iface := str(b, 0)
		changed, _ := b[1].(map[string]dbus.Variant)
		switch {
		case iface == ifaceNM && sig.Path == PathNM:
			s.managerProps(changed)
		case iface == ifaceDevice && sig.Path == s.devPath && s.devPath != "":
			if p, ok := changed["ActiveConnection"].Value().(dbus.ObjectPath); ok {
				s.devAC = p
				if p != "/" {
					s.acs[p] = true
				}
			}
		case iface == ifaceSupIface && sig.Path == s.supPath && s.supPath != "":
			s.stdProps[sig.Path] = true
			s.supplicantProps(ctx, changed)
		}

	case ifaceSupIface + ".PropertiesChanged": // deprecated, sent after the standard one
		if sig.Path == s.supPath && s.supPath != "" && !s.stdProps[sig.Path] && len(b) == 1 {
			changed, _ := b[0].(map[string]dbus.Variant)
			s.supplicantProps(ctx, changed)
		}

	case ifaceSupIface + ".ScanDone":
		if sig.Path == s.supPath && s.supPath != "" && len(b) == 1 {
			ok, _ := b[0].(bool)
			s.emit(diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindScanDone, OK: diagnostics.Bool(ok)})
		}

	case ifaceSupIface + ".PskMismatch":
		if sig.Path == s.supPath && s.supPath != "" {
			s.emit(diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindPskMismatch,
				Message: "4-way handshake failed: pre-shared key may be incorrect"})
		}

	case ifaceSup + ".InterfaceAdded":
		if len(b) == 2 {
			p, _ := b[0].(dbus.ObjectPath)
			props, _ := b[1].(map[string]dbus.Variant)
			if vString(props, "Ifname") == s.ifname && p != "" {
				s.setSupplicant(p)
			}
		}

	case ifaceSup + ".InterfaceRemoved":
		if len(b) == 1 {
			if p, _ := b[0].(dbus.ObjectPath); p == s.supPath && p != "" {
				s.supPath = ""
				s.emit(diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote,
					Message: "wpa_supplicant interface removed: " + string(p)})
			}
		}
	}
}

func (s *stream) nameOwnerChanged(ctx context.Context, name, oldOwner, newOwner string) {
	var src diagnostics.Source
	var who string
	switch name {
	case s.c.nmBusName:
		src, who = diagnostics.SourceNM, "NetworkManager"
	case s.c.supBusName:
		src, who = diagnostics.SourceSupplicant, "wpa_supplicant"
	default:
		return
	}
	if oldOwner != "" {
		s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindBackend, OK: diagnostics.Bool(false), Name: name,
			Message: who + " left the bus (" + name + " has no owner)"})
		if name == s.c.nmBusName {
			s.devPath = ""
			clear(s.acs)
		} else {
			s.supPath = ""
			clear(s.stdProps)
		}
	}
	if newOwner == "" {
		return
	}
	s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindBackend, OK: diagnostics.Bool(true), Name: name,
		Message: who + " is back on the bus"})
	cctx, cancel := call(ctx)
	defer cancel()
	if name == s.c.nmBusName {
		if d, err := s.c.Device(cctx, s.ifname); err == nil {
			s.setDevice(d.Path)
		}
		// Otherwise DeviceAdded or the device's first StateChanged adopts it.
		if m, err := getAll(cctx, s.c.nm(PathNM), ifaceNM); err == nil {
			s.managerProps(m)
		}
		return
	}
	if p, err := s.c.supplicantInterface(cctx, s.ifname); err == nil {
		s.setSupplicant(p)
	}
	// Otherwise InterfaceAdded picks it up once NetworkManager re-creates it.
}

func (s *stream) setSupplicant(p dbus.ObjectPath) {
	if p == s.supPath {
		return
	}
	s.supPath = p
	delete(s.stdProps, p)
	s.supState = ""
	s.emit(diagnostics.Event{Source: diagnostics.SourceSupplicant, Kind: diagnostics.KindNote,
		Message: "wpa_supplicant interface is now " + string(p)})
}

// adoptDevice checks whether path is our interface's device (after a
// NetworkManager restart) and, if so, follows it.
func (s *stream) adoptDevice(ctx context.Context, path dbus.ObjectPath) {
	cctx, cancel := call(ctx)
	defer cancel()
	d, typ, err := s.c.device(cctx, path)
	if err == nil && typ == deviceTypeWifi && d.Ifname == s.ifname {
		s.setDevice(path)
	}
}

func firstPath(body []any) (dbus.ObjectPath, bool) {
	if len(body) == 0 {
		return "", false
	}
	p, ok := body[0].(dbus.ObjectPath)
	return p, ok
}

func (s *stream) setDevice(path dbus.ObjectPath) {
	if path == s.devPath {
		return
	}
	s.devPath = path
	s.devAC = ""
	if s.devGone {
		s.devGone = false
		s.emit(diagnostics.Event{Source: diagnostics.SourceNMDevice, Kind: diagnostics.KindDevice, OK: diagnostics.Bool(true),
			Name: "present", Message: s.ifname + " is back"})
	}
	s.emit(diagnostics.Event{Source: diagnostics.SourceNMDevice, Kind: diagnostics.KindNote,
		Message: "device is now " + string(path)})
}

// ours reports whether the active connection at path is on our device.
func (s *stream) ours(ctx context.Context, path dbus.ObjectPath) bool {
	if v, ok := s.acs[path]; ok {
		return v
	}
	if s.devPath == "" {
		return false
	}
	cctx, cancel := call(ctx)
	defer cancel()
	v, err := getProp(cctx, s.c.nm(path), ifaceActive, "Devices")
	if err != nil {
		return false // gone already; not cached
	}
	devs, _ := v.Value().([]dbus.ObjectPath)
	on := slices.Contains(devs, s.devPath)
	s.acs[path] = on
	return on
}

func (s *stream) managerProps(changed map[string]dbus.Variant) {
	if v, ok := changed["WirelessEnabled"].Value().(bool); ok && (s.radio == nil || *s.radio != v) {
		s.radio = &v
		e := diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(v)}
		if !v {
			e.Name, e.Message = "nm-disabled", "Wi-Fi disabled in NetworkManager"
		}
		s.emit(e)
	}
	if v, ok := changed["WirelessHardwareEnabled"].Value().(bool); ok && (s.hwRadio == nil || *s.hwRadio != v) {
		s.hwRadio = &v
		e := diagnostics.Event{Source: diagnostics.SourceNM, Kind: diagnostics.KindRadio, OK: diagnostics.Bool(v)}
		if !v {
			e.Name, e.Message = "hard-blocked", "Wi-Fi hardware switch or rfkill hard block"
		}
		s.emit(e)
	}
}

// supplicantProps turns one batch of wpa_supplicant property changes into
// events. wpa_supplicant batches changes, so their order inside one signal is
// lost; status codes go first because they explain the state that follows.
func (s *stream) supplicantProps(ctx context.Context, changed map[string]dbus.Variant) {
	src := diagnostics.SourceSupplicant
	if v, ok := changed["AuthStatusCode"].Value().(int32); ok {
		s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindAuthStatus, Code: int(v),
			Message: diagnostics.StatusCodeText(int(v))})
	}
	if v, ok := changed["AssocStatusCode"].Value().(int32); ok {
		s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindAssocStatus, Code: int(v),
			Message: diagnostics.StatusCodeText(int(v))})
	}
	if v, ok := changed["DisconnectReason"].Value().(int32); ok && v != 0 {
		s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindDisconnect, Code: int(v),
			Message: diagnostics.ReasonCodeText(int(v))})
	}
	if p, ok := changed["CurrentBSS"].Value().(dbus.ObjectPath); ok && p != "/" && p != "" {
		e := diagnostics.Event{Source: src, Kind: diagnostics.KindNote, Message: "current BSS " + string(p)}
		cctx, cancel := call(ctx)
		if v, err := getProp(cctx, s.c.sup(p), ifaceSupBSS, "BSSID"); err == nil {
			b, _ := v.Value().([]byte)
			e.BSSID = formatMAC(b)
			e.Message = "current BSS"
		}
		cancel()
		s.emit(e)
	}
	if v, ok := changed["State"].Value().(string); ok && v != s.supState {
		s.emit(diagnostics.Event{Source: src, Kind: diagnostics.KindSupplicantState, State: v, OldState: s.supState})
		s.supState = v
	}
}
