#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, TALLY_FUZZ=ON) and runs each for a set time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=120] [JOBS_FOR_BUILD=2] [TARGET...]
#   TARGET: pdf_to_tables_fuzzer, reconcile_fuzzer (default both, one after the other).
# Seeds: the PDF target starts from a corpus that `-merge=1` minimizes (build-fuzz/seeds/, built once)
# out of fixtures/pdf, fixtures/real, extract/tests/data, every PDF under $TALLY_REAL_PDFS (default
# ../shared/real beside the checkout, when present) and fuzz/regressions/; it mutates with the
# PDF token dictionary fuzz/pdf.dict. Delete build-fuzz/seeds/ to rebuild the seeds.
# Corpora grow in build-fuzz/corpus/<target>/; crashes land in build-fuzz/crashes/<target>/.
# A finding, once fixed, goes into fuzz/regressions/<target>/ (the normal suite replays it there).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
jobs=${2:-2}
shift $(($# < 2 ? $# : 2))
targets=("$@")
((${#targets[@]})) || targets=(pdf_to_tables_fuzzer reconcile_fuzzer)
real=${TALLY_REAL_PDFS:-}
if [ -z "$real" ]; then
  for candidate in ../shared/real ../../shared/real; do [ -d "$candidate" ] && { real=$candidate; break; }; done
fi
# -max_len: 1 MB keeps 97 of the 113 seed PDFs whole (the rest are truncated; Poppler rebuilds their
# cross-reference tables, which is worth fuzzing too); -rss_limit_mb guards against renders blowing up.
max_len=1048576
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ not found (apt-get install clang)"; exit 1; }
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTALLY_FUZZ=ON \
  -DTALLY_WERROR=OFF "${launcher[@]}" >/dev/null
nice cmake --build build-fuzz -j "$jobs" --target "${targets[@]}"
export ASAN_OPTIONS=detect_leaks=0  # leaks are the sanitizer suite's business (scripts/sanitize.sh asan)

# seed_dirs TARGET: the folders the target's seed corpus is minimized from.
seed_dirs() {
  local dirs=()
  [ -d "fuzz/regressions/$1" ] && dirs+=("fuzz/regressions/$1")
  [ -d "fuzz/corpus/$1" ] && dirs+=("fuzz/corpus/$1")
  if [ "$1" = pdf_to_tables_fuzzer ]; then
    # libFuzzer reads directories but not symbolic links and would take every file: copy the PDFs.
    local raw=build-fuzz/seeds-raw/$1
    rm -rf "$raw" && mkdir -p "$raw"
    find fixtures/pdf fixtures/real extract/tests/data ${real:+"$real"} -type f -iname '*.pdf' -print0 | while IFS= read -r -d '' f; do cp "$f" "$raw/$(sha1sum "$f" | cut -c1-16)"; done
    dirs+=("$raw")
  fi
  printf '%s\n' "${dirs[@]}"
}

status=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target
  seeds=build-fuzz/seeds/$target
  crashes=build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  options=(-max_len=$max_len -timeout=60 -rss_limit_mb=4096)
  [ "$target" = pdf_to_tables_fuzzer ] && options+=(-dict=fuzz/pdf.dict)
  if [ ! -d "$seeds" ]; then
    mapfile -t dirs < <(seed_dirs "$target")
    if ((${#dirs[@]})); then
      mkdir -p "$seeds.tmp"
      echo "fuzz.sh: $target: minimizing $(find "${dirs[@]}" -type f | wc -l) seed inputs (-merge=1) into $seeds"
      "build-fuzz/fuzz/$target" -merge=1 "${options[@]}" -artifact_prefix="$crashes/" "$seeds.tmp" "${dirs[@]}" >"build-fuzz/$target.merge.log" 2>&1
      mv "$seeds.tmp" "$seeds"
      echo "fuzz.sh: $target: $(ls "$seeds" | wc -l) seeds, $(du -sh "$seeds" | cut -f1)"
    fi
  fi
  inputs=("$corpus")
  [ -d "$seeds" ] && inputs+=("$seeds")
  echo "fuzz.sh: $target for ${seconds}s"
  "build-fuzz/fuzz/$target" "${inputs[@]}" "${options[@]}" \
    -max_total_time="$seconds" -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"build-fuzz/$target.log" 2>&1 || status=1
  tail -n 14 "build-fuzz/$target.log"
  echo "fuzz.sh: $target: $(ls "$crashes" | wc -l) crash/timeout files in $crashes"
done
exit $status
