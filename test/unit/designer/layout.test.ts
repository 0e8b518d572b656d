import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ELK from 'elkjs/lib/elk.bundled.js';
import { autoLayout, chainsOf, groupBoxes, groupNodes, placeNodes, sizeOf } from '../../../webview/designer/layout';
import { buildModel } from '../../../webview/designer/model';
import { digitsParityText, largeModel, threeTasks } from './fixtures';

const elk = new ELK();

describe('layout groups', () => {
  it('groups the shared trunk, a block shared by two tasks, each task\'s branch and unused layers', () => {
    const groups = groupNodes(buildModel(threeTasks()));
    assert.deepEqual(groups.map((g) => [g.label, g.members]), [
      ['Shared trunk · all 3 tasks', ['image', 'conv1', 'pool1', 'conv2', 'flat']],
      ['Shared by left, right', ['digits', 'drop']],
      ['left branch', ['leftHead', 'task:left']],
      ['right branch', ['rightHead', 'task:right']],
      ['sum branch', ['sumDense', 'sumHead', 'task:sum']],
      ['Not used by any task', ['orphan']],
    ]);
  });

  it('hands elk chains, not single layers, so a deep graph stays small for it', () => {
    const model = buildModel(threeTasks());
    const chains = chainsOf(model, groupNodes(model));
    assert.deepEqual(chains, [
      ['image', 'conv1', 'pool1', 'conv2', 'flat'], ['digits', 'drop'], ['leftHead', 'task:left'], ['rightHead', 'task:right'],
      ['sumDense', 'sumHead', 'task:sum'], ['orphan'],
    ]);
    const big = buildModel(largeModel(100));
    assert.equal(chainsOf(big, groupNodes(big)).length, 5);
  });

  it('places the trunk before the branches and keeps group boxes apart', async () => {
    const model = buildModel(threeTasks());
    const groups = groupNodes(model);
    const positions = placeNodes(model, await autoLayout(elk, model, groups));
    for (const id of ['image', 'conv1', 'flat', 'digits', 'leftHead', 'task:left', 'sumHead', 'orphan']) assert.ok(positions.has(id), id);
    assert.ok(positions.get('flat')!.x < positions.get('digits')!.x);
    assert.ok(positions.get('drop')!.x < positions.get('leftHead')!.x);
    assert.ok(positions.get('leftHead')!.x < positions.get('task:left')!.x);
    const boxes = groupBoxes(groups, positions);
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `${a.group.label} overlaps ${b.group.label}`);
      }
    }
    // Nodes never overlap either.
    const ids = [...positions.keys()];
    for (const a of ids) for (const b of ids) {
      if (a >= b) continue;
      const p = positions.get(a)!, q = positions.get(b)!, s = sizeOf(a), t = sizeOf(b);
      assert.ok(p.x + s.width <= q.x || q.x + t.width <= p.x || p.y + s.height <= q.y || q.y + t.height <= p.y, `${a} overlaps ${b}`);
    }
  });

  it('uses saved positions over computed ones, and places new nodes next to their input until elk answers', () => {
    const doc = JSON.parse(digitsParityText) as Record<string, unknown>;
    doc.layout = { trunk1: { x: 500, y: 600 } };
    const model = buildModel(doc);
    const placed = placeNodes(model, new Map([['trunk1', { x: 0, y: 0 }], ['image', { x: 0, y: 0 }]]));
    assert.deepEqual(placed.get('trunk1'), { x: 500, y: 600 });
    assert.ok(placed.get('trunk2')!.x > 500, 'right of its input');
  });

  it('moves computed positions off saved ones when the layout names only some nodes', () => {
    const doc = JSON.parse(digitsParityText) as Record<string, unknown>;
    doc.layout = { trunk1: { x: 0, y: 120 } };
    const model = buildModel(doc);
    const placed = placeNodes(model, new Map([['image', { x: 20, y: 60 }], ['trunk2', { x: 300, y: 60 }]]));
    const image = placed.get('image')!;
    assert.ok(image.y >= 120 + sizeOf('trunk1').height, `image below trunk1, at ${image.y}`);
    assert.deepEqual(placed.get('trunk2'), { x: 300, y: 60 });
  });
});
