package nm

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/godbus/dbus/v5"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Marker of hotspotctl's own profiles: NetworkManager's "user" setting
// (user.data, a{ss}) carries MarkerKey = MarkerValue. NetworkManager
// (nm_setting_user_check_key) accepts keys made of words of ASCII letters,
// digits and "-_+/=" joined by single dots, with at least one dot, at most
// 255 bytes; values are UTF-8 up to 8 KiB.
const (
	MarkerKey   = "org.hotspotctl.managed"
	MarkerValue = "1"
	// ProfilePrefix starts the connection.id of every profile hotspotctl creates.
	ProfilePrefix = "hotspotctl "
)

// NM_SETTINGS_CONNECTION_FLAG_VOLATILE.
const settingsFlagVolatile = 0x4

// ErrInvalidRequest: the ActivateRequest cannot be turned into a profile
// (empty or over-long SSID, unknown security, bad BSSID, missing passphrase,
// an owner name NetworkManager cannot hold).
var ErrInvalidRequest = errors.New("invalid activation request")

// ErrDeviceBusy: Restore found another connection active (or activating) on
// the device and left it alone; someone (the user, NetworkManager's
// autoconnect) has already moved on.
var ErrDeviceBusy = errors.New("device has another active connection")

// ErrRestoreFailed: the re-activated previous connection went to
// deactivated instead of activated.
var ErrRestoreFailed = errors.New("previous connection did not come back")

// NM_SETTINGS_UPDATE2_FLAG_TO_DISK. Update2 with this flag and an empty
// settings dictionary keeps the profile's settings and secrets and writes it
// to disk; NetworkManager clears the volatile flag on the way, since
// "persistent connections cannot be volatile" (nm-settings.c,
// nm_settings_update_connection).
const update2ToDisk = 0x1

// NMActiveConnectionState values Restore waits for.
const (
	acActivated   = 2
	acDeactivated = 4
)

