package nm

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"strings"

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
// (empty or over-long SSID, unknown security, bad BSSID, missing passphrase).
var ErrInvalidRequest = errors.New("invalid activation request")

// settingsFor builds the connection settings Activate sends for req, with
// uuid as connection.uuid. It contains the passphrase: never log it.
func settingsFor(req ActivateRequest, uuid string) (map[string]map[string]dbus.Variant, error) {
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
	s := map[string]map[string]dbus.Variant{
		"connection": {
			"id":          dbus.MakeVariant(ProfilePrefix + diagnostics.PrintableSSID(req.SSID)),
			"type":        dbus.MakeVariant("802-11-wireless"),
			"uuid":        dbus.MakeVariant(uuid),
			"autoconnect": dbus.MakeVariant(false), // the daemon decides when to join
		},
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

// Activate creates a hotspotctl profile for req and activates it on
// req.Device with AddAndActivateConnection2 (NetworkManager >= 1.16), options
// "persist" ("volatile" for req.Volatile, else "disk") and "bind-activation"
// "none". hotspotctl profiles for the same SSID are deleted first so they do
// not pile up (deleting an active one deactivates it). Subscribe to Events
// before calling Activate.
//
// The passphrase never appears in a returned error: NetworkManager's error
// text is redacted. ErrPermission when NetworkManager or polkit refused,
// ErrNotRunning when NetworkManager is gone, ErrInvalidRequest for a request
// that cannot become a profile.
func (c *Client) Activate(ctx context.Context, req ActivateRequest) (Activation, error) {
	const op = "activate"
	secret := req.Passphrase
	settings, err := settingsFor(req, newUUID())
	if err != nil {
		return Activation{}, wrap(op, err)
	}
	dev := req.Device.Path
	if dev == "" {
		d, err := c.Device(ctx, req.Device.Ifname)
		if err != nil {
			return Activation{}, err
		}
		dev = d.Path
	}
	persist := "disk"
	if req.Volatile {
		persist = "volatile"
	}
	opts := map[string]dbus.Variant{
		"persist":         dbus.MakeVariant(persist),
		"bind-activation": dbus.MakeVariant("none"),
	}
	var a Activation
	var result map[string]dbus.Variant
	err = c.nm(PathNM).CallWithContext(ctx, ifaceNM+".AddAndActivateConnection2", 0,
		settings, dev, dbus.ObjectPath("/"), opts).Store(&a.Connection, &a.Active, &result)
	if err != nil {
		return Activation{}, mapErr(op, err, secret)
	}
	// Only now, with the new profile in place, remove the old ones for the
	// same SSID: a refused activation must leave the old profile untouched.
	// This is best effort (NetworkManager may already be restarting); a
	// leftover duplicate is removed by the next join or by forget.
	if old, err := c.profiles(ctx); err == nil {
		for _, p := range old {
			if p.Path != a.Connection && bytes.Equal(p.SSID, req.SSID) {
				_ = c.deleteProfile(ctx, p.Path)
			}
		}
	}
	return a, nil
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
			Path: p,
			UUID: vString(s["connection"], "uuid"),
			ID:   vString(s["connection"], "id"),
			SSID: vBytes(s["802-11-wireless"], "ssid"),
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
