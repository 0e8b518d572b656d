#!/usr/bin/env bash
# Python venv with TensorFlow 2.21 (Keras 3) for `npm run bench`: the side-by-side
# comparison only; the product never needs Python to train. Idempotent and offline
# (pip's local index when present). Prints the python path on its last line.
set -euo pipefail
VENV="${MTS_KERAS_VENV:-${HOME:-/root}/.cache/multi-task-studio/keras-venv}"
PY="$VENV/bin/python"
if [ -x "$PY" ] && "$PY" -c 'import tensorflow' 2>/dev/null; then
  echo "$PY"
  exit 0
fi
python3 -m venv "$VENV" >&2
INDEX_ARGS=()
if [ -d /opt/pypi/simple ]; then INDEX_ARGS=(--index-url file:///opt/pypi/simple); fi
"$PY" -m pip install --quiet --disable-pip-version-check --retries 0 --timeout 30 "${INDEX_ARGS[@]}" tensorflow-cpu==2.21.0 >&2
"$PY" -c 'import tensorflow' >&2
echo "$PY"
