package logparse

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hotspotctl/hotspotctl/diagnostics"
)

// TestDHCPUnanswered: a DHCP client's discovers that go on with no answer
// are dhcp_failed before the client itself gives up; any answer (an offer,
// an acknowledgement, a lease) lifts them; avahi-autoipd's link-local
// address is the fallback taken when no server answered.
func TestDHCPUnanswered(t *testing.T) {
	disc := func(sec, interval int) string {
		return "Jan 10 10:00:" + pad2(sec) + " host dhclient[1200]: DHCPDISCOVER on wlan0 to 255.255.255.255 port 67 interval " + itoa(interval) + "\n"
	}
	type res struct {
		Class  diagnostics.Class
		Detail string
	}
	for _, tc := range []struct {
		name, log string
		want      res
	}{
		{"three discovers, no answer", disc(0, 3) + disc(3, 7) + disc(10, 12),
			res{diagnostics.DHCPFailed, "no IPv4 lease: the DHCP client sent 3 discovers in 10s and no server answered"}},
		{"two discovers are not yet a failure", disc(0, 3) + disc(3, 7), res{diagnostics.None, "the log shows no join attempt and no failure"}},
		{"an offer and a lease after them", disc(0, 3) + disc(3, 7) + disc(10, 12) +
			"Jan 10 10:00:11 host dhclient[1200]: DHCPOFFER of 192.168.1.5 from 192.168.1.1\n" +
			"Jan 10 10:00:11 host dhclient[1200]: DHCPREQUEST for 192.168.1.5 on wlan0 to 255.255.255.255 port 67\n" +
			"Jan 10 10:00:11 host dhclient[1200]: DHCPACK of 192.168.1.5 from 192.168.1.1\n" +
			"Jan 10 10:00:11 host dhclient[1200]: bound to 192.168.1.5 -- renewal in 40000 seconds.\n",
			res{diagnostics.None, "the log shows no join attempt and no failure"}},
		{"udhcpc's discovers", "udhcpc: sending discover\nudhcpc: sending discover\nudhcpc: sending discover\n",
			res{diagnostics.DHCPFailed, "no IPv4 lease: the DHCP client sent 3 discovers and no server answered"}},
		{"avahi-autoipd's link-local address", "Jan 10 10:00:00 host avahi-autoipd(wlan0)[900]: Successfully claimed IP address 169.254.7.8\n",
			res{diagnostics.DHCPFailed, "no IPv4 lease"}},
		{"another interface's discovers", strings.ReplaceAll(disc(0, 3)+disc(3, 7)+disc(10, 12), "wlan0", "eth0"),
			res{diagnostics.None, "no line of a log format diagnose knows was recognised; it reads " + formatTitles()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := diagnoseString(t, tc.log)
			if diff := cmp.Diff(tc.want, res{rep.Class, rep.Detail}); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func pad2(n int) string { return fmt.Sprintf("%02d", n) }

func itoa(n int) string { return strconv.Itoa(n) }
