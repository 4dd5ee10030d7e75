#!/bin/sh
# sdk_fixtures.sh SIM FIXTURES - stock Pico SDK 2.2.0 firmware on the virtual
# board (issue 16): the four programs of FIXTURES/README.md on both boards,
# each checked against what silicon prints, then the unmodified
# pico-examples through their own runner (FIXTURES/pico-examples/run.sh).
# The fixtures are binaries built outside this project; missing ones are a
# failure, not a skip. Exit 1, naming each failed check.
set -u
sim=$1
fx=$2
status=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

fail() { echo "FAIL $*" >&2; status=1; }

# run NAME BOARD DIR ARGS...: the simulator on DIR/NAME.uf2, stdout in $out/NAME-BOARD
run() {
    name=$1 board=$2 dir=$3
    shift 3
    log=$out/$name-$board
    [ -f "$fx/$dir/$name.uf2" ] || { fail "$name ($board): $fx/$dir/$name.uf2 missing"; return 1; }
    if ! "$sim" --board "$board" --no-stdin -q "$@" "$fx/$dir/$name.uf2" >"$log" 2>"$log.err"; then
        fail "$name ($board): $(grep -v '^sim: warning' "$log.err" | head -2 | tr '\n' ' ')"
        return 1
    fi
}

has() { grep -q -- "$2" "$out/$1" || fail "$1: no line matching '$2'"; }

for pair in pico-plus-2w:pimoroni_pico_plus2_w_rp2350:pimoroni_pico_plus2_w_rp2350:"ef 40 18" \
            pico2:pico2:pico2:"ef 40 16"; do
    board=${pair%%:*}; rest=${pair#*:}; dir=${rest%%:*}; rest=${rest#*:}
    sdk_board=${rest%%:*}; jedec=${rest#*:}

    if run uart_hello "$board" "$dir" --console uart --timeout-ms 3000 --expect 'UART-DONE'; then
        has "uart_hello-$board" "HELLO-UART from pico-sdk 2.2.0 board=$sdk_board"
        has "uart_hello-$board" "clk_sys=150000000 Hz"
        for i in 0 1 2 3 4; do
            n=$(sed -n "s/^sleep_ms(100) #$i took \([0-9]*\) us.*/\1/p" "$out/uart_hello-$board")
            [ -n "$n" ] && [ "$n" -ge 100000 ] && [ "$n" -le 100100 ] ||
                fail "uart_hello ($board): sleep_ms(100) #$i took '$n' us (100000..100100 on silicon)"
        done
    fi
    if run usb_hello "$board" "$dir" --timeout-ms 8000 --expect 'HELLO-USB line 3' \
           --send 'typed input\r' --expect 'HELLO-USB line 4'; then
        has "usb_hello-$board" "HELLO-USB line 4"
    fi
    if run multicore_fifo "$board" "$dir" --console uart --timeout-ms 3000 --expect 'MC-RESULT sum=175'; then
        has "multicore_fifo-$board" "core1 says 0xc0de0001"
        has "multicore_fifo-$board" "MC-RESULT sum=175 (expect 175)"
        ! grep -q MISMATCH "$out/multicore_fifo-$board" || fail "multicore_fifo ($board): MISMATCH"
    fi
    if run flash_id "$board" "$dir" --console uart --timeout-ms 3000 --expect 'FLASH-DONE'; then
        has "flash_id-$board" "JEDEC ID: $jedec"
        has "flash_id-$board" "UNIQUE ID: \([0-9a-f][0-9a-f] \)\{7\}[0-9a-f][0-9a-f]"
    fi
done

LOGDIR=$out/examples "$fx/pico-examples/run.sh" "$sim" >"$out/examples.txt" 2>&1 ||
    fail "pico-examples: $(grep -v '^PASS' "$out/examples.txt" | tr '\n' ' ')"
cat "$out/examples.txt"
[ $status -eq 0 ] && echo "sdk_fixtures: every program passed on both boards"
exit $status
