#!/usr/bin/env bash
# Python venv with TensorFlow 2.21 (Keras 3) for `npm run bench`'s side-by-side comparison and the
# Keras export tests (test/unit/export/).
# Prints the python path on its last line.
set -euo pipefail
exec bash "$(dirname "$0")/python-venv.sh" "${MTS_KERAS_VENV:-${HOME:-/root}/.cache/multi-task-studio/keras-venv}" \
  tensorflow tensorflow-cpu==2.21.0
