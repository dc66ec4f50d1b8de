#!/usr/bin/env bash
# Installs the Debian packages Tally needs (only those missing) and builds it (Release) in build/.
# Usage: scripts/setup.sh            (run as root, or with sudo available, on Debian 12)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config git
  libpoppler-cpp-dev                              # extract/: PDF text layer and rendering
  libpoppler-private-dev                          # extract/: what a page draws (Poppler's core API)
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev  # layout/: rulings
  libtesseract-dev libleptonica-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim tesseract-ocr-osd  # ocr/
  libglpk-dev                                     # reconcile/: integer programs
  libicu-dev libssl-dev                           # core/ text normalization, extract/ SHA-256
  nlohmann-json3-dev libcli11-dev libsqlite3-dev libxlsxwriter-dev  # export/, cli/
  libcairo2-dev libpango1.0-dev fonts-noto-cjk fonts-wqy-microhei    # fixtures/: rendering test PDFs
  fonts-noto-cjk-extra fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei  # fixtures/, bench/number_read_bench: every CJK face (issue 14)
  libreoffice-calc-nogui                          # fixtures/: the LibreOffice layout path (XLSX → PDF)
  libxml2-dev                                     # score/: ICDAR 2013 ground truth XML
  libgtest-dev libgmock-dev libvalijson-dev poppler-utils qpdf       # tests
  clang-format                                    # CI: scripts/check-format.sh
  libclang-rt-14-dev                              # tests: fuzzer/FuzzedDataProvider.h, to replay reconcile_fuzzer's regressions
  clang                                           # scripts/fuzz.sh: libFuzzer (GCC has none)
  chromium unzip sqlite3                          # tests: HTML report in headless Chromium, XLSX, corpus db
  libpq-dev                                       # export/: the corpus in PostgreSQL
  postgresql slurm-wlm munge                      # tests: a PostgreSQL server and a one-node Slurm cluster
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$(nproc)"
