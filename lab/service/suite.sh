# Suite "service": hotspotctl daemon under systemd as PID 1 (run with
#   lab/run --exec lab/service/suite.sh --mode systemd    or   make lab-service).
# Installs systemd/hotspotctl.service (plus a lab drop-in: the lab's binary,
# short watchdog and backoff) and the bus policy, then checks: ready, join,
# rejoin after the AP goes and returns, NetworkManager restart, restart after
# a crash and after a missed watchdog, busctl Apply vs the CLI for a wrong key,
# the CLI through the daemon, SIGTERM leaving no half-written report, a bad
# configuration file (error with file:line in the journal, last good
# configuration kept), no passphrase in the journal, and the idle cost.
# Prints the matrix's line format and ends with "N passed, N failed".
. "$LAB_DIR/guest/runner.sh"
ROOT=$(cd "$LAB_DIR/.." && pwd)
SOUT=$LAB_OUT/service
mkdir -p "$SOUT"
TSV=$SOUT/service.tsv
printf 'test\ttool\texpected\tgot\tseconds\tresult\tnotes\n' > "$TSV"
UNIT=hotspotctl.service
SSID=LabSvc KEYSSID=LabSvcKey
BUSARGS=(org.hotspotctl.Daemon1 /org/hotspotctl/Daemon1 org.hotspotctl.Daemon1)
REPORTS=/var/lib/hotspotctl/reports

secret wpa2 "$LAB_PASS_WPA2"; secret wrong "$LAB_PASS_WRONG"
cp "$(secret_file wpa2)" "$(secret_file ap1)"; cp "$(secret_file wpa2)" "$(secret_file ap2)"

