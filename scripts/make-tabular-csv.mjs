// Generates examples/tabular-csv/patients.csv ONCE (the file is committed as data):
// 2,000 synthetic hospital patients, seeded, so running this again gives the same bytes.
// Numeric features, one categorical feature (smoker), two related targets driven by one
// hidden risk score: `readmitted` (binary, "yes"/"no") and `length_of_stay` (days, regression).
// About 3% of the cells of bmi, cholesterol and smoker are left empty (missing).
//   node scripts/make-tabular-csv.mjs [output path]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROWS = 2000;
const MISSING_RATE = 0.03;
const here = path.dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ?? path.join(here, '..', 'examples', 'tabular-csv', 'patients.csv');

// mulberry32 (the same generator as src/core/random.ts), and Box-Muller for Gaussians.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const uniform = mulberry32(20240607);
const normal = (mean = 0, std = 1) => {
  let u = 0;
  while (u === 0) u = uniform();
  return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
};
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const maybeMissing = (text) => (uniform() < MISSING_RATE ? '' : text);

const header = ['age', 'bmi', 'systolic_bp', 'cholesterol', 'glucose', 'exercise_hours', 'smoker', 'readmitted', 'length_of_stay'];
const lines = [header.join(',')];
let readmittedCount = 0;
for (let i = 0; i < ROWS; i++) {
  const age = Math.round(clamp(normal(58, 14), 18, 95));
  const bmi = clamp(normal(27 + 0.03 * (age - 58), 4.5), 15, 55);
  const systolic = clamp(normal(118 + 0.5 * (age - 40) + 0.6 * (bmi - 25), 12), 85, 210);
  const cholesterol = clamp(normal(190 + 0.6 * (age - 58) + 1.5 * (bmi - 27), 30), 110, 330);
  const glucose = clamp(normal(95 + 1.8 * (bmi - 27) + 0.2 * (age - 58), 15), 60, 260);
  const exercise = clamp(normal(3 - 0.03 * (age - 58), 1.8), 0, 12);
  const s = uniform();
  const smoker = s < 0.55 ? 'never' : s < 0.8 ? 'former' : 'current';

  // One hidden risk score drives both targets, so they are related (and worth learning together).
  const risk = 0.045 * (age - 58) + 0.07 * (bmi - 27) + 0.02 * (systolic - 130) + 0.006 * (cholesterol - 190)
    + 0.015 * (glucose - 95) - 0.18 * (exercise - 3) + (smoker === 'current' ? 0.8 : smoker === 'former' ? 0.3 : 0)
    + normal(0, 0.5);
  const readmitted = uniform() < sigmoid(1.3 * risk - 0.9) ? 'yes' : 'no';
  if (readmitted === 'yes') readmittedCount++;
  const stay = clamp(Math.exp(1.3 + 0.3 * risk + normal(0, 0.25)), 1, 60);

  lines.push([
    age, maybeMissing(bmi.toFixed(1)), Math.round(systolic), maybeMissing(String(Math.round(cholesterol))),
    Math.round(glucose), exercise.toFixed(1), maybeMissing(smoker), readmitted, stay.toFixed(1),
  ].join(','));
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${ROWS} rows to ${out} (${fs.statSync(out).size} bytes, ${readmittedCount} readmitted)`);
