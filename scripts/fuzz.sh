#!/bin/sh
# fuzz.sh - builds the libFuzzer targets with clang and runs each one.
#
#   scripts/fuzz.sh [SECONDS]     run each target for SECONDS (default 60)
#   scripts/fuzz.sh --runs N      run each target for N executions
#
# Seeds: a tiny packed image, a tiny checkpoint and a tokenizer + text,
# made with the project's own tools. Findings are written to build-fuzz/
# (crash-*, leak-*) and fail the script.
set -eu
cd "$(dirname "$0")/.."
limit="-max_total_time=${1:-60}"
[ "${1:-}" = "--runs" ] && limit="-runs=$2"

B=build-fuzz
cmake -S . -B $B -DCMAKE_C_COMPILER=clang -DPICOLLAMA_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build $B -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

tok=$(scripts/find-model.sh tok512.bin) ||
    { echo "fuzz: tok512.bin not found (run 'make models')" >&2; exit 1; }

seeds=$B/seeds
rm -rf $seeds && mkdir -p $seeds/image $seeds/checkpoint $seeds/tokenizer
$B/tests/tools/gen_checkpoint $seeds/checkpoint/tiny.bin --dim 8 --hidden 16 --layers 1 \
    --heads 2 --kv-heads 1 --vocab 512 --seq 4
$B/tests/tools/gen_checkpoint $seeds/checkpoint/tiny-unshared.bin --dim 8 --hidden 16 \
    --layers 1 --heads 2 --kv-heads 2 --vocab 512 --seq 4 --unshared
for q in f32 q8 q4; do
    $B/tools/picollama pack $seeds/checkpoint/tiny.bin "$tok" -q $q --calibrate 8 \
        -o $seeds/image/tiny-$q.img >/dev/null 2>&1
done
# tokenizer seed: 2-byte length, tok512.bin, then a text
size=$(wc -c < "$tok")
printf "\\$(printf %o $((size % 256)))\\$(printf %o $((size / 256)))" > $seeds/tokenizer/tok512
cat "$tok" >> $seeds/tokenizer/tok512
printf 'Once upon a time, \xe2\x82\xac\x80 Lily' >> $seeds/tokenizer/tok512

status=0
for target in image checkpoint tokenizer; do
    echo "fuzz_$target: $limit"
    mkdir -p $B/corpus/$target
    if ! (cd $B && ./tests/fuzz/fuzz_$target $limit -max_len=65536 -rss_limit_mb=2048 \
            -print_final_stats=1 corpus/$target seeds/$target 2>fuzz_$target.log); then
        status=1
        tail -30 $B/fuzz_$target.log
    fi
    grep -E "stat::number_of_executed_units|Done [0-9]+ runs" $B/fuzz_$target.log | tail -2
done
exit $status
