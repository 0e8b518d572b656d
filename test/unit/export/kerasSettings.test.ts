// train.py carries the experiment's training settings: the learning-rate schedule (optimizers.py,
// the formula of src/core/schedule.ts at the product's fractional epochs), SGD momentum as the
// product steps it (src/trainer/optimizer.ts, hand-worked), MGDA's weights
// (weighting.py, hand-worked and equal to src/core/weighting/mgda.ts), and, in the full set
// (MTS_EXPORT_FULL), one training step of MGDA in both modes with gradient clipping against
// the update worked out from the task gradients, and early stopping with the best epoch's
// weights restored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { kerasPackageFiles } from '../../../src/core/export/keras/index';
import { withDefaults } from '../../../src/core/defaults';
import { learningRateAt } from '../../../src/core/schedule';
import type { ExperimentSpec, ScheduleSpec } from '../../../src/core/spec';
import { mgdaWeights } from '../../../src/core/weighting/mgda';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { exampleDoc, tempDir } from '../trainer/helpers';
import { FULL } from './fidelityCases';
import { requireKeras, runPython } from './kerasPython';

const CONFLICTING = exampleDoc('conflicting-gradients') as unknown as ExperimentSpec;

/** The package's text files (no data) in a temporary folder; returns the folder that holds it. */
function writePackage(spec: ExperimentSpec): string {
  const root = tempDir('keras-settings');
  const pkg = path.join(root, 'pkg');
  fs.mkdirSync(pkg);
  for (const [file, text] of Object.entries(kerasPackageFiles(withDefaults(spec), { hasWeights: false }))) fs.writeFileSync(path.join(pkg, file), text);
  return root;
}

const SCHEDULES: ScheduleSpec[] = [
  { type: 'constant', warmupEpochs: 1.5 },
  { type: 'step', stepEpochs: 3, gamma: 0.5 },
  { type: 'exponential', gamma: 0.8, warmupEpochs: 1 },
  { type: 'cosine', minLearningRate: 0.001, warmupEpochs: 2 },
  { type: 'sgdr', t0: 1, tMult: 2, minLearningRate: 0.0005 },
  { type: 'sgdr', t0: 3, warmupEpochs: 0.5 },
];
const STEPS_PER_EPOCH = 7;
const EPOCHS = 10;
// First steps, steps on and around epoch boundaries, SGDR restarts (epochs 1, 3, 7), the last step.
const STEPS = [0, 1, 3, 6, 7, 8, 10, 13, 20, 21, 22, 35, 48, 49, 50, 55, 69];

