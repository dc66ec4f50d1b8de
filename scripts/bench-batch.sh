#!/usr/bin/env bash
# Documents per minute of `tally batch` over one variant of the corpus, or the parent's memory.
# Usage: scripts/bench-batch.sh VARIANT JOBS [CORPUS=/work/corpus] [FORMATS=json,csv,xlsx,sqlite,html] [-- BATCH OPTIONS…]
#        scripts/bench-batch.sh rss N [BATCH OPTIONS…]
# e.g. scripts/bench-batch.sh born 2; writes /tmp/tally-bench-batch/<variant>-j<jobs>/ and prints the summary,
# the wall time, the CPU time (user+sys of tally and every child it ran) per document and the load
# average before and after (the machine may be shared: CPU per document is the figure that
# compares). COUNT=N lists the corpus's documents round and round until there are N (no --resume:
# every entry is read); TALLY=path measures another build (default build/cli/tally).
# `rss N` reads N distinct copies of the born fixtures (fixtures/pdf/*.born.pdf) with -j 2
# and prints the batch process's resident memory (VmRSS, as it reports it with -v) after 10, 100
# and N documents; add
# --in-process to measure documents read in threads of the one process.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $1 == rss ]]; then
  n=$2
  shift 2
  out=/tmp/tally-bench-batch/rss-$n${*:+-${*//[^a-z0-9]/}}
  rm -rf "$out" "$out.in"
  mkdir -p "$out" "$out.in"
  # N distinct documents: copies of the born fixtures, each with a comment after its end so that its
  # content hash differs (the ledger knows a document by its hash; links or plain copies would be
  # one document read once).
  # RSS_DOCS (a glob) reads other documents instead: the parent's work per document does not depend
  # on the document, so small ones (extract/tests/data/simple.pdf) measure it in minutes.
  mapfile -t born < <(ls "$PWD"/${RSS_DOCS:-fixtures/pdf/*.born.pdf})
  for ((i = 0; i < n; i++)); do
    { cat "${born[i % ${#born[@]}]}"; printf '\n%% bench copy %d\n' "$i"; } >"$out.in/doc-$i.pdf"
  done
  # The batch reports its own resident memory on every progress line (-v, --progress-every 0), so
  # the figure after the last document is the process's own, not a poll that can miss the end.
  { "${TALLY:-build/cli/tally}" batch "$out.in" -o "$out" -j 2 --format json -v --progress-every 0 "$@" 2>&1 || true; } |
    sed -nE 's|^tally batch: ([0-9]+)/[0-9]+ done.* parent RSS (-?[0-9]+) KiB.*|\1 \2|p' |
    while read -r done_count rss; do
      for mark in 10 100 "$n"; do
        if ((done_count >= mark)) && [[ -z ${said[$mark]:-} ]]; then
          echo "bench-batch rss: after $mark documents: parent VmRSS $rss KiB"
          said[$mark]=1
        fi
      done
    done
  exit 0
fi
variant=$1
jobs=$2
corpus=${3:-/work/corpus}
formats=${4:-json,csv,xlsx,sqlite,html}
shift $(($# < 4 ? $# : 4))
[[ ${1:-} == -- ]] && shift
out=/tmp/tally-bench-batch/$variant-j$jobs${*:+-${*//[^a-z0-9]/}}
rm -rf "$out"
mkdir -p "$out"
ls "$corpus"/*."$variant".pdf >"$out.manifest"
if [[ -n ${COUNT:-} ]]; then
  mapfile -t files <"$out.manifest"
  for ((i = 0; i < COUNT; i++)); do echo "${files[i % ${#files[@]}]}"; done >"$out.manifest"
fi
documents=$(wc -l <"$out.manifest")
echo "bench-batch: $documents documents ($variant), -j $jobs, formats $formats $*"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
code=0
/usr/bin/time -o "$out.time" -f "%e %U %S %M" "${TALLY:-build/cli/tally}" batch "$out.manifest" -o "$out" -j "$jobs" \
  --format "$formats" --progress-every 60 "$@" || code=$?
# The last line: time puts "Command exited with non-zero status 3" before it.
read -r wall user sys max_rss < <(tail -n 1 "$out.time")
awk -v n="$documents" -v wall="$wall" -v user="$user" -v sys="$sys" -v rss="$max_rss" \
  -v before="$load_before" -v after="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "bench-batch: wall %.1f s (%.1f documents/min), CPU user+sys %.1f s = %.2f s/document, max RSS %d KiB; load average %s before, %s after\n",
    wall, n / wall * 60, user + sys, (user + sys) / n, rss, before, after }'
# 3: a source breaks its own identities (the fixtures do); the run itself went well.
[[ $code == 0 || $code == 3 ]]
