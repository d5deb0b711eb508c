package nmtest

import "github.com/godbus/dbus/v5"

// SetQuiet sets one property of ifname's device object (iface names the
// D-Bus interface: Device, Device.Wireless) without any signal: a change a
// client can only see by reading the property again, as the daemon's link
// check does after a StateChanged it never received.
func (f *Fake) SetQuiet(ifname, iface, prop string, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil || f.objs[svcNM][d.path] == nil {
		panic("nmtest: no device " + ifname)
	}
	f.objs[svcNM][d.path][iface][prop] = dbus.MakeVariant(v)
}

// APPath returns the object path of the access point with that SSID as
// ifname's device lists it, or "" when it lists none.
func (f *Fake) APPath(ifname, ssid string) dbus.ObjectPath {
	f.mu.Lock()
	defer f.mu.Unlock()
	d := f.devByName(ifname)
	if d == nil {
		return ""
	}
	for _, p := range d.aps {
		if string(d.apSpecs[p].SSID) == ssid {
			return p
		}
	}
	return ""
}
