#!/bin/bash
# systemd/check.sh — static checks of the hotspotctl unit (run by .ci/run).
#   1. systemd-analyze verify (with the freshly built binary standing in for
#      /usr/local/bin/hotspotctl when that is not installed);
#   2. systemd-analyze security --offline=yes: prints the overall exposure and
#      fails when it is above $MAX_EXPOSURE (default 2.5);
#   3. the D-Bus policy file is well-formed XML (xmllint, when installed).
# Exit status: 0 all passed, 1 a check failed, 2 a tool is missing.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
UNIT=$HERE/hotspotctl.service
MAX_EXPOSURE=${MAX_EXPOSURE:-2.5}
command -v systemd-analyze >/dev/null || { echo "check.sh: systemd-analyze not installed" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rc=0

exec_path=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$UNIT")
verify_unit=$UNIT
if [ ! -x "$exec_path" ]; then
  if ! (cd "$ROOT" && CGO_ENABLED=0 go build -o "$tmp/hotspotctl" ./cmd/hotspotctl) >"$tmp/build.log" 2>&1; then
    echo "check.sh: cannot build hotspotctl for verify:"; cat "$tmp/build.log"; exit 1
  fi
  sed "s#^ExecStart=$exec_path#ExecStart=$tmp/hotspotctl#" "$UNIT" > "$tmp/hotspotctl.service"
  verify_unit=$tmp/hotspotctl.service
fi
if out=$(systemd-analyze verify "$verify_unit" 2>&1) && [ -z "$out" ]; then
  echo "verify: ok"
else
  echo "verify: FAILED"; echo "$out" | sed 's/^/  /'; rc=1
fi

sec=$(systemd-analyze security --offline=yes --no-pager "$UNIT" 2>&1)
score=$(echo "$sec" | sed -n 's/.*Overall exposure level for hotspotctl.service: \([0-9.]*\).*/\1/p')
if [ -z "$score" ]; then
  echo "security: no score"; echo "$sec" | tail -5; rc=1
else
  echo "security: overall exposure $score (limit $MAX_EXPOSURE)"
  if awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN{exit !(s>m)}'; then
    echo "security: FAILED: exposure above $MAX_EXPOSURE; the worst settings:"
    echo "$sec" | grep -E '^✗' | head -15 | sed 's/^/  /'; rc=1
  fi
fi

if command -v xmllint >/dev/null; then
  if xmllint --noout "$HERE/org.hotspotctl.Daemon1.conf" 2>"$tmp/xml.log"; then echo "policy: ok"
  else echo "policy: FAILED"; cat "$tmp/xml.log"; rc=1; fi
fi
exit $rc
