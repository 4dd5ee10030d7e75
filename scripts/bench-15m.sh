#!/usr/bin/env bash
# bench-15m.sh - `make bench-15m`: stories15M on the virtual board, its
# weights streamed from flash (q8 and q4 model UF2s over the firmware's
# model slot), through scripts/bench.sh.
#
#   scripts/bench-15m.sh [BUILD_DIR]     (default: build)
#
# Uses stories15M.bin when it is found ($PICOLLAMA_MODELS, models/,
# ../shared/models/; `make models-15m` downloads it) and /bench; otherwise a
# random-weight checkpoint of the same shape from the project's generator,
# with a four-token prompt instead of /bench (from BOS alone a random model
# samples BOS at once), otherwise /bench's settings. The first line it prints
# says which model it used.
set -euo pipefail

BUILD=${1:-build}
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
  [ -f "$CKPT" ] || "$BUILD/tests/tools/gen_checkpoint" "$CKPT" --dim 288 --hidden 768 \
      --layers 6 --heads 6 --kv-heads 6 --vocab 32000 --seq 256
  PROMPT=(--prompt "Once upon a time")
  PACK=(--calibrate 0 --group 128) # nothing to calibrate on random weights
  MODEL="NOT stories15M: random weights of its shape (stories15M.bin not found; make models-15m), prompt 'Once upon a time'"
fi
echo "model: $MODEL"
for q in q4 q8; do
  UF2=$BUILD/models/$NAME-$q.uf2
  if [ ! -f "$UF2" ] || [ "$CKPT" -nt "$UF2" ]; then
    echo "packing $UF2"
    "$BUILD/tools/picollama" pack "$CKPT" "$TOKENIZER" -q "$q" "${PACK[@]}" -o "$UF2" > /dev/null
  fi
  echo "== $NAME $q (weights streamed from flash; $MODEL)"
  scripts/bench.sh "$BUILD" --model "$UF2" "${PROMPT[@]}"
done
