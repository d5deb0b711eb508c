package logparse

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// svc is a connman Wi-Fi service path as connmanctl prints it, from
// https://github.com/helium/gateway-config/pull/61.
const svc = "/net/connman/service/wifi_6081f95405a9_4a265420576972656c657373_managed_psk"

func TestConnmanLines(t *testing.T) {
	tests := []struct {
		line string
		want []diagnostics.Event
		role role
	}{
		// gdhcp/client.c debug() through src/dhcp.c dhcp_debug (CONNMAN_DHCP_DEBUG set)
		{"Mar 10 12:00:03 dev connmand[301]: DHCP index 3: sending DHCP discover request",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "DHCPDISCOVER"}}, roleNone},
		{"Mar 10 12:00:04 dev connmand[301]: DHCP index 3: processed DHCP packet (new state 2)",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "DHCPOFFER"}}, roleNone},
		{"Mar 10 12:00:04 dev connmand[301]: DHCP index 3: sending DHCP request (state 2)",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "DHCPREQUEST"}}, roleNone},
		{"Mar 10 12:00:04 dev connmand[301]: DHCP index 3: processed DHCP packet (new state 3)",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "DHCPACK"}}, roleNone},
		{"Mar 10 12:00:04 dev connmand[301]: DHCP index 3: received DHCP packet xid 0x5a3c (current state 0)", nil, roleNone},
		// https://github.com/helium/gateway-config/pull/61: the service
		// object did not exist (yet) when connect was called.
		{"Error " + svc + `: Method "Connect" with signature "" on interface "net.connman.Service" doesn't exist`,
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: no such service"}}, roleTerminal},
		// https://github.com/andrew-bibb/cmst/issues/174
		{"Error /net/connman/technology/wifi: No carrier",
			[]diagnostics.Event{{Source: "connman", Kind: "radio", OK: no, Name: "nm-disabled"}}, roleNone},
		// https://lists.yoctoproject.org/g/yocto/message/55925
		{"Connected wifi_xxxxxx",
			[]diagnostics.Event{{Source: "connman", Kind: "joined", Name: "connmanctl: connected"}}, roleTerminal},
		{"Scan completed for wifi",
			[]diagnostics.Event{{Source: "connman", Kind: "scan_done", OK: yes, Name: "connman"}}, roleNone},
		// The messages below are src/error.c's, printed by connmanctl's
		// "Error %s: %s" (client/commands.c); no public sample was used.
		{"Error " + svc + ": Operation timeout",
			[]diagnostics.Event{{Source: "connman", Kind: "deadline", Name: "connmanctl: Operation timeout"}}, roleTerminal},
		{"Error " + svc + ": Not registered",
			[]diagnostics.Event{{Source: "connman", Kind: "invalid_input", Name: "connmanctl: Not registered"}}, roleTerminal},
		{"Error " + svc + ": Invalid arguments",
			[]diagnostics.Event{{Source: "connman", Kind: "invalid_input", Name: "connmanctl: Invalid arguments"}}, roleTerminal},
		{"Error " + svc + ": Input/output error",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: Input/output error"}}, roleTerminal},
		{"Error " + svc + ": Already connected",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: Already connected"}}, roleNone},
		{"Error /net/connman/technology/wifi: Device or resource busy",
			[]diagnostics.Event{{Source: "connman", Kind: "scan_busy", Code: -16, Name: "EBUSY"}}, roleNone},
		{"Error /net/connman/service/ethernet_0800275c1b1a_cable: Operation timeout", nil, roleNone},
		// connmand >= 1.43, src/service.c service_log_state and
		// service_log_error: "Interface %s [ %s ] state is %s", "Interface
		// %s [ %s ] error \"%s\"" (no public sample was used).
		{`Mar 10 12:00:01 pi connmand[412]: Interface wlan0 [ wifi ] state is association`,
			[]diagnostics.Event{{Source: "connman", Kind: "activation_start", Name: "connman association", Iface: "wlan0"}}, roleStartRequest},
		{`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] error "invalid-key"`,
			[]diagnostics.Event{{Source: "connman", Kind: "psk_mismatch", Name: "invalid-key", Iface: "wlan0"}}, roleNone},
		{`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] error "blocked"`,
			[]diagnostics.Event{{Source: "connman", Kind: "disconnect", Code: 6, Name: "blocked", Iface: "wlan0"}}, roleNone},
		{`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] state is failure`,
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connman failure", Iface: "wlan0"}}, roleTerminal},
		{`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] state is ready`,
			[]diagnostics.Event{{Source: "connman", Kind: "joined", Name: "connman ready", Iface: "wlan0"}}, roleTerminal},
		{`Mar 10 12:00:09 pi connmand[412]: Interface eth0 [ ethernet ] state is ready`, nil, roleNone},
		// src/error.c messages not mapped to a cause: the default branch.
		{"Error " + svc + ": In progress",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: In progress"}}, roleNone},
		{"Error " + svc + ": Not found",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: Not found"}}, roleTerminal},
		{"Error " + svc + ": Operation aborted",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: Operation aborted"}}, roleTerminal},
		// connmanctl enable/disable wifi (client/commands.c,
		// enable_return, disable_return; src/technology.c set_powered).
		{"Enabled wifi",
			[]diagnostics.Event{{Source: "connman", Kind: "radio", OK: yes, Name: "connmanctl: enabled"}}, roleNone},
		{"Disable wifi",
			[]diagnostics.Event{{Source: "connman", Kind: "radio", OK: no, Name: "nm-disabled"}}, roleNone},
		{"wifi is not available",
			[]diagnostics.Event{{Source: "connman", Kind: "device", OK: no, Name: "missing"}}, roleNone},
		{"wifi is already enabled",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: wifi is already enabled"}}, roleNone},
		{"Error wifi: Permission denied",
			[]diagnostics.Event{{Source: "connman", Kind: "radio", OK: no, Name: "hard-blocked"}}, roleNone},
		{"Error wifi: Operation timeout",
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "connmanctl: Operation timeout"}}, roleNone},
		// Look-alikes from healthy connmand (src/device.c
		// __connman_device_disconnect; src/service.c
		// online_check_log_failure, >= 1.43).
		{`Mar 10 12:00:01 pi connmand[412]: Skipping disconnect of wifi_6081f95405a9_4a26_managed_psk, network is connecting.`,
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "skipping disconnect"}}, roleNone},
		{`Mar 10 12:00:30 pi connmand[412]: Interface wlan0 [ wifi ] IPv4 online check to http://ipv4.connman.net/online/status.html failed: -110: Connection timed out`,
			[]diagnostics.Event{{Source: "connman", Kind: "note", Name: "online check failed", Iface: "wlan0"}}, roleNone},
		{"the wifi is not available here", nil, roleNone},
	}
	for _, tt := range tests {
		got := parseSeq(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.line, diff)
		}
		if _, r, _ := parseOne(tt.line); tt.want != nil && r != tt.role {
			t.Errorf("%q: role %d, want %d", tt.line, r, tt.role)
		}
	}
}

func TestConnmanDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		// https://github.com/andrew-bibb/cmst/issues/174
		{"scan on a powered-off device", []string{"connmanctl> scan wifi", "Error /net/connman/technology/wifi: No carrier"}, diagnostics.RadioOff},
		{"connect timeout", []string{"connmanctl> connect wifi_6081f95405a9_4a265420576972656c657373_managed_psk", "Error " + svc + ": Operation timeout"}, diagnostics.Timeout},
		{"connmand invalid key", []string{
			`Mar 10 12:00:01 pi connmand[412]: Interface wlan0 [ wifi ] state is association`,
			`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] error "invalid-key"`,
			`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] state is failure`,
		}, diagnostics.WrongKey},
		{"enable wifi while hard-blocked", []string{"connmanctl> enable wifi", "Error wifi: Permission denied"}, diagnostics.RadioOff},
		{"disabled, then enabled", []string{"Disable wifi", "Enabled wifi"}, diagnostics.None},
		{"no wifi technology", []string{"$ connmanctl enable wifi", "wifi is not available"}, diagnostics.DeviceUnavailable},
		{"online check failure is no join failure", []string{
			`Mar 10 12:00:09 pi connmand[412]: Interface wlan0 [ wifi ] state is ready`,
			`Mar 10 12:00:30 pi connmand[412]: Interface wlan0 [ wifi ] IPv4 online check to http://ipv4.connman.net/online/status.html failed: -110: Connection timed out`,
		}, diagnostics.None},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
