#!/usr/bin/env bash
# Python venv with the `tensorboard` package: the independent reader the unit tests use to
# check our TensorBoard event files (test/unit/artifacts/tensorboardPython.test.ts).
set -euo pipefail
PY=$(bash "$(dirname "$0")/python-venv.sh" "${MTS_PYENV:-${HOME:-/root}/.cache/multi-task-studio/pyenv}" \
  tensorboard.backend.event_processing.event_accumulator tensorboard)
echo "[python reader] ready: $PY"
