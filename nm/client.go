package nm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Well-known D-Bus names, paths and interfaces used by this package.
const (
	BusNM          = "org.freedesktop.NetworkManager"
	BusSupplicant  = "fi.w1.wpa_supplicant1"
	PathNM         = dbus.ObjectPath("/org/freedesktop/NetworkManager")
	PathSettings   = dbus.ObjectPath("/org/freedesktop/NetworkManager/Settings")
	PathSupplicant = dbus.ObjectPath("/fi/w1/wpa_supplicant1")

	ifaceNM           = "org.freedesktop.NetworkManager"
	ifaceDevice       = "org.freedesktop.NetworkManager.Device"
	ifaceWireless     = "org.freedesktop.NetworkManager.Device.Wireless"
	ifaceAP           = "org.freedesktop.NetworkManager.AccessPoint"
	ifaceActive       = "org.freedesktop.NetworkManager.Connection.Active"
	ifaceSettings     = "org.freedesktop.NetworkManager.Settings"
	ifaceSettingsConn = "org.freedesktop.NetworkManager.Settings.Connection"
	ifaceIP4          = "org.freedesktop.NetworkManager.IP4Config"
	ifaceProps        = "org.freedesktop.DBus.Properties"
	ifaceDBus         = "org.freedesktop.DBus"
	ifaceSup          = "fi.w1.wpa_supplicant1"
	ifaceSupIface     = "fi.w1.wpa_supplicant1.Interface"
	ifaceSupBSS       = "fi.w1.wpa_supplicant1.BSS"

	// NMDeviceType NM_DEVICE_TYPE_WIFI.
	deviceTypeWifi = 2
)

// BusConn is the part of *dbus.Conn the Client uses. Signals are delivered to
// channels registered with Signal; for Events to keep the order that
// classification depends on, the connection must have been created with
// dbus.WithSignalHandler(dbus.NewSequentialSignalHandler()) (Dial does that).
// godbus's default handler may reorder signals when a channel is slow.
type BusConn interface {
	Object(dest string, path dbus.ObjectPath) dbus.BusObject
	AddMatchSignalContext(ctx context.Context, options ...dbus.MatchOption) error
	RemoveMatchSignalContext(ctx context.Context, options ...dbus.MatchOption) error
	Signal(ch chan<- *dbus.Signal)
	RemoveSignal(ch chan<- *dbus.Signal)
}

var _ BusConn = (*dbus.Conn)(nil)

// API is everything Client does, for callers that want to substitute it.
type API interface {
	Ping(ctx context.Context) error
	WaitRunning(ctx context.Context, interval time.Duration) error
	Radio(ctx context.Context) (enabled, hwEnabled bool, err error)
	WifiDevices(ctx context.Context) ([]Device, error)
	Device(ctx context.Context, ifname string) (Device, error)
	AccessPoints(ctx context.Context, dev Device) ([]AccessPoint, error)
	RequestScan(ctx context.Context, dev Device, ssids [][]byte) (ScanResult, error)
	Events(ctx context.Context, dev Device) (<-chan diagnostics.Event, func(), error)
	Activate(ctx context.Context, req ActivateRequest) (Activation, error)
	Deactivate(ctx context.Context, active dbus.ObjectPath) error
	Profiles(ctx context.Context) ([]Profile, error)
	Forget(ctx context.Context, ssid []byte) (int, error)
	Status(ctx context.Context, dev Device) (Status, error)
	IP4(ctx context.Context, dev Device) (string, error)
}

var _ API = (*Client)(nil)

// Client talks to NetworkManager and wpa_supplicant over one bus connection.
// It is safe for concurrent use.
type Client struct {
	conn       BusConn
	now        func() time.Time
	eventBuf   int
	scanWait   time.Duration
	supBusName string
	nmBusName  string
}

// Option configures a Client.
type Option func(*Client)

