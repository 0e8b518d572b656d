// `node esbuild.mjs && node out/bench/dataPreview.js [runs]`: how long "Preview data" takes
// for each example, as the designer gets it (fork dist/trainer.js, send the document, wait
// for the summary), and how much of that is the summary itself inside the child.
// Prints figures; asserts nothing.
import fs from 'node:fs';
import path from 'node:path';
import { askDataSummary } from '../src/host/designer/dataSummaryProcess';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = ['digits-parity', 'multimnist-cnn', 'correlated-regression', 'tabular-csv'];
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const script = path.join(ROOT, 'dist', 'trainer.js');
  console.log(`data preview, ${runs} runs each (median, min), fork to answer | summary inside the child`);
  for (const name of EXAMPLES) {
    const file = path.join(ROOT, 'examples', name, `${name}.mtl.json`);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    const wall: number[] = [];
    const inside: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const result = await askDataSummary({ script }, { doc, workspaceDir: path.dirname(file) }).result;
      wall.push(performance.now() - t0);
      if (!result.ok) throw new Error(`${name}: ${result.message}`);
      inside.push(result.seconds * 1000);
    }
    console.log(`  ${name.padEnd(22)} ${median(wall).toFixed(0).padStart(5)} ms (min ${Math.min(...wall).toFixed(0)}) | ${median(inside).toFixed(0).padStart(5)} ms`);
  }
}

void main();
