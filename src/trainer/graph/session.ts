// A TensorFlow session holding a graph we built (graphDef.ts), through tfjs-node's SavedModel
// loader: the SavedModel is written to a temporary folder, loaded (TF_LoadSessionFromSavedModel;
// no variables/ folder, so nothing is restored: the variables start uninitialised until a
// `set` run assigns them) and the folder removed at once: the session keeps the graph and its
// variables between runs. Each `run` is one TF_SessionRun. A session opens with a Grappler mode
// (sessionConfig.ts) when the binding takes a config, else with TensorFlow's defaults.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { preparedRun, type PreparedRun, type SavedModelBackend } from './preparedRun';
import { grapplerOverride, sessionConfigBytes, type GrapplerMode } from './sessionConfig';

export interface GraphSession {
  /** Feeds `feeds` (placeholder names, float32 unless said) and returns the `fetches`' values as tfjs tensors. */
  run(feeds: Array<{ name: string; tfDtype?: string }>, values: TF.Tensor[], fetches: string[]): TF.Tensor[];
  /**
   * `run` for a call made every step whose fetches are only there to run it (preparedRun.ts): the
   * names are joined once, an Int32Array feed goes straight into a TensorFlow tensor and the
   * outputs are freed without becoming tfjs tensors (`keepLast`: but the last, kept for `last()`).
   * float32 and int32 feeds only.
   */
  prepare(feeds: Array<{ name: string; tfDtype?: string }>, fetches: string[], keepLast?: boolean): PreparedRun;
  /** The Grappler mode the session opened with ('on' whatever was asked when the binding takes no config). */
  readonly grappler: GrapplerMode;
  dispose(): void;
}

/** Whether this process' tfjs-node binding opens sessions with a config (ours, built by scripts/postinstall.mjs). */
export function takesSessionConfig(tf: Tf): boolean {
  return typeof (tf.backend() as unknown as SavedModelBackend).binding.loadSavedModelWithConfig === 'function';
}

/** Opens a session of the graph with Grappler `grappler` (MTS_GRAPPLER overrides it). */
export function openSession(tf: Tf, savedModel: Uint8Array, grappler: GrapplerMode = 'on'): GraphSession {
  const backend = tf.backend() as unknown as SavedModelBackend;
  const withConfig = backend.binding.loadSavedModelWithConfig;
  const mode = withConfig ? grapplerOverride() ?? grappler : 'on';
  const config = sessionConfigBytes(mode);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-graph-'));
  let id: number;
  try {
    fs.writeFileSync(path.join(dir, 'saved_model.pb'), savedModel);
    id = config && withConfig ? withConfig.call(backend.binding, dir, 'serve', config) : backend.loadSavedModelMetaGraph(dir, 'serve');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  let disposed = false;
  return {
    grappler: mode,
    run(feeds, values, fetches) {
      // tfjs-node reads `name` (op:index) and, for uint8/int64 feeds only, `tfDtype`.
      return backend.runSavedModel(id, values, feeds.map((f) => ({ name: `${f.name}:0`, tfDtype: f.tfDtype ?? 'DT_FLOAT' })),
        fetches.map((f) => (f.includes(':') ? f : `${f}:0`)));
    },
    prepare(feeds, fetches, keepLast) {
      return preparedRun(backend, id, feeds, fetches.map((f) => (f.includes(':') ? f : `${f}:0`)), keepLast);
    },
    dispose() {
      if (!disposed) backend.deleteSavedModel(id);
      disposed = true;
    },
  };
}
