// The run writer's check that its run folder is still the one it made (folderIdentity.ts), on a
// system whose stat has no birth time: libuv then gives the change time as the birth time, and a
// folder's change time moves with every file renamed into it. The real case runs a run writer in
// a child whose statx calls fail ENOSYS (strace's fault injection, as Docker's seccomp filter
// before 18.04 made them fail), so libuv falls back to stat.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import { sameFolder, type FolderStat } from '../../../src/trainer/artifacts/folderIdentity';
import { RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { digitsParitySpec, epochPoints, summary } from './fixtures';

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
    it('the same folder: its birth time kept; or, without birth times, its change time given as one and moved by a write', () => {
      assert.ok(sameFolder(stat(7, 100, 100), stat(7, 100, 250)));
      assert.ok(sameFolder(stat(7, 100, 100), stat(7, 250, 250)), 'no birth time: libuv gives the change time, moved by a file renamed in');
    });

    it('another folder: gone, another inode, or its inode back with a birth time of its own that a write has moved on from', () => {
      assert.ok(!sameFolder(stat(7, 100, 100), undefined));
      assert.ok(!sameFolder(undefined, stat(7, 100, 100)));
      assert.ok(!sameFolder(stat(7, 100, 100), stat(8, 100, 250)));
      assert.ok(!sameFolder(stat(7, 100, 100), stat(7, 300, 350)));
    });

    it('a whole run completes where stat has no birth time (statx failing ENOSYS): never "removed or replaced"', { timeout: 60_000 }, (t) => {
      if (process.platform !== 'linux' || spawnSync('strace', ['-f', '-o', '/dev/null', '-e', 'trace=statx', '-e', 'inject=statx:error=ENOSYS', 'true']).status !== 0) {
        t.skip('needs strace with fault injection (Linux)');
        return;
      }
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-no-statx-'));
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
