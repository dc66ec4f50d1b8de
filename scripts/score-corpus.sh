#!/usr/bin/env bash
# Extracts every PDF of a fixture corpus (made by scripts/make-corpus.sh) and scores the results
# against the corpus's truth: per variant and overall, as text, plus a JSON report.
#
# Usage: scripts/score-corpus.sh CORPUS_DIR PRED_DIR [VARIANT…]
#   VARIANT: born, shuffled, mojibake, scan300, … (default: every variant present)
# Environment: BUILD_DIR (default build/), JOBS (default 2) documents at a time,
#              EXTRACT_ARGS extra arguments for `tally extract` (e.g. "--ocr never").
# Output: PRED_DIR/<id>.<variant>.json, PRED_DIR/<id>.<variant>.log (the command's messages),
#         PRED_DIR.score.txt and PRED_DIR.score.json (beside it: the scorer reads every JSON in PRED_DIR).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 CORPUS_DIR PRED_DIR [VARIANT…]" >&2; exit 1; }
corpus="$(cd "$1" && pwd)"
mkdir -p "$2"
pred="$(cd "$2" && pwd)"
shift 2
build="${BUILD_DIR:-$root/build}"
tally="$build/cli/tally"
[ -x "$tally" ] || { echo "$0: $tally is not built" >&2; exit 1; }

files=()
if (($#)); then
  for v in "$@"; do for f in "$corpus"/*."$v".pdf; do [ -e "$f" ] && files+=("$f"); done; done
else
  for f in "$corpus"/*.pdf; do files+=("$f"); done
fi
((${#files[@]})) || { echo "$0: no PDFs of those variants in $corpus" >&2; exit 1; }

start=$(date +%s)
# One document per process; a failing document leaves its log and no JSON (scored as missing).
printf '%s\n' "${files[@]}" | xargs -P "${JOBS:-2}" -I{} sh -c \
  'f="$1"; n=$(basename "$f" .pdf); "$2" extract "$f" -o "$3" --format json $4 > "$3/$n.log" 2>&1 || true' \
  _ {} "$tally" "$pred" "${EXTRACT_ARGS:-}"
echo "extracted ${#files[@]} PDFs in $(($(date +%s) - start)) s"

"$tally" score "$pred" "$corpus/truth" | tee "$pred.score.txt"
"$tally" score --json "$pred" "$corpus/truth" -o "$pred.score.json" > /dev/null
