#!/bin/bash
# Checks the lab's own non-VM logic: script syntax, scenario definitions, and
# the exit-code/nmcli-message classification tables. Prints "N passed, N failed".
set -u
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*"; }
classes="none not_found scan_busy wrong_key assoc_rejected dhcp_failed radio_off device_unavailable backend_unavailable permission_denied invalid_input timeout unknown"

for f in "$LAB_DIR"/run "$LAB_DIR"/mkinitramfs.sh "$LAB_DIR"/guest/stage2 "$LAB_DIR"/guest/*.sh "$LAB_DIR"/scenarios/*.sh; do
  bash -n "$f" 2>/dev/null && ok || bad "syntax: $f"
done
busybox sh -n "$LAB_DIR/guest/stage1" 2>/dev/null && ok || bad "syntax: stage1"

names=()
for f in "$LAB_DIR"/scenarios/[0-9]*-*.sh; do
  base=$(basename "$f" .sh); want=${base#*-}
  got=$(NAME=; EXPECT=; NEEDS=any; setup() { :; }; . "$f"; echo "$NAME|$EXPECT|$NEEDS")
  IFS='|' read -r n rest <<< "$got"
  [ "$n" = "$want" ] && ok || bad "$f: NAME=$n, file says $want"
  exp=${got#*|}; exp=${exp%|*}
  for c in ${exp//|/ }; do
    case " $classes " in *" $c "*) ok;; *) bad "$f: EXPECT has unknown class $c";; esac
  done
  case ${got##*|} in any|hotspotctl) ok;; *) bad "$f: NEEDS=${got##*|}";; esac
  names+=("$n")
done
dups=$(printf '%s\n' "${names[@]}" | sort | uniq -d)
[ -z "$dups" ] && ok || bad "duplicate scenario names: $dups"

# Classification tables (functions only; no guest state needed).
eval "$(sed -n '/^class_of_exit()/,/^}/p; /^nmcli_class()/,/^}/p' "$LAB_DIR/guest/runner.sh")"
t() { local want=$1; shift; local got; got=$("$@"); [ "$got" = "$want" ] && ok || bad "$* -> $got, want $want"; }
t none class_of_exit 0
t not_found class_of_exit 10
t scan_busy class_of_exit 11
t wrong_key class_of_exit 12
t unknown class_of_exit 20
t none nmcli_class 0 ""
t not_found nmcli_class 10 "Error: No network with SSID 'X' found."
t wrong_key nmcli_class 4 "Error: Connection activation failed: Secrets were required, but not provided."
t backend_unavailable nmcli_class 8 "Error: NetworkManager is not running."

# Secrets file defines distinct, non-empty passphrases.
( . "$LAB_DIR/guest/secrets.sh"; set -- $LAB_PASS_ALL; [ $# -ge 4 ] && [ "$(printf '%s\n' "$@" | sort -u | wc -l)" = $# ] ) && ok || bad "secrets.sh"

# The lab's Go helper builds and vets.
if command -v go >/dev/null; then
  (cd "$LAB_DIR/.." && go vet ./lab/... && [ -z "$(gofmt -l lab)" ]) >/dev/null 2>&1 && ok || bad "go vet/gofmt ./lab/..."
fi

echo "$pass passed, $fail failed"
[ $fail = 0 ]
