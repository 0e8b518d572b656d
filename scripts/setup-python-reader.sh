#!/usr/bin/env bash
# Python venv with the `tensorboard` package: the independent reader the unit tests use to
# check our TensorBoard event files (test/unit/artifacts/tensorboardPython.test.ts).
# Idempotent: returns at once when the venv already imports tensorboard. Works offline with
# pip's configured local indexes (`pip config list`); never needed to train.
set -euo pipefail
VENV="${MTS_PYENV:-${HOME:-/root}/.cache/multi-task-studio/pyenv}"
PY="$VENV/bin/python"

if [ -x "$PY" ] && "$PY" -c 'import tensorboard.backend.event_processing.event_accumulator' 2>/dev/null; then
  echo "[python reader] ready: $PY"
  exit 0
fi

python3 -m venv "$VENV"
# pip's default index may be unreachable: prefer the local ones when present, no retries.
INDEX_ARGS=()
if [ -d /opt/pypi/simple ]; then INDEX_ARGS=(--index-url file:///opt/pypi/simple); fi
"$PY" -m pip install --disable-pip-version-check --retries 0 --timeout 30 "${INDEX_ARGS[@]}" tensorboard
"$PY" -c 'import tensorboard.backend.event_processing.event_accumulator'
echo "[python reader] installed: $PY"
