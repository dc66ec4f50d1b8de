# Shared by the cluster tests: the born fixture corpus copied, and the corpus rows of a database.
# Each copy after the first ends with a comment of its own after the PDF's end, so that it is a
# document of its own (documents are known by content: plain copies would be read once and skipped
# as done, and COPIES would add no work).
make_corpus() {  # make_corpus FOLDER COPIES
  local folder=$1 copies=$2 i f
  for ((i = 1; i <= copies; i++)); do
    mkdir -p "$folder/copy-$i"
    for f in fixtures/pdf/*.born.pdf; do
      cp "$f" "$folder/copy-$i/"
      ((i == 1)) || printf '\n%% copy %d\n' "$i" >>"$folder/copy-$i/$(basename "$f")"
    done
  done
}

sqlite_rows() {  # sqlite_rows DATABASE
  sqlite3 -separator '|' "$1" <tests/cluster/corpus_rows.sql
}

# Exit code 77 tells CTest the test was skipped.
skip() {
  echo "SKIPPED: $*"
  exit 77
}

# A batch that finished: exit 0, or 3 when a source breaks its own identities (the fixtures do).
batch_ran() {
  local code=0
  "$@" || code=$?
  [[ $code == 0 || $code == 3 ]]
}

# ledger_status LEDGER: "NAME STATUS" for each document as its last line says (the ledger is appended
# to: a document's `started` line stays before its `done` one; a torn line is skipped).
ledger_status() {
  python3 - "$1" <<'PY'
import json, sys
last = {}
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        record = json.loads(line)
    except ValueError:
        continue
    last[record["name"]] = record["status"]
for name, status in sorted(last.items()):
    print(name, status)
PY
}
