// run.json is the commit point of every write to a run folder: the trainer writes it last in
// each flush (after that epoch's metrics.jsonl lines) and when the run ends after summary.json.
// The host's run-folder panel rereads the folder only when run.json changes
// (src/host/training/runFolderPanels.ts), so this order is what keeps it from reading half
// an epoch. report.md is the one exception: it says "Status: completed", so it appears only
// after run.json does (the Runs view shows a report beside its run's status). Checked on a real
// folder with the kernel's own event order (inotify via fs.watch): the events seen when
// run.json's arrives must already include the files written before it, and not report.md.
import assert from 'node:assert/strict';
import fsSync, { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_FILES } from '../../../src/core/runLayout';
import { RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { digitsParitySpec, epochPoints, summary } from './fixtures';
import { tempDir } from '../../tempFolders';

/** Watches a run folder: the names changed so far (temporary files left out), and the names seen when run.json next changes. */
function watchFolder(dir: string) {
  const events: string[] = [];
  let waiting: ((before: string[]) => void) | undefined;
  const watcher = fsSync.watch(dir, (_type, name) => {
    if (!name || name.startsWith('.')) return;
    events.push(name);
    if (name === RUN_FILES.run && waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(events.slice(0, -1));
    }
  });
  return {
    events,
    nextRunJson: (): Promise<string[]> => new Promise((resolve) => { waiting = resolve; }),
    clear: () => { events.length = 0; },
    close: () => watcher.close(),
  };
}

/** fs.watch delivers events after the change: waits (bounded) until `name`'s has arrived. */
async function waitForEvent(events: readonly string[], name: string): Promise<void> {
  for (let i = 0; i < 200 && !events.includes(name); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(events.includes(name), `no event for ${name} (seen: ${events.join(', ')})`);
}

describe('run.json is written last', () => {
  it('after the metrics of each flush and after summary.json at the end; report.md after it', async () => {
    const runsDir = tempDir('runs');
    try {
      const run = await RunWriter.create({ runsDir, spec: digitsParitySpec(), backend: 'cpu' });
      const folder = watchFolder(run.runDir);
      try {
        const flushed = folder.nextRunJson();
        run.appendMetrics(epochPoints(1));
        await run.flush();
        assert.ok((await flushed).includes(RUN_FILES.metricsJsonl), 'metrics.jsonl is appended before run.json is touched');

        folder.clear();
        const completed = folder.nextRunJson();
        await run.complete({ summary: summary(run.runDir) });
        const before = await completed;
        for (const file of [RUN_FILES.summary, RUN_FILES.metricsCsv, RUN_FILES.charts]) {
          assert.ok(before.includes(file), `${file} is written before run.json says completed (seen: ${before.join(', ')})`);
        }
        assert.ok(!before.includes(RUN_FILES.report), `report.md ("Status: completed") is not in place before run.json says so (seen: ${before.join(', ')})`);
        // complete() has resolved: the report is in place, its rename seen after run.json's.
        assert.match(await fs.readFile(path.join(run.runDir, RUN_FILES.report), 'utf8'), /\*\*Status:\*\* completed/);
        await waitForEvent(folder.events, RUN_FILES.report);
        assert.ok(folder.events.indexOf(RUN_FILES.report) > folder.events.indexOf(RUN_FILES.run), `events: ${folder.events.join(', ')}`);
        assert.equal((JSON.parse(await fs.readFile(path.join(run.runDir, RUN_FILES.run), 'utf8')) as { status: string }).status, 'completed');
      } finally {
        folder.close();
      }
    } finally {
      await fs.rm(runsDir, { recursive: true, force: true });
    }
  });
});