# ---- helpers ------------------------------------------------------------------
svc_pid() { systemctl show -p MainPID --value $UNIT; }
svc_active() { [ "$(systemctl show -p ActiveState --value $UNIT)" = active ]; }
svc_restarts() { systemctl show -p NRestarts --value $UNIT; }
# svc_status FIELD: one field of org.hotspotctl.Daemon1.Status
svc_status() { busctl --json=short call "${BUSARGS[@]}" Status 2>/dev/null | jq -r ".data[0].$1.data | if type == \"array\" then implode else . end" 2>/dev/null; }
svc_state_is() { [ "$(svc_status state)" = "$1" ]; }
svc_list() { busctl --json=short call "${BUSARGS[@]}" List 2>/dev/null | jq -c '[.data[0][] | implode]'; }
journal_since() { journalctl -u $UNIT -o json --no-pager --since "@$1" 2>/dev/null; }
ssid_bytes() { printf '%s' "$1" | od -An -tu1 | xargs; }
sta_ssid() { nmcli -t -f active,ssid dev wifi list ifname "$LAB_STA" --rescan no 2>/dev/null | awk -F: '$1=="yes"{print $2; exit}'; }
not_connected() { ! svc_state_is connected; }
cfg_ok() { [ -z "$(svc_status config_error)" ]; }
# restarted OLDPID: a new main process is up and the unit active
restarted() { local p; p=$(svc_pid); [ "$p" != "$1" ] && [ "$p" != 0 ] && svc_active; }
result_is() { [ "$(systemctl show -p Result --value $UNIT)" = "$1" ]; }
new_report() { [ -n "$(find "$REPORTS" -name "*-$2.json" -newermt "@$1" 2>/dev/null)" ]; }
journal_has() { journalctl -u $UNIT -o cat --since "@$1" --no-pager 2>/dev/null | grep -q -- "$2"; }
wait_until() { # wait_until SECONDS CMD...: poll every 0.5 s
  local end=$(( $(date +%s) + $1 )); shift
  until "$@"; do [ "$(date +%s)" -ge $end ] && return 1; sleep 0.5; done
}
pass=0 failn=0
begin() { CHECK_FAILS=(); T0=$(now_s); TNAME=$1; lab_log "=== service test $1"; }
# end EXPECT GOT
end() {
  local res=PASS notes
  [ "$1" = "$2" ] || fail_check "got $2, expected $1"
  [ ${#CHECK_FAILS[@]} -gt 0 ] && res=FAIL
  notes=$(IFS='; '; echo "${CHECK_FAILS[*]}")
  printf '%-4s %-15s %-11s %-20s %-20s %7s  %s\n' "$res" "$TNAME" daemon "$1" "$2" "$(elapsed "$T0")" "$notes"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$TNAME" daemon "$1" "$2" "$(elapsed "$T0")" "$res" "$notes" >> "$TSV"
}

install_service() {
  local um; um=$(umask); umask 022
  install -m 0644 "$ROOT/systemd/$UNIT" /etc/systemd/system/$UNIT
  mkdir -p /etc/systemd/system/$UNIT.d /usr/share/dbus-1/system.d
  cat > /etc/systemd/system/$UNIT.d/lab.conf <<EOF
[Service]
ExecStart=
ExecStart=$LAB_BIN daemon --ifname $LAB_STA --max-backoff 8s --join-timeout 60s --log-level debug
WatchdogSec=10s
TimeoutAbortSec=5s
RestartSec=2s
StartLimitBurst=20
EOF
  chmod 0644 /etc/systemd/system/$UNIT.d/lab.conf
  install -m 0644 "$ROOT/systemd/org.hotspotctl.Daemon1.conf" /usr/share/dbus-1/system.d/
  busctl call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ReloadConfig >/dev/null
  mkdir -p /etc/hotspotctl && chmod 700 /etc/hotspotctl
  install -m 0600 "$(secret_file wpa2)" /etc/hotspotctl/lab.psk
  cat > /etc/hotspotctl/lab.conf <<EOF
# the lab's network (written by lab/service/suite.sh)
ssid = $SSID
priority = 10
security = wpa-psk
passphrase_file = /etc/hotspotctl/lab.psk
EOF
  systemctl daemon-reload
  umask "$um"
}

# ---- bring-up -------------------------------------------------------------------
echo "lab: service suite (systemd $(systemctl --version | head -1 | cut -d' ' -f2))"
printf '%-4s %-15s %-11s %-20s %-20s %7s  %s\n' "" test tool expected got seconds notes
have_hotspotctl || { echo "hotspotctl not built"; echo "0 passed, 1 failed"; exit 1; }
reset_state
SUITE_T0=$(date +%s)
ap_start 1 "$SSID" wpa2 >> "$SOUT/setup.log" 2>&1 && wait_visible "$SSID" >> "$SOUT/setup.log" 2>&1
ap_start 2 "$KEYSSID" wpa2 >> "$SOUT/setup.log" 2>&1 && wait_visible "$KEYSSID" >> "$SOUT/setup.log" 2>&1
install_service

# ready: Type=notify: systemctl start returns once READY=1 arrived, which the
# daemon sends only after owning its bus name and loading the configuration.
begin ready
systemctl start $UNIT; rc=$?
got=failed
if [ $rc = 0 ] && svc_active; then
  got=ready
  busctl status org.hotspotctl.Daemon1 >/dev/null 2>&1 || fail_check "name not owned after start returned"
  [ "$(systemctl show -p StatusText --value $UNIT)" != "" ] || fail_check "no STATUS= text"
else
  fail_check "systemctl start rc=$rc: $(systemctl status $UNIT --no-pager 2>&1 | tail -5 | tr '\n' ' ')"
fi
end ready "$got"

begin join
wait_until 120 svc_state_is connected
got=$(svc_status state)
[ "$(sta_ssid)" = "$SSID" ] || fail_check "station is on '$(sta_ssid)', not $SSID"
case $(nmcli -g IP4.ADDRESS dev show "$LAB_STA") in 192.168.101.*) ;; *) fail_check "no DHCP address";; esac
end connected "$got"

