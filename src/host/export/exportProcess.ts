// Runs `mts export` (dist/cli.js) in a child on VS Code's own runtime: the export reads data and
// weights with the trainer's code, which the host never imports. No vscode import, so tests
// run it exactly as the command does. Bytes from the child on its IPC channel that are not a
// message (node/channelGuard.ts) would throw in the extension host: they end the export instead,
// with one line, the files it said it wrote kept.
import { fork } from 'node:child_process';
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
}

export interface ExportOutcome { ok: boolean; files: string[]; message: string; notes?: string[] }

export function runExport(job: ExportJob): Promise<ExportOutcome> {
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
    let fault: string | undefined;
    guardChannel(child, (e) => {
      fault = channelFaultMessage(e, 'the exporter', 'the export');
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    child.on('error', (e) => { clearTimeout(timer); resolve({ ok: false, files: [], message: `could not start the exporter: ${e.message}` }); });
    // 'close', not 'exit': the child's stdout may still hold its last "wrote" lines at exit.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const files = [...out.matchAll(/^wrote (.+)$/gm)].map((m) => m[1]!);
      // The CLI says what went wrong on stderr, already in a user's words ("mts export: ...").
      const said = err.split('\n').map((l) => l.trim()).filter((l) => l && !/^(WARNING|I0000|W0000|E0000)/.test(l)).join(' ');
      resolve(fault !== undefined ? { ok: false, files, message: fault }
        : code === 0 ? { ok: true, files, message: out.trim(), notes: [...out.matchAll(/^note: (.+)$/gm)].map((m) => m[1]!) }
          : { ok: false, files, message: said || `the exporter stopped (code ${code}${signal ? `, signal ${signal}` : ''})` });
    });
  });
}
