#!/usr/bin/env bash
# A Python venv with the given packages, for tools beside the product (the TensorBoard
# reader of the tests, Keras for the bench); the product never needs Python to train.
#   python-venv.sh DIR IMPORT PACKAGE...   (IMPORT: a module that proves the venv is ready)
# Idempotent: returns at once when DIR's python imports IMPORT. Offline: pip's local index
# when present, no retries. Progress on stderr; the python path is the only line on stdout.
set -euo pipefail
VENV="$1" IMPORT="$2"
shift 2
PY="$VENV/bin/python"
if [ -x "$PY" ] && "$PY" -c "import $IMPORT" 2>/dev/null; then
  echo "$PY"
  exit 0
fi
python3 -m venv "$VENV" >&2
INDEX_ARGS=()
if [ -d /opt/pypi/simple ]; then INDEX_ARGS=(--index-url file:///opt/pypi/simple); fi
"$PY" -m pip install --quiet --disable-pip-version-check --retries 0 --timeout 30 "${INDEX_ARGS[@]}" "$@" >&2
"$PY" -c "import $IMPORT" >&2
echo "$PY"
