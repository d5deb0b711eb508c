package logparse

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Lines in the formats of systemctl (src/systemctl/systemctl-show.c,
// print_status_info and show_one; systemctl-start-unit.c) and networkctl
// (src/network/networkctl.c, list_links), written from those files.
func TestSystemctlNetworkctlLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []diagnostics.Event
	}{
		{"status inactive", []string{
			"\u25cb iwd.service - Wireless service",
			"     Loaded: loaded (/usr/lib/systemd/system/iwd.service; disabled; vendor preset: disabled)",
			"     Active: inactive (dead)",
		}, []diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not running (inactive)"}}},
		{"status numbered by the paste", []string{
			"1.\u25cb iwd.service - Wireless service",
			"     Active: inactive (dead)",
		}, []diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not running (inactive)"}}},
		{"status not found, after the prompt", []string{
			"$ sudo systemctl status NetworkManager.service",
			"\u25cf NetworkManager.service",
			"   Loaded: not-found (Reason: No such file or directory)",
			"   Active: inactive (dead)",
		}, []diagnostics.Event{
			{Source: "networkmanager", Kind: "backend", OK: no, Name: "networkmanager not installed (unit not found)"},
			{Source: "networkmanager", Kind: "backend", OK: no, Name: "networkmanager not running (inactive)"},
		}},
		{"status failed, no UTF-8 glyph", []string{
			"x wpa_supplicant.service - WPA supplicant",
			"     Loaded: loaded (/lib/systemd/system/wpa_supplicant.service; enabled; preset: enabled)",
			"     Active: failed (Result: exit-code) since Thu 2024-02-01 10:00:00 UTC; 3min ago",
		}, []diagnostics.Event{{Source: "wpa_supplicant", Kind: "backend", OK: no, Name: "wpa_supplicant unit failed (Result: exit-code)"}}},
		{"status auto-restart", []string{
			"\u25cf connman.service - Connection service",
			"     Active: activating (auto-restart) (Result: exit-code) since Thu 2024-02-01 10:00:00 UTC; 2s ago",
		}, []diagnostics.Event{{Source: "connman", Kind: "backend", OK: no, Name: "connman restarting after a failure (Result: exit-code)"}}},
		{"status running", []string{
			"\u25cf NetworkManager.service - Network Manager",
			"     Loaded: loaded (/lib/systemd/system/NetworkManager.service; enabled; vendor preset: enabled)",
			"    Drop-In: /usr/lib/systemd/system/NetworkManager.service.d",
			"             \u2514\u2500NetworkManager-ovs.conf",
			"     Active: active (running) since Thu 2024-02-01 10:00:00 UTC; 1h ago",
		}, []diagnostics.Event{{Source: "networkmanager", Kind: "backend", OK: yes, Name: "networkmanager running"}}},
		{"status, unit from the Loaded line", []string{
			"     Loaded: loaded (/lib/systemd/system/dhcpcd.service; enabled; vendor preset: enabled)",
			"     Active: inactive (dead)",
		}, []diagnostics.Event{{Source: "dhcp-client", Kind: "backend", OK: no, Name: "dhcpcd not running (inactive)"}}},
		{"status of another unit", []string{
			"\u25cf ssh.service - OpenBSD Secure Shell server",
			"     Loaded: loaded (/lib/systemd/system/ssh.service; enabled; vendor preset: enabled)",
			"     Active: inactive (dead)",
		}, nil},
		{"status quoted in a reply", []string{
			"> \u25cf NetworkManager.service - Network Manager",
			">      Active: failed (Result: exit-code) since Thu 2024-02-01 10:00:00 UTC; 3min ago",
		}, []diagnostics.Event{{Source: "networkmanager", Kind: "backend", OK: no, Name: "networkmanager unit failed (Result: exit-code)"}}},
		{"quoted unit not found", []string{"> Unit iwd.service could not be found."},
			[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not installed (unit not found)"}}},
		{"Active line without a unit", []string{"     Active: inactive (dead)"}, nil},
		{"unit not found", []string{"Unit NetworkManager.service could not be found."},
			[]diagnostics.Event{{Source: "networkmanager", Kind: "backend", OK: no, Name: "networkmanager not installed (unit not found)"}}},
		{"start not found", []string{"Failed to start iwd.service: Unit iwd.service not found."},
			[]diagnostics.Event{{Source: "iwd", Kind: "backend", OK: no, Name: "iwd not installed (unit not found)"}}},
		{"start masked", []string{"Failed to start wpa_supplicant.service: Unit wpa_supplicant.service is masked."},
			[]diagnostics.Event{{Source: "wpa_supplicant", Kind: "backend", OK: no, Name: "wpa_supplicant unit masked"}}},
		{"networkctl list", []string{
			"IDX LINK             TYPE               OPERATIONAL SETUP",
			"  1 lo               loopback           carrier     configured",
			"  2 eth0             ether              routable    configured",
			"  3 wlan0            wlan               degraded    failed",
		}, []diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "systemd-networkd: link configuration failed while associated (degraded: no routable address)"}}},
		{"networkctl configuring", []string{"  3 wlan0            wlan               degraded    configuring"},
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Iface: "wlan0", Name: "networkctl: degraded configuring"}}},
		{"networkctl no carrier failed", []string{"  3 wlp2s0           wlan               no-carrier  failed"},
			[]diagnostics.Event{{Source: "dhcp-client", Kind: "note", Iface: "wlp2s0", Name: "networkctl: no-carrier failed"}}},
		// networkctl.c, link_status_one (systemd 250 order: the files,
		// then State:, then Type:).
		{"networkctl status failed", []string{
			"\u25cf 3: wlan0",
			"                     Link File: /usr/lib/systemd/network/99-default.link",
			"                  Network File: /etc/systemd/network/25-wireless.network",
			"                         State: degraded (failed)",
			"                  Online state: offline",
			"                          Type: wlan",
		}, []diagnostics.Event{{Source: "dhcp-client", Kind: "dhcp", OK: no, Iface: "wlan0", Name: "systemd-networkd: link configuration failed while associated (degraded: no routable address)"}}},
		{"networkctl status routable", []string{
			"\u25cf 4: wlp2s0",
			"                         State: routable (configured)",
		}, []diagnostics.Event{{Source: "dhcp-client", Kind: "note", Iface: "wlp2s0", Name: "networkctl: routable configured"}}},
		{"networkctl status wired", []string{
			"\u25cf 2: eth0",
			"                         State: degraded (failed)",
		}, nil},
	}
	for _, tt := range tests {
		got := parseSeq(tt.lines...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestSystemctlDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"NetworkManager not installed", []string{"$ systemctl status NetworkManager", "Unit NetworkManager.service could not be found."}, diagnostics.BackendUnavailable},
		{"iwd dead", []string{"\u25cb iwd.service - Wireless service", "     Active: inactive (dead)"}, diagnostics.BackendUnavailable},
		// A failed unit that runs again later is not the state.
		{"failed then running", []string{
			"\u00d7 NetworkManager.service - Network Manager",
			"     Active: failed (Result: exit-code) since Thu 2024-02-01 10:00:00 UTC; 3min ago",
			"$ sudo systemctl restart NetworkManager",
			"$ systemctl status NetworkManager",
			"\u25cf NetworkManager.service - Network Manager",
			"     Active: active (running) since Thu 2024-02-01 10:04:00 UTC; 2s ago",
		}, diagnostics.None},
		{"networkctl failed", []string{"IDX LINK TYPE OPERATIONAL SETUP", "  8 wlan0 wlan degraded failed"}, diagnostics.DHCPFailed},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}