# Idle cost while joined and idle (baselines measured over the same window).
begin idle
sleep 5
# What the bus carries meanwhile (to explain the daemon's wakeups).
timeout 62 busctl monitor --json=short > "$SOUT/idle-bus.json" 2>/dev/null &
mon=$!
if IDLE_BLOCK_BIN=$LAB_OUT/bin/go-blocking bash "$ROOT/daemon/bench/idle.sh" --pid "$(svc_pid)" --seconds 60 > "$SOUT/idle.txt" 2>&1; then got=measured; else got=failed; fi
wait $mon 2>/dev/null
busctl status org.hotspotctl.Daemon1 2>/dev/null | grep -E '^UniqueName=' > "$SOUT/idle-bus-hist.txt"
jq -r 'select(.type=="signal") | "\(.sender) \(.interface).\(.member) \(.path) \(if .member=="PropertiesChanged" then ((.payload.data[0] // "")|tostring) + " " + ((.payload.data[1] // {}) | keys | join(",")) else "" end)"' \
  "$SOUT/idle-bus.json" 2>/dev/null | sort | uniq -c | sort -rn | head -25 >> "$SOUT/idle-bus-hist.txt"
jq -r 'select(.destination != null and .destination != "") | "to \(.destination) \(.type) \(.interface).\(.member)"' "$SOUT/idle-bus.json" 2>/dev/null \
  | sort | uniq -c | sort -rn | head -15 >> "$SOUT/idle-bus-hist.txt"
sed 's/^/     /' "$SOUT/idle.txt" | grep -v '^     {'
end measured "$got"

begin rejoin
t=$(date +%s)
ap_stop 1
wait_until 60 not_connected || fail_check "loss not noticed within 60s"
journal_since "$t" | grep -q 'network lost; rejoining' || fail_check "no 'network lost' in the journal"
# Keep the AP away until the daemon has classified a failed rejoin.
wait_until 180 new_report "$t" not_found || fail_check "no not_found report while the AP was gone"
ap_start 1 "$SSID" wpa2 >> "$SOUT/setup.log" 2>&1
wait_until 120 svc_state_is connected
got=$(svc_status state)
[ "$(sta_ssid)" = "$SSID" ] || fail_check "station is on '$(sta_ssid)', not $SSID"
journal_since "$t" | jq -r 'select(.CLASS != null) | .CLASS' | sort | uniq -c | tr '\n' ' ' > "$SOUT/rejoin-classes.txt"
end connected "$got"

begin nm-restart
pid0=$(svc_pid)
t=$(date +%s)
systemctl restart NetworkManager
wait_for 30 nm_running
sleep 3
wait_until 120 svc_state_is connected
got=$(svc_status state)
[ "$(svc_pid)" = "$pid0" ] || fail_check "the daemon restarted (pid $pid0 -> $(svc_pid))"
journal_since "$t" | grep -q -E 'NetworkManager left the bus|network lost' || fail_check "NetworkManager's exit not seen"
[ "$(sta_ssid)" = "$SSID" ] || fail_check "station is on '$(sta_ssid)', not $SSID"
end connected "$got"

begin crash
pid0=$(svc_pid); r0=$(svc_restarts); t=$(date +%s)
kill -SEGV "$pid0"
wait_until 30 result_is exit-code || fail_check "Result never exit-code"
wait_until 30 restarted "$pid0"
got=not-restarted
if svc_active && [ "$(svc_pid)" != "$pid0" ]; then got=restarted; fi
[ "$(svc_restarts)" -gt "$r0" ] || fail_check "NRestarts did not grow"
wait_until 120 svc_state_is connected || fail_check "not connected after the restart"
end restarted "$got"

begin watchdog
pid0=$(svc_pid); r0=$(svc_restarts); t=$(date +%s)
kill -STOP "$pid0"
wait_until 60 result_is watchdog || fail_check "Result never watchdog"
wait_until 60 restarted "$pid0"
got=not-restarted
if svc_active && [ "$(svc_pid)" != "$pid0" ]; then got=restarted; fi
[ "$(svc_restarts)" -gt "$r0" ] || fail_check "NRestarts did not grow"
wait_until 120 svc_state_is connected || fail_check "not connected after the restart"
end restarted "$got"

