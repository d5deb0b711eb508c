# Suite "bench": adverse scenarios, each run LAB_BENCH_RUNS times with
# `nmcli dev wifi connect` and with `hotspotctl join`; writes lab/out/bench.json.
. "$LAB_DIR/guest/runner.sh"
RUNS=${LAB_BENCH_RUNS:-3}
BENCH="stale-cache late-ap contention absent wrong-key wpa2"
TSV=$LAB_OUT/bench-runs.tsv
printf 'scenario\ttool\trun\tjoinable\texpected\tgot\tsuccess\tseconds\n' > "$TSV"
tools="nmcli hotspotctl"
echo "lab: bench: $BENCH x {$tools} x $RUNS runs"
for s in $BENCH; do
  f=$(ls "$LAB_DIR"/scenarios/[0-9]*-"$s".sh | head -1)
  for tool in $tools; do
    for ((r=1; r<=RUNS; r++)); do
      (
        NAME= EXPECT= NEEDS=any SSID= JOIN_SECRET= JOIN_TIMEOUT=60 JOIN_ARGS=()
        setup() { :; }
        act() { lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"; }
        . "$f"
        TOOL=$tool
        joinable=true; [ "$EXPECT" = none ] || joinable=false
        lab_log "=== bench $NAME $tool run $r"
        reset_state
        scen_begin "bench-$NAME-$tool-$r"
        SCEN_T0=$(now_s)
        GOT_CLASS=setup_failed GOT_SECS=0
        if [ $tool = hotspotctl ] && ! have_hotspotctl; then GOT_CLASS=hotspotctl_not_built
        elif setup > "$SDIR/setup.log" 2>&1; then act; fi
        scen_end
        succ=0; [ "$GOT_CLASS" = "$EXPECT" ] && succ=1
        printf '%-12s %-10s run %d: expected %-10s got %-20s %6ss %s\n' "$NAME" "$tool" "$r" "$EXPECT" "$GOT_CLASS" "$GOT_SECS" "$([ $succ = 1 ] && echo ok || echo MISS)"
        printf '%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n' "$NAME" "$tool" "$r" "$joinable" "$EXPECT" "$GOT_CLASS" "$succ" "$GOT_SECS" >> "$TSV"
      )
    done
  done
done
reset_state
# Aggregate: one object per scenario and tool.
jq -R -s '
  split("\n") | .[1:] | map(select(length>0) | split("\t")
    | {scenario:.[0], tool:.[1], joinable:(.[3]=="true"), success:(.[6]|tonumber), secs:(.[7]|tonumber), got:.[5]})
  | group_by([.scenario,.tool])
  | map({scenario: .[0].scenario, tool: .[0].tool, runs: length, joinable: .[0].joinable,
         first_invocation_success: ((map(.success)|add) / length),
         median_verdict_s: (map(.secs) | sort | if length % 2 == 1 then .[length/2|floor] else (.[length/2-1] + .[length/2]) / 2 end),
         classes: (map(.got) | group_by(.) | map({(.[0]): length}) | add)})' "$TSV" > "$LAB_OUT/bench.json"
echo
printf '%-12s %-9s %-11s %-11s %-11s %-11s %s\n' scenario joinable "nmcli ok" "hsc ok" "nmcli med" "hsc med" "hsc/nmcli"
jq -r 'group_by(.scenario)[] | (map(select(.tool=="nmcli"))[0]) as $n | (map(select(.tool=="hotspotctl"))[0]) as $h
  | [$n.scenario, ($n.joinable|tostring), ($n.first_invocation_success*100|round/100|tostring), ($h.first_invocation_success*100|round/100|tostring),
     ($n.median_verdict_s|tostring), ($h.median_verdict_s|tostring),
     (if ($n.median_verdict_s // 0) > 0 and ($h.classes|has("hotspotctl_not_built")|not) then ($h.median_verdict_s / $n.median_verdict_s * 100 | round / 100 | tostring) else "n/a" end)] | @tsv' \
  "$LAB_OUT/bench.json" | while IFS=$'\t' read -r a b c d e f g; do printf '%-12s %-9s %-11s %-11s %-11s %-11s %s\n' "$a" "$b" "$c" "$d" "$e" "$f" "$g"; done
echo "bench written to lab/out/bench.json"
