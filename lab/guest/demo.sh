# Suite "demo": a few joins and failures with hotspotctl (or nmcli if
# hotspotctl is not built), printing each report's verdict and evidence.
. "$LAB_DIR/guest/runner.sh"
TOOL=hotspotctl; have_hotspotctl || { TOOL=nmcli; echo "demo: hotspotctl not built; showing nmcli"; }
show() {
  echo
  echo "=== $1: $TOOL $([ $TOOL = hotspotctl ] && echo join) $2 -> exit $GOT_RC, class $GOT_CLASS, ${GOT_SECS}s"
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
for s in wpa2 wrong-key absent near-miss assoc-rejected radio-off; do demo $s; done
reset_state
echo
echo "demo done; reports under lab/out/scenarios/demo-*/"
