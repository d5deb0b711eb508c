// Package nmtest provides a fake NetworkManager and a fake wpa_supplicant,
// exported with godbus on a private dbus-daemon, for testing code that uses
// package nm. Their behaviour comes from a Scenario (see its documentation
// for how to inject each failure); what clients sent is recorded
// (Activations, ScanRequests).
//
// Typical use:
//
//	f, conn := nmtest.Start(t, nmtest.Scenario{
//		APs:        []nmtest.AP{{SSID: []byte("Lab"), BSSID: "02:00:00:00:01:00", RsnFlags: nmtest.RsnWPA2PSK}},
//		OnActivate: nmtest.ScriptWrongKey(),
//	})
//	c := nm.NewClient(conn)
//
// The fakes implement the parts of org.freedesktop.NetworkManager (manager,
// Settings, Settings.Connection, Device, Device.Wireless, AccessPoint,
// Connection.Active, IP4Config) and fi.w1.wpa_supplicant1 (GetInterface,
// Interface properties and the ScanDone, PskMismatch and PropertiesChanged
// signals, BSS BSSID) that package nm uses, with NetworkManager 1.42's
// property types and error names.
package nmtest

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

const (
	busNM       = "org.freedesktop.NetworkManager"
	busSup      = "fi.w1.wpa_supplicant1"
	pathNM      = dbus.ObjectPath("/org/freedesktop/NetworkManager")
	pathSet     = dbus.ObjectPath("/org/freedesktop/NetworkManager/Settings")
	pathSup     = dbus.ObjectPath("/fi/w1/wpa_supplicant1")
	ifNM        = "org.freedesktop.NetworkManager"
	ifDevice    = "org.freedesktop.NetworkManager.Device"
	ifWireless  = "org.freedesktop.NetworkManager.Device.Wireless"
	ifAP        = "org.freedesktop.NetworkManager.AccessPoint"
	ifActive    = "org.freedesktop.NetworkManager.Connection.Active"
	ifSettings  = "org.freedesktop.NetworkManager.Settings"
	ifConn      = "org.freedesktop.NetworkManager.Settings.Connection"
	ifIP4       = "org.freedesktop.NetworkManager.IP4Config"
	ifProps     = "org.freedesktop.DBus.Properties"
	ifSup       = "fi.w1.wpa_supplicant1"
	ifSupIface  = "fi.w1.wpa_supplicant1.Interface"
	ifSupBSS    = "fi.w1.wpa_supplicant1.BSS"
	nmVersion   = "1.42.4"
	defaultIfc  = "wlan0"
	errNotAllow = "org.freedesktop.NetworkManager.Device.NotAllowed"
)

// D-Bus error names the fake returns.
const (
	ErrPermissionDenied = "org.freedesktop.NetworkManager.PermissionDenied"
	ErrUnknownDevice    = "org.freedesktop.NetworkManager.UnknownDevice"
	ErrInvalidProperty  = "org.freedesktop.NetworkManager.Settings.Connection.InvalidProperty"
	ErrInvalidArguments = "org.freedesktop.NetworkManager.InvalidArguments"
	ErrConnNotActive    = "org.freedesktop.NetworkManager.ConnectionNotActive"
	ErrSupIfaceUnknown  = "fi.w1.wpa_supplicant1.InterfaceUnknown"
	ErrUnknownObject    = "org.freedesktop.DBus.Error.UnknownObject"
	// ErrConnNotAvailable: NM_MANAGER_ERROR_CONNECTION_NOT_AVAILABLE, e.g.
	// a profile whose connection.interface-name names another device.
	ErrConnNotAvailable = "org.freedesktop.NetworkManager.ConnectionNotAvailable"
)

type svc int

const (
	svcNM svc = iota
	svcSup
)

type objects map[dbus.ObjectPath]map[string]map[string]dbus.Variant

// Fake is a running fake NetworkManager and wpa_supplicant.
type Fake struct {
	// Addr is the private bus's address.
	Addr string

	sc     Scenario
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu          sync.Mutex
	conns       [2]*dbus.Conn // by svc; nil while off the bus
	objs        [2]objects
	devs        []*fdev
	profiles    map[dbus.ObjectPath]*profile
	acs         map[dbus.ObjectPath]*activeConn
	next        int
	scanN       int
	lastScan    int64
	bootStart   int64 // CLOCK_BOOTTIME msec when the fake started
	wireless    bool
	hwWireless  bool
	running     int  // scripts and scans in flight
	started     bool // NetworkManager has been started once
	lastEmit    svc  // service that sent the last signal
	pending     bool // a signal was sent
	activations []Activation
	scanReqs    []ScanRequest
	foreign     bool // a scan by another process is running (Scenario.ForeignScanRunning)
	closed      bool
	// deactivations are the active connections DeactivateConnection was
	// called for, in order.
	deactivations []dbus.ObjectPath
	// agentAsked and agentCancelled count the modelled secret-agent
	// requests (Step.AskAgent) and how many were cancelled by a
	// deactivation, as NetworkManager cancels an activation's pending
	// GetSecrets (CancelGetSecrets to the agent) when it deactivates.
	agentAsked, agentCancelled int
}

type fdev struct {
	spec     DeviceSpec
	removed  bool
	path     dbus.ObjectPath
	sup      dbus.ObjectPath
	state    uint32
	aps      []dbus.ObjectPath
	apSpecs  map[dbus.ObjectPath]AP
	revealed map[string]bool // hidden SSIDs probed for
	bss      map[string]dbus.ObjectPath
}

func (d *fdev) wifi() bool { return d.spec.Type == 2 }

// stateReason is NetworkManager's Device.StateReason, (uu).
type stateReason struct{ State, Reason uint32 }

type profile struct {
	settings map[string]map[string]dbus.Variant
	flags    uint32
}

type activeConn struct {
	path, conn dbus.ObjectPath
	dev        *fdev
	secured    bool   // the profile has 802-11-wireless-security
	ssid       []byte // the profile's SSID
	agentOpen  bool   // a secret agent is showing a dialog for it (Step.AskAgent)
}

// Activation is what one AddAndActivateConnection2 call carried, with the
// interesting settings decoded.
type Activation struct {
	Device   dbus.ObjectPath
	Settings map[string]map[string]dbus.Variant
	Options  map[string]dbus.Variant

	ID, UUID, Type string
	Autoconnect    bool
	SSID           []byte
	Hidden         bool
	BSSID          []byte
	KeyMgmt        string
	PSK            string // the secret as received; tests check presence
	Persist        string
	BindActivation string
	UserData       map[string]string
}

// ScanRequest is one RequestScan call.
type ScanRequest struct {
	Device dbus.ObjectPath
	SSIDs  [][]byte
}

