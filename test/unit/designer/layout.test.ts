import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ELK from 'elkjs/lib/elk.bundled.js';
import { columnLayout } from '../../../webview/designer/columnLayout';
import { autoLayout, chainsOf } from '../../../webview/designer/elkLayout';
import { canvasIds, groupBoxes, groupNodes, layoutInput, placeNodes, sizeOf, type Point } from '../../../webview/designer/layout';
import { buildModel, type DesignModel } from '../../../webview/designer/model';
import { chooseDirection, pictureDirection } from '../../../webview/designer/flowDirection';
import { canvasEdges, type Direction } from '../../../webview/designer/layout';
import { COMPACT_ZOOM, fitViewport, graphBounds, hiddenSides, inView, openingViewport, opensCompact, panToShow, READABLE_ZOOM } from '../../../webview/designer/viewport';
import { digitsParityText, largeModel, threeTasks } from './fixtures';

const elk = new ELK();
const digits = (): Record<string, unknown> => JSON.parse(digitsParityText) as Record<string, unknown>;
const auto = (model: DesignModel): Map<string, Point> => columnLayout(model, groupNodes(model));

function assertNoOverlap(positions: ReadonlyMap<string, Point>): void {
  const ids = [...positions.keys()];
  for (const a of ids) for (const b of ids) {
    if (a >= b) continue;
    const p = positions.get(a)!, q = positions.get(b)!, s = sizeOf(a), t = sizeOf(b);
    assert.ok(p.x + s.width <= q.x || q.x + t.width <= p.x || p.y + s.height <= q.y || q.y + t.height <= p.y, `${a} overlaps ${b}`);
  }
}

function assertReadsLeftToRight(model: DesignModel, positions: ReadonlyMap<string, Point>): void {
  for (const n of model.nodes) for (const s of n.from) assert.ok(positions.get(s)!.x < positions.get(n.id)!.x, `${s} left of ${n.id}`);
}

/** Top to bottom: every layer's inputs end above it (a card's whole height above). */
function assertReadsTopToBottom(model: DesignModel, positions: ReadonlyMap<string, Point>): void {
  for (const n of model.nodes) for (const s of n.from) assert.ok(positions.get(s)!.y + sizeOf(s).height < positions.get(n.id)!.y, `${s} above ${n.id}`);
}

describe('layout groups', () => {
  it('groups the shared trunk, a block shared by two tasks, each task\'s branch and unused layers', () => {
    const groups = groupNodes(buildModel(threeTasks(), []));
    assert.deepEqual(groups.map((g) => [g.label, g.members]), [
      ['Shared trunk · all 3 tasks', ['image', 'conv1', 'pool1', 'conv2', 'flat']],
      ['Shared by left, right', ['digits', 'drop']],
      ['left branch', ['leftHead', 'task:left']],
      ['right branch', ['rightHead', 'task:right']],
      ['sum branch', ['sumDense', 'sumHead', 'task:sum']],
      ['Not used by any task', ['orphan']],
    ]);
  });

  it('names the trunk of two tasks "both tasks" (not "all 2 tasks")', () => {
    const groups = groupNodes(buildModel(digits(), []));
    assert.deepEqual(groups.map((g) => g.label), ['Shared trunk · both tasks', 'digit branch', 'parity branch']);
  });

  it('names a shared group for what it holds: cross-stitch columns and mmoe experts are no shared trunk, a lone input is an input', () => {
    const example = (name: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.resolve('examples', name, `${name}.mtl.json`), 'utf8')) as Record<string, unknown>;
    const labels = (doc: Record<string, unknown>): string[] => groupNodes(buildModel(doc, [])).map((g) => g.label);
    assert.deepEqual(labels(example('cross-stitch-regression')), ['Cross-stitch columns · both tasks', 'task1 branch', 'task2 branch']);
    assert.deepEqual(labels(example('mmoe-regression')), ['Experts + task gates · both tasks', 'task1 branch', 'task2 branch']);
    // A dense trunk before the experts: both said, trunk first.
    const mmoe = example('mmoe-regression') as { model: { layers: Array<Record<string, unknown>> } };
    mmoe.model.layers.unshift({ id: 'trunk', type: 'dense', units: 8, from: ['x'] });
    (mmoe.model.layers.find((l) => l.id === 'experts')!).from = ['trunk'];
    assert.equal(labels(mmoe as unknown as Record<string, unknown>)[0], 'Shared trunk, experts + task gates · both tasks');
    // Parallel columns without cross-stitch units; each task's head reading the input itself.
    const columns = example('cross-stitch-regression') as { model: { layers: Array<Record<string, unknown>> } };
    columns.model.layers = columns.model.layers.filter((l) => l.type !== 'crossStitch' && l.id !== 'columns2');
    for (const l of columns.model.layers) if (l.type === 'select') l.from = ['columns1'];
    assert.equal(labels(columns as unknown as Record<string, unknown>)[0], 'Task columns · both tasks');
    const doc = digits() as { model: { layers: Array<Record<string, unknown>> } };
    doc.model.layers = doc.model.layers.filter((l) => l.id === 'digitHead' || l.id === 'parityHead');
    for (const l of doc.model.layers) l.from = ['image'];
    assert.equal(labels(doc as unknown as Record<string, unknown>)[0], 'Shared input · both tasks');
  });

  it('hands elk chains, not single layers, so a deep graph stays small for it', () => {
    const model = buildModel(threeTasks(), []);
    const chains = chainsOf(layoutInput(model));
    assert.deepEqual(chains, [
      ['image', 'conv1', 'pool1', 'conv2', 'flat'], ['digits', 'drop'], ['leftHead', 'task:left'], ['rightHead', 'task:right'],
      ['sumDense', 'sumHead', 'task:sum'], ['orphan'],
    ]);
    const big = buildModel(largeModel(100), []);
    assert.equal(chainsOf(layoutInput(big)).length, 5);
  });
});