// WithClock sets the clock used to stamp events and scan records.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// WithEventBuffer sets the capacity of the channel returned by Events
// (default 256). When it is full, events are dropped and counted in a
// KindNote rather than blocking the D-Bus reader.
func WithEventBuffer(n int) Option { return func(c *Client) { c.eventBuf = n } }

// WithScanTimeout bounds RequestScan's wait for ScanDone when ctx has no
// deadline (default 30s).
func WithScanTimeout(d time.Duration) Option { return func(c *Client) { c.scanWait = d } }

// NewClient returns a Client using conn, which it never closes. See BusConn for the
// signal handler conn must use.
func NewClient(conn BusConn, opts ...Option) *Client {
	c := &Client{conn: conn, now: time.Now, eventBuf: 256, scanWait: 30 * time.Second,
		nmBusName: BusNM, supBusName: BusSupplicant}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Dial connects to the system bus with the sequential signal handler Events
// needs. The caller closes the connection. ctx bounds the connection set-up.
func Dial(ctx context.Context) (*dbus.Conn, error) {
	return dialWith(ctx, func() (*dbus.Conn, error) {
		return dbus.ConnectSystemBus(dbus.WithSignalHandler(dbus.NewSequentialSignalHandler()))
	})
}

// DialAddress is Dial for a bus at a given address (tests, private buses).
func DialAddress(ctx context.Context, address string) (*dbus.Conn, error) {
	return dialWith(ctx, func() (*dbus.Conn, error) {
		return dbus.Connect(address, dbus.WithSignalHandler(dbus.NewSequentialSignalHandler()))
	})
}

func dialWith(ctx context.Context, connect func() (*dbus.Conn, error)) (*dbus.Conn, error) {
	type res struct {
		c   *dbus.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := connect()
		ch <- res{c, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, wrap("dial", r.err)
		}
		return r.c, nil
	case <-ctx.Done():
		go func() {
			if r := <-ch; r.c != nil {
				r.c.Close()
			}
		}()
		return nil, wrap("dial", ctx.Err())
	}
}

// BusError is a D-Bus error reply with its message redacted of secrets.
type BusError struct {
	Name    string // e.g. org.freedesktop.NetworkManager.Device.NotAllowed
	Message string
}

func (e *BusError) Error() string {
	if e.Message == "" {
		return e.Name
	}
	return e.Name + ": " + e.Message
}

// Names of D-Bus errors this package maps.
const (
	errServiceUnknown   = "org.freedesktop.DBus.Error.ServiceUnknown"
	errNameHasNoOwner   = "org.freedesktop.DBus.Error.NameHasNoOwner"
	errNoReply          = "org.freedesktop.DBus.Error.NoReply"
	errTimeout          = "org.freedesktop.DBus.Error.Timeout"
	errTimedOut         = "org.freedesktop.DBus.Error.TimedOut"
	errDisconnected     = "org.freedesktop.DBus.Error.Disconnected"
	errUnknownObject    = "org.freedesktop.DBus.Error.UnknownObject"
	errUnknownMethod    = "org.freedesktop.DBus.Error.UnknownMethod"
	errAccessDenied     = "org.freedesktop.DBus.Error.AccessDenied"
	errNMPermission     = "org.freedesktop.NetworkManager.PermissionDenied"
	errNMDevNotAllowed  = "org.freedesktop.NetworkManager.Device.NotAllowed"
	errNMConnNotActive  = "org.freedesktop.NetworkManager.ConnectionNotActive"
	errSupInvalidIface  = "fi.w1.wpa_supplicant1.InterfaceUnknown"
	errNMSettingsPerm   = "org.freedesktop.NetworkManager.Settings.PermissionDenied"
	errNMDevicePermDeny = "org.freedesktop.NetworkManager.Device.PermissionDenied"
)

// busError converts err to a *BusError when it is a D-Bus error reply,
// redacting secrets from its text.
func busError(err error, secrets ...string) (*BusError, bool) {
	var de dbus.Error
	var dp *dbus.Error
	switch {
	case errors.As(err, &dp) && dp != nil:
		de = *dp
	case errors.As(err, &de):
	default:
		return nil, false
	}
	msg := ""
	if len(de.Body) > 0 {
		if s, ok := de.Body[0].(string); ok {
			msg = s
		} else {
			msg = fmt.Sprint(de.Body...)
		}
	}
	return &BusError{Name: de.Name, Message: diagnostics.Redact(msg, secrets...)}, true
}

// mapErr wraps err for op, mapping D-Bus errors onto the sentinels and
// removing secrets from any text that NetworkManager echoed.
func mapErr(op string, err error, secrets ...string) error {
	if err == nil {
		return nil
	}
	var already *Error
	if errors.As(err, &already) {
		return err
	}
	be, ok := busError(err, secrets...)
	if !ok {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return wrap(op, err)
		}
		return wrap(op, errors.New(diagnostics.Redact(err.Error(), secrets...)))
	}
	lower := strings.ToLower(be.Message)
	switch {
	case be.Name == errServiceUnknown || be.Name == errNameHasNoOwner || be.Name == errNoReply ||
		be.Name == errTimeout || be.Name == errTimedOut || be.Name == errDisconnected:
		return wrap(op, fmt.Errorf("%w (%w)", ErrNotRunning, be))
	case be.Name == errNMPermission || be.Name == errNMSettingsPerm || be.Name == errNMDevicePermDeny ||
		be.Name == errAccessDenied || strings.HasSuffix(be.Name, ".PermissionDenied") ||
		strings.HasSuffix(be.Name, ".AccessDenied") || strings.Contains(lower, "not authorized"):
		return wrap(op, fmt.Errorf("%w (%w)", ErrPermission, be))
	case strings.Contains(lower, "not available because") && strings.Contains(lower, "unmanaged"):
		return wrap(op, fmt.Errorf("%w (%w)", ErrUnmanaged, be))
	case strings.Contains(lower, "not available because"):
		return wrap(op, fmt.Errorf("%w (%w)", ErrDeviceUnavailable, be))
	}
	return wrap(op, be)
}