// Start starts a private bus, the fakes described by sc, and returns them
// with a client connection to the bus that uses godbus's sequential signal
// handler (as nm.Dial does). Everything is torn down when the test ends.
func Start(t testing.TB, sc Scenario) (*Fake, *dbus.Conn) {
	t.Helper()
	f := New(t, StartBus(t), sc)
	conn, err := dbus.Connect(f.Addr, dbus.WithSignalHandler(dbus.NewSequentialSignalHandler()))
	if err != nil {
		t.Fatalf("nmtest: client connection: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return f, conn
}

// New starts the fakes on the bus at addr; they stop when the test ends.
func New(t testing.TB, addr string, sc Scenario) *Fake {
	t.Helper()
	if sc.Devices == nil {
		sc.Devices = []DeviceSpec{{Ifname: defaultIfc}}
	}
	if sc.OnReactivate == nil {
		sc.OnReactivate = ScriptSuccess()
	}
	if sc.OnActivate == nil {
		sc.OnActivate = ScriptSuccess()
	}
	f := &Fake{Addr: addr, sc: sc, profiles: map[dbus.ObjectPath]*profile{}, acs: map[dbus.ObjectPath]*activeConn{},
		lastScan: bootNowMsec() - 30000, wireless: !sc.RadioOff && !sc.HardwareRadioOff, hwWireless: !sc.HardwareRadioOff}
	f.bootStart = bootNowMsec()
	f.foreign = sc.ForeignScanRunning
	f.ctx, f.cancel = context.WithCancel(context.Background())
	for i, s := range sc.Devices {
		if s.Type == 0 {
			s.Type = 2
		}
		if s.HwAddress == "" {
			s.HwAddress = fmt.Sprintf("02:00:00:00:00:%02x", i)
		}
		if s.Driver == "" {
			s.Driver = "mac80211_hwsim"
		}
		d := &fdev{spec: s, state: DevDisconnected, revealed: map[string]bool{}}
		if s.Unmanaged {
			d.state = DevUnmanaged
		} else if !f.wireless && d.wifi() {
			d.state = DevUnavailable
		}
		f.devs = append(f.devs, d)
	}
	t.Cleanup(f.close)
	if err := f.StartNM(); err != nil {
		t.Fatalf("nmtest: start NetworkManager: %v", err)
	}
	if !sc.NoSupplicant {
		if err := f.StartSupplicant(); err != nil {
			t.Fatalf("nmtest: start wpa_supplicant: %v", err)
		}
	}
	return f
}

func (f *Fake) close() {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	f.cancel()
	f.wg.Wait()
	f.mu.Lock()
	conns := f.conns
	f.conns = [2]*dbus.Conn{}
	f.mu.Unlock()
	for _, c := range conns {
		if c != nil {
			c.Close()
		}
	}
}

func (f *Fake) newPath(prefix string) dbus.ObjectPath {
	f.next++
	return dbus.ObjectPath(prefix + "/" + strconv.Itoa(f.next))
}

func dbusErr(name, msg string) *dbus.Error { return dbus.NewError(name, []any{msg}) }

func msgPath(m dbus.Message) dbus.ObjectPath {
	p, _ := m.Headers[dbus.FieldPath].Value().(dbus.ObjectPath)
	return p
}

func noObject(p dbus.ObjectPath) *dbus.Error {
	return dbusErr(ErrUnknownObject, "No such object path '"+string(p)+"'")
}

// emit sends a signal from a service; f.mu is held.
//
// The bus orders messages per sender only. NetworkManager and wpa_supplicant
// are two connections, so before a signal from one follows a signal from the
// other, a round trip to the bus on the first makes sure the bus has already
// routed its signal: scripted cross-service order is then the order clients
// receive.
func (f *Fake) emit(s svc, path dbus.ObjectPath, name string, args ...any) {
	c := f.conns[s]
	if c == nil {
		return
	}
	if s == svcSup && f.sc.SupplicantDenied {
		// wpa_supplicant's bus policy (deny receive_sender for users other
		// than root and netdev) keeps its signals from the client.
		return
	}
	if f.lastEmit != s && f.pending {
		if prev := f.conns[f.lastEmit]; prev != nil {
			_ = prev.BusObject().Call("org.freedesktop.DBus.GetId", 0).Err
		}
	}
	_ = c.Emit(path, name, args...)
	f.lastEmit, f.pending = s, true
}

// setProp changes a property and announces it; f.mu is held.
func (f *Fake) setProp(s svc, path dbus.ObjectPath, iface, name string, v any) {
	obj := f.objs[s][path]
	if obj == nil || obj[iface] == nil {
		return
	}
	vv := dbus.MakeVariant(v)
	obj[iface][name] = vv
	changed := map[string]dbus.Variant{name: vv}
	if s == svcSup && iface == ifSupIface {
		mode := f.sc.SupplicantSignals
		if mode != "legacy" {
			f.emit(s, path, ifProps+".PropertiesChanged", iface, changed, []string{})
		}
		if mode == "" || mode == "both" || mode == "legacy" {
			f.emit(s, path, ifSupIface+".PropertiesChanged", changed)
		}
		return
	}
	f.emit(s, path, ifProps+".PropertiesChanged", iface, changed, []string{})
}

func (f *Fake) prop(s svc, path dbus.ObjectPath, iface, name string) any {
	if obj := f.objs[s][path]; obj != nil && obj[iface] != nil {
		return obj[iface][name].Value()
	}
	return nil
}

func (f *Fake) devByPath(p dbus.ObjectPath) *fdev {
	for _, d := range f.devs {
		if d.path == p {
			return d
		}
	}
	return nil
}

func (f *Fake) devByName(ifname string) *fdev {
	for _, d := range f.devs {
		if d.spec.Ifname == ifname {
			return d
		}
	}
	return nil
}

// ---- lifecycle --------------------------------------------------------------

// StopNM takes NetworkManager off the bus (its connection closes, so the bus
// announces NameOwnerChanged with no new owner). Active connections are lost.
func (f *Fake) StopNM() {
	f.mu.Lock()
	c := f.conns[svcNM]
	f.conns[svcNM] = nil
	f.objs[svcNM] = nil
	clear(f.acs)
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// StartNM puts NetworkManager (back) on the bus. Devices get new object
// paths, as with a real restart; profiles keep theirs.
func (f *Fake) StartNM() error {
	conn, err := dbus.Connect(f.Addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	if f.closed || f.conns[svcNM] != nil {
		f.mu.Unlock()
		conn.Close()
		return fmt.Errorf("nmtest: NetworkManager already running or fake closed")
	}
	restart := f.started
	f.started = true
	var late []*fdev
	if restart && f.sc.RestartDeviceDelay > 0 {
		for _, d := range f.devs {
			if !d.removed {
				d.removed = true
				late = append(late, d)
			}
		}
	}
	f.buildNM()
	f.exportNM(conn)
	f.conns[svcNM] = conn
	f.mu.Unlock()
	reply, err := conn.RequestName(busNM, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return fmt.Errorf("nmtest: request name %s: %v (reply %d)", busNM, err, reply)
	}
	if len(late) > 0 {
		f.mu.Lock()
		f.goAfter(f.sc.RestartDeviceDelay, func() {
			if f.conns[svcNM] != conn {
				return // stopped again meanwhile
			}
			for _, d := range late {
				d.removed = false
				f.buildDevice(d)
				f.emit(svcNM, pathNM, ifNM+".DeviceAdded", d.path)
			}
			f.setProp(svcNM, pathNM, ifNM, "Devices", f.devPaths())
			f.setProp(svcNM, pathNM, ifNM, "AllDevices", f.devPaths())
		})
		f.mu.Unlock()
	}
	return nil
}

// StopSupplicant takes wpa_supplicant off the bus.
func (f *Fake) StopSupplicant() {
	f.mu.Lock()
	c := f.conns[svcSup]
	f.conns[svcSup] = nil
	f.objs[svcSup] = nil
	for _, d := range f.devs {
		d.sup = ""
	}
	f.mu.Unlock()
	if c != nil {
		c.Close()
	}
}

// StartSupplicant puts wpa_supplicant (back) on the bus and announces an
// interface for every Wi-Fi device with InterfaceAdded, as when
// NetworkManager re-creates them.
func (f *Fake) StartSupplicant() error {
	conn, err := dbus.Connect(f.Addr)
	if err != nil {
		return err
	}
	f.mu.Lock()
	if f.closed || f.conns[svcSup] != nil {
		f.mu.Unlock()
		conn.Close()
		return fmt.Errorf("nmtest: wpa_supplicant already running or fake closed")
	}
	f.buildSup()
	f.exportSup(conn)
	f.mu.Unlock()
	reply, err := conn.RequestName(busSup, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return fmt.Errorf("nmtest: request name %s: %v (reply %d)", busSup, err, reply)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.conns[svcSup] = conn
	for _, d := range f.devs {
		if d.sup != "" {
			f.emit(svcSup, pathSup, ifSup+".InterfaceAdded", d.sup,
				map[string]dbus.Variant{"Ifname": dbus.MakeVariant(d.spec.Ifname)})
		}
	}
	return nil
}

func (f *Fake) buildNM() {
	o := objects{}
	f.objs[svcNM] = o
	for _, d := range f.devs {
		if !d.removed {
			f.buildDevice(d)
		}
	}
	devPaths := f.devPaths()
	o[pathNM] = map[string]map[string]dbus.Variant{ifNM: {
		"Version":                 dbus.MakeVariant(nmVersion),
		"WirelessEnabled":         dbus.MakeVariant(f.wireless),
		"WirelessHardwareEnabled": dbus.MakeVariant(f.hwWireless),
		"Devices":                 dbus.MakeVariant(devPaths),
		"AllDevices":              dbus.MakeVariant(devPaths),
		"ActiveConnections":       dbus.MakeVariant([]dbus.ObjectPath{}),
	}}
	o[pathSet] = map[string]map[string]dbus.Variant{ifSettings: {"Connections": dbus.MakeVariant(f.profilePaths())}}
	for p, pr := range f.profiles {
		o[p] = map[string]map[string]dbus.Variant{ifConn: {
			"Flags": dbus.MakeVariant(pr.flags), "Unsaved": dbus.MakeVariant(pr.flags&0x1 != 0)}}
	}
}

// buildDevice gives d a new object path and its objects; f.mu is held.
func (f *Fake) buildDevice(d *fdev) {
	o := f.objs[svcNM]
	d.path = f.newPath("/org/freedesktop/NetworkManager/Devices")
	o[d.path] = map[string]map[string]dbus.Variant{ifDevice: {
		"Interface":        dbus.MakeVariant(d.spec.Ifname),
		"DeviceType":       dbus.MakeVariant(d.spec.Type),
		"State":            dbus.MakeVariant(d.state),
		"StateReason":      dbus.MakeVariant(stateReason{d.state, 0}),
		"Managed":          dbus.MakeVariant(!d.spec.Unmanaged),
		"HwAddress":        dbus.MakeVariant(strings.ToUpper(d.spec.HwAddress)),
		"Driver":           dbus.MakeVariant(d.spec.Driver),
		"Ip4Config":        dbus.MakeVariant(dbus.ObjectPath("/")),
		"ActiveConnection": dbus.MakeVariant(dbus.ObjectPath("/")),
	}}
	if !d.wifi() {
		return
	}
	d.aps, d.apSpecs = nil, map[dbus.ObjectPath]AP{}
	for _, ap := range f.sc.APs {
		p := f.newPath("/org/freedesktop/NetworkManager/AccessPoint")
		d.aps = append(d.aps, p)
		d.apSpecs[p] = ap
		o[p] = map[string]map[string]dbus.Variant{ifAP: f.apProps(d, ap)}
	}
	o[d.path][ifWireless] = map[string]dbus.Variant{
		"LastScan":          dbus.MakeVariant(f.lastScan),
		"ActiveAccessPoint": dbus.MakeVariant(dbus.ObjectPath("/")),
		"AccessPoints":      dbus.MakeVariant(d.aps),
		"HwAddress":         dbus.MakeVariant(strings.ToUpper(d.spec.HwAddress)),
	}
}

func (f *Fake) devPaths() []dbus.ObjectPath {
	ps := []dbus.ObjectPath{}
	for _, d := range f.devs {
		if !d.removed && d.path != "" {
			ps = append(ps, d.path)
		}
	}
	return ps
}

// RemoveDevice makes NetworkManager drop the device named ifname (as when a
// USB adapter is unplugged): its active connection ends with
// device-removed, its objects go and DeviceRemoved is emitted.
func (f *Fake) RemoveDevice(ifname string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil || d.removed {
		return
	}
	for _, ac := range f.acs {
		if ac.dev == d {
			f.setACState(ac, ACDeactivated, 14)
		}
	}
	old := d.path
	d.removed, d.path = true, ""
	if f.objs[svcNM] == nil {
		return
	}
	delete(f.objs[svcNM], old)
	for _, p := range d.aps {
		delete(f.objs[svcNM], p)
	}
	f.emit(svcNM, pathNM, ifNM+".DeviceRemoved", old)
	f.setProp(svcNM, pathNM, ifNM, "Devices", f.devPaths())
}

// AddDevice brings back a device removed with RemoveDevice, at a new object
// path, and emits DeviceAdded.
func (f *Fake) AddDevice(ifname string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil || !d.removed || f.objs[svcNM] == nil {
		return
	}
	d.removed = false
	d.state = DevDisconnected
	f.buildDevice(d)
	f.emit(svcNM, pathNM, ifNM+".DeviceAdded", d.path)
	f.setProp(svcNM, pathNM, ifNM, "Devices", f.devPaths())
}

func (f *Fake) apProps(d *fdev, ap AP) map[string]dbus.Variant {
	ssid := ap.SSID
	if ap.Hidden && !d.revealed[string(ap.SSID)] {
		ssid = []byte{}
	}
	freq, strength := ap.FreqMHz, ap.Strength
	if freq == 0 {
		freq = 2412
	}
	if strength == 0 {
		strength = 70
	}
	return map[string]dbus.Variant{
		"Ssid":      dbus.MakeVariant(ssid),
		"HwAddress": dbus.MakeVariant(strings.ToUpper(ap.BSSID)),
		"Frequency": dbus.MakeVariant(freq),
		"Strength":  dbus.MakeVariant(strength),
		"Flags":     dbus.MakeVariant(ap.Flags),
		"WpaFlags":  dbus.MakeVariant(ap.WpaFlags),
		"RsnFlags":  dbus.MakeVariant(ap.RsnFlags),
		"LastSeen":  dbus.MakeVariant(f.lastSeen(ap)),
	}
}

// lastSeen is an AP's LastSeen in CLOCK_BOOTTIME seconds: the last completed
// scan, or for a Stale AP a scan two minutes before the fake started
// (NetworkManager keeps a BSS listed for a while after it stopped beaconing).
func (f *Fake) lastSeen(ap AP) int32 {
	if ap.Stale {
		return int32(f.bootStart/1000) - 120
	}
	return int32(f.lastScan / 1000)
}

func (f *Fake) profilePaths() []dbus.ObjectPath {
	ps := make([]dbus.ObjectPath, 0, len(f.profiles))
	for p := range f.profiles {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func (f *Fake) buildSup() {
	o := objects{}
	f.objs[svcSup] = o
	var ifaces []dbus.ObjectPath
	for _, d := range f.devs {
		if !d.wifi() || d.spec.Unmanaged {
			continue
		}
		d.sup = f.newPath("/fi/w1/wpa_supplicant1/Interfaces")
		ifaces = append(ifaces, d.sup)
		o[d.sup] = map[string]map[string]dbus.Variant{ifSupIface: {
			"Ifname":           dbus.MakeVariant(d.spec.Ifname),
			"State":            dbus.MakeVariant("disconnected"),
			"AuthStatusCode":   dbus.MakeVariant(int32(0)),
			"AssocStatusCode":  dbus.MakeVariant(int32(0)),
			"DisconnectReason": dbus.MakeVariant(int32(0)),
			"CurrentBSS":       dbus.MakeVariant(dbus.ObjectPath("/")),
			"Scanning":         dbus.MakeVariant(f.foreign),
		}}
		d.bss = map[string]dbus.ObjectPath{}
		for i, ap := range f.sc.APs {
			p := dbus.ObjectPath(fmt.Sprintf("%s/BSSs/%d", d.sup, i))
			mac, _ := net.ParseMAC(ap.BSSID)
			d.bss[strings.ToLower(ap.BSSID)] = p
			o[p] = map[string]map[string]dbus.Variant{ifSupBSS: {
				"BSSID": dbus.MakeVariant([]byte(mac)), "SSID": dbus.MakeVariant(ap.SSID)}}
		}
	}
	o[pathSup] = map[string]map[string]dbus.Variant{ifSup: {"Interfaces": dbus.MakeVariant(ifaces)}}
}

// ---- D-Bus exports ----------------------------------------------------------

func (f *Fake) propsTable(s svc) map[string]any {
	return map[string]any{
		"Get": func(m dbus.Message, iface, name string) (dbus.Variant, *dbus.Error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if s == svcSup && f.sc.SupplicantDenied {
				return dbus.Variant{}, supDenied()
			}
			obj := f.objs[s][msgPath(m)]
			if obj == nil {
				return dbus.Variant{}, noObject(msgPath(m))
			}
			v, ok := obj[iface][name]
			if !ok {
				return dbus.Variant{}, dbusErr("org.freedesktop.DBus.Error.InvalidArgs", "No such property '"+name+"'")
			}
			return v, nil
		},
		"GetAll": func(m dbus.Message, iface string) (map[string]dbus.Variant, *dbus.Error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if s == svcSup && f.sc.SupplicantDenied {
				return nil, supDenied()
			}
			obj := f.objs[s][msgPath(m)]
			if obj == nil {
				return nil, noObject(msgPath(m))
			}
			out := map[string]dbus.Variant{}
			for k, v := range obj[iface] {
				out[k] = v
			}
			return out, nil
		},
		"Set": func(m dbus.Message, iface, name string, v dbus.Variant) *dbus.Error {
			if s == svcNM && msgPath(m) == pathNM && iface == ifNM && name == "WirelessEnabled" {
				b, ok := v.Value().(bool)
				if !ok {
					return dbusErr("org.freedesktop.DBus.Error.InvalidArgs", "WirelessEnabled is a boolean")
				}
				f.SetWirelessEnabled(b)
				return nil
			}
			return dbusErr("org.freedesktop.DBus.Error.PropertyReadOnly", "Property '"+name+"' is not writable")
		},
	}
}

func (f *Fake) exportNM(conn *dbus.Conn) {
	for _, root := range []dbus.ObjectPath{pathNM} {
		conn.ExportSubtreeMethodTable(f.propsTable(svcNM), root, ifProps)
		conn.ExportSubtreeMethodTable(map[string]any{
			"GetDevices":                f.getDevices,
			"GetAllDevices":             f.getDevices,
			"AddAndActivateConnection2": f.addAndActivate2,
			"ActivateConnection":        f.activateConnection,
			"DeactivateConnection":      f.deactivateConnection,
		}, root, ifNM)
		conn.ExportSubtreeMethodTable(map[string]any{"ListConnections": f.listConnections}, root, ifSettings)
		conn.ExportSubtreeMethodTable(map[string]any{
			"GetSettings": f.getSettings,
			"Delete":      f.deleteConnection,
			"Update2":     f.update2,
		}, root, ifConn)
		conn.ExportSubtreeMethodTable(map[string]any{
			"GetAllAccessPoints": f.getAllAccessPoints,
			"GetAccessPoints":    f.getAccessPoints,
			"RequestScan":        f.requestScan,
		}, root, ifWireless)
	}
}

func (f *Fake) exportSup(conn *dbus.Conn) {
	conn.ExportSubtreeMethodTable(f.propsTable(svcSup), pathSup, ifProps)
	conn.ExportSubtreeMethodTable(map[string]any{
		"GetInterface": func(m dbus.Message, ifname string) (dbus.ObjectPath, *dbus.Error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if f.sc.SupplicantDenied {
				return "", supDenied()
			}
			if d := f.devByName(ifname); d != nil && d.sup != "" && msgPath(m) == pathSup {
				return d.sup, nil
			}
			return "", dbusErr(ErrSupIfaceUnknown, "wpa_supplicant knows nothing about this interface.")
		},
	}, pathSup, ifSup)
}

func (f *Fake) getDevices(m dbus.Message) ([]dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if msgPath(m) != pathNM {
		return nil, noObject(msgPath(m))
	}
	return f.devPaths(), nil
}

func (f *Fake) wifiDev(m dbus.Message) (*fdev, *dbus.Error) {
	d := f.devByPath(msgPath(m))
	if d == nil || !d.wifi() {
		return nil, noObject(msgPath(m))
	}
	return d, nil
}

func (f *Fake) getAllAccessPoints(m dbus.Message) ([]dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.wifiDev(m)
	if err != nil {
		return nil, err
	}
	return slices.Clone(d.aps), nil
}

func (f *Fake) getAccessPoints(m dbus.Message) ([]dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, err := f.wifiDev(m)
	if err != nil {
		return nil, err
	}
	var out []dbus.ObjectPath
	for _, p := range d.aps {
		if s, _ := f.prop(svcNM, p, ifAP, "Ssid").([]byte); len(s) > 0 {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *Fake) requestScan(m dbus.Message, opts map[string]dbus.Variant) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	d, derr := f.wifiDev(m)
	if derr != nil {
		return derr
	}
	ssids, _ := opts["ssids"].Value().([][]byte)
	f.scanReqs = append(f.scanReqs, ScanRequest{Device: d.path, SSIDs: ssids})
	if d.state < DevDisconnected {
		return dbusErr(errNotAllow, RefuseUnavailable)
	}
	var step ScanStep
	if n := len(f.sc.Scans); n > 0 {
		step = f.sc.Scans[min(f.scanN, n-1)]
	}
	f.scanN++
	if step.Refuse != "" {
		return dbusErr(errNotAllow, step.Refuse)
	}
	if step.Delay == 0 {
		step.Delay = 5 * time.Millisecond
	}
	// One goroutine chain, so that the signals keep their order however
	// late the timers fire: [foreign scan's end,] Scanning true,
	// [autoconnect,] ScanDone, Scanning false, [fetch,] LastScan.
	done := func() {
		if step.Autoconnect != nil {
			f.autoconnect(d, step.Autoconnect.Settings, step.Autoconnect.Script)
		}
		if step.NoDone {
			return
		}
		if !step.Fail {
			// A failed trigger sees nothing: NetworkManager's list and its
			// LastSeen stay as they were.
			for _, s := range ssids {
				d.revealed[string(s)] = true
			}
		}
		if d.sup != "" {
			f.emit(svcSup, d.sup, ifSupIface+".ScanDone", !step.Fail)
			f.setProp(svcSup, d.sup, ifSupIface, "Scanning", false)
		}
		// NetworkManager fetches the new BSSes' properties from
		// wpa_supplicant after ScanDone, and moves LastScan when it is idle
		// again, failed scan or not (nm-device-wifi.c _scan_notify_is_scanning).
		if step.FetchDelay > 0 {
			f.goAfter(step.FetchDelay, func() { f.finishScan(d, !step.Fail) })
			return
		}
		f.finishScan(d, !step.Fail)
	}
	begin := func() {
		if !step.NoDone && d.sup != "" {
			f.setProp(svcSup, d.sup, ifSupIface, "Scanning", true)
		}
		f.goAfter(step.Delay/2, done)
	}
	if f.foreign && d.sup != "" {
		// Another process's scan was running when this request came: its
		// ScanDone(true) comes first, not directed at our SSIDs, and
		// NetworkManager's LastScan moves for it; ours runs after it.
		f.foreign = false
		f.goAfter(2*time.Millisecond, func() {
			f.emit(svcSup, d.sup, ifSupIface+".ScanDone", true)
			f.setProp(svcSup, d.sup, ifSupIface, "Scanning", false)
			f.completeScan(d)
			f.goAfter(step.Delay/2, begin)
		})
		return nil
	}
	f.goAfter(step.Delay/2, begin)
	return nil
}

// finishScan publishes a scan's results (when it succeeded) and moves
// LastScan; f.mu is held.
func (f *Fake) finishScan(d *fdev, ok bool) {
	if ok {
		f.completeScan(d)
		return
	}
	f.lastScan = max(f.lastScan+1, bootNowMsec())
	f.setProp(svcNM, d.path, ifWireless, "LastScan", f.lastScan)
}

// completeScan refreshes every AP's LastSeen (and revealed SSIDs) and moves
// LastScan; f.mu is held.
func (f *Fake) completeScan(d *fdev) {
	f.lastScan = max(f.lastScan+1, bootNowMsec())
	for _, p := range d.aps {
		if o := f.objs[svcNM][p]; o != nil {
			o[ifAP] = f.apProps(d, d.apSpecs[p])
		}
	}
	f.setProp(svcNM, d.path, ifWireless, "LastScan", f.lastScan)
}

func supDenied() *dbus.Error {
	return dbusErr("org.freedesktop.DBus.Error.AccessDenied",
		"Rejected send message, 1 matched rules; type=\"method_call\", sender=\":1.42\" (uid=1000) interface=\"fi.w1.wpa_supplicant1\" destination=\"fi.w1.wpa_supplicant1\"")
}

// goAfter runs fn under f.mu after d, unless the fake is closing.
func (f *Fake) goAfter(d time.Duration, fn func()) {
	if f.closed {
		return
	}
	f.wg.Add(1)
	f.running++
	go func() {
		defer f.wg.Done()
		defer f.done()
		select {
		case <-f.ctx.Done():
			return
		case <-time.After(d):
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		fn()
	}()
}

// ---- settings ----------------------------------------------------------------

func (f *Fake) listConnections(m dbus.Message) ([]dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if msgPath(m) != pathSet {
		return nil, noObject(msgPath(m))
	}
	return f.profilePaths(), nil
}

func withoutSecrets(s map[string]map[string]dbus.Variant) map[string]map[string]dbus.Variant {
	out := map[string]map[string]dbus.Variant{}
	for k, v := range s {
		out[k] = map[string]dbus.Variant{}
		for kk, vv := range v {
			if kk == "psk" {
				continue
			}
			out[k][kk] = vv
		}
	}
	return out
}

func (f *Fake) getSettings(m dbus.Message) (map[string]map[string]dbus.Variant, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pr := f.profiles[msgPath(m)]
	if pr == nil {
		return nil, noObject(msgPath(m))
	}
	return withoutSecrets(pr.settings), nil
}

func (f *Fake) deleteConnection(m dbus.Message) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sc.DenyActivate {
		return dbusErr(ErrPermissionDenied, "Insufficient privileges")
	}
	p := msgPath(m)
	if f.profiles[p] == nil {
		return noObject(p)
	}
	for _, ac := range f.acs {
		if ac.conn == p {
			f.setDeviceState(ac.dev, DevDeactivating, 38)
			f.setACState(ac, ACDeactivated, 11)
			f.setDeviceState(ac.dev, DevDisconnected, 38)
		}
	}
	f.removeProfile(p)
	return nil
}

func (f *Fake) removeProfile(p dbus.ObjectPath) {
	if f.profiles[p] == nil {
		return
	}
	delete(f.profiles, p)
	delete(f.objs[svcNM], p)
	f.emit(svcNM, p, ifConn+".Removed")
	f.emit(svcNM, pathSet, ifSettings+".ConnectionRemoved", p)
	f.setProp(svcNM, pathSet, ifSettings, "Connections", f.profilePaths())
}

func (f *Fake) update2(m dbus.Message, settings map[string]map[string]dbus.Variant, flags uint32, args map[string]dbus.Variant) (map[string]dbus.Variant, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pr := f.profiles[msgPath(m)]
	if pr == nil {
		return nil, noObject(msgPath(m))
	}
	// An empty settings dictionary keeps the current settings and secrets
	// (Update2's documented "Provide an empty array to use the current
	// settings").
	if len(settings) > 0 {
		if err := f.validate(settings); err != nil {
			return nil, err
		}
		pr.settings = settings
	}
	switch {
	case flags&0x1 != 0: // to-disk: persistent profiles are never volatile
		pr.flags = 0
	case flags&0xe != 0: // in-memory, in-memory-detached, in-memory-only
		pr.flags |= 0x1
		if flags&0x10 != 0 {
			pr.flags |= 0x4
		}
	}
	f.objs[svcNM][msgPath(m)][ifConn]["Flags"] = dbus.MakeVariant(pr.flags)
	f.objs[svcNM][msgPath(m)][ifConn]["Unsaved"] = dbus.MakeVariant(pr.flags&0x1 != 0)
	f.emit(svcNM, msgPath(m), ifConn+".Updated")
	return map[string]dbus.Variant{}, nil
}

// boundElsewhere returns NetworkManager's refusal when the profile's
// connection.interface-name names another device than d.
func boundElsewhere(settings map[string]map[string]dbus.Variant, d *fdev) *dbus.Error {
	if ifn, _ := settings["connection"]["interface-name"].Value().(string); ifn != "" && ifn != d.spec.Ifname {
		id, _ := settings["connection"]["id"].Value().(string)
		return dbusErr(ErrConnNotAvailable, fmt.Sprintf("Connection '%s' is not available on device %s because profile is not compatible with device (mismatching interface name)", id, d.spec.Ifname))
	}
	return nil
}

// validUserKey is nm_setting_user_check_key (libnm-core nm-setting-user.c):
// words of [a-zA-Z0-9-_+/=] joined by single dots, at least one dot, at most
// 255 bytes.
func validUserKey(k string) bool {
	if k == "" || len(k) > 255 || !strings.Contains(k, ".") || strings.HasPrefix(k, ".") ||
		strings.HasSuffix(k, ".") || strings.Contains(k, "..") {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_+/=.", c)) {
			return false
		}
	}
	return true
}

// validate checks settings the way NetworkManager's verify() does for the
// parts hotspotctl sends.
func (f *Fake) validate(s map[string]map[string]dbus.Variant) *dbus.Error {
	bad := func(prop, why string) *dbus.Error { return dbusErr(ErrInvalidProperty, prop+": "+why) }
	if t, _ := s["connection"]["type"].Value().(string); t != "802-11-wireless" {
		return bad("connection.type", "unsupported connection type")
	}
	ssid, _ := s["802-11-wireless"]["ssid"].Value().([]byte)
	if len(ssid) == 0 || len(ssid) > 32 {
		return bad("802-11-wireless.ssid", "SSID length is out of range <1-32> bytes")
	}
	if b, ok := s["802-11-wireless"]["bssid"]; ok {
		if mac, _ := b.Value().([]byte); len(mac) != 6 {
			return bad("802-11-wireless.bssid", "property is invalid")
		}
	}
	if sec, ok := s["802-11-wireless-security"]; ok {
		km, _ := sec["key-mgmt"].Value().(string)
		psk, _ := sec["psk"].Value().(string)
		switch km {
		case "wpa-psk":
			if !(len(psk) >= 8 && len(psk) <= 63) && !(len(psk) == 64 && isHex(psk)) {
				why := "property is invalid"
				if f.sc.EchoSecrets {
					why += " (psk '" + psk + "')"
				}
				return bad("802-11-wireless-security.psk", why)
			}
		case "sae":
			if psk == "" {
				return bad("802-11-wireless-security.psk", "property is missing")
			}
		case "none", "owe", "wpa-eap", "ieee8021x":
		default:
			return bad("802-11-wireless-security.key-mgmt", "'"+km+"' is not a valid value for the property")
		}
		if f.sc.EchoSecrets && psk != "" {
			return dbusErr(ErrInvalidProperty, "802-11-wireless-security.psk: secret '"+psk+"' rejected")
		}
	}
	if u, ok := s["user"]; ok {
		data, ok := u["data"].Value().(map[string]string)
		if !ok {
			return bad("user.data", "not a string dictionary")
		}
		for k := range data {
			if !validUserKey(k) {
				return bad("user.data", "invalid key '"+k+"'")
			}
		}
	}
	return nil
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

// ---- activation ---------------------------------------------------------------

func (f *Fake) addAndActivate2(m dbus.Message, settings map[string]map[string]dbus.Variant, dev, specific dbus.ObjectPath, opts map[string]dbus.Variant) (dbus.ObjectPath, dbus.ObjectPath, map[string]dbus.Variant, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if msgPath(m) != pathNM || f.objs[svcNM] == nil {
		return "", "", nil, noObject(msgPath(m))
	}
	a := decodeActivation(dev, settings, opts)
	f.activations = append(f.activations, a)
	if f.sc.DenyActivate {
		return "", "", nil, dbusErr(ErrPermissionDenied, "Not authorized to control networking.")
	}
	if f.sc.ActivateError != nil {
		return "", "", nil, f.sc.ActivateError
	}
	d := f.devByPath(dev)
	if d == nil {
		return "", "", nil, dbusErr(ErrUnknownDevice, "Device not found")
	}
	if err := f.validate(settings); err != nil {
		return "", "", nil, err
	}
	if err := boundElsewhere(settings, d); err != nil {
		return "", "", nil, err
	}
	switch a.Persist {
	case "", "disk", "memory", "volatile":
	default:
		return "", "", nil, dbusErr(ErrInvalidArguments, "Option \"persist\" must be one of \"disk\", \"memory\" or \"volatile\"")
	}
	if d.state < DevDisconnected {
		why := "device is not available"
		if d.spec.Unmanaged {
			why = "device is strictly unmanaged"
		}
		return "", "", nil, dbusErr(ErrUnknownDevice,
			fmt.Sprintf("No suitable device found for this connection (device %s not available because %s).", d.spec.Ifname, why))
	}
	cp := f.newPath(string(pathSet))
	var flags uint32
	switch a.Persist {
	case "volatile":
		flags = 0x1 | 0x4 // unsaved | volatile
	case "memory":
		flags = 0x1
	}
	f.profiles[cp] = &profile{settings: settings, flags: flags}
	f.objs[svcNM][cp] = map[string]map[string]dbus.Variant{ifConn: {
		"Flags": dbus.MakeVariant(flags), "Unsaved": dbus.MakeVariant(flags&0x1 != 0)}}
	f.emit(svcNM, pathSet, ifSettings+".NewConnection", cp)
	f.setProp(svcNM, pathSet, ifSettings, "Connections", f.profilePaths())
	ac := f.startActive(d, cp, settings, f.sc.OnActivate)
	return cp, ac.path, map[string]dbus.Variant{}, nil
}

func (f *Fake) activateConnection(m dbus.Message, conn, dev, specific dbus.ObjectPath) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sc.DenyActivate {
		return "", dbusErr(ErrPermissionDenied, "Not authorized to control networking.")
	}
	pr := f.profiles[conn]
	d := f.devByPath(dev)
	if pr == nil || d == nil || f.objs[svcNM] == nil {
		return "", dbusErr("org.freedesktop.NetworkManager.UnknownConnection", "Connection or device not found")
	}
	if err := boundElsewhere(pr.settings, d); err != nil {
		return "", err
	}
	return f.startActive(d, conn, pr.settings, f.sc.OnReactivate).path, nil
}

// startActive creates an active connection on d and runs script on it;
// f.mu is held.
func (f *Fake) startActive(d *fdev, conn dbus.ObjectPath, settings map[string]map[string]dbus.Variant, script Script) *activeConn {
	ac := f.newActive(d, conn, settings)
	f.runScript(d, ac, script)
	return ac
}

// newActive creates an active connection on d, first taking down the one
// there as NetworkManager does for a new activation (device deactivating and
// disconnected with reason 60, new-activation); f.mu is held.
func (f *Fake) newActive(d *fdev, conn dbus.ObjectPath, settings map[string]map[string]dbus.Variant) *activeConn {
	for _, old := range f.acs {
		if old.dev == d {
			f.setDeviceState(d, DevDeactivating, 60)
			f.setACState(old, ACDeactivated, 2)
			f.setDeviceState(d, DevDisconnected, 60)
		}
	}
	ac := &activeConn{path: f.newPath("/org/freedesktop/NetworkManager/ActiveConnection"), conn: conn, dev: d}
	_, ac.secured = settings["802-11-wireless-security"]
	ac.ssid, _ = settings["802-11-wireless"]["ssid"].Value().([]byte)
	f.acs[ac.path] = ac
	id, _ := settings["connection"]["id"].Value().(string)
	uuid, _ := settings["connection"]["uuid"].Value().(string)
	f.objs[svcNM][ac.path] = map[string]map[string]dbus.Variant{ifActive: {
		"Connection":     dbus.MakeVariant(conn),
		"Devices":        dbus.MakeVariant([]dbus.ObjectPath{d.path}),
		"State":          dbus.MakeVariant(uint32(0)),
		"Id":             dbus.MakeVariant(id),
		"Uuid":           dbus.MakeVariant(uuid),
		"Type":           dbus.MakeVariant("802-11-wireless"),
		"SpecificObject": dbus.MakeVariant(dbus.ObjectPath("/")),
	}}
	f.setProp(svcNM, pathNM, ifNM, "ActiveConnections", f.acPaths())
	f.setProp(svcNM, d.path, ifDevice, "ActiveConnection", ac.path)
	return ac
}

// addProfileLocked stores a profile with settings and announces it; f.mu is
// held.
func (f *Fake) addProfileLocked(settings map[string]map[string]dbus.Variant) dbus.ObjectPath {
	p := f.newPath(string(pathSet))
	f.profiles[p] = &profile{settings: settings}
	if f.objs[svcNM] != nil {
		f.objs[svcNM][p] = map[string]map[string]dbus.Variant{ifConn: {
			"Flags": dbus.MakeVariant(uint32(0)), "Unsaved": dbus.MakeVariant(false)}}
		f.emit(svcNM, pathSet, ifSettings+".NewConnection", p)
	}
	return p
}

// OpenProfile returns the settings of a stored, autoconnecting profile for
// an open network, as a user's or the distribution's own profile would be.
func OpenProfile(id string, ssid []byte) map[string]map[string]dbus.Variant {
	return map[string]map[string]dbus.Variant{
		"connection":      {"id": dbus.MakeVariant(id), "type": dbus.MakeVariant("802-11-wireless"), "uuid": dbus.MakeVariant("5a1c0ffe-0000-4000-8000-" + fmt.Sprintf("%012x", len(id)))},
		"802-11-wireless": {"ssid": dbus.MakeVariant(ssid), "mode": dbus.MakeVariant("infrastructure")},
	}
}

// ActivateOther activates a profile with settings on ifname as another
// client (nmcli, the desktop, a second hotspotctl) would: the active
// connection there is taken down with reason 60 (new-activation), and script
// then plays on the new one. It can be called from a Step.Do function.
func (f *Fake) ActivateOther(ifname string, settings map[string]map[string]dbus.Variant, script Script) dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil || f.objs[svcNM] == nil {
		return ""
	}
	ac := f.newActive(d, f.addProfileLocked(settings), settings)
	f.runScript(d, ac, script)
	return ac.path
}

// DeactivateAll deactivates every active connection on ifname the way
// another client's DeactivateConnection does (nmcli connection down): device
// deactivating and disconnected with reason 39 (user-requested), the active
// connection deactivated with reason 2 (user-disconnected). It can be called
// from a Step.Do function.
func (f *Fake) DeactivateAll(ifname string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	for _, ac := range f.acs {
		if ac.dev == d {
			f.setDeviceState(d, DevDeactivating, 39)
			f.setACState(ac, ACDeactivating, 2)
			f.setACState(ac, ACDeactivated, 2)
			f.setDeviceState(d, DevDisconnected, 39)
		}
	}
}

// autoconnect plays script at once on a new active connection of a stored
// profile with settings, the way NetworkManager autoconnects a profile on an
// idle device when a scan shows its network; f.mu is held. Steps are applied
// in order without their delays (only plain steps: no Do, no nested
// scripts), so the whole activation is on the bus before the scan's ScanDone.
func (f *Fake) autoconnect(d *fdev, settings map[string]map[string]dbus.Variant, script Script) {
	ac := f.newActive(d, f.addProfileLocked(settings), settings)
	for _, st := range script {
		if st.TargetBSS {
			for _, p := range d.aps {
				if ap := d.apSpecs[p]; string(ap.SSID) == string(ac.ssid) {
					f.apply(d, ac, CurrentBSS(ap.BSSID))
					break
				}
			}
			continue
		}
		f.apply(d, ac, st)
	}
}

func (f *Fake) acPaths() []dbus.ObjectPath {
	var ps []dbus.ObjectPath
	for p := range f.acs {
		ps = append(ps, p)
	}
	slices.Sort(ps)
	return ps
}

func (f *Fake) deactivateConnection(m dbus.Message, active dbus.ObjectPath) *dbus.Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sc.DenyActivate {
		return dbusErr(ErrPermissionDenied, "Not authorized to deactivate connections")
	}
	f.deactivations = append(f.deactivations, active)
	ac := f.acs[active]
	if ac == nil {
		return dbusErr(ErrConnNotActive, "The connection was not active.")
	}
	if ac.agentOpen {
		ac.agentOpen = false
		f.agentCancelled++
	}
	f.setDeviceState(ac.dev, DevDeactivating, 39)
	f.setACState(ac, ACDeactivating, 2)
	f.setACState(ac, ACDeactivated, 2)
	f.setDeviceState(ac.dev, DevDisconnected, 39)
	return nil
}

func (f *Fake) setDeviceState(d *fdev, state, reason uint32) {
	old := d.state
	d.state = state
	if d.path == "" || f.objs[svcNM][d.path] == nil {
		return
	}
	f.objs[svcNM][d.path][ifDevice]["State"] = dbus.MakeVariant(state)
	f.emit(svcNM, d.path, ifDevice+".StateChanged", state, old, reason)
	f.setProp(svcNM, d.path, ifDevice, "StateReason", stateReason{state, reason})
	if state == DevFailed || state <= DevDisconnected {
		f.setProp(svcNM, d.path, ifDevice, "Ip4Config", dbus.ObjectPath("/"))
		if d.wifi() {
			f.setProp(svcNM, d.path, ifWireless, "ActiveAccessPoint", dbus.ObjectPath("/"))
		}
	}
}

func (f *Fake) setACState(ac *activeConn, state, reason uint32) {
	if f.objs[svcNM][ac.path] == nil {
		return
	}
	f.objs[svcNM][ac.path][ifActive]["State"] = dbus.MakeVariant(state)
	f.emit(svcNM, ac.path, ifActive+".StateChanged", state, reason)
	f.setProp(svcNM, ac.path, ifActive, "State", state)
	if state != ACDeactivated {
		return
	}
	delete(f.acs, ac.path)
	delete(f.objs[svcNM], ac.path)
	f.setProp(svcNM, pathNM, ifNM, "ActiveConnections", f.acPaths())
	if cur, _ := f.prop(svcNM, ac.dev.path, ifDevice, "ActiveConnection").(dbus.ObjectPath); cur == ac.path {
		f.setProp(svcNM, ac.dev.path, ifDevice, "ActiveConnection", dbus.ObjectPath("/"))
	}
	if pr := f.profiles[ac.conn]; pr != nil && pr.flags&0x4 != 0 {
		f.removeProfile(ac.conn)
	}
}

func decodeActivation(dev dbus.ObjectPath, s map[string]map[string]dbus.Variant, opts map[string]dbus.Variant) Activation {
	a := Activation{Device: dev, Settings: s, Options: opts}
	a.ID, _ = s["connection"]["id"].Value().(string)
	a.UUID, _ = s["connection"]["uuid"].Value().(string)
	a.Type, _ = s["connection"]["type"].Value().(string)
	a.Autoconnect = true // NetworkManager's default
	if v, ok := s["connection"]["autoconnect"].Value().(bool); ok {
		a.Autoconnect = v
	}
	a.SSID, _ = s["802-11-wireless"]["ssid"].Value().([]byte)
	a.Hidden, _ = s["802-11-wireless"]["hidden"].Value().(bool)
	a.BSSID, _ = s["802-11-wireless"]["bssid"].Value().([]byte)
	a.KeyMgmt, _ = s["802-11-wireless-security"]["key-mgmt"].Value().(string)
	a.PSK, _ = s["802-11-wireless-security"]["psk"].Value().(string)
	a.Persist, _ = opts["persist"].Value().(string)
	a.BindActivation, _ = opts["bind-activation"].Value().(string)
	a.UserData, _ = s["user"]["data"].Value().(map[string]string)
	return a
}

// ---- scripts ------------------------------------------------------------------

// runScript plays script on d (and ac, which may be nil) in a goroutine;
// f.mu is held.
func (f *Fake) runScript(d *fdev, ac *activeConn, script Script) {
	script = slices.Clone(script)
	if f.closed {
		return
	}
	f.wg.Add(1)
	f.running++
	go func() {
		defer f.wg.Done()
		defer f.done()
		f.play(d, ac, script)
	}()
}

func (f *Fake) play(d *fdev, ac *activeConn, script Script) {
	for _, st := range script {
		if st.Delay > 0 {
			select {
			case <-f.ctx.Done():
				return
			case <-time.After(st.Delay):
			}
		}
		if f.ctx.Err() != nil {
			return
		}
		switch {
		case st.IfSecured != nil || st.IfOpen != nil:
			if ac != nil && ac.secured {
				f.play(d, ac, st.IfSecured)
			} else if ac != nil {
				f.play(d, ac, st.IfOpen)
			}
			continue
		case st.TargetBSS:
			f.mu.Lock()
			if ac != nil {
				for _, p := range d.aps {
					if ap := d.apSpecs[p]; string(ap.SSID) == string(ac.ssid) {
						f.apply(d, ac, CurrentBSS(ap.BSSID))
						break
					}
				}
			}
			f.mu.Unlock()
			continue
		case st.StopNM:
			f.StopNM()
			continue
		case st.StartNM:
			_ = f.StartNM()
			continue
		case st.Do != nil:
			st.Do(f)
			continue
		case st.Radio != nil:
			f.SetWirelessEnabled(*st.Radio)
			continue
		}
		f.mu.Lock()
		f.apply(d, ac, st)
		f.mu.Unlock()
	}
}

// apply performs one step; f.mu is held.
func (f *Fake) apply(d *fdev, ac *activeConn, st Step) {
	switch {
	case st.Device != nil && st.Quiet:
		d.state = st.Device.State
		if d.path != "" && f.objs[svcNM][d.path] != nil {
			f.objs[svcNM][d.path][ifDevice]["State"] = dbus.MakeVariant(st.Device.State)
		}
	case st.Device != nil:
		f.setDeviceState(d, st.Device.State, st.Device.Reason)
	case st.Active != nil:
		if ac != nil && f.acs[ac.path] == ac {
			f.setACState(ac, st.Active.State, st.Active.Reason)
		}
	case st.Supplicant != "":
		f.setProp(svcSup, d.sup, ifSupIface, "State", st.Supplicant)
	case st.AuthStatus != nil:
		f.setProp(svcSup, d.sup, ifSupIface, "AuthStatusCode", *st.AuthStatus)
	case st.AssocStatus != nil:
		f.setProp(svcSup, d.sup, ifSupIface, "AssocStatusCode", *st.AssocStatus)
	case st.Disconnect != nil:
		f.setProp(svcSup, d.sup, ifSupIface, "DisconnectReason", *st.Disconnect)
	case st.CurrentBSS != "":
		if p, ok := d.bss[strings.ToLower(st.CurrentBSS)]; ok {
			f.setProp(svcSup, d.sup, ifSupIface, "CurrentBSS", p)
		}
		for _, p := range d.aps {
			if strings.EqualFold(d.apSpecs[p].BSSID, st.CurrentBSS) {
				f.setProp(svcNM, d.path, ifWireless, "ActiveAccessPoint", p)
			}
		}
	case st.PskMismatch:
		if d.sup != "" {
			f.emit(svcSup, d.sup, ifSupIface+".PskMismatch")
		}
	case st.ScanDone != nil:
		if d.sup != "" {
			f.emit(svcSup, d.sup, ifSupIface+".ScanDone", *st.ScanDone)
		}
	case st.IP4 != "":
		f.setIP4(d, st.IP4)
	case st.AskAgent:
		if ac != nil && f.acs[ac.path] == ac && !ac.agentOpen {
			ac.agentOpen = true
			f.agentAsked++
		}
	}
}

func (f *Fake) setIP4(d *fdev, cidr string) {
	ip, n, err := net.ParseCIDR(cidr)
	if err != nil || f.objs[svcNM] == nil {
		return
	}
	ones, _ := n.Mask.Size()
	p := f.newPath("/org/freedesktop/NetworkManager/IP4Config")
	f.objs[svcNM][p] = map[string]map[string]dbus.Variant{ifIP4: {
		"AddressData": dbus.MakeVariant([]map[string]dbus.Variant{{
			"address": dbus.MakeVariant(ip.String()), "prefix": dbus.MakeVariant(uint32(ones))}}),
	}}
	f.setProp(svcNM, d.path, ifDevice, "Ip4Config", p)
}

// ---- controls -----------------------------------------------------------------

// SetWirelessEnabled flips NetworkManager's WirelessEnabled; Wi-Fi devices
// go unavailable when it is off and back to disconnected when it is on.
func (f *Fake) SetWirelessEnabled(on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.wireless == on {
		return
	}
	f.wireless = on
	f.setProp(svcNM, pathNM, ifNM, "WirelessEnabled", on)
	for _, d := range f.devs {
		if !d.wifi() || d.spec.Unmanaged {
			continue
		}
		if !on {
			for _, ac := range f.acs {
				if ac.dev == d {
					f.setACState(ac, ACDeactivated, 3)
				}
			}
			f.setDeviceState(d, DevUnavailable, 0)
		} else if f.hwWireless {
			f.setDeviceState(d, DevDisconnected, 42)
		}
	}
}

// SetManaged changes whether NetworkManager manages ifname. Unmanaging ends
// its active connection and moves it to unmanaged with reason 36 (removed),
// which is what NetworkManager 1.42 reported in the lab for
// "nmcli dev set wlan0 managed no"; managing it again moves it to
// unavailable, then disconnected (or stays unavailable with the radio off).
func (f *Fake) SetManaged(ifname string, managed bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil || d.spec.Unmanaged == !managed {
		return
	}
	d.spec.Unmanaged = !managed
	f.setProp(svcNM, d.path, ifDevice, "Managed", managed)
	if !managed {
		for _, ac := range f.acs {
			if ac.dev == d {
				f.setACState(ac, ACDeactivated, 3)
			}
		}
		f.setDeviceState(d, DevUnmanaged, 36)
		return
	}
	f.setDeviceState(d, DevUnavailable, 2)
	if f.wireless || !d.wifi() {
		f.setDeviceState(d, DevDisconnected, 42)
	}
}

// Play runs script now on the device named ifname, outside any activation
// (Active steps are ignored), and returns when it has finished.
func (f *Fake) Play(ifname string, script Script) {
	f.mu.Lock()
	d := f.devByName(ifname)
	f.mu.Unlock()
	if d == nil {
		panic("nmtest: no device " + ifname)
	}
	f.play(d, nil, script)
}

// Activations returns what AddAndActivateConnection2 received, in order.
func (f *Fake) Activations() []Activation {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.activations)
}

// Deactivations returns the active connections DeactivateConnection was
// called for, in order.
func (f *Fake) Deactivations() []dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.deactivations)
}

// AgentRequests returns how many secret-agent requests (Step.AskAgent) were
// made and how many a deactivation cancelled.
func (f *Fake) AgentRequests() (asked, cancelled int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agentAsked, f.agentCancelled
}

// ScanRequests returns the RequestScan calls received, in order.
func (f *Fake) ScanRequests() []ScanRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.scanReqs)
}