describe('automatic layout', () => {
  for (const [name, engine] of [['columns (first frame)', async (m: DesignModel) => auto(m)], ['elk (Auto-layout)', (m: DesignModel) => autoLayout(elk, layoutInput(m))]] as const) {
    it(`${name}: the trunk before the branches, nothing overlaps, group boxes apart`, async () => {
      for (const doc of [threeTasks(), digits(), largeModel(100)]) {
        const model = buildModel(doc, []);
        const groups = groupNodes(model);
        const positions = await engine(model);
        assert.deepEqual([...positions.keys()].sort(), canvasIds(model).sort(), 'every node placed');
        assertReadsLeftToRight(model, positions);
        assertNoOverlap(positions);
        const boxes = groupBoxes(groups, positions);
        for (const a of boxes) for (const b of boxes) {
          if (a === b) continue;
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          assert.ok(apart, `${a.group.label} overlaps ${b.group.label}`);
        }
      }
    });
  }

  it('columns: the shared trunk sits between its branches, task lanes in task order', () => {
    const model = buildModel(digits(), []);
    const p = auto(model);
    assert.equal(p.get('image')!.y, p.get('trunk2')!.y, 'a chain is a row');
    assert.ok(p.get('digitHead')!.y < p.get('trunk2')!.y && p.get('trunk2')!.y < p.get('parityHead')!.y);
    const mid = (p.get('digitHead')!.y + p.get('parityHead')!.y) / 2;
    assert.ok(Math.abs(p.get('trunk2')!.y - mid) < 1, 'trunk centred on its branches');
    assert.ok(p.get('digitHead')!.x < p.get('task:digit')!.x);
  });

  it('columns: merges and several inputs get rows, a cycle still gets a place', () => {
    const doc = digits() as { model: { inputs: unknown[]; layers: Array<Record<string, unknown>> } };
    doc.model.inputs.push({ id: 'meta', shape: [4] });
    doc.model.layers.push({ id: 'metaDense', type: 'dense', units: 8, from: ['meta'] }, { id: 'both', type: 'concatenate', from: ['trunk1', 'metaDense'] });
    doc.model.layers[1]!.from = ['both'];
    doc.model.layers.push({ id: 'loopA', type: 'dense', units: 2, from: ['loopB'] }, { id: 'loopB', type: 'dense', units: 2, from: ['loopA'] });
    const model = buildModel(doc, []);
    const p = auto(model);
    assert.deepEqual([...p.keys()].sort(), canvasIds(model).sort());
    assertNoOverlap(p);
    assert.equal(p.get('image')!.x, p.get('meta')!.x, 'inputs in the first column');
    assert.ok(p.get('both')!.x > p.get('trunk1')!.x && p.get('both')!.x > p.get('metaDense')!.x);
  });

  it('columns: an empty model, or tasks without layers yet, lay out without fuss', () => {
    assert.equal(auto(buildModel({}, [])).size, 0);
    const tasksOnly = buildModel({ tasks: [{ id: 'a', kind: 'binary' }, { id: 'b', kind: 'binary' }], model: { inputs: [], layers: [], outputs: {} } }, []);
    const p = auto(tasksOnly);
    assert.deepEqual([...p.keys()], ['task:a', 'task:b']);
    assertNoOverlap(p);
    for (const q of p.values()) assert.ok(Number.isFinite(q.x) && Number.isFinite(q.y));
  });
});