// settingsFor builds the connection settings Activate sends for req, with
// uuid as connection.uuid, bound to ifname. It contains the passphrase:
// never log it.
func settingsFor(req ActivateRequest, uuid, ifname string) (map[string]map[string]dbus.Variant, error) {
	if len(req.SSID) == 0 || len(req.SSID) > 32 {
		return nil, fmt.Errorf("%w: ssid must be 1 to 32 bytes, got %d", ErrInvalidRequest, len(req.SSID))
	}
	wifi := map[string]dbus.Variant{
		"ssid":   dbus.MakeVariant(req.SSID),
		"mode":   dbus.MakeVariant("infrastructure"),
		"hidden": dbus.MakeVariant(req.Hidden),
	}
	if req.BSSID != "" {
		mac, err := net.ParseMAC(req.BSSID)
		if err != nil || len(mac) != 6 {
			return nil, fmt.Errorf("%w: bssid %q is not a MAC address", ErrInvalidRequest, req.BSSID)
		}
		wifi["bssid"] = dbus.MakeVariant([]byte(mac))
	}
	conn := map[string]dbus.Variant{
		"id":          dbus.MakeVariant(ProfilePrefix + diagnostics.PrintableSSID(req.SSID)),
		"type":        dbus.MakeVariant("802-11-wireless"),
		"uuid":        dbus.MakeVariant(uuid),
		"autoconnect": dbus.MakeVariant(false), // the daemon decides when to join
	}
	// Bound to the device: without connection.interface-name NetworkManager
	// may activate the profile on any Wi-Fi device, and a second device's
	// join of the same SSID would replace (and so disconnect) this one.
	if ifname != "" {
		conn["interface-name"] = dbus.MakeVariant(ifname)
	}
	if req.Owner != "" {
		// connection.permissions entries are "[type]:[id]:[reserved]", only
		// type "user", and the id "may not contain the ':' character"
		// (libnm nm-setting-connection.c).
		if strings.Contains(req.Owner, ":") || !utf8.ValidString(req.Owner) {
			return nil, fmt.Errorf("%w: owner %q cannot be a connection.permissions user", ErrInvalidRequest, req.Owner)
		}
		conn["permissions"] = dbus.MakeVariant([]string{"user:" + req.Owner + ":"})
	}
	s := map[string]map[string]dbus.Variant{
		"connection":      conn,
		"802-11-wireless": wifi,
		"ipv4":            {"method": dbus.MakeVariant("auto")},
		"ipv6":            {"method": dbus.MakeVariant("auto")},
		"user":            {"data": dbus.MakeVariant(map[string]string{MarkerKey: MarkerValue})},
	}
	switch req.Security {
	case "", "open":
	case "wpa-psk", "sae":
		if req.Passphrase == "" {
			return nil, fmt.Errorf("%w: %s needs a passphrase", ErrInvalidRequest, req.Security)
		}
		s["802-11-wireless-security"] = map[string]dbus.Variant{
			"key-mgmt": dbus.MakeVariant(req.Security),
			"psk":      dbus.MakeVariant(req.Passphrase),
		}
	default:
		return nil, fmt.Errorf("%w: unsupported security %q", ErrInvalidRequest, req.Security)
	}
	return s, nil
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// Activate creates a hotspotctl profile for req, bound to req.Device
// (connection.interface-name), and activates it with
// AddAndActivateConnection2 (NetworkManager >= 1.16), options "persist"
// "volatile" and "bind-activation" "none". It changes no other profile.
//
// The new profile is always volatile at first: it lives only in
// NetworkManager's memory and NetworkManager deletes it itself when the
// activation fails or ends ("volatile: the connection is deleted on
// disconnect"), so a failed join leaves nothing behind even if hotspotctl
// dies. After the join succeeded the caller calls Commit, which writes it to
// disk (unless req.Volatile or req.Owner) and only then replaces the SSID's
// older profiles on the device; after a failure Discard and Restore. The
// profile active on the device beforehand is recorded in
// Activation.Previous. Subscribe to Events before calling Activate.
//
// The passphrase never appears in a returned error: NetworkManager's error
// text is redacted. ErrPermission when NetworkManager or polkit refused,
// ErrNotRunning when NetworkManager is gone, ErrInvalidRequest for a request
// that cannot become a profile.
func (c *Client) Activate(ctx context.Context, req ActivateRequest) (Activation, error) {
	const op = "activate"
	secret := req.Passphrase
	dev, err := c.resolve(ctx, req.Device)
	if err != nil {
		return Activation{}, err
	}
	if dev.Ifname == "" {
		v, err := getProp(ctx, c.nm(dev.Path), ifaceDevice, "Interface")
		if err != nil {
			return Activation{}, mapErr(op, err)
		}
		dev.Ifname, _ = v.Value().(string)
	}
	settings, err := settingsFor(req, newUUID(), dev.Ifname)
	if err != nil {
		return Activation{}, wrap(op, err)
	}
	a := Activation{Device: dev.Path, Ifname: dev.Ifname, SSID: req.SSID, Persist: !req.Volatile && req.Owner == ""}
	a.Previous, a.PreviousID = c.current(ctx, dev.Path)
	opts := map[string]dbus.Variant{
		"persist":         dbus.MakeVariant("volatile"),
		"bind-activation": dbus.MakeVariant("none"),
	}
	var result map[string]dbus.Variant
	err = c.nm(PathNM).CallWithContext(ctx, ifaceNM+".AddAndActivateConnection2", 0,
		settings, dev.Path, dbus.ObjectPath("/"), opts).Store(&a.Connection, &a.Active, &result)
	if err != nil {
		return Activation{}, mapErr(op, err, secret)
	}
	return a, nil
}

// current returns the profile (and its connection.id) of dev's active
// connection, or "" when there is none or it cannot be read.
func (c *Client) current(ctx context.Context, dev dbus.ObjectPath) (dbus.ObjectPath, string) {
	v, err := getProp(ctx, c.nm(dev), ifaceDevice, "ActiveConnection")
	if err != nil {
		return "", ""
	}
	ac, _ := v.Value().(dbus.ObjectPath)
	if ac == "" || ac == "/" {
		return "", ""
	}
	m, err := getAll(ctx, c.nm(ac), ifaceActive)
	if err != nil {
		return "", ""
	}
	p := vPath(m, "Connection")
	if p == "/" {
		p = ""
	}
	return p, vString(m, "Id")
}

// Commit finishes a successful join: for an Activation with Persist it
// writes the new profile to disk (Settings.Connection.Update2 with an empty
// settings dictionary and flag to-disk), then deletes the older hotspotctl
// profiles for the same SSID on the same interface — and older unbound ones
// not active on another device — so they do not pile up. Profiles bound to
// another interface, and any profile of someone else, stay. A volatile
// Activation changes nothing: a --once join leaves the stored profiles as
// they were.
//
// The error wraps ErrNotRunning or ErrPermission from the Update2 call (the
// join stands; the profile then stays volatile and the old ones are kept),
// or the first deletion error.
func (c *Client) Commit(ctx context.Context, act Activation) error {
	const op = "commit"
	if !act.Persist {
		return nil
	}
	var res map[string]dbus.Variant
	err := c.nm(act.Connection).CallWithContext(ctx, ifaceSettingsConn+".Update2", 0,
		map[string]map[string]dbus.Variant{}, uint32(update2ToDisk), map[string]dbus.Variant{}).Store(&res)
	if err != nil {
		return mapErr(op, err)
	}
	ps, err := c.profiles(ctx)
	if err != nil {
		return mapErr(op, err)
	}
	elsewhere := c.activeElsewhere(ctx, act.Device)
	for _, p := range ps {
		if p.Path == act.Connection || !bytes.Equal(p.SSID, act.SSID) {
			continue
		}
		if p.Ifname != act.Ifname && (p.Ifname != "" || elsewhere[p.Path]) {
			continue
		}
		if err := c.deleteProfile(ctx, p.Path); err != nil {
			return mapErr(op, err)
		}
	}
	return nil
}

// activeElsewhere returns the profiles active on a device other than dev.
// Best effort: on an error the map is what was read so far.
func (c *Client) activeElsewhere(ctx context.Context, dev dbus.ObjectPath) map[dbus.ObjectPath]bool {
	out := map[dbus.ObjectPath]bool{}
	v, err := getProp(ctx, c.nm(PathNM), ifaceNM, "ActiveConnections")
	if err != nil {
		return out
	}
	acs, _ := v.Value().([]dbus.ObjectPath)
	for _, ac := range acs {
		m, err := getAll(ctx, c.nm(ac), ifaceActive)
		if err != nil {
			continue
		}
		devs, _ := m["Devices"].Value().([]dbus.ObjectPath)
		for _, d := range devs {
			if d != dev {
				out[vPath(m, "Connection")] = true
			}
		}
	}
	return out
}

// Discard deletes the profile a failed join created, if NetworkManager has
// not already (a volatile profile goes when its activation ends). Deleting
// an active profile deactivates it. The error wraps ErrNotRunning or
// ErrPermission.
func (c *Client) Discard(ctx context.Context, act Activation) error {
	if act.Connection == "" {
		return nil
	}
	return mapErr("discard", c.deleteProfile(ctx, act.Connection))
}

// Restore re-activates act.Previous, the connection that was active on the
// device before act, and waits until it is activated or ctx ends. It does
// nothing (nil) when there was none or it was act's own profile, and
// returns ErrDeviceBusy without touching anything when the device already
// has another active connection. Other errors: ErrRestoreFailed when the
// connection went to deactivated, ErrNotRunning/ErrPermission from
// NetworkManager, the context's error when it ended first (the activation
// then goes on without us).
func (c *Client) Restore(ctx context.Context, act Activation) error {
	const op = "restore"
	if act.Previous == "" || act.Previous == act.Connection {
		return nil
	}
	if cur, _ := c.current(ctx, act.Device); cur != "" {
		return wrap(op, ErrDeviceBusy)
	}
	var ac dbus.ObjectPath
	if err := c.nm(PathNM).CallWithContext(ctx, ifaceNM+".ActivateConnection", 0,
		act.Previous, act.Device, dbus.ObjectPath("/")).Store(&ac); err != nil {
		return mapErr(op, err)
	}
	// NetworkManager has no call that waits for an activation; its State
	// property is polled, bounded by ctx.
	for {
		v, err := getProp(ctx, c.nm(ac), ifaceActive, "State")
		if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
			return wrap(op, ErrRestoreFailed) // the active connection is gone: deactivated
		}
		if err != nil {
			return mapErr(op, err)
		}
		switch st, _ := v.Value().(uint32); st {
		case acActivated:
			return nil
		case acDeactivated:
			return wrap(op, ErrRestoreFailed)
		}
		select {
		case <-ctx.Done():
			return wrap(op, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (c *Client) deleteProfile(ctx context.Context, p dbus.ObjectPath) error {
	err := c.nm(p).CallWithContext(ctx, ifaceSettingsConn+".Delete", 0).Err
	if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
		return nil // already gone (a volatile profile deactivated meanwhile)
	}
	return err
}

// Deactivate deactivates the active connection at active. It returns nil
// when the connection is not active any more (a failed activation's active
// connection disappears, and a volatile profile with it).
func (c *Client) Deactivate(ctx context.Context, active dbus.ObjectPath) error {
	err := c.nm(PathNM).CallWithContext(ctx, ifaceNM+".DeactivateConnection", 0, active).Err
	if be, ok := busError(err); ok && (be.Name == errNMConnNotActive || be.Name == errUnknownObject) {
		return nil
	}
	return mapErr("deactivate", err)
}

// Profiles lists hotspotctl's own profiles (those carrying the marker).
func (c *Client) Profiles(ctx context.Context) ([]Profile, error) {
	ps, err := c.profiles(ctx)
	return ps, mapErr("profiles", err)
}

func (c *Client) profiles(ctx context.Context) ([]Profile, error) {
	var paths []dbus.ObjectPath
	if err := c.nm(PathSettings).CallWithContext(ctx, ifaceSettings+".ListConnections", 0).Store(&paths); err != nil {
		return nil, err
	}
	var out []Profile
	for _, p := range paths {
		var s map[string]map[string]dbus.Variant
		if err := c.nm(p).CallWithContext(ctx, ifaceSettingsConn+".GetSettings", 0).Store(&s); err != nil {
			if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
				continue
			}
			return nil, err
		}
		data, _ := s["user"]["data"].Value().(map[string]string)
		if data[MarkerKey] != MarkerValue {
			continue
		}
		pr := Profile{
			Path:   p,
			UUID:   vString(s["connection"], "uuid"),
			ID:     vString(s["connection"], "id"),
			SSID:   vBytes(s["802-11-wireless"], "ssid"),
			Ifname: vString(s["connection"], "interface-name"),
		}
		if v, err := getProp(ctx, c.nm(p), ifaceSettingsConn, "Flags"); err == nil {
			f, _ := v.Value().(uint32)
			pr.Volatile = f&settingsFlagVolatile != 0
		}
		out = append(out, pr)
	}
	return out, nil
}

// Forget deletes every hotspotctl profile for ssid and returns how many it
// deleted; ErrNoProfile when there was none.
func (c *Client) Forget(ctx context.Context, ssid []byte) (int, error) {
	const op = "forget"
	ps, err := c.profiles(ctx)
	if err != nil {
		return 0, mapErr(op, err)
	}
	n := 0
	for _, p := range ps {
		if !bytes.Equal(p.SSID, ssid) {
			continue
		}
		if err := c.deleteProfile(ctx, p.Path); err != nil {
			return n, mapErr(op, err)
		}
		n++
	}
	if n == 0 {
		return 0, wrap(op, ErrNoProfile)
	}
	return n, nil
}

// Status returns dev's current state, active connection, SSID and BSSID of
// the active access point, and first IPv4 address. Fields are empty when
// there is no active connection.
func (c *Client) Status(ctx context.Context, dev Device) (Status, error) {
	const op = "status"
	dev, err := c.resolve(ctx, dev)
	if err != nil {
		return Status{}, err
	}
	m, err := getAll(ctx, c.nm(dev.Path), ifaceDevice)
	if err != nil {
		return Status{}, mapErr(op, err)
	}
	st := Status{Device: Device{Path: dev.Path, Ifname: vString(m, "Interface"), State: vUint32(m, "State"),
		Managed: vBool(m, "Managed"), HwAddress: strings.ToLower(vString(m, "HwAddress")), Driver: vString(m, "Driver")}}
	if ac := vPath(m, "ActiveConnection"); ac != "" && ac != "/" {
		if v, err := getProp(ctx, c.nm(ac), ifaceActive, "Id"); err == nil {
			st.Connection, _ = v.Value().(string)
		}
		if v, err := getProp(ctx, c.nm(dev.Path), ifaceWireless, "ActiveAccessPoint"); err == nil {
			if ap, _ := v.Value().(dbus.ObjectPath); ap != "" && ap != "/" {
				if apm, err := getAll(ctx, c.nm(ap), ifaceAP); err == nil {
					st.SSID = vBytes(apm, "Ssid")
					st.BSSID = strings.ToLower(vString(apm, "HwAddress"))
				}
			}
		}
	}
	st.IP4, err = c.ip4(ctx, vPath(m, "Ip4Config"))
	if err != nil {
		return st, mapErr(op, err)
	}
	return st, nil
}

// Link is a device's state and active connection, what a caller that keeps
// a device joined polls for as a backstop to the StateChanged signal.
type Link struct {
	// Path is the device's object path, to pass back in the next call's
	// Device so that it costs one round trip (with only an interface name,
	// resolving it reads every device).
	Path dbus.ObjectPath
	// Ifname is the device's Interface property: a path passed back after
	// NetworkManager restarted may name another device (paths are
	// numbered again from 1).
	Ifname           string
	State            uint32
	ActiveConnection dbus.ObjectPath // "/" when none
}

// Link reads dev's State and ActiveConnection in one GetAll round trip (the
// daemon's link check runs every 30 s on idle machines, where each extra
// call costs wake-ups). Errors are *Error, as Status's.
func (c *Client) Link(ctx context.Context, dev Device) (Link, error) {
	const op = "link"
	dev, err := c.resolve(ctx, dev)
	if err != nil {
		return Link{}, err
	}
	m, err := getAll(ctx, c.nm(dev.Path), ifaceDevice)
	if err != nil {
		return Link{}, mapErr(op, err)
	}
	return Link{Path: dev.Path, Ifname: vString(m, "Interface"), State: vUint32(m, "State"), ActiveConnection: vPath(m, "ActiveConnection")}, nil
}

// IP4 returns dev's first IPv4 address (without prefix length), or "" when it
// has none.
func (c *Client) IP4(ctx context.Context, dev Device) (string, error) {
	const op = "ip4"
	dev, err := c.resolve(ctx, dev)
	if err != nil {
		return "", err
	}
	v, err := getProp(ctx, c.nm(dev.Path), ifaceDevice, "Ip4Config")
	if err != nil {
		return "", mapErr(op, err)
	}
	p, _ := v.Value().(dbus.ObjectPath)
	ip, err := c.ip4(ctx, p)
	return ip, mapErr(op, err)
}

func (c *Client) ip4(ctx context.Context, cfg dbus.ObjectPath) (string, error) {
	if cfg == "" || cfg == "/" {
		return "", nil
	}
	v, err := getProp(ctx, c.nm(cfg), ifaceIP4, "AddressData")
	if err != nil {
		if be, ok := busError(err); ok && (be.Name == errUnknownObject || be.Name == errUnknownMethod) {
			return "", nil // config replaced meanwhile
		}
		return "", err
	}
	addrs, _ := v.Value().([]map[string]dbus.Variant)
	for _, a := range addrs {
		if s := vString(a, "address"); s != "" {
			return s, nil
		}
	}
	return "", nil
}
