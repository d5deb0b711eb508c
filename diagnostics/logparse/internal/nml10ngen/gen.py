#!/usr/bin/env python3
"""Generates ../../nmcli_l10n_table.go from NetworkManager's po/ files.

Usage: gen.py NETWORKMANAGER_GIT_DIR > nmcli_l10n_table.go

Reads po/*.po at several releases (git show TAG:po/LANG.po) and keeps, for
each English msgid below, every distinct non-fuzzy translation: nmcli prints
the translation of the release installed, so older translations matter.
"""
import re
import subprocess
import sys

GIT = sys.argv[1]
TAGS = ["1.0.0", "1.4.0", "1.10.0", "1.16.0", "1.20.0", "1.26.0", "1.30.0", "1.36.0", "1.40.0", "1.46.0", "1.52.0", "HEAD"]

# nmcli's messages (src/nmcli/connections.c, devices.c, nmcli.c; clients/cli/ before 1.30).
MESSAGES = [
    "Error: Connection activation failed: %s",
    "Error: Connection activation failed: %s.",
    "Error: Connection activation failed: (%d) %s.",
    "Error: Failed to add/activate new connection: %s",
    "Error: Failed to activate connection: %s",
    "Error: Device activation failed: %s",
    "Error: No network with SSID '%s' found.",
    "Error: Device '%s' not found.",
    "Error: Device '%s' not found.\n",
    "Error: No Wi-Fi device found.",
    "Error: Timeout expired (%d seconds)",
    "Error: Timeout %d sec expired.",
    "Error: NetworkManager is not running.",
    "Error: Could not create NMClient object: %s.",
    "Error: Device '%s' is not a Wi-Fi device.",
    "Error: Access point with bssid '%s' not found.",
    "Error: No access point with BSSID '%s' found.",
    "Connection successfully activated (D-Bus active path: %s)\n",
    "Connection successfully activated (%s) (D-Bus active path: %s)\n",
    "Device '%s' successfully activated with '%s'.\n",
    # The generic form last: nmcli's "Error: %s." around NetworkManager's
    # own D-Bus error message, which is English in every locale
    # ("Scanning not allowed while already scanning").
    "Error: %s.",
    "Error: %s",
]
# The reasons nmcli puts in "%s" (src/libnmc-base/nm-client-utils.c,
# nmc_device_reason_to_string and the active connection's reasons;
# clients/common/nm-client-utils.c before 1.30) that nmcliReasons reads.
REASONS = [
    "Secrets were required, but not provided",
    "IP configuration could not be reserved (no available address, timeout, etc.)",
    "The IP configuration is no longer valid",
    "802.1X supplicant disconnected",
    "802.1X supplicant configuration failed",
    "802.1X supplicant failed",
    "802.1X supplicant took too long to authenticate",
    "DHCP client failed to start",
    "DHCP client error",
    "DHCP client failed",
    "The Wi-Fi network could not be found",
    "Device disconnected by user or client",
    "The device was removed",
    "NetworkManager went to sleep",
    "The device could not be readied for configuration",
    "New connection activation was enqueued",
    "No valid secrets",
]
# nmcli device status's STATE column (nmc_device_state_to_string).
STATES = ["unavailable", "unmanaged"]
# nmcli radio's and nmcli general's WIFI-HW and WIFI columns (src/nmcli/general.c),
# nmcli device wifi list's MODE and RATE (src/nmcli/devices.c).
WORDS = ["enabled", "disabled", "missing", "Infra", "%u Mbit/s"]

WANT = set(MESSAGES) | set(REASONS) | set(STATES) | set(WORDS)


def unq(s):
    s = s[1:-1]
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(n, "\\" + n))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def entries(text):
    for block in re.split(r"\n\s*\n", text):
        lines = block.strip().split("\n")
        fuzzy = any(l.startswith("#,") and "fuzzy" in l for l in lines)
        obsolete = all(l.startswith("#") for l in lines)
        if obsolete:
            continue
        cur, vals = None, {}
        for l in lines:
            if l.startswith("#"):
                continue
            m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?)\s+(".*")$', l)
            if m:
                cur = m.group(1)
                vals[cur] = unq(m.group(2))
            elif l.startswith('"') and cur:
                vals[cur] += unq(l)
        if "msgid" in vals and "msgstr" in vals and not fuzzy:
            yield vals.get("msgctxt"), vals["msgid"], vals["msgstr"]


def langs(tag):
    out = subprocess.run(["git", "-C", GIT, "ls-tree", "--name-only", tag, "po/"], capture_output=True, text=True).stdout.split()
    return [p[3:-3] for p in out if p.endswith(".po")]


def spec(s):
    return re.findall(r"%(?:\d+\$)?[sd]", s)


table = {}
for tag in TAGS:
    for lang in langs(tag):
        text = subprocess.run(["git", "-C", GIT, "show", f"{tag}:po/{lang}.po"], capture_output=True, text=True, errors="replace").stdout
        for ctxt, mid, mstr in entries(text):
            if mid not in WANT or not mstr or mstr == mid or "\ufffd" in mstr:
                continue
            if len(spec(mstr)) != len(spec(mid)):
                continue
            table.setdefault((mid, mstr), set()).add(lang)


def goq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


print("// Code generated by internal/nml10ngen/gen.py from NetworkManager's po/*.po; DO NOT EDIT.")
print()
print("package logparse")
print()
print("// nmcliL10n: nmcli's messages (msgid) and their translations (msgstr) in")
print("// NetworkManager's releases " + ", ".join(TAGS) + ", with the languages.")
print("var nmcliL10n = []struct{ en, loc, langs string }{")
order = {m: i for i, m in enumerate(MESSAGES + REASONS + STATES + WORDS)}
for (mid, mstr), ls in sorted(table.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])):
    print(f"\t{{{goq(mid)}, {goq(mstr)}, {goq(' '.join(sorted(ls)))}}},")
print("}")