describe('saved positions', () => {
  it('a layout naming every node is used as it is', () => {
    const model = buildModel(digits(), []);
    const layout = Object.fromEntries(canvasIds(model).map((id, i) => [id, { x: i * 10, y: -i }]));
    const placed = placeNodes(buildModel({ ...digits(), layout }, []), auto(model));
    for (const id of canvasIds(model)) assert.deepEqual(placed.get(id), layout[id]);
  });

  it('a partial layout keeps its position and the rest of the picture follows it', () => {
    const model = buildModel({ ...digits(), layout: { trunk1: { x: 0, y: 120 } } }, []);
    const a = auto(model);
    const placed = placeNodes(model, a);
    assert.deepEqual(placed.get('trunk1'), { x: 0, y: 120 });
    assertNoOverlap(placed);
    const dx = 0 - a.get('trunk1')!.x, dy = 120 - a.get('trunk1')!.y;
    for (const id of canvasIds(model)) assert.deepEqual(placed.get(id), { x: a.get(id)!.x + dx, y: a.get(id)!.y + dy }, id);
    assert.ok(placed.get('image')!.x < 0, 'the input stays left of trunk1');
  });

  it('a node added to an arranged graph goes where the automatic layout puts it next to its input, clear of the others', () => {
    const model = buildModel(digits(), []);
    const arranged = Object.fromEntries([...auto(model)].map(([id, p]) => [id, { x: p.x + 1000, y: p.y - 500 }]));
    arranged.trunk2 = { x: arranged.trunk2!.x + 40, y: arranged.trunk2!.y + 300 }; // moved by the user
    const doc = digits() as { model: { layers: unknown[] } };
    doc.model.layers.push({ id: 'extra', type: 'dense', units: 4, from: ['trunk2'] });
    const grown = buildModel({ ...doc, layout: arranged }, []);
    const a = auto(grown);
    const placed = placeNodes(grown, a);
    for (const [id, p] of Object.entries(arranged)) assert.deepEqual(placed.get(id), p, id);
    assert.ok(placed.get('extra')!.x > placed.get('trunk2')!.x, 'right of its input');
    const e = placed.get('extra')!;
    for (const [id, p] of placed) {
      if (id === 'extra') continue;
      const s = sizeOf(id);
      assert.ok(e.x + sizeOf('extra').width <= p.x || p.x + s.width <= e.x || e.y + sizeOf('extra').height <= p.y || p.y + s.height <= e.y, `extra overlaps ${id}`);
    }
  });

  it('nodes connected to no saved node follow the nearest saved one', () => {
    const doc = digits() as { model: { inputs: unknown[] } };
    doc.model.inputs.push({ id: 'loose', shape: [3] });
    const model = buildModel({ ...doc, layout: { trunk1: { x: 5000, y: 5000 } } }, []);
    const placed = placeNodes(model, auto(model));
    assert.ok(placed.get('loose')!.x > 4000 && placed.get('loose')!.y > 4000, 'with the rest of the graph');
    assertNoOverlap(placed);
  });
});