// systemd's device units of network interfaces (src/core/job.c job_done,
// src/core/device.c status_message_formats), as a machine whose Wi-Fi
// interface never appears logs them.
func TestSystemdNetDeviceUnits(t *testing.T) {
	const pre = "Dec 01 10:00:00 pi systemd[1]: "
	missing := diagnostics.Event{Source: "kernel", Kind: "device", OK: no, Iface: "wlan0", Name: "missing (systemd timed out waiting for the interface)"}
	lines := []struct {
		name string
		line string
		want []diagnostics.Event
	}{
		{"job timed out", pre + "sys-subsystem-net-devices-wlan0.device: Job sys-subsystem-net-devices-wlan0.device/start timed out.", []diagnostics.Event{missing}},
		{"status line, description", pre + "Timed out waiting for device /sys/subsystem/net/devices/wlan0.", []diagnostics.Event{missing}},
		{"status line, combined", pre + "Timed out waiting for device sys-subsystem-net-devices-wlan0.device - /sys/subsystem/net/devices/wlan0.", []diagnostics.Event{missing}},
		{"escaped dash", pre + `Timed out waiting for device sys-subsystem-net-devices-wlx\x2d1.device - /sys/subsystem/net/devices/wlx-1.`,
			[]diagnostics.Event{{Source: "kernel", Kind: "device", OK: no, Iface: "wlx-1", Name: "missing (systemd timed out waiting for the interface)"}}},
		// A device that appeared is named by its udev model; the line is
		// no evidence either way.
		{"found", pre + "Found device /sys/subsystem/net/devices/wlan0.", nil},
		{"wired interface", pre + "Timed out waiting for device /sys/subsystem/net/devices/eth0.", nil},
		{"expecting is no verdict", pre + "Expecting device /sys/subsystem/net/devices/wlan0...", nil},
	}
	for _, tt := range lines {
		if diff := cmp.Diff(tt.want, parseSeq(tt.line)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	verdicts := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		{"never appeared", []string{
			pre + "sys-subsystem-net-devices-wlan0.device: Job sys-subsystem-net-devices-wlan0.device/start timed out.",
			pre + "Timed out waiting for device /sys/subsystem/net/devices/wlan0.",
			pre + "Dependency failed for WPA supplicant daemon (interface-specific version).",
			pre + "wpa_supplicant@wlan0.service: Job wpa_supplicant@wlan0.service/start failed with result 'dependency'.",
		}, diagnostics.DeviceUnavailable},
		// Another interface turning up says nothing about wlan0.
		{"another found", []string{
			pre + "Timed out waiting for device /sys/subsystem/net/devices/wlan0.",
			"Dec 01 10:05:00 pi systemd[1]: Found device /sys/subsystem/net/devices/wlan1.",
		}, diagnostics.DeviceUnavailable},
	}
	for _, tt := range verdicts {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}

// FuzzSystemctl: any input parses without panicking, and what the
// envelope rewrites for systemctl names a stack daemon.
func FuzzSystemctl(f *testing.F) {
	f.Add("\u25cf NetworkManager.service - Network Manager\n     Loaded: loaded (/lib/systemd/system/NetworkManager.service; enabled)\n     Active: failed (Result: exit-code) since x\n")
	f.Add("$ systemctl status iwd\n     Loaded: not-found (Reason: No such file or directory)\n     Active: inactive (dead)\n")
	f.Add("x connman.service - Connection service\n     Active: activating (auto-restart) (Result: signal)\n")
	f.Add("Unit wpa_supplicant.service could not be found.\nFailed to start iwd.service: Unit iwd.service is masked.\n")
	f.Add("  8 wlan0            wlan               degraded    failed\n")
	f.Add("sys-subsystem-net-devices-wlan0.device: Job sys-subsystem-net-devices-wlan0.device/start timed out.\nTimed out waiting for device /sys/subsystem/net/devices/wlan0.\n")
	f.Add("\u25cf 3: wlan0\n        Link File: n/a\n            State: degraded (failed)\n             Type: wlan\n")
	f.Fuzz(func(t *testing.T, in string) {
		lp := newLineParser(2024)
		for _, l := range strings.Split(in, "\n") {
			li, ok := lp.split([]byte(l))
			if !ok || li.tag != cmdTag || li.prog != "systemctl" {
				continue
			}
			d, _, _ := strings.Cut(li.msg, " ")
			if stackDaemon(d, "") == "" {
				t.Fatalf("%q: envelope gave %q", l, li.msg)
			}
			if p, _, ok := parseLine(li.msg, li.prog, li.tag); ok && p.ev.Kind != diagnostics.KindBackend {
				t.Fatalf("%q: %+v", l, p.ev)
			}
		}
	})
}
