#!/usr/bin/env bash
# The LibreOffice layout path end to end: gen-0001 printed by LibreOffice (XLSX → PDF) is read
# from its text layer (`tally extract --ocr never`) with every table found and every amount right,
# and the corpus scorer puts it in the held-aside split (fixtures/SPLIT.md).
# Usage: libreoffice_layout_test.sh TALLY_FIXTURES TALLY SOURCE_DIR
set -euo pipefail
fixtures_tool=$1 tally=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/corpus/truth" "$tmp/pred"
cp "$src/fixtures/truth/gen-0001.json" "$tmp/corpus/truth/"
report=$("$fixtures_tool" render "$tmp/corpus/truth/gen-0001.json" --layout libreoffice \
  --font "Noto Sans CJK SC" -o "$tmp/corpus/gen-0001.lo.born.pdf")
grep -q $'split=heldout\t' <<< "$report" || { echo "not held aside: $report"; exit 1; }
printf 'file\ttruth_id\tvariant\tfont\tbase_variant\tlayout\tsplit\ngen-0001.lo.born.pdf\tgen-0001\tlo.born\tNoto Sans CJK SC\tborn\tlibreoffice\theldout\n' \
  > "$tmp/corpus/manifest.tsv"
"$tally" extract "$tmp/corpus/gen-0001.lo.born.pdf" -o "$tmp/pred" --format json --ocr never > /dev/null 2>&1 || true
out=$("$tally" score "$tmp/pred" "$tmp/corpus/truth")
echo "$out"
# The document line: 11/11 tables, 100.0% values and reads.
grep -Eq '^gen-0001 +lo\.born +11/11 +100\.0% +100\.0% +0 ' <<< "$out" || { echo "FAIL: tables or amounts lost"; exit 1; }
# The held-aside block carries the same figures; dev has none.
grep -Eq '^heldout +layout +libreoffice +1 +11/11 +100\.0% +100\.0%' <<< "$out" || { echo "FAIL: no held-aside line"; exit 1; }
if grep -Eq '^dev ' <<< "$out"; then echo "FAIL: a dev line for a held-aside document"; exit 1; fi
echo "ok"
