# Shared by scripts/make-corpus.sh and scripts/make-variety-corpus.sh: renders one corpus file and
# prints its manifest line. Needs $out (corpus folder) and $tool (tally-fixtures) exported.
#
#   render_one ID VARIANT DPI PROFILE SEED [BASE_VARIANT [RENDER OPTIONS…]]
# VARIANT names the file ($out/ID.VARIANT.pdf); BASE_VARIANT is what it is (born, shuffled,
# mojibake, borderless, scan300, scan200-harsh, …; default VARIANT); DPI 0 / PROFILE - for the
# text-layer variants. RENDER OPTIONS go to `tally-fixtures render` (--font, --layout, --cells,
# --jpeg-quality, --skew, …).

# Builds tally-fixtures in $1 (configuring it first if needed) and prints the tool's path.
fixtures_tool() {
  local root build=$1
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  fi
  cmake --build "$build" -j 2 --target tally-fixtures >/dev/null
  echo "$build/fixtures/tally-fixtures"
}

manifest_header() {
  printf 'file\ttruth_id\tvariant\tdpi\tprofile\tseed\tpages\trotated_page\tfont\tbase_variant\tlayout\tsplit\tdetails\n'
}

render_one() {
  local id=$1 variant=$2 dpi=$3 profile=$4 seed=$5 base=${6:-$2}
  shift $(($# < 6 ? $# : 6))
  local kind=$base file="$out/$id.$variant.pdf" report
  [[ "$base" == scan* ]] && kind=scan
  if [ "$kind" = scan ]; then
    report=$("$tool" render "$out/truth/$id.json" --variant scan --dpi "$dpi" --profile "$profile" --seed "$seed" "$@" -o "$file") ||
      { echo "render-one: $file failed" >&2; return 0; }
  else
    report=$("$tool" render "$out/truth/$id.json" --variant "$kind" --seed "$seed" "$@" -o "$file") ||
      { echo "render-one: $file failed" >&2; return 0; }
    dpi=""; profile=""
  fi
  # report: path pages=N rotated_page=N split=S details=D font=F (font last)
  local pages rotated font split details layout
  pages=$(sed 's/.*pages=\([0-9]*\).*/\1/' <<< "$report")
  rotated=$(sed 's/.*rotated_page=\([0-9]*\).*/\1/' <<< "$report")
  split=$(sed 's/.*split=\([a-z]*\).*/\1/' <<< "$report")
  details=$(sed 's/.*details=\([^\t]*\).*/\1/' <<< "$report")
  layout=$(sed 's/^layout=\([a-z]*\).*/\1/' <<< "$details")
  font=$(sed 's/.*font=//' <<< "$report")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$file")" "$id" "$variant" "$dpi" "$profile" \
    "$seed" "$pages" "$rotated" "$font" "$base" "$layout" "$split" "$details"
}
