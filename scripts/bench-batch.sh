#!/usr/bin/env bash
# Documents per minute of `tally batch` over one variant of the corpus.
# Usage: scripts/bench-batch.sh VARIANT JOBS [CORPUS=/work/corpus] [FORMATS=json,csv,xlsx,sqlite,html]
# e.g. scripts/bench-batch.sh born 2; writes /tmp/tally-bench-batch/<variant>-j<jobs>/ and prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
variant=$1
jobs=$2
corpus=${3:-/work/corpus}
formats=${4:-json,csv,xlsx,sqlite,html}
out=/tmp/tally-bench-batch/$variant-j$jobs
rm -rf "$out"
mkdir -p "$out"
ls "$corpus"/*."$variant".pdf >"$out.manifest"
echo "bench-batch: $(wc -l <"$out.manifest") documents ($variant), -j $jobs, formats $formats"
/usr/bin/time -f "bench-batch: wall %e s, max RSS %M KiB" build/cli/tally batch "$out.manifest" -o "$out" -j "$jobs" \
  --format "$formats" --progress-every 60
