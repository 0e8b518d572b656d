// Partial labels as a user meets them, on the bundled example (examples/partial-labels: the
// patients table with some outcomes not recorded). The designer's Data tab fills by itself (a
// csv's features are counted on opening) and says, per task, how many rows carry its label,
// over all examples and in each split. The expected figures are counted here from the file
// itself, so the test cannot agree with a wrong summary by accident.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

const MISSING = new Set(['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '-', '?']);

/** Rows kept (with at least one target) and how many of them carry each task's target. */
function countsFromFile(file, targets) {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).map((l) => l.split(','));
  const has = (row, column) => !MISSING.has(row[header.indexOf(column)]?.trim() ?? '');
  const kept = rows.filter((r) => Object.values(targets).some((column) => has(r, column)));
  return { rows: kept.length, labelled: Object.fromEntries(Object.entries(targets).map(([task, column]) => [task, kept.filter((r) => has(r, column)).length])) };
}

const count = (n) => n.toLocaleString('en-US');

export default {
  name: 'partial labels summary',
  workspace: 'partial-labels',
  async run(s) {
    const spec = JSON.parse(fs.readFileSync(path.join(s.workspace, 'partial-labels.mtl.json'), 'utf8'));
    const expected = countsFromFile(path.join(s.workspace, spec.data.source.path), Object.fromEntries(spec.tasks.map((t) => [t.id, t.target])));
    assert(Object.values(expected.labelled).some((n) => n < expected.rows), `the example has partial labels: ${JSON.stringify(expected)}`);
    const d = await s.openDesigner('partial-labels.mtl.json');
    await d.locator('#tab-data').click();
    const summary = d.locator('[data-testid="data-summary"]');
    await expectText(summary.locator('.data-facts'), new RegExp(`Examples\\s*${count(expected.rows)}\\b`), 'the examples kept (rows with at least one target)', 90_000);
    for (const [task, n] of Object.entries(expected.labelled)) {
      if (n === expected.rows) continue; // a fully labelled task shows no line
      await expectText(summary.locator(`[data-testid="labelled-${task}"]`), new RegExp(`^${count(n)} of ${count(expected.rows)} rows labelled`), `task ${task}'s labelled rows`);
    }
    await s.screenshot('labelled-rows-all');

    // Per split: the counts follow the split toggle and add up over the three splits.
    const task = Object.entries(expected.labelled).find(([, n]) => n < expected.rows)[0];
    let sum = 0;
    for (const split of ['train', 'validation', 'test']) {
      await summary.locator(`.split-choice button[title="The ${split} split"]`).click();
      const line = summary.locator(`[data-testid="labelled-${task}"]`);
      await expectText(line, new RegExp(`rows labelled in ${split}`), `task ${task}'s labelled rows in ${split}`);
      const m = /^([\d,]+) of ([\d,]+) rows labelled/.exec(await line.innerText());
      sum += Number(m[1].replace(/,/g, ''));
      if (split === 'test') await s.screenshot('labelled-rows-test');
    }
    assert(sum === expected.labelled[task], `task ${task}'s labelled rows add up over the splits: ${sum} vs ${expected.labelled[task]}`);
    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert(errors.length === 0, `console errors: ${errors.join('\n')}`);
  },
};
