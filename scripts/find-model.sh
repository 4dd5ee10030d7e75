#!/bin/sh
# find-model.sh - where a model file is, in the project's lookup order:
# $PICOLLAMA_MODELS, models/, ../shared/models/ (from the current directory,
# the repository's root for every caller).
#
#   scripts/find-model.sh NAME     prints the path; exit status 1 if not found
[ $# -eq 1 ] || { echo "usage: scripts/find-model.sh NAME" >&2; exit 2; }
for dir in "${PICOLLAMA_MODELS:-}" models ../shared/models; do
    [ -n "$dir" ] && [ -f "$dir/$1" ] && { echo "$dir/$1"; exit 0; }
done
exit 1
