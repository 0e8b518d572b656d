// Runs `mts export` (dist/cli.js) in a child on VS Code's own runtime: the export reads data and
// weights with the trainer's code, which the host never imports. No vscode import, so tests
// run it exactly as the command does. Bytes from the child on its IPC channel that are not a
// message (node/channelGuard.ts) would throw in the extension host: they end the export instead,
// with one line, the files it said it wrote kept. Cancelled (the notification's Cancel), the
// exporter is sent the trainer's { type: 'cancel' }: it stops at its next checkpoint as on one
// Ctrl+C, removes what it staged and exits 130, the earlier export in the folder kept. One that
// has not stopped after a grace period is killed; the next export into the folder sweeps what it
// left (replaceFolder.ts). A message, not child.disconnect(): once the parent has disconnected,
// Node never emits the child's 'close' (nodejs/node#19433), and the export never ended.
import { fork } from 'node:child_process';
import type { ToTrainer } from '../../core/protocol';
import { channelFaultMessage, guardChannel } from '../../node/channelGuard';

export type ExportFormat = 'keras' | 'notebook' | 'onnx';

export interface ExportJob {
  /** dist/cli.js of the extension. */
  cliScript: string;
  nodePath?: string;
  /** An experiment file or a run folder. */
  source: string;
  to: ExportFormat;
  outDir: string;
  /** Where the experiment's data paths start (the experiment file's folder). */
  workspaceDir: string;
  /** The child is killed after this long; default 10 minutes (a large data set is written out). */
  timeoutMs?: number;
  /** Aborted (Cancel): the exporter is asked to stop; the outcome is then `cancelled`. */
  signal?: AbortSignal;
  /** How long the exporter has to stop once asked before it is killed; default 10 s. */
  stopGraceMs?: number;
}

/** `cancelled`: stopped when asked; `message` then begins with "cancelled" (the command says "Export cancelled…"). */
export interface ExportOutcome { ok: boolean; files: string[]; message: string; notes?: string[]; cancelled?: boolean }

/** `mts export`'s exit code when it stopped because it was asked to (Ctrl+C, or the cancel message). */
const CANCELLED_EXIT = 130;
const CANCEL: ToTrainer = { type: 'cancel' };

const unchanged = (outDir: string): ExportOutcome => ({ ok: false, cancelled: true, files: [], message: `cancelled; ${outDir} unchanged` });

export function runExport(job: ExportJob): Promise<ExportOutcome> {
  // Cancelled before it started: nothing to stop, nothing written.
  if (job.signal?.aborted) return Promise.resolve(unchanged(job.outDir));
  return new Promise((resolve) => {
    const child = fork(job.cliScript, ['export', job.source, '--to', job.to, '--out', job.outDir, '--workspace', job.workspaceDir], {
      execPath: job.nodePath || process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: '2' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let out = '', err = '';
    child.stdout?.on('data', (d: Buffer) => { out += d.toString('utf8'); });
    child.stderr?.on('data', (d: Buffer) => { err += d.toString('utf8'); });
    const timer = setTimeout(() => child.kill('SIGKILL'), job.timeoutMs ?? 600_000);
    const graceMs = job.stopGraceMs ?? 10_000;
    let stopTimer: NodeJS.Timeout | undefined;
    let killedAfterStop = false;
    const stop = () => {
      // With a callback, a channel the exporter has just closed (it is exiting) is no 'error' event.
      if (child.connected) child.send(CANCEL, () => undefined);
      stopTimer = setTimeout(() => {
        killedAfterStop = true;
        child.kill('SIGKILL');
      }, graceMs);
    };
    job.signal?.addEventListener('abort', stop, { once: true });
    const settle = () => {
      clearTimeout(timer);
      clearTimeout(stopTimer);
      job.signal?.removeEventListener('abort', stop);
    };
    let fault: string | undefined;
    guardChannel(child, (e) => {
      fault = channelFaultMessage(e, 'the exporter', 'the export');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', (e) => { settle(); resolve({ ok: false, files: [], message: `could not start the exporter: ${e.message}` }); });
    // 'close', not 'exit': the child's stdout may still hold its last "wrote" lines at exit.
    child.on('close', (code, signal) => {
      settle();
      const files = [...out.matchAll(/^wrote (.+)$/gm)].map((m) => m[1]!);
      // The CLI says what went wrong on stderr, already in a user's words ("mts export: ...").
      const said = err.split('\n').map((l) => l.trim()).filter((l) => l && !/^(WARNING|I0000|W0000|E0000)/.test(l)).join(' ');
      resolve(fault !== undefined ? { ok: false, files, message: fault }
        // Cancelled is what the exporter confirms (130) or the kill: one that finished or failed before it heard the cancel says so.
        : code === CANCELLED_EXIT && job.signal?.aborted ? unchanged(job.outDir)
        : killedAfterStop ? { ok: false, cancelled: true, files: [], message: `cancelled: the exporter did not stop within ${graceMs / 1000} s and was killed; the next export into ${job.outDir} removes what it left` }
        : code === 0 ? { ok: true, files, message: out.trim(), notes: [...out.matchAll(/^note: (.+)$/gm)].map((m) => m[1]!) }
          : { ok: false, files, message: said || `the exporter stopped (code ${code}${signal ? `, signal ${signal}` : ''})` });
    });
  });
}
