# Suite "matrix": run the selected scenarios (default: all) once each, in one VM
# boot, resetting state between them. Prints one line per scenario and a final
# "N passed, N failed"; writes lab/out/matrix.tsv and lab/out/scenarios/NAME/.
. "$LAB_DIR/guest/runner.sh"
TOOL=${LAB_TOOL:-auto}
if [ "$TOOL" = auto ]; then have_hotspotctl && TOOL=hotspotctl || TOOL=nmcli; fi
export TOOL
files=()
if [ -n "${LAB_SCENARIOS:-}" ]; then
  for s in $LAB_SCENARIOS; do files+=("$(ls "$LAB_DIR"/scenarios/[0-9]*-"$s".sh | head -1)"); done
else
  files=("$LAB_DIR"/scenarios/[0-9]*-*.sh)
fi
TSV=$LAB_OUT/matrix.tsv
printf 'scenario\ttool\texpected\tgot\tseconds\tresult\tnotes\n' > "$TSV"
echo "lab: matrix with $TOOL: ${#files[@]} scenarios"
printf '%-4s %-15s %-11s %-20s %-20s %7s  %s\n' "" scenario tool expected got seconds notes
pass=0 failn=0
for f in "${files[@]}"; do
  (
    NAME= EXPECT= EXPECT_LABEL= NEEDS=any SSID= JOIN_SECRET= JOIN_TIMEOUT=60 JOIN_ARGS=()
    setup() { :; }
    act() { lab_join "$TOOL" join "$SSID" "${JOIN_ARGS[@]}"; }
    check() { :; }
    . "$f"
    lab_log "=== scenario $NAME ($TOOL)"
    reset_state
    scen_begin "$NAME"
    SCEN_T0=$(now_s)
    GOT_CLASS=setup_failed GOT_SECS=0
    if [ "$NEEDS" = hotspotctl ] && [ "$TOOL" != hotspotctl ]; then
      fail_check "needs hotspotctl (run with hotspotctl built)"; GOT_CLASS=hotspotctl_not_built
    elif [ "$NEEDS" = hotspotctl ] && ! have_hotspotctl; then
      fail_check "hotspotctl not built"; GOT_CLASS=hotspotctl_not_built
    elif ! setup > "$SDIR/setup.log" 2>&1; then
      fail_check "setup failed: $(tail -2 "$SDIR/setup.log" | tr '\n' ' ')"
    else
      act
      check
    fi
    # expected class may be a |-separated set
    ok=0
    case "|$EXPECT|" in *"|$GOT_CLASS|"*) ok=1;; esac
    [ $ok = 1 ] || fail_check "class $GOT_CLASS, expected $EXPECT"
    scen_end
    notes=$(IFS='; '; echo "${CHECK_FAILS[*]}")
    res=PASS; [ ${#CHECK_FAILS[@]} -gt 0 ] && res=FAIL
    printf '%-4s %-15s %-11s %-20s %-20s %7s  %s\n' "$res" "$NAME" "$TOOL" "${EXPECT_LABEL:-$EXPECT}" "$GOT_CLASS" "$GOT_SECS" "$notes"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$NAME" "$TOOL" "$EXPECT" "$GOT_CLASS" "$GOT_SECS" "$res" "$notes" >> "$TSV"
    printf '%s\n' "${CHECK_FAILS[@]}" > "$SDIR/failures.txt"
  )
done
reset_state
if [ "$LAB_MODE" = systemd ]; then journalctl -b -o json --no-pager > "$LAB_LOGS/journal.json" 2>/dev/null; fi
# No passphrase may appear in any artifact.
leaks=$(grep -rlF -e "$LAB_PASS_WPA2" -e "$LAB_PASS_SAE" -e "$LAB_PASS_WRONG" -e "$LAB_PASS_ONCE" "$LAB_OUT" 2>/dev/null | grep -v '/bin/')
if [ -n "$leaks" ]; then
  printf '%-4s %-15s %-11s %-20s %-20s %7s  %s\n' FAIL secrets-scan - clean leaked 0 "passphrase found in: $(echo $leaks)"
  printf 'secrets-scan\t-\tclean\tleaked\t0\tFAIL\t%s\n' "$(echo $leaks)" >> "$TSV"
else
  printf 'secrets-scan\t-\tclean\tclean\t0\tPASS\t\n' >> "$TSV"
fi
pass=$(awk -F'\t' 'NR>1 && $6=="PASS"' "$TSV" | wc -l)
failn=$(awk -F'\t' 'NR>1 && $6=="FAIL"' "$TSV" | wc -l)
echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
