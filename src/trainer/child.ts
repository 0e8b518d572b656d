// Entry of the trainer child process, forked by the extension host (or a test) with an
// IPC channel. Receives ToTrainer messages, sends FromTrainer messages, exits when done.
// TensorFlow is required only inside loadBackend, so a data summary never loads it.
import type { FromTrainer, ToTrainer } from '../core/protocol';
import { describeBackend, loadBackend } from './backend';
import { installCodeCache } from './codeCache';
import { dataSummaryOf } from './dataSummaryOf';
import { memoryBudget } from './memoryBudget';
import { runExperiment } from './run';
import { runStudy } from './study/runStudy';

if (!process.send) {
  console.error('The trainer runs as a child process with an IPC channel; use `mts train` from a terminal.');
  process.exit(2);
}

// TensorFlow.js' code compiled from V8's cache of the last start (codeCache.ts), before loadBackend requires it.
installCodeCache();

let cancelled = false;
const send = (msg: FromTrainer) => new Promise<void>((resolve) => {
  if (!process.connected) return resolve();
  process.send!(msg, undefined, undefined, () => resolve());
});

async function handle(msg: ToTrainer): Promise<void> {
  switch (msg.type) {
    case 'cancel':
      cancelled = true;
      return;
    case 'info': {
      try {
        const b = await loadBackend(msg.backend, msg.threads !== undefined ? { intraOpThreads: msg.threads } : {});
        await send({ type: 'info', backend: b.name, lines: describeBackend(b) });
      } catch (err) {
        await send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
      }
      process.exit(0);
      return;
    }
    case 'dataSummary': {
      try {
        await send({ type: 'dataSummary', result: await dataSummaryOf(msg.doc, msg.workspaceDir, msg.allowedRoots, memoryBudget(msg.maxMemory, 'multiTaskStudio.maxMemory')) });
      } catch (err) {
        await send({ type: 'error', message: err instanceof Error ? err.message : String(err), ...(err instanceof Error && err.stack ? { detail: err.stack } : {}) });
      }
      process.exit(0);
      return;
    }
    case 'start': {
      const outcome = await runExperiment({
        doc: msg.doc, workspaceDir: msg.workspaceDir, runsDir: msg.runsDir, backend: msg.backend,
        ...(msg.allowedRoots ? { allowedRoots: msg.allowedRoots } : {}),
        ...(msg.epochs !== undefined ? { epochs: msg.epochs } : {}),
        ...(msg.threads !== undefined ? { threads: msg.threads } : {}),
        budget: memoryBudget(msg.maxMemory, 'multiTaskStudio.maxMemory'),
        emit: (m) => void send(m),
        cancelled: () => cancelled,
      });
      await send({ type: 'log', level: 'info', message: `trainer finished: ${outcome}` });
      process.exit(outcome === 'completed' || outcome === 'cancelled' ? 0 : 1);
      return;
    }
    case 'study': {
      // Every run of the study in this process, one after another (the data loaded once).
      const outcome = await runStudy({
        doc: msg.doc, studyPath: msg.studyPath, experimentDoc: msg.experimentDoc, experimentPath: msg.experimentPath,
        workspaceDir: msg.workspaceDir, runsDir: msg.runsDir, backend: msg.backend,
        ...(msg.resumeDir !== undefined ? { resumeDir: msg.resumeDir } : {}),
        ...(msg.allowedRoots ? { allowedRoots: msg.allowedRoots } : {}),
        ...(msg.threads !== undefined ? { threads: msg.threads } : {}),
        budget: memoryBudget(msg.maxMemory, 'multiTaskStudio.maxMemory'),
        emit: (m) => void send(m),
        cancelled: () => cancelled,
      });
      await send({ type: 'log', level: 'info', message: `study finished: ${outcome}` });
      process.exit(outcome === 'completed' || outcome === 'cancelled' ? 0 : 1);
    }
  }
}

process.on('message', (msg: ToTrainer) => void handle(msg));
// The host went away (window closed, extension host crashed): stop after the current step.
process.on('disconnect', () => { cancelled = true; });