func (c *Client) nm(path dbus.ObjectPath) dbus.BusObject  { return c.conn.Object(c.nmBusName, path) }
func (c *Client) sup(path dbus.ObjectPath) dbus.BusObject { return c.conn.Object(c.supBusName, path) }

func getProp(ctx context.Context, obj dbus.BusObject, iface, name string) (dbus.Variant, error) {
	var v dbus.Variant
	err := obj.CallWithContext(ctx, ifaceProps+".Get", 0, iface, name).Store(&v)
	return v, err
}

func getAll(ctx context.Context, obj dbus.BusObject, iface string) (map[string]dbus.Variant, error) {
	var m map[string]dbus.Variant
	err := obj.CallWithContext(ctx, ifaceProps+".GetAll", 0, iface).Store(&m)
	return m, err
}

// Typed accessors for property maps; a missing or mistyped value is zero.
func vString(m map[string]dbus.Variant, k string) string { s, _ := m[k].Value().(string); return s }
func vUint32(m map[string]dbus.Variant, k string) uint32 { u, _ := m[k].Value().(uint32); return u }
func vInt32(m map[string]dbus.Variant, k string) int32   { i, _ := m[k].Value().(int32); return i }
func vBool(m map[string]dbus.Variant, k string) bool     { b, _ := m[k].Value().(bool); return b }
func vBytes(m map[string]dbus.Variant, k string) []byte  { b, _ := m[k].Value().([]byte); return b }
func vByte(m map[string]dbus.Variant, k string) uint8    { b, _ := m[k].Value().(uint8); return b }
func vPath(m map[string]dbus.Variant, k string) dbus.ObjectPath {
	p, _ := m[k].Value().(dbus.ObjectPath)
	return p
}