describe('first view', () => {
  it('frames the whole graph, never zoomed in past natural size', () => {
    const model = buildModel(digits(), []);
    const groups = groupNodes(model);
    const positions = placeNodes(model, auto(model));
    const bounds = graphBounds(positions, groups)!;
    for (const canvas of [{ width: 650, height: 500 }, { width: 1200, height: 700 }, { width: 3000, height: 2000 }]) {
      const v = fitViewport(bounds, canvas);
      assert.ok(v.zoom <= 1);
      assert.ok(v.x + bounds.x * v.zoom >= 0 && v.x + (bounds.x + bounds.width) * v.zoom <= canvas.width, `fits across ${canvas.width}`);
      assert.ok(v.y + bounds.y * v.zoom >= 0 && v.y + (bounds.y + bounds.height) * v.zoom <= canvas.height, `fits down ${canvas.height}`);
    }
    assert.equal(fitViewport(bounds, { width: 3000, height: 2000 }).zoom, 1, 'a small graph is not blown up');
    const big = buildModel(largeModel(100), []);
    const whole = graphBounds(placeNodes(big, auto(big)), groupNodes(big))!;
    const v = fitViewport(whole, { width: 1000, height: 700 });
    assert.ok(v.x + (whole.x + whole.width) * v.zoom <= 1000, 'a 100-layer graph is shown whole too');
  });
});

describe('top to bottom (narrow editors)', () => {
  for (const [name, engine] of [['columns', async (m: DesignModel) => columnLayout(m, groupNodes(m), canvasEdges(m), 'TB')], ['elk', (m: DesignModel) => autoLayout(elk, layoutInput(m, groupNodes(m), canvasEdges(m), 'TB'))]] as const) {
    it(`${name}: reads top to bottom, nothing overlaps, group boxes apart`, async () => {
      for (const doc of [threeTasks(), digits(), largeModel(100)]) {
        const model = buildModel(doc, []);
        const positions = await engine(model);
        assert.deepEqual([...positions.keys()].sort(), canvasIds(model).sort(), 'every node placed');
        assertReadsTopToBottom(model, positions);
        assertNoOverlap(positions);
        const boxes = groupBoxes(groupNodes(model), positions);
        for (const a of boxes) for (const b of boxes) {
          if (a === b) continue;
          assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, `${a.group.label} overlaps ${b.group.label}`);
        }
      }
    });
  }

  it('columns: the trunk sits above its branches, centred between them, task lanes left to right', () => {
    const model = buildModel(digits(), []);
    const p = columnLayout(model, groupNodes(model), canvasEdges(model), 'TB');
    assert.equal(p.get('image')!.x, p.get('trunk2')!.x, 'a chain is a column');
    assert.ok(p.get('digitHead')!.x < p.get('trunk2')!.x && p.get('trunk2')!.x < p.get('parityHead')!.x);
    assert.ok(Math.abs(p.get('trunk2')!.x - (p.get('digitHead')!.x + p.get('parityHead')!.x) / 2) < 1, 'trunk centred on its branches');
  });

  it('the direction: the one that frames the graph larger, left to right on a tie; a full saved layout keeps its own', () => {
    const model = buildModel(digits(), []);
    const groups = groupNodes(model), edges = canvasEdges(model);
    const placed = { LR: placeNodes(model, auto(model)), TB: placeNodes(model, columnLayout(model, groups, edges, 'TB')) };
    assert.equal(chooseDirection(model, placed, groups, edges, { width: 2400, height: 900 }), 'LR', 'wide: both whole at natural size');
    assert.equal(chooseDirection(model, placed, groups, edges, { width: 900, height: 800 }), 'TB', 'narrow');
    assert.equal(chooseDirection(model, placed, groups, edges, undefined), 'LR', 'size unknown yet');
    const layout = Object.fromEntries(canvasIds(model).map((id) => [id, placed.TB.get(id)!]));
    const saved = buildModel({ ...digits(), layout }, []);
    assert.equal(chooseDirection(saved, { LR: placeNodes(saved, auto(saved)), TB: placeNodes(saved, auto(saved)) }, groups, edges, { width: 2400, height: 900 }), 'TB');
    assert.equal(pictureDirection(placed.LR, edges), 'LR');
    // Chosen before for this canvas: an edit keeps it (the graph does not turn under the user).
    assert.equal(chooseDirection(model, placed, groups, edges, { width: 900, height: 800 }, 'LR'), 'LR', 'kept');
    assert.equal(chooseDirection(saved, { LR: placeNodes(saved, auto(saved)), TB: placeNodes(saved, auto(saved)) }, groups, edges, { width: 2400, height: 900 }, 'LR'), 'TB', 'a full saved layout reads as drawn');
  });
});

