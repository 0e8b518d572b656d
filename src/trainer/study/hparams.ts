// TensorBoard's HParams plugin files for a study, so that `tensorboard --logdir <studyDir>` shows
// its runs side by side (table and parallel coordinates): one session per run (the variant's
// settings as hparams, its test metrics and Δm as metrics) and one experiment summary that
// lists them. Layout under the study folder:
//   hparams/events...            the experiment: hparam and metric names (rewritten as runs end)
//   hparams/<variant>-r<repeat>/events...   one session: start info, metric scalars, end info
// The messages are tensorboard/plugins/hparams/{plugin_data,api}.proto, hand-encoded like our
// scalar events (artifacts/tensorboard.ts); field numbers are cited at each use.
import * as os from 'node:os';
import * as path from 'node:path';
import { makeFolderIn, writeFileAtomic } from '../artifacts/atomicWrite';
import { encodeFileVersionEvent, encodeScalarsEvent, ProtoWriter } from '../artifacts/tensorboard';
import { encodeTfRecord } from '../artifacts/tfrecord';

export const HPARAMS_FOLDER = 'hparams';
const EXPERIMENT_TAG = '_hparams_/experiment';
const SESSION_START_TAG = '_hparams_/session_start_info';
const SESSION_END_TAG = '_hparams_/session_end_info';

export type HParamValue = string | number | boolean;

/** api.proto Status */
const STATUS = { success: 1, failure: 2 } as const;
/** api.proto DataType */
const DATA_TYPE = { string: 1, boolean: 2, number: 3 } as const;

/** google.protobuf.Value: number_value 2, string_value 3, bool_value 4. */
function protoValue(v: HParamValue): Buffer {
  const w = new ProtoWriter();
  if (typeof v === 'number') w.double(2, v);
  else if (typeof v === 'string') w.string(3, v);
  else w.int64(4, v ? 1 : 0);
  return w.finish();
}

/** Summary.Value { tag 1, metadata 9 { plugin_data 1 { plugin_name 1, content 2 } }, tensor 8 } with HParamsPluginData as content. */
function pluginEvent(wallTime: number, tag: string, pluginData: Buffer): Buffer {
  const metadata = new ProtoWriter().bytes(1, new ProtoWriter().string(1, 'hparams').bytes(2, pluginData).finish()).finish();
  // The plugin's NULL_TENSOR: dtype DT_FLOAT (1), shape [0] (tensor_shape 2 { dim 2 { size 1 = 0 } }).
  const tensor = new ProtoWriter().int64(1, 1).bytes(2, new ProtoWriter().bytes(2, Buffer.alloc(0)).finish()).finish();
  const value = new ProtoWriter().string(1, tag).bytes(9, metadata).bytes(8, tensor).finish();
  return new ProtoWriter().double(1, wallTime).int64(2, 0).bytes(5, new ProtoWriter().bytes(1, value).finish()).finish();
}

/** HParamsPluginData { version 1 (0, left out), experiment 2 | session_start_info 3 | session_end_info 4 }. */
const pluginData = (field: 2 | 3 | 4, message: Buffer): Buffer => new ProtoWriter().bytes(field, message).finish();

function eventFile(events: Buffer[], now: number): Buffer {
  return Buffer.concat([encodeFileVersionEvent(now), ...events].map((e) => encodeTfRecord(e)));
}

const fileName = (now: number): string => `events.out.tfevents.${Math.floor(now)}.${os.hostname().replace(/[^A-Za-z0-9._-]+/g, '-') || 'localhost'}`;

export interface HParamsExperiment {
  name: string;
  /** Each hparam with the values it takes (strings: the choices TensorBoard offers as filters). */
  hparams: { name: string; values: HParamValue[] }[];
  /** Scalar tags that sessions write as metrics. */
  metrics: { tag: string; description?: string }[];
}

/**
 * Writes (replacing) the experiment summary: Experiment { name 6, time_created_secs 3,
 * hparam_infos 4 { name 1, type 4, domain_discrete 5 (ListValue { values 1 }) }, metric_infos 5 { name 1 { group 1, tag 2 }, description 4 } }.
 */
export async function writeHparamsExperiment(studyDir: string, e: HParamsExperiment, now = Date.now() / 1000): Promise<string> {
  const exp = new ProtoWriter().string(6, e.name).double(3, now);
  for (const h of e.hparams) {
    const kind = typeof h.values[0] === 'number' ? 'number' : typeof h.values[0] === 'boolean' ? 'boolean' : 'string';
    const info = new ProtoWriter().string(1, h.name).int64(4, DATA_TYPE[kind]);
    if (kind === 'string') {
      const list = new ProtoWriter();
      for (const v of h.values) list.bytes(1, protoValue(v));
      info.bytes(5, list.finish());
    }
    exp.bytes(4, info.finish());
  }
  for (const m of e.metrics) {
    const info = new ProtoWriter().bytes(1, new ProtoWriter().string(2, m.tag).finish());
    if (m.description) info.string(4, m.description);
    exp.bytes(5, info.finish());
  }
  const dir = await makeFolderIn(studyDir, HPARAMS_FOLDER);
  const file = path.join(dir, 'events.out.tfevents.0.experiment');
  await writeFileAtomic(file, eventFile([pluginEvent(now, EXPERIMENT_TAG, pluginData(2, exp.finish()))], now));
  return file;
}

export interface HParamsSession {
  /** Folder name under hparams/: the run's folder name. */
  name: string;
  /** Sessions of one group are repeats of one setting: TensorBoard averages their metrics. */
  group: string;
  hparams: Record<string, HParamValue>;
  metrics: Record<string, number>;
  completed: boolean;
  startSecs: number;
  endSecs: number;
}

/**
 * One run as a session: SessionStartInfo { hparams 1 (map: key 1, value 2), group_name 4,
 * start_time_secs 5 }, the metrics as scalars, SessionEndInfo { status 1, end_time_secs 2 }.
 */
export async function writeHparamsSession(studyDir: string, s: HParamsSession): Promise<string> {
  const start = new ProtoWriter();
  for (const [k, v] of Object.entries(s.hparams)) start.bytes(1, new ProtoWriter().string(1, k).bytes(2, protoValue(v)).finish());
  start.string(4, s.group).double(5, s.startSecs);
  const end = new ProtoWriter().int64(1, s.completed ? STATUS.success : STATUS.failure).double(2, s.endSecs).finish();
  const scalars = Object.entries(s.metrics).filter(([, v]) => Number.isFinite(v)).map(([tag, value]) => ({ tag, value }));
  const dir = await makeFolderIn(await makeFolderIn(studyDir, HPARAMS_FOLDER), s.name);
  const file = path.join(dir, fileName(s.startSecs));
  await writeFileAtomic(file, eventFile([
    pluginEvent(s.startSecs, SESSION_START_TAG, pluginData(3, start.finish())),
    ...(scalars.length ? [encodeScalarsEvent(s.endSecs, 1, scalars)] : []),
    pluginEvent(s.endSecs, SESSION_END_TAG, pluginData(4, end)),
  ], s.startSecs));
  return file;
}
