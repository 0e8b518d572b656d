// The run writer's check that its run folder is still the one it made (folderIdentity.ts), on a
// system whose stat has no birth time: libuv then gives the change time as the birth time, and a
// folder's change time moves with every file renamed into it. The real case runs a run writer in
// a child whose statx calls fail ENOSYS (strace's fault injection, as Docker's seccomp filter
// before 18.04 made them fail), so libuv falls back to stat.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import { FolderIdentity, type FolderStat } from '../../../src/trainer/artifacts/folderIdentity';
import { RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { digitsParitySpec, epochPoints, summary } from './fixtures';
import { tempDir } from '../../tempFolders';

if (process.env.MTS_NO_STATX_RUNS) {
  // The child: a whole run (two metric flushes, then complete), and whether stat had a birth time.
  void (async () => {
    const probe = fs.mkdtempSync(path.join(process.env.MTS_NO_STATX_RUNS!, 'probe-'));
    const before = fs.statSync(probe, { bigint: true });
    fs.writeFileSync(path.join(probe, 'a'), 'a');
    const after = fs.statSync(probe, { bigint: true });
    const birthIsChangeTime = before.birthtimeNs === before.ctimeNs && after.birthtimeNs === after.ctimeNs && after.ctimeNs !== before.ctimeNs;
    // A pause longer than the file system clock's grain (a jiffy, at most 10 ms) before each
    // write, so that the write moves the run folder's change time, as it does in a real run.
    const tick = () => new Promise((resolve) => setTimeout(resolve, 30));
    let error = '';
    let runDir = '';
    let birthMoved = false;
    try {
      const run = await RunWriter.create({ runsDir: path.join(process.env.MTS_NO_STATX_RUNS!, 'runs'), spec: digitsParitySpec(), backend: 'cpu' });
      runDir = run.runDir;
      const born = fs.statSync(runDir, { bigint: true }).birthtimeNs;
      for (const epoch of [1, 2]) {
        await tick();
        run.appendMetrics(epochPoints(epoch));
        await run.flush();
      }
      birthMoved = fs.statSync(runDir, { bigint: true }).birthtimeNs !== born;
      await tick();
      await run.complete({ summary: summary(run.runDir) });
    } catch (err) {
      error = String(err);
    }
    process.stdout.write(JSON.stringify({ birthIsChangeTime, birthMoved, runDir, error }));
  })();
} else {
  const stat = (ino: number, birth: number, ctime: number): FolderStat => ({ dev: 1n, ino: BigInt(ino), birthtimeNs: BigInt(birth), ctimeNs: BigInt(ctime) });

  describe('run folder identity', () => {
    it('without birth times (libuv gives the change time, moved by each file renamed in): the same folder', () => {
      const id = FolderIdentity.from(stat(7, 100, 100), stat(3, 50, 50));
      assert.ok(id.holds(stat(7, 250, 250)));
      assert.ok(id.holds(stat(7, 400, 400)));
    });

    it('with birth times (the parent\'s differs from its change time): a folder at the path with the inode back is another, touched or not', () => {
      const id = FolderIdentity.from(stat(7, 100, 100), stat(3, 50, 100));
      assert.ok(id.holds(stat(7, 100, 250)));
      assert.ok(!id.holds(stat(7, 300, 300)));
      assert.ok(!id.holds(stat(7, 300, 350)));
    });

    it('a parent as new as the run folder (an experiment\'s first run): birth times count once the folder has shown one apart from its change time', () => {
      const untold = FolderIdentity.from(stat(7, 100, 100), stat(3, 100, 100));
      assert.ok(!untold.holds(stat(7, 300, 350)), 'a replacement written in since its birth');
      assert.ok(untold.holds(stat(7, 300, 300)), 'the miss said in folderIdentity.ts: untouched, before any stat showed a birth time');
      const told = FolderIdentity.from(stat(7, 100, 100), stat(3, 100, 100));
      assert.ok(told.holds(stat(7, 100, 250)));
      assert.ok(!told.holds(stat(7, 300, 300)));
    });

    it('gone, or another inode: another folder', () => {
      const id = FolderIdentity.from(stat(7, 100, 100), stat(3, 50, 50));
      assert.ok(!id.holds(undefined));
      assert.ok(!id.holds(stat(8, 100, 250)));
      assert.ok(!FolderIdentity.from(undefined, stat(3, 50, 50)).holds(stat(7, 100, 100)));
    });

    it('a run folder removed and made again at its path (ext4 gives it the inode back): nothing is written into the new one', async () => {
      const runs = tempDir('remade');
      try {
        // A second run: its experiment's folder is older than it, as the Runs view shows most runs.
        const first = await RunWriter.create({ runsDir: runs, spec: digitsParitySpec(), backend: 'cpu' });
        await first.markCancelled();
        const run = await RunWriter.create({ runsDir: runs, spec: digitsParitySpec(), backend: 'cpu' });
        // Removed and made again: on ext4 the new folder mostly has the old one's inode, untouched since its birth.
        fs.rmSync(run.runDir, { recursive: true });
        fs.mkdirSync(run.runDir);
        run.appendMetrics(epochPoints(1));
        await assert.rejects(run.flush(), /was removed or replaced/);
        assert.deepEqual(fs.readdirSync(run.runDir), []);
      } finally {
        fs.rmSync(runs, { recursive: true, force: true });
      }
    });

    it('a whole run completes where stat has no birth time (statx failing ENOSYS): never "removed or replaced"', { timeout: 60_000 }, (t) => {
      if (process.platform !== 'linux' || spawnSync('strace', ['-f', '-o', '/dev/null', '-e', 'trace=statx', '-e', 'inject=statx:error=ENOSYS', 'true']).status !== 0) {
        t.skip('needs strace with fault injection (Linux)');
        return;
      }
      const dir = tempDir('no-statx');
      try {
        const child = spawnSync('strace', ['-f', '-o', '/dev/null', '-e', 'trace=statx', '-e', 'inject=statx:error=ENOSYS', process.execPath, __filename],
          { env: { ...process.env, MTS_NO_STATX_RUNS: dir }, encoding: 'utf8' });
        assert.equal(child.status, 0, child.stderr);
        const out = JSON.parse(child.stdout) as { birthIsChangeTime: boolean; birthMoved: boolean; runDir: string; error: string };
        assert.ok(out.birthIsChangeTime, 'the child\'s stat gives the change time as the birth time');
        assert.equal(out.error, '');
        assert.ok(out.birthMoved, 'the run folder\'s "birth time" moved with its writes');
        assert.equal((JSON.parse(fs.readFileSync(path.join(out.runDir, RUN_FILES.run), 'utf8')) as RunRecord).status, 'completed');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
