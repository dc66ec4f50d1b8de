#!/usr/bin/env bash
# Builds the fixture corpus: every truth of fixtures/truth (seeds 000, 001, 002, 004) plus GENERATED
# generated budget documents, each rendered born, shuffled, mojibake and scanned at 300/200/150 dpi
# (profile moderate), plus harsh and bilevel scans of some; with a manifest of what made each file.
#
# Usage: scripts/make-corpus.sh [OUTDIR]        (default: corpus/, which git ignores)
# Environment: GENERATED (default 24) generated documents, JOBS (default 2) renders at a time,
#              BUILD_DIR (default build/).
#
# Output:
#   OUTDIR/truth/<id>.json                 truth of every document (seeds copied, generated written)
#   OUTDIR/<id>.<variant>.pdf              variant: born | shuffled | mojibake | scan300 | scan200 |
#                                          scan150 | scan200-harsh | scan150-harsh | scan200-bilevel |
#                                          libreoffice.born | libreoffice.scan200 | uming-tight.scan200
#   OUTDIR/manifest.tsv                    file, truth_id, variant, dpi, profile, seed, pages,
#                                          rotated_page, font, base_variant, layout, split (dev |
#                                          heldout, fixtures/SPLIT.md), details (render options)
# Everything is seeded: the same command gives the same files (born/shuffled/mojibake byte for
# byte; scans pixel for pixel, and byte for byte with the same libjpeg).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/corpus}" && cd "${1:-$root/corpus}" && pwd)"
generated="${GENERATED:-24}"
jobs="${JOBS:-2}"
build="${BUILD_DIR:-$root/build}"
start=$(date +%s)

# shellcheck source=lib/render-one.sh
source "$root/scripts/lib/render-one.sh"
tool=$(fixtures_tool "$build")

mkdir -p "$out/truth"
rm -f "$out"/*.pdf "$out/manifest.tsv"
ids=()
for f in "$root"/fixtures/truth/seed-*.json; do
  cp "$f" "$out/truth/"
  ids+=("$(basename "$f" .json)")
done
for ((i = 1; i <= generated; i++)); do
  id=$(printf 'gen-%04d' "$i")
  (cd "$root" && "$tool" generate --seed "$i" --id "$id" -o "$out/truth/$id.json")
  ids+=("$id")
done

# One line per file to make: truth_id variant dpi profile seed. The render seed is fixed per
# document (seed-000 → 1000, gen-0007 → 7) so its variants share fonts and look alike.
joblist="$out/.jobs"
: > "$joblist"
n=0
for id in "${ids[@]}"; do
  case "$id" in
    seed-*) seed=$((1000 + 10#${id#seed-})) ;;
    *) seed=$((10#${id#gen-})) ;;
  esac
  for v in born shuffled mojibake; do echo "$id $v 0 - $seed" >> "$joblist"; done
  for dpi in 300 200 150; do echo "$id scan$dpi $dpi moderate $seed" >> "$joblist"; done
  # Harsh and bilevel scans of every seed and of every third generated document.
  if [[ "$id" == seed-* ]] || ((n % 3 == 0)); then
    echo "$id scan200-harsh 200 harsh $seed" >> "$joblist"
    echo "$id scan150-harsh 150 harsh $seed" >> "$joblist"
    echo "$id scan200-bilevel 200 bilevel $seed" >> "$joblist"
  fi
  # Issue 14: the held-aside split (fixtures/SPLIT.md) and harder cells, for the same documents:
  # printed by LibreOffice (born and scanned at 200 dpi), and set in AR PL UMing with tight cells,
  # JPEG quality 40 and 1.5° of skew.
  if [[ "$id" == seed-* ]] || ((n % 3 == 0)); then
    echo "$id libreoffice.born 0 - $seed born --layout libreoffice" >> "$joblist"
    echo "$id libreoffice.scan200 200 moderate $seed scan200 --layout libreoffice" >> "$joblist"
    echo "$id uming-tight.scan200 200 moderate $seed scan200 --font AR\ PL\ UMing\ CN --cells tight --jpeg-quality 40 --skew 1.5" >> "$joblist"
  fi
  [[ "$id" == gen-* ]] && n=$((n + 1))
done

export -f render_one
export out tool

{
  manifest_header
  xargs -P "$jobs" -L 1 bash -c 'render_one "$@"' _ < "$joblist" | sort
} > "$out/manifest.tsv"
rm -f "$joblist"

files=$(($(wc -l < "$out/manifest.tsv") - 1))
size=$(du -sh "$out" | cut -f1)
echo "make-corpus: ${#ids[@]} documents, $files PDFs, $size in $out, $(($(date +%s) - start)) s"
