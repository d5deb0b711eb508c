package logparse

import (
	"testing"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

func TestIwdDHCPDiagnose(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  diagnostics.Class
	}{
		// ell's client kept sending discovers, no offer: a server that
		// does not answer, before iwd gives up.
		{"discovers", []string{
			"Mar 10 12:00:03 pi iwd[512]: [DHCPv4] l_dhcp_client_start:1215 Entering state: DHCP_STATE_SELECTING",
			"Mar 10 12:00:03 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:07 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:15 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
		}, diagnostics.DHCPFailed},
		// The same inside iwd's open attempt, the log ending before
		// iwd gives up: the unanswered discovers are the attempt's
		// failure, not an attempt without evidence.
		{"discovers in an open attempt", []string{
			"Mar 10 12:00:02 pi iwd[512]: event: state, old: disconnected, new: connecting",
			"Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: connecting (netconfig)",
			"Mar 10 12:00:03 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:07 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:15 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
		}, diagnostics.DHCPFailed},
		// Two discovers in the open attempt: the log ends too early to
		// say (not_shown, class none).
		{"two discovers in an open attempt", []string{
			"Mar 10 12:00:02 pi iwd[512]: event: state, old: disconnected, new: connecting",
			"Mar 10 12:00:03 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:07 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
		}, diagnostics.None},
		// An offer and the ACK: no failure.
		{"lease", []string{
			"Mar 10 12:00:03 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:07 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:15 pi iwd[512]: [DHCPv4] dhcp_client_send_discover:322 ",
			"Mar 10 12:00:15 pi iwd[512]: [DHCPv4] dhcp_client_handle_offer:806 Entering state: DHCP_STATE_REQUESTING",
			"Mar 10 12:00:15 pi iwd[512]: [DHCPv4] dhcp_client_rx_message:910 Entering state: DHCP_STATE_BOUND",
		}, diagnostics.None},
		// The client's give-up, then station's netconfig failure.
		{"max attempts", []string{
			"Mar 10 12:00:02 pi iwd[512]: event: state, old: disconnected, new: connecting",
			"Mar 10 12:00:02 pi iwd[512]: event: state, old: connecting, new: connecting (netconfig)",
			"Mar 10 12:01:04 pi iwd[512]: [DHCPv4] dhcp_client_timeout_resend:569 Max request/discover attempts reached",
			"Mar 10 12:01:04 pi iwd[512]: event: state, old: connecting (netconfig), new: disconnecting",
		}, diagnostics.DHCPFailed},
	}
	for _, tt := range tests {
		if rep := diagnoseText(t, tt.lines...); rep.Class != tt.want {
			t.Errorf("%s: class %s, want %s (%+v)", tt.name, rep.Class, tt.want, rep.Attempts)
		}
	}
}
