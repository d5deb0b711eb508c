NAME=concurrent-joins
EXPECT=none
EXPECT_LABEL=none,none
NEEDS=hotspotctl
SSID=LabTwoJoins
JOIN_TIMEOUT=120
# issue 8 item 12: two hotspotctl joins at once on wlan0 to the same open
# network. Without a lock each replaced the other's profile and both waited
# out their whole deadline (timeout). With the per-interface lock the second
# waits for the first and then joins; neither may take its full deadline.
# The deadline is 120 s because the second join's wait counts against it and
# one join takes about 30 s in the TCG guest (first run with 60 s: the
# second got the lock after 30 s and was 0.3 s short of its link settle).
setup() { ap_start 1 "$SSID" open && wait_visible "$SSID"; }
one() { # one LABEL: a join in the background; writes LABEL.rc and LABEL.secs
  local t0; t0=$(now_s)
  timeout -k 5 $((JOIN_TIMEOUT+30)) "$LAB_BIN" join "$SSID" --ifname "$LAB_STA" --timeout "${JOIN_TIMEOUT}s" \
    --report "$SDIR/$1.report.json" < /dev/null > "$SDIR/$1.out" 2>&1
  echo $? > "$SDIR/$1.rc"; elapsed "$t0" > "$SDIR/$1.secs"
}
act() {
  one join-a & local a=$!
  one join-b & local b=$!
  wait $a $b
  local ca cb
  ca=$(jq -r .class "$SDIR/join-a.report.json" 2>/dev/null || echo no_report)
  cb=$(jq -r .class "$SDIR/join-b.report.json" 2>/dev/null || echo no_report)
  # "none" only when both joined; otherwise both classes, e.g. none+superseded.
  GOT_CLASS=$(printf '%s\n%s\n' "$ca" "$cb" | sort | paste -sd+)
  [ "$GOT_CLASS" = none+none ] && GOT_CLASS=none
  GOT_SECS=$(sort -n "$SDIR/join-a.secs" "$SDIR/join-b.secs" | tail -1)
  REPORT=$SDIR/join-b.report.json
  local l
  for l in join-a join-b; do
    [ "$(class_of_exit "$(cat "$SDIR/$l.rc")")" = "$(jq -r .class "$SDIR/$l.report.json" 2>/dev/null)" ] ||
      fail_check "$l: exit $(cat "$SDIR/$l.rc") disagrees with its report"
    awk -v s="$(cat "$SDIR/$l.secs")" -v t="$JOIN_TIMEOUT" 'BEGIN{exit !(s < t-5)}' ||
      fail_check "$l took $(cat "$SDIR/$l.secs")s, about its whole deadline"
  done
  sta_snapshot > "$SDIR/join.state" 2>&1
  lab_log "concurrent joins: $GOT_CLASS a=$(cat "$SDIR/join-a.secs")s b=$(cat "$SDIR/join-b.secs")s"
}
