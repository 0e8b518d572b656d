// The study view (webview/study) in headless Chromium, driven as the host drives it: the same
// CSP and theme variables as VS Code, a fake acquireVsCodeApi that records what the page posts,
// and the host's notes delivered with postMessage. What a user sees and does: the marks of the
// table, the verdicts, the charts in the theme's colours, "Use this variant", a live update.
//   node test/unit/designer/harness/run.mjs studyInteractions [filter]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { StudyFromWebview, StudyToWebview } from '../../../../src/core/study/studyPanelProtocol';
import { SHARING_VERDICT_TEXT } from '../../../../src/core/stats/interval';
import { ROOT } from '../../../repoRoot';
import { pictures } from './a11yAudit';
import { auditWebview, lowContrastWith, themeAudits } from './webviewAudit';
import { runWebviewChecks, WebviewPage, type WebviewCheck } from './webviewPage';
import { DARK, type HarnessTheme } from '../../../harness/themes';
import { studyFixture, variantResult } from '../../core/study/fixtures';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const OUT = path.join(ROOT, 'test-output/study');

/** Each figure's accessible name as Chromium's accessibility tree gives it (its caption), in page order. */
async function figures(page: Page): Promise<string[]> {
  const captions = await page.locator('figure').evaluateAll((els) => els.map((e) => e.querySelector('figcaption')?.textContent ?? ''));
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree') as { nodes: Array<{ ignored: boolean; role?: { value?: string }; name?: { value?: string } }> };
    const named = nodes.filter((n) => !n.ignored && n.role?.value === 'figure').map((n) => n.name?.value ?? '');
    assert.deepEqual(named, captions, 'each figure is named by its caption');
    return named;
  } finally {
    await cdp.detach();
  }
}

type StudyPage = WebviewPage<StudyFromWebview, StudyToWebview>;
const openStudyPage = (browser: Browser, theme: HarnessTheme): Promise<StudyPage> => WebviewPage.open(browser, theme, { bundleDir, bundle: 'study', viewport: { width: 1300, height: 900 } });

const STUDY_DIR = '/ws/runs/digits-parity/study-20261130-090000-abcd';
const shown = (canUse = true): StudyToWebview => ({ type: 'study', studyDir: STUDY_DIR, result: studyFixture(), canUse });

