// data.py of the Keras export. The product's sources (the bundled MNIST digits, the generated
// multimnist and synthetic sets, csv/parquet parsing with its one-hot and missing-value rules)
// are not re-implemented in Python: the exporter writes the rows as the product's loader read
// them (data/dataset.npz, NaN where missing) with the split's row indices. What follows the
// split is done here, in the open: imputation and preprocessing fitted on the training rows
// only (trainer/data/impute.ts, preprocess.ts), then the rows shaped as the model's inputs.
export const DATA_PY = String.raw`"""The experiment's data: the product's rows and split, imputation and preprocessing fitted on the training split.

data/dataset.npz   features [rows, features] as the product read them (NaN where missing), one
                   array "target:<task id>" per task (NaN where a row has no label), and the row
                   indices "split:train", "split:validation", "split:test" (the product's seeded split).
data/columns.json  feature names, one-hot groups, the declared preprocessing with the feature
                   indices each op applies to, the model's inputs; and "fitted": the product's own
                   statistics, which check_fitted compares with the ones fitted here.
"""
import json
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
SPLITS = ("train", "validation", "test")


def read_columns(data_dir=DATA_DIR):
    return json.loads((Path(data_dir) / "columns.json").read_text(encoding="utf-8"))


def fit_imputation(train, columns):
    """Fill values from the training rows: a feature's mean; a one-hot column's most frequent category."""
    counts = np.sum(~np.isnan(train), axis=0)
    sums = np.nansum(train.astype(np.float64), axis=0)
    fill = np.where(counts > 0, sums / np.maximum(counts, 1), 0.0)
    for group in columns["oneHot"]:
        best = max(group, key=lambda j: (fill[j], -group.index(j)))
        for j in group:
            fill[j] = 1.0 if j == best else 0.0
    return fill


def fit_preprocessing(train, columns):
    """The declared ops as one affine map per feature, y = x * multiply + add, fitted on the training rows.

    Later ops are fitted on the statistics as the earlier ones left them. zscore uses the
    population standard deviation; a constant feature is only shifted.
    """
    d = train.shape[1]
    multiply, add = np.ones(d), np.zeros(d)
    x = train.astype(np.float64)
    mean, std = np.nanmean(x, axis=0) if len(x) else np.zeros(d), np.nanstd(x, axis=0) if len(x) else np.zeros(d)
    lo, hi = np.nanmin(x, axis=0) if len(x) else np.zeros(d), np.nanmax(x, axis=0) if len(x) else np.zeros(d)
    for op in columns["preprocess"]:
        for j in op["features"]:
            m, a = multiply[j], add[j]
            mean_j, std_j = mean[j] * m + a, std[j] * abs(m)
            lo_j, hi_j = min(lo[j] * m + a, hi[j] * m + a), max(lo[j] * m + a, hi[j] * m + a)
            if op["op"] == "scale":
                scale, shift = op["factor"], 0.0
            elif op["op"] == "zscore":
                scale = 1.0 if std_j <= 1e-7 * max(1.0, abs(mean_j)) else 1.0 / std_j
                shift = mean_j
            else:  # minmax
                scale = 1.0 if hi_j - lo_j <= 1e-7 * max(1.0, abs(lo_j)) else 1.0 / (hi_j - lo_j)
                shift = lo_j
            multiply[j], add[j] = m * scale, (a - shift) * scale
    return multiply, add


def check_fitted(fill, multiply, add, columns, tolerance=1e-6):
    """The statistics fitted here against the product's own (columns.json "fitted")."""
    fitted = columns["fitted"]
    for name, mine in (("multiply", multiply), ("add", add)) + ((("fill", fill),) if fitted.get("fill") is not None else ()):
        theirs = np.asarray(fitted[name], dtype=np.float64)
        gap = np.max(np.abs(mine - theirs) / np.maximum(1.0, np.abs(theirs))) if len(theirs) else 0.0
        if gap > tolerance:
            raise ValueError(f"preprocessing '{name}' differs from the product's by {gap:g}")


def as_inputs(features, columns):
    """The model's inputs by input id: each input's features, shaped and typed as declared."""
    out = {}
    for spec in columns["inputs"]:
        values = features if spec["features"] is None else features[:, spec["features"]]
        values = values.reshape((len(features), *spec["shape"]))
        out[spec["id"]] = values.astype("int32" if spec["dtype"] == "int32" else "float32")
    return out


def load_splits(data_dir=DATA_DIR, check=True):
    """{"train"|"validation"|"test": (inputs by input id, targets by task id)}, ready for the model."""
    data_dir = Path(data_dir)
    columns = read_columns(data_dir)
    with np.load(data_dir / "dataset.npz") as z:
        features = z["features"]
        targets = {name[len("target:"):]: z[name] for name in z.files if name.startswith("target:")}
        rows = {part: z[f"split:{part}"] for part in SPLITS}
    parts = {part: features[rows[part]].astype(np.float64) for part in SPLITS}
    fill = None
    if any(np.isnan(parts[p]).any() for p in SPLITS):
        fill = fit_imputation(parts["train"], columns)
        for p in SPLITS:
            # The product fills its float32 arrays: the filled values are float32 too.
            parts[p] = np.where(np.isnan(parts[p]), fill, parts[p]).astype(np.float32).astype(np.float64)
    multiply, add = fit_preprocessing(parts["train"], columns)
    if check:
        check_fitted(fill, multiply, add, columns)
    out = {}
    for p in SPLITS:
        x = (parts[p] * multiply + add).astype(np.float32)
        out[p] = (as_inputs(x, columns), {task: values[rows[p]] for task, values in targets.items()})
    return out
`;
