#!/bin/sh
# run-guest.sh SIM UF2 GUESTDIR LOGDIR - the USB/IP test's run: in a network
# namespace that has only a loopback interface (unshare -n; every
# connection stays on this machine), picollama-sim exports the board's USB
# port at 127.0.0.1:3240 and QEMU (TCG) boots the guest of build-guest.sh
# with user networking restricted to one forwarded address,
# 10.0.2.100:3240, relayed by socat to the simulator. The guest's serial
# console goes to stdout (the test reads it), the simulator's messages to
# LOGDIR/sim.log. Exits 1 naming what is missing if QEMU or socat is not
# installed.
set -eu
sim=$1 uf2=$2 guest=$3 logs=$4
PATH=$PATH:/usr/sbin:/sbin
for tool in qemu-system-x86_64 socat unshare; do
    command -v $tool >/dev/null 2>&1 ||
        { echo "run-guest.sh: '$tool' is missing (Debian packages: qemu-system-x86, socat, util-linux)" >&2; exit 1; }
done
if [ -z "${PICOLLAMA_IN_NETNS:-}" ]; then
    # root gets a network namespace of its own; others one in a user namespace
    if [ "$(id -u)" = 0 ]; then ns=-n; else ns=-rn; fi
    exec unshare $ns env PICOLLAMA_IN_NETNS=1 sh "$0" "$@"
fi
"$guest/busybox" ip link set lo up
mkdir -p "$logs"
: > "$logs/sim.log"
"$sim" ${PICOLLAMA_SIM_ARGS:-} --usbip 127.0.0.1:3240 "$uf2" 2>"$logs/sim.log" >/dev/null &
simpid=$!
trap 'kill $simpid 2>/dev/null || true' EXIT
# until the simulator listens (its first line says so)
n=100
until grep -q 'exported at' "$logs/sim.log"; do
    kill -0 $simpid 2>/dev/null || { echo "run-guest.sh: picollama-sim ended:" >&2; cat "$logs/sim.log" >&2; exit 1; }
    n=$((n - 1))
    [ $n -gt 0 ] || { echo "run-guest.sh: picollama-sim does not listen after 10 s" >&2; exit 1; }
    sleep 0.1
done
qemu-system-x86_64 -accel tcg -m 256 -smp 1 -nographic -no-reboot \
    -kernel "$guest/vmlinuz" -initrd "$guest/initramfs.cpio.gz" \
    -append "console=ttyS0 quiet panic=-1" \
    -netdev "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:3240-cmd:socat STDIO TCP:127.0.0.1:3240" \
    -device virtio-net-pci,netdev=n0,romfile= </dev/null
kill $simpid 2>/dev/null || true
wait $simpid 2>/dev/null || true
