#!/usr/bin/env bash
# The main job on the bundled default: set up, create the store with the 2026-01 e-health
# roadmap, and build the council's status report (PPTX, PDF, HTML and manifest.json) into
# out/2026-01/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/veikart init
.venv/bin/veikart report --period 2026-01 --out out/2026-01
echo
echo "The dashboard of the same store: .venv/bin/veikart serve   ->  http://127.0.0.1:8000/ (English: /en/)"
echo "As static files:                 .venv/bin/veikart site build out/site"