# The same wrong key through the CLI alone (daemon stopped, so the two do not
# race for the radio), through busctl's Apply, and through the CLI with the
# daemon running (the CLI then calls Apply itself).
begin apply-wrong-key
systemctl stop $UNIT
HOTSPOTCTL_NO_DAEMON=1 timeout 120 "$LAB_BIN" join "$KEYSSID" --ifname "$LAB_STA" --once --timeout 60s \
  --passphrase-file "$(secret_file wrong)" --report "$SOUT/cli-alone.report.json" < /dev/null > "$SOUT/cli-alone.out" 2>&1
cli_rc=$?
cli_class=$(jq -r .class "$SOUT/cli-alone.report.json" 2>/dev/null)
systemctl start $UNIT || fail_check "restart after the CLI run failed"
wait_until 120 svc_state_is connected || fail_check "not connected before Apply"
# busctl takes arguments only: the (wrong, test-only) key is on its command
# line inside the VM, never in a file under lab/out.
busctl --json=short --timeout=150 call "${BUSARGS[@]}" Apply 'a{sv}' 5 \
  ssid ay $(printf '%s' "$KEYSSID" | wc -c) $(ssid_bytes "$KEYSSID") \
  passphrase s "$(cat "$(secret_file wrong)")" security s wpa-psk once b true timeout_ms u 60000 \
  > "$SOUT/busctl-apply.json" 2> "$SOUT/busctl-apply.err"
jq -r ".data[0]" "$SOUT/busctl-apply.json" > "$SOUT/busctl.report.json" 2>/dev/null
bus_class=$(jq -r .class "$SOUT/busctl.report.json" 2>/dev/null)
[ "$cli_rc" = 12 ] || fail_check "CLI exit $cli_rc, want 12"
[ "$cli_class" = "$bus_class" ] || fail_check "CLI alone said $cli_class, Apply said $bus_class"
[ -n "$(ls "$REPORTS"/*wrong_key*.json 2>/dev/null)" ] || fail_check "no wrong_key report in $REPORTS"
# The CLI through the daemon.
wait_until 120 svc_state_is connected || fail_check "not reconnected after Apply"
timeout 150 "$LAB_BIN" join "$KEYSSID" --ifname "$LAB_STA" --once --timeout 60s --log-level info \
  --passphrase-file "$(secret_file wrong)" --report "$SOUT/cli-daemon.report.json" < /dev/null > "$SOUT/cli-daemon.out" 2>&1
via_rc=$?
grep -q 'joining through the hotspotctl daemon' "$SOUT/cli-daemon.out" || fail_check "the CLI did not use the daemon"
[ "$via_rc" = 12 ] || fail_check "CLI via daemon exit $via_rc, want 12"
[ "$(jq -r .mode "$SOUT/cli-daemon.report.json" 2>/dev/null)" = daemon ] || fail_check "CLI via daemon: report mode is not daemon"
[ "$(stat -c %a "$SOUT/cli-daemon.report.json" 2>/dev/null)" = 600 ] || fail_check "CLI via daemon: report mode not 0600"
end "wrong_key" "${bus_class:-none}"

# SIGTERM while the daemon is failing to join and writing reports: only whole
# reports, no temporary files, a clean exit.
begin sigterm
wait_until 120 svc_state_is connected
ap_stop 1
bad=0
for delay in 6 9 13; do
  systemctl start $UNIT
  sleep "$delay"
  t=$(date +%s)
  systemctl stop $UNIT
  [ "$(systemctl show -p Result --value $UNIT)" = success ] || fail_check "stop after ${delay}s: Result=$(systemctl show -p Result --value $UNIT)"
  [ "$(systemctl show -p ExecMainStatus --value $UNIT)" = 0 ] || fail_check "stop after ${delay}s: exit status $(systemctl show -p ExecMainStatus --value $UNIT)"
