#!/usr/bin/env bash
# The main job on the bundled default: set up, create the store with the 2026-01 e-health
# roadmap, and print the strategy's summary table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/veikart init
.venv/bin/veikart summary
