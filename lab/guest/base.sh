# Base bring-up of the guest: radios, dbus, wpa_supplicant, NetworkManager.
# Sourced by stage2 (and lib.sh for the nm_start/nm_stop helpers).
: "${LAB_RADIOS:=6}"          # wlan0 = station (NM), wlan1..wlan4 = APs, wlan5 = second station
# The country every radio in the guest is in. Without one cfg80211 applies
# the world domain 00, where 5 GHz is no-IR and hostapd cannot start there
# (it waits in COUNTRY_UPDATE). DE allows 2.4 GHz 1-13, 5 GHz 36-48 without
# DFS and 52-64/100-140 with DFS (ETSI, 60 s CAC); wireless-regdb provides the
# database that cfg80211 loads and verifies against the kernel's keys.
: "${LAB_COUNTRY:=DE}"
LAB_STA=wlan0
# A second station for two-device scenarios (28-two-stations). Unmanaged like
# the APs (nm_write_config) so that every other scenario sees one Wi-Fi
# device: a join without --ifname would be ambiguous with two. Scenarios make
# it managed with sta2_managed and reset_state makes it unmanaged again.
LAB_STA2=wlan$((LAB_RADIOS-1))
LAB_LOGS=$LAB_OUT/logs
LAB_RUN=/run/lab

lab_log() { echo "[$(date +%T.%3N)] $*" >> "$LAB_LOGS/lab.log"; }

# wait_for SECONDS CMD...: poll CMD every 0.2 s; bounded.
wait_for() {
  local t=$1; shift
  local end=$(( $(date +%s%N) + t*1000000000 ))
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -ge "$end" ] && return 1
    sleep 0.2
  done
}

