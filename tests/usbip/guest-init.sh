#!/bin/sh
# guest-init.sh - /init of the USB/IP test's Linux guest (build-guest.sh
# puts it into the initramfs). It attaches the board's USB port, exported
# by picollama-sim --usbip and reached through QEMU's forwarded address
# 10.0.2.100:3240, waits for cdc_acm's /dev/ttyACM0 and holds a console
# session on it as a user with a terminal program would: the banner and the
# boot story, /help, a prompt, /bench, then the port closed and opened again
# and a second /help. Every wait is for text to arrive, with a deadline.
# What the board sent (the transcript) and the kernel's USB messages go to
# the serial console between marker lines, for the test on the host
# (test_usbip_linux.c) to check; then the guest powers off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /run /var/run
dmesg -n 1                     # kernel messages stay off the console (dmesg prints them below)

say() { echo "GUEST: $*"; }
finish() {
    echo "=== TRANSCRIPT BEGIN ==="
    [ -f /tmp/rx ] && cat /tmp/rx
    echo
    echo "=== TRANSCRIPT END ==="
    echo "=== KERNEL LOG BEGIN ==="
    dmesg | grep -E 'usb 1-1|cdc_acm|ttyACM|vhci_hcd.0: (Device|devid|pdev)'
    echo "=== KERNEL LOG END ==="
    say "$1"
    poweroff -f
}
# the whole session may take this long (the host test has its own limit too)
(sleep 240; say "FAIL: the session did not end in 240 s"; poweroff -f) &

for m in usbip-core "vhci-hcd nr_hcs=1" cdc-acm virtio_pci virtio_net; do
    modprobe $m || finish "FAIL: modprobe $m"
done
ip link set lo up
ip link set eth0 up || finish "FAIL: no eth0"
ip addr add 10.0.2.15/24 dev eth0
ip route add default via 10.0.2.2

# wait_until COND SECONDS: until the shell command COND (evaluated here, so
# it sees globals, not this function's arguments) holds; polled every 0.1 s
wait_until() {
    n=$(($2 * 10))
    while ! eval "$1"; do
        n=$((n - 1))
        [ $n -gt 0 ] || return 1
        sleep 0.1
    done
}
wait_until '[ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ]' 10 || finish "FAIL: eth0 has no carrier"

say "attaching 10.0.2.100 bus id 1-1"
usbip attach -r 10.0.2.100 -b 1-1 || finish "FAIL: usbip attach exit $?"
wait_until '[ -c /dev/ttyACM0 ]' 30 || finish "FAIL: no /dev/ttyACM0 30 s after the attach"
say "/dev/ttyACM0 is there"

# The port is set raw with no echo the way a terminal program does it: it
# opens the port (DTR rises: the firmware starts a session and talks at
# once), then sets the mode. Until then the tty echoes what arrives back to
# the board, which takes it for typed lines; in this slow (TCG) guest that
# window is wide enough to matter. The tty keeps the mode between opens, and
# the first /help below waits until whatever was echoed has been worked off.
stty -F /dev/ttyACM0 115200 raw -echo -echoe -echok -echoctl -echoke || finish "FAIL: stty"
: > /tmp/rx
open_port() {
    exec 3<>/dev/ttyACM0 || finish "FAIL: cannot open /dev/ttyACM0"
    cat <&3 >>/tmp/rx &
    reader=$!
}
close_port() {
    kill $reader
    wait $reader 2>/dev/null
    exec 3<&-
}
# send TEXT: TEXT and Enter, as typed; what answers it comes after $sent
sent=0
send() {
    sent=$(wc -c < /tmp/rx)
    printf '%s\r' "$1" >&3
}

# expect PATTERN SECONDS: until a line that arrived after the last send
# matches PATTERN (grep -E)
expect() {
    pattern=$1
    wait_until 'tail -c +$((sent + 1)) /tmp/rx | tr -d "\r" | grep -qE "$pattern"' "$2" ||
        finish "FAIL: '$1' did not arrive in $2 s"
}
# until the firmware's prompt ends the transcript
prompt() {
    wait_until '[ "$(tail -c 2 /tmp/rx)" = "> " ]' 60 || finish "FAIL: no prompt in 60 s"
}

open_port
say "port open"
expect 'Pico LLaMA [0-9.]+: Llama-2 stories' 60     # the banner,
expect 'tok/s ---' 120                              # the boot story
send "$(printf '\025')/help"                        # Ctrl-U: any half-typed line goes
expect 'Ctrl-U \(line\) edit' 120
prompt
send 'The little dog'
expect 'tok/s ---' 60
prompt
send '/bench'
expect 'tok/s ---' 120
prompt
close_port
say "port closed"
open_port
say "port open again"
send '/help'
expect 'Ctrl-U \(line\) edit' 60
prompt
close_port
usbip detach -p 0 >/dev/null 2>&1
finish "PASS"
