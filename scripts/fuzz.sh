#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, TALLY_FUZZ=ON) and runs each for a set time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=120] [JOBS_FOR_BUILD=2]
# Corpora grow in build-fuzz/corpus/<target>/; crashes land in build-fuzz/crashes/<target>/.
# The PDF target starts from fixtures/pdf and extract/tests/data.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
jobs=${2:-2}
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang)"; exit 1; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTALLY_FUZZ=ON \
  -DTALLY_WERROR=OFF >/dev/null
nice cmake --build build-fuzz -j "$jobs" --target pdf_to_tables_fuzzer reconcile_fuzzer

status=0
for target in pdf_to_tables_fuzzer reconcile_fuzzer; do
  corpus=build-fuzz/corpus/$target
  crashes=build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  seeds=()
  if [ "$target" = pdf_to_tables_fuzzer ]; then
    seeds=(fixtures/pdf extract/tests/data)
  fi
  echo "fuzz.sh: $target for ${seconds}s"
  # -max_len keeps PDFs small enough to mutate usefully; -rss_limit_mb guards against renders blowing up.
  ASAN_OPTIONS=detect_leaks=0 "build-fuzz/fuzz/$target" "$corpus" "${seeds[@]}" -max_total_time="$seconds" \
    -max_len=200000 -timeout=30 -rss_limit_mb=3072 -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"build-fuzz/$target.log" 2>&1 || status=1
  tail -n 12 "build-fuzz/$target.log"
  echo "fuzz.sh: $target: $(ls "$crashes" | wc -l) crash/timeout files in $crashes"
done
exit $status
