// One colour scheme everywhere (core/taskColors): the designer, the training panel, the
// diagram webview and the report's SVGs give task k the same chart colour, in spec.tasks
// order even when model.outputs lists the tasks in another order; "shared" never takes a
// colour that also means a task.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tasksOf } from '../../../src/core/runsIndex';
import { sharingDiagram } from '../../../src/core/sharingBlocks';
import type { ExperimentSpec } from '../../../src/core/spec';
import {
  chartColorVar, LIGHT_THEME_HEX, NEUTRAL_HEX, NEUTRAL_VAR, TASK_COLOR_NAMES, taskColorHex, taskColorName, taskColorVar,
} from '../../../src/core/taskColors';
import { renderReport } from '../../../src/trainer/artifacts/report';
import { sharedWeightDiagramSvg } from '../../../src/trainer/artifacts/weightDiagram';
import { buildModel } from '../../../webview/designer/model';
import { blockColors } from '../../../webview/diagram/blockColors';
import { modelCharts, taskCharts } from '../../../webview/training/charts';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { baselinePhase, phaseKey, SHARED_PHASE_KEY } from '../../../src/core/phase';
import { WHOLE_MODEL, type MetricPoint } from '../../../src/core/protocol';
import { digitsParitySpec, summary } from '../artifacts/fixtures';

/** Three tasks declared x, y, z, listed z, x, y in model.outputs; x and y share a layer beyond the trunk. */
function spec(): ExperimentSpec {
  const base = digitsParitySpec('colours');
  return {
    ...base,
    tasks: [
      { id: 'x', kind: 'binary', target: 'x' },
      { id: 'y', kind: 'regression', target: 'y' },
      { id: 'z', kind: 'multiclass', target: 'z', classes: 3 },
    ],
    model: {
      inputs: [{ id: 'in', shape: [8] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 16, activation: 'relu', from: ['in'] },
        { id: 'xy', type: 'dense', units: 8, activation: 'relu', from: ['trunk'] },
        { id: 'xHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['xy'] },
        { id: 'yHead', type: 'dense', units: 1, from: ['xy'] },
        { id: 'zHead', type: 'dense', units: 3, activation: 'softmax', from: ['trunk'] },
      ],
      outputs: { z: 'zHead', x: 'xHead', y: 'yHead' },
    },
  };
}

/** Two epochs of loss per task, train and validation. */
function lossPoints(s: ExperimentSpec): MetricPoint[] {
  const splits = ['train', 'validation'] as const;
  return s.tasks.flatMap((t) => [1, 2].flatMap((epoch) => splits.map((split): MetricPoint => ({ step: epoch * 10, epoch, split, task: t.id, metric: 'loss', value: 1 / epoch }))));
}

/** A training panel view of the spec's run: header plus a point on every curve of every task. */
function trainingView(s: ExperimentSpec): RunView {
  const view = new RunView();
  view.header = {
    experiment: s.name, tasks: tasksOf(s), totalEpochs: 1, weighting: 'equal', live: false,
    phases: [{ kind: 'shared' }, ...s.tasks.map((t) => ({ kind: 'baseline' as const, task: t.id }))],
  };
  const point = () => ({ x: [1], y: [0.5], version: 1 });
  for (const t of s.tasks) {
    for (const split of ['train', 'validation'] as const) {
      view.series.set(seriesKey(SHARED_PHASE_KEY, t.id, 'loss', split), point());
      view.series.set(seriesKey(phaseKey(baselinePhase(t.id)), t.id, 'loss', split), point());
    }
  }
  view.series.set(seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'loss', 'validation'), point());
  view.series.set(seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'lr', 'train'), point());
  return view;
}

/** Attributes of the SVG element `<tag … class="cls" …>` that also has data-tasks=`tasks`. */
function svgBlock(svg: string, kind: string, tasks: string): { stroke: string; bar: string[] } {
  const m = new RegExp(`<g class="block ${kind}" data-tasks="${tasks}">([\\s\\S]*?)</g>`).exec(svg);
  assert.ok(m, `block ${kind} ${tasks}`);
  return {
    stroke: /<rect [^>]*stroke="([^"]*)"/.exec(m[1]!)?.[1] ?? '',
    bar: [...m[1]!.matchAll(/<rect class="task-bar"[^>]*fill="([^"]*)"/g)].map((b) => b[1]!),
  };
}

