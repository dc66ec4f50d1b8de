#!/usr/bin/env bash
# Sets up, builds, and reads every table of a bundled real disclosure into out/sample/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Exit code 3 means the read succeeded and the disclosure itself breaks an identity (this one states a
# percentage its own figures do not give): a finding to read in the report, not a failed run.
status=0
./build/cli/tally extract fixtures/real/putuo-wanli-2024-budget.pdf -o out/sample || status=$?
if [ "$status" -ne 0 ] && [ "$status" -ne 3 ]; then exit "$status"; fi
[ "$status" -eq 3 ] && echo "sample: the disclosure breaks an identity of its own (see 'checks' in the JSON)"
echo "sample: JSON and CSV files are in out/sample/"
