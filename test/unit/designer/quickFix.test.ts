// The input-shape quick fix as the designer sees it: the host's snapshot checks the inputs
// against the features a data summary counted (while the data settings are unchanged), and the
// fix is a designer edit that touches only the shape in the text.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dataSettingsKey } from '../../../src/core/dataSummary';
import { applyOpsToText, minimalReplace } from '../../../src/core/edits';
import { snapshotOf, type DataContext } from '../../../src/host/designer/snapshot';
import { applyFix } from '../../../webview/designer/operations';
import { ROOT } from '../../repoRoot';

const text = fs.readFileSync(path.join(ROOT, 'test', 'e2e', 'fixtures', 'shape-mismatch', 'wine.mtl.json'), 'utf8');
const shapeProblems = (t: string, features?: DataContext) => {
  const s = snapshotOf(t, 1, { data: features });
  assert.ok(s.ok);
  return s.problems.filter((p) => p.path.join('.') === 'model.inputs.0.shape');
};

describe('the input shape quick fix in the designer', () => {
  const counted = { key: dataSettingsKey(JSON.parse(text)), facts: { featureShape: [13] } };

  it('a snapshot shows the mismatch once the data\'s features are counted, for those data settings only', () => {
    assert.equal(shapeProblems(text).length, 0, 'a csv is not counted by validate alone');
    const [p] = shapeProblems(text, counted);
    assert.equal(p!.message, 'Input "x" is [5], the data gives 13 features per example: set [13].');
    const otherData = text.replace('"wine.csv"', '"other.csv"');
    assert.equal(shapeProblems(otherData, counted).length, 0, 'a count for other data settings is stale');
  });

  it('the fix is one edit of the shape only, after which the problem is gone', () => {
    const [p] = shapeProblems(text, counted);
    const edit = applyFix(p!.fix!);
    assert.equal(edit.label, 'Set shape to [13]');
    const after = applyOpsToText(text, edit.ops);
    const r = minimalReplace(text, after);
    assert.equal(text.slice(r.start, r.end), '5');
    assert.equal(r.text, '13');
    assert.equal(shapeProblems(after, counted).length, 0);
  });
});
