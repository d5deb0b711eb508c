package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// Particle Device OS (Photon, P1, Argon, P2): the system thread's network
// manager logs its WLAN watchdog through the "system" category
// (system/src/system_network_internal.h, ManagedNetworkInterface, read as
// search-index excerpts of Device OS 0.6 to 1.x and of forks of it), in
// the log handler's "<millis> [system] INFO: <message>" form, a serial
// monitor's own stamp before it ("7095 - 0000004998 [system] ..."):
//
//	ARM_WLAN_WD 1                       connect(): the join starts (30 s watchdog)
//	ARM_WLAN_WD 2                       notify_connected(): associated, waiting for an address
//	CLR_WLAN_WD 1, DHCP success          notify_dhcp(true): joined
//	DHCP fail, ARM_WLAN_WD 4             notify_dhcp(false)
//	ARM_WLAN_WD 3                       notify_disconnected(): an established link dropped
//	Resetting WLAN due to WLAN_WD_TO()  manage_network_connection(): the watchdog ran out
//
// The same header serves the cellular devices (Electron, Boron: their logs
// say "Sim Ready"), where "connected" is the modem's; a cellular log read
// here is read as a join. notify_dhcp(false) also runs when the network is
// switched off (after a watchdog reset, Particle's own AN notes show "DHCP
// fail, ARM_WLAN_WD 4" right after "Resetting WLAN due to WLAN_WD_TO()"): a
// note, not a DHCP failure.

var recParticle = recognizer{
	name:  "particle",
	title: "Particle Device OS system log",
	keys:  []string{"[system] "},
	parse: parseParticle,
}

var reParticle = regexp.MustCompile(`(?:^|\s)\[system\] (?:INFO|WARN|TRACE): (.+?)\s*$`)

func parseParticle(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	g := reParticle.FindStringSubmatch(strings.TrimSpace(m.msg))
	if g == nil {
		return p, pass
	}
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch msg := g[1]; {
	case msg == "ARM_WLAN_WD 1":
		e.Kind, e.Name, p.role = diagnostics.KindActivationStart, "particle connect", roleStartRequest
	case msg == "ARM_WLAN_WD 2":
		// Associated (and keyed): the watchdog now waits for DHCP.
		e.Kind, e.State = diagnostics.KindSupplicantState, "completed"
	case msg == "CLR_WLAN_WD 1, DHCP success":
		e.Kind, p.role = diagnostics.KindJoined, roleTerminal
	case msg == "Resetting WLAN due to WLAN_WD_TO()":
		// CONNECT_TO_ADDRESS_MAX (30 s) passed without an address: the
		// join or its DHCP did not finish; Device OS turns the radio off
		// and starts over.
		e.Kind, e.Name, p.role = diagnostics.KindDeadline, "particle WLAN watchdog", roleTerminal
	case strings.HasPrefix(msg, "DHCP fail, ARM_WLAN_WD "), msg == "ARM_WLAN_WD 3",
		strings.HasPrefix(msg, "Resetting WLAN due to "):
		// See above; "Resetting WLAN due to SPARK_WLAN_RESET" and "due to
		// N failed connect attempts" are the cloud connection's resets.
		e.Kind, e.Name = diagnostics.KindNote, "particle: "+msg
	default:
		return p, pass
	}
	return p, take
}
