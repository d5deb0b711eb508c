# Helpers for scenarios and suites (sourced inside the guest).
. "$LAB_DIR/guest/base.sh"
LAB_BIN=$LAB_OUT/bin/hotspotctl
LAB_SECRETS=$LAB_RUN/secrets
mkdir -p $LAB_RUN/ap $LAB_SECRETS

now_s() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now_s)" 'BEGIN{printf "%.1f", b-a}'; }

# secret NAME PASSPHRASE: store a passphrase in the guest tmpfs (never in lab/out).
secret() { umask 077; printf '%s' "$2" > "$LAB_SECRETS/$1"; echo "$2" >> "$LAB_SECRETS/.all"; }
secret_file() { echo "$LAB_SECRETS/$1"; }

ap_iface() { echo "wlan$1"; }
ap_mac() { printf '02:00:00:00:%02x:00' "$1"; }

# ap_start N SSID SEC [key=value hostapd lines...]
#   N = radio 1..4; SEC = open | wpa2 | sae | wpa2-sae; passphrase from secret "apN".
#   Special extra args: nodhcp  hidden  chan=X (channels above 14 are 5 GHz:
#   hw_mode=a)  up=SECONDS (how long to wait for AP-ENABLED, default 10; a
#   DFS channel needs the 60 s channel availability check first)
ap_start() {
  local n=$1 ssid=$2 sec=$3; shift 3
  local ifc; ifc=$(ap_iface "$n")
  local conf=$LAB_RUN/ap/hostapd-$n.conf dhcp=1 chan=1 up=10 extra=()
  for a in "$@"; do
    case $a in
      nodhcp) dhcp=0;;
      hidden) extra+=("ignore_broadcast_ssid=1");;
      chan=*) chan=${a#chan=};;
      up=*) up=${a#up=};;
      *) extra+=("$a");;
    esac
  done
  umask 077
  {
    echo "interface=$ifc"
    echo "driver=nl80211"
    echo "ctrl_interface=$LAB_RUN/ap/ctrl"
    echo "ssid=$ssid"
    if [ "$chan" -gt 14 ]; then echo "hw_mode=a"; else echo "hw_mode=g"; fi
    echo "channel=$chan"
    echo "logger_stdout=-1"
    echo "logger_stdout_level=1"
    local pass; pass=$(cat "$LAB_SECRETS/ap$n" 2>/dev/null)
    case $sec in
      open) ;;
      wpa2) echo "wpa=2"; echo "wpa_key_mgmt=WPA-PSK"; echo "rsn_pairwise=CCMP"; echo "wpa_passphrase=$pass";;
      sae) echo "wpa=2"; echo "wpa_key_mgmt=SAE"; echo "rsn_pairwise=CCMP"; echo "ieee80211w=2"; echo "sae_password=$pass";;
      wpa2-sae) echo "wpa=2"; echo "wpa_key_mgmt=WPA-PSK SAE"; echo "rsn_pairwise=CCMP"; echo "ieee80211w=1"
                echo "wpa_passphrase=$pass"; echo "sae_password=$pass";;
      *) echo "ap_start: bad security $sec" >&2; return 2;;
    esac
    printf '%s\n' "${extra[@]}"
  } > "$conf"
  touch "$LAB_RUN/ap/up-$n"
  ip addr flush dev "$ifc" 2>/dev/null
  ip link set "$ifc" up
  hostapd -t -d -f "$LAB_LOGS/hostapd-$n.log" -P "$LAB_RUN/ap/hostapd-$n.pid" -B "$conf" >> "$LAB_LOGS/hostapd-$n.log" 2>&1 ||
    { echo "hostapd $n failed to start"; tail -5 "$LAB_LOGS/hostapd-$n.log"; return 1; }
  wait_for "$up" sh -c "hostapd_cli -p $LAB_RUN/ap/ctrl -i $ifc status 2>/dev/null | grep -q state=ENABLED" ||
    { echo "hostapd $n not enabled"; return 1; }
  ip addr add "192.168.$((100+n)).1/24" dev "$ifc"
  if [ $dhcp = 1 ]; then
    dnsmasq --keep-in-foreground --conf-file=/dev/null --interface="$ifc" --bind-dynamic --except-interface=lo \
      --port=0 --dhcp-authoritative --dhcp-range="192.168.$((100+n)).10,192.168.$((100+n)).99,255.255.255.0,10m" \
      --dhcp-leasefile="$LAB_RUN/ap/dnsmasq-$n.leases" --log-dhcp --log-facility="$LAB_LOGS/dnsmasq-$n.log" &
    echo $! > "$LAB_RUN/ap/dnsmasq-$n.pid"
  fi
  lab_log "AP $n up: ssid=$ssid sec=$sec ifc=$ifc dhcp=$dhcp $*"
}

