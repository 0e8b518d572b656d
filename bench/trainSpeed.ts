// `npm run bench`: the digits-parity reference workload (784-128-64 trunk, heads of 10
// and 2 classes, SGD 0.01, 20,000 random samples, 3 epochs) in our trainer and in Keras,
// side by side in one run, plus our backends. Each measurement runs in its own process,
// one after another. Prints figures; asserts nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { analyzeGraph } from '../src/core/graph';
import type { BackendName } from '../src/core/protocol';
import { TRAINER_NODE_FLAGS } from '../src/core/trainerFlags';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { randomDataset, referenceSpec } from './referenceWorkload';
import { weightingCostTable } from './weightingCost';

const SAMPLES = 20_000;
const ROOT = path.resolve(__dirname, '..', '..');

/** `cpuSeconds`: CPU time of the training (all threads); steadier than wall time on a shared machine. */
interface Figure { label: string; batch: number; epochs: number; seconds: number; samplesPerSecond: number; cpuSeconds?: number }

/** Partial labels: parity missing (NaN) in this share of the rows, so its loss is masked. */
const UNLABELLED_SHARE = 0.3;

/** The reference network with Adam (0.001) and/or dropout 0.2 after each trunk layer (variants 'adam', 'dropout'). */
function variantSpec(batch: number, epochs: number, adam: boolean, dropout: boolean) {
  const spec = referenceSpec(batch, epochs);
  if (adam) spec.training = { ...spec.training, optimizer: { type: 'adam', learningRate: 0.001 } };
  if (dropout) {
    spec.model = { ...spec.model, layers: spec.model.layers.flatMap((l) => (l.id.startsWith('trunk')
      ? [{ ...l, id: `${l.id}Dense` }, { id: l.id, type: 'dropout' as const, rate: 0.2, from: [`${l.id}Dense`] }] : [l])) };
  }
  return spec;
}

/** One measurement in this process: `--one <backend> <batch> <epochs> [generic|partial|adam|dropout, joined by +]`. */
async function measure(backend: BackendName, batch: number, epochs: number, forceGeneric: boolean, partial = false, adam = false, dropout = false): Promise<Figure> {
  const spec = variantSpec(batch, epochs, adam, dropout);
  // The trainer's own thread choice, as `mts train` makes it.
  const b = await loadBackend(backend, { intraOpThreads: intraOpThreadsFor(spec) });
  const tf = b.tf;
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: 1 });
  const data = randomDataset(SAMPLES);
  if (partial) data.targets.parity = data.targets.parity!.map((v, i) => ((i * 7919) % 100 < UNLABELLED_SHARE * 100 ? NaN : v));
  const train = toDevice(tf, spec, heads, data);
  // A token validation split: the loop evaluates every epoch; Keras' fit here does not.
  const validation = toDevice(tf, spec, heads, randomDataset(64, 9));
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const r = await trainLoop({ tf, backend: forceGeneric ? 'cpu' : b.name, spec, built, forward, heads, topo, train, validation, epochs,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const label = `ours ${b.name}${r.stepPath === 'native' ? ' (compiled step)' : ' (tape)'}${b.name === 'tensorflow' ? `, ${b.threads} thread(s)` : ''}${partial ? ', partial labels' : ''}${adam ? ', Adam' : ''}${dropout ? ', dropout' : ''}`;
  return { label, batch, epochs, seconds, samplesPerSecond: (SAMPLES * epochs) / seconds, cpuSeconds };
}

/** `variant`: '' (the fast path where it applies), or 'generic' (the tape) and/or 'partial' (masked labels), joined by '+'. */
function child(backend: BackendName, batch: number, epochs: number, variant = ''): Figure | undefined {
  // With the trainer's Node flags: ours is measured as the extension and `mts train` run it.
  const r = spawnSync(process.execPath, [...TRAINER_NODE_FLAGS, __filename, '--one', backend, String(batch), String(epochs), variant], {
    encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' },
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Figure;
  } catch {
    console.log(`  ${backend} batch ${batch}: failed (${(r.stderr || '').trim().split('\n').pop()})`);
    return undefined;
  }
}

function keras(batches: number[], threads?: number): Figure[] {
  let python: string;
  try {
    python = execFileSync('bash', [path.join(ROOT, 'scripts', 'setup-keras-venv.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
  } catch (err) {
    console.log(`Keras: could not set up Python TensorFlow 2.21 (${(err as Error).message.split('\n')[0]}); our figures only.`);
    return [];
  }
  const env = threads ? { ...process.env, TF_NUM_INTRAOP_THREADS: String(threads) } : process.env;
  const r = spawnSync(python, [path.join(ROOT, 'bench', 'keras_reference.py'), ...batches.map(String)], { encoding: 'utf8', env });
  if (r.status !== 0) {
    console.log(`Keras: the reference script failed: ${(r.stderr || '').trim().split('\n').pop()}`);
    return [];
  }
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { batch: number; seconds: number; samples_per_second: number })
    .map((k) => ({ label: `Keras 3 / TF 2.21 model.fit${threads ? `, ${threads} thread` : ''}`, batch: k.batch, epochs: 3, seconds: k.seconds, samplesPerSecond: k.samples_per_second }));
}

function print(f: Figure): void {
  console.log(`${f.label.padEnd(46)} batch ${String(f.batch).padStart(3)}  ${f.epochs} epoch(s)  ${f.seconds.toFixed(2).padStart(7)} s  ${Math.round(f.samplesPerSecond).toString().padStart(7)} samples/s${f.cpuSeconds !== undefined ? `  (CPU ${f.cpuSeconds.toFixed(2)} s)` : ''}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    const variant = (args[4] ?? '').split('+');
    const f = await measure(args[1] as BackendName, Number(args[2]), Number(args[3]), variant.includes('generic'), variant.includes('partial'), variant.includes('adam'), variant.includes('dropout'));
    console.log(JSON.stringify(f));
    return;
  }
  console.log(`Reference workload: 784-128-64 trunk, heads 10 + 2 classes, SGD 0.01, ${SAMPLES} random samples; machine: ${require('node:os').cpus().length} cores`);
  const ours: Figure[] = [];
  const kerasFigures: Figure[] = [];
  for (const batch of [32, 256]) {
    // Interleaved, so both see the same machine load.
    const o = child('tensorflow', batch, 3);
    if (o) { ours.push(o); print(o); }
    const k = keras([batch]);
    for (const f of k) { kerasFigures.push(f); print(f); }
    // For reference: Keras given the same one-thread pool our trainer picks for this workload.
    for (const f of keras([batch], 1)) print(f);
  }
  console.log('Our backends (1 epoch, batch 32):');
  for (const [backend, generic] of [['tensorflow', true], ['wasm', false], ['cpu', false]] as const) {
    const f = child(backend, 32, 1, generic ? 'generic' : '');
    if (f) print(f);
  }
  console.log(`Partial labels (parity unlabelled in ${UNLABELLED_SHARE * 100} % of rows: masked loss), 3 epochs:`);
  for (const batch of [32, 256]) {
    for (const variant of ['partial', 'partial+generic'] as const) {
      const f = child('tensorflow', batch, 3, variant);
      if (f) print(f);
    }
  }
  for (const batch of [32, 256]) {
    const o = ours.find((f) => f.batch === batch);
    const k = kerasFigures.find((f) => f.batch === batch);
    console.log(`ratio_vs_keras batch=${batch} ${o && k ? (o.samplesPerSecond / k.samplesPerSecond).toFixed(2) : 'n/a'}`);
  }
  weightingCostTable();
}

void main();
