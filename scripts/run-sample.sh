#!/usr/bin/env bash
# Sets up, builds, and reads every table of a bundled real disclosure into out/sample/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
./build/cli/tally extract fixtures/real/putuo-wanli-2024-budget.pdf -o out/sample
echo "sample: JSON and CSV files are in out/sample/"
