#!/usr/bin/env bash
# bench-15m.sh - `make bench-15m`: stories15M on the virtual board, its
# weights streamed from flash (q8 and q4 model UF2s over the firmware's
# model slot), through scripts/bench.sh.
#
#   scripts/bench-15m.sh [BUILD_DIR]     (default: build)
#   scripts/bench-15m.sh --help          this text
#
# Uses stories15M.bin when it is found ($PICOLLAMA_MODELS, models/,
# ../shared/models/, all from the repository's root whatever the current
# directory; `make models-15m` downloads it) and /bench; otherwise a
# random-weight checkpoint of the same shape from the project's generator,
# with a four-token prompt instead of /bench (from BOS alone a random model
# samples BOS at once), otherwise /bench's settings. The first line it prints
# says which model it used.
set -euo pipefail

for a in "$@"; do
  case "$a" in
  -h|--help) sed -n '2,/^set -e/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
  -*) echo "bench-15m: unknown option '$a' (see $0 --help)" >&2; exit 1 ;;
  esac
done
[ $# -le 1 ] || { echo "bench-15m: one BUILD_DIR at most (see $0 --help)" >&2; exit 1; }
BUILD=${1:-build}
# model lookup and the scripts are relative to the repository's root
case "$BUILD" in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
cd "$(dirname "$0")/.."

# Writes $1 (a path with a directory) through DIR/partial-NAME, so an
# interrupted or failed write leaves no file a later run would take for a
# finished one; the rest is the command, its output file given as {}. The
# name keeps its suffix: pack writes a UF2 for a name ending in .uf2.
write_atomically() {
  local out=$1 part="${1%/*}/partial-${1##*/}" args=() a
  shift
  for a in "$@"; do [ "$a" = "{}" ] && args+=("$part") || args+=("$a"); done
  "${args[@]}" || { rm -f "$part"; return 1; }
  mv "$part" "$out"
}

TOKENIZER=$(scripts/find-model.sh tokenizer.bin) || { echo "bench-15m: tokenizer.bin not found (make models)" >&2; exit 1; }
mkdir -p "$BUILD/models"
PROMPT=()
PACK=()
if CKPT=$(scripts/find-model.sh stories15M.bin); then
  NAME=stories15M
  MODEL="the real stories15M ($CKPT), /bench"
else
  NAME=random15M
  CKPT=$BUILD/models/random15M.bin
  [ -f "$CKPT" ] || write_atomically "$CKPT" "$BUILD/tests/tools/gen_checkpoint" {} --dim 288 \
      --hidden 768 --layers 6 --heads 6 --kv-heads 6 --vocab 32000 --seq 256
  PROMPT=(--prompt "Once upon a time")
  PACK=(--calibrate 0 --group 128) # nothing to calibrate on random weights
  MODEL="NOT stories15M: random weights of its shape (stories15M.bin not found; make models-15m), prompt 'Once upon a time'"
fi
echo "model: $MODEL"
for q in q4 q8; do
  UF2=$BUILD/models/$NAME-$q.uf2
  if [ ! -f "$UF2" ] || [ "$CKPT" -nt "$UF2" ]; then
    echo "packing $UF2"
    write_atomically "$UF2" "$BUILD/tools/picollama" pack "$CKPT" "$TOKENIZER" -q "$q" \
        "${PACK[@]}" -o {} > /dev/null
  fi
  echo "== $NAME $q (weights streamed from flash; $MODEL)"
  scripts/bench.sh "$BUILD" --model "$UF2" "${PROMPT[@]}"
done
