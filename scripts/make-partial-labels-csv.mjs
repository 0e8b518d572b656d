// Generates examples/partial-labels/patients-partial.csv ONCE (committed as data) from the
// tabular-csv example's patients: as hospitals have it, not every patient has every outcome
// recorded. `readmitted` is left empty for about 25 % of the patients (not followed up),
// `length_of_stay` for about 20 % (still in hospital); a few have neither (those rows are
// dropped by the loader, and the run log says so). No randomness: a row's gaps follow from
// its index, so running this again gives the same bytes.
//   node scripts/make-partial-labels-csv.mjs [output path]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.join(here, '..', 'examples', 'tabular-csv', 'patients.csv');
const out = process.argv[2] ?? path.join(here, '..', 'examples', 'partial-labels', 'patients-partial.csv');

const [header, ...rows] = fs.readFileSync(source, 'utf8').trimEnd().split('\n');
const columns = header.split(',');
const readmitted = columns.indexOf('readmitted');
const stay = columns.indexOf('length_of_stay');
const lines = rows.map((line, i) => {
  const cells = line.split(',');
  if ((i * 37) % 100 < 25) cells[readmitted] = '';
  if ((i * 61 + 13) % 100 < 20) cells[stay] = '';
  return cells.join(',');
});
fs.writeFileSync(out, `${[header, ...lines].join('\n')}\n`);
