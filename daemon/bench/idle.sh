#!/bin/bash
# daemon/bench/idle.sh — idle cost of the hotspotctl daemon: resident memory
# and wakeups (context switches, summed over all threads) per minute while it
# has nothing to do, measured over the same window as two baselines: `sleep`
# a minimal Go program that blocks until SIGTERM, and the same program with
# a ticker at the daemon's watchdog ping period (WatchdogSec/2, read from the
# daemon's WATCHDOG_USEC; 15 s when it has none): Go's runtime costs about ten
# context switches per timer wake-up, which is the daemon's floor.
#
#   daemon/bench/idle.sh [--pid PID] [--seconds N] [--bin HOTSPOTCTL]
#   daemon/bench/idle.sh --build-baseline PATH   (only build the Go baseline)
#
# With --pid it measures a running daemon (the lab passes the service's
# MainPID). Without it, it starts a private dbus-daemon and
# `hotspotctl daemon --bus-address ...` with an empty configuration and no
# NetworkManager (the daemon then idles with nothing to join), builds
# the binary if --bin is not given, and measures that.
# Output: one line per process: name, VmRSS (kB), threads, context switches
# in the window, switches per minute; and a JSON line for tools.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
secs=60 pid= bin= build_only=
while [ $# -gt 0 ]; do
  case $1 in
    --build-baseline) build_only=$(realpath -m "$2"); shift;;
    --pid) pid=$2; shift;;
    --seconds) secs=$2; shift;;
    --bin) bin=$2; shift;;
    *) echo "idle.sh: unknown argument $1" >&2; exit 2;;
  esac
  shift
done
tmp=$(mktemp -d); started=()
cleanup() { local p; for p in "${started[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# switches PID: voluntary + involuntary context switches of every thread.
switches() {
  local t s=0 v
  for t in /proc/$1/task/*/status; do
    v=$(awk '/^(voluntary|nonvoluntary)_ctxt_switches:/{n+=$2} END{print n+0}' "$t" 2>/dev/null) || continue
    s=$((s + v))
  done
  echo $s
}
rss() { awk '/^VmRSS:/{print $2}' /proc/$1/status; }
threads() { awk '/^Threads:/{print $2}' /proc/$1/status; }

# Baselines.
mkdir -p "$tmp/block"
cat > "$tmp/block/main.go" <<'EOG'
// A minimal Go daemon: blocks until SIGTERM; with an argument (a duration)
// it also wakes on a ticker, like a watchdog ping.
package main

import (
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM)
	var tick <-chan time.Time
	if len(os.Args) > 1 {
		d, err := time.ParseDuration(os.Args[1])
		if err != nil {
			os.Exit(2)
		}
		tick = time.NewTicker(d).C
	}
	for {
		select {
		case <-c:
			return
		case <-tick:
		}
	}
}
EOG
printf 'module block\n\ngo 1.21\n' > "$tmp/block/go.mod"
if [ -n "$build_only" ]; then
  (cd "$tmp/block" && CGO_ENABLED=0 go build -o "$build_only" .); exit
fi
sleep $((secs + 30)) & base_sleep=$!; started+=($base_sleep)
block=
if [ -x "${IDLE_BLOCK_BIN:-}" ]; then
  block=$IDLE_BLOCK_BIN
elif command -v go >/dev/null && (cd "$tmp/block" && CGO_ENABLED=0 go build -o "$tmp/block/block" .) 2>/dev/null; then
  block=$tmp/block/block
fi

if [ -z "$pid" ]; then
  if [ -z "$bin" ]; then
    bin=$tmp/hotspotctl
    (cd "$ROOT" && CGO_ENABLED=0 go build -o "$bin" ./cmd/hotspotctl) || exit 1
  fi
  cat > "$tmp/bus.conf" <<EOC
<busconfig><type>session</type><listen>unix:path=$tmp/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
EOC
  dbus-daemon --config-file="$tmp/bus.conf" --nofork --nopidfile & started+=($!)
  for i in $(seq 50); do [ -S "$tmp/bus" ] && break; sleep 0.1; done
  mkdir -p "$tmp/etc" "$tmp/state"
  "$bin" daemon --bus-address "unix:path=$tmp/bus" --config-dir "$tmp/etc" --state-dir "$tmp/state" \
    --report-dir "$tmp/state/reports" --log-level warn 2>"$tmp/daemon.log" & pid=$!; started+=($pid)
  sleep 3   # let it start (and settle GC after start-up)
  kill -0 "$pid" 2>/dev/null || { echo "idle.sh: the daemon exited:"; cat "$tmp/daemon.log"; exit 1; }
fi
kill -0 "$pid" 2>/dev/null || { echo "idle.sh: no process $pid" >&2; exit 1; }
wd_usec=$(tr '\0' '\n' < /proc/$pid/environ 2>/dev/null | sed -n 's/^WATCHDOG_USEC=//p')
ping_ms=$(( ${wd_usec:-30000000} / 2000 ))
base_go= base_tick=
if [ -n "$block" ]; then
  "$block" & base_go=$!; started+=($base_go)
  "$block" "${ping_ms}ms" & base_tick=$!; started+=($base_tick)
fi

names=(hotspotctl-daemon sleep)
pids=($pid $base_sleep)
[ -n "$base_go" ] && { names+=(go-blocking "go-ticker-${ping_ms}ms"); pids+=($base_go $base_tick); }
declare -a s0
for i in "${!pids[@]}"; do s0[$i]=$(switches "${pids[$i]}"); done
sleep "$secs"
printf '%-18s %8s %8s %10s %12s\n' process rss_kB threads switches per_minute
json="{\"seconds\":$secs"
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  s1=$(switches "$p"); d=$((s1 - ${s0[$i]}))
  pm=$(awk -v d=$d -v s=$secs 'BEGIN{printf "%.1f", d*60/s}')
  printf '%-18s %8s %8s %10s %12s\n' "${names[$i]}" "$(rss "$p")" "$(threads "$p")" "$d" "$pm"
  json+=",\"${names[$i]}\":{\"rss_kb\":$(rss "$p"),\"threads\":$(threads "$p"),\"switches\":$d,\"per_minute\":$pm}"
done
echo "$json}"
