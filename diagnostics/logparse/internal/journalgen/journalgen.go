// Package journalgen writes synthetic journal exports (journalctl -o json)
// for benchmarks: mostly noise from ordinary services, with a Wi-Fi join
// attempt every so often, each line carrying the fields a real export does.
package journalgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"time"
)

// Config tunes Write.
type Config struct {
	// Bytes is the size to write (the last line may pass it).
	Bytes int64
	// AttemptEvery is the distance, in bytes, between two join attempts.
	AttemptEvery int64
	// Seed makes the output reproducible.
	Seed uint64
}

var noise = []struct{ ident, unit, msg string }{
	{"systemd", "init.scope", "Started Session %d of User alice."},
	{"systemd", "init.scope", "Starting Cleanup of Temporary Directories..."},
	{"sshd", "ssh.service", "Accepted publickey for alice from 192.0.2.%d port 52144 ssh2: ED25519 SHA256:Qm9vYmFy"},
	{"sshd", "ssh.service", "pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)"},
	{"CRON", "cron.service", "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)"},
	{"gnome-shell", "user@1000.service", "Window manager warning: Overwriting existing binding of keysym %d with keysym 78"},
	{"kernel", "", "audit: type=1400 audit(1700000000.%03d:42): apparmor=\"DENIED\" operation=\"open\" profile=\"snap.x\" name=\"/proc/1/cmdline\""},
	{"kernel", "", "usb 1-%d: new high-speed USB device number 3 using xhci_hcd"},
	{"dbus-daemon", "dbus.service", "[system] Successfully activated service 'org.freedesktop.hostname1'"},
	{"NetworkManager", "NetworkManager.service", "<info>  [1700000000.%04d] manager: NetworkManager state is now CONNECTED_GLOBAL"},
	{"wpa_supplicant", "wpa_supplicant.service", "wlan0: CTRL-EVENT-SIGNAL-CHANGE above=1 signal=-%d noise=9999 txrate=65000"},
	{"systemd-resolved", "systemd-resolved.service", "Using degraded feature set UDP instead of UDP+EDNS0 for DNS server 192.0.2.%d."},
	{"rsyslogd", "rsyslog.service", "imjournal: %d messages lost due to rate-limiting"},
	{"chronyd", "chrony.service", "Selected source 192.0.2.%d (2.debian.pool.ntp.org)"},
}

// attempts are join attempts, one of which is written at a time, as
// (identifier, message) pairs.
var attempts = [][][2]string{
	{ // refused scans, then ssid-not-found: scan_busy
		{"NetworkManager", "<info>  [%s] device (wlan0): Activation: starting connection 'Office' (6b1c)"},
		{"NetworkManager", "<info>  [%s] device (wlan0): state change: disconnected -> prepare (reason 'none', sys-iface-state: 'managed')"},
		{"wpa_supplicant", "wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1"},
		{"wpa_supplicant", "wlan0: CTRL-EVENT-SCAN-FAILED ret=-16 retry=1"},
		{"NetworkManager", "<warn>  [%s] device (wlan0): Activation: (wifi) association took too long, failing activation"},
		{"NetworkManager", "<info>  [%s] device (wlan0): state change: config -> failed (reason 'ssid-not-found', sys-iface-state: 'managed')"},
		{"NetworkManager", "<warn>  [%s] device (wlan0): Activation: failed for connection 'Office'"},
	},
	{ // wrong key
		{"NetworkManager", "<info>  [%s] policy: auto-activating connection 'Office' (6b1c)"},
		{"NetworkManager", "<info>  [%s] device (wlan0): Activation: starting connection 'Office' (6b1c)"},
		{"wpa_supplicant", "wlan0: SME: Trying to authenticate with 02:00:00:00:01:00 (SSID='Office' freq=2412 MHz)"},
		{"kernel", "wlan0: authenticate with 02:00:00:00:01:00"},
		{"NetworkManager", "<info>  [%s] device (wlan0): supplicant interface state: associated -> 4-way handshake"},
		{"wpa_supplicant", "wlan0: WPA: 4-Way Handshake failed - pre-shared key may be incorrect"},
		{"wpa_supplicant", "wlan0: CTRL-EVENT-SSID-TEMP-DISABLED id=0 ssid=\"Office\" auth_failures=1 duration=10 reason=WRONG_KEY"},
		{"NetworkManager", "<info>  [%s] device (wlan0): state change: config -> need-auth (reason 'none', sys-iface-state: 'managed')"},
		{"NetworkManager", "<info>  [%s] device (wlan0): state change: need-auth -> failed (reason 'no-secrets', sys-iface-state: 'managed')"},
	},
	{ // success
		{"NetworkManager", "<info>  [%s] device (wlan0): Activation: starting connection 'Office' (6b1c)"},
		{"wpa_supplicant", "wlan0: CTRL-EVENT-SCAN-RESULTS "},
		{"wpa_supplicant", "wlan0: CTRL-EVENT-CONNECTED - Connection to 02:00:00:00:01:00 completed [id=0 id_str=]"},
		{"NetworkManager", "<info>  [%s] dhcp4 (wlan0): state changed new lease, address=192.0.2.10"},
		{"NetworkManager", "<info>  [%s] device (wlan0): state change: secondaries -> activated (reason 'none', sys-iface-state: 'managed')"},
		{"NetworkManager", "<info>  [%s] device (wlan0): Activation: successful, device activated."},
	},
}

