#!/bin/sh
# check_sim_includes.sh SIM_DIR - the board's models never reach the PC side
# directly: no file under cpu/, bus/, devices/ or chips/ includes a host/
# header (command line, console bridge, scripts, loaders); they see the PC
# only through board/terminal.h (sim/README.md). Exit 1, naming each
# offending line, when one does.
set -eu
sim=$1
host_headers=$(cd "$sim/host" && ls *.h | grep -v '^log\.h$')   # logging is a board service
status=0
for h in $host_headers; do
    if grep -n "#include \"$h\"" "$sim"/cpu/*.[ch] "$sim"/bus/*.[ch] "$sim"/devices/*.[ch] \
        "$sim"/chips/*.[ch]; then
        status=1
    fi
done
[ $status -eq 0 ] || echo "check_sim_includes: the lines above include a host/ header" >&2
exit $status
