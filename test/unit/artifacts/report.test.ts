import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { computeDeltaM, DELTA_M_CONVENTIONS } from '../../../src/core/deltaM';
import { SHARING_VERDICT_TEXT } from '../../../src/core/stats/interval';
import { summarizeRepeats } from '../../../src/core/stats/summarizeRepeats';
import { escapeMarkdown } from '../../../src/core/markup';
import { renderReport, softwareLine, stageReport, WEIGHT_DIAGRAM_FILE, type ReportInput } from '../../../src/trainer/artifacts/report';
import { renderConflictSection } from '../../../src/trainer/artifacts/conflictSection';
import { renderTaskAffinitySection } from '../../../src/trainer/artifacts/taskAffinitySection';
import { SHARED_COLOR, taskColor } from '../../../src/trainer/artifacts/weightDiagram';
import { ROOT } from '../../repoRoot';
import { digitsParitySpec, epochPoints, summary } from './fixtures';
import { requirePython, runPython } from './python';
import { tempDir } from '../../tempFolders';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const points = epochPoints(3);
  return {
    spec: digitsParitySpec(),
    summary: summary('/ws/runs/digits-parity/20240102-030405-abcdef'),
    epochs: points,
    baselineEpochs: { digit: points.filter((p) => p.task === 'digit').map((p) => ({ ...p, value: p.value * 0.9 })) },
    versions: { node: '20.20.2' },
    ...overrides,
  };
}

/** Markdown table rows (lines starting with `|`) of the section under `heading`. */
function tableRows(markdown: string, heading: string): string[][] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith(heading)) ?? '';
  return section.split('\n').filter((l) => l.startsWith('|'))
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim())).filter((r) => !r.every((c) => c === '---'));
}

// Parses every SVG with Python's XML parser (an error exits non-zero) and reports, per file, the
// root element, its <title>, all <text> contents and the blocks of a weight diagram.
const PARSE_SVGS = `
import json, sys, xml.etree.ElementTree as ET
NS = '{http://www.w3.org/2000/svg}'
out = {}
for path in sys.argv[1:]:
    root = ET.parse(path).getroot()
    blocks = []
    for g in root.iter(NS + 'g'):
        rect = g.find(NS + 'rect')
        blocks.append({'cls': g.get('class'), 'tasks': g.get('data-tasks'), 'fill': rect.get('fill') if rect is not None else None,
                       'texts': [t.text or '' for t in g.iter(NS + 'text')]})
    out[path] = {'root': root.tag, 'title': (root.find(NS + 'title').text or ''), 'texts': [t.text or '' for t in root.iter(NS + 'text')],
                 'polylines': len(list(root.iter(NS + 'polyline'))), 'blocks': blocks}
print(json.dumps(out))
`;

interface ParsedSvg {
  root: string; title: string; texts: string[]; polylines: number;
  blocks: Array<{ cls: string; tasks: string; fill: string; texts: string[] }>;
}

async function writeAndParse(t: import('node:test').TestContext, data: ReportInput): Promise<{ dir: string; markdown: string; svgs: Record<string, ParsedSvg> } | undefined> {
  const python = requirePython(t, 'xml.etree.ElementTree');
  if (!python) return undefined;
  const dir = tempDir('report');
  await (await stageReport(dir, data)).commit();
  const markdown = await fs.readFile(path.join(dir, 'report.md'), 'utf8');
  const charts = (await fs.readdir(path.join(dir, 'charts'))).map((f) => path.join(dir, 'charts', f));
  const parsed = JSON.parse(runPython(python, PARSE_SVGS, charts)) as Record<string, ParsedSvg>;
  const svgs = Object.fromEntries(Object.entries(parsed).map(([p, v]) => [path.relative(dir, p).split(path.sep).join('/'), v]));
  return { dir, markdown, svgs };
}

