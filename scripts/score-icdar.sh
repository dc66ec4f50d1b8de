#!/usr/bin/env bash
# ICDAR 2013 table competition, EU half, complete process: Tally finds its own tables in every PDF
# (text layer only) and `tally score --icdar` compares them with the ground truth. Scores the
# development half (odd file numbers), the held-aside half (even numbers: never tune on it) and
# both pooled.
#
# Usage: scripts/score-icdar.sh PRED_DIR [ICDAR_DIR]
#   ICDAR_DIR: default ../shared/real/icdar2013/competition-dataset-eu (beside the repository's parent)
# Environment: BUILD_DIR (default build/), JOBS (default 2) documents at a time.
# Output: PRED_DIR/<pdf-stem>.json, PRED_DIR/<pdf-stem>.log; PRED_DIR.{all,odd,even}.txt (the
#         scorer's report per half) and a summary of the three on stdout.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 PRED_DIR [ICDAR_DIR]" >&2; exit 1; }
mkdir -p "$1"
pred="$(cd "$1" && pwd)"
icdar="${2:-${TALLY_SHARED_DIR:-$root/../../shared}/real/icdar2013/competition-dataset-eu}"
[ -d "$icdar" ] || { echo "$0: no ICDAR folder at $icdar" >&2; exit 1; }
icdar="$(cd "$icdar" && pwd)"
build="${BUILD_DIR:-$root/build}"
tally="$build/cli/tally"
[ -x "$tally" ] || { echo "$0: $tally is not built" >&2; exit 1; }

start=$(date +%s)
ls "$icdar"/*.pdf | xargs -P "${JOBS:-2}" -I{} sh -c \
  'f="$1"; n=$(basename "$f" .pdf); "$2" extract "$f" -o "$3" --format json --ocr never > "$3/$n.log" 2>&1 || true' \
  _ {} "$tally" "$pred"
echo "extracted $(ls "$icdar"/*.pdf | wc -l) PDFs in $(($(date +%s) - start)) s"

# A half is a folder of links to its documents' PDFs and ground truth files.
halves="$(mktemp -d)"
trap 'rm -rf "$halves"' EXIT
for half in odd even; do
  mkdir -p "$halves/$half"
  for f in "$icdar"/eu-*; do
    number=$(basename "$f" | sed -E 's/^eu-0*([0-9]+).*/\1/')
    parity=$([ $((number % 2)) -eq 1 ] && echo odd || echo even)
    [ "$parity" = "$half" ] && ln -s "$f" "$halves/$half/"
  done
done

summary() {  # the figures the issue tracks, from one report
  grep -E '^(document|pooled|mean per document)' "$1" | sed 's/^/  /'
}
"$tally" score --icdar "$pred" "$icdar" > "$pred.all.txt" || true
"$tally" score --icdar "$pred" "$halves/odd" > "$pred.odd.txt" || true
"$tally" score --icdar "$pred" "$halves/even" > "$pred.even.txt" || true
for half in odd even all; do
  echo "== $half"
  summary "$pred.$half.txt"
done
