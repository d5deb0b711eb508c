# Suite "findings" helper: drive plain nmcli through the failure modes and
# record what the real stack reports (NM device/AC reasons, wpa_supplicant
# status codes, nmcli exit codes and messages). Run with:
#   lab/run --exec lab/guest/findings.sh
. "$LAB_DIR/guest/lib.sh"
F=$LAB_OUT/findings.txt
: > "$F"
nmc() { # nmc LABEL nmcli-args... (stdin passed through)
  local label=$1; shift
  local t0; t0=$(now_s)
  local out; out=$(timeout 120 nmcli "$@" 2>&1); local rc=$?
  { echo "### $label: nmcli $* -> rc=$rc in $(elapsed $t0)s"; echo "$out"; sta_snapshot; echo; } >> "$F"
  echo "$label rc=$rc $(elapsed $t0)s: $(echo "$out" | tail -1)"
}
rescan() { nmcli dev wifi rescan >/dev/null 2>&1; sleep 4; nmcli -f SSID,BSSID,SIGNAL,SECURITY dev wifi list --rescan no >> "$F" 2>&1; }
mark() { echo "===== $* =====" >> "$F"; echo "----- $* ($(date +%T))"; lab_log "findings: $*"; }

secret ap1 "lab-wpa2-Secret1"
secret ap2 "lab-sae-Secret2"
secret bad "definitely-wrong-key"

mark open
reset_state; ap_start 1 LabOpen open; rescan
nmc open --wait 60 dev wifi connect LabOpen

mark wpa2-ask-stdin
reset_state; ap_start 1 LabWPA2 wpa2; rescan
nmc wpa2 --wait 60 --ask dev wifi connect LabWPA2 < "$(secret_file ap1)"
nmcli -g IP4.ADDRESS dev show wlan0 >> "$F"

mark wpa2-wrong-key
reset_state; ap_start 1 LabWPA2 wpa2; rescan
nmc wpa2-wrong --wait 90 --ask dev wifi connect LabWPA2 < "$(secret_file bad)"

mark sae
reset_state; ap_start 2 LabSAE sae; rescan
nmc sae --wait 60 --ask dev wifi connect LabSAE < "$(secret_file ap2)"

mark sae-wrong-key
reset_state; ap_start 2 LabSAE sae; rescan
nmc sae-wrong --wait 90 --ask dev wifi connect LabSAE < "$(secret_file bad)"

mark hidden
reset_state; ap_start 1 LabHidden open hidden; rescan
nmc hidden-nohint --wait 60 dev wifi connect LabHidden
reset_state; ap_start 1 LabHidden open hidden; rescan
nmc hidden-yes --wait 60 dev wifi connect LabHidden hidden yes

mark absent
reset_state; rescan
nmc absent --wait 60 dev wifi connect LabNowhere

mark near-miss
reset_state; ap_start 1 LabNear open; rescan
nmc near-miss --wait 60 dev wifi connect labnear

mark max_num_sta=0
reset_state; ap_start 1 LabFull open max_num_sta=0; rescan
nmc max-sta --wait 90 dev wifi connect LabFull

mark macaddr_acl-deny
echo "$(ap_mac 0)" > $LAB_RUN/ap/deny
reset_state; ap_start 1 LabDeny open macaddr_acl=0 deny_mac_file=$LAB_RUN/ap/deny; rescan
nmc acl-deny --wait 90 dev wifi connect LabDeny

mark no-dhcp
reset_state; ap_start 1 LabNoDHCP open nodhcp; rescan
nmc no-dhcp --wait 120 dev wifi connect LabNoDHCP

mark rfkill
reset_state; ap_start 1 LabOpen2 open; rescan; rfkill block wifi; sleep 2
nmcli radio >> "$F"; rfkill list >> "$F"
nmc rfkill --wait 30 dev wifi connect LabOpen2
rfkill unblock all

mark radio-off
reset_state; ap_start 1 LabOpen3 open; rescan; nmcli radio wifi off; sleep 2
nmc radio-off --wait 30 dev wifi connect LabOpen3

mark unmanaged
reset_state; ap_start 1 LabOpen4 open; rescan; nmcli dev set wlan0 managed no; sleep 2
nmc unmanaged --wait 30 dev wifi connect LabOpen4 ifname wlan0

mark nm-stopped
reset_state; nm_stop
nmc nm-stopped --wait 30 dev wifi connect LabOpen4
nm_start

mark scan-busy
reset_state
{ echo "iw scan trigger while another scan runs:"; iw dev wlan0 scan trigger >/dev/null 2>&1 & sleep 0.1; iw dev wlan0 scan trigger; echo "rc=$?"; wait $!; } >> "$F" 2>&1
t0=$(now_s); iw dev wlan0 scan >/dev/null 2>&1; echo "full iw scan took $(elapsed $t0)s" >> "$F"
t0=$(now_s); iw dev wlan0 scan trigger duration 1000 freq 2412 >> "$F" 2>&1; echo "scan trigger duration 1000 rc=$? " >> "$F"; sleep 0.5
iw dev wlan0 scan trigger >> "$F" 2>&1; echo "second trigger rc=$?" >> "$F"
nmcli dev wifi rescan >> "$F" 2>&1; echo "nmcli rescan during busy rc=$?" >> "$F"
sleep 3
bg blocker sh -c 'while :; do iw dev wlan0 scan trigger freq 2412 >/dev/null 2>&1; done'
sleep 1
ap_start 1 LabBlocked open
for i in 1 2 3; do nmcli dev wifi rescan >> "$F" 2>&1; echo "rescan under loop rc=$?" >> "$F"; sleep 2; done
nmc blocked-connect --wait 60 dev wifi connect LabBlocked
bg_stop_all

mark signal-by-txpower
reset_state
ap_start 1 LabSig open; ap_start 2 LabSig open; ap_start 3 LabSig open
iw dev wlan1 set txpower fixed 500 >> "$F" 2>&1; iw dev wlan2 set txpower fixed 1500 >> "$F" 2>&1; iw dev wlan3 set txpower fixed 1000 >> "$F" 2>&1
iw dev wlan1 info >> "$F"; iw dev wlan2 info | grep txpower >> "$F"
sleep 1; rescan; iw dev wlan0 scan 2>&1 | grep -E '^BSS|signal|SSID' >> "$F"

reset_state
echo "findings done"