// Write writes a journal export of about cfg.Bytes bytes to w and returns
// the number of join attempts in it.
func Write(w io.Writer, cfg Config) (int, error) {
	if cfg.AttemptEvery <= 0 {
		cfg.AttemptEvery = 50 << 20
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	bw := bufio.NewWriterSize(w, 1<<20)
	var written, nextAttempt int64 = 0, cfg.AttemptEvery / 2
	usec := int64(1700000000) * 1e6
	seq := 0
	n := 0
	emit := func(ident, unit, msg string) error {
		seq++
		usec += int64(rng.IntN(200000))
		e := map[string]string{
			"__CURSOR":                   fmt.Sprintf("s=5f3a1c0e8d2b4a6f9e7d1c3b5a79e8f1;i=%x;b=3c9a0e5d7f1b4c2a8e6d0f9b1a3c5e7d;m=%x;t=%x;x=%016x", seq, usec/3, usec, rng.Uint64()),
			"__REALTIME_TIMESTAMP":       strconv.FormatInt(usec, 10),
			"__MONOTONIC_TIMESTAMP":      strconv.FormatInt(usec/3, 10),
			"_BOOT_ID":                   "3c9a0e5d7f1b4c2a8e6d0f9b1a3c5e7d",
			"_MACHINE_ID":                "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
			"_HOSTNAME":                  "laptop",
			"PRIORITY":                   strconv.Itoa(3 + rng.IntN(4)),
			"SYSLOG_FACILITY":            "3",
			"SYSLOG_IDENTIFIER":          ident,
			"_TRANSPORT":                 "journal",
			"_PID":                       strconv.Itoa(300 + rng.IntN(30000)),
			"_UID":                       "0",
			"_GID":                       "0",
			"_COMM":                      ident,
			"_EXE":                       "/usr/sbin/" + ident,
			"_CMDLINE":                   "/usr/sbin/" + ident + " --no-daemon",
			"_CAP_EFFECTIVE":             "1ffffffffff",
			"_SELINUX_CONTEXT":           "unconfined\n",
			"_SYSTEMD_CGROUP":            "/system.slice/" + unit,
			"_SYSTEMD_UNIT":              unit,
			"_SYSTEMD_SLICE":             "system.slice",
			"_SYSTEMD_INVOCATION_ID":     "7d1c3b5a79e8f15f3a1c0e8d2b4a6f9e",
			"_SOURCE_REALTIME_TIMESTAMP": strconv.FormatInt(usec-17, 10),
			"MESSAGE":                    msg,
		}
		if ident == "kernel" {
			e["_TRANSPORT"] = "kernel"
			delete(e, "_SYSTEMD_UNIT")
		}
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		written += int64(len(b))
		_, err = bw.Write(b)
		return err
	}
	for written < cfg.Bytes {
		if written >= nextAttempt {
			a := attempts[n%len(attempts)]
			n++
			for _, l := range a {
				msg := l[1]
				if len(msg) > 9 && msg[:1] == "<" {
					msg = fmt.Sprintf(msg, fmt.Sprintf("%d.%04d", usec/1e6, (usec/100)%10000))
				}
				unit := l[0] + ".service"
				if err := emit(l[0], unit, msg); err != nil {
					return n, err
				}
			}
			nextAttempt += cfg.AttemptEvery
			continue
		}
		x := noise[rng.IntN(len(noise))]
		if err := emit(x.ident, x.unit, fmt.Sprintf(x.msg, rng.IntN(100))); err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}

// ToSyslog converts a journal export to journalctl's default (short) text
// output: "Mon DD HH:MM:SS host ident[pid]: message".
func ToSyslog(export []byte) []byte {
	var out []byte
	for len(export) > 0 {
		line := export
		if i := indexByte(export, '\n'); i >= 0 {
			line, export = export[:i], export[i+1:]
		} else {
			export = nil
		}
		var e map[string]string
		if json.Unmarshal(line, &e) != nil {
			continue
		}
		us, _ := strconv.ParseInt(e["__REALTIME_TIMESTAMP"], 10, 64)
		t := time.UnixMicro(us).UTC()
		out = fmt.Appendf(out, "%s %s %s[%s]: %s\n", t.Format(time.Stamp), e["_HOSTNAME"], e["SYSLOG_IDENTIFIER"], e["_PID"], e["MESSAGE"])
	}
	return out
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