describe('opening view', () => {
  const view = (doc: Record<string, unknown> | ReturnType<typeof largeModel>, direction: Direction, canvas: { width: number; height: number }) => {
    const model = buildModel(doc, []);
    const groups = groupNodes(model);
    const positions = placeNodes(model, columnLayout(model, groups, canvasEdges(model), direction));
    const inputs = new Map(model.nodes.filter((n) => n.kind === 'input').map((n) => [n.id, positions.get(n.id)!]));
    const bounds = graphBounds(positions, groups)!;
    return { bounds, inputs: graphBounds(inputs, [])!, v: openingViewport(bounds, graphBounds(inputs, []), canvas, direction) };
  };

  it('a graph that fits at a readable zoom is framed whole, as "Fit view" frames it', () => {
    const canvas = { width: 900, height: 800 };
    const { bounds, v } = view(digits(), 'TB', canvas);
    assert.ok(v.zoom >= READABLE_ZOOM && v.zoom <= 1, `zoom ${v.zoom}`);
    assert.deepEqual(v, fitViewport(bounds, canvas));
    assert.ok(inView(bounds, v, canvas));
  });

  it('a larger graph opens at the readable zoom, its start at the margin and its inputs in sight (not shrunk to fit)', () => {
    const canvas = { width: 600, height: 500 };
    for (const direction of ['LR', 'TB'] as const) {
      const { bounds, inputs, v } = view(largeModel(100), direction, canvas);
      assert.equal(v.zoom, READABLE_ZOOM);
      assert.ok(fitViewport(bounds, canvas).zoom < READABLE_ZOOM, 'fitting would have shrunk it');
      assert.ok(!inView(bounds, v, canvas));
      assert.ok(inView(inputs, v, canvas), `${direction}: inputs in sight`);
      const start = direction === 'LR' ? v.x + bounds.x * v.zoom : v.y + bounds.y * v.zoom;
      assert.ok(start > 0 && start < 60, `${direction}: the graph starts at the margin (${start})`);
    }
  });

  it('a graph that fits only below READABLE_ZOOM, down to COMPACT_ZOOM, opens whole with compact cards; without them at READABLE_ZOOM', () => {
    // Compact cards' smallest text is 16 px (designer.css), 11 px on screen at 11 / 16 = 0.6875.
    assert.ok(Math.abs(COMPACT_ZOOM - 0.6875) < 1e-5, `COMPACT_ZOOM ${COMPACT_ZOOM}`);
    // digits-parity top to bottom: two branch boxes of 232 + 2 * 16 = 264 with 24 between them: 552 wide;
    // the trunk box 34 + 3 * 92 + 2 * 32 + 16 = 390, 24 between, a branch box 34 + 92 + 32 + 84 + 16 = 258: 672 high.
    // In a 900x700 panel the canvas is 497 x 570: (497 - 52 - 24) / 552 = 0.762681 across, (570 - 48) / 672 = 0.776786 down.
    const canvas = { width: 497, height: 570 };
    const model = buildModel(digits(), []);
    const groups = groupNodes(model);
    const positions = placeNodes(model, columnLayout(model, groups, canvasEdges(model), 'TB'));
    const bounds = graphBounds(positions, groups)!;
    assert.deepEqual([bounds.width, bounds.height], [552, 672]);
    const inputs = graphBounds(new Map([['image', positions.get('image')!]]), [])!;
    assert.equal(opensCompact(bounds, canvas), true);
    const v = openingViewport(bounds, inputs, canvas, 'TB', true);
    assert.ok(Math.abs(v.zoom - 0.762681) < 1e-5, `zoom ${v.zoom}`);
    assert.deepEqual(v, fitViewport(bounds, canvas));
    assert.ok(inView(bounds, v, canvas));
    // After an edit (no compact cards) the same canvas opens at READABLE_ZOOM, cut.
    assert.equal(openingViewport(bounds, inputs, canvas, 'TB').zoom, READABLE_ZOOM);
    // Fits at READABLE_ZOOM (900 x 800: (800 - 48) / 672 = 1.12): whole cards. Too low even for compact
    // ones (497 x 300: (300 - 48) / 672 = 0.375 < 0.6875): whole cards at READABLE_ZOOM.
    assert.equal(opensCompact(bounds, { width: 900, height: 800 }), false);
    assert.equal(opensCompact(bounds, { width: 497, height: 300 }), false);
    assert.equal(openingViewport(bounds, inputs, { width: 497, height: 300 }, 'TB', true).zoom, READABLE_ZOOM);
  });
});

