// The training panel (webview/training) in headless Chromium, fed as the host feeds it: the
// same CSP and theme variables as VS Code, a fake acquireVsCodeApi, and the session stream
// (replay, then live events) delivered with postMessage. What a user sees of the gradient-
// conflict heatmap: a row per task pair, a cell per report in the theme's diverging colours
// with its value in the tooltip, the share of conflicting reports beside each row, a shared
// block to choose, a new column when a report arrives, the same numbers as a table.
//   node test/unit/designer/harness/run.mjs trainingInteractions [filter]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { cosineColor, type HeatmapTheme } from '../../../../src/core/conflictHeatmap';
import type { SequencedEvent, TrainingToWebview } from '../../../../src/core/panelProtocol';
import type { MetricPoint, RunSummary } from '../../../../src/core/protocol';
import { ROOT } from '../../../repoRoot';
import { pictures } from './a11yAudit';
import { canvasTexts, lowContrastPaintedTexts } from './paintedContrast';
import { auditWebview, themeAudits } from './webviewAudit';
import { runWebviewChecks, WebviewPage, type WebviewCheck } from './webviewPage';
import { DARK, HIGH_CONTRAST, HIGH_CONTRAST_LIGHT, LIGHT, type HarnessTheme } from '../../../harness/themes';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const OUT = path.join(ROOT, 'test-output/training');

type TrainingPage = WebviewPage<unknown, TrainingToWebview>;
const openTrainingPage = (browser: Browser, theme: HarnessTheme): Promise<TrainingPage> => WebviewPage.open(browser, theme, { bundleDir, bundle: 'training', viewport: { width: 1100, height: 900 }, readyType: 'ready' });

const SHARED = { kind: 'shared' } as const;
const tasks = ['digit', 'parity', 'size'].map((id) => ({ id, kind: 'regression' as const, metrics: ['mae'] }));

/** Cosines per pair and block at steps 0, 200, 400, 600; parity|size was not measured at 400 (a batch without size labels). */
const COSINES: Record<string, Record<string, Array<number | undefined>>> = {
  'digit|parity': { cosine: [-0.5, 0.25, -0.1, 0.5], 'cosine@trunk1': [0.9, 0.8, 0.7, 0.6], 'cosine@trunk2': [-0.6, -0.7, 0.1, 0.2] },
  'digit|size': { cosine: [0.4, 0.3, 0.2, 0.1], 'cosine@trunk1': [0.5, 0.5, 0.5, 0.5], 'cosine@trunk2': [0.3, 0.2, 0.1, 0] },
  'parity|size': { cosine: [-0.9, -0.8, undefined, 0.6], 'cosine@trunk1': [-0.2, 0.1, undefined, 0.2], 'cosine@trunk2': [-0.9, -0.9, undefined, 0.5] },
};
const STEPS = [0, 200, 400, 600];

function report(k: number, step: number): MetricPoint[] {
  const at = { step, epoch: 0, split: 'train' as const };
  const points: MetricPoint[] = [{ ...at, task: 'digit', metric: 'loss', value: 2 - k * 0.1 }, { ...at, task: 'parity', metric: 'loss', value: 0.7 - k * 0.05 }, { ...at, task: 'size', metric: 'loss', value: 1 - k * 0.05 }];
  for (const [pair, metrics] of Object.entries(COSINES)) {
    for (const [metric, values] of Object.entries(metrics)) if (values[k] !== undefined) points.push({ ...at, task: pair, metric, value: values[k]! });
  }
  return points;
}

function replay(reports: number): TrainingToWebview {
  const events: SequencedEvent['event'][] = [
    { kind: 'header', header: { experiment: 'conflicts', tasks, totalEpochs: 2, weighting: 'equal', live: true, phases: [SHARED] } },
    { kind: 'trainer', msg: { type: 'started', runDir: '/ws/runs/conflicts/20261130-120000-abcd', backend: 'tensorflow', versions: {}, totalEpochs: 2, phase: SHARED } },
    ...STEPS.slice(0, reports).map((step, k): SequencedEvent['event'] => ({ kind: 'trainer', msg: { type: 'progress', phase: SHARED, points: report(k, step) } })),
  ];
  return { type: 'replay', events: events.map((event, i) => ({ seq: i + 1, event })) };
}

