// The variants a study makes from an experiment: the "where to branch" sweep, weightings and
// sharing architectures, each a valid experiment; and a located problem where one cannot be made.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import type { StudySpec } from '../../../src/core/study/studyTypes';
import { studyVariants } from '../../../src/core/study/variants';
import { validate } from '../../../src/core/validate';
import { exampleDoc } from '../trainer/helpers';

const experiment = (name: string) => exampleDoc(name) as unknown as ExperimentSpec;
const study = (variants: StudySpec['variants']): StudySpec => ({ name: 's', experiment: 'x.mtl.json', variants });
const errorsOf = (spec: ExperimentSpec | undefined) => validate(spec).problems.filter((p) => p.severity === 'error');

describe('study variants', () => {
  it('digits-parity: single-task, as designed, the split after trunk1, a weighting and each architecture, all valid experiments', () => {
    const plan = studyVariants(experiment('digits-parity'), study({ branchDepths: true, weighting: [{ method: 'pcgrad' }, { method: 'pcgrad', mode: 'representation' }], architectures: ['crossStitch', 'mmoe', 'ple'] }));
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.variants.map((v) => v.id), ['single-task', 'as-designed', 'branch-1', 'weighting-pcgrad', 'weighting-pcgrad-representation', 'arch-crossStitch', 'arch-mmoe', 'arch-ple']);
    assert.equal(plan.variants[0]!.spec, undefined, 'the single-task variant is the as-designed runs\' baselines');
    for (const v of plan.variants.slice(1)) assert.deepEqual(errorsOf(v.spec), [], v.id);
    assert.equal(plan.variants[2]!.label, 'Split after trunk1 (depth 1)');
    assert.equal(plan.variants[3]!.spec!.training.weighting?.method, 'pcgrad');
  });

  it('a split after depth 1 keeps trunk1 shared and gives each task its own copy of trunk2', () => {
    const branch = studyVariants(experiment('digits-parity'), study({ branchDepths: [1] })).variants.find((v) => v.id === 'branch-1')!.spec!;
    const g = analyzeGraph(branch);
    assert.deepEqual(g.serves.get('trunk1'), ['digit', 'parity']);
    assert.deepEqual(g.serves.get('trunk2_digit'), ['digit']);
    assert.deepEqual(g.serves.get('trunk2_parity'), ['parity']);
    assert.equal(g.nodes.has('trunk2'), false);
    assert.deepEqual(branch.model.layers.find((l) => l.id === 'digitHead')!.from, ['trunk2_digit']);
    assert.deepEqual(branch.model.layers.find((l) => l.id === 'trunk2_parity')!.from, ['trunk1']);
  });

  it('multimnist-cnn: depths count layers with weights (a pool stays with its convolution); MMoE reads the flattened features', () => {
    const plan = studyVariants(experiment('multimnist-cnn'), study({ branchDepths: true, architectures: ['mmoe', 'crossStitch'] }));
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.variants.filter((v) => v.kind === 'branch').map((v) => v.label), ['Split after conv1 (depth 1)', 'Split after conv2 (depth 2)']);
    const d1 = analyzeGraph(plan.variants.find((v) => v.id === 'branch-1')!.spec!);
    assert.deepEqual(d1.serves.get('pool1'), ['left', 'right'], 'pool1 has no weights: it stays shared with conv1');
    assert.ok(d1.nodes.has('conv2_left') && d1.nodes.has('shared_right'));
    const mmoe = plan.variants.find((v) => v.id === 'arch-mmoe')!.spec!;
    assert.deepEqual(errorsOf(mmoe), []);
    const block = mmoe.model.layers.find((l) => l.type === 'mmoe')!;
    assert.deepEqual(block, { id: 'experts', type: 'mmoe', experts: 4, units: 128, tasks: 2, activation: 'relu', from: ['flat'] });
    assert.ok(!mmoe.model.layers.some((l) => l.id === 'shared'), 'the dense trunk layer is replaced');
    assert.deepEqual(mmoe.model.layers.find((l) => l.id === 'leftHidden')!.from, ['left_column']);
    const stitch = plan.variants.find((v) => v.id === 'arch-crossStitch')!.spec!;
    assert.deepEqual(stitch.model.layers.filter((l) => l.type === 'parallelDense' || l.type === 'crossStitch').map((l) => l.type), ['parallelDense', 'crossStitch']);
    assert.deepEqual(errorsOf(stitch), []);
  });

  it('says at the study\'s path when a variant cannot be made from this experiment', () => {
    const depthTooDeep = studyVariants(experiment('digits-parity'), study({ branchDepths: [1, 2] })).problems;
    assert.deepEqual(depthTooDeep.map((p) => p.path), [['variants', 'branchDepths', 1]]);
    assert.match(depthTooDeep[0]!.message, /Depth 2: "digits-parity" its shared trunk has layers with weights at depths 1\.\.2, so a split is possible after depth 1 \(depth 2 is the network as designed\)/);

    const blocks = studyVariants(experiment('mmoe-regression'), study({ branchDepths: true, architectures: ['ple'] })).problems;
    assert.deepEqual(blocks.map((p) => [p.path, p.severity]), [[['variants', 'branchDepths'], 'error'], [['variants', 'architectures', 0], 'error']]);
    assert.match(blocks[0]!.message, /shares through the mmoe layer "experts"/);
    assert.match(blocks[1]!.message, /PLE\/CGC .* cannot be made from "mmoe-regression": it already shares through the mmoe layer "experts"/);

    const oneTask = experiment('digits-parity');
    const noTrunk: ExperimentSpec = { ...oneTask, model: { ...oneTask.model, layers: oneTask.model.layers.map((l) => (l.id === 'parityHead' ? { ...l, from: ['image'] } : l)) } };
    const none = studyVariants(noTrunk, study({ branchDepths: true, architectures: ['mmoe'] })).problems;
    assert.deepEqual(none.map((p) => [p.path, p.severity]), [[['variants', 'branchDepths'], 'warning'], [['variants', 'architectures', 0], 'error']]);
    assert.match(none[0]!.message, /no shared layer with weights/);
    assert.match(none[1]!.message, /no shared trunk to replace/);
  });
});
