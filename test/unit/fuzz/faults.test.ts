// The fault campaign's CI portion (test/fuzz/faults/): one case of each fault that broke a run
// before it was fixed, or that guards what a run folder promises (a kill, Ctrl+C), on a real
// `mts train`, at stages drawn from a fixed seed. `npm run faults` runs every fault from any seed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, test } from 'node:test';
import { caseLine, faultCampaign, faultsWorkDir } from '../../fuzz/faults/campaign';

/** Fixed, so a failure reproduces with `npm run faults -- --seed 20261201 --runs 6 --scenarios …`. */
const SEED = 20261201;
const SCENARIOS = ['run-folder-removed', 'metrics-replaced-by-folder', 'file-size-limit', 'trainer-sigkill', 'both-killed', 'ctrl-c'];

const workDir = faultsWorkDir('ci');
after(() => fs.rmSync(workDir, { recursive: true, force: true }));

test(`faults while mts train runs: nothing written is lost, no half run reads completed, every failure told (${SCENARIOS.length} cases)`, { timeout: 300_000 }, async () => {
  const cases = await faultCampaign({ seed: SEED, runs: SCENARIOS.length, scenarios: SCENARIOS, workDir });
  assert.deepEqual(cases.map((c) => c.scenario).sort(), [...SCENARIOS].sort(), 'each fault once');
  const failing = cases.filter((c) => c.findings.length);
  assert.equal(failing.length, 0, failing.map(caseLine).join('\n'));
});