test('the exported schedule gives the product\'s learning rate at every step (1e-7); momentum and MGDA\'s weights are the hand-worked ones', { timeout: 300_000 }, (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = writePackage(CONFLICTING);
  const gramians = {
    // g1 = (1, 0), g2 = (0, 2): gamma = (4 - 0) / (1 + 4 - 0) = 0.8; with "l2" the unit vectors' midpoint, 0.5 / ||g_i||.
    two: [[1, 0], [0, 4]],
    // e1, e2, e3: the centre, 1/3 each.
    basis: [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    // (1, 0), (0, 1), (1, 1): the midpoint of the first two, (0.5, 0.5); <d, g3> = 1 >= ||d||^2 = 0.5, so g3 takes no part.
    redundant: [[1, 0, 1], [0, 1, 1], [1, 1, 2]],
    // (2, 0), (0, 1), (3, 3): gamma = (1 - 0) / (4 + 1) = 0.2, d = (0.4, 0.8), ||d||^2 = 0.8 <= <d, g3> = 3.6.
    uneven: [[4, 0, 6], [0, 1, 3], [6, 3, 18]],
    // Four tasks in general position (no hand-worked answer: the product's solver's).
    four: [[3, 1, -1, 0.5], [1, 2, 0.3, -0.7], [-1, 0.3, 4, 1], [0.5, -0.7, 1, 2.5]],
  };
  const out = runPython(python, String.raw`
import json
from pkg.optimizers import ExperimentSchedule
from pkg.weighting import mgda_weights
schedules = json.loads(${JSON.stringify(JSON.stringify(SCHEDULES))})
rates = [[float(ExperimentSchedule(s, 0.1, ${EPOCHS}, ${STEPS_PER_EPOCH})(step)) for step in ${JSON.stringify(STEPS)}] for s in schedules]
print("RATES", json.dumps(rates))
gramians = json.loads(${JSON.stringify(JSON.stringify(gramians))})
weights = {name: {n: [float(v) for v in mgda_weights(g, n)] for n in ("none", "l2")} for name, g in gramians.items()}
weights["inactive"] = [float(v) for v in mgda_weights(gramians["basis"], "none", [True, False, True])]
print("MGDA", json.dumps(weights))
import keras
from pkg.optimizers import MomentumSGD
momentum = {}
for nesterov in (False, True):
    w = keras.Variable(1.0)
    opt = MomentumSGD(0.1, momentum=0.9, nesterov=nesterov)
    seen = []
    for lr in (0.1, 0.05):
        opt.learning_rate = lr
        opt.apply_gradients([(keras.ops.convert_to_tensor(2.0), w)])
        seen.append(float(w.numpy()))
    momentum["nesterov" if nesterov else "plain"] = seen
print("MOMENTUM", json.dumps(momentum))
`, root);
  const rates = JSON.parse(/^RATES (.*)$/m.exec(out)![1]!) as number[][];
  SCHEDULES.forEach((s, k) => STEPS.forEach((step, i) => {
    const expected = learningRateAt(s, 0.1, step / STEPS_PER_EPOCH, EPOCHS);
    assert.ok(Math.abs(rates[k]![i]! - expected) <= 1e-7, `${JSON.stringify(s)} at step ${step}: keras ${rates[k]![i]}, product ${expected}`);
  }));
  const w = JSON.parse(/^MGDA (.*)$/m.exec(out)![1]!) as Record<string, Record<'none' | 'l2', number[]>> & { inactive: number[] };
  const close = (got: number[], want: number[], what: string) => {
    assert.equal(got.length, want.length, what);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 1e-5, `${what}: ${got} vs ${want}`));
  };
  close(w.two!.none, [0.8, 0.2], 'two tasks');
  close(w.two!.l2, [0.5, 0.25], 'two tasks, l2');
  close(w.basis!.none, [1 / 3, 1 / 3, 1 / 3], 'orthonormal');
  close(w.redundant!.none, [0.5, 0.5, 0], 'a gradient inside the hull\'s far side');
  close(w.uneven!.none, [0.2, 0.8, 0], 'uneven');
  close(w.inactive, [0.5, 0, 0.5], 'a task without labelled rows takes no part');
  // A constant gradient 2 from w = 1, rates 0.1 then 0.05, momentum 0.9, the product's rule v = 0.9 v + g, w -= lr v:
  // v = 2, w = 0.8; v = 3.8, w = 0.8 - 0.05 * 3.8 = 0.61 (Keras' SGD would give 0.52). Nesterov, w -= lr (g + 0.9 v):
  // w = 1 - 0.1 * 3.8 = 0.62; w = 0.62 - 0.05 * (2 + 0.9 * 3.8) = 0.349.
  const momentum = JSON.parse(/^MOMENTUM (.*)$/m.exec(out)![1]!) as { plain: number[]; nesterov: number[] };
  close(momentum.plain, [0.8, 0.61], 'SGD momentum as the product steps it, the rate changed between steps');
  close(momentum.nesterov, [0.62, 0.349], 'Nesterov momentum as the product steps it');
  for (const [name, g] of Object.entries(gramians)) {
    for (const n of ['none', 'l2'] as const) close(w[name]![n], mgdaWeights(g, n), `${name} (${n}) as the product`);
  }
});