const checks: WebviewCheck<StudyPage>[] = [
  ['the table marks the best, "within the noise" where intervals overlap, and "below the best" where they are apart', DARK, async (p) => {
    await p.send(shown());
    const marks = await p.page.locator('table.metrics tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.getAttribute('data-mark'))));
    // Hand-worked in test/unit/core/study/fixtures.ts: digit best = as designed; parity best = PCGrad.
    assert.deepEqual(marks, [['within-noise', 'within-noise'], ['best', 'worse'], ['worse', 'best']]);
    assert.equal(await p.page.locator('table.metrics tr', { hasText: 'As designed' }).locator('td').first().innerText(), '0.96 ± 0.01 best');
    // The view remembers its folder for a window reload.
    assert.deepEqual(await p.page.evaluate(() => (window as unknown as { __state: unknown }).__state), { studyDir: STUDY_DIR });
  }],
  ['each variant\'s verdict is the one its Δm interval allows; the reference has none and no "Use" button', DARK, async (p) => {
    await p.send(shown());
    await p.page.locator('table.sharing td.verdict').first().waitFor();
    const verdicts = await p.page.locator('table.sharing td.verdict').allInnerTexts();
    assert.deepEqual(verdicts, ['the models Δm compares against', SHARING_VERDICT_TEXT['no-difference'], SHARING_VERDICT_TEXT.hurt]);
    assert.equal(await p.page.locator('table.sharing tr', { hasText: 'Single-task models' }).locator('vscode-button').count(), 0);
    assert.equal(await p.page.locator('table.sharing vscode-button').count(), 2);
  }],
  ['"Use this variant" asks the host for that variant and shows how it went', DARK, async (p) => {
    await p.send(shown());
    await p.page.locator('vscode-button[aria-label="Use this variant: PCGrad (parameters)"]').click();
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'useVariant'), [{ type: 'useVariant', variant: 'weighting-pcgrad' }]);
    await p.send({ type: 'used', variant: 'weighting-pcgrad' });
    await p.page.locator('tr[data-variant="weighting-pcgrad"] .used', { hasText: 'Written into the experiment file.' }).waitFor();
    await p.send({ type: 'used', variant: 'as-designed', problem: 'the text is not valid JSON right now; fix it first.' });
    await p.page.locator('tr[data-variant="as-designed"] .used', { hasText: 'Not written: the text is not valid JSON' }).waitFor();
  }],
  ['without the experiment file the buttons are disabled, with the reason', DARK, async (p) => {
    await p.send(shown(false));
    const button = p.page.locator('vscode-button[aria-label="Use this variant: As designed"]');
    assert.equal(await button.getAttribute('disabled'), '');
    assert.match((await button.getAttribute('title')) ?? '', /not found/);
    await button.click({ force: true });
    assert.equal((await p.posted()).filter((m) => m.type === 'useVariant').length, 0);
  }],
  ['live: a progress report redraws the view; Stop asks the host to stop', DARK, async (p) => {
    const running = studyFixture();
    running.status = 'running';
    running.variants[2]!.runs[2]!.status = 'running';
    await p.send({ type: 'study', studyDir: STUDY_DIR, result: running, running: 'variant 3 of 3, repeat 3 of 3', canUse: true });
    await p.page.locator('.head .running', { hasText: 'running: variant 3 of 3, repeat 3 of 3' }).waitFor();
    await p.page.locator('.links', { hasText: 'Stop study' }).getByText('Stop study').click();
    assert.ok((await p.posted()).some((m) => m.type === 'stop'));
    await p.send(shown());
    await p.page.locator('.head .source', { hasText: 'completed' }).waitFor();
    assert.equal(await p.page.locator('.links', { hasText: 'Stop study' }).count(), 0);
  }],
  ['each chart is a figure whose caption says what it shows and where its numbers are as text; each run (a dot, its values only in a tooltip) is a row of the runs table', DARK, async (p) => {
    await p.send(shown());
    await p.page.locator('.scatters svg').waitFor();
    const captions = await figures(p.page);
    assert.match(captions[0]!, /the same numbers are in the Δm column of the table above\.$/);
    assert.match(captions[1]!, /^digit accuracy against parity accuracy\. .* The means are in the Test metrics table, each run in the table below\.$/);
    // The figures' SVGs are the pictures: the wrapper no longer carries an aria-label a div cannot have.
    assert.equal(await p.page.locator('.chart[aria-label]').count(), 0);
    await p.page.locator('details.runs summary').click();
    const rows = await p.page.locator('table.runs-table tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((c) => c.textContent)));
    // test/unit/core/study/fixtures.ts: seeds 42, 43, 44; digit and parity accuracy per repeat.
    assert.deepEqual(rows, [
      ['1. Single-task models', '1 (42)', '0.9', '0.88'], ['1. Single-task models', '2 (43)', '0.92', '0.89'], ['1. Single-task models', '3 (44)', '0.94', '0.9'],
      ['2. As designed', '1 (42)', '0.95', '0.86'], ['2. As designed', '2 (43)', '0.96', '0.87'], ['2. As designed', '3 (44)', '0.97', '0.88'],
      ['3. PCGrad (parameters)', '1 (42)', '0.8', '0.91'], ['3. PCGrad (parameters)', '2 (43)', '0.81', '0.92'], ['3. PCGrad (parameters)', '3 (44)', '0.82', '0.93'],
    ]);
    assert.deepEqual(await p.page.locator('table.runs-table thead th').allTextContents(), ['Variant', 'Repeat (seed)', 'digit accuracy', 'parity accuracy']);
  }],
  ['the charts are drawn in the theme\'s colours (CSS variables), with every run as a dot', DARK, async (p) => {
    await p.send(shown());
    const scatter = p.page.locator('.scatters svg');
    await scatter.waitFor();
    assert.equal(await scatter.locator('circle.run').count(), 9);
    const svgText = await p.page.locator('.chart').evaluateAll((els) => els.map((e) => e.innerHTML).join(''));
    assert.ok(!/(fill|stroke)="#/.test(svgText), 'no fixed colours in the view\'s charts');
    // The theme's foreground reaches the text (dark theme: #cccccc).
    const fill = await scatter.locator('text').first().evaluate((t) => getComputedStyle(t).fill);
    assert.equal(fill, 'rgb(204, 204, 204)');
    fs.mkdirSync(OUT, { recursive: true });
    await p.page.screenshot({ path: path.join(OUT, 'study-view-dark.png'), fullPage: true });
  }],
];

/** In each kind of theme, the training panel's and diagram's audit: contrast (the charts' SVG text too), names, focus rings, traps, the charts as named figures. */
const themeChecks = themeAudits<StudyPage>('every text at least 4.5:1 (the charts\' labels and ticks too), every control named, every Tab stop with a focus ring, no trap, every chart named', async (p) => {
  await p.send(shown());
  await p.page.locator('.scatters svg').waitFor();
  await auditWebview(p.page, { tabStop: 'Use this variant: PCGrad (parameters)' });
  // Each chart is a picture a screen reader names (its SVG's <title>), in a figure named by its caption.
  assert.deepEqual((await pictures(p.page)).map((c) => c.name), ['Δm against single-task models, with 95 % intervals', 'digit accuracy vs parity accuracy']);
  assert.deepEqual((await figures(p.page)).map((f) => f.slice(0, 40)), ['Δm of each variant with its 95 % interva', 'digit accuracy against parity accuracy. ']);
});

/** A variant whose Δm interval lies above 0 (0.05 ± 0.025): "sharing helped", in each theme's colour for it. */
const helpedChecks = themeAudits<StudyPage>('a variant that helped: its verdict at least 4.5:1', async (p) => {
  const result = studyFixture();
  const designed = result.variants[1]!;
  result.variants[1] = variantResult({ variant: designed.variant, digit: [0.95, 0.96, 0.97], parity: [0.90, 0.91, 0.92], deltaM: [0.04, 0.05, 0.06], parameters: designed.parameters!, seconds: [10, 11, 12] });
  await p.send({ type: 'study', studyDir: STUDY_DIR, result, canUse: true });
  await p.page.locator('td.verdict.helped').waitFor();
  await auditWebview(p.page, { tabStop: 'Use this variant: PCGrad (parameters)' });
});

/** The audit reads an SVG text's fill, not its inherited `color`: a faint fill is found (the check above can fail). */
const svgContrastCheck: WebviewCheck<StudyPage> = ['Dark Modern: a chart label painted in a faint fill is reported (SVG text is measured by its fill)', DARK, async (p) => {
  await p.send(shown());
  await p.page.locator('.scatters svg').waitFor();
  const low = await lowContrastWith(p.page, '.scatters svg text { fill: #555555 !important; }');
  // #555555 on Dark Modern's #1f1f1f: 2.21:1 (its `color` stays the foreground's 4.5:1+).
  assert.ok(low.length > 0 && low.every((l) => l.startsWith('2.')), low.join('\n'));
  assert.ok(low.some((l) => l.includes('"digit accuracy (higher is better)"')), low.join('\n'));
}];

void runWebviewChecks([...checks, ...themeChecks, ...helpedChecks, svgContrastCheck], openStudyPage, { only, out: OUT, consoleErrors: true });
