# Suite "demo": a few joins and failures with hotspotctl (or nmcli if
# hotspotctl is not built), printing each report's verdict and evidence.
. "$LAB_DIR/guest/runner.sh"
TOOL=hotspotctl; have_hotspotctl || { TOOL=nmcli; echo "demo: hotspotctl not built; showing nmcli"; }
show() {
  echo
  echo "=== $1: $TOOL $([ $TOOL = hotspotctl ] && echo join) $2 -> exit $GOT_RC, class $GOT_CLASS, ${GOT_SECS}s"
  [ -n "$REPORT" ] && [ -s "$REPORT" ] && jq -r '.summary // empty | "  \(.)"' "$REPORT"
  if [ -n "$REPORT" ] && [ -s "$REPORT" ]; then
    jq -r '"outcome: \(.outcome)  class: \(.class)  ssid: \(.ssid)  bssid: \(.bssid)  ip4: \(.ip4 // "-")",
           "detail:  \(.detail)",
           (.hints[]? | "hint:    \(.)"),
           (.attempts[]? | "attempt \(.number): \(.class) \(.detail)  scans: \([.scans[]? | "\(.method)/\(.outcome)"] | join(","))"),
           ([.evidence[]?, .attempts[]?.evidence[]?] | .[:6][] | "evidence [\(.source)]: \(.text)")' "$REPORT"
  else
    sed 's/^/  /' "$OUTF"
  fi
}
demo() { # demo SCENARIO
  local f; f=$(ls "$LAB_DIR"/scenarios/[0-9]*-"$1".sh | head -1)
  (
    NAME= EXPECT= NEEDS=any SSID= JOIN_SECRET= JOIN_TIMEOUT=60 JOIN_ARGS=()
    setup() { :; }; act() { lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"; }
    . "$f"
    reset_state; scen_begin "demo-$NAME"
    setup > "$SDIR/setup.log" 2>&1 || echo "setup of $NAME failed"
    act; scen_end
    show "$NAME" "$SSID"
  )
}
# merge_stack DIR: NetworkManager's and wpa_supplicant's logs of one
# scenario in time order, as the journal would interleave them (both carry
# Unix-time stamps: NetworkManager's "[1795672599.2774]", wpa_supplicant
# -t's leading "1795672833.423649:").
merge_stack() {
  for f in "$1/NetworkManager.log" "$1/wpa_supplicant.log"; do
    [ -s "$f" ] || continue
    awk '{ t = ""; if (match($0, /\[[0-9]+\.[0-9]+\]/)) t = substr($0, RSTART+1, RLENGTH-2);
           else if (match($0, /^[0-9]+\.[0-9]+:/)) t = substr($0, 1, RLENGTH-1);
           if (t != "") last = t; printf "%s\t%d\t%s\n", (last == "" ? 0 : last), NR, $0 }' "$f"
  done | sort -t "$(printf '\t')" -k1,1n -k2,2n -s | cut -f3-
}
verdict() { # verdict FILE: class, scope and the first sentence diagnose gives FILE
  "$LAB_BIN" diagnose --json "$1" 2>/dev/null | jq -r '"\(.class)\(if .scope then " (" + .scope + ")" else "" end): \(.summary)"'
}
# The distinction this product exists for: a network that is not there,
# and a scan blocked by other activity, from the live join and again from
# the logs that join left behind.
distinction() {
  local s sd
  echo "=== The two causes behind \"Unable to join network\" ==="
  for s in absent scan-blocked; do
    demo $s
    sd=$LAB_OUT/scenarios/demo-$s
    merge_stack "$sd" > "$sd/stack.log"
    echo
    echo "--- $s: the same verdict from the logs that join left"
    echo "live join:                        $(jq -r '"\(.class): \(.summary)"' "$sd/join.report.json" 2>/dev/null)"
    echo "diagnose hotspotctl's own log:    $(verdict "$sd/join.log")"
    echo "diagnose NetworkManager + wpa_s.: $(verdict "$sd/stack.log")"
  done
  cat <<'EOT'

absent: hotspotctl's own completed scans did not see the network, so it
never asked NetworkManager to join; NetworkManager's and wpa_supplicant's
logs show no failed join at all, only hotspotctl's log (--log-level debug,
or the service's journal) proves the absence.
scan-blocked: every scan was refused as busy (EBUSY); the network's presence
is unknown, and the stack's own logs show the refusals too.
EOT
}
[ $TOOL = hotspotctl ] && distinction
for s in wpa2 wrong-key near-miss assoc-rejected radio-off; do demo $s; done
reset_state
echo
echo "demo done; reports under lab/out/scenarios/demo-*/"