ap_stop() {
  local n=$1 p
  [ -f "$LAB_RUN/ap/up-$n" ] || return 0
  rm -f "$LAB_RUN/ap/up-$n"
  for f in "$LAB_RUN/ap/hostapd-$n.pid" "$LAB_RUN/ap/dnsmasq-$n.pid"; do
    p=$(cat "$f" 2>/dev/null) || continue
    kill "$p" 2>/dev/null
    wait_for 5 sh -c "! kill -0 $p 2>/dev/null" || kill -9 "$p" 2>/dev/null
    rm -f "$f"
  done
  local ifc; ifc=$(ap_iface "$n")
  ip addr flush dev "$ifc" 2>/dev/null
  ip link set "$ifc" down 2>/dev/null
  rm -f "$LAB_RUN/ap/dnsmasq-$n.leases"
}
# sta2_managed: let NetworkManager manage the second station (until reset_state).
# `nmcli dev set IF managed yes` does not do it: NetworkManager 1.42 keeps a
# device listed in keyfile.unmanaged-devices unmanaged ("user-settings" wins
# over "user-explicit", lab finding), so the config is rewritten without it
# and reloaded (the keyfile plugin re-reads unmanaged-devices on reload).
sta2_managed() {
  touch $LAB_RUN/dirty-sta2
  nm_write_config && nmcli general reload conf || return 1
  wait_for 30 sh -c "nmcli -g GENERAL.STATE dev show $LAB_STA2 2>/dev/null | grep -q '^30 '" ||
    { echo "$LAB_STA2 not disconnected: $(nmcli -g GENERAL.STATE dev show $LAB_STA2 2>&1)"; return 1; }
}
sta2_unmanaged() {
  rm -f $LAB_RUN/dirty-sta2
  nm_write_config && nmcli general reload conf
  wait_for 20 sh -c "nmcli -g GENERAL.STATE dev show $LAB_STA2 2>/dev/null | grep -q '^10 '" ||
    lab_log "reset: $LAB_STA2 not unmanaged: $(nmcli -g GENERAL.STATE dev show $LAB_STA2 2>&1)"
}
ap_stop_all() { local n; for ((n=1; n<LAB_RADIOS; n++)); do ap_stop $n; done; }

# bg NAME CMD...: a background helper (scan blocker, delayed AP...) killed by reset.
bg() {
  local name=$1; shift
  setsid "$@" >> "$LAB_LOGS/bg-$name.log" 2>&1 &
  echo $! >> $LAB_RUN/bg.pids
}
bg_stop_all() {
  local p
  for p in $(cat $LAB_RUN/bg.pids 2>/dev/null); do kill -- -"$p" 2>/dev/null; kill "$p" 2>/dev/null; done
  rm -f $LAB_RUN/bg.pids
}

wpas_iface_path() {
  dbus-send --system --print-reply --dest=fi.w1.wpa_supplicant1 /fi/w1/wpa_supplicant1 \
    fi.w1.wpa_supplicant1.GetInterface string:"$LAB_STA" 2>/dev/null | awk '/object path/{gsub(/"/,"",$3); print $3}'
}
# Forget every cached BSS in wpa_supplicant and the kernel so scenarios do not
# see each other's APs.
flush_bss() {
  local p; p=$(wpas_iface_path)
  [ -n "$p" ] && dbus-send --system --print-reply --dest=fi.w1.wpa_supplicant1 "$p" \
    fi.w1.wpa_supplicant1.Interface.FlushBSS uint32:0 >/dev/null 2>&1
}

