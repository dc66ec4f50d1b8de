#!/usr/bin/env bash
# Builds the "variety" corpus of issue 14, quickly: DOCS generated documents set in every CJK face
# Debian packages (宋体-, 黑体-, 楷体- and 仿宋-like), laid out by our cairo typesetter and by
# LibreOffice (XLSX printed to PDF), born and scanned at 300/200/150 dpi and bilevel, plus tight
# cells at JPEG quality 40 with 1.5° of skew. Each (layout, font, variant) is rendered once, from
# one of the documents in turn (a Latin square), so every font meets every variant and every
# document; FULL=1 renders every document in every combination instead.
#
# Usage: scripts/make-variety-corpus.sh [OUTDIR]       (default: corpus-variety/)
# Environment: DOCS (default 6) generated documents gen-0101…, JOBS (default 2) renders at a time,
#              FULL=1 full cross product, BUILD_DIR (default build/).
# Output: OUTDIR/truth/<id>.json, OUTDIR/<id>.<layout>-<font key>.<variant>.pdf,
#         OUTDIR/manifest.tsv (the columns of make-corpus.sh: …, font, base_variant, layout,
#         split, details). split is heldout for AR PL UMing and for the LibreOffice layout
#         (fixtures/SPLIT.md). Score with scripts/score-corpus.sh OUTDIR PRED_DIR.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$root/corpus-variety}" && cd "${1:-$root/corpus-variety}" && pwd)"
docs="${DOCS:-6}"
jobs="${JOBS:-2}"
build="${BUILD_DIR:-$root/build}"
start=$(date +%s)

# shellcheck source=lib/render-one.sh
source "$root/scripts/lib/render-one.sh"
tool=$(fixtures_tool "$build")

# key:family. 宋体-like serif (two weights), 黑体-like sans (two weights), 楷体 (UKai), 仿宋-like
# light serif (UMing, the held-aside font), WenQuanYi Zen Hei and Micro Hei.
fonts=(
  "notoserif:Noto Serif CJK SC"
  "notoserif-light:Noto Serif CJK SC Light"
  "notosans:Noto Sans CJK SC"
  "notosans-light:Noto Sans CJK SC Light"
  "ukai:AR PL UKai CN"
  "uming:AR PL UMing CN"
  "zenhei:WenQuanYi Zen Hei"
  "microhei:WenQuanYi Micro Hei"
)
# name dpi profile base [extra options]
variants=(
  "born 0 - born"
  "scan200 200 moderate scan200"
  "scan300 300 moderate scan300"
  "scan150 150 moderate scan150"
  "bilevel 200 bilevel scan200-bilevel"
  "scan200-tight 200 moderate scan200-tight --cells tight --jpeg-quality 40 --skew 1.5"
)

mkdir -p "$out/truth"
rm -f "$out"/*.pdf "$out/manifest.tsv"
ids=()
for ((i = 1; i <= docs; i++)); do
  id=$(printf 'gen-%04d' $((100 + i)))
  (cd "$root" && "$tool" generate --seed $((100 + i)) --id "$id" -o "$out/truth/$id.json")
  ids+=("$id")
done

joblist="$out/.jobs"
: > "$joblist"
# Variants outer, fonts inner: the files come out born first, then scan200, scan300, … so a corpus
# stopped early still has every font of the first variants.
vi=0
for v in "${variants[@]}"; do
  read -r name dpi profile base extra <<< "$v"
  fi_=0
  for entry in "${fonts[@]}"; do
    key=${entry%%:*} family=${entry#*:}
    for layout in cairo libreoffice; do
      # Tight cells are a cairo geometry only in this corpus (LibreOffice's columns are its own).
      [ "$layout" = libreoffice ] && [ "$name" = scan200-tight ] && continue
      li=$([ "$layout" = cairo ] && echo 0 || echo 1)
      for ((d = 0; d < docs; d++)); do
        if [ "${FULL:-0}" != 1 ] && ((d != (fi_ + vi + li * 3) % docs)); then continue; fi
        id=${ids[$d]}
        seed=$((10#${id#gen-}))
        fam=${family// /\\ }
        # No trailing blank: xargs -L would join the next line to this one.
        line="$id $layout-$key.$name $dpi $profile $seed $base --layout $layout --font $fam ${extra:-}"
        echo "${line% }" >> "$joblist"
      done
    done
    fi_=$((fi_ + 1))
  done
  vi=$((vi + 1))
done

export -f render_one
export out tool
{
  manifest_header
  # In the job list's order (-P keeps it roughly), each line written as soon as its file is done.
  xargs -P "$jobs" -L 1 bash -c 'render_one "$@"' _ < "$joblist"
} > "$out/manifest.tsv"
rm -f "$joblist"

files=$(($(wc -l < "$out/manifest.tsv") - 1))
echo "make-variety-corpus: ${#ids[@]} documents, $files PDFs, $(du -sh "$out" | cut -f1) in $out, $(($(date +%s) - start)) s"
