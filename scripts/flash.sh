#!/bin/sh
# flash.sh - puts a UF2 on the board: what `make flash` runs.
#
#   scripts/flash.sh FILE.uf2
#
# With picotool on the PATH: `picotool load -f -x FILE.uf2` (-f reboots a
# running Pico LLaMA into BOOTSEL through its USB reset interface first, -x
# starts the firmware afterwards). Otherwise, or when picotool fails, the
# UF2 is copied onto the RP2350 boot drive: a running Pico LLaMA is first
# asked to reboot into BOOTSEL with the 1200-baud touch (its serial port set
# to 1200 baud and closed), then the script waits up to FLASH_WAIT_S
# seconds (default 30) for the drive, telling the user to hold BOOTSEL and
# plug the board in if none is there.
#
# Environment:
#   RP2350_DRIVE   the boot drive's mount point (default: /media/$USER/RP2350
#                  or /run/media/$USER/RP2350, where desktop Linux mounts it)
#   PICOTOOL       the picotool to use (default: picotool, from the PATH)
#   FLASH_WAIT_S   how long to wait for the drive (default 30)
#   PICOLLAMA_SERIAL  the board's serial port(s) for the touch (default: the
#                  udev names of a Pico LLaMA, /dev/serial/by-id/usb-Pico_LLaMA_*)
set -u

die() { echo "flash: $*" >&2; exit 1; }

[ $# -eq 1 ] || { echo "usage: scripts/flash.sh FILE.uf2" >&2; exit 2; }
uf2=$1
[ -f "$uf2" ] || die "$uf2: no such file (make builds build/firmware/pico_llama.uf2; 'picollama pack ... -o NAME.uf2' makes a model UF2)"
# every UF2 block starts with the magic words 0x0A324655 0x9E5D5157
[ "$(head -c 8 "$uf2" | od -An -tx1 | tr -d ' \n')" = 5546320a57515d9e ] ||
    die "$uf2 is not a UF2 file"

picotool=${PICOTOOL:-picotool}
wait_s=${FLASH_WAIT_S:-30}
user=${USER:-$(id -un)}

if command -v "$picotool" >/dev/null 2>&1; then
    echo "flash: $picotool load -f -x $uf2"
    if "$picotool" load -f -x "$uf2"; then
        exit 0
    fi
    echo "flash: picotool could not flash the board (see above); trying the RP2350 boot drive instead" >&2
else
    echo "flash: picotool is not on the PATH: copying to the RP2350 boot drive"
fi

# the drive: RP2350_DRIVE as given, else a mounted RP2350 drive (its
# INFO_UF2.TXT says it is one)
find_drive() {
    if [ -n "${RP2350_DRIVE:-}" ]; then
        [ -d "$RP2350_DRIVE" ] && [ -w "$RP2350_DRIVE" ] && echo "$RP2350_DRIVE"
        return
    fi
    for d in "/media/$user/RP2350" "/run/media/$user/RP2350"; do
        [ -f "$d/INFO_UF2.TXT" ] && [ -w "$d" ] && { echo "$d"; return; }
    done
}

where=${RP2350_DRIVE:-/media/$user/RP2350 or /run/media/$user/RP2350}
drive=$(find_drive)
if [ -z "$drive" ]; then
    # a running Pico LLaMA reboots into BOOTSEL on the 1200-baud touch
    for port in ${PICOLLAMA_SERIAL:-/dev/serial/by-id/usb-Pico_LLaMA_*}; do
        [ -e "$port" ] || continue
        echo "flash: asking the Pico LLaMA on $port to reboot into BOOTSEL (1200-baud touch)"
        stty -F "$port" 1200 2>/dev/null || echo "flash: could not open $port" >&2
    done
    echo "flash: waiting up to $wait_s s for the RP2350 boot drive ($where; RP2350_DRIVE=DIR names another)."
    echo "flash: if none appears, hold the BOOTSEL button while plugging the board in."
    waited=0
    while [ -z "$drive" ] && [ "$waited" -lt "$((wait_s * 2))" ]; do
        sleep 0.5
        waited=$((waited + 1))
        drive=$(find_drive)
    done
    [ -n "$drive" ] || die "no RP2350 boot drive appeared in $wait_s s ($where): hold BOOTSEL while plugging the board in, then run this again"
fi

echo "flash: copying $uf2 to $drive"
cp "$uf2" "$drive/" || die "could not copy $uf2 to $drive"
sync
echo "flash: done: the board writes the UF2 to flash and starts the firmware"