# reset_state: back to a disconnected, managed, unblocked station with no APs,
# no connection profiles and NetworkManager running.
reset_state() {
  local rt0; rt0=$(now_s)
  bg_stop_all
  ap_stop_all
  # Radios a scenario added at run time (reg-limited) go with it.
  local r
  for r in /sys/class/ieee80211/labreg*; do
    [ -e "$r" ] && $LAB_RUN/bin/hwsimradio del -name "$(basename "$r")"
  done
  lab_log "reset: aps stopped ($(elapsed $rt0)s)"
  local i
  if [ -f $LAB_RUN/txpower-changed ]; then
    for ((i=1; i<LAB_RADIOS; i++)); do iw dev "wlan$i" set txpower auto 2>/dev/null; done
    rm -f $LAB_RUN/txpower-changed
  fi
  if [ -f $LAB_RUN/dirty-rfkill ]; then rfkill unblock all 2>/dev/null; rm -f $LAB_RUN/dirty-rfkill; fi
  nm_running || nm_start >/dev/null
  if [ -f $LAB_RUN/dirty-radio ]; then nmcli radio wifi on 2>/dev/null; rm -f $LAB_RUN/dirty-radio; fi
  if [ -f $LAB_RUN/dirty-managed ]; then nmcli dev set "$LAB_STA" managed yes 2>/dev/null; rm -f $LAB_RUN/dirty-managed; fi
  [ -f $LAB_RUN/dirty-sta2 ] && sta2_unmanaged
  local u
  u=$(nmcli -g UUID,TYPE con show 2>/dev/null | grep -v ':loopback$' | cut -d: -f1 | tr '\n' ' ')
  [ -n "${u// }" ] && nmcli con delete $u >/dev/null 2>&1
  rm -f /etc/NetworkManager/system-connections/* 2>/dev/null
  sta_state_is disconnected || nmcli dev disconnect "$LAB_STA" >/dev/null 2>&1
  wait_for 20 sta_state_is disconnected || lab_log "reset: $LAB_STA not disconnected: state $(sta_state_num)"
  lab_log "reset: nm clean ($(elapsed $rt0)s)"
  rm -f $LAB_RUN/cur.*
  lab_log "reset: done ($(elapsed $rt0)s)"
}

# reset_state_light: drop the station's connection and profiles, keep the APs.
reset_state_light() {
  local u
  u=$(nmcli -g UUID,TYPE con show 2>/dev/null | grep -v ':loopback$' | cut -d: -f1 | tr '\n' ' ')
  [ -n "${u// }" ] && nmcli con delete $u >/dev/null 2>&1
  rm -f /etc/NetworkManager/system-connections/* 2>/dev/null
  sta_state_is disconnected || nmcli dev disconnect "$LAB_STA" >/dev/null 2>&1
  wait_for 20 sta_state_is disconnected
}

# A snapshot of the station's NM and wpa_supplicant state, for findings.
sta_snapshot() {
  echo "--- nmcli dev show $LAB_STA"; nmcli dev show "$LAB_STA" 2>&1 | grep -E 'GENERAL\.(STATE|REASON|CONNECTION)|IP4.ADDRESS'
  echo "--- NM device StateReason (D-Bus)"
  local dp; dp=$(nmcli -g GENERAL.DBUS-PATH dev show "$LAB_STA" 2>/dev/null)
  [ -n "$dp" ] && dbus-send --system --print-reply --dest=org.freedesktop.NetworkManager "$dp" \
     org.freedesktop.DBus.Properties.Get string:org.freedesktop.NetworkManager.Device string:StateReason 2>&1 | tail -3 | tr -s ' \n' ' '; echo
  local p; p=$(wpas_iface_path)
  if [ -n "$p" ]; then
    local prop
    for prop in State DisconnectReason AuthStatusCode AssocStatusCode CurrentAuthMode; do
      printf 'wpas %s = ' $prop
      dbus-send --system --print-reply --dest=fi.w1.wpa_supplicant1 "$p" org.freedesktop.DBus.Properties.Get \
        string:fi.w1.wpa_supplicant1.Interface string:$prop 2>&1 | tail -1 | sed 's/^ *variant *//'
    done
  fi
}

# sta_sees SSID: NM's current scan list has SSID (no rescan)
sta_sees() { nmcli -t -f SSID dev wifi list ifname "$LAB_STA" --rescan no 2>/dev/null | grep -qxF "$1"; }
# wait_visible SSID [SECONDS]: ask NM to rescan until SSID is listed (bounded).
wait_visible() {
  local ssid=$1 t=${2:-40} end=$(( $(date +%s) + ${2:-40} ))
  while [ "$(date +%s)" -lt $end ]; do
    nmcli dev wifi rescan ifname "$LAB_STA" ssid "$ssid" >/dev/null 2>&1
    local i; for i in 1 2 3 4 5 6; do sta_sees "$ssid" && return 0; sleep 0.5; done
  done
  echo "wait_visible: $ssid not listed by NM after ${t}s"; return 1
}
# nm_scan_settle: trigger an NM scan and wait until NM's LastScan changes (bounded).
nm_last_scan() {
  local dp; dp=$(nmcli -g GENERAL.DBUS-PATH dev show "$LAB_STA" 2>/dev/null)
  dbus-send --system --print-reply --dest=org.freedesktop.NetworkManager "$dp" org.freedesktop.DBus.Properties.Get \
    string:org.freedesktop.NetworkManager.Device.Wireless string:LastScan 2>/dev/null | awk '/int64/{print $3}'
}
nm_scan_settle() {
  local before; before=$(nm_last_scan)
  nmcli dev wifi rescan ifname "$LAB_STA" >/dev/null 2>&1
  wait_for 20 sh -c "[ \"\$(. $LAB_DIR/guest/lib.sh >/dev/null 2>&1; nm_last_scan)\" != '$before' ]"
}
