#!/bin/sh
# build-guest.sh OUTDIR - the Linux guest of the USB/IP test: Debian's
# kernel and a small initramfs (busybox, usbip, the USB/IP and CDC-ACM
# modules, tests/usbip/guest-init.sh as /init), from Debian packages that
# are downloaded (apt-get download) and unpacked (dpkg-deb -x), never
# installed. Writes OUTDIR/vmlinuz, OUTDIR/initramfs.cpio.gz and OUTDIR/busybox; a second
# run with the same package versions and init script does nothing.
# Needs apt-get, apt-cache, dpkg-deb, cpio, gzip, depmod and modprobe (kmod)
# and Debian's package lists (apt-get update); exits 1 naming what is
# missing.
set -eu
out=${1:?usage: build-guest.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
init=$here/guest-init.sh
PATH=$PATH:/usr/sbin:/sbin

fail() { echo "build-guest.sh: $*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg-deb cpio gzip depmod modprobe modinfo readelf; do
    command -v $tool >/dev/null 2>&1 || fail "'$tool' is missing (Debian packages: apt, dpkg, cpio, gzip, kmod, binutils)"
done

# the kernel the linux-image-amd64 metapackage stands for
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$kpkg" ] || fail "apt-cache knows no linux-image-amd64 (run apt-get update; Debian's package lists are needed)"
pkgs="$kpkg usbip busybox-static libudev1 libc6"

# what the cached guest was built from
key=$( (for p in $pkgs; do
            v=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ { print $2 }')
            [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "MISSING $p"; continue; }
            echo "$p $v"
        done; cat "$init" "$0") | cksum)
case $key in *MISSING*) fail "no candidate version for a package: $(echo "$key")";; esac
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$key" ] && [ -f "$out/vmlinuz" ] &&
   [ -f "$out/initramfs.cpio.gz" ] && [ -x "$out/busybox" ]; then
    exit 0
fi
for p in $pkgs; do
    apt-cache policy "$p" 2>/dev/null | grep -q 'Candidate: [0-9]' ||
        fail "package $p has no candidate version (run apt-get update)"
done

rm -rf "$out"
mkdir -p "$out/debs" "$out/x"
(cd "$out/debs" && apt-get download -q $pkgs >download.log 2>&1) ||
    fail "apt-get download $pkgs failed: $(tail -3 "$out/debs/download.log")"
for d in "$out"/debs/*.deb; do dpkg-deb -x "$d" "$out/x"; done

x=$out/x
kver=$(ls "$x/lib/modules" | head -1)
[ -n "$kver" ] && [ -f "$x/boot/vmlinuz-$kver" ] || fail "$kpkg holds no kernel and modules"
cp "$x/boot/vmlinuz-$kver" "$out/vmlinuz"

r=$out/root
mkdir -p $r/bin $r/sbin $r/usr/bin $r/usr/sbin $r/proc $r/sys $r/dev $r/tmp $r/run $r/etc \
         $r/lib/x86_64-linux-gnu $r/lib64
cp "$x/bin/busybox" $r/bin/busybox
cp "$x/bin/busybox" "$out/busybox"   # run-guest.sh brings up the namespace's loopback with it
ln -s busybox $r/bin/sh
cp "$x/usr/sbin/usbip" $r/usr/sbin/usbip
# the libraries usbip needs, and theirs, from the unpacked packages
needed() { readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'; }
todo=$(needed $r/usr/sbin/usbip)
while [ -n "$todo" ]; do
    set -- $todo
    lib=$1; shift; todo=$*
    [ -e "$r/lib/x86_64-linux-gnu/$lib" ] && continue
    src=
    for dir in "$x/lib/x86_64-linux-gnu" "$x/usr/lib/x86_64-linux-gnu"; do
        [ -e "$dir/$lib" ] && src=$dir/$lib && break
    done
    [ -n "$src" ] || fail "usbip needs $lib, which the downloaded packages ($pkgs) do not hold"
    cp -L "$src" $r/lib/x86_64-linux-gnu/
    todo="$todo $(needed "$src")"
done
cp -L "$x/lib64/ld-linux-x86-64.so.2" $r/lib64/

# the modules and what they depend on, in the kernel's tree layout
depmod -b "$x" "$kver"
for m in usbip-core vhci-hcd cdc-acm virtio_pci virtio_net; do
    f=$(modinfo -b "$x" -k "$kver" -n "$m" 2>/dev/null) || fail "the kernel has no module $m"
    case $f in (builtin*|'') continue;; esac
    for dep in $f $(modprobe -d "$x" -S "$kver" --show-depends "$m" | awk '/^insmod/ { print $2 }'); do
        rel=${dep#"$x"/lib/modules/}
        rel=${rel#/lib/modules/}
        mkdir -p "$r/lib/modules/$(dirname "$rel")"
        cp "$x/lib/modules/$rel" "$r/lib/modules/$rel"
    done
done
cp "$x/lib/modules/$kver"/modules.order "$x/lib/modules/$kver"/modules.builtin* "$r/lib/modules/$kver/"
depmod -b "$r" "$kver"
cp "$init" $r/init
chmod +x $r/init
(cd $r && find . | cpio -o -H newc --quiet | gzip -6) > "$out/initramfs.cpio.gz"
rm -rf "$out/x" "$out/debs" "$r"
echo "$key" > "$out/stamp"
echo "build-guest.sh: $kpkg ($kver) and an initramfs of $(du -k "$out/initramfs.cpio.gz" | cut -f1) KB in $out"
