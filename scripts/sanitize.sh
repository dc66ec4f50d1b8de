#!/usr/bin/env bash
# Builds Tally with sanitizers and runs the test suite (or part of it) under them.
# Usage: scripts/sanitize.sh asan|tsan [CTEST_ARGS...]
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/
#   tsan: ThreadSanitizer in build-tsan/
# CTEST_ARGS choose the tests (e.g. -R 'OcrScan|Batch' or -L ocr); without them the whole suite runs.
# Any sanitizer report fails its test: UB aborts, ASan and TSan stop at the first report.
# Compiler: $CXX if set, else the system's (GCC 12 on Debian 12; Clang 14 works too).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
shift || true
case "$mode" in
  asan) sanitize=address ;;
  tsan) sanitize=thread ;;
  *) echo "usage: scripts/sanitize.sh asan|tsan [CTEST_ARGS...]" >&2; exit 1 ;;
esac
build=build-$mode
jobs=${TALLY_JOBS:-$(nproc)}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
# RelWithDebInfo: optimized enough that the OCR tests finish, with line numbers in the reports.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTALLY_SANITIZE="$sanitize" "${launcher[@]}" >/dev/null
# TALLY_BUILD_TARGETS (space-separated) builds only the tests a partial run needs; unbuilt test
# executables show up in ctest as <name>_NOT_BUILT and are skipped unless selected.
# shellcheck disable=SC2086
nice cmake --build "$build" -j "$jobs" ${TALLY_BUILD_TARGETS:+--target $TALLY_BUILD_TARGETS}

supp=$PWD/scripts/sanitizers
# halt_on_error: the first report ends the process, so the test that caused it fails.
# Leaks: off unless TALLY_DETECT_LEAKS=1 — the uninstrumented libraries' process-lifetime caches
# (fontconfig, Tesseract) are not yet listed in lsan.supp.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=${TALLY_DETECT_LEAKS:-0}:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Tesseract's OpenMP threads (Debian's libgomp, uninstrumented: TSan cannot see its futex-based
# barriers) stay off; tally re-executes itself with this limit anyway (ocr::reexec_single_threaded),
# the test programs that read in-process do not.
export OMP_THREAD_LIMIT=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:print_suppressions=0
cd "$build"
ctest --output-on-failure -j "$jobs" --timeout "${TALLY_TEST_TIMEOUT:-1800}" "$@"
