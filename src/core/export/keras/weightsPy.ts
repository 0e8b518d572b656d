// weights.py of the Keras export: reads a run's TensorFlow.js layers model (model.json +
// weights.bin) with numpy and sets each Keras variable by name. No converter is needed: the
// layers were named by core/tfNames.ts on both sides, and the block layers keep tfjs' names.
export const WEIGHTS_PY = String.raw`"""Load a Multi-Task Studio run's trained weights (TensorFlow.js layers format) into the Keras model.

model.json lists every weight (name, shape, dtype) in the order its bytes follow in weights.bin;
names are "<layer name>/<weight name>", and the Keras layers carry the same names.
"""
import json
from pathlib import Path

import numpy as np

DTYPES = {"float32": "<f4", "int32": "<i4"}


def read_tfjs_weights(model_dir):
    """{"layer/weight": numpy array} from model_dir/model.json and its weight files."""
    model_dir = Path(model_dir)
    manifest = json.loads((model_dir / "model.json").read_text(encoding="utf-8"))["weightsManifest"]
    weights = {}
    for group in manifest:
        data = b"".join((model_dir / p).read_bytes() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            if spec.get("quantization"):
                raise ValueError(f"weight {spec['name']} is quantized; export an unquantized model")
            count = int(np.prod(spec["shape"], dtype=np.int64))
            values = np.frombuffer(data, dtype=DTYPES[spec["dtype"]], count=count, offset=offset)
            weights[spec["name"]] = values.reshape(spec["shape"])
            offset += count * 4
    return weights


def load_run_weights(model, model_dir):
    """Sets every variable of 'model' from the run's files; fails naming what does not match."""
    saved = read_tfjs_weights(model_dir)
    used = set()
    for layer in model.layers:
        for variable in layer.weights:
            key = f"{layer.name}/{variable.name}"
            if key not in saved:
                raise KeyError(f"the run has no weight {key} (it has: {', '.join(sorted(saved))})")
            value = saved[key]
            if tuple(value.shape) != tuple(variable.shape):
                raise ValueError(f"{key}: the run's shape {value.shape} differs from the model's {tuple(variable.shape)}")
            variable.assign(value)
            used.add(key)
    unused = sorted(set(saved) - used)
    if unused:
        raise KeyError(f"the run has weights the model does not: {', '.join(unused)}")
`;
