# Test passphrases used by the scenarios. They exist only here, in the guest's
# tmpfs (/run/lab/secrets) and in hostapd configs under /run. After every run
# lab/out/ is searched for each of them (guest side and host side); a hit
# fails the run. Keep them distinctive so the search has no false positives.
LAB_PASS_WPA2='lab-wpa2-Pass-7431'
LAB_PASS_SAE='lab-sae-Pass-9902'
LAB_PASS_WRONG='lab-wrong-Pass-1186'
LAB_PASS_ONCE='lab-once-Pass-5520'
LAB_PASS_ALL="$LAB_PASS_WPA2 $LAB_PASS_SAE $LAB_PASS_WRONG $LAB_PASS_ONCE"