describe('task colours (one scheme for every view)', () => {
  it('gives task k the same chart colour in the designer, the training panel, the diagram and the report', () => {
    const s = spec();
    const designer = buildModel(s, []);
    const view = trainingView(s);
    const training = taskCharts(view, {});
    const diagram = sharingDiagram(s);
    const svg = sharedWeightDiagramSvg(s);
    const points = lossPoints(s);
    const report = renderReport({
      spec: s, summary: summary('/ws/runs/colours/1'), epochs: points,
      baselineEpochs: Object.fromEntries(s.tasks.map((t) => [t.id, points.filter((p) => p.task === t.id)])),
    });
    s.tasks.forEach((t, k) => {
      const name = taskColorName(k);
      assert.equal(designer.taskById.get(t.id)?.color, chartColorVar(name), `designer: ${t.id}`);
      const charts = training.find((c) => c.task === t.id)!;
      assert.equal(charts.color, name, `training: ${t.id}`);
      const series = charts.charts.flatMap((c) => c.series);
      assert.equal(series.length, 4, `training: ${t.id} has shared and baseline curves`);
      assert.deepEqual(new Set(series.map((x) => x.color)), new Set([name]), `training: every curve of ${t.id}`);
      const block = diagram.blocks.find((b) => b.kind === 'task' && b.tasks[0] === t.id)!;
      assert.equal(blockColors(block, diagram.tasks).main, chartColorVar(name), `diagram: ${t.id}`);
      assert.equal(svgBlock(svg, 'task-specific', t.id).stroke, LIGHT_THEME_HEX[name], `report diagram: ${t.id}`);
      const lossChart = report.files.find((f) => f.content.includes(`<title>${t.id}: loss</title>`))!.content;
      assert.deepEqual(new Set([...lossChart.matchAll(/<polyline [^>]*stroke="([^"]*)"/g)].map((p) => p[1])), new Set([taskColorHex(k)]), `report curves: ${t.id}`);
    });
  });

  it('draws shared weights neutral with their tasks\' colours, never in a colour of its own', () => {
    const s = spec();
    const diagram = sharingDiagram(s);
    const shared = diagram.blocks.find((b) => b.kind === 'shared' && b.tasks.join() === 'x,y')!;
    const colors = blockColors(shared, diagram.tasks);
    assert.equal(colors.main, NEUTRAL_VAR);
    assert.deepEqual(colors.tasks, [taskColorVar(0), taskColorVar(1)]);
    assert.ok(!TASK_COLOR_NAMES.map(chartColorVar).includes(colors.fill), 'a shared bar is striped, not one task\'s colour');

    const svg = sharedWeightDiagramSvg(s);
    const all = svgBlock(svg, 'shared', 'x,y,z');
    assert.equal(all.stroke, NEUTRAL_HEX);
    assert.deepEqual(all.bar, [taskColorHex(0), taskColorHex(1), taskColorHex(2)]);
    assert.deepEqual(svgBlock(svg, 'shared', 'x,y').bar, [taskColorHex(0), taskColorHex(1)]);
    assert.ok(!Object.values(LIGHT_THEME_HEX).slice(1).includes(all.stroke));

    // The training panel: the whole model's curves are neutral; the variant is the line style.
    const view = trainingView(s);
    assert.deepEqual(modelCharts(view).flatMap((c) => c.series.map((x) => x.color)), ['neutral', 'neutral']);
    const xLoss = taskCharts(view, {})[0]!.charts[0]!.series;
    assert.deepEqual(xLoss.map((x) => x.variant), ['shared', 'shared', 'baseline', 'baseline']);
  });

  it('has six distinct colours, repeating after the sixth task', () => {
    assert.equal(new Set(TASK_COLOR_NAMES.map((_, k) => taskColorHex(k))).size, 6);
    assert.equal(taskColorName(6), taskColorName(0));
    assert.ok(!TASK_COLOR_NAMES.map((_, k) => taskColorHex(k)).includes(NEUTRAL_HEX));
  });
});
