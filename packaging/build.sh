#!/usr/bin/env bash
# Builds the one-folder application into dist/AIEcosystemPlanner/ (Linux and macOS).
#     bash packaging/build.sh
# Uses .venv (made if missing), or the Python named by $PYTHON, with the pinned packages and
# PyInstaller. Output folder: $DIST (default dist/).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PYTHON:-}" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    PYTHON=.venv/bin/python
fi
DIST=${DIST:-dist}
"$PYTHON" -m pip install -q -c constraints.txt -e ".[package]"
"$PYTHON" -m PyInstaller packaging/ai_ecosystem_planner.spec --noconfirm \
    --distpath "$DIST" --workpath build/pyinstaller --log-level ERROR
du -sh "$DIST/AIEcosystemPlanner"