// DevicePath returns the current NetworkManager object path of ifname.
func (f *Fake) DevicePath(ifname string) dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	if d := f.devByName(ifname); d != nil {
		return d.path
	}
	return ""
}

// StoredProfile is one connection profile as the fake NetworkManager holds
// it, secrets included (tests check where a secret went).
type StoredProfile struct {
	Path dbus.ObjectPath
	ID   string
	UUID string
	SSID []byte
	// Ifname is connection.interface-name.
	Ifname      string
	Permissions []string
	PSK         string
	// OnDisk is false for in-memory profiles (NM_SETTINGS_CONNECTION_FLAG_UNSAVED);
	// Volatile ones are deleted when they deactivate.
	OnDisk, Volatile bool
}

// Profiles returns every profile, ordered by path (creation order).
func (f *Fake) Profiles() []StoredProfile {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []StoredProfile
	for _, p := range f.profilePaths() {
		pr := f.profiles[p]
		c, w := pr.settings["connection"], pr.settings["802-11-wireless"]
		sp := StoredProfile{Path: p, OnDisk: pr.flags&0x1 == 0, Volatile: pr.flags&0x4 != 0}
		sp.ID, _ = c["id"].Value().(string)
		sp.UUID, _ = c["uuid"].Value().(string)
		sp.Ifname, _ = c["interface-name"].Value().(string)
		sp.Permissions, _ = c["permissions"].Value().([]string)
		sp.SSID, _ = w["ssid"].Value().([]byte)
		sp.PSK, _ = pr.settings["802-11-wireless-security"]["psk"].Value().(string)
		out = append(out, sp)
	}
	return out
}

