#!/usr/bin/env bash
# bench.sh - `make bench`: the firmware's /bench on the virtual board for
# every precision (/precision f32|q8) and core count (/cores 1|2) the
# firmware offers, with the board's modelled time (RP2350 datasheet
# instruction costs, XIP cache and QSPI timing: see README "Modelled time").
# Prints one table: tok/s as the firmware reports it, cycles per token split
# by function class (picollama-sim --profile), QSPI bytes per token (flash
# read, PSRAM read + written) and the bus's use: those bytes per modelled
# second, and their share of the ceiling, the QSPI clock the firmware
# reports in /info (flash: ... quad XIP at N MHz) x 4 data lines.
#
#   scripts/bench.sh [BUILD_DIR]     (default: build)
#   scripts/bench.sh --help          this text
#   scripts/bench.sh [BUILD_DIR] --model MODEL.uf2 [--prompt TEXT]
#       the same with a model UF2 flashed over the built-in models (its one
#       precision, as it boots - two cores - and on one); --prompt types TEXT after /bench's
#       settings (t=1.0, p=0.9, seed 42, 256 steps) instead of /bench - for
#       random-weight test models, which meet BOS at once from BOS
#
# A setting whose command the firmware answers with an error (e.g. "error:
# unknown command") is not offered: its row says n/a.
set -euo pipefail

