#!/usr/bin/env bash
# PyTorch (CPU) in the bench's Python venv (the one setup-keras-venv.sh makes), for `npm run
# bench`'s third column. Prints the python path on its last line.
# The CPU wheel is pinned: an unpinned `torch` resolves to the CUDA build, which pulls in
# gigabytes of nvidia-* packages. MTS_TORCH_PACKAGE overrides the requirement.
set -euo pipefail
EXTRA=()
# Local wheels (the CPU build is one of them where the package index has only the CUDA one).
if [ -d /opt/wheels ]; then EXTRA=(--find-links /opt/wheels); fi
exec bash "$(dirname "$0")/python-venv.sh" "${MTS_KERAS_VENV:-${HOME:-/root}/.cache/multi-task-studio/keras-venv}" \
  torch "${EXTRA[@]}" "${MTS_TORCH_PACKAGE:-torch==2.13.0+cpu}"