nm_write_config() {
  mkdir -p /etc/NetworkManager/conf.d /etc/NetworkManager/system-connections
  rm -f /etc/NetworkManager/conf.d/*.conf
  local unmanaged="" i
  for ((i=1; i<LAB_RADIOS; i++)); do
    # sta2_managed (lib.sh) lets NetworkManager manage the second station.
    [ "wlan$i" = "$LAB_STA2" ] && [ -f $LAB_RUN/dirty-sta2 ] && continue
    unmanaged+="interface-name:wlan$i;"
  done
  cat > /etc/NetworkManager/NetworkManager.conf <<EOC
[main]
plugins=keyfile
auth-polkit=false
dhcp=internal

[logging]
level=INFO
domains=DEFAULT,WIFI:DEBUG,WIFI_SCAN:DEBUG,SUPPLICANT:DEBUG,DEVICE:DEBUG

[keyfile]
unmanaged-devices=${unmanaged}interface-name:hwsim*

[device]
wifi.scan-rand-mac-address=no

[connectivity]
enabled=false
EOC
}

# D-Bus helpers: much cheaper than nmcli, which loads NM's whole object model
# on every call (seconds under TCG on a loaded host).
nm_running() {
  dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.NetworkManager 2>/dev/null | grep -q 'boolean true'
}
nm_prop() { # nm_prop PATH IFACE PROP -> value (last token)
  dbus-send --system --print-reply --dest=org.freedesktop.NetworkManager "$1" \
    org.freedesktop.DBus.Properties.Get string:"$2" string:"$3" 2>/dev/null | awk 'NR>1{v=$NF} END{gsub(/"/,"",v); print v}'
}
nm_dev_path() {
  dbus-send --system --print-reply --dest=org.freedesktop.NetworkManager /org/freedesktop/NetworkManager \
    org.freedesktop.NetworkManager.GetDeviceByIpIface string:"${1:-$LAB_STA}" 2>/dev/null | awk '/object path/{gsub(/"/,"",$3); print $3}'
}
sta_state_num() { local p; p=$(nm_dev_path) && [ -n "$p" ] && nm_prop "$p" org.freedesktop.NetworkManager.Device State; }

nm_start() {
  if [ "$LAB_MODE" = systemd ]; then
    systemctl start NetworkManager
  else
    nm_running && return 0
    NetworkManager --no-daemon --debug >> "$LAB_LOGS/NetworkManager.log" 2>&1 &
    echo $! > $LAB_RUN/nm.pid
  fi
  wait_for 30 nm_running || { echo "NetworkManager did not start"; return 1; }
  # wait until the station is managed and settled
  wait_for 30 sta_state_is disconnected connected ||
    echo "warning: $LAB_STA not ready: $(nmcli -g GENERAL.STATE,GENERAL.REASON dev show $LAB_STA 2>&1 | tr '\n' ' ')"
  return 0
}

nm_stop() {
  if [ "$LAB_MODE" = systemd ]; then
    systemctl stop NetworkManager
  else
    local p; p=$(cat $LAB_RUN/nm.pid 2>/dev/null)
    [ -n "$p" ] && kill "$p" 2>/dev/null
    wait_for 15 sh -c "! kill -0 $p 2>/dev/null" || kill -9 "$p" 2>/dev/null
  fi
  wait_for 10 sh -c '! nmcli -t general >/dev/null 2>&1' || true
}

# sta_state_is STATE...: NM's state for the station is one of STATE
sta_state_is() {
  local n; n=$(sta_state_num) || return 1
  local name
  case $n in 10) name=unmanaged;; 20) name=unavailable;; 30) name=disconnected;; 100) name=connected;;
    40|50|60|70|80|90) name=connecting;; 110) name=deactivating;; 120) name=failed;; *) name=unknown;; esac
  local w; for w in "$@"; do [ "$name" = "$w" ] && return 0; done; return 1
}

wpas_start() {
  if [ "$LAB_MODE" = systemd ]; then return 0; fi  # dbus-activated by the unit
  wpa_supplicant -u -s -t -f "$LAB_LOGS/wpa_supplicant.log" >/dev/null 2>&1 &
  echo $! > $LAB_RUN/wpas.pid
  wait_for 15 dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetNameOwner string:fi.w1.wpa_supplicant1
}

# lab_set_country: apply LAB_COUNTRY to every radio (a user hint; the APs'
# hostapd then need no country_code, so they start without the 5 s
# COUNTRY_UPDATE wait: hostapd waits only when the country changes).
lab_set_country() {
  [ -f /lib/firmware/regulatory.db ] || { echo "no regulatory database (install wireless-regdb)"; return 1; }
  iw reg set "$LAB_COUNTRY" || return 1
  wait_for 10 sh -c "iw reg get | grep -q '^country $LAB_COUNTRY'" ||
    { echo "regulatory domain $LAB_COUNTRY not applied"; iw reg get; return 1; }
  lab_log "regulatory domain $LAB_COUNTRY"
}

lab_base_up() {
  mkdir -p $LAB_RUN/secrets "$LAB_LOGS"; chmod 700 $LAB_RUN/secrets
  hostname lab 2>/dev/null
  ip link set lo up
  if [ "$LAB_MODE" != systemd ]; then
    mkdir -p /run/dbus /var/lib/dbus
    dbus-uuidgen --ensure=/etc/machine-id 2>/dev/null
    dbus-uuidgen --ensure=/var/lib/dbus/machine-id
    dbus-daemon --system --fork --nopidfile >> "$LAB_LOGS/dbus.log" 2>&1 || return 1
  fi
  modprobe mac80211_hwsim radios=$LAB_RADIOS || return 1
  wait_for 10 ip link show wlan$((LAB_RADIOS-1)) || { echo "hwsim radios missing"; ip link; return 1; }
  lab_log "radios up"
  lab_set_country || return 1
  [ "$LAB_MODE" = systemd ] && systemctl stop NetworkManager 2>/dev/null
  nm_write_config
  wpas_start || { echo "wpa_supplicant did not start"; return 1; }
  lab_log "wpa_supplicant up"
  nm_start || return 1
  lab_log "NetworkManager up"
  nmcli dev > "$LAB_LOGS/nmcli-dev-initial.txt" 2>&1
  return 0
}

lab_base_down() {
  nm_stop >/dev/null 2>&1
}
