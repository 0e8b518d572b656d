// `node esbuild.mjs && node out/bench/memoryEstimate.js`: the memory budget's estimate
// (core/budget.ts) against the peak RSS of real training runs (the CLI on native TensorFlow,
// one epoch of digits-parity on 3,000 digits, trunk widths and optimizers varied). The
// estimate leaves out the process itself, so compare growth over the smallest model.
// Linux only (reads VmHWM from /proc). Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { estimateMemory, formatBytes } from '../src/core/budget';
import type { ExperimentSpec, OptimizerSpec } from '../src/core/spec';

const ROOT = path.resolve(__dirname, '..', '..');
const ROWS = 3000;

/** Peak resident memory of the process, polled from /proc until it exits. */
function peakRss(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let peak = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch { /* exited between polls */ }
    }, 50);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code === 0) resolve(peak);
      else reject(new Error(`training failed (${code}): ${stderr.slice(-500)}`));
    });
  });
}

async function main(): Promise<void> {
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'digits-parity', 'digits-parity.mtl.json'), 'utf8')) as ExperimentSpec;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-memory-'));
  const optimizers: OptimizerSpec[] = [{ type: 'sgd', learningRate: 0.01 }, { type: 'adam', learningRate: 0.001 }];
  console.log(`digits-parity, ${ROWS} digits, 1 epoch, native TensorFlow, 1 thread: peak RSS vs estimate (growth over the 128-unit model)`);
  for (const optimizer of optimizers) {
    let first: { rss: number; estimate: number } | undefined;
    for (const units of [128, 4096, 16384]) {
      const spec: ExperimentSpec = structuredClone(base);
      spec.data.source = { type: 'mnist', limit: ROWS };
      spec.evaluation = { baselines: 'none' };
      spec.training = { ...spec.training, optimizer, epochs: 1 };
      spec.model.layers[0] = { ...spec.model.layers[0]!, units } as ExperimentSpec['model']['layers'][number];
      const file = path.join(dir, `${optimizer.type}-${units}.mtl.json`);
      fs.writeFileSync(file, JSON.stringify(spec));
      const rss = await peakRss([path.join(ROOT, 'bin', 'mts.js'), 'train', file, '--threads', '1', '--out', path.join(dir, 'runs')]);
      const estimate = estimateMemory(spec, { rows: ROWS }).total;
      first ??= { rss, estimate };
      const growth = rss - first.rss, estimated = estimate - first.estimate;
      console.log(`  ${optimizer.type.padEnd(5)} units ${String(units).padStart(5)}: peak RSS ${formatBytes(rss).padStart(7)}, estimate ${formatBytes(estimate).padStart(7)}`
        + (units === 128 ? '' : ` | growth ${formatBytes(growth)} measured, ${formatBytes(estimated)} estimated (${(estimated / growth).toFixed(2)}x)`));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