const themeOf = (t: HarnessTheme): HeatmapTheme => ({
  negative: t.vars['--vscode-charts-red']!, positive: t.vars['--vscode-charts-blue']!,
  background: t.vars['--vscode-editor-background']!, foreground: t.vars['--vscode-foreground']!,
});

/** A run of two phases, ten epochs each, in its shared model's first epoch (the header's active phase, its dot and the ring). */
function twoPhases(): TrainingToWebview {
  const digit = { kind: 'baseline', task: 'digit' } as const;
  const events: SequencedEvent['event'][] = [
    { kind: 'header', header: { experiment: 'conflicts', tasks, totalEpochs: 10, weighting: 'equal', live: true, phases: [SHARED, digit] } },
    { kind: 'trainer', msg: { type: 'started', runDir: '/ws/runs/conflicts/20261130-120000-abcd', backend: 'tensorflow', versions: {}, totalEpochs: 10, phase: SHARED } },
    { kind: 'trainer', msg: { type: 'progress', phase: SHARED, points: report(0, 0) } },
  ];
  return { type: 'replay', events: events.map((event, i) => ({ seq: i + 1, event })) };
}

/** Pixels of the digit task's loss chart in the theme's charts blue, drawn opaque (a faded line's pixels are translucent on the canvas). */
async function opaqueDigitPixels(p: TrainingPage, theme: HarnessTheme): Promise<number> {
  const canvas = p.page.locator('section.task[aria-label="Task digit"] .chart').first().locator('canvas');
  await canvas.waitFor();
  await p.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const hex = theme.vars['--vscode-charts-blue']!;
  return canvas.evaluate((c: HTMLCanvasElement, rgb) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && [0, 1, 2].every((k) => Math.abs(data[i + k]! - rgb[k]!) < 12)) n++;
    return n;
  }, [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)));
}

/** A completed three-task run with its baselines: digit better (-25 %), parity worse (+25 %), size the same. */
function completed(): TrainingToWebview {
  const comparison = (task: string, shared: number, baseline: number) => ({ task, metric: 'mae', higherIsBetter: false, shared, baseline, relativeImprovement: (baseline - shared) / baseline });
  const summary: RunSummary = {
    runDir: '/ws/runs/conflicts/20261130-120000-abcd', status: 'completed', backend: 'tensorflow',
    test: { digit: { mae: 0.3 }, parity: { mae: 0.2 }, size: { mae: 0.5 } },
    parameters: { total: 1200, shared: 1000, perTask: { digit: 100, parity: 50, size: 50 }, singleTaskTotal: 3400 },
    // deltaM as the trainer would have written it (its formula is checked in test/unit/core): the panel only words it.
    baselines: { test: { digit: { mae: 0.4 }, parity: { mae: 0.16 }, size: { mae: 0.5 } }, comparisons: [comparison('digit', 0.3, 0.4), comparison('parity', 0.2, 0.16), comparison('size', 0.5, 0.5)], deltaM: 0.0123, parameters: 3400 },
    timings: { startedAt: '2026-11-30T12:00:00Z', endedAt: '2026-11-30T12:01:00Z', trainSeconds: 60 },
  };
  const events = (replay(4) as { events: SequencedEvent[] }).events;
  const more: SequencedEvent['event'][] = [{ kind: 'trainer', msg: { type: 'done', summary } }, { kind: 'ended', status: 'completed' }];
  return { type: 'replay', events: [...events, ...more.map((event, k) => ({ seq: events.length + k + 1, event }))] };
}

