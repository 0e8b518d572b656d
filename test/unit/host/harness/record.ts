// Records the session stream of a real training, exactly as the host builds it (the real
// TrainingSession over a forked dist/trainer.js), for the screenshot harness and tests.
//   node out/harness/record.js <spec.mtl.json> <out.json> [--epochs N] [--weighting uncertainty]
//        [--schedule cosine] [--stop-after N] [--runs DIR]
import fs from 'node:fs';
import path from 'node:path';
import { validate } from '../../../../src/core/validate';
import { TrainingSession } from '../../../../src/host/training/session';
import { headerFromSpec } from '../../../../src/host/training/startInfo';
import { forkTrainer } from '../../../../src/host/trainerProcess';
import { tempDir } from '../../../tempFolders';

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
const [specPath, outFile] = args;
if (!specPath || !outFile) throw new Error('usage: record <spec> <out.json> [options]');

const doc = JSON.parse(fs.readFileSync(specPath, 'utf8'));
if (opt('weighting')) doc.training.weighting = { method: opt('weighting') };
if (opt('schedule')) doc.training.schedule = { type: opt('schedule') };
if (opt('name')) doc.name = opt('name');
const epochs = opt('epochs') ? Number(opt('epochs')) : undefined;
const { spec, problems } = validate(doc);
if (!spec) throw new Error(JSON.stringify(problems));
const runsDir = opt('runs') ?? tempDir('record');
const header = headerFromSpec(spec, path.resolve(specPath), epochs);
const t0 = Date.now();
const timed: Array<{ t: number; seq: number; event: unknown }> = [];
// fork() runs in start(), after the session exists.
const session: TrainingSession = new TrainingSession({
  header,
  start: { type: 'start', doc, specPath: path.resolve(specPath), workspaceDir: path.dirname(path.resolve(specPath)), runsDir, backend: 'auto', ...(epochs ? { epochs } : {}) },
  fork: () => forkTrainer({ script: path.resolve('dist/trainer.js'), onStderr: (l) => session.stderr(l) }),
  log: (line) => console.log(line),
  readRunStatus: (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).status,
});
const stopAfter = opt('stop-after') ? Number(opt('stop-after')) : undefined;
session.stream.subscribe((item) => {
  timed.push({ t: Date.now() - t0, seq: item.seq, event: item.event });
  if (stopAfter !== undefined && item.event.kind === 'trainer' && item.event.msg.type === 'epochEnd' && item.event.msg.epoch >= stopAfter) session.stop();
});
timed.push({ t: 0, seq: 1, event: session.stream.snapshot()[0]!.event });
session.start();
void session.ended.then((status) => {
  fs.writeFileSync(outFile, JSON.stringify({ runDir: session.runDir, status, items: timed }));
  console.log(`recorded ${timed.length} events (${status}) into ${outFile}; run folder ${session.runDir}`);
});
