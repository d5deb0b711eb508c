# Scenario runner library: join drivers (hotspotctl / nmcli), report checks,
# per-scenario artifacts. Sourced by matrix.sh, bench.sh and demo.sh.
. "$LAB_DIR/guest/lib.sh"
. "$LAB_DIR/guest/secrets.sh"
export NO_COLOR=1 TERM=dumb

# Install the passphrases into the guest tmpfs.
secret wpa2 "$LAB_PASS_WPA2"; secret sae "$LAB_PASS_SAE"
secret wrong "$LAB_PASS_WRONG"; secret once "$LAB_PASS_ONCE"

# Run hotspotctl from the guest's tmpfs: exec over 9p costs seconds under load.
if [ -x "$LAB_BIN" ]; then
  mkdir -p $LAB_RUN/bin && cp "$LAB_BIN" $LAB_RUN/bin/hotspotctl && LAB_BIN=$LAB_RUN/bin/hotspotctl
fi
for t in scanblock hwsimradio; do
  [ -x "$LAB_OUT/bin/$t" ] && mkdir -p $LAB_RUN/bin && cp "$LAB_OUT/bin/$t" $LAB_RUN/bin/
done
have_hotspotctl() { [ -x "$LAB_BIN" ]; }
strip_ansi() { sed -e 's/\x1b\[[0-9;]*[A-Za-z]//g' -e 's/\r//g'; }

class_of_exit() {
  case $1 in 0) echo none;; 2) echo invalid_input;; 10) echo not_found;; 11) echo scan_busy;; 12) echo wrong_key;;
    13) echo assoc_rejected;; 14) echo dhcp_failed;; 15) echo radio_off;; 16) echo device_unavailable;;
    17) echo backend_unavailable;; 18) echo permission_denied;; 19) echo timeout;; 20) echo unknown;;
    21) echo superseded;; 22) echo interface_busy;; 130) echo interrupted;;
    124) echo harness_timeout;; *) echo "exit_$1";; esac
}

# nmcli_class RC OUTPUT: what nmcli's exit code and message name as the cause,
# in hotspotctl's vocabulary (see FINDINGS.md for where each mapping comes from).
nmcli_class() {
  local rc=$1 out=$2
  case $rc in
    0) echo none; return;;
    10) echo not_found; return;;
    8) echo backend_unavailable; return;;
    124) echo timeout; return;;
  esac
  case $out in
    *"Secrets were required"*|*"no secrets"*) echo wrong_key;;
    *"IP configuration could not be reserved"*|*"DHCP"*) echo dhcp_failed;;
    *"radio"*|*"Wi-Fi is disabled"*|*"rfkill"*) echo radio_off;;
    *"not running"*) echo backend_unavailable;;
    *"is not managed"*|*"not available"*|*"unavailable"*|*"No suitable device"*|*"not ready"*) echo device_unavailable;;
    *"No network with SSID"*|*"network could not be found"*) echo not_found;;
    *"802.1X supplicant took too long"*|*"supplicant-timeout"*|*"association"*|*"timed out"*) echo assoc_rejected;;
    *"Timeout"*) echo timeout;;
    *) echo unknown;;
  esac
}