const a11yChecks: WebviewCheck<TrainingPage>[] = [
  ['a screen reader hears the phase and epoch from one polite live region, once an epoch (not each point), and how the run ended; the ring is no assertive alert', DARK, async (p) => {
    await p.send(twoPhases());
    // The toolkit makes its ring an assertive alert named "Loading" when it upgrades it (after the page's load).
    await p.page.locator('vscode-progress-ring:defined').waitFor();
    await p.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    const live = () => p.page.locator('[aria-live], [role="status"], [role="alert"], [role="log"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('role')} ${e.getAttribute('aria-live')}: ${e.textContent}`));
    assert.deepEqual(await live(), ['status polite: shared model: epoch 1 of 10']);
    assert.deepEqual(await p.page.locator('vscode-progress-ring').evaluate((e) => [e.getAttribute('role'), e.getAttribute('aria-label')]), ['progressbar', 'Training']);
    await p.page.evaluate(() => {
      const w = window as unknown as { changes: number };
      w.changes = 0;
      new MutationObserver((m) => { w.changes += m.length; }).observe(document.querySelector('[data-testid="announcer"]')!, { subtree: true, childList: true, characterData: true });
    });
    for (const [k, step] of [[1, 200], [2, 400], [3, 600]] as const) {
      await p.send({ type: 'event', item: { seq: 3 + k, event: { kind: 'trainer', msg: { type: 'progress', phase: SHARED, points: report(k, step) } } } });
    }
    assert.equal(await p.page.evaluate(() => (window as unknown as { changes: number }).changes), 0, 'points within the epoch say nothing');
    await p.send({ type: 'event', item: { seq: 7, event: { kind: 'trainer', msg: { type: 'epochEnd', phase: SHARED, epoch: 2, totalEpochs: 10, values: [] } } } });
    assert.deepEqual(await live(), ['status polite: shared model: epoch 3 of 10']);
    await p.send({ type: 'event', item: { seq: 8, event: { kind: 'trainer', msg: { type: 'started', runDir: '/ws/runs/conflicts/20261130-120000-abcd', backend: 'tensorflow', versions: {}, totalEpochs: 10, phase: { kind: 'baseline', task: 'digit' } } } } });
    assert.deepEqual(await live(), ['status polite: single-task digit: epoch 1 of 10']);
    await p.send({ type: 'event', item: { seq: 9, event: { kind: 'ended', status: 'cancelled' } } });
    assert.deepEqual(await live(), ['status polite: Training stopped']);
  }],
  ['reduced motion (VS Code\'s body class): the progress bar moves without a transition', DARK, async (p) => {
    await p.send(twoPhases());
    const transition = () => p.page.locator('.progress .bar').evaluate((e) => getComputedStyle(e).transitionDuration);
    assert.equal(await transition(), '0.3s');
    await p.page.evaluate(() => document.body.classList.add('vscode-reduce-motion'));
    assert.equal(await transition(), '0s');
  }],
  ...themeAudits<TrainingPage>('every text at least 4.5:1 (the active phase\'s number too), every control named, every Tab stop with a focus ring, no trap', async (p, name) => {
    await p.send(twoPhases());
    await p.page.locator('vscode-progress-ring:defined').waitFor();
    // The audit reads uPlot's axes as drawn: they were (the step axis starts at 0 on each chart).
    assert.ok((await canvasTexts(p.page)).includes('0'), 'the charts\' tick labels were recorded');
    const walk = await auditWebview(p.page, { tabStop: 'Stop training' });
    // The three tasks' loss charts' legends (one curve each so far), with the rings checked below.
    assert.equal(walk.stops.filter((s) => s.includes('|shared train, running over the epoch|')).length, 3, 'each legend entry is a Tab stop');
    // For the eye: a focused legend entry's ring in this theme.
    const chart = p.page.locator('section.task[aria-label="Task digit"] .chart').first();
    await p.page.keyboard.press('Tab'); // keyboard focus: :focus-visible
    await chart.locator('.u-legend [role="checkbox"]').focus();
    fs.mkdirSync(OUT, { recursive: true });
    await chart.screenshot({ path: `${OUT}/legend-focus-${name.toLowerCase().replace(/ /g, '-')}.png` });
  }),
  // What a finished run adds: the "Completed" badge and each task's change against its baseline, better and worse.
  ...themeAudits<TrainingPage>('a completed run: the status badge and the better / worse changes at least 4.5:1', async (p) => {
    await p.send(completed());
    await p.page.locator('.change.worse').first().waitFor();
    assert.equal(await p.page.locator('.change.better').count() > 0, true, 'a better change is shown');
    await auditWebview(p.page, { tabStop: 'Open report' });
  }),
  ...([['high contrast', HIGH_CONTRAST], ['high contrast light', HIGH_CONTRAST_LIGHT]] as const).map(([name, theme]): WebviewCheck<TrainingPage> => [
    `${name}: a train curve is drawn in its task's full colour (faded, 2.6:1 on black and 2:1 on white); thin, not faint, tells it from validation`, theme, async (p) => {
      await p.send(replay(2));
      const n = await opaqueDigitPixels(p, theme);
      assert.ok(n >= 20, `${n} opaque pixels of the digit colour`);
    },
  ]),
  ['high contrast: a legend entry is a checkbox the keyboard works: Space hides its curve, Enter shows it again; a click keeps the state it says', HIGH_CONTRAST, async (p) => {
    await p.send(replay(2));
    const entries = p.page.locator('section.task[aria-label="Task digit"] .chart').first().locator('.u-legend [role="checkbox"]');
    await entries.first().waitFor();
    assert.deepEqual(await entries.evaluateAll((es) => es.map((e) => [e.textContent, e.getAttribute('aria-checked'), (e as HTMLElement).tabIndex])), [['shared train, running over the epoch', 'true', 0]]);
    const entry = entries.first();
    assert.ok(await opaqueDigitPixels(p, HIGH_CONTRAST) >= 20, 'the curve is drawn');
    await entry.focus();
    await p.page.keyboard.press('Space');
    assert.equal(await entry.getAttribute('aria-checked'), 'false');
    assert.equal(await opaqueDigitPixels(p, HIGH_CONTRAST), 0, 'Space hid the curve');
    assert.equal(await p.page.evaluate(() => window.scrollY), 0, 'Space did not scroll the page');
    await p.page.keyboard.press('Enter');
    assert.equal(await entry.getAttribute('aria-checked'), 'true');
    assert.ok(await opaqueDigitPixels(p, HIGH_CONTRAST) >= 20, 'Enter showed it again');
    await entry.click();
    assert.equal(await entry.getAttribute('aria-checked'), 'false', 'a click toggles it and the state follows');
  }],
  ['a screen reader gets each chart\'s curves in words (its canvas\'s description: newest value, best so far), updated by new points without a word in the live region', DARK, async (p) => {
    await p.send(replay(4));
    await p.page.locator('section.task[aria-label="Task digit"] canvas').first().waitFor();
    const digitLoss = async () => (await pictures(p.page)).filter((c) => c.name === 'loss curves')[0]?.description;
    // digit's loss 2 - 0.1 k at steps 0, 200, 400, 600 (report()): falling, so the newest is the best.
    assert.equal(await digitLoss(), 'shared train, running over the epoch: 1.7 at step 600, its best so far');
    // The gradient cosines have no better direction: their range. digit|parity: -0.5, 0.25, -0.1, 0.5.
    assert.equal((await pictures(p.page)).find((c) => c.name.startsWith('gradient cosine between tasks on the shared layers'))?.description,
      'digit|parity: 0.5 at step 600, from -0.5 to 0.5; digit|size: 0.1 at step 600, from 0.1 to 0.4; parity|size: 0.6 at step 600, from -0.9 to 0.6');
    await p.page.evaluate(() => {
      const w = window as unknown as { changes: number };
      w.changes = 0;
      new MutationObserver((m) => { w.changes += m.length; }).observe(document.querySelector('[data-testid="announcer"]')!, { subtree: true, childList: true, characterData: true });
    });
    // A worse loss at step 800: the description names the best, 1.7 at step 600.
    await p.send({ type: 'event', item: { seq: 7, event: { kind: 'trainer', msg: { type: 'progress', phase: SHARED, points: [{ step: 800, epoch: 1, split: 'train', task: 'digit', metric: 'loss', value: 1.75 }] } } } });
    await p.page.waitForFunction(() => document.querySelector('.sr-only[id]')?.textContent?.includes('step 800'));
    assert.equal(await digitLoss(), 'shared train, running over the epoch: 1.75 at step 800, best 1.7 at step 600');
    assert.equal(await p.page.evaluate(() => (window as unknown as { changes: number }).changes), 0, 'the live region said nothing');
    assert.equal(await p.page.locator('.chart .sr-only').evaluateAll((es) => es.filter((e) => e.closest('[aria-live]')).length), 0, 'no description is live');
  }],
  ['Dark Modern: a chart\'s tick labels drawn in a faint colour are reported (the canvas\'s text is measured in the colour uPlot draws it)', DARK, async (p) => {
    // The axes take the theme's muted colour when a chart is built: #555555 on Dark Modern's #1f1f1f is 2.21:1.
    await p.page.evaluate(() => document.documentElement.style.setProperty('--vscode-descriptionForeground', '#555555'));
    await p.send(twoPhases());
    await p.page.locator('section.task canvas').first().waitFor();
    // The panel's muted HTML text is reported too; the canvas's tick labels (steps, losses) among it.
    const low = (await lowContrastPaintedTexts(p.page)).filter((l) => l.includes(' canvas '));
    assert.ok(low.includes('2.21 canvas "0"') && low.length >= 3, low.join('\n'));
  }],
  ['Dark Modern: a train curve stays faded beside the validation curve (the high-contrast check above can fail)', DARK, async (p) => {
    await p.send(replay(2));
    assert.equal(await opaqueDigitPixels(p, DARK), 0);
  }],
];

const heatmap = (p: TrainingPage) => p.page.locator('section.conflict-heatmap');
const rowCells = (p: TrainingPage, pair: string) => heatmap(p).locator(`g.heatmap-row[data-pair="${pair}"] rect.cell`);

/** Each row's cells: fill (null where not measured), x and tooltip. */
async function cellsOf(p: TrainingPage, pair: string): Promise<Array<{ fill: string | null; x: number; title: string }>> {
  return rowCells(p, pair).evaluateAll((rects) => rects.map((r) => ({
    fill: r.classList.contains('missing') ? null : r.getAttribute('fill'), x: Number(r.getAttribute('x')), title: r.querySelector('title')?.textContent ?? '',
  })));
}

const expectedFills = (pair: string, metric: string, t: HarnessTheme, n = STEPS.length) =>
  COSINES[pair]![metric]!.slice(0, n).map((v) => (v === undefined ? null : cosineColor(v, themeOf(t))));

const checks: WebviewCheck<TrainingPage>[] = [
  ['a row per task pair, a cell per report in the theme\'s diverging colour, left to right, its value in the tooltip, the share of conflicting reports beside the row', DARK, async (p) => {
    await p.send(replay(4));
    await heatmap(p).locator('rect.cell').first().waitFor();
    const pairs = await heatmap(p).locator('g.heatmap-row').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-pair')));
    assert.deepEqual(pairs, ['digit|parity', 'digit|size', 'parity|size']);
    for (const pair of pairs) {
      const cells = await cellsOf(p, pair!);
      assert.deepEqual(cells.map((c) => c.fill), expectedFills(pair!, 'cosine', DARK), `${pair}'s colours`);
      assert.ok(cells.every((c, i) => i === 0 || c.x > cells[i - 1]!.x), `${pair}: later reports to the right`);
    }
    // The dark theme's blue for a cosine of 0.25 (hand-worked in test/unit/core/conflictHeatmap.test.ts).
    assert.equal((await cellsOf(p, 'digit|parity'))[1]!.fill, '#38669c');
    assert.deepEqual((await cellsOf(p, 'parity|size')).map((c) => c.title), [
      'parity · size, step 0: cosine −0.90 (conflict)', 'parity · size, step 200: cosine −0.80 (conflict)',
      'parity · size, step 400: not measured', 'parity · size, step 600: cosine 0.60',
    ]);
    assert.deepEqual(await heatmap(p).locator('text.share').allTextContents(), ['50 % of 4', '0 % of 4', '67 % of 3']);
    fs.mkdirSync(OUT, { recursive: true });
    await heatmap(p).screenshot({ path: `${OUT}/conflict-heatmap-dark.png` });
    assert.deepEqual(p.errors, []);
  }],
  ['per shared block: the whole trunk first, then each shared layer; choosing trunk2 shows its cosines and shares', DARK, async (p) => {
    await p.send(replay(4));
    const dropdown = heatmap(p).locator('vscode-dropdown');
    await dropdown.locator('vscode-option').first().waitFor({ state: 'attached' });
    assert.deepEqual(await dropdown.locator('vscode-option').allTextContents(), ['whole trunk', 'trunk1', 'trunk2']);
    await dropdown.click();
    await dropdown.locator('vscode-option:text-is("trunk2")').click();
    await heatmap(p).locator('svg[data-block="trunk2"]').waitFor();
    assert.deepEqual((await cellsOf(p, 'digit|parity')).map((c) => c.fill), expectedFills('digit|parity', 'cosine@trunk2', DARK));
    assert.deepEqual(await heatmap(p).locator('text.share').allTextContents(), ['50 % of 4', '0 % of 4', '67 % of 3']);
    assert.equal(await heatmap(p).locator('g.heatmap-row[data-pair="digit|parity"] rect.cell title').first().textContent(), 'digit · parity, step 0: cosine −0.60 (conflict)');
  }],
  ['while it trains: a new report adds a column at the right and updates the share', DARK, async (p) => {
    await p.send(replay(2));
    await heatmap(p).locator('rect.cell').first().waitFor();
    assert.equal(await rowCells(p, 'digit|parity').count(), 2);
    assert.deepEqual(await heatmap(p).locator('text.share').allTextContents(), ['50 % of 2', '0 % of 2', '100 % of 2']);
    await p.send({ type: 'event', item: { seq: 5, event: { kind: 'trainer', msg: { type: 'progress', phase: SHARED, points: report(2, 400) } } } });
    await p.page.waitForFunction(() => document.querySelectorAll('g.heatmap-row[data-pair="digit|parity"] rect.cell').length === 3);
    const cells = await cellsOf(p, 'digit|parity');
    assert.deepEqual(cells.map((c) => c.fill), expectedFills('digit|parity', 'cosine', DARK, 3));
    assert.ok(cells[2]!.x > cells[1]!.x, 'the new column is at the right');
    // parity|size was not measured at 400: a third, empty column; still 2 of 2 conflicting.
    assert.deepEqual(await heatmap(p).locator('text.share').allTextContents(), ['67 % of 3', '0 % of 3', '100 % of 2']);
  }],
  ['a long run: more reports than the width holds are merged into columns of their mean; the share still counts every report', DARK, async (p) => {
    // 600 reports of digit|parity alternating -0.3, +0.5, +0.1: 200 of 600 conflict.
    const values = Array.from({ length: 600 }, (_, k) => [-0.3, 0.5, 0.1][k % 3]!);
    const points: MetricPoint[] = values.map((value, k) => ({ step: 4 * k, epoch: 0, split: 'train', task: 'digit|parity', metric: 'cosine', value }));
    const header = (replay(0) as { events: SequencedEvent[] }).events;
    await p.send({ type: 'replay', events: [...header, { seq: header.length + 1, event: { kind: 'trainer', msg: { type: 'progress', phase: SHARED, points } } }] });
    await heatmap(p).locator('rect.cell').first().waitFor();
    const cells = await cellsOf(p, 'digit|parity');
    assert.ok(cells.length < 600 && cells.length >= 100, `${cells.length} columns for 600 reports`);
    const per = Math.ceil(600 / cells.length);
    assert.match(cells[0]!.title, new RegExp(`^digit · parity, steps 0–${4 * (per - 1)} \\(${per} of ${per} reports\\): mean cosine `));
    const box = await heatmap(p).locator('svg').boundingBox();
    assert.ok(cells[cells.length - 1]!.x < box!.width, 'the last column is inside the panel');
    assert.deepEqual(await heatmap(p).locator('text.share').allTextContents(), ['33 % of 600']);
  }],
  ['the cells as a table: a row per pair with its share and every cosine', DARK, async (p) => {
    await p.send(replay(4));
    const table = heatmap(p).locator('details.heatmap-table');
    await table.locator('summary').click();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)));
    assert.deepEqual(rows, [
      ['digit · parity', '50 % of 4', '−0.5', '+0.25', '−0.1', '+0.5'],
      ['digit · size', '0 % of 4', '+0.4', '+0.3', '+0.2', '+0.1'],
      ['parity · size', '67 % of 3', '−0.9', '−0.8', '–', '+0.6'],
    ]);
    assert.deepEqual(await table.locator('thead th').allTextContents(), ['Pair', 'conflicting', '0', '200', '400', '600']);
  }],
  ['first seconds: before the trainer starts the panel says it loads the data, with the trainer\'s latest message; once started, that the model is built and the first steps taken; the curves replace the note', DARK, async (p) => {
    const events = (replay(0) as { events: SequencedEvent[] }).events;
    const log: SequencedEvent = { seq: 2, event: { kind: 'trainer', msg: { type: 'log', level: 'info', message: 'data: mnist, 2,000 rows' } } };
    const note = p.page.locator('.first-steps');
    await p.send({ type: 'replay', events: [events[0]!, log] });
    assert.deepEqual(await note.locator('p').allTextContents(), ['Loading the data and checking the experiment. The curves appear here once training starts.', 'Trainer: data: mnist, 2,000 rows']);
    await p.send({ type: 'replay', events: [events[0]!, log, { ...events[1]!, seq: 3 }] });
    assert.deepEqual(await note.locator('p').allTextContents(), ['Data loaded. Building the model and taking the first steps: each task\'s loss curve appears after the first few steps.', 'Trainer: data: mnist, 2,000 rows']);
    fs.mkdirSync(OUT, { recursive: true });
    await p.page.screenshot({ path: `${OUT}/first-steps-dark.png` });
    await p.send(replay(1));
    await p.page.locator('section.task').first().waitFor();
    assert.equal(await note.count(), 0);
  }],
  ['a completed cross-stitch run: its first screen says the multi-task model holds more than its single-task baselines (the alphas), not nothing', LIGHT, async (p) => {
    // cross-stitch-regression's counts (test/unit/core/exampleParams.test.ts): 7,562 against two baselines of 3,777.
    const summary: RunSummary = {
      runDir: '/ws/runs/cross-stitch-regression/20261201-120000-abcd', status: 'completed', backend: 'tensorflow',
      test: { digit: { mae: 0.3 } },
      parameters: { total: 7562, shared: 8, perTask: { digit: 3777, parity: 3777 }, singleTaskTotal: 7554 },
      timings: { startedAt: '2026-12-01T12:00:00Z', endedAt: '2026-12-01T12:01:00Z', trainSeconds: 60 },
    };
    const events = (replay(4) as { events: SequencedEvent[] }).events;
    const more: SequencedEvent['event'][] = [{ kind: 'trainer', msg: { type: 'done', summary } }, { kind: 'ended', status: 'completed' }];
    await p.send({ type: 'replay', events: [...events, ...more.map((event, k) => ({ seq: events.length + k + 1, event }))] });
    const text = (await p.page.locator('section.outcome p').textContent())?.replace(/\s+/g, ' ').trim() ?? '';
    // 8 more of 7,554: 0.1%.
    assert.ok(text.endsWith('The multi-task model holds 8 parameters more (0.1%) than one model per task.'), text);
  }],
  ['a completed run: its first screen says what sharing did (Δm, one run) and what it saved, with a button down to the tables below the charts', LIGHT, async (p) => {
    await p.send(completed());
    const outcome = p.page.locator('section.outcome');
    assert.equal((await outcome.locator('p').textContent())?.replace(/\s+/g, ' ').trim(),
      'Result: Δm +1.23 %, one run: repeat it (evaluation.repeats) to know whether the difference is more than noise. Sharing saves 2,200 parameters (64.7%) over one model per task.');
    // Said once: the Parameters list below gives the two totals, not the saving again.
    assert.equal((await p.page.locator('body').textContent())?.match(/sharing saves/gi)?.length, 1);
    assert.equal((await p.page.locator('.param-list li').last().textContent())?.replace(/\s+/g, ' ').trim(), 'Shared model: 1,200; one separate model per task: 3,400');
    // The button stays beside the text at every width (inline in the text it wrapped onto a line of its own at 1400 px).
    for (const width of [1400, 1100, 700]) {
      await p.page.setViewportSize({ width, height: 900 });
      const text = (await outcome.locator('p').boundingBox())!;
      const button = (await outcome.locator('vscode-button:has-text("See the results")').boundingBox())!;
      assert.ok(button.x >= text.x + text.width && button.y < text.y + text.height && button.y + button.height > text.y,
        `at ${width} px the button (${button.x}, ${button.y}) is not beside the text (right edge ${text.x + text.width}, ${text.y}..${text.y + text.height})`);
    }
    await p.page.setViewportSize({ width: 1100, height: 900 });
    // On the first screen (the panel's 900 px), where the tables are below the charts.
    const box = (await outcome.boundingBox())!;
    assert.ok(box.y + box.height <= 900, `the outcome ends at ${box.y + box.height} px`);
    assert.ok((await p.page.locator('.results-section').boundingBox())!.y > 900, 'the tables are below the first screen');
    fs.mkdirSync(OUT, { recursive: true });
    await p.page.screenshot({ path: `${OUT}/completed-first-screen-light.png` });
    await outcome.locator('vscode-button:has-text("See the results")').click();
    // Its heading in sight, below the header (which stays at the top).
    const seen = async () => p.page.evaluate(() => ({ results: document.querySelector('.results-section h3')!.getBoundingClientRect().top, head: document.querySelector('.head')!.getBoundingClientRect().bottom, y: window.scrollY }));
    for (let i = 0; i < 40 && (await seen()).y === 0; i++) await p.page.waitForTimeout(50);
    const at = await seen();
    assert.ok(at.results >= at.head && at.results < 900, `the Results heading at ${at.results} px, the header's bottom at ${at.head} px`);
  }],
  ['the legend names the single-task baseline\'s dashed line only once a baseline has curves (it did from the shared model\'s first points)', DARK, async (p) => {
    await p.send(replay(2));
    const legend = p.page.locator('.legend-note');
    await legend.waitFor();
    assert.doesNotMatch(await legend.textContent() ?? '', /single-task baseline/);
    const digit = { kind: 'baseline', task: 'digit' } as const;
    await p.send({ type: 'event', item: { seq: 5, event: { kind: 'trainer', msg: { type: 'started', runDir: '/ws/runs/conflicts/20261130-120000-abcd', backend: 'tensorflow', versions: {}, totalEpochs: 2, phase: digit } } } });
    await p.send({ type: 'event', item: { seq: 6, event: { kind: 'trainer', msg: { type: 'progress', phase: digit, points: [{ step: 0, epoch: 0, split: 'train', task: 'digit', metric: 'loss', value: 2 }] } } } });
    await p.page.waitForFunction(() => document.querySelector('.legend-note')?.textContent?.includes('single-task baseline (dashed)'));
  }],
  ['the first report: each task\'s loss chart shows its one value as a dot (a line of one point drew nothing: empty axes)', DARK, async (p) => {
    await p.send(replay(1));
    const canvas = p.page.locator('section.task[aria-label="Task digit"] .chart').first().locator('canvas');
    await canvas.waitFor();
    await p.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Pixels in the digit task's colour (the dark theme's charts blue; the legend's marker is not on the canvas).
    const hex = DARK.vars['--vscode-charts-blue']!;
    const painted = await canvas.evaluate((c: HTMLCanvasElement, rgb) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && [0, 1, 2].every((k) => Math.abs(data[i + k]! - rgb[k]!) < 12)) n++;
      return n;
    }, [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)));
    assert.ok(painted >= 8, `${painted} pixels of the digit colour on its loss chart`);
  }],
  ['Light Modern: the same cosines in the light theme\'s red and blue', LIGHT, async (p) => {
    await p.send(replay(4));
    await heatmap(p).locator('rect.cell').first().waitFor();
    const fills = (await cellsOf(p, 'digit|parity')).map((c) => c.fill);
    assert.deepEqual(fills, expectedFills('digit|parity', 'cosine', LIGHT));
    assert.notDeepEqual(fills, expectedFills('digit|parity', 'cosine', DARK));
    fs.mkdirSync(OUT, { recursive: true });
    await heatmap(p).screenshot({ path: `${OUT}/conflict-heatmap-light.png` });
    await p.page.screenshot({ path: `${OUT}/training-panel-light.png`, fullPage: true });
  }],
];

void runWebviewChecks([...checks, ...a11yChecks], openTrainingPage, { only, out: OUT, consoleErrors: false });