describe('report.md', () => {
  it('has status, settings, parameter and result tables with Δm and its formula', () => {
    const { markdown } = renderReport(input());
    assert.match(markdown, /^# digits-parity: run report/);
    assert.match(markdown, /\*\*Status:\*\* completed/);
    assert.match(markdown, /\*\*Backend:\*\* tensorflow/);

    const settings = Object.fromEntries(tableRows(markdown, 'Settings').slice(1).map(([k, v]) => [k, v]));
    assert.equal(settings.Dataset, 'MNIST (first 2,000)'); // counts with thousands separators, as the parameters
    assert.equal(settings['Batch size'], '32');
    assert.equal(settings.Seed, '42');

    const params = tableRows(markdown, 'Parameters');
    assert.deepEqual(params[0], ['Weights', 'Parameters']);
    assert.deepEqual(params[1], ['Shared (2+ tasks)', '108,736']);
    assert.deepEqual(params[2], ['Only digit', '650']);
    assert.deepEqual(params[4], ['**Multi-task model**', '**110,443**']);
    assert.deepEqual(params[5], ['Sum of 2 single-task models', '219,179']);
    // What sharing saves is said once (in the Summary, read first), not again under the table.
    assert.equal(markdown.match(/sharing saves/gi)?.length, 1);
    assert.match(markdown, /sharing saves 49\.6 %\./);

    const results = tableRows(markdown, 'Results');
    assert.deepEqual(results[0], ['Task', 'Metric', 'Shared model', 'Single-task baseline', 'Relative improvement']);
    const row = (task: string, metric: string): string[] | undefined => results.find((r) => r[0] === task && r[1] === metric);
    assert.deepEqual(row('digit', 'loss'), ['digit', 'loss', '0.3', '0.35', '+14.29 %']); // lower loss: improvement
    assert.deepEqual(row('parity', 'loss'), ['parity', 'loss', '0.2', '0.18', '−11.11 %']);
    assert.deepEqual(row('digit', 'accuracy'), ['digit', 'accuracy', '0.91', '0.9', '+1.11 %']);
    assert.ok(markdown.includes(`**Δm = +0.81 %**, the ${escapeMarkdown(DELTA_M_CONVENTIONS.pairs.label)}, over 4 task-metric pairs`));
    assert.ok(markdown.includes(escapeMarkdown(DELTA_M_CONVENTIONS.pairs.formula)));
  });

  it('opens with the outcome: a summary of what sharing saved, Δm and each task\'s main metric before the settings', () => {
    const { markdown } = renderReport(input());
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings.slice(0, 2), ['Summary', 'Settings']);
    const summaryLines = markdown.split(/^## /m).find((s) => s.startsWith('Summary'))!.split('\n').filter((l) => l.startsWith('- '));
    assert.deepEqual(summaryLines, [
      // 110,443 against 2 x 108,736 + 650 + 1,057 = 219,179: 1 − 110,443 / 219,179 = 49.6 %.
      '- **Parameters:** the multi-task model has 110,443, 2 single-task models would have 219,179: sharing saves 49.6 %.',
      `- **Δm = +0.81 %** against the single-task models, the ${escapeMarkdown(DELTA_M_CONVENTIONS.pairs.label)}; above 0: the shared model did better. This is ${escapeMarkdown(SHARING_VERDICT_TEXT.unknown)}.`,
      '- **digit:** test accuracy 0.91, single-task 0.9 (+1.11 %)', // (0.91 − 0.9) / 0.9
      '- **parity:** test accuracy 0.95, single-task 0.96 (−1.04 %)', // (0.95 − 0.96) / 0.96
    ]);
    const s = summary();
    delete s.baselines;
    assert.match(renderReport(input({ summary: s })).markdown, /## Summary\n\n.*\n- No single-task baselines were trained, so there is no Δm\.\n- \*\*digit:\*\* test accuracy 0\.91\n/);
  });

  it('writes numbers as a reader would: a scale factor 1/255 (else 3 significant digits), a sample count with separators', () => {
    const setting = (factor: number) => {
      const spec = digitsParitySpec();
      spec.data.preprocess = [{ op: 'scale', factor }];
      return tableRows(renderReport(input({ spec })).markdown, 'Settings').find((r) => r[0] === 'Preprocessing')?.[1];
    };
    assert.equal(setting(0.00392156862745098), 'scale ×1/255');
    assert.equal(setting(1 / 3), 'scale ×1/3');
    assert.equal(setting(0.0123456), 'scale ×0.0123');
    assert.equal(setting(2), 'scale ×2');
    const synthetic = digitsParitySpec();
    synthetic.data.source = { type: 'synthetic-correlated', correlation: -0.5, samples: 8000 };
    assert.equal(tableRows(renderReport(input({ spec: synthetic })).markdown, 'Settings').find((r) => r[0] === 'Dataset')?.[1],
      'synthetic two-task regression, correlation -0.5 (8,000 samples)');
  });

  it('a metric with a baseline that Δm does not count says so instead of a bare dash', () => {
    const s = summary();
    s.baselines = { ...s.baselines!, comparisons: s.baselines!.comparisons.filter((c) => c.metric !== 'loss') };
    const results = tableRows(renderReport(input({ summary: s })).markdown, 'Results');
    assert.deepEqual(results.find((r) => r[0] === 'digit' && r[1] === 'loss'), ['digit', 'loss', '0.3', '0.35', 'not in Δm']);
    assert.deepEqual(results.find((r) => r[0] === 'digit' && r[1] === 'accuracy'), ['digit', 'accuracy', '0.91', '0.9', '+1.11 %']);
  });

  it('counts in the singular and plural in the conflict and task-affinity sections\' headers', () => {
    const conflict = { every: 1, measurements: 1, pairs: [] };
    assert.match(renderConflictSection(conflict, 0).lines.join('\n'), /^Every step \(1 measurement\), each task's gradient/m);
    assert.match(renderConflictSection({ ...conflict, every: 200, measurements: 3 }, 0).lines.join('\n'), /^Every 200 steps \(3 measurements\),/m);
    const affinity = { every: 1, measurements: 1, tasks: ['a', 'b'], matrix: [[0.1, 0.2], [0.3, 0.4]], groupings: [] };
    assert.match(renderTaskAffinitySection(affinity).join('\n'), /^Every step \(1 measurement\), a trial SGD step/m);
  });

  it('says that single-task baselines train with equal weighting whatever the shared model\'s', () => {
    const setting = (s: ReturnType<typeof digitsParitySpec>) => tableRows(renderReport(input({ spec: s })).markdown, 'Settings').find((r) => r[0] === 'Task weighting')?.[1];
    const spec = digitsParitySpec();
    assert.equal(setting({ ...spec, training: { ...spec.training, weighting: { method: 'uncertainty' } } }), 'Uncertainty (uncertainty); single-task baselines: equal, weight 1');
    assert.equal(setting({ ...spec, training: { ...spec.training, weighting: { method: 'equal' } } }), 'Equal (equal)');
  });

  it('names the weighting method with its parameters as run and, for a gradient method, where its gradients were taken', () => {
    const setting = (s: ReturnType<typeof digitsParitySpec>) => tableRows(renderReport(input({ spec: s })).markdown, 'Settings').find((r) => r[0] === 'Task weighting')?.[1];
    const spec = { ...digitsParitySpec(), evaluation: { baselines: 'none' as const } };
    assert.equal(setting({ ...spec, training: { ...spec.training, weighting: { method: 'dwa' } } }), 'DWA (dwa; temperature 2)');
    assert.equal(setting({ ...spec, training: { ...spec.training, weighting: { method: 'pcgrad', mode: 'representation' } } }), 'PCGrad (pcgrad; task gradients on the shared representation)');
    assert.equal(setting({ ...spec, training: { ...spec.training, weighting: { method: 'pcgrad' } } }), 'PCGrad (pcgrad; task gradients on the shared parameters)');
  });

  it('says which epoch\'s weights were tested and saved when early stopping ran', () => {
    assert.doesNotMatch(renderReport(input()).markdown, /Early stopping:/);
    const { markdown } = renderReport(input({ summary: { ...summary(), earlyStopping: { bestEpoch: 4, epochsRun: 7 } } }));
    assert.match(markdown, /Early stopping: training ran 7 epochs; the test metrics and the saved model use the weights of epoch 4/);
  });

  it('names the Δm convention that ran and the pairs left out of it', () => {
    const s = summary();
    const shared = { digit: { accuracy: 0.91, mae: 0.2 }, parity: { accuracy: 0.95 } };
    const base = { digit: { accuracy: 0.9, mae: 0 }, parity: { accuracy: 0.96 } };
    const d = computeDeltaM(shared, base, undefined, 'tasks');
    s.test = shared;
    s.baselines = { test: base, comparisons: d.comparisons, deltaM: d.deltaM, parameters: 1, convention: d.convention, excluded: d.excluded };
    const { markdown } = renderReport(input({ summary: s }));
    assert.ok(markdown.includes(escapeMarkdown(DELTA_M_CONVENTIONS.tasks.label)));
    assert.ok(markdown.includes(escapeMarkdown(DELTA_M_CONVENTIONS.tasks.formula)));
    assert.deepEqual(tableRows(markdown, 'Results').find((r) => r[0] === 'digit' && r[1] === 'mae'), ['digit', 'mae', '0.2', '0', 'undefined (left out of Δm)']);
    assert.match(markdown, /Left out of Δm: digit mae \(the baseline is 0/);
  });

  it('a single run says it is one run instead of calling Δm a finding; a repeated run gives the intervals and the verdict', () => {
    const single = renderReport(input()).markdown;
    assert.ok(single.includes(`This is ${escapeMarkdown(SHARING_VERDICT_TEXT.unknown)}.`));
    assert.doesNotMatch(single, /## Repeated runs/);
    const s = summary();
    const test = (acc: number) => ({ digit: { accuracy: acc } });
    const units = [0.9, 0.92, 0.91].map((acc, index) => ({ index, seed: 42 + index, test: test(acc), baselines: test(0.88), deltaM: (acc - 0.88) / 0.88, trainSeconds: 2 }));
    s.repeated = summarizeRepeats(units);
    const { markdown } = renderReport(input({ summary: s }));
    assert.doesNotMatch(markdown, /This is one run/);
    assert.deepEqual(tableRows(markdown, 'Repeated runs')[0], ['Task', 'Metric', 'Shared model', 'Single-task baseline']);
    assert.deepEqual(tableRows(markdown, 'Repeated runs')[1], ['digit', 'accuracy', '0.9100 ± 0.0100 (95 % CI 0.8852…0.9348)', '0.8800 ± 0.0000 (95 % CI 0.8800…0.8800)']);
    // Δm per seed +2.27 %, +4.55 %, +3.41 %: mean +3.41 %, sd 1.14 %, t interval +0.59 … +6.23 %: above 0.
    assert.match(markdown, /\*\*Δm = \+3\.41 % ± 1\.14 \(95 % CI \+0\.59 … \+6\.23 %, n = 3\): sharing helped\.\*\*/);
  });

  it('names the software in one line: tfjs once, sub-packages only where they differ', () => {
    const native = { 'tfjs-core': '4.22.0', 'tfjs-backend-cpu': '4.22.0', 'tfjs-layers': '4.22.0', tfjs: '4.22.0', 'tfjs-node': '4.22.0', tensorflow: '2.21.0', node: '20.20.2' };
    assert.equal(softwareLine(native), 'TensorFlow.js 4.22.0 · TensorFlow 2.21.0 (native) · Node 20.20.2');
    assert.equal(softwareLine({ ...native, 'tfjs-node': '4.21.0' }), 'TensorFlow.js 4.22.0 (tfjs-node 4.21.0) · TensorFlow 2.21.0 (native) · Node 20.20.2');
    assert.equal(softwareLine({ 'tfjs-core': '4.22.0', 'tfjs-backend-wasm': '4.22.0', node: '20.20.2' }), 'TensorFlow.js 4.22.0 · wasm backend 4.22.0 · Node 20.20.2');
    const rows = tableRows(renderReport(input({ versions: native })).markdown, 'Settings');
    assert.deepEqual(rows.filter((r) => /version|software/i.test(r[0] ?? '')), [['Software', 'TensorFlow.js 4.22.0 · TensorFlow 2.21.0 (native) · Node 20.20.2']]);
  });

  it('lists what each task gets of a sharing block and draws each gated block\'s mean gates as a heatmap', async (t) => {
    const spec = JSON.parse(await fs.readFile(path.join(ROOT, 'examples', 'mmoe-regression', 'mmoe-regression.mtl.json'), 'utf8')) as ReportInput['spec'];
    const gates = [{ layer: 'experts', columns: ['task1', 'task2'], experts: ['expert 0', 'expert 1', 'expert 2', 'expert 3'], weights: [[0.7, 0.1, 0.1, 0.1], [0.05, 0.05, 0.3, 0.6]], rows: 800 }];
    const data = input({ spec, summary: { ...summary(), gates }, baselineEpochs: {} });
    const { markdown } = renderReport(data);
    assert.deepEqual(tableRows(markdown, 'Parameters').filter((r) => r[0] === 'experts'), [
      ['experts', 'mmoe', '4 experts', 'task1, task2', '6,464'], // 4 x (100 x 16 + 16)
      ['experts', 'mmoe', 'gate 0', 'task1', '404'], // 100 x 4 + 4
      ['experts', 'mmoe', 'gate 1', 'task2', '404'],
    ]);
    assert.deepEqual(tableRows(markdown, 'Gates'), [['Task', 'expert 0', 'expert 1', 'expert 2', 'expert 3'], ['task1', '0.700', '0.100', '0.100', '0.100'], ['task2', '0.050', '0.050', '0.300', '0.600']]);
    const result = await writeAndParse(t, data);
    if (!result) return;
    const heatmap = result.svgs['charts/gates-experts.svg']!;
    assert.equal(heatmap.title, 'experts: gates');
    assert.ok(['0.70', '0.60', 'task2', 'expert 3'].every((s) => heatmap.texts.includes(s)));
  });

  it('says so when no baselines were trained', () => {
    const s = summary();
    delete s.baselines;
    const { markdown } = renderReport(input({ summary: s }));
    assert.match(markdown, /No single-task baselines/);
    assert.doesNotMatch(markdown, /Δm =/);
    assert.deepEqual(tableRows(markdown, 'Results').find((r) => r[0] === 'digit' && r[1] === 'loss'), ['digit', 'loss', '0.3', '—', '—']);
  });

  it('links loss and main-metric charts per task and the weight diagram, all well-formed SVG files', async (t) => {
    const result = await writeAndParse(t, input());
    if (!result) return;
    const { dir, markdown, svgs } = result;
    const links = [...markdown.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURIComponent(m[1] as string));
    for (const link of links) await fs.access(path.join(dir, link)); // every link resolves
    assert.deepEqual(links.sort(), Object.keys(svgs).sort());
    const titles = Object.values(svgs).map((s) => s.title);
    for (const title of ['digit: loss', 'digit: accuracy', 'parity: loss', 'parity: accuracy', 'total loss (unweighted sum of the task losses)']) {
      assert.ok(titles.includes(title), `chart "${title}" missing`);
    }
    const digitLoss = Object.values(svgs).find((s) => s.title === 'digit: loss') as ParsedSvg;
    assert.equal(digitLoss.root, '{http://www.w3.org/2000/svg}svg');
    assert.equal(digitLoss.polylines, 3); // train, validation, baseline validation
    assert.ok(digitLoss.texts.includes('single-task baseline, validation'));
    assert.deepEqual(await fs.readdir(dir).then((f) => f.filter((x) => x.includes('.tmp-'))), []);
  });

  it('draws shared blocks in another colour than task-specific ones, labelled with layer ids and parameter counts', async (t) => {
    const result = await writeAndParse(t, input());
    if (!result) return;
    const diagram = result.svgs[WEIGHT_DIAGRAM_FILE] as ParsedSvg;
    const byClass = (cls: string): ParsedSvg['blocks'] => diagram.blocks.filter((b) => b.cls === `block ${cls}`);
    const [shared] = byClass('shared');
    assert.ok(shared);
    assert.equal(shared.fill, SHARED_COLOR.fill);
    assert.ok(shared.texts.some((x) => x.startsWith('trunk1 · dense → [128]')));
    assert.ok(shared.texts.includes('100,480'));
    assert.ok(shared.texts.some((x) => x.startsWith('108,736 params · ')), 'the shared block\'s parameter line');
    const tasks = byClass('task-specific');
    assert.deepEqual(tasks.map((b) => b.tasks).sort(), ['digit', 'parity']);
    const parity = tasks.find((b) => b.tasks === 'parity');
    assert.equal(parity?.fill, taskColor(1).fill);
    assert.notEqual(parity?.fill, SHARED_COLOR.fill);
    assert.ok(parity?.texts.some((x) => x.startsWith('parityHidden')) && parity.texts.some((x) => x.startsWith('parityHead')));
    assert.ok(parity?.texts.some((x) => x.startsWith('1,057 params · ')), 'the parity block\'s parameter line');
    assert.equal(byClass('input').length, 1);
  });

  it('escapes hostile names in Markdown and SVG', async (t) => {
    const spec = digitsParitySpec('evil <script>alert(1)</script> | & ]]> \u0001 # name');
    const evilTask = 'a|b<i>&"\'';
    spec.tasks[0] = { ...spec.tasks[0] as (typeof spec.tasks)[0], id: evilTask };
    spec.model.outputs = { [evilTask]: 'digitHead', parity: 'parityHead' };
    const evilLayer = '<trunk & "1">';
    spec.model.layers = spec.model.layers.map((l) => (l.id === 'trunk1' ? { ...l, id: evilLayer } : l.id === 'trunk2' ? { ...l, from: [evilLayer] } : l));
    const s = summary();
    s.test = { [evilTask]: { accuracy: 0.9 }, parity: { accuracy: 0.95 } };
    delete s.baselines;
    s.parameters.perTask = { [evilTask]: 650, parity: 1057 };
    const points = epochPoints(2).map((p) => (p.task === 'digit' ? { ...p, task: evilTask } : p));
    const result = await writeAndParse(t, input({ spec, summary: s, epochs: points, baselineEpochs: {} }));
    if (!result) return;
    const { markdown, svgs } = result;
    assert.ok(!markdown.includes('<script>'));
    assert.ok(!markdown.includes('<i>'));
    const results = tableRows(markdown, 'Results');
    assert.ok(results.every((r) => r.length === 5), 'a pipe in a task id must not add table columns');
    const diagram = svgs[WEIGHT_DIAGRAM_FILE] as ParsedSvg;
    assert.ok(diagram.texts.some((x) => x.startsWith('<trunk & "1"> · dense')), 'the XML parser reads the original id back');
    assert.ok(Object.values(svgs).some((x) => x.title === `${evilTask}: loss`));
  });
});