# Per-scenario artifact directory and log offsets.
scen_begin() { # scen_begin DIRNAME
  SDIR=$LAB_OUT/scenarios/$1; rm -rf "$SDIR"; mkdir -p "$SDIR"
  local f; LOGOFS=()
  for f in NetworkManager wpa_supplicant; do LOGOFS+=("$f:$(stat -c %s "$LAB_LOGS/$f.log" 2>/dev/null || echo 0)"); done
  CHECK_FAILS=()
}
scen_end() { # copy the slices of the daemon logs that this scenario produced
  local e f o
  for e in "${LOGOFS[@]}"; do f=${e%%:*}; o=${e#*:}; tail -c +$((o+1)) "$LAB_LOGS/$f.log" > "$SDIR/$f.log" 2>/dev/null; done
  if [ "$LAB_MODE" = systemd ]; then journalctl -o json --since "@${SCEN_T0%.*}" --no-pager > "$SDIR/journal.json" 2>/dev/null; fi
  cp "$LAB_LOGS"/hostapd-*.log "$SDIR/" 2>/dev/null; rm -f "$LAB_LOGS"/hostapd-*.log
}

fail_check() { CHECK_FAILS+=("$*"); }

# diagnose_own: `hotspotctl diagnose` on the join's own output (its debug
# log's event lines) must give every attempt the class the live join gave
# it: one classifier for live joins and logs, on the real stack.
diagnose_own() {
  local live own
  live=$(jq -c '[.attempts[].class]' "$REPORT")
  grep '^{"level"' "$OUTF" > "${OUTF%.out}.log"   # its log (stderr), without the summary on stdout
  own=$("$LAB_BIN" diagnose --json "${OUTF%.out}.log" 2>/dev/null | jq -c '[.attempts[].class]')
  [ "$live" = "$own" ] || fail_check "diagnose of the join's debug log gave attempts $own, the live join $live"
}

# lab_join TOOL LABEL SSID [hotspotctl args...]
#   Env: JOIN_SECRET (secret name), JOIN_TIMEOUT (s, default 60), JOIN_HIDDEN=1,
#        JOIN_PASS_VIA=file|env
# Sets: GOT_CLASS GOT_RC GOT_SECS REPORT OUTF
lab_join() {
  local tool=$1 label=$2 ssid=$3; shift 3
  local t=${JOIN_TIMEOUT:-60} t0 rc
  REPORT=$SDIR/$label.report.json OUTF=$SDIR/$label.out
  # Every join's kernel log is kept on its own (LABEL.dmesg): the ring buffer
  # is cleared first, so it holds this join's lines and nothing older.
  dmesg -C 2>/dev/null
  t0=$(now_s)
  if [ "$tool" = hotspotctl ]; then
    if ! have_hotspotctl; then GOT_CLASS="hotspotctl_not_built"; GOT_RC=127; GOT_SECS=0
      echo "hotspotctl not built" > "$OUTF"; fail_check "hotspotctl not built"; return; fi
    local args=(join)
    [ -n "$ssid" ] && args+=("$ssid")
    args+=(--ifname "$LAB_STA" --timeout "${t}s" --report "$REPORT")
    [ "${JOIN_HIDDEN:-0}" = 1 ] && args+=(--hidden)
    if [ -n "${JOIN_SECRET:-}" ] && [ "${JOIN_PASS_VIA:-file}" = file ]; then args+=(--passphrase-file "$(secret_file "$JOIN_SECRET")"); fi
    # The debug log carries every attempt's events (one line each):
    # diagnose_own checks that diagnose gives them the live verdicts.
    args+=(--log-level debug --log-format json)
    args+=("$@")
    echo "+ hotspotctl ${args[*]}" > "$OUTF"
    if [ -n "${JOIN_AS:-}" ]; then
      # Run as a plain user (JOIN_AS): the report and the passphrase file
      # go through a directory that user owns, then the report is copied back.
      local d i; d=$(mktemp -d /tmp/joinas.XXXXXX); chown "$JOIN_AS" "$d"; chmod 700 "$d"
      for i in "${!args[@]}"; do
        case ${args[$i]} in
          "$REPORT") args[$i]=$d/report.json ;;
          "$LAB_SECRETS"/*) install -m 600 -o "$JOIN_AS" "${args[$i]}" "$d/pass"; args[$i]=$d/pass ;;
        esac
      done
      echo "+ as $JOIN_AS: setpriv --reuid=$JOIN_AS --regid=nogroup --clear-groups hotspotctl ${args[*]}" >> "$OUTF"
      timeout -k 5 $((t+30)) setpriv --reuid="$JOIN_AS" --regid=nogroup --clear-groups "$LAB_BIN" "${args[@]}" < /dev/null >> "$OUTF" 2>&1
      local jrc=$?
      [ -f "$d/report.json" ] && { [ "$(stat -c %a "$d/report.json")" = 600 ] || fail_check "report mode $(stat -c %a "$d/report.json") != 600"; }
      [ -f "$d/report.json" ] && install -m 600 "$d/report.json" "$REPORT"
      rm -rf "$d"
    elif [ -n "${JOIN_SECRET:-}" ] && [ "${JOIN_PASS_VIA:-file}" = env ]; then
      HOTSPOTCTL_PASSPHRASE=$(cat "$(secret_file "$JOIN_SECRET")") timeout -k 5 $((t+30)) "$LAB_BIN" "${args[@]}" >> "$OUTF" 2>&1
    else
      timeout -k 5 $((t+30)) "$LAB_BIN" "${args[@]}" < /dev/null >> "$OUTF" 2>&1
    fi
    rc=$?
    [ -n "${JOIN_AS:-}" ] && rc=$jrc
    GOT_SECS=$(elapsed "$t0"); GOT_RC=$rc
    if [ -s "$REPORT" ] && jq -e . "$REPORT" >/dev/null 2>&1; then
      GOT_CLASS=$(jq -r '.class' "$REPORT")
      local want; want=$(class_of_exit $rc)
      [ "$rc" = 124 ] && fail_check "hotspotctl ran past its deadline (${t}s + 30s)"
      [ "$want" = "$GOT_CLASS" ] || fail_check "exit code $rc ($want) disagrees with report class $GOT_CLASS"
      [ "$(stat -c %a "$REPORT")" = 600 ] || fail_check "report mode $(stat -c %a "$REPORT") != 600"
      [ "$(jq -r .schema "$REPORT")" = hotspotctl.report/v1 ] || fail_check "report schema $(jq -r .schema "$REPORT")"
      diagnose_own
    else
      GOT_CLASS=$(class_of_exit $rc); fail_check "no valid report at $REPORT (exit $rc)"
    fi
  else
    local args=(--wait "$t")
    [ -n "${JOIN_SECRET:-}" ] && args+=(--ask)
    args+=(dev wifi connect "$ssid" ifname "$LAB_STA")
    [ "${JOIN_HIDDEN:-0}" = 1 ] && args+=(hidden yes)
    echo "+ nmcli ${args[*]}" > "$OUTF"
    local out
    if [ -n "${JOIN_SECRET:-}" ]; then
      out=$(timeout -k 5 $((t+30)) nmcli "${args[@]}" < "$(secret_file "$JOIN_SECRET")" 2>&1); rc=$?
    else
      out=$(timeout -k 5 $((t+30)) nmcli "${args[@]}" < /dev/null 2>&1); rc=$?
    fi
    GOT_SECS=$(elapsed "$t0"); GOT_RC=$rc
    out=$(echo "$out" | strip_ansi)
    echo "$out" >> "$OUTF"; echo "exit $rc" >> "$OUTF"
    GOT_CLASS=$(nmcli_class $rc "$out")
    REPORT=
  fi
  sta_snapshot > "$SDIR/$label.state" 2>&1
  dmesg > "$SDIR/$label.dmesg" 2>&1
  lab_log "join[$tool] $label ssid=$ssid -> rc=$GOT_RC class=$GOT_CLASS ${GOT_SECS}s"
}

# Report assertions (no-ops for nmcli, which has no report).
rq() { jq -r "$1" "$REPORT" 2>/dev/null; }
expect_report() { # expect_report DESC JQ-BOOLEAN-EXPR
  [ -n "$REPORT" ] || return 0
  [ -s "$REPORT" ] || return 0   # already recorded as "no valid report"
  jq -e "$2" "$REPORT" >/dev/null 2>&1 || fail_check "$1"
}
# The lab asserts no wall-clock speed: a TCG guest on a loaded CI machine runs
# several times slower than on a quiet one (the absent scenario took 17 s on
# one and 27.7 s on another). A claim that a verdict is "fast" is checked by
# what the join did not have to do (expect_no_activation, expect_no_scan);
# GOT_SECS stays in the result table for people to read.
#
# expect_deadline DESC: the report's own clock (ended - started) stays within
# the join's --timeout plus SLACK s (default 10: profile restore after the
# deadline). This is the tool's contract that every wait has a deadline, not a
# speed claim; the harness's kill at timeout+30 s is the backstop.
# epoch: an RFC 3339 time as Go writes it (fraction optional, Z or +hh:mm).
JQ_EPOCH='def epoch: capture("^(?<t>[0-9-]+T[0-9:]+)(\\.[0-9]+)?(?<z>Z|(?<s>[+-])(?<h>[0-9]{2}):(?<m>[0-9]{2}))$") | (.t + "Z" | fromdateiso8601) - (if .z == "Z" then 0 else (if .s == "+" then 1 else -1 end) * ((.h|tonumber)*3600 + (.m|tonumber)*60) end);'
expect_deadline() {
  [ -n "$REPORT" ] && [ -s "$REPORT" ] || return 0
  local limit=$(( ${JOIN_TIMEOUT:-60} + ${2:-10} ))
  jq -e --argjson lim "$limit" "$JQ_EPOCH"' (.ended | epoch) - (.started | epoch) <= $lim' "$REPORT" >/dev/null 2>&1 ||
    fail_check "$1: report spans $(jq -r '.started + " .. " + .ended' "$REPORT"), more than ${limit}s"
}
# expect_kernel_verdict CLASS DESC [LABEL]: `hotspotctl diagnose` of the join's
# kernel log alone (dmesg, as people paste it) gives CLASS. It checks the
# kernel-only rules (mac80211's association and deauthentication lines) on
# what the real kernel printed, not on lines written from its source.
# Skipped for nmcli, like expect_report: its joins differ (its own retries).
expect_kernel_verdict() {
  [ -n "$REPORT" ] || return 0
  local f=$SDIR/${3:-join}.dmesg got
  [ -s "$f" ] || { fail_check "$2: no kernel log at $f"; return; }
  got=$("$LAB_BIN" diagnose --json "$f" 2>/dev/null | jq -r .class)
  [ "$got" = "$1" ] || fail_check "$2: diagnose of the kernel log alone said ${got:-nothing}, want $1"
}
# Activation events: NetworkManager moving the station to prepare and beyond,
# or any active-connection change, inside the report's attempts.
ACTIVATION_EVENTS='[.attempts[]?.events[]? | select(.kind == "active_state" or (.kind == "device_state" and ((.state // "") | IN("prepare","config","need-auth","ip-config","ip-check","secondaries","activated"))))]'
expect_no_activation() { # expect_no_activation DESC
  expect_report "$1" "$ACTIVATION_EVENTS | length == 0"
}
expect_no_scan() { # expect_no_scan DESC
  expect_report "$1" '[.attempts[]?.scans[]?] | length == 0'
}
# All text anywhere in the report (detail, hints, evidence, events, scan errors).
REPORT_TEXT='[.. | strings] | join("\n")'
