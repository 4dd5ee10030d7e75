#!/bin/sh
# check_sim_modules.sh SIM_DIR - the shape sim/README.md promises:
#  1. no include cycle: a module (x.c with x.h) depends on another when
#     either file includes the other's header; the graph must be acyclic,
#     with board/machine at the top (its board file, wiring.c, alone
#     creates and wires devices);
#  2. a device model (devices/, chips/) includes only its own header, its
#     register headers (regs/) and the board's interfaces listed below
#     (header-only contracts between the board and its models), never
#     another device's header, the bus or the machine. A few models are
#     built of two files: the XIP block (dev_xip) holds the XIP cache
#     (xip_cache); both USB hosts (usb_host, usb_hc) run their control
#     transfers with the same engine (usb_xfer).
# Exit 1, naming the modules of a cycle or each offending include.
set -eu
sim=$1
interfaces="device.h services.h signals.h simtime.h log.h terminal.h qspi.h usb_cable.h pins.h xip_qmi.h"
parts="dev_xip.h:xip_cache.h usb_host.h:usb_xfer.h usb_hc.h:usb_xfer.h"
status=0

# "module included-module" for every #include "..." of a file in the tree
edges=$(cd "$sim" && for f in $(find . -name '*.[ch]' ! -path './tools/*' | sort); do
    mod=$(basename "$f" | sed 's/\.[ch]$//')
    case $f in ./devices/regs/*) mod=regs/$mod ;; esac
    sed -n 's/^#include "\(.*\)\.h".*/\1/p' "$f" | while read -r inc; do
        if [ "$inc" != "$mod" ]; then echo "$mod $inc"; fi
    done
done | sort -u)

# 1. strip modules that include nothing left or that nothing left includes,
#    until none remain; what is left lies on a cycle
cycle=$(echo "$edges" | awk '
    NF == 2 { e[$1 " " $2] = 1; out[$1]++; in_[$2]++; node[$1] = 1; node[$2] = 1 }
    END {
        do {
            removed = 0
            for (n in node) if (!out[n] || !in_[n]) {
                delete node[n]; removed = 1
                for (k in e) {
                    split(k, p, " ")
                    if (p[1] == n || p[2] == n) { delete e[k]; out[p[1]]--; in_[p[2]]-- }
                }
            }
        } while (removed)
        for (n in node) printf "%s ", n
    }')
if [ -n "$cycle" ]; then
    echo "check_sim_modules: these modules include each other in a cycle: $cycle" >&2
    echo "$edges" | awk -v c=" $cycle" 'index(c, " " $1 " ") && index(c, " " $2 " ") { print "  " $1 " -> " $2 }' >&2
    status=1
fi

# 2. what a device model may include
for f in "$sim"/devices/*.[ch] "$sim"/chips/*.[ch]; do
    own=$(basename "$f" | sed 's/\.[ch]$//').h
    for inc in $(sed -n 's/^#include "\(.*\)".*/\1/p' "$f"); do
        case " $own $interfaces " in *" $inc "*) continue ;; esac
        case " $parts " in *" $own:$inc "*) continue ;; esac
        case $inc in regs/*) continue ;; esac
        echo "check_sim_modules: ${f#$sim/} includes $inc (a device sees only its own header," \
             "regs/ and the board interfaces: $interfaces)" >&2
        status=1
    done
done
exit $status