// ActivateProfile activates the stored profile at p on ifname as
// ActivateConnection does (running Scenario.OnReactivate), for a test's
// starting state: "the device was connected to the user's network".
func (f *Fake) ActivateProfile(ifname string, p dbus.ObjectPath) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	pr := f.profiles[p]
	if d == nil || pr == nil {
		panic(fmt.Sprintf("nmtest: ActivateProfile(%q, %q): no such device or profile", ifname, p))
	}
	f.startActive(d, p, pr.settings, f.sc.OnReactivate)
}

// ActiveProfile returns the profile of ifname's active connection, "" when none.
func (f *Fake) ActiveProfile(ifname string) dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ac := range f.acs {
		if ac.dev.spec.Ifname == ifname {
			return ac.conn
		}
	}
	return ""
}

// ProfileCount returns how many connection profiles NetworkManager has.
func (f *Fake) ProfileCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.profiles)
}

// AddProfile adds a stored profile with these settings (for example one
// that is not hotspotctl's) and returns its path.
func (f *Fake) AddProfile(settings map[string]map[string]dbus.Variant) dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.addProfileLocked(settings)
}

func (f *Fake) done() {
	f.mu.Lock()
	f.running--
	f.mu.Unlock()
}

// WaitIdle waits until every running script and pending scan has finished.
// It must not be called from a Step.Do function.
func (f *Fake) WaitIdle() {
	for {
		f.mu.Lock()
		n := f.running
		f.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
