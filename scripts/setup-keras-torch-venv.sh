#!/usr/bin/env bash
# Python venv with Keras 3 on PyTorch's CPU backend (KERAS_BACKEND=torch), for the test that
# runs the Keras export under another backend (test/unit/export/kerasTorch.test.ts). Offline
# from the local package index. Prints the python path on its last line.
set -euo pipefail
export KERAS_BACKEND=torch
exec bash "$(dirname "$0")/python-venv.sh" "${MTS_KERAS_TORCH_VENV:-${HOME:-/root}/.cache/multi-task-studio/keras-torch-venv}" \
  "keras, torch" keras==3.15.1 torch numpy
