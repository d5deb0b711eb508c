package logparse

import (
	"regexp"
	"strings"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TI SimpleLink Wi-Fi (CC3100, CC3200, CC3120, CC3220, CC3235): the host
// driver hands the application asynchronous events, and every TI SDK
// example prints them from the same two handlers (SimpleLinkWlanEventHandler
// and SimpleLinkNetAppEventHandler in the examples' main.c / common.c /
// network_if.c, CC3200 SDK 1.x to the CC32xx SDKs, and Amazon FreeRTOS's
// CC3220SF port), so those lines are what a SimpleLink serial console says:
//
//	[WLAN EVENT] STA Connected to the AP: guest , BSSID: 11:22:a1:b2:c3:d4
//	[NETAPP EVENT] IP Acquired: IP=192.168.1.5 , Gateway=192.168.1.1
//	[NETAPP EVENT] IP acquired by the device
//	[WLAN ERROR] Device disconnected from the AP AP: guest, BSSID: ... on an ERROR..!!
//	Device disconnected from the AP on an ERROR..!!
//
// The disconnect lines print no reason code (the event's ReasonCode is not
// printed by the examples): "on an ERROR" is every disconnection the
// application did not ask for, and Amazon FreeRTOS's CC3220SF demo prints
// it on a healthy boot before its first connection. It is a note.

var recSimpleLink = recognizer{
	name:  "simplelink",
	title: "TI SimpleLink (CC3xxx) example event output",
	keys:  []string{"[WLAN EVENT] STA Connected to the AP", "[NETAPP EVENT] IP ", "Device disconnected from the AP"},
	parse: parseSimpleLink,
}

var (
	// "STA Connected to the AP: %s , BSSID: %x:..." (the spacing around
	// the comma differs between examples; FreeRTOS's has none).
	reSLConnected = regexp.MustCompile(`\[WLAN EVENT\] STA Connected to the AP: (.*?)\s*,?\s*BSSID: ([0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5})`)
	reSLIP        = regexp.MustCompile(`\[NETAPP EVENT\] IP (?:Acquired: IP=(\d+\.\d+\.\d+\.\d+)|acquired by the device)`)
)

func parseSimpleLink(m *message) (parsed, match) {
	var p parsed
	if m.prog != "" {
		return p, pass
	}
	msg := emb2Msg(m)
	e := &p.ev
	e.Source = diagnostics.SourceEmbedded
	switch {
	case strings.Contains(msg, "[WLAN EVENT] STA Connected to the AP"):
		// SL_WLAN_CONNECT_EVENT (SL_WLAN_EVENT_CONNECT in the CC32xx
		// SDKs): associated and keyed; the IP comes from the NetApp
		// handler. As ESP-IDF's "connected with".
		g := reSLConnected.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, e.State, e.SSID = diagnostics.KindSupplicantState, "completed", cleanSSID(g[1])
	case strings.Contains(msg, "[NETAPP EVENT] IP "):
		// SL_NETAPP_IPV4_ACQUIRED / SL_NETAPP_EVENT_IPV4_ACQUIRED: the
		// NWP's DHCP client got a lease.
		g := reSLIP.FindStringSubmatch(msg)
		if g == nil {
			return p, pass
		}
		e.Kind, p.role = diagnostics.KindJoined, roleTerminal
		if g[1] != "" {
			e.Message = "got IP " + g[1]
		}
	case strings.Contains(msg, "Device disconnected from the AP"):
		// SL_WLAN_DISCONNECT_EVENT: "on application's request" is
		// SL_(WLAN_DISCONNECT_)USER_INITIATED(_DISCONNECTION), anything
		// else "on an ERROR..!!" or "[WLAN ERROR]", without the code.
		if !strings.HasPrefix(msg, "Device disconnected from the AP") && !strings.HasPrefix(msg, "[WLAN ERROR] Device disconnected") &&
			!strings.HasPrefix(msg, "[WLAN EVENT] Device disconnected") {
			return p, pass
		}
		e.Kind = diagnostics.KindNote
		if strings.Contains(msg, "application's request") || strings.HasPrefix(msg, "[WLAN EVENT]") {
			e.Name = "simplelink: disconnected on request"
		} else {
			e.Name = "simplelink: disconnected (no reason printed)"
		}
	default:
		return p, pass
	}
	return p, take
}