// Ping checks that NetworkManager answers. ErrNotRunning when its name has
// no owner or it does not answer before ctx's deadline.
func (c *Client) Ping(ctx context.Context) error {
	var v dbus.Variant
	err := c.nm(PathNM).CallWithContext(ctx, ifaceProps+".Get", dbus.FlagNoAutoStart, ifaceNM, "Version").Store(&v)
	if err != nil && (errors.Is(err, context.DeadlineExceeded)) {
		return wrap("ping", fmt.Errorf("%w (%w)", ErrNotRunning, err))
	}
	return mapErr("ping", err)
}

// WaitRunning waits until NetworkManager answers Ping, checking every
// interval (at least 50ms), for example while it restarts. It returns nil at
// once when NetworkManager is running, and ErrNotRunning when ctx ends
// first. After a restart NetworkManager owns its name before it has
// realized its devices, so a caller may still see ErrNoDevice for a moment.
func (c *Client) WaitRunning(ctx context.Context, interval time.Duration) error {
	interval = max(interval, 50*time.Millisecond)
	for {
		pctx, cancel := context.WithTimeout(ctx, max(interval, time.Second))
		err := c.Ping(pctx)
		cancel()
		if err == nil || !errors.Is(err, ErrNotRunning) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(interval):
		}
	}
}

// Radio returns NetworkManager's WirelessEnabled and WirelessHardwareEnabled.
func (c *Client) Radio(ctx context.Context) (enabled, hwEnabled bool, err error) {
	m, err := getAll(ctx, c.nm(PathNM), ifaceNM)
	if err != nil {
		return false, false, mapErr("radio", err)
	}
	return vBool(m, "WirelessEnabled"), vBool(m, "WirelessHardwareEnabled"), nil
}

func (c *Client) device(ctx context.Context, path dbus.ObjectPath) (Device, uint32, error) {
	m, err := getAll(ctx, c.nm(path), ifaceDevice)
	if err != nil {
		return Device{}, 0, err
	}
	return Device{
		Path:      path,
		Ifname:    vString(m, "Interface"),
		State:     vUint32(m, "State"),
		Managed:   vBool(m, "Managed"),
		HwAddress: strings.ToLower(vString(m, "HwAddress")),
		Driver:    vString(m, "Driver"),
	}, vUint32(m, "DeviceType"), nil
}

// WifiDevices lists NetworkManager's realized Wi-Fi devices, managed or not,
// sorted by interface name.
func (c *Client) WifiDevices(ctx context.Context) ([]Device, error) {
	devs, err := c.wifiDevices(ctx)
	return devs, mapErr("wifi devices", err)
}

func (c *Client) wifiDevices(ctx context.Context) ([]Device, error) {
	var paths []dbus.ObjectPath
	if err := c.nm(PathNM).CallWithContext(ctx, ifaceNM+".GetDevices", 0).Store(&paths); err != nil {
		return nil, err
	}
	var out []Device
	for _, p := range paths {
		d, typ, err := c.device(ctx, p)
		if err != nil {
			if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
				continue // removed between the two calls
			}
			return nil, err
		}
		if typ == deviceTypeWifi {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ifname < out[j].Ifname })
	return out, nil
}

// Device returns the Wi-Fi device named ifname. With ifname "" it returns
// the only managed Wi-Fi device (or, when no device is managed, the only
// Wi-Fi device), ErrAmbiguousDevice when there are several and ErrNoDevice
// when there is none. An unmanaged device is returned with Managed false:
// the caller decides whether that is ErrUnmanaged.
func (c *Client) Device(ctx context.Context, ifname string) (Device, error) {
	devs, err := c.wifiDevices(ctx)
	if err != nil {
		return Device{}, mapErr("device", err)
	}
	if ifname != "" {
		for _, d := range devs {
			if d.Ifname == ifname {
				return d, nil
			}
		}
		return Device{}, wrap("device", fmt.Errorf("%w: %q", ErrNoDevice, ifname))
	}
	var managed []Device
	for _, d := range devs {
		if d.Managed {
			managed = append(managed, d)
		}
	}
	pick := managed
	if len(managed) == 0 {
		pick = devs
	}
	switch len(pick) {
	case 0:
		return Device{}, wrap("device", ErrNoDevice)
	case 1:
		return pick[0], nil
	}
	names := make([]string, len(pick))
	for i, d := range pick {
		names[i] = d.Ifname
	}
	return Device{}, wrap("device", fmt.Errorf("%w: %s", ErrAmbiguousDevice, strings.Join(names, ", ")))
}