# the comment above, for --help
usage() { sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0"; }

BUILD=build
MODEL=""
PROMPT=""
[ $# -gt 0 ] && [ "${1#-}" = "$1" ] && { BUILD=$1; shift; }
while [ $# -gt 0 ]; do
  case "$1" in
  -h|--help) usage; exit 0 ;;
  --model|--prompt)
    [ $# -ge 2 ] || { echo "bench: $1 needs a value" >&2; exit 1; }
    if [ "$1" = --model ]; then MODEL=$2; else PROMPT=$2; fi
    shift 2 ;;
  *) echo "bench: unknown argument '$1' (see $0 --help)" >&2; exit 1 ;;
  esac
done
SIM=$BUILD/sim/picollama-sim
UF2=$BUILD/firmware/pico_llama.uf2
for f in "$SIM" "$UF2"; do
  [ -e "$f" ] || { echo "bench: $f not found (run 'make' first)" >&2; exit 1; }
done

# True if the UF2 $1 writes a model image (magic "PLLM") at the start of the
# firmware's model slot, 0x10080000, and nothing below it: any other UF2
# (a firmware UF2 too, which brings its own built-in models) would make the
# table the built-in models', not this model's. The UF2 words are
# little-endian: block magic 0x0A324655, target address (word 3), payload
# (from word 8); same-length hex strings compare as the numbers do.
writes_model_slot() {
  od -An -v -tx4 -w512 "$1" | awk '
    $1 != "0a324655" { next }
    $4 < "10080000" { below = 1 }
    $4 == "10080000" && $9 == "4d4c4c50" { found = 1 }
    END { exit found && !below ? 0 : 1 }'
}

INPUTS=("$UF2")
if [ -n "$MODEL" ]; then
  [ -f "$MODEL" ] || { echo "bench: model $MODEL not found" >&2; exit 1; }
  writes_model_slot "$MODEL" || {
    echo "bench: $MODEL is not a model UF2 (one that writes a model image at the model" \
         "slot, 0x10080000, and nothing below it: make one with 'picollama pack CKPT TOK" \
         "-q q8 -o MODEL.uf2')" >&2
    exit 1
  }
  INPUTS+=("$MODEL")
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# The boot story starts when the terminal opens the port; Ctrl-C ends it.
BOOT=(--no-stdin -q --timeout-ms 3600000 --wall-timeout 3600
      --expect 'type /help for commands' --send '\x03' --expect 'tok/s ---.*> ')

# 1. Which settings does the firmware take? One short session asks.
"$SIM" "${INPUTS[@]}" "${BOOT[@]}" \
  --send '/precision f32\r' --expect '> ' --send '/precision q8\r' --expect '> ' \
  --send '/cores 1\r' --expect '> ' --send '/cores 2\r' --expect '> ' \
  --send '/info\r' --expect '> ' \
  > "$TMP/probe.out" 2> "$TMP/probe.err" || { cat "$TMP/probe.err" >&2; exit 1; }
tr -d '\r' < "$TMP/probe.out" > "$TMP/probe.txt"
# "offered" if the answer to the command (up to the next prompt) has no "error"
offered() {
  awk -v cmd="$1" '
    index($0, cmd) && !seen { seen = 1; grab = 1; next }
    grab && /^> / { exit }
    grab && /error/ { bad = 1 }
    END { exit (seen && !bad) ? 0 : 1 }' "$TMP/probe.txt"
}

# the QSPI data ceiling in MB/s: SCK (MHz) x 4 lines / 8 bits (0: unknown)
QSPI_MHZ=$(sed -nE 's/^flash:.* quad XIP at ([0-9.]+) MHz.*/\1/p' "$TMP/probe.txt" | head -1)
CEILING=$(awk -v m="${QSPI_MHZ:-0}" 'BEGIN { printf "%.1f", m * 4 / 8 }')

CLASSES=(matmul attention softmax/exp sampling tokenizer console/USB stream other)
printf '%-9s %5s %7s %10s' precision cores tok/s cycles/tok
for c in "${CLASSES[@]}"; do printf ' %11s' "$c"; done
printf ' %12s %12s %9s %7s %7s\n' 'flash B/tok' 'PSRAM B/tok' 'QSPI MB/s' '% bus' 'wall s'

# one /bench; $1 $2 label the row, the rest are the commands before /bench
bench() {
  local prec=$1 cores=$2
  shift 2
  local cmds=()
  for c in "$@"; do cmds+=(--send "$c\r" --expect '> '); done
  local start wall line tokens toks passes run=(--send '/bench\r')
  if [ -n "$PROMPT" ]; then
    for c in '/temp 1.0' '/topp 0.9' '/seed 42' '/steps 256'; do cmds+=(--send "$c\r" --expect '> '); done
    run=(--send "$PROMPT\r")
  fi
  start=$(date +%s.%N)
  "$SIM" "${INPUTS[@]}" "${BOOT[@]}" "${cmds[@]}" \
    --profile-reset "${run[@]}" --expect 'tok/s ---' \
    --profile-out "$TMP/prof.txt" > "$TMP/run.out" 2> "$TMP/run.err" \
    || { echo "bench: /bench failed for $prec/$cores:" >&2; cat "$TMP/run.err" >&2; exit 1; }
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  line=$(tr -d '\r' < "$TMP/run.out" | grep -a -- '--- [0-9]* tokens in' | tail -1)
  tokens=$(echo "$line" | sed -E 's/^--- ([0-9]+) tokens.*/\1/')
  toks=$(echo "$line" | sed -E 's/.* = ([0-9.]+) tok\/s.*/\1/')
  # the profile covers /bench's forward passes: tokens + 1 positions
  passes=$((tokens + 1))
  # bytes on the bus over the profile's modelled time (its header: "(N ms modelled")
  awk -v passes="$passes" -v prec="$prec" -v cores="$cores" -v toks="$toks" -v wall="$wall" \
      -v ceiling="$CEILING" '
    /^# picollama-sim profile:/ { if (match($0, /\(([0-9.]+) ms modelled/)) ms = substr($0, RSTART + 1, RLENGTH - 13) + 0 }
    /^class / { cyc[$2] = $4; total += $4 }
    /^region flash/ { fb = $(NF - 3); fw = $(NF - 2) }
    /^region PSRAM/ { pb = $(NF - 3); pw = $(NF - 2) }
    END {
      split("matmul attention softmax/exp sampling tokenizer console/USB stream other", cls, " ")
      printf "%-9s %5s %7s %10.0f", prec, cores, toks, total / passes
      for (i = 1; i <= 8; i++) printf " %11.0f", cyc[cls[i]] / passes
      rate = ms > 0 ? (fb + fw + pb + pw) / (ms * 1000) : 0
      share = ceiling > 0 && ms > 0 ? sprintf("%.1f", 100 * rate / ceiling) : "n/a"
      printf " %12.0f %12.0f %9.2f %7s %7.1f\n", fb / passes, (pb + pw) / passes, rate, share, wall
    }' "$TMP/prof.txt"
}

# the firmware as it boots (q8 on two cores when the q8 image is there)
bench default default
PRECISIONS=(f32 q8)
[ -n "$MODEL" ] && PRECISIONS=()
# a model UF2 boots on both cores: one more row on one
[ -n "$MODEL" ] && offered "/cores 1" && bench default 1 "/cores 1"
for prec in "${PRECISIONS[@]}"; do
  for cores in 1 2; do
    if ! offered "/precision $prec" || ! offered "/cores $cores"; then
      printf '%-9s %5s %7s\n' "$prec" "$cores" n/a
      continue
    fi
    bench "$prec" "$cores" "/precision $prec" "/cores $cores"
  done
done
echo "(default: the settings the firmware boots with; cycles/tok: clk_sys cycles of every"
echo " core during /bench per forward pass; B/tok: bytes over QSPI per forward pass (flash"
echo " read; PSRAM read and written); QSPI MB/s: all of them per modelled second; % bus: their"
echo " share of the ceiling, ${CEILING} MB/s at the QSPI clock /info reports (${QSPI_MHZ:-?} MHz x 4 bits);"
echo " n/a: the firmware does not offer the setting; stream: cores waiting for streamed"
echo " weights; wall s: simulator run time)"