done
ls -la "$REPORTS" > "$SOUT/reports-after-sigterm.txt"
tmpf=$(find "$REPORTS" -name '.*tmp*' | wc -l)
[ "$tmpf" = 0 ] || fail_check "$tmpf temporary files left"
for f in "$REPORTS"/*.json; do
  jq -e '.schema == "hotspotctl.report/v1" and (.class | length > 0)' "$f" >/dev/null 2>&1 || { bad=$((bad+1)); fail_check "not a whole report: $(basename "$f")"; }
  [ "$(stat -c %a "$f")" = 600 ] || fail_check "$(basename "$f") mode $(stat -c %a "$f")"
done
n=$(ls "$REPORTS"/*.json 2>/dev/null | wc -l)
got=clean; [ "$bad" = 0 ] && [ "$tmpf" = 0 ] || got=half-written
echo "     $n reports, all whole" >> "$SOUT/reports-after-sigterm.txt"
ap_start 1 "$SSID" wpa2 >> "$SOUT/setup.log" 2>&1
systemctl start $UNIT
end clean "$got"

begin bad-config
wait_until 120 svc_state_is connected
pid0=$(svc_pid); t=$(date +%s)
printf 'ssid = LabBad\n# the next line is wrong\npriority = high\n' > /etc/hotspotctl/zz-bad.conf
wait_until 20 journal_has "$t" 'zz-bad.conf:3:'
msg=$(journalctl -u $UNIT -o cat --since "@$t" --no-pager | grep 'zz-bad.conf:3:' | head -1)
echo "$msg" > "$SOUT/bad-config.txt"
got=no-error
case $msg in *"/etc/hotspotctl/zz-bad.conf:3: priority must be an integer"*) got=file:line;; esac
journal_since "$t" | jq -r 'select(.FILE != null) | "\(.FILE):\(.LINE)"' | grep -q '/etc/hotspotctl/zz-bad.conf:3' || fail_check "no FILE/LINE journal fields"
case $(svc_status config_error) in *zz-bad.conf:3:*) ;; *) fail_check "Status config_error: $(svc_status config_error)";; esac
[ "$(svc_list)" = "[\"$SSID\"]" ] || fail_check "List is $(svc_list), not the last good configuration"
[ "$(svc_pid)" = "$pid0" ] && svc_active || fail_check "the service did not keep running"
svc_state_is connected || fail_check "no longer connected: $(svc_status state)"
# SIGHUP (systemctl reload) after the fix.
printf 'ssid = LabBad\npriority = 1\n' > /etc/hotspotctl/zz-bad.conf
systemctl reload $UNIT
wait_until 20 cfg_ok || fail_check "the fixed file was not loaded"
[ "$(svc_list)" = "[\"$SSID\",\"LabBad\"]" ] || fail_check "List after the fix: $(svc_list)"
rm -f /etc/hotspotctl/zz-bad.conf
end file:line "$got"

begin no-secrets
journalctl -b -o json --no-pager > "$SOUT/journal.json" 2>/dev/null
cp "$REPORTS"/*.json "$SOUT/" 2>/dev/null
got=clean
for p in "$LAB_PASS_WPA2" "$LAB_PASS_WRONG"; do
  if grep -qF -e "$p" "$SOUT/journal.json"; then got=leaked; fail_check "a passphrase is in the journal"; fi
  if grep -rqF -e "$p" "$REPORTS"; then got=leaked; fail_check "a passphrase is in a report"; fi
done
end clean "$got"

systemctl stop $UNIT
journalctl -u $UNIT -o short-precise --no-pager > "$SOUT/hotspotctl.journal.txt" 2>/dev/null
pass=$(awk -F'\t' 'NR>1 && $6=="PASS"' "$TSV" | wc -l)
failn=$(awk -F'\t' 'NR>1 && $6=="FAIL"' "$TSV" | wc -l)
echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