// resolve fills in dev.Path from dev.Ifname when the caller gave only a name.
func (c *Client) resolve(ctx context.Context, dev Device) (Device, error) {
	if dev.Path != "" {
		return dev, nil
	}
	return c.Device(ctx, dev.Ifname)
}

// NM80211ApFlags and NM80211ApSecurityFlags bits.
const (
	apFlagPrivacy   = 0x1
	secKeyMgmtPSK   = 0x100
	secKeyMgmt8021X = 0x200
	secKeyMgmtSAE   = 0x400
	secKeyMgmtOWE   = 0x800
	secKeyMgmtOWETM = 0x1000
	secKeyMgmtEAPSB = 0x2000 // EAP Suite B 192
)

// SecurityOf derives AccessPoint.Security from NetworkManager's Flags,
// WpaFlags and RsnFlags.
func SecurityOf(flags, wpaFlags, rsnFlags uint32) string {
	km := wpaFlags | rsnFlags
	switch {
	case km&(secKeyMgmt8021X|secKeyMgmtEAPSB) != 0:
		return "wpa-eap"
	case km&secKeyMgmtPSK != 0 && km&secKeyMgmtSAE != 0:
		return "wpa-psk+sae"
	case km&secKeyMgmtSAE != 0:
		return "sae"
	case km&secKeyMgmtPSK != 0:
		return "wpa-psk"
	case km&(secKeyMgmtOWE|secKeyMgmtOWETM) != 0:
		return "owe"
	case flags&apFlagPrivacy != 0:
		return "wep"
	}
	return "open"
}

// AccessPoints returns NetworkManager's current scan list for dev
// (GetAllAccessPoints, which includes hidden networks).
func (c *Client) AccessPoints(ctx context.Context, dev Device) ([]AccessPoint, error) {
	dev, err := c.resolve(ctx, dev)
	if err != nil {
		return nil, err
	}
	aps, err := c.accessPoints(ctx, dev.Path)
	return aps, mapErr("access points", err)
}

func (c *Client) accessPoints(ctx context.Context, dev dbus.ObjectPath) ([]AccessPoint, error) {
	var paths []dbus.ObjectPath
	if err := c.nm(dev).CallWithContext(ctx, ifaceWireless+".GetAllAccessPoints", 0).Store(&paths); err != nil {
		return nil, err
	}
	out := make([]AccessPoint, 0, len(paths))
	for _, p := range paths {
		m, err := getAll(ctx, c.nm(p), ifaceAP)
		if err != nil {
			if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
				continue // the AP went away meanwhile
			}
			return nil, err
		}
		out = append(out, AccessPoint{
			Path:         p,
			SSID:         vBytes(m, "Ssid"),
			BSSID:        strings.ToLower(vString(m, "HwAddress")),
			FrequencyMHz: vUint32(m, "Frequency"),
			Strength:     vByte(m, "Strength"),
			LastSeen:     vInt32(m, "LastSeen"),
			Security:     SecurityOf(vUint32(m, "Flags"), vUint32(m, "WpaFlags"), vUint32(m, "RsnFlags")),
		})
	}
	return out, nil
}

// supplicantInterface finds wpa_supplicant's object for ifname.
func (c *Client) supplicantInterface(ctx context.Context, ifname string) (dbus.ObjectPath, error) {
	var p dbus.ObjectPath
	err := c.sup(PathSupplicant).CallWithContext(ctx, ifaceSup+".GetInterface", dbus.FlagNoAutoStart, ifname).Store(&p)
	return p, err
}

func formatMAC(b []byte) string {
	if len(b) != 6 {
		return ""
	}
	return net.HardwareAddr(b).String()
}
