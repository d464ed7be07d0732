#!/usr/bin/env bash
# Builds the one-folder application into dist/AIEcosystemPlanner/ (Linux and macOS).
#     bash packaging/build.sh
# Uses .venv (made if missing) with the pinned packages and PyInstaller.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q -c constraints.txt -e ".[package]"
.venv/bin/python -m PyInstaller packaging/ai_ecosystem_planner.spec --noconfirm \
    --distpath dist --workpath build/pyinstaller --log-level WARN
du -sh dist/AIEcosystemPlanner
