// `node esbuild.mjs && node out/bench/validateScale.js [layers]`: how long `mts validate` takes
// on a large experiment: parse, validate, and place every problem on its line (what the CLI and
// the Problems panel do), for a fan of layers (one warning per layer) and for one long chain.
// Prints figures; asserts nothing.
import { JsonIndex } from '../src/core/jsonPath';
import { validate } from '../src/core/validate';
import { manyLayers } from '../test/fixtures/digitsParity';

const experiment = (n: number, chain: boolean): string => JSON.stringify(manyLayers(n, chain), null, 2);

function measure(label: string, text: string): void {
  const best = { parse: Infinity, validate: Infinity, locate: Infinity };
  let problems = 0;
  for (let run = 0; run < 3; run++) {
    let t = performance.now();
    const doc = JSON.parse(text) as unknown;
    best.parse = Math.min(best.parse, performance.now() - t);
    t = performance.now();
    const result = validate(doc);
    best.validate = Math.min(best.validate, performance.now() - t);
    problems = result.problems.length;
    t = performance.now();
    const index = new JsonIndex(text);
    for (const p of result.problems) index.lineColumn(index.locate(p.path)!.value.start);
    best.locate = Math.min(best.locate, performance.now() - t);
  }
  const ms = (v: number): string => `${v.toFixed(0).padStart(5)} ms`;
  console.log(`  ${label.padEnd(26)} parse ${ms(best.parse)} | validate ${ms(best.validate)} | locate ${problems} problems ${ms(best.locate)} | total ${ms(best.parse + best.validate + best.locate)}`);
}

const n = Number(process.argv[2] ?? 10_000);
console.log(`validation of large experiments (best of 3, ${(experiment(n, false).length / 1e6).toFixed(1)} MB of JSON for ${n} layers)`);
for (const size of [n / 4, n / 2, n]) measure(`${size} layers side by side`, experiment(size, false));
measure(`${Math.min(n, 6000)} layers in a chain`, experiment(Math.min(n, 6000), true));
