#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/, TALLY_FUZZ=ON) and runs each for a set time.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=120] [JOBS_FOR_BUILD=2] [TARGET...]
#   TARGET: pdf_to_tables_fuzzer, reconcile_fuzzer (default both, one after the other).
# Seeds: each target starts from a corpus that `-merge=1` minimizes (build-fuzz/seeds/, built once)
# out of fuzz/regressions/<target>/, fuzz/corpus/<target>/ and every PDF of fixtures/pdf,
# fixtures/real, extract/tests/data, $TALLY_REAL_PDFS (default ../shared/real beside the checkout,
# when present) and $TALLY_SEED_DIRS (default: the PDFs the normal build's tests generate under
# build/, when present). The PDF target mutates with the PDF token dictionary fuzz/pdf.dict.
# Delete build-fuzz/seeds/ to rebuild the seeds (about 110 files, 31 MB for the PDF target: too
# big to commit, hence rebuilt here).
# Environment: TALLY_FUZZ_PARALLEL=1 runs the targets at once instead of one after
# the other; TALLY_FUZZ_RSS_MB (default 2560) is libFuzzer's -rss_limit_mb; TALLY_FUZZ_NICE (default
# 19: fuzzing yields to everything else) is the niceness of the runs, e.g. 10 to share a busy machine
# evenly with builds run under `nice`.
# Corpora grow in build-fuzz/corpus/<target>/; crashes land in build-fuzz/crashes/<target>/; each
# run's log is build-fuzz/<target>.log (its last lines: executions, cov, ft, corpus size).
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
if [ -z "${TALLY_SEED_DIRS+set}" ]; then
  TALLY_SEED_DIRS=""
  for candidate in build/test-scratch build/fixtures_render_test build/fixtures_render_variety_test; do
    [ -d "$candidate" ] && TALLY_SEED_DIRS+=" $candidate"
  done
fi
rss_mb=${TALLY_FUZZ_RSS_MB:-2560}
niceness=${TALLY_FUZZ_NICE:-19}
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
  # libFuzzer reads directories but not symbolic links and would take every file: copy the PDFs.
  # -size -64M: the batch tests leave a sparse 2 GB "PDF" in build/test-scratch, which only
  # exhausts the merge's memory.
  local raw=build-fuzz/seeds-raw/$1
  rm -rf "$raw" && mkdir -p "$raw"
  # shellcheck disable=SC2086
  find fixtures/pdf fixtures/real extract/tests/data ${real:+"$real"} $TALLY_SEED_DIRS -type f -iname '*.pdf' -size -64M -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$raw/$(sha1sum "$f" | cut -c1-16)"; done
  dirs+=("$raw")
  printf '%s\n' "${dirs[@]}"
}

# fuzz_one TARGET: seeds the target (once), runs it for $seconds and prints its final figures.
fuzz_one() {
  local target=$1
  local corpus=build-fuzz/corpus/$target seeds=build-fuzz/seeds/$target crashes=build-fuzz/crashes/$target
  mkdir -p "$corpus" "$crashes"
  local options=(-max_len="$max_len" -timeout=60 -rss_limit_mb="$rss_mb")
  [ "$target" = pdf_to_tables_fuzzer ] && options+=(-dict=fuzz/pdf.dict)
  if [ ! -d "$seeds" ]; then
    local dirs
    mapfile -t dirs < <(seed_dirs "$target")
    rm -rf "$seeds.tmp" && mkdir -p "$seeds.tmp"
    echo "fuzz.sh: $target: minimizing $(find "${dirs[@]}" -type f | wc -l) seed inputs (-merge=1) into $seeds"
    nice -n "$niceness" "build-fuzz/fuzz/$target" -merge=1 "${options[@]}" -artifact_prefix="$crashes/" "$seeds.tmp" "${dirs[@]}" \
      >"build-fuzz/$target.merge.log" 2>&1
    mv "$seeds.tmp" "$seeds"
    echo "fuzz.sh: $target: $(ls "$seeds" | wc -l) seeds, $(du -sh "$seeds" | cut -f1)"
  fi
  echo "fuzz.sh: $target for ${seconds}s (log build-fuzz/$target.log)"
  local status=0
  nice -n "$niceness" "build-fuzz/fuzz/$target" "$corpus" "$seeds" "${options[@]}" \
    -max_total_time="$seconds" -artifact_prefix="$crashes/" -print_final_stats=1 \
    >"build-fuzz/$target.log" 2>&1 || status=1
  echo "fuzz.sh: $target: $(grep -E '^#[0-9]+' "build-fuzz/$target.log" | tail -n 1)"
  echo "fuzz.sh: $target: $(grep -E '^stat::number_of_executed_units' "build-fuzz/$target.log") ; corpus $(ls "$corpus" | wc -l) new files"
  echo "fuzz.sh: $target: $(ls "$crashes" | wc -l) crash/timeout/oom files in $crashes"
  return $status
}

status=0
if [ "${TALLY_FUZZ_PARALLEL:-0}" = 1 ]; then
  pids=()
  for target in "${targets[@]}"; do
    fuzz_one "$target" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
else
  for target in "${targets[@]}"; do fuzz_one "$target" || status=1; done
fi
exit $status