test('train.py: one MGDA step (parameters and MGDA-UB) with clipping is the update worked out from the task gradients; early stopping restores the best epoch', { skip: !FULL && 'in the full set (MTS_EXPORT_FULL=1, npm run test:export)', timeout: 600_000 }, async (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-settings-train');
  const spec: ExperimentSpec = {
    ...CONFLICTING,
    data: { ...CONFLICTING.data, source: { type: 'synthetic-correlated', samples: 400, correlation: -0.5, inputDim: 100, seed: 3 } },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 30, batchSize: 32, seed: 42, l2: 0.001, clipNorm: 0.05,
      earlyStopping: { patience: 2 }, weighting: { method: 'mgda', mode: 'parameters' } },
  };
  const file = path.join(root, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(spec));
  const { packageDir } = await exportKeras({ source: file, outDir: path.join(root, 'export'), format: 'keras' });
  const pkg = path.basename(packageDir);
  const out = runPython(python, String.raw`
import json
import keras
import numpy as np
import tensorflow as tf
from ${pkg} import data, model as model_py, train, weighting
from ${pkg}.losses import task_loss

splits = data.load_splits()
x, y = splits["train"]
xb = {k: v[:32] for k, v in x.items()}
yb = {k: v[:32] for k, v in y.items()}
LR, CLIP = 0.1, 0.05

def expected_update(network, mode):
    """-LR * the clipped update: MGDA's weights from the task gradients on the trunk's weights or output."""
    shared = network.get_layer("trunk").trainable_variables
    trunk_out = keras.Model(network.input, network.get_layer("trunk").output)
    grads, parts = [], []
    for task in model_py.TASKS:
        with tf.GradientTape(persistent=True) as tape:
            rep = trunk_out(xb)
            tape.watch(rep)
            loss = task_loss(task, yb[task["id"]], network(xb)[task["id"]])
            loss_via_rep = task_loss(task, yb[task["id"]], rep_head(network, task, rep))
        grads.append(tape.gradient(loss, network.trainable_variables))
        part = tape.gradient(loss, shared) if mode == "parameters" else [tape.gradient(loss_via_rep, rep)]
        parts.append(np.concatenate([np.ravel(p) for p in part]))
    parts = np.stack(parts)
    alpha = weighting.mgda_weights(parts @ parts.T)
    with tf.GradientTape() as tape:
        out = network(xb)
        penalty = sum(network.losses)
        mixed = sum(a * task_loss(t, yb[t["id"]], out[t["id"]]) for a, t in zip(alpha, model_py.TASKS)) + penalty
        plain = sum(task_loss(t, yb[t["id"]], out[t["id"]]) for t in model_py.TASKS) + penalty
    update = [g.numpy() for g in tape.gradient(mixed, shared)]
    with tf.GradientTape() as tape:
        out = network(xb)
        plain = sum(task_loss(t, yb[t["id"]], out[t["id"]]) for t in model_py.TASKS) + sum(network.losses)
    own = [v for v in network.trainable_variables if all(v is not s for s in shared)]
    update += [g.numpy() for g in tape.gradient(plain, own)]
    norm = np.sqrt(sum(float(np.sum(u ** 2)) for u in update))
    factor = CLIP / max(norm, CLIP)
    return {id(v): -LR * factor * u for v, u in zip(shared + own, update)}, alpha, norm

def rep_head(network, task, rep):
    """The task's own layers applied to the trunk's output (tower then out)."""
    n = task["id"][-1]
    return network.get_layer(f"out{n}")(network.get_layer(f"tower{n}")(rep))

steps = {}
for mode in ("parameters", "representation"):
    keras.utils.set_random_seed(3)
    network = model_py.build_model()
    before = {id(v): v.numpy().copy() for v in network.trainable_variables}
    want, alpha, norm = expected_update(network, mode)
    m = weighting.MultiTaskModel(network, model_py.TASKS, {"method": "mgda", "mode": mode},
                                 [network.get_layer(n) for n in model_py.SHARED_LAYERS],
                                 representation=[network.get_layer(n) for n in model_py.REPRESENTATION_LAYERS], clip_norm=CLIP)
    m.compile(optimizer=keras.optimizers.SGD(LR))
    m.fit(train.dataset(xb, yb, 32, False, 1), epochs=1, verbose=0)
    worst = max(float(np.max(np.abs(v.numpy() - before[id(v)] - want[id(v)]))) for v in network.trainable_variables)
    largest = max(float(np.max(np.abs(u))) for u in want.values())
    steps[mode] = {"worst": worst, "largest": largest, "alpha": [float(a) for a in alpha], "norm": norm}
print("STEP", json.dumps(steps))

model, history, metrics, _ = train.fit_experiment(verbose=0)
val_x, val_y = splits["validation"]
out = model.network(val_x)
restored = float(sum(task_loss(t, val_y[t["id"]], out[t["id"]]) for t in model_py.TASKS))
print("STOPPING", json.dumps({"val_loss": history["val_loss"], "restored": restored}))
`, path.dirname(packageDir));
  const steps = JSON.parse(/^STEP (.*)$/m.exec(out)![1]!) as Record<string, { worst: number; largest: number; alpha: number[]; norm: number }>;
  t.diagnostic(JSON.stringify(steps));
  for (const [mode, s] of Object.entries(steps)) {
    assert.ok(s.norm > 0.05, `${mode}: the update's norm ${s.norm} is above clipNorm, so the step is clipped`);
    assert.ok(s.alpha.every((a) => a > 0.01), `${mode}: both tasks take part (${s.alpha})`);
    // Relative to the step's largest change, so a wrong weighting (or no clipping) cannot hide in a small step.
    assert.ok(s.worst <= 1e-3 * s.largest, `${mode}: the weights moved by the worked-out update (worst difference ${s.worst}, largest change ${s.largest})`);
  }
  const { val_loss: val, restored } = JSON.parse(/^STOPPING (.*)$/m.exec(out)![1]!) as { val_loss: number[]; restored: number };
  const best = val.indexOf(Math.min(...val));
  t.diagnostic(`validation loss per epoch: ${val.map((v) => v.toFixed(4)).join(' ')}; best epoch ${best + 1}`);
  assert.ok(val.length < 30, `stopped before the 30 epochs (${val.length})`);
  assert.equal(val.length, best + 1 + 2, 'stopped 2 epochs (the patience) after the best one');
  assert.ok(Math.abs(restored - val[best]!) <= 1e-4 * Math.max(1, val[best]!), `the best epoch's weights are restored: validation loss ${restored}, best ${val[best]}`);
});
