#!/bin/bash
# Build the lab's tiny initramfs: static busybox + the modules needed to mount
# the host's / over virtio-9p under a tmpfs overlay. Output: $1 (cpio.gz).
# Nothing built here is committed; it lives under lab/out/.
set -euo pipefail
out=${1:?usage: mkinitramfs.sh OUT.cpio.gz [KVER]}
kver=${2:-$(ls /lib/modules | sort -V | tail -1)}
here=$(cd "$(dirname "$0")" && pwd)
moddir=/lib/modules/$kver
busybox=$(command -v busybox || true)
[ -x /bin/busybox ] && busybox=/bin/busybox
file -L "$busybox" 2>/dev/null | grep -q 'statically linked' || ldd "$busybox" 2>&1 | grep -q 'not a dynamic' || {
  echo "mkinitramfs: $busybox is not static (install busybox-static)" >&2; exit 1; }
[ -f "$moddir/modules.dep" ] || { echo "mkinitramfs: no $moddir/modules.dep" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,mods,lower,rw,newroot}
cp "$busybox" "$work/bin/busybox"
# Resolve dependencies from modules.dep; deps are listed so that loading the
# list right-to-left, then the module itself, works.
want="virtio_pci 9pnet_virtio 9p overlay"
order=()
add() { local m=$1 d; for d in "${order[@]:-}"; do [ "$d" = "$m" ] && return 0; done; order+=("$m"); }
for w in $want; do
  line=$(grep -E "/${w}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -1) || {
    # built in?
    grep -qE "/${w}\.ko" "$moddir/modules.builtin" 2>/dev/null && continue
    echo "mkinitramfs: module $w not found" >&2; exit 1; }
  self=${line%%:*}; deps=(${line#*:})
  for ((i=${#deps[@]}-1; i>=0; i--)); do add "${deps[$i]}"; done
  add "$self"
done
: > "$work/modules.order"
for m in "${order[@]}"; do
  b=$(basename "$m")
  case $b in *.ko) cp "$moddir/$m" "$work/mods/$b";;
    *.ko.xz) xz -dc "$moddir/$m" > "$work/mods/${b%.xz}"; b=${b%.xz};;
    *.ko.zst) zstd -dqc "$moddir/$m" > "$work/mods/${b%.zst}"; b=${b%.zst};;
    *.ko.gz) gzip -dc "$moddir/$m" > "$work/mods/${b%.gz}"; b=${b%.gz};;
  esac
  echo "$b" >> "$work/modules.order"
done
cp "$here/guest/stage1" "$work/init"
chmod 755 "$work/init" "$work/bin/busybox"
(cd "$work" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($kver; $(tr '\n' ' ' < "$work/modules.order"))" >&2
