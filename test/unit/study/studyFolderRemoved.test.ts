// A study folder removed from outside while the study runs (between two of its runs) stays
// removed: the study stops with one line that says so, and nothing makes the folder again to fill
// it with later runs (a half study that would read as the study). Trained for real, in seconds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import { withDefaults } from '../../../src/core/defaults';
import type { ExperimentSpec } from '../../../src/core/spec';
import { RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { runStudy } from '../../../src/trainer/study/runStudy';
import { tempDir } from '../trainer/helpers';
import { tinyExperiment } from './fixtures';

/** Two trained runs (as designed, then DWA) of one seed, one epoch each. */
const study = { name: 'tiny', experiment: 'tiny.mtl.json', repeats: 1, variants: { weighting: [{ method: 'dwa' }] } };

type Progress = Extract<FromTrainer, { type: 'studyProgress' }>;

/** Runs the study and removes its folder at the first progress `when` picks; the messages after. */
async function removedWhen(when: (p: Progress) => boolean) {
  const runsDir = tempDir('study-removed');
  const messages: FromTrainer[] = [];
  let removed: string | undefined;
  const outcome = await runStudy({
    doc: study, studyPath: path.join(runsDir, 'tiny.mtl-study.json'), experimentDoc: tinyExperiment(300, 1), experimentPath: 'tiny.mtl.json',
    workspaceDir: runsDir, runsDir, backend: 'tensorflow', cancelled: () => false,
    emit: (m) => {
      messages.push(m);
      if (m.type === 'studyProgress' && !removed && when(m)) {
        removed = m.studyDir;
        fs.rmSync(m.studyDir, { recursive: true });
      }
    },
  });
  assert.ok(removed, 'the folder was removed');
  return { outcome, messages, studyDir: removed };
}

const statusOf = (p: Progress, variant: string) => p.result.variants.find((v) => v.variant.id === variant)?.runs[0]?.status;

describe('a study folder removed while the study runs', { timeout: 120_000 }, () => {
  for (const [stage, when] of [
    ['as its first run has just completed', (p: Progress) => statusOf(p, 'as-designed') === 'completed'],
    ['as its second run starts', (p: Progress) => statusOf(p, 'weighting-dwa') === 'running'],
  ] as const) {
    it(`${stage}: the study stops with one line, and the folder is not made again`, async () => {
      const { outcome, messages, studyDir } = await removedWhen(when);
      assert.equal(outcome, 'failed');
      assert.ok(!fs.existsSync(studyDir), `${studyDir} came back: ${fs.existsSync(studyDir) ? fs.readdirSync(studyDir).join(', ') : ''}`);
      const errors = messages.filter((m) => m.type === 'error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      const error = errors[0]!;
      assert.ok(error.type === 'error');
      assert.match(error.message, /^the study stopped: the study folder .*study-[^ ]+ was removed or replaced while the study ran/);
      assert.ok(!error.message.includes('\n') && error.detail === undefined, 'one line, no stack');
      const started = messages.filter((m) => m.type === 'started').map((m) => m.type === 'started' ? path.basename(m.runDir) : '');
      assert.deepEqual([...new Set(started)], ['as-designed-r0'], 'no run after the removal');
    });
  }

  it('a study run whose study folder is gone is not made (its parent is never made again)', async () => {
    const runsDir = tempDir('study-run-parent');
    const studyDir = path.join(runsDir, 'tiny-study', 'study-gone');
    const spec = withDefaults(tinyExperiment() as ExperimentSpec);
    await assert.rejects(RunWriter.create({ runsDir, spec, backend: 'tensorflow', versions: {}, runDir: path.join(studyDir, 'as-designed-r0') }), /ENOENT|removed/);
    assert.ok(!fs.existsSync(studyDir));
  });
});
