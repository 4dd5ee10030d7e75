#!/bin/sh
# download-models.sh - fetches the model files the tests and the firmware use
# into models/ and checks them against scripts/models.sha256.
#
#   scripts/download-models.sh            stories260K.bin, tok512.bin, tokenizer.bin
#   scripts/download-models.sh --if-missing   same, unless every file is already
#                                         found ($PICOLLAMA_MODELS, models/,
#                                         ../shared/models/)
# Sources (MIT): huggingface.co/karpathy/tinyllamas, github.com/karpathy/llama2.c
set -eu
cd "$(dirname "$0")/.."

HF=https://huggingface.co/karpathy/tinyllamas/resolve/main
GH=https://raw.githubusercontent.com/karpathy/llama2.c/master
FILES="stories260K.bin tok512.bin tokenizer.bin"

url_of() {
    case "$1" in
    stories260K.bin) echo "$HF/stories260K/stories260K.bin" ;;
    tok512.bin) echo "$HF/stories260K/tok512.bin" ;;
    tokenizer.bin) echo "$GH/tokenizer.bin" ;;
    stories15M.bin) echo "$HF/stories15M.bin" ;;
    esac
}

found() { scripts/find-model.sh "$1" > /dev/null; }

if [ "${1:-}" = "--if-missing" ]; then
    shift
    [ $# -eq 0 ] || { echo "download-models: --if-missing takes no model names" >&2; exit 1; }
    missing=""
    for f in $FILES; do found "$f" || missing="$missing $f"; done
    [ -z "$missing" ] && exit 0
    FILES=$missing
elif [ $# -gt 0 ]; then
    FILES="$*"
fi

for f in $FILES; do # every name known before anything is fetched
    [ -n "$(url_of "$f")" ] || { echo "download-models: unknown model '$f'" >&2; exit 1; }
done
mkdir -p models
for f in $FILES; do
    url=$(url_of "$f")
    echo "downloading $f from $url"
    if command -v curl >/dev/null 2>&1; then
        curl -fL --retry 3 -o "models/$f.part" "$url"
    else
        wget -O "models/$f.part" "$url"
    fi
    want=$(awk -v f="$f" '$2 == f {print $1}' scripts/models.sha256)
    got=$(sha256sum "models/$f.part" | cut -d' ' -f1)
    if [ "$want" != "$got" ]; then
        rm -f "models/$f.part"
        echo "download-models: $f: SHA-256 mismatch (got $got, want $want)" >&2
        exit 1
    fi
    mv "models/$f.part" "models/$f"
    echo "models/$f: OK"
done