describe('opening view clear of the zoom controls', () => {
  it('a tree a little wider than the canvas at the readable zoom starts at the left margin (not centred on its inputs, spilling under the zoom controls), its inputs in sight', () => {
    // digits-parity in a 900x700 panel: a canvas of 497 x 570 px, the controls 15-41 px from its left side.
    const canvas = { width: 497, height: 570 };
    const model = buildModel(digits(), []);
    const groups = groupNodes(model);
    const positions = placeNodes(model, columnLayout(model, groups, canvasEdges(model), 'TB'));
    const bounds = graphBounds(positions, groups)!;
    const inputs = graphBounds(new Map([['image', positions.get('image')!]]), [])!;
    const v = openingViewport(bounds, inputs, canvas, 'TB');
    assert.equal(v.zoom, READABLE_ZOOM);
    assert.ok(bounds.width * v.zoom > canvas.width - 52 - 24, 'wider than the canvas at the readable zoom');
    assert.ok(Math.abs(v.x + bounds.x * v.zoom - 52) < 1e-9, `the graph starts at x ${v.x + bounds.x * v.zoom}, not 52`);
    assert.ok(inView(inputs, v, canvas), 'the input in sight');
  });
});

describe('a card reached with Tab', () => {
  // The canvas from x 124 to 772, y 38 to 670 (the e2e run's); cards 232 x 92. Margins: 52 on the left (the zoom controls), 24 elsewhere.
  const pane = { left: 124, top: 38, right: 772, bottom: 670 };
  it('half under the palette: panned right until it clears the zoom controls (176 - 44 = 132 px)', () => {
    assert.deepEqual(panToShow({ left: 44, top: 308, right: 276, bottom: 400 }, pane), { x: 132, y: 0 });
  });
  it('past the right and the bottom sides: panned back by what sticks out plus the margin', () => {
    assert.deepEqual(panToShow({ left: 700, top: 600, right: 932, bottom: 692 }, pane), { x: 748 - 932, y: 646 - 692 });
  });
  it('wholly inside: not panned', () => {
    assert.deepEqual(panToShow({ left: 332, top: 188, right: 564, bottom: 280 }, pane), { x: 0, y: 0 });
  });
  it('wider than the canvas: its left side shown', () => {
    assert.deepEqual(panToShow({ left: 100, top: 100, right: 1000, bottom: 192 }, pane), { x: 76, y: 0 });
  });
});

describe('hiddenSides', () => {
  it('names each side of the canvas past which part of the graph lies', () => {
    const bounds = { x: 0, y: 0, width: 400, height: 1000 };
    const canvas = { width: 500, height: 600 };
    // At zoom 0.5 the graph is 200 x 500 on screen: placed at (10, 20) it fits.
    assert.deepEqual(hiddenSides(bounds, { x: 10, y: 20, zoom: 0.5 }, canvas), []);
    // At zoom 1 it is 400 x 1000: from (50, 24) its bottom is at 1024, past the canvas' 600.
    assert.deepEqual(hiddenSides(bounds, { x: 50, y: 24, zoom: 1 }, canvas), ['below']);
    // From (150, -30): 30 px above the top, and its right side at 550 past the canvas' 500.
    assert.deepEqual(hiddenSides(bounds, { x: 150, y: -30, zoom: 1 }, canvas), ['above', 'below', 'right']);
    assert.deepEqual(hiddenSides(bounds, { x: -1, y: 0, zoom: 0.5 }, canvas), ['left']);
    assert.equal(inView(bounds, { x: 10, y: 20, zoom: 0.5 }, canvas), true);
    assert.equal(inView(bounds, { x: 50, y: 24, zoom: 1 }, canvas), false);
  });
});
