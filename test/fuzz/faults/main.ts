// `npm run faults [-- --runs N] [--seed N] [--scenarios a,b]`
// Faults while a real `mts train` runs (test/fuzz/faults/scenarios.ts: the trainer killed or
// crashing, Ctrl+C, the run folder removed or a file of it replaced, a file size limit, a full
// or read-only disk (root: a tmpfs), two runs at once, the experiment file or the data changed
// mid-run), each at a stage drawn from the seed, each held to oracle.ts. Prints a line per case;
// exit 1 when any case has findings (their workspaces are kept in the temp folder), 2 on a usage error.
import fs from 'node:fs';
import { campaignMain, type CampaignCli } from '../campaignArgs';
import { caseLine, faultCampaign, faultsWorkDir, scenarioNames } from './campaign';

const cli: CampaignCli<{ runs: number; seed: number; scenarios?: string[] }> = {
  tool: 'faults',
  usage: `usage: npm run faults -- [--runs N] [--seed N] [--scenarios ${scenarioNames().join(',')}]`,
  options: ['runs', 'seed', 'scenarios'],
  settings: (a) => {
    const scenarios = a.list('scenarios', scenarioNames(), 'scenario');
    return { runs: a.count('runs', 2 * scenarioNames().length), seed: a.count('seed', Date.now() % 1_000_000), ...(scenarios ? { scenarios } : {}) };
  },
};

async function main(args: ReturnType<typeof cli.settings>): Promise<number> {
  const workDir = faultsWorkDir(`s${args.seed}`);
  console.log(`${args.runs} cases, seed ${args.seed} (again: npm run faults -- --seed ${args.seed} --runs ${args.runs}${args.scenarios ? ` --scenarios ${args.scenarios.join(',')}` : ''})`);
  const started = Date.now();
  const cases = await faultCampaign({ ...args, workDir, keepFailing: true, onCase: (c) => console.log(caseLine(c)) });
  const failing = cases.filter((c) => c.findings.length);
  const skipped = cases.filter((c) => c.skipped).length;
  console.log(`${cases.length - skipped} cases run${skipped ? `, ${skipped} skipped` : ''}, ${failing.length} with findings, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (!failing.length) fs.rmSync(workDir, { recursive: true, force: true });
  return failing.length ? 1 : 0;
}

campaignMain(cli, main);
